#!/bin/bash
# Bad input: one clear line on stderr naming the culprit, a documented exit
# code, nothing left behind. None of these needs /dev/kvm.
set -u
pcivmm=$1 good_elf=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

expect() { # expect CODE WORD ARGS...
	local code=$1 word=$2
	shift 2
	"$pcivmm" "$@" >"$dir/out" 2>"$dir/err" </dev/null
	local rc=$? lines
	lines=$(wc -l <"$dir/err")
	if [ $rc -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -q -- "$word" "$dir/err"; then
		echo "not ok - pcivmm $* -> exit $rc, $lines lines (want $code, 1 line with '$word'):"
		cat "$dir/err"
		fail=1
	else
		echo "ok - pcivmm $* -> $rc: $(cat "$dir/err")"
	fi
}

head -c 100 "$good_elf" >"$dir/truncated-header.elf"
head -c 5000 "$good_elf" >"$dir/truncated.elf"
cp "$good_elf" "$dir/no-entry.elf"
# e_entry is the 8 bytes at offset 24 of an ELF64 header.
printf '\0\0\0\0\0\0\0\0' | dd of="$dir/no-entry.elf" bs=1 seek=24 conv=notrunc status=none
: >"$dir/empty"

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
left=$(ls "$dir" | grep -v -e '^out$' -e '^err$' -e '\.elf$' -e '^empty$')
[ -z "$left" ] || { echo "not ok - files left behind: $left"; fail=1; }
exit $fail
