# Benchmark, inside one L1 (scripts/bench; meson test --suite bench): every
# workload of tests/nested/bench.py on pcivmm and on QEMU (-accel kvm,
# vfio-pci; 7.2, or QEMU 10 on the current leg) with the same passed-through edu and the same guest,
# alternating, REPS ($2, default 5) times each (only the workloads named,
# comma-separated, in $3 if given). scripts/bench turns the
# "bench-csv:" lines into the table, the CSV and the plot.
. "$(dirname "$0")/lib.sh"
# The fourth edu (scripts/bench's l1-run --device edu,addr=0x10).
"$S/scripts/vfio-bind" 0000:00:10.0 >/dev/null || { echo "not ok - cannot bind 0000:00:10.0 to vfio-pci"; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "not ok - bench needs qemu-system-x86_64"; exit 1; }
"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" ||
	{ echo "not ok - cannot build the L2 initramfs"; exit 1; }
"$S/scripts/vmlinux-from-bzimage" /boot/vmlinuz-"$(uname -r)" $TMPDIR/vmlinux ||
	{ echo "not ok - cannot extract the vmlinux"; exit 1; }
# On the current leg (l1-run --stack current: the kernel's modroot is in the
# cache beside QEMU 10) the peer is that QEMU 10, else the system's QEMU 7.2.
modroot=$(sed -n 's/.*pcivmm\.modroot=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -x "${modroot%/linux}/qemu/usr/bin/qemu-system-x86_64" ]; then
	export PCIVMM_BENCH_QEMU_DIR=${modroot%/linux}/qemu
	qemu_version=$(QEMU_MODULE_DIR=$PCIVMM_BENCH_QEMU_DIR/usr/lib/x86_64-linux-gnu/qemu \
		"$PCIVMM_BENCH_QEMU_DIR/usr/bin/qemu-system-x86_64" --version | head -1)
else
	qemu_version=$(qemu-system-x86_64 --version | head -1)
fi
echo "bench: peer $qemu_version; L1 kernel $(uname -r)"
echo "bench: L1 $(nproc) vCPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB; THP $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
BENCH_ONLY=${3:-} python3 "$S/tests/nested/bench.py" "$B" $TMPDIR/l2.cpio.gz "${2:-5}"
