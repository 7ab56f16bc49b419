# Benchmark, inside one L1: the same intx-storm ELF on the same passed-
# through edu, under pcivmm and under QEMU 7.2 (-accel kvm, vfio-pci, PVH
# -kernel). Prints raise->interrupt->ack cycles per second and the ratio.
. "$(dirname "$0")/lib.sh"
count=${2:-5000}
rate() { sed -n 's/^intx-storm: .*: \([0-9]*\) cycles\/s.*/\1/p' "$1" | tail -1; }

timeout 300 "$B/pcivmm" --passthrough $EDU_A --cmdline "count=$count" \
	--kernel "$B/guest-tests/intx-storm.elf" </dev/null 2>&1 | tee $TMPDIR/pcivmm.log
timeout 300 qemu-system-x86_64 -machine pc -accel kvm -cpu host -m 256 -nodefaults \
	-device vfio-pci,host=$EDU_A -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$B/guest-tests/intx-storm.elf" -append "count=$count" \
	-display none -serial stdio -monitor none </dev/null 2>&1 | tee $TMPDIR/qemu.log
p=$(rate $TMPDIR/pcivmm.log) q=$(rate $TMPDIR/qemu.log)
if [ -z "$p" ] || [ -z "$q" ]; then
	echo "bench: a run produced no rate (pcivmm '$p', QEMU '$q')"
	exit 1
fi
echo "bench: intx-storm on a passed-through edu, $count cycles: pcivmm $p/s, QEMU $q/s, ratio pcivmm/QEMU $(awk "BEGIN { printf \"%.2f\", $p / $q }")"
