# The control plane against QEMU's QMP (tests/nested/api_bench.py): API round
# trips, and hot-plug and unplug of an edu into a Linux L2, on both VMMs in
# one L1, alternating, REPS ($2, default 5) times each. Ratios, never asserted.
. "$(dirname "$0")/lib.sh"
command -v qemu-system-x86_64 >/dev/null || { echo "not ok - the bench needs qemu-system-x86_64"; exit 1; }
"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" ||
	{ echo "not ok - cannot build the L2 initramfs"; exit 1; }
echo "bench: peer $(qemu-system-x86_64 --version | head -1); L1 kernel $(uname -r), $(nproc) vCPUs"
python3 "$S/tests/nested/api_bench.py" "$B" $TMPDIR/l2.cpio.gz "${2:-5}"
verdict $? "the API and hot-plug benchmark ran on both VMMs"
finish
