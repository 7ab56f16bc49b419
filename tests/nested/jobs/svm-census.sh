# svm-census.sh BUILD [RUNS [GUESTS [HOGS]]]: a measurement, not a test (scripts/svm-census
# runs it on each leg). RUNS L2 runs each of pcivmm and of QEMU as the L2 VMM,
# alternating, on the same guests with the same passed edu (six of the
# guest tests in turn, below), counting per VMM: verdicts,
# L2 vCPU shutdowns with nothing the guest could print (pcivmm: exit 8 with
# the registers in reset state, tcg_svm_shutdown; QEMU with -no-reboot:
# exits 0 with no verdict), and L1 soft lockups or RCU stalls logged
# meanwhile. Then RUNS/4 SIGTERMed hogs each, counting edus found
# acknowledged afterwards (interrupt status 0) although the guest never
# acknowledged them. One "census:" line per VMM.
. "$(dirname "$0")/lib.sh"
runs=${2:-100}
# The mild and the interrupt-heavy guests the nested jobs run (the shutdowns
# were reported under the adversary and storms). A third argument "ELF
# ARGS;..." takes others, e.g. "intx-hog seconds=2" alone (pcivmm's shutdowns
# on the current leg were all in it), and a fourth the number of SIGTERMed
# hogs (default RUNS/4; 0: none).
guests=("intx-basic" "intx-mask" "intx-storm count=2000" "intx-hog seconds=2" "adversary" "msi-basic")
[ -n "${3:-}" ] && IFS=';' read -r -a guests <<<"$3"
hogs=${4:-$((runs / 4))}
declare -A pass fail shutdown other acked lockups
# l2_cmd VMM ELF CMDLINE: sets cmd to that VMM's command line for the guest
# with EDU_A passed (QEMU as bench.py runs it, with -no-reboot).
l2_cmd() {
	case $1 in
	pcivmm) cmd=("$P" --passthrough $EDU_A --kernel "$2" --cmdline "$3") ;;
	qemu) cmd=(qemu-system-x86_64 -machine pc -accel kvm -cpu host -m 256 -nodefaults -no-reboot
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$2" -append "$3"
		-display none -serial stdio -monitor none -device vfio-pci,host=$EDU_A,addr=0x4) ;;
	esac
}
lockup_lines() { dmesg | grep -c -E 'soft lockup|rcu_.*detected stall'; }
for vmm in pcivmm qemu; do
	pass[$vmm]=0 fail[$vmm]=0 shutdown[$vmm]=0 other[$vmm]=0 acked[$vmm]=0 lockups[$vmm]=0
done
for ((i = 0; i < runs; i++)); do
	set -- ${guests[i % ${#guests[@]}]}
	elf=$B/guest-tests/$1.elf cmdline=${2:-}
	for vmm in pcivmm qemu; do
		before=$(lockup_lines)
		l2_cmd $vmm "$elf" "$cmdline"
		timeout 120 "${cmd[@]}" </dev/null >$TMPDIR/census.log 2>&1
		rc=$?
		lockups[$vmm]=$((lockups[$vmm] + $(lockup_lines) - before))
		if grep -q '^PASS:' $TMPDIR/census.log; then
			pass[$vmm]=$((pass[$vmm] + 1))
		elif grep -q '^FAIL:' $TMPDIR/census.log; then
			fail[$vmm]=$((fail[$vmm] + 1))
			grep '^not ok' $TMPDIR/census.log | sed "s/^/# $vmm $1: /"
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
	echo "census: ${PCIVMM_L1_STACK:-debian12} $vmm: $runs L2 runs: ${pass[$vmm]} passed, ${fail[$vmm]} failed, ${shutdown[$vmm]} vCPU shutdowns, ${other[$vmm]} other; L1 soft lockups/RCU stalls: ${lockups[$vmm]}; $hogs SIGTERMed hogs: ${acked[$vmm]} edus found acknowledged"
done
