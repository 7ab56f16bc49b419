# Hostile guests and hostile ends, on passed-through devices, while L1
# drives the third edu on the same host line:
#  - adversary (config writes at every offset and width, BARs moved onto
#    RAM, the IOAPIC, the LAPIC, ECAM and the other device, past-the-end
#    MMIO, INTX_DISABLE toggled at full speed), then a normal test on the
#    same device;
#  - dma-confined: in-RAM DMA byte for byte, DMA outside guest RAM blocked
#    by the IOMMU (L1 logs a DMA remapping fault for the device);
#  - SIGINT, SIGTERM and SIGKILL in the middle of an INTx storm: the host
#    line stays clean (after SIGKILL thanks to pcivmm-reaper), the sharer
#    misses nothing, and the next run is exact.
# (Back-to-back runs and fault injection on VFIO: the restarts and faults jobs.)
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 240 $EDU_C

guest pass adversary --passthrough $EDU_A --passthrough $EDU_B --cmdline toggles=20000
guest pass intx-mask --passthrough $EDU_A

before=$(dmesg | wc -l)
guest pass dma-confined --mem 128M --passthrough $EDU_A --cmdline "outside=0x0f000000 high=0x7f00000"
faults=$(dmesg | tail -n +$((before + 1)) | grep -i -E 'DMAR:.*(fault|Request device)')
echo "$faults"
grep -q -i '00:04.0' <<<"$faults" && grep -q -i 'f000000' <<<"$faults"
verdict $? "DMA outside guest RAM: L1's IOMMU reported a fault for 00:04.0 at the address"

# kill_mid_storm SIGNAL EXPECTED-STATUS
kill_mid_storm() {
	local sig=$1 want=$2
	storm_killed $sig $EDU_A
	cat $TMPDIR/storm.log
	[ $storm_rc -eq $want ]
	verdict $? "SIG$sig in the middle of an INTx storm: pcivmm exited $storm_rc (want $want)"
	line_clean "SIG$sig mid-storm" --passthrough $EDU_A
	guest pass intx-storm --passthrough $EDU_A --cmdline count=2000
}
kill_mid_storm INT 10
kill_mid_storm TERM 10
kill_mid_storm KILL 137

sharer_finish
finish
