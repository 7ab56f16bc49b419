#!/bin/bash
# repeat.sh PCIVMM TIMES ARGS...: the same guest TIMES times in a row (SMP
# guests, shared GSIs): every run must pass within 60 s; a hang is a failure.
set -u
. "$(dirname "$0")/kvm-usable.sh"
. "$(dirname "$0")/run-passed.sh"
pcivmm=$1 times=$2
shift 2
passed=0
for i in $(seq "$times"); do
	out=$(timeout 60 "$pcivmm" "$@" 2>&1 </dev/null)
	rc=$?
	run_passed $i $rc "$out" && passed=$((passed + 1))
done
echo "$passed of $times runs of pcivmm $* passed"
[ $passed -eq "$times" ]
