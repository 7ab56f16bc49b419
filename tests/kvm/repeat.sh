#!/bin/bash
# repeat.sh PCIVMM TIMES ARGS...: the same guest TIMES times in a row (SMP
# guests, shared GSIs): every run must pass within 60 s; a hang is a failure.
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 times=$2
shift 2
passed=0
for i in $(seq "$times"); do
	out=$(timeout 60 "$pcivmm" "$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out"; then
		passed=$((passed + 1))
	else
		echo "not ok - run $i: exit $rc$([ $rc -eq 124 ] && echo " (hung: stopped after 60 s)")"
		printf '%s\n' "$out" | tail -20
	fi
done
echo "$passed of $times runs of pcivmm $* passed"
[ $passed -eq "$times" ]
