# In an L1 booted without an IOMMU (l1-run --iommu off): pcivmm must say so
# in one line, exit 6.
PCIVMM_NO_BIND=1 . "$(dirname "$0")/lib.sh"
# Without an IOMMU group vfio-pci cannot even bind the device.
out=$("$B/pcivmm" --passthrough $EDU_A --kernel "$B/guest-tests/intx-basic.elf" 2>&1 </dev/null)
rc=$?
echo "$out"
[ $rc -eq 6 ] && [ "$(wc -l <<<"$out")" -eq 1 ] &&
	grep -q "no IOMMU group" <<<"$out"
verdict $? "no IOMMU: one line naming the device and the fix, exit 6 (got $rc)"
out=$("$B/pcivmm" check $EDU_A 2>&1); rc=$?
echo "$out"
[ $rc -eq 12 ] && grep -q -- "- no IOMMU group: turn the IOMMU on" <<<"$out"
verdict $? "pcivmm check says the same before any VM: exit $rc"
finish
