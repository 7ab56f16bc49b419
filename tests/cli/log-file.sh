#!/bin/bash
# log-file.sh PCIVMM: --log-file and --log-level, with no /dev/kvm (a
# --dump-acpi run makes and destroys a described VM, and logs its steps).
# The file is appended to, each line stamped with its UTC time and pid;
# nothing goes to stderr; errors land in the file as "error:" lines;
# --log-level drops what is less important than it, never errors.
set -u
pcivmm=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { # check OK? TEXT
	if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi
}
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z pcivmm\[[0-9]+\]: '

"$pcivmm" --dump-acpi "$dir/acpi" -v --log-file "$dir/pcivmm.log" 2>"$dir/err" >/dev/null
rc=$?
[ $rc -eq 0 ] && [ ! -s "$dir/err" ]
check $? "-v --log-file: exit 0 and nothing on stderr (exit $rc, stderr: $(head -c 200 "$dir/err"))"
lines=$(wc -l <"$dir/pcivmm.log")
[ "$lines" -ge 2 ] && ! grep -v -E "${stamp}\+[0-9]+\.[0-9]{6} debug: " "$dir/pcivmm.log"
check $? "every line in the file is a stamped debug line ($lines lines; first: $(head -1 "$dir/pcivmm.log"))"
[ "$(stat -c %a "$dir/pcivmm.log")" = 640 ]
check $? "the file is created mode 0640 ($(stat -c %a "$dir/pcivmm.log"))"

# A second run appends; an error goes to the file as an error line.
"$pcivmm" --dump-dtb /dev/full --log-file "$dir/pcivmm.log" 2>"$dir/err" >/dev/null
rc=$?
[ $rc -eq 2 ] && [ ! -s "$dir/err" ] && [ "$(head -$lines "$dir/pcivmm.log" | wc -l)" -eq "$lines" ] &&
	tail -1 "$dir/pcivmm.log" | grep -q -E "${stamp}error: --dump-dtb /dev/full: No space left on device$" &&
	[ "$(cut -d' ' -f2 "$dir/pcivmm.log" | sort -u | wc -l)" -eq 2 ]
check $? "a second run appends its error line, with its own pid (exit $rc; last: $(tail -1 "$dir/pcivmm.log"))"

# --log-level error: debug and info dropped, the error kept (on stderr here).
out=$("$pcivmm" --dump-acpi "$dir/acpi2" --log-level error 2>&1 >/dev/null)
[ -z "$out" ]
check $? "--log-level error: a run without an error prints nothing (got: ${out:0:200})"
out=$("$pcivmm" --dump-dtb /dev/full --log-level error 2>&1 >/dev/null)
[ "$out" = "pcivmm: error: --dump-dtb /dev/full: No space left on device" ]
check $? "--log-level error: the error line still shows (got: ${out:0:200})"
out=$("$pcivmm" --dump-acpi "$dir/acpi3" --log-level debug 2>&1 >/dev/null)
grep -q -E '^pcivmm: \+[0-9]+\.[0-9]{6} debug: ' <<<"$out"
check $? "--log-level debug is -v (got: $(head -1 <<<"$out"))"

# A log file pcivmm cannot open: one line on stderr, exit 2, nothing made.
out=$("$pcivmm" --dump-acpi "$dir/acpi4" --log-file "$dir/no/such/dir.log" 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] && [ "$out" = "pcivmm: error: --log-file $dir/no/such/dir.log: No such file or directory; pick a file pcivmm can append to" ] &&
	[ ! -e "$dir/acpi4" ]
check $? "an unopenable --log-file: one error line, exit 2, nothing written (exit $rc: ${out:0:200})"
exit $fail
