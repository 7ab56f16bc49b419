#!/bin/bash
# rom-peer.sh ELF ROMFILE: the rom guest under QEMU against an edu whose ROM
# is ROMFILE: it must pass and hash exactly the file's images (rom-hash.py).
set -u
elf=$1 romfile=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -r "$romfile" ] || { echo "SKIP: $romfile missing (Debian's ipxe-qemu, which qemu-system-x86 pulls in)"; exit 77; }
out=$("$here/qemu-peer.sh" "$elf" -vga none -nic none -device "edu,romfile=$romfile")
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || exit 1
want=$(python3 "$here/../rom-hash.py" "$romfile")
got=$(sed -n 's/^rom: \([0-9]*\) bytes, fnv1a64 \(0x[0-9a-f]*\)/\1 \2/p' <<<"$out")
[ "$got" = "$want" ] || { echo "not ok - the guest read '$got', the file is '$want'"; exit 1; }
echo "ok - the guest read the ROM file's images exactly ($want)"
