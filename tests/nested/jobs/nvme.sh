# A storage device with many MSI-X vectors: QEMU's nvme in L1 (on a blank
# disk, l1-run --disk) passed, managed, to a Linux L2 with 2 vCPUs whose nvme
# driver takes one MSI-X vector per queue (admin + one I/O queue per vCPU).
# The L2 writes random data over the namespace from both vCPUs
# (tests/nested/nvme-l2) and reads it back past its page cache; when pcivmm
# has given the device back, L1's own nvme driver reads the same blocks and
# must get the same checksum. Then a VM killed
# with SIGKILL mid-write (DMA in flight): the device must come back to L1's
# driver working (pcivmm's reaper gives it back, VFIO resets it on release
# by FLR), and the next VM's L2 must find it clean and pass again.
. "$(dirname "$0")/lib.sh"
NVME=0000:00:18.0
MiB=16
modprobe nvme || { echo "not ok - modprobe nvme"; exit 1; }

# l1_sum: the sha256 of the namespace's first $MiB MiB, read by L1's
# nvme driver with O_DIRECT (waits up to 20 s for the driver to have it).
l1_sum() {
	local i
	for i in $(seq 200); do [ -b /dev/nvme0n1 ] && break; sleep 0.1; done
	dd if=/dev/nvme0n1 bs=1M count=$MiB iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1
}
drv() { basename "$(readlink /sys/bus/pci/devices/$NVME/driver 2>/dev/null)"; }

[ "$(drv)" = nvme ] && [ -n "$(l1_sum)" ]
verdict $? "L1's nvme driver has $NVME and reads it"
"$P" check $NVME >$TMPDIR/check.out 2>&1
sed 's/^/# check| /' $TMPDIR/check.out
grep -q -E '^ *reset: .*flr' $TMPDIR/check.out
verdict $? "pcivmm check names the NVMe's reset methods ($(grep -m1 'reset:' $TMPDIR/check.out | tr -s ' '))"

"$S/scripts/busybox-initramfs" --reboot --run "$S/tests/nested/nvme-l2" $TMPDIR/nvme.cpio.gz nvme >/dev/null ||
	{ echo "not ok - busybox-initramfs"; exit 1; }
l2() { # l2 MODE: the pcivmm arguments of an L2 in guest.nvme=MODE, in l2_args
	l2_args=(--cpus 2 --mem 512M --passthrough $NVME,managed --kernel /boot/vmlinuz-"$(uname -r)"
		--initrd $TMPDIR/nvme.cpio.gz
		--cmdline "console=ttyS0 reboot=pci loglevel=4 guest.nvme=$1 guest.nvme_mib=$MiB")
}

# nvme_write WHAT: one L2 in write mode; its checks, then L1's readback.
nvme_write() {
	local what=$1 rc out pattern vectors
	l2 write
	l2_run $TMPDIR/nvme.log "$what" "${l2_args[@]}"
	rc=$l2_rc
	out=$(tr -d '\r' <$TMPDIR/nvme.log)
	[ $rc -eq 0 ] && grep -q '^guest: PCI 0000:00:01.0 1b36:0010 driver nvme' <<<"$out"
	verdict $? "$what: the L2's nvme driver runs the passed NVMe; the run ends cleanly (pcivmm exited $rc)"
	# The vectors the driver set up (admin + one I/O queue per vCPU), and
	# the I/O queues' vectors that took interrupts (busybox-initramfs lists
	# those): both, as the L2 writes from both vCPUs.
	vectors=$(grep -c -E '^guest: irq .*PCI-MSI.* nvme0q[1-9][0-9]*$' <<<"$out")
	grep -q -E '^guest: nvme vectors 3 \(nvme0q0 nvme0q1 nvme0q2 \)' <<<"$out" && [ "$vectors" -eq 2 ]
	verdict $? "$what: MSI-X, one vector per queue ($(grep -m1 -o 'nvme vectors.*' <<<"$out"); $vectors I/O queue vectors took interrupts)"
	pattern=$(sed -n 's/^guest: nvme pattern \([0-9a-f]*\)$/\1/p' <<<"$out")
	[ -n "$pattern" ] && grep -q "^guest: nvme readback $pattern\$" <<<"$out"
	verdict $? "$what: the L2 reads back the $MiB MiB it wrote (sha256 ${pattern:0:16}...)"
	[ "$(drv)" = nvme ] && [ -n "$pattern" ] && [ "$(l1_sum)" = "$pattern" ]
	verdict $? "$what: given back to L1's nvme driver ($(drv)), L1 reads the same $MiB MiB"
	line_clean "$what" --passthrough $NVME
}

nvme_write "first VM"
l2 endless
vm_killed KILL '^guest: nvme writing' $TMPDIR/killed.log - "${l2_args[@]}"
grep -q '^guest: nvme writing' $TMPDIR/killed.log
verdict $? "a VM writing to the NVMe is killed with SIGKILL mid-write (pcivmm exited $killed_rc)"
# The reaper gives a managed device back after SIGKILL; L1's driver resets
# the controller at probe and must find it working.
for i in $(seq 100); do [ "$(drv)" = nvme ] && break; sleep 0.1; done
# Every pass of the killed VM wrote the same pattern, so whatever was in
# flight, L1 must read exactly it.
pattern=$(tr -d '\r' <$TMPDIR/killed.log | sed -n 's/^guest: nvme pattern \([0-9a-f]*\)$/\1/p')
[ "$(drv)" = nvme ] && [ -n "$pattern" ] && [ "$(l1_sum)" = "$pattern" ]
verdict $? "after the SIGKILL L1's nvme driver has the device back ($(drv)) and reads what the killed VM wrote"
nvme_write "the VM after the killed one"
finish
