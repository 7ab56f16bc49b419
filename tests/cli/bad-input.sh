#!/bin/bash
# bad-input.sh PCIVMM GOOD_ELF: the bad-input matrix that needs no host
# device and no /dev/kvm (the nested `guests` job has the device rows).
# Each row of the table below is: exit status @@ the exact message (one line
# on stderr) @@ the arguments (shell words; $dir, $elf, $bz expand). A row
# passes when pcivmm exits with that status, prints exactly that one line,
# and leaves nothing behind: pcivmm writes only --dump-dtb's file (as
# FILE.tmp.PID, renamed), and runs here with a scratch working directory and
# TMPDIR, so those and the --dump-dtb directory must stay empty.
set -u
pcivmm=$(readlink -f "$1") elf=$(readlink -f "$2")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/cwd" "$dir/tmp" "$dir/dtb"
fail=0 rows=0

# The files the rows use.
head -c 100 "$elf" >"$dir/truncated-header.elf"
head -c 5000 "$elf" >"$dir/truncated.elf"
cp "$elf" "$dir/no-entry.elf"
printf '\0\0\0\0\0\0\0\0' | dd of="$dir/no-entry.elf" bs=1 seek=24 conv=notrunc status=none # e_entry
: >"$dir/empty"
mkfifo "$dir/fifo"
: >"$dir/empty.img"
truncate -s 2G "$dir/huge" # sparse: read whole it would cost 2 GiB before its header says no
echo "not a kernel, just text" >"$dir/text"
# A bzImage setup header that is not relocatable and wants to load at 0 (fuzz seed).
tail -c +2 "$(dirname "$0")/../fuzz/corpus/boot/bzimage-low-nonreloc" >"$dir/low.bzImage"
# Where the ELF's first program header's bytes end (p_offset + p_filesz):
# the truncated copy's error names it.
seg0_end=$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read()
phoff = struct.unpack_from("<Q", d, 32)[0]
off, filesz = struct.unpack_from("<Q", d, phoff + 8)[0], struct.unpack_from("<Q", d, phoff + 32)[0]
print(off + filesz)' "$elf")
bz=$(ls /boot/vmlinuz-* 2>/dev/null | head -1)
long=$(printf 'x%.0s' $(seq 4100))
big_cmdline=$(head -c 20000 /dev/zero | tr '\0' a)

row() { # row STATUS MESSAGE ARGS-STRING
	local want_rc=$1 want=$2 rc got left
	eval "set -- $3"
	rows=$((rows + 1))
	(cd "$dir/cwd" && TMPDIR=$dir/tmp timeout 20 "$pcivmm" "$@" >"$dir/out" 2>"$dir/err" </dev/null)
	rc=$?
	got=$(cat "$dir/err")
	left=$(find "$dir/cwd" "$dir/tmp" "$dir/dtb" -mindepth 1)
	if [ $rc -eq "$want_rc" ] && [ "$got" = "$want" ] && [ -z "$left" ]; then
		echo "ok - exit $rc: ${got:0:160}"
	else
		args="$*"
		echo "not ok - pcivmm ${args:0:200}: exit $rc (want $want_rc)${left:+, left behind: $left}"
		echo "#  got:  ${got:0:300}"
		echo "#  want: ${want:0:300}"
		fail=1
	fi
}

while IFS= read -r line; do
	[[ -z $line || $line == \#* ]] && continue
	rc=${line%%@@*} rest=${line#*@@}
	msg=${rest%%@@*} args=${rest#*@@}
	eval "msg=\"$msg\""
	row "$rc" "$msg" "$args"
done <<'TABLE'
# status @@ exact message @@ arguments
2@@pcivmm: error: --passthrough 00:zz.9: Invalid slot number; give a BDF like 0000:00:04.0@@--passthrough 00:zz.9 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0: bad option 'slot=0'; use slot=N (1-31), backend=vfio|kvm-assign, managed, msix=on|off@@--passthrough 00:04.0,slot=0 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0: managed binds the device to vfio-pci; it cannot go with backend=kvm-assign@@--passthrough 00:04.0,managed,backend=kvm-assign --kernel "$elf"
2@@pcivmm: error: release: no device given; usage: pcivmm release BDF... (see pcivmm release --help)@@release
2@@pcivmm: error: check: no device given; usage: pcivmm check [--json] [--mem SIZE] BDF... (see pcivmm check --help)@@check
2@@pcivmm: error: check: unknown option '--yaml'; see pcivmm check --help@@check --yaml 00:00.0
0@@@@check --help
0@@@@release --help
2@@pcivmm: error: --passthrough 00:04: no function number; give one function, like 00:04.0@@--passthrough 00:04 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0: slot given twice; give it once@@--passthrough 00:04.0,slot=1,slot=2 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0: bad option 'managed=1'; use slot=N (1-31), backend=vfio|kvm-assign, managed, msix=on|off@@--passthrough 00:04.0,managed=1 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0: bad option 'slot'; use slot=N (1-31), backend=vfio|kvm-assign, managed, msix=on|off@@--passthrough 00:04.0,slot --kernel "$elf"
2@@pcivmm: error: --testdev=3,3: two slots; give one@@--testdev=3,3 --kernel "$elf"
2@@pcivmm: error: --kernel given twice; give it once@@--kernel "$elf" --kernel "$elf"
2@@pcivmm: error: --log-level loud: use error, warning, info or debug@@--log-level loud --kernel "$elf"
2@@pcivmm: error: -v is --log-level debug; give one of the two@@-v --log-level info --kernel "$elf"
2@@pcivmm: error: --log-file: the path is empty; give a file to append to@@--log-file '' --kernel "$elf"
2@@pcivmm: error: --log-level given twice; give it once@@--log-level info --log-level debug --kernel "$elf"
2@@pcivmm: error: check 00:zz.0: Invalid slot number; give a BDF like 0000:00:04.0@@check 00:zz.0
2@@pcivmm: error: 0000:7f:1f.7: no such PCI device on this host; check the address with lspci -D@@check 7f:1f.7
2@@pcivmm: error: check --mem lots: not a size; use e.g. 256M or 1G@@check --mem lots 00:00.0
2@@pcivmm: error: --passthrough: no device given; give a BDF like 0000:00:04.0@@--passthrough '' --kernel "$elf"
2@@pcivmm: error: --passthrough *:*.*: wildcards are not allowed; give one device like 0000:00:04.0@@--passthrough '*:*.*' --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0 is given twice (options 1 and 2); pass each device once@@--passthrough 00:04.0 --passthrough 0000:00:04.0 --kernel "$elf"
2@@pcivmm: error: --passthrough 0000:00:04.0,slot=6 and --passthrough 0000:00:08.0,slot=6 want the same guest slot; pick another@@--passthrough 00:04.0,slot=6 --passthrough 00:08.0,slot=6 --kernel "$elf"
2@@pcivmm: error: --testdev=0: slot 0 is the host bridge; use 1 to 31@@--testdev=0 --kernel "$elf"
2@@pcivmm: error: --testdev=32: '32' is not a slot (1-31) or fault=NAME@@--testdev=32 --kernel "$elf"
2@@pcivmm: error: --testdev: unknown fault 'melt'; use ignore-intx-disable or stale-status@@--testdev=fault=melt --kernel "$elf"
2@@pcivmm: error: --mem 0: out of range; use 16M to 512G@@--mem 0 --kernel "$elf"
2@@pcivmm: error: --mem 1T: out of range; use 16M to 512G@@--mem 1T --kernel "$elf"
2@@pcivmm: error: --mem lots: not a size; use e.g. 256M or 1G@@--mem lots --kernel "$elf"
2@@pcivmm: error: --mem 16385K: not a whole number of 4 KiB pages@@--mem 16385K --kernel "$elf"
2@@pcivmm: error: --cpus 0: use a number from 1 to 64@@--cpus 0 --kernel "$elf"
2@@pcivmm: error: --cpus 65: use a number from 1 to 64@@--cpus 65 --kernel "$elf"
2@@pcivmm: error: --cpus two: use a number from 1 to 64@@--cpus two --kernel "$elf"
2@@pcivmm: error: --cmdline: 20000 bytes; at most 16383 fit the boot data@@--cmdline "$big_cmdline" --kernel "$elf"
2@@pcivmm: error: unknown option '--frobnicate'; see pcivmm --help@@--frobnicate --kernel "$elf"
2@@pcivmm: error: --kernel needs a value; see pcivmm --help@@--kernel
2@@pcivmm: error: unexpected argument 'extra'; see pcivmm --help@@--kernel "$elf" extra
2@@pcivmm: error: nothing to boot; give --kernel FILE (see pcivmm --help)@@--mem 1G
2@@pcivmm: error: --dump-dtb $dir/missing-dir/m.dtb: directory $dir/missing-dir: No such file or directory; create it or pick a writable one@@--dump-dtb "$dir/missing-dir/m.dtb" --kernel "$elf"
2@@pcivmm: error: --dump-dtb: the file name is too long; use a path of at most 4064 characters, or - for stdout@@--dump-dtb "$dir/dtb/$long" --kernel "$elf"
2@@pcivmm: error: --dump-dtb $dir/dtb: is a directory; give a file name in it, or - for stdout@@--dump-dtb "$dir/dtb" --kernel "$elf"
2@@pcivmm: error: --dump-acpi $elf: not a directory; give a directory, made if missing@@--dump-acpi "$elf" --kernel "$elf"
2@@pcivmm: error: --dump-acpi: the directory name is empty; give a directory, made if missing@@--dump-acpi ""
2@@pcivmm: error: --dump-acpi $dir/missing-dir/acpi: directory $dir/missing-dir: No such file or directory; create it or pick a writable one@@--dump-acpi "$dir/missing-dir/acpi"
2@@pcivmm: error: --mem 0: out of range; use 16M to 512G@@--mem 0 --dump-dtb "$dir/dtb/m.dtb" --kernel "$elf"
2@@pcivmm: error: --initrd $elf: only Linux guests (a bzImage, or a vmlinux with a PVH entry) take an initrd@@--kernel "$elf" --initrd "$elf"
4@@pcivmm: error: $dir/missing.elf: No such file or directory; check the path@@--kernel "$dir/missing.elf"
4@@pcivmm: error: $dir/empty: neither a 64-bit ELF nor a Linux bzImage (file is truncated or empty)@@--kernel "$dir/empty"
4@@pcivmm: error: $dir/text: neither a 64-bit ELF nor a Linux bzImage (file is truncated or empty)@@--kernel "$dir/text"
4@@pcivmm: error: $dir: not a regular file@@--kernel "$dir"
4@@pcivmm: error: $dir/fifo: not a regular file@@--kernel "$dir/fifo"
4@@pcivmm: error: $dir/huge: neither a 64-bit ELF nor a Linux bzImage@@--kernel "$dir/huge"
4@@pcivmm: error: $dir/truncated-header.elf: truncated or malformed ELF program headers@@--kernel "$dir/truncated-header.elf"
4@@pcivmm: error: $dir/truncated.elf: truncated: segment 0 needs bytes up to $seg0_end, file has 5000@@--kernel "$dir/truncated.elf"
4@@pcivmm: error: $dir/no-entry.elf: ELF has no entry point (e_entry is 0); set ENTRY() in the linker script@@--kernel "$dir/no-entry.elf"
4@@pcivmm: error: $dir/truncated.elf: truncated: segment 0 needs bytes up to $seg0_end, file has 5000@@--dump-dtb "$dir/dtb/m.dtb" --kernel "$dir/truncated.elf"
4@@pcivmm: error: $dir/low.bzImage: not relocatable and wants to load at 0x0, below 1 MiB where the boot data goes; build it with CONFIG_RELOCATABLE or a higher CONFIG_PHYSICAL_START@@--kernel "$dir/low.bzImage"
TABLE

# Rows that need Debian's bzImage (an initrd only goes with one).
if [ -n "$bz" ]; then
	row 4 "pcivmm: error: $dir/fifo: not a regular file" '--kernel "$bz" --initrd "$dir/fifo"'
	row 4 "pcivmm: error: $dir/missing.img: No such file or directory; check the path" '--kernel "$bz" --initrd "$dir/missing.img"'
	row 4 "pcivmm: error: $dir: not a regular file" '--kernel "$bz" --initrd "$dir"'
	row 4 "pcivmm: error: $dir/empty.img: the initrd is empty; give an initramfs image, or leave --initrd out" '--kernel "$bz" --initrd "$dir/empty.img"'
fi
echo "# $rows rows"
exit $fail
