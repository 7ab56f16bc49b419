# The control plane with a Linux L2 (doc/api.md): EDU_A passed at boot to
# guest slot 4, bound to uio_pci_generic and stormed the whole time, while
# L1 drives EDU_B on the same host line; EDU_C (the same host line too) is
# hot-added through the API into guest slot 8 (the same guest GSI as slot
# 4), managed: bound to vfio-pci for it. Linux's acpiphp scans the slot,
# uio_pci_generic binds it, uio-intx storms it; then vm.remove-device: the
# guest's acpiphp ejects it and the API answers. Every count exact on both
# sides, EDU_C back on its driver (none) with its line quiet; then the API's
# power button: the L2's button driver reports the press, its init powers
# off, pcivmm exits 0. The timings of plug and unplug are printed.
. "$(dirname "$0")/lib.sh"
same_host_irq
[ -f $TMPDIR/l2.cpio.gz ] ||
	"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" || { echo "not ok - l2-initramfs"; exit 1; }
# EDU_C as a user's device: on no driver until the API's managed plug takes it.
"$S/scripts/vfio-bind" --unbind $EDU_C >/dev/null
driver_of() { basename "$(readlink /sys/bus/pci/devices/$1/driver 2>/dev/null)" 2>/dev/null; }
[ -z "$(driver_of $EDU_C)" ]
verdict $? "$EDU_C starts on no driver ($(driver_of $EDU_C))"

sock=$TMPDIR/api.sock events=$TMPDIR/events log=$TMPDIR/hotplug.log
ctl() { "$B/pcivmm-ctl" --api-socket "$sock" "$@"; }
# wait_l2 TEXT SECONDS: until the L2's console has TEXT (pcivmm still running).
wait_l2() {
	local i
	for i in $(seq $(($2 * 10))); do
		grep -q "$1" $log && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	grep -q "$1" $log
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

sharer_start 900
# One L2 through the whole scenario; its verdicts in a file, so that an L2
# whose vCPU L1's emulated SVM shut down (tcg_svm_shutdown) runs again, as
# the other jobs' L2s do, with only the last attempt's verdicts counted.
scenario() {
	fails=0
	rm -f "$events"
	reinit_by_l1_driver
	"$P" --mem 512M --api-socket "path=$sock" --event-monitor "path=$events" \
		--passthrough $EDU_A,slot=4 --kernel /boot/vmlinuz-"$(uname -r)" --initrd $TMPDIR/l2.cpio.gz \
		--cmdline "console=ttyS0 rdinit=/init loglevel=4 uio_hotplug=1 uio_count=600 uio_shape=byte" \
		</dev/null >$log 2>&1 &
	pid=$!
	tail -f $log --pid=$pid 2>/dev/null | sed -u 's/^/L2| /' &

	wait_l2 'L2: ready for a hot-plug' 300
	verdict $? "the L2 booted, EDU_A bound to uio_pci_generic and storming"
	t0=$(date +%s%N)
	out=$(ctl add-device $EDU_C,slot=8,managed)
	verdict $? "pcivmm-ctl add-device $EDU_C,slot=8,managed: $out"
	[ "$(driver_of $EDU_C)" = vfio-pci ]
	verdict $? "managed: $EDU_C is on vfio-pci while the guest has it ($(driver_of $EDU_C))"
	wait_l2 'L2: hot-plugged, bound to uio_pci_generic: .*0000:00:08.0' 120
	verdict $? "the L2's acpiphp found the device in slot 8 and uio_pci_generic bound it ($(grep -m1 -o 'hot-plugged.*' $log))"
	echo "# hot-add -> bound in the L2: $(ms_since $t0) ms"
	ctl info | sed 's/^/# /'
	wait_l2 'L2: done with the plugged device' 600
	verdict $? "uio-intx on the plugged device finished ($(grep -m1 -o 'uio-intx: uio1.*' $log))"
	t0=$(date +%s%N)
	out=$(ctl remove-device passthrough1 2>&1)
	verdict $? "pcivmm-ctl remove-device passthrough1 answered once the guest ejected it: $out"
	echo "# remove -> the guest ejected it, device back on the host: $(ms_since $t0) ms"
	[ -z "$(driver_of $EDU_C)" ]
	verdict $? "$EDU_C is back on its driver (none) after the unplug ($(driver_of $EDU_C))"
	line_clean "the unplug" --passthrough $EDU_C
	wait_l2 'L2: the plugged device is gone' 120
	verdict $? "the L2 saw the device go ($(grep -m1 -o 'the plugged device is gone.*' $log))"
	wait_l2 'L2: waiting for the power button on /dev/input/event' 300
	verdict $? "the L2 has the ACPI power button ($(grep -m1 -o 'waiting for the power button.*' $log))"
	ctl power-button | sed 's/^/# /'
	for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	kill -0 $pid 2>/dev/null && { kill -TERM $pid; echo "# pcivmm still running 60 s after the power button"; }
	wait $pid
	rc=$?
	[ $rc = 0 ] && grep -q 'L2: power button pressed; powering off' $log && grep -q 'reboot: Power down' $log
	verdict $? "the power button reached the L2's user space as a key press, which powered off: pcivmm exit 0 (exit $rc)"
	grep -q '^L2-RESULT=0' $log
	verdict $? "in the L2 every uio-intx count was exact and no 'nobody cared' ($(grep -m1 '^L2-RESULT' $log))"
	grep -o '"event":"[a-z-]*"' $events | tr '\n' ' ' | sed 's/^/# events: /'
	echo
	python3 - "$events" <<-'PY'
	import json, sys
	ev = [json.loads(l) for l in open(sys.argv[1])]
	names = [e["event"] for e in ev]
	want = ["booted", "device-added", "device-removed", "guest-power-off", "exit"]
	sys.exit(0 if names == want and ev[-1]["properties"] == {"reason": "guest-power-off", "status": 0} else 1)
	PY
	verdict $? "events: booted, device-added, device-removed, guest-power-off, exit (guest-power-off, 0)"
	[ ! -e "$sock" ]
	verdict $? "the API socket is gone"
	exit $fails
}
for attempt in $(seq $svm_attempts); do
	(scenario) >$TMPDIR/scenario.out 2>&1
	rc=$?
	[ $rc -ne 0 ] && again_after_svm_shutdown $attempt $log "the hot-plug L2" && continue
	break
done
cat $TMPDIR/scenario.out
fails=$((fails + rc))
sharer_finish
line_clean "the VM" --passthrough $EDU_A
finish
