#!/bin/bash
# Bad input: one clear line on stderr naming the culprit, a documented exit
# code, nothing left behind. None of these needs /dev/kvm.
#
# pcivmm writes files in one place only, --dump-dtb's directory (FILE.tmp.PID,
# then renamed); it runs here with a scratch working directory and TMPDIR as
# well, and all three must be empty after every row.
set -u
pcivmm=$(readlink -f "$1") good_elf=$(readlink -f "$2")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/cwd" "$dir/tmp" "$dir/dtb"
fail=0

expect() { # expect CODE WORD ARGS...
	local code=$1 word=$2 left
	shift 2
	(cd "$dir/cwd" && TMPDIR=$dir/tmp timeout 20 "$pcivmm" "$@" >"$dir/out" 2>"$dir/err" </dev/null)
	local rc=$? lines
	lines=$(wc -l <"$dir/err")
	if [ $rc -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -q -- "$word" "$dir/err"; then
		echo "not ok - pcivmm $* -> exit $rc, $lines lines (want $code, 1 line with '$word'):"
		cat "$dir/err"
		fail=1
	else
		args="$*"; echo "ok - pcivmm ${args:0:200} -> $rc: $(cut -c1-200 "$dir/err")"
	fi
	left=$(ls -A "$dir/cwd" "$dir/tmp" "$dir/dtb" | grep -v -e '^$' -e ':$')
	[ $rc -ne 124 ] || { echo "not ok - pcivmm $* hung (stopped after 20 s)"; fail=1; }
	[ -z "$left" ] || { echo "not ok - pcivmm $* left files behind: $left"; fail=1; }
}

head -c 100 "$good_elf" >"$dir/truncated-header.elf"
head -c 5000 "$good_elf" >"$dir/truncated.elf"
cp "$good_elf" "$dir/no-entry.elf"
# e_entry is the 8 bytes at offset 24 of an ELF64 header.
printf '\0\0\0\0\0\0\0\0' | dd of="$dir/no-entry.elf" bs=1 seek=24 conv=notrunc status=none
: >"$dir/empty"
mkfifo "$dir/fifo"
# 2 GiB, sparse: read whole it would cost 2 GiB of memory before the header says no.
truncate -s 2G "$dir/huge"

expect 2 '00:zz.9' --passthrough 00:zz.9 --kernel "$good_elf"
expect 2 'out of range' --mem 0 --kernel "$good_elf"
expect 4 'missing.elf' --kernel "$dir/missing.elf"
expect 4 'truncated' --kernel "$dir/truncated-header.elf"
expect 4 'truncated' --kernel "$dir/truncated.elf"
expect 4 'no entry point' --kernel "$dir/no-entry.elf"
expect 4 'neither' --kernel "$dir/empty"
expect 4 'not a regular file' --kernel "$dir"
expect 2 'only Linux bzImage' --kernel "$good_elf" --initrd "$good_elf"
expect 2 'nothing to boot' --mem 1G
expect 4 'fifo: not a regular file' --kernel "$dir/fifo"
bzimage=$(ls /boot/vmlinuz-* 2>/dev/null | head -1)
[ -z "$bzimage" ] || expect 4 'fifo: not a regular file' --kernel "$bzimage" --initrd "$dir/fifo"
expect 4 'huge: neither' --kernel "$dir/huge"
expect 2 'directory' --dump-dtb "$dir/missing-dir/m.dtb" --kernel "$good_elf"
expect 2 'too long' --dump-dtb "$dir/dtb/$(printf 'x%.0s' $(seq 4100))" --kernel "$good_elf"
expect 2 'out of range' --mem 0 --dump-dtb "$dir/dtb/m.dtb" --kernel "$good_elf"
expect 4 'truncated' --dump-dtb "$dir/dtb/m.dtb" --kernel "$dir/truncated.elf"
exit $fail
