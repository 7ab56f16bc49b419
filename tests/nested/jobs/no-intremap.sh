# In an L1 whose IOMMU cannot remap interrupts (l1-run --iommu no-intremap),
# VFIO refuses the container: pcivmm must name that, in one line, exit 6.
. "$(dirname "$0")/lib.sh"
out=$("$B/pcivmm" --passthrough $EDU_A --kernel "$B/guest-tests/intx-basic.elf" 2>&1 </dev/null)
rc=$?
echo "$out"
[ $rc -eq 6 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "no interrupt remapping" <<<"$out"
verdict $? "no interrupt remapping: one line naming the device and the fix, exit 6 (got $rc)"
[ "$(basename "$(readlink /sys/bus/pci/devices/$EDU_A/driver)")" = vfio-pci ]
verdict $? "the device is left bound to vfio-pci as it was"
out=$("$B/pcivmm" check $EDU_A 2>&1); rc=$?
echo "$out"
[ $rc -eq 12 ] && grep -q "interrupt remap: *off" <<<"$out" &&
	grep -q -- "- no interrupt remapping, so VFIO refuses the group" <<<"$out"
verdict $? "pcivmm check says the same before any VM: exit $rc"
finish
