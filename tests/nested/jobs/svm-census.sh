# svm-census.sh BUILD [RUNS [GUESTS [HOGS [sharer]]]]: a measurement, not a test (scripts/svm-census
# runs it on each leg). RUNS L2 runs each of pcivmm and of QEMU as the L2 VMM,
# alternating, on the same guests with the same passed edu (six of the
# guest tests in turn, below), counting per VMM: verdicts,
# L2 vCPU shutdowns with nothing the guest could print (pcivmm: exit 8 with
# the registers in reset state, tcg_svm_shutdown; QEMU with -no-reboot:
# exits 0 with no verdict), and L1 soft lockups or RCU stalls logged
# meanwhile. Then RUNS/4 SIGTERMed hogs each, counting edus found
# acknowledged afterwards (interrupt status 0) although the guest never
# acknowledged them. One "census:" line per VMM.
# Exposure: each L2 run's VM exits and injected interrupts, from KVM's
# debugfs totals in L1 (over the VMs alive: the L2's, and kvm-keeper's,
# which idles), sampled every 0.1 s while the run lasts (a VM's counts leave
# the totals with it), so that a VMM whose guests make more exits in the
# same time is compared per exit too: shutdowns per million exits are
# printed beside the counts.
. "$(dirname "$0")/lib.sh"
runs=${2:-100}
# The mild and the interrupt-heavy guests the nested jobs run (the shutdowns
# were reported under the adversary and storms). A third argument "ELF
# ARGS;..." takes others, e.g. "intx-hog seconds=2" alone (pcivmm's shutdowns
# on the current leg were all in it), or "linux COUNT": the linux-uio job's
# Linux L2 (Debian's kernel, uio_pci_generic, COUNT uio-intx raise/ack
# cycles; a verdict is its L2-RESULT line). A fourth argument gives the
# number of SIGTERMed hogs (default RUNS/4; 0: none); a fifth, "sharer",
# drives EDU_B on the same host line from L1 throughout, as linux-uio does.
guests=("intx-basic" "intx-mask" "intx-storm count=2000" "intx-hog seconds=2" "adversary" "msi-basic")
[ -n "${3:-}" ] && IFS=';' read -r -a guests <<<"$3"
hogs=${4:-$((runs / 4))}
if [ "${5:-}" = sharer ]; then
	same_host_irq
	sharer_start 100000
fi
linux_args="console=ttyS0 rdinit=/init loglevel=4 uio_shape=byte uio_devs=1"
declare -A pass fail shutdown other acked lockups exits injections
KD=/sys/kernel/debug/kvm
[ -d $KD ] || mount -t debugfs none /sys/kernel/debug
# kvm_stat NAME: KVM's total of NAME over the VMs alive (0 when debugfs has none).
kvm_stat() { cat $KD/$1 2>/dev/null || echo 0; }
# run_sampled VMM: runs cmd with its output in census.log, rc its status;
# adds the run's last sampled exits and injected interrupts to VMM's sums.
run_sampled() {
	local pid e=0 n=0 v
	timeout 400 "${cmd[@]}" </dev/null >$TMPDIR/census.log 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		v=$(kvm_stat exits) && [ "$v" -gt $e ] && e=$v
		v=$(kvm_stat irq_injections) && [ "$v" -gt $n ] && n=$v
		sleep 0.1
	done
	wait $pid
	rc=$?
	exits[$1]=$((exits[$1] + e)) injections[$1]=$((injections[$1] + n))
}
# l2_cmd VMM ELF CMDLINE: sets cmd to that VMM's command line for the guest
# with EDU_A passed (QEMU as bench.py runs it, with -no-reboot); ELF "linux":
# the Linux L2 with CMDLINE its uio-intx cycle count.
l2_cmd() {
	local mem=256M kernel=$2 initrd="" append=$3
	if [ "$2" = linux ]; then
		[ -f $TMPDIR/l2.cpio.gz ] || "$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx"
		mem=512M kernel=/boot/vmlinuz-$(uname -r) initrd=$TMPDIR/l2.cpio.gz
		append="$linux_args uio_count=$3"
	fi
	case $1 in
	pcivmm) cmd=("$P" --mem $mem --passthrough $EDU_A --kernel "$kernel"
		${initrd:+--initrd "$initrd"} --cmdline "$append") ;;
	qemu) cmd=(qemu-system-x86_64 -machine pc -accel kvm -cpu host -m $mem -nodefaults -no-reboot
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$kernel" ${initrd:+-initrd "$initrd"}
		-append "$append" -display none -serial stdio -monitor none
		-device vfio-pci,host=$EDU_A,addr=0x4) ;;
	esac
}
lockup_lines() { dmesg | grep -c -E 'soft lockup|rcu_.*detected stall'; }
for vmm in pcivmm qemu; do
	pass[$vmm]=0 fail[$vmm]=0 shutdown[$vmm]=0 other[$vmm]=0 acked[$vmm]=0 lockups[$vmm]=0
	exits[$vmm]=0 injections[$vmm]=0
done
for ((i = 0; i < runs; i++)); do
	set -- ${guests[i % ${#guests[@]}]}
	elf=$B/guest-tests/$1.elf cmdline=${2:-}
	[ "$1" = linux ] && elf=linux
	for vmm in pcivmm qemu; do
		before=$(lockup_lines)
		l2_cmd $vmm "$elf" "$cmdline"
		run_sampled $vmm
		lockups[$vmm]=$((lockups[$vmm] + $(lockup_lines) - before))
		if grep -q -E '^(PASS:|L2-RESULT=0)' $TMPDIR/census.log; then
			pass[$vmm]=$((pass[$vmm] + 1))
		elif grep -q -E '^(FAIL:|L2-RESULT=[1-9])' $TMPDIR/census.log; then
			fail[$vmm]=$((fail[$vmm] + 1))
			grep -E '^not ok|^# edu .* silent|^uio-intx: .* missed' $TMPDIR/census.log | sed "s/^/# $vmm $1: /"
		elif { [ $vmm = pcivmm ] && tcg_svm_shutdown <$TMPDIR/census.log; } ||
			{ [ $vmm = qemu ] && [ $rc -eq 0 ]; }; then
			shutdown[$vmm]=$((shutdown[$vmm] + 1))
			echo "# $vmm $1: run $i: the L2 vCPU shut down with no verdict"
		else
			other[$vmm]=$((other[$vmm] + 1))
			echo "# $vmm $1: run $i: exit $rc, no verdict:"; tail -5 $TMPDIR/census.log
		fi
	done
	[ $(((i + 1) % 10)) -eq 0 ] && echo "# census: $((i + 1)) of $runs"
done
# The sharer stops first: QEMU, SIGTERMed, leaves its edu asserting and
# unmasked (vfio-pci restores the config it saved), which L1 then disables
# as "nobody cared" on the sharer's line.
if [ -n "${sharer_pid:-}" ]; then kill $sharer_pid; fi
hog=$B/guest-tests/intx-hog.elf
for ((i = 0; i < hogs; i++)); do
	for vmm in pcivmm qemu; do
		l2_cmd $vmm "$hog" seconds=60
		"${cmd[@]}" </dev/null >$TMPDIR/census.log 2>&1 &
		pid=$!
		poll_while_alive $pid grep -q 'intx-hog: holding the line' $TMPDIR/census.log
		poll_while_alive $pid asserting $EDU_A
		kill -TERM $pid
		wait $pid
		st=$(edu_irq_status $EDU_A)
		[ "$st" = 0x0 ] && acked[$vmm]=$((acked[$vmm] + 1)) && echo "# $vmm: hog $i: edu found acknowledged after SIGTERM"
		edu_ack_all $EDU_A # back to a quiet device for the next run
	done
done
for vmm in pcivmm qemu; do
	echo "census: ${PCIVMM_L1_STACK:-debian12} $vmm: $runs L2 runs: ${pass[$vmm]} passed, ${fail[$vmm]} failed, ${shutdown[$vmm]} vCPU shutdowns, ${other[$vmm]} other; L1 soft lockups/RCU stalls: ${lockups[$vmm]}; $hogs SIGTERMed hogs: ${acked[$vmm]} edus found acknowledged; exposure: ${exits[$vmm]} L2 exits, ${injections[$vmm]} injected interrupts, $(awk -v s=${shutdown[$vmm]} -v e=${exits[$vmm]} 'BEGIN { printf "%.2f", e ? s * 1e6 / e : 0 }') shutdowns per million exits"
done
