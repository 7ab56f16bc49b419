# Sourced by every nested job (run inside L1 by scripts/nested/l1-run with
# the build directory as $1): loads KVM and VFIO, binds both edu devices to
# vfio-pci, and offers helpers that print one verdict line per check.
set -u
B=$1
S=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# The pcivmm the jobs run (the asan job sets PCIVMM_BIN to the sanitized build).
P=${PCIVMM_BIN:-$B/pcivmm}
# Three QEMU edu devices on one host INTx line (l1-run): A and B are passed
# to guests, C is driven from L1 by the sharer (so is B when only A is passed).
EDU_A=0000:00:04.0
EDU_B=0000:00:08.0
EDU_C=0000:00:0c.0
fails=0
# KVM (Debian's, or PCIVMM_KVM_MODULES=DIR from kernel-patch/build), with
# scripts/nested/kvm-keeper holding one idle VM for the whole boot.
. "$S/scripts/nested/l1-kvm"
why=$(l1_kvm_load) || { echo "not ok - $why"; exit 1; }
if [ "${PCIVMM_NO_BIND:-}" != 1 ]; then
	"$S/scripts/vfio-bind" $EDU_A $EDU_B $EDU_C || { echo "not ok - vfio-bind"; exit 1; }
fi

# KVM_CHECK_EXTENSION(KVM_CAP_PCI_2_3) on a VM: 1 with kernel-patch/, 0 stock.
kvm_cap_pci_2_3() {
	python3 -c 'import fcntl, os
kvm = os.open("/dev/kvm", os.O_RDWR)
vm = fcntl.ioctl(kvm, 0xae01, 0)          # KVM_CREATE_VM
print(fcntl.ioctl(vm, 0xae03, 75))        # KVM_CHECK_EXTENSION(KVM_CAP_PCI_2_3)'
}

verdict() { # verdict OK? TEXT
	if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi
}

# L1's kernel log lines seen so far: each run's check looks only at new ones.
dmesg_seen=$(dmesg | wc -l)

# passed_bdfs ARGS..., intx_state BDF, is_pending STATUS, is_masked COMMAND.
. "$S/tests/host-pci.sh"

# left_masked BDF [killed]: after a guest ended with BDF raised and never
# acknowledged, the device is still pending but masked (STATUS.INTERRUPT and
# INTX_DISABLE both set): by pcivmm (or its reaper) after vfio-pci restored its state, or by
# the patched KVM's deassignment (then pcivmm finds it quiet and says
# nothing). With "killed" (the VM was stopped by a signal mid-storm) a device
# found not asserting at all also leaves the line quiet and passes, with a
# "#" line giving the edu's own interrupt status: about one SIGTERM'd hog in
# ten under L1 has it read 0, acknowledged although the guest printed nothing
# past its raise and strace shows pcivmm writing none of the device's
# registers (suspected: the same emulated-SVM state loss as tcg_svm_shutdown).
left_masked() {
	local cmd status by=kernel
	read -r cmd status <<<"$(intx_state $1)"
	if [ "${2:-}" = killed ] && ! is_pending $status; then
		echo "# $1 was no longer asserting after the VM (COMMAND $cmd STATUS $status; the edu's own interrupt status reads $(edu_irq_status $1))"
		verdict 0 "a device the VM left raised is quiet afterwards: not asserting"
		return
	fi
	grep -q "$1: still asserting INTx after the VM; left with INTX_DISABLE set" $TMPDIR/guest.log &&
		by=pcivmm
	grep -q "$1: still asserting INTx after pcivmm ended abnormally; left with INTX_DISABLE set" $TMPDIR/guest.log &&
		by=pcivmm-reaper
	is_pending $status && is_masked $cmd
	verdict $? "a device left pending by its guest is left masked, by $by (COMMAND $cmd STATUS $status)"
}

# edu_irq_status BDF: the edu's interrupt status register (BAR0 + 0x24), read
# through sysfs while no VM holds the device.
edu_irq_status() {
	python3 -c 'import mmap, os, struct, sys
fd = os.open("/sys/bus/pci/devices/%s/resource0" % sys.argv[1], os.O_RDWR | os.O_SYNC)
print("0x%x" % struct.unpack_from("<I", mmap.mmap(fd, 4096), 0x24)[0])' "$1" 2>/dev/null || echo "?"
}

# edu_ack_all BDF: acknowledges every interrupt the edu holds (BAR0 + 0x64),
# through sysfs while no VM holds the device.
edu_ack_all() {
	python3 -c 'import mmap, os, struct, sys
fd = os.open("/sys/bus/pci/devices/%s/resource0" % sys.argv[1], os.O_RDWR | os.O_SYNC)
struct.pack_into("<I", mmap.mmap(fd, 4096), 0x64, 0xffffffff)' "$1"
}

# asserting BDF: BDF's STATUS.INTERRUPT reads 1 (its INTx level is raised,
# masked or not).
asserting() {
	local cmd status
	read -r cmd status <<<"$(intx_state $1)"
	is_pending $status
}


# line_clean WHAT ARGS...: after a pcivmm run, no device it was given may
# assert INTx on the host line (STATUS.INTERRUPT clear, or INTX_DISABLE set),
# and L1's kernel has logged no new "nobody cared" / "Disabling IRQ".
line_clean() {
	local what=$1 bdf cmd status bad="" new
	shift
	[ "${NO_LINE_CHECK:-}" = 1 ] && return 0
	for bdf in $(passed_bdfs "$@"); do
		[ -e /sys/bus/pci/devices/$bdf/config ] || continue
		read -r cmd status <<<"$(intx_state $bdf)"
		if is_pending $status && ! is_masked $cmd; then
			bad+=" $bdf (COMMAND $cmd STATUS $status)"
		fi
	done
	new=$(dmesg | tail -n +$((dmesg_seen + 1)) | grep -i -E 'nobody cared|disabling irq')
	dmesg_seen=$(dmesg | wc -l)
	[ -z "$bad" ] && [ -z "$new" ]
	verdict $? "host line clean after $what:${bad:- no passed device asserting}${new:+; L1 logged: $new}"
}

# The L2 vCPU shutdowns of L1's emulated SVM, and running a guest again
# after one (tcg_svm_shutdown, again_after_svm_shutdown).
. "$S/tests/nested/svm-shutdown.sh"

# reinit_by_l1_driver, before every VM run of the jobs: QEMU's e1000e
# offers only a PM reset (sysfs reset_method "pm": NoSoftRst clear), and
# that reset, all vfio-pci can do at open and release, changes nothing:
# RDBAL, RDLEN and RCTL.EN read back as written across it (QEMU 7.2 and
# 10.0, 2026-12-02, by hand in L1). A real part resets on D3hot -> D0 with
# NoSoftRst clear; QEMU's model does not. Its receiver stays on after any
# L2: after one that died without its driver's shutdown (a vCPU shutdown),
# and after a clean one too, since Linux's e1000e leaves RCTL.EN set on the
# 82574 (8086:10d3, what QEMU models: FLAG2_NO_DISABLE_RX in 82571.c, so
# e1000e_down() at shutdown does not clear it) and relies on clearing bus
# mastering. The next L2's e1000e probe sets bus mastering (pci_set_master)
# before it resets the NIC (reset_hw), and a packet in between is written
# through the old ring, at guest-physical addresses that are now the new
# L2's memory: the CI of 2026-12-02 had a retried L2 die of "bad pmd", the
# next CI an INTx-mode L2 (after a clean MSI-mode one) hang until its
# timeout (likely the same; its console was not kept), and a run here had
# L1's IOMMU refuse the NIC's write to 0xcccccccccccccccc (a descriptor
# read from the new L2's kernel text, INT3 padding) 3 s into the L2 after
# a clean one. So each passed device whose only reset is a PM reset, and
# that has a driver in L1, goes to that driver, whose probe resets it for
# real (RCTL.EN clear afterwards; L1's IOMMU keeps its own window's DMA out
# of L1's memory), and back to vfio-pci. Devices with a reset that is more
# than a PM state change (FLR: QEMU's igb and nvme) are left to it.
# Devices with no L1 driver (the edus, which DMA only when told) stay:
# unbinding one the sharer holds open would block. Whether a device has an
# L1 driver is looked up once per job (l1_driver_known), not before every
# one of a job's dozens of VMs.
declare -A l1_driver_known
reinit_by_l1_driver() {
	local dev bdf drv
	for dev in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		bdf=${dev##*/}
		case $(cat "$dev/reset_method" 2>/dev/null) in "" | pm) ;; *) continue ;; esac
		[ -n "${l1_driver_known[$bdf]:-}" ] ||
			l1_driver_known[$bdf]=$(modprobe -q -R "$(cat "$dev/modalias")" >/dev/null 2>&1 && echo yes || echo no)
		[ "${l1_driver_known[$bdf]}" = yes ] || continue
		"$S/scripts/vfio-bind" --unbind "$bdf" >/dev/null
		drv=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver" 2>/dev/null)")
		"$S/scripts/vfio-bind" "$bdf" ||
			{ echo "not ok - $bdf: back to vfio-pci after L1's ${drv:-no} driver"; fails=$((fails + 1)); continue; }
		echo "# $bdf: reinitialized by L1's ${drv:-(no)} driver before the VM (its PM reset resets nothing)"
	done
}

# l2_run LOG WHAT PCIVMM-ARGS...: runs pcivmm (a Linux L2) with its console
# streamed, prefixed "L2| " (l1-run watches L1's console), and kept in LOG;
# again after an L1 SVM shutdown, up to svm_attempts. pcivmm's status in l2_rc.
l2_run() {
	local log=$1 what=$2 attempt
	shift 2
	for attempt in $(seq $svm_attempts); do
		reinit_by_l1_driver
		timeout 400 "$P" "$@" </dev/null 2>&1 | tee "$log" | sed -u 's/^/L2| /'
		l2_rc=${PIPESTATUS[0]}
		again_after_svm_shutdown $attempt "$log" "$what" || break
	done
	# A timed-out or killed run: its last console lines as "#" lines, which
	# the test summary (scripts/test) keeps, where the streamed console is
	# only in Meson's full log.
	if [ $l2_rc = 124 ] || [ $l2_rc -ge 128 ]; then
		echo "# $what: pcivmm exited $l2_rc; the L2's last console lines:"
		tail -n 15 "$log" | tr -d '\r' | sed 's/^/#   /'
	fi
}

# guest pass ELF-NAME PCIVMM-ARGS...: boots a test guest under pcivmm, expects PASS.
# guest fail REGEX ELF-NAME PCIVMM-ARGS...: expects FAIL, for the stated reason:
# a "not ok" line matching REGEX.
guest() {
	local expect=$1 reason="" name out rc ok=1 attempt
	shift
	[ "$expect" = fail ] && { reason=$1; shift; }
	name=$1
	shift
	for attempt in $(seq $svm_attempts); do
		reinit_by_l1_driver
		# Streamed, not captured: l1-run takes a silent console for a hung L1.
		timeout 120 "$P" "$@" --kernel "$B/guest-tests/$name.elf" </dev/null 2>&1 | tee $TMPDIR/guest.log
		rc=${PIPESTATUS[0]}
		out=$(cat $TMPDIR/guest.log)
		again_after_svm_shutdown $attempt $TMPDIR/guest.log "$name" || break
	done
	case $expect in
	pass) [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out" && ok=0 ;;
	fail) [ $rc -eq 3 ] && grep -q '^FAIL:' <<<"$out" && grep -q -E "^not ok [0-9]+ - .*$reason" <<<"$out" && ok=0 ;;
	esac
	verdict $ok "$name $* -> expected to $expect${reason:+ because '$reason'}, pcivmm exited $rc"
	[ "$expect" = pass ] && line_clean "$name" "$@"
}

# l2_vmlinux: the vmlinux ELF inside L1's Debian bzImage, extracted once per
# job (scripts/vmlinux-from-bzimage); its path on stdout.
l2_vmlinux() {
	[ -f $TMPDIR/vmlinux ] ||
		"$S/scripts/vmlinux-from-bzimage" /boot/vmlinuz-"$(uname -r)" $TMPDIR/vmlinux || return 1
	echo $TMPDIR/vmlinux
}

# linux pass|fail COUNT byte|word PASSTHROUGH-OPTIONS [REGEX]: pcivmm boots
# Debian's kernel (its bzImage; with L2_KERNEL=vmlinux the vmlinux inside it,
# entered at its PVH note, no decompressor run) with the busybox initramfs of
# tests/nested/l2-init; each
# passed edu (PASSTHROUGH-OPTIONS: one or several, space-separated) goes to
# uio_pci_generic and one uio-intx per edu runs COUNT raise/ack cycles,
# re-enabling INTx with a byte write at 5 or a word write at 4. fail needs
# REGEX to match the L2's or L1's log: the stated reason, not any failure.
linux() {
	[ -f $TMPDIR/l2.cpio.gz ] ||
		"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" || return 1
	local out rc ok=1 l1_before opt pt=() attempt watcher kernel=/boot/vmlinuz-"$(uname -r)"
	[ "${L2_KERNEL:-}" = vmlinux ] && { kernel=$(l2_vmlinux) || return 1; }
	for opt in $4; do pt+=(--passthrough $opt); done
	for attempt in $(seq $svm_attempts); do
		reinit_by_l1_driver
		l1_before=$(dmesg | wc -l)
		: >$TMPDIR/l2.log
		stall_watch $TMPDIR/l2.log $(passed_bdfs "${pt[@]}") &
		watcher=$!
		timeout 400 "$P" --mem 512M "${pt[@]}" \
			--kernel "$kernel" --initrd $TMPDIR/l2.cpio.gz \
			--cmdline "console=ttyS0 rdinit=/init loglevel=4 uio_count=$2 uio_shape=$3 uio_devs=$((${#pt[@]} / 2))${L2_CMDLINE:+ $L2_CMDLINE}" </dev/null 2>&1 |
			tee $TMPDIR/l2.log | sed -u 's/^/L2| /' # l1-run watches L1's console for L1's own kernel lockups
		rc=${PIPESTATUS[0]}
		kill $watcher 2>/dev/null # (a pcivmm that never started)
		wait $watcher
		again_after_svm_shutdown $attempt $TMPDIR/l2.log "the Linux L2 (--passthrough $4)" || break
	done
	out=$(cat $TMPDIR/l2.log; dmesg | tail -n +$((l1_before + 1)))
	# The L2 ends through the debug-exit port: 0 -> pcivmm status 1.
	case $1 in
	pass) [ $rc -eq 1 ] && grep -q '^L2-RESULT=0' <<<"$out" && ok=0 ;;
	fail) [ $rc -ne 1 ] || grep -q '^L2-RESULT=[1-9]' <<<"$out"; [ $? -eq 0 ] && grep -q -E "$5" <<<"$out" && ok=0 ;;
	esac
	verdict $ok "Linux L2${L2_KERNEL:+ from its $L2_KERNEL}${L2_CMDLINE:+ ($L2_CMDLINE)}, uio_pci_generic, $2 cycles re-enabled by a $3 write, --passthrough $4: expected to $1${5:+ because '$5'} (pcivmm exited $rc)"
	linux_acpi_checks "$out"
	if [ "${L2_KERNEL:-}" = vmlinux ]; then
		grep -q "^pcivmm: $kernel: entered at its PVH entry 0x[0-9a-f]* in 32-bit protected mode" <<<"$out" &&
			grep -q '^L2: boot loader type 0xb0' <<<"$out"
		verdict $? "the vmlinux was entered at its PVH note: Linux's PVH code made its boot_params ($(grep -m1 -o 'entered at its PVH entry .*' <<<"$out"); $(grep -m1 -o 'boot loader type .*' <<<"$out"))"
	else
		grep -q '^L2: boot loader type 0xff' <<<"$out"
		verdict $? "the bzImage was entered with pcivmm's boot_params ($(grep -m1 -o 'boot loader type .*' <<<"$out"))"
	fi
	# The clock pcivmm offers: CPUID's hypervisor bit gives kvm-clock, the CMOS RTC the date.
	grep -q -E '^L2: clocksource kvm-clock, year 20[2-9][0-9]' <<<"$out"
	verdict $? "the Linux L2 keeps time with kvm-clock and read the date from the RTC ($(grep -m1 -o 'clocksource .*' <<<"$out"))"
	[ "$1" = pass ] && line_clean "the Linux L2" "${pt[@]}"
}

# stall_watch LOG BDF...: run in the background beside an L2 whose console
# is LOG; if LOG stops growing for 60 s while the L2's pcivmm lives (its
# guests print a sign of life every few seconds), prints once, as "# stall:"
# lines, what L1 can see of the stuck VM: each pcivmm thread's state, wchan
# and kernel stack, the passed devices' COMMAND/STATUS and edu status, their
# host IRQ's /proc/interrupts line, KVM's exit and injection counters over
# 2 s, and a second of KVM's trace events (the L2's RIPs, its injections and
# EOIs). A lost interrupt and a stuck vCPU look the same from outside.
stall_watch() {
	local log=$1 size=-1 now same=0 pids seen=0
	shift
	while sleep 1; do
		pids=$(pgrep -f "^$P " | tr '\n' ' ')
		[ -n "$pids" ] || { [ $seen = 1 ] && return; continue; }
		seen=1
		now=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$now" != "$size" ]; then size=$now same=0; continue; fi
		same=$((same + 1))
		[ $same -eq 60 ] && { stall_dump "$pids" "$@" 2>&1 | sed 's/^/# stall: /'; return; }
	done
}
# kvm_counters WHEN: KVM's totals (debugfs, over the VMs alive) of what tells
# a running, halted and stuck vCPU apart.
kvm_counters() {
	local ev
	for ev in exits halt_exits halt_wakeup irq_injections irq_exits io_exits mmio_exits; do
		echo "kvm $ev$1: $(cat /sys/kernel/debug/kvm/$ev 2>/dev/null)"
	done
}
stall_dump() {
	local pid task bdf irq KD=/sys/kernel/debug/kvm T=/sys/kernel/tracing ev
	echo "the L2's console has been silent for 60 s; what L1 sees:"
	for pid in $1; do
		for task in /proc/$pid/task/*; do
			echo "$(cat $task/comm) $(cut -d' ' -f3 $task/stat) wchan=$(cat $task/wchan) syscall=$(cut -d' ' -f1-3 $task/syscall 2>/dev/null)"
			sed 's/^/    /' $task/stack 2>/dev/null | head -12
		done
	done
	shift
	for bdf in "$@"; do
		irq=$(cat /sys/bus/pci/devices/$bdf/irq)
		echo "$bdf: COMMAND STATUS $(intx_state $bdf); edu status $(edu_irq_status $bdf); IRQ $irq:$(grep "^ *$irq:" /proc/interrupts | cut -d: -f2-)"
	done
	[ -d $KD ] || mount -t debugfs none /sys/kernel/debug
	kvm_counters ""
	sleep 2
	kvm_counters " 2 s later"
	[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
	[ -d $T/events/kvm ] || return 0
	echo > $T/trace
	for ev in kvm_exit kvm_entry kvm_inj_virq kvm_set_irq kvm_ioapic_set_irq kvm_eoi kvm_ack_irq kvm_apic_accept_irq kvm_userspace_exit kvm_pio kvm_mmio; do
		echo 1 > $T/events/kvm/$ev/enable 2>/dev/null
	done
	sleep 1
	echo 0 > $T/events/kvm/enable
	echo "KVM trace, 1 s ($(grep -c . $T/trace) lines), the last 60:"
	grep -v '^#' $T/trace | tail -60
}

# linux_acpi_checks LOG: the L2's kernel read pcivmm's ACPI tables without
# an error or warning line (at loglevel 4 both reach the console), unless it
# was booted with acpi=off; and each passed device's interrupt is on the
# GSI pcivmm routed it to ("(guest 00:SS.0): ..., INTA -> GSI N", the DSDT's
# _PRT or, with acpi=off, the MP table): /proc/interrupts has N on the IOAPIC.
linux_acpi_checks() {
	local out=$1 gsis gsi bad=""
	if [[ " ${L2_CMDLINE:-} " != *" acpi=off "* ]]; then
		! grep -E 'ACPI (BIOS )?(Error|Warning)' <<<"$out"
		verdict $? "the Linux L2 reads pcivmm's ACPI tables without an error or warning"
	fi
	gsis=$(sed -n 's/^pcivmm: .*(guest 00:[0-9a-f]*\.0): [0-9a-f:]*, INTA -> GSI \([0-9]*\),.*/\1/p' <<<"$out" | sort -u)
	for gsi in $gsis; do
		grep -q -E "^ *$gsi: .* IO-APIC +$gsi-fasteoi .*uio" <<<"$out" || bad+=" $gsi"
	done
	[ -n "$gsis" ] && [ -z "$bad" ]
	verdict $? "the L2's uio interrupts are on the GSIs pcivmm routed (${gsis//$'\n'/ })${bad:+; not on:$bad}"
}

# poll_while_alive PID COMMAND...: runs COMMAND every 0.1 s until it
# succeeds, PID is gone or 60 s have passed; COMMAND's last status, and in
# polls the number of tries.
poll_while_alive() {
	local pid=$1
	shift
	for polls in $(seq 600); do
		"$@" && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	"$@"
}

# vm_killed SIGNAL MARKER LOG REAPER ARGS...: runs pcivmm ARGS with its
# output in LOG and sends SIGNAL a second after the guest printed MARKER (not
# after a fixed delay: under TCG the VM may need seconds to start); with
# REAPER reaper-too (else -) its pcivmm-reaper is SIGKILLed first; with
# reaper-held it is stopped (SIGSTOP) first, and 2 s after pcivmm is gone,
# held_state records what it holds and the passed devices' COMMAND and
# STATUS, before it is let go on (SIGCONT). With
# PENDING=BDF in its environment it also waits (up to 60 s) until L1 reads
# BDF's STATUS.INTERRUPT set: the guest's raise has reached the device, the
# premise of a left-masked check, seen rather than assumed. Waits
# until any reaper has finished its check. pcivmm's status in killed_rc.
vm_killed() {
	local sig=$1 marker=$2 log=$3 reaper=$4 pid i attempt pending="" polls cmd status
	shift 4
	for attempt in $(seq $svm_attempts); do
		reinit_by_l1_driver
		"$P" "$@" </dev/null >"$log" 2>&1 &
		pid=$!
		poll_while_alive $pid grep -q "$marker" "$log"
		sleep 1
		if [ -n "${PENDING:-}" ]; then
			poll_while_alive $pid asserting "$PENDING"
			pending="$? $(( (polls - 1) * 100 ))"
		fi
		[ "$reaper" = reaper-too ] && pkill -KILL -x pcivmm-reaper
		[ "$reaper" = reaper-held ] && pkill -STOP -x pcivmm-reaper
		kill -$sig $pid
		wait $pid
		killed_rc=$?
		if [ "$reaper" = reaper-held ]; then
			sleep 2 # a released device left asserting would storm the line by now
			held_state="reaper holds $(ls -l /proc/$(pgrep -x pcivmm-reaper)/fd 2>/dev/null | grep -c vfio-device) VFIO device file(s);"
			for i in $(passed_bdfs "$@"); do
				read -r cmd status <<<"$(intx_state $i)"
				held_state+=" $i COMMAND $cmd STATUS $status"
			done
			pkill -CONT -x pcivmm-reaper
		fi
		# The reaper finishes its check right after pcivmm is gone.
		for i in $(seq 50); do pgrep -x pcivmm-reaper >/dev/null || break; sleep 0.1; done
		again_after_svm_shutdown $attempt "$log" "the VM for SIG$sig" || break
	done
	[ -n "$pending" ] && verdict ${pending% *} \
		"$PENDING asserts INTx (STATUS.INTERRUPT) before SIG$sig, ${pending#* } ms after marker + 1 s"
	echo "# pcivmm exited $killed_rc after SIG$sig (guest: $marker)"
}

# storm_killed SIGNAL PASSTHROUGH-OPTION [reaper-too]: an endless intx-storm
# on the device, killed with SIGNAL a second into the storm (interrupts in
# flight). pcivmm's status in storm_rc, its output in $TMPDIR/storm.log.
storm_killed() {
	vm_killed $1 '^== intx-storm' $TMPDIR/storm.log ${3:--} --passthrough "$2" \
		--cmdline count=100000000 --kernel "$B/guest-tests/intx-storm.elf"
	storm_rc=$killed_rc
}

# sharer_start SECONDS [BDF]: drives BDF (default EDU_B) from L1 while the
# guests run, for SECONDS at most; sharer_finish stops it (SIGTERM: it ends
# after the cycle in flight) and checks its counts.
sharer_start() {
	sharer_bdf=${2:-$EDU_B}
	"$B/tests/intx-sharer" "$sharer_bdf" "$1" 200 >$TMPDIR/sharer.log 2>&1 &
	sharer_pid=$!
}

sharer_finish() {
	kill -TERM $sharer_pid 2>/dev/null
	wait $sharer_pid
	local rc=$?
	cat $TMPDIR/sharer.log
	verdict $rc "host-side sharer on $sharer_bdf got exactly one interrupt per raise"
}


# The premise of every shared-line test: the edu devices share one host IRQ.
same_host_irq() {
	local a b c
	a=$(cat /sys/bus/pci/devices/$EDU_A/irq) b=$(cat /sys/bus/pci/devices/$EDU_B/irq)
	c=$(cat /sys/bus/pci/devices/$EDU_C/irq)
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
	verdict $? "the edu devices share one host INTx line (IRQs $a, $b, $c)"
}

# finish [expected]: the verdict line. Without "expected" L1's whole log
# must be free of "nobody cared" / "Disabling IRQ"; a job that breaks the
# line on purpose (a negative control) says so and checks it itself.
finish() {
	if [ "${1:-}" != expected ]; then
		! dmesg | grep -i -E 'nobody cared|disabling irq'
		verdict $? "L1's kernel log is free of 'nobody cared' / 'Disabling IRQ'"
	fi
	[ $svm_shutdowns -gt 0 ] &&
		echo "# nested: $svm_shutdowns guest run(s) repeated after an L1 SVM shutdown (tcg_svm_shutdown)"
	# What a --seccomp log run let through (SECCOMP_RET_LOG: the kernel's
	# audit record, syscall=N), for whoever widens a filter (sandbox_policy.c).
	dmesg | grep -E 'type=1326' | sed -E 's/.*comm="([^"]*)".*syscall=([0-9]+).*/# seccomp log: \1 made system call \2/' | sort | uniq -c
	echo "nested: $fails failed"
	exit $((fails > 0))
}
