#!/bin/bash
# The same test ELF under QEMU (TCG, its PVH entry, an emulated edu): the
# guest library's fallback discovery path. A pass there is the ACPI
# power-off (status 0) where SeaBIOS put the PM block at 0x600, else
# debug-exit 0 (status 1).
set -u
elf=$1
shift
command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: qemu-system-x86_64 not installed"; exit 77; }
out=$(timeout 120 qemu-system-x86_64 -kernel "$elf" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	"$@" -display none -serial stdio -monitor none </dev/null 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -le 1 ] && grep -q '^PASS:' <<<"$out" && grep -q 'no FDT: scanning PCI' <<<"$out" ||
	{ echo "qemu-peer: QEMU exited $rc"; exit 1; }
