# The README demo, inside L1: both QEMU edu devices, which share one host
# INTx line, are passed to one guest in slots 4 and 8 (one guest GSI), and
# intx-shared and intx-mask run on them. Prints a short report.
. "$(dirname "$0")/lib.sh"
echo "== pcivmm demo =="
for d in $EDU_A $EDU_B; do
	echo "host $d: $(cat /sys/bus/pci/devices/$d/vendor):$(cat /sys/bus/pci/devices/$d/device) driver $(basename "$(readlink /sys/bus/pci/devices/$d/driver)"), host IRQ $(cat /sys/bus/pci/devices/$d/irq)"
done
guest pass intx-shared --passthrough $EDU_A,slot=4 --passthrough $EDU_B,slot=8 --cmdline rounds=1000
cp $TMPDIR/guest.log $TMPDIR/shared.log
guest pass intx-mask --passthrough $EDU_A,slot=4 --passthrough $EDU_B,slot=8
cp $TMPDIR/guest.log $TMPDIR/mask.log
guest pass intx-storm --passthrough $EDU_A,slot=4 --cmdline count=5000
cp $TMPDIR/guest.log $TMPDIR/storm.log
echo
echo "==== report ===="
grep -E '^pcivmm: 0000' $TMPDIR/shared.log | grep -- '->' | grep via | sed 's/^pcivmm: /device: /'
grep -E '^(ok|not ok) [0-9]+ - (both|interleaved|simultaneous)' $TMPDIR/shared.log | sed 's/^/shared line: /'
grep '^intx-shared:' $TMPDIR/shared.log | sed 's/^intx-shared: /shared line: /'
echo "mask checks: $(grep -c '^ok ' $TMPDIR/mask.log) passed, $(grep -c '^not ok ' $TMPDIR/mask.log) failed (intx-mask on a passed-through edu)"
echo "rate: $(grep '^intx-storm:' $TMPDIR/storm.log | sed 's/^intx-storm: //') (nested: L1 is QEMU TCG)"
finish
