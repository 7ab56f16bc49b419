#!/bin/bash
# back-to-back.sh PCIVMM TIMES ARGS...: the same VM TIMES times in a row.
# Every run passes; pcivmm's peak resident memory does not grow from run to
# run (the last ten runs' largest peak within 10% of the first ten's), and
# the host's count of open files does not drift (less than 64 more).
set -u
. "$(dirname "$0")/kvm-usable.sh"
. "$(dirname "$0")/run-passed.sh"
pcivmm=$1 times=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
files_before=$(awk '{ print $1 }' /proc/sys/fs/file-nr)
passed=0 rss=()
for i in $(seq "$times"); do
	/usr/bin/time -f 'maxrss %M' -o "$out.rss" timeout 60 "$pcivmm" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	run_passed $i $rc "$(cat "$out")" && passed=$((passed + 1))
	rss+=("$(sed -n 's/^maxrss //p' "$out.rss")")
	# A sign of life every ten runs (the nested L1's console watchdog).
	[ $((i % 10)) -ne 0 ] || echo "# $i runs, $passed passed"
done
rm -f "$out.rss"
files_after=$(awk '{ print $1 }' /proc/sys/fs/file-nr)
first=$(printf '%s\n' "${rss[@]:0:10}" | sort -n | tail -1)
last=$(printf '%s\n' "${rss[@]: -10}" | sort -n | tail -1)
echo "$passed of $times runs passed; peak RSS first ten $first kB, last ten $last kB; host open files $files_before -> $files_after"
[ $passed -eq "$times" ] && [ "$last" -le $((first + first / 10)) ] &&
	[ $((files_after - files_before)) -lt 64 ]
