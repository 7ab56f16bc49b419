# vmm-share.sh BUILD [REPS]: a measurement, not a test. How much of a Linux
# L2's init and of its uio cycle any VMM could save, on the vmlinux and on
# the bzImage, REPS runs each (default 2): tests/nested/vmm-share.py, which
# says how. Run: scripts/nested/l1-run [--stack current] tests/nested/jobs/vmm-share.sh BUILD
. "$(dirname "$0")/lib.sh"
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing ||
	{ echo "not ok - cannot mount tracefs"; exit 1; }
"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" ||
	{ echo "not ok - cannot build the L2 initramfs"; exit 1; }
"$S/scripts/vmlinux-from-bzimage" /boot/vmlinuz-"$(uname -r)" $TMPDIR/vmlinux ||
	{ echo "not ok - cannot extract the vmlinux"; exit 1; }
echo "vmm-share: L1 $(uname -r), $(nproc) vCPUs"
for kernel in $TMPDIR/vmlinux /boot/vmlinuz-"$(uname -r)"; do
	for ((i = 0; i < ${2:-2}; i++)); do
		python3 "$S/tests/nested/vmm-share.py" "$B" $TMPDIR/l2.cpio.gz "$kernel" || fails=$((fails + 1))
	done
done
finish
