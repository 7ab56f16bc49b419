#!/bin/bash
# SIGTERM while the guest runs: pcivmm unwinds and exits 10 (documented).
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 elf=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$pcivmm" --testdev --cmdline count=100000000 --kernel "$elf" >"$log" 2>&1 </dev/null &
pid=$!
# Wait (bounded) until the guest is running its loop, then stop it.
for _ in $(seq 200); do
	grep -q '^== intx-storm' "$log" && break
	sleep 0.05
done
grep -q '^== intx-storm' "$log" || { echo "guest never started"; cat "$log"; kill -9 $pid; exit 1; }
kill -TERM $pid
wait $pid
rc=$?
cat "$log"
[ $rc -eq 10 ] || { echo "expected exit 10 after SIGTERM, got $rc"; exit 1; }
grep -q 'stopping on signal' "$log" || { echo "no stop message"; exit 1; }
