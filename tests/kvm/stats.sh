#!/bin/bash
# --stats: the counts pcivmm prints match the guest's own. intx-storm on an
# emulated device: "INTx asserted N times" where the guest serviced
# exactly N (one assertion per raise, dropped by the acknowledge); intx-mask: the guest's INTX_DISABLE sets and clears are
# counted, three of each per sequence; SIGUSR1 prints the
# counts mid-run without stopping the guest, which then passes.
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 storm=$2 mask=$3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fail() { echo "not ok - $*"; cat "$log"; exit 1; }

n=3000
timeout 120 "$pcivmm" --stats --testdev --cmdline count=$n --kernel "$storm" >"$log" 2>&1 </dev/null ||
	fail "intx-storm with --stats did not pass"
serviced=$(sed -n 's/.*exactly [0-9]* interrupts were serviced (got \([0-9]*\)).*/\1/p' "$log")
stale=$(sed -n 's/.* \([0-9]*\) stale interrupt(s) taken before the test.*/\1/p' "$log")
line=$(grep '^pcivmm: stats: testdev' "$log")
[ -n "$serviced" ] && [ -n "$line" ] || fail "no guest count or no stats line"
want=$((serviced + ${stale:-0}))
grep -q " INTx asserted $want times;" <<<"$line" ||
	fail "stats line does not say asserted $want times (guest serviced $serviced): $line"
grep -q '^pcivmm: stats: 1 vCPU(s): [0-9]* exits to pcivmm' "$log" || fail "no vCPU exit line"
echo "ok - intx-storm: the guest serviced $serviced, --stats: $line"

timeout 120 "$pcivmm" --stats --testdev --testdev --kernel "$mask" >"$log" 2>&1 </dev/null ||
	fail "intx-mask with --stats did not pass"
line=$(grep -m1 '^pcivmm: stats: testdev' "$log")
# Per access shape intx-mask sets INTX_DISABLE three times (masked raise,
# in-handler mask, masked acknowledge), clears it as often, and ends with
# "exactly once (N delivered": N interrupts in that sequence.
seqs=$(grep -c 'exactly once ([0-9]* delivered' "$log")
delivered=$(sed -n 's/.*exactly once (\([0-9]*\) delivered.*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
[ "$seqs" -gt 0 ] || fail "intx-mask printed no sequence summary"
grep -q ": INTx asserted $delivered times; the guest set INTX_DISABLE $((3 * seqs)) times, cleared it $((3 * seqs)) times" <<<"$line" ||
	fail "intx-mask: $seqs sequences, $delivered interrupts: expected $delivered assertions and $((3 * seqs)) sets and clears, stats say: $line"
echo "ok - intx-mask: $line"

"$pcivmm" --stats --testdev --cmdline count=100000000 --kernel "$storm" >"$log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 200); do grep -q '^== intx-storm' "$log" && break; sleep 0.05; done
kill -USR1 $pid
for _ in $(seq 100); do grep -q '^pcivmm: stats: testdev' "$log" && break; sleep 0.05; done
kill -0 $pid 2>/dev/null || fail "SIGUSR1 stopped pcivmm"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 10 ] || fail "after SIGUSR1 and SIGTERM pcivmm exited $rc, not 10"
[ "$(grep -c '^pcivmm: stats: testdev' "$log")" -eq 2 ] ||
	fail "expected the counts twice (SIGUSR1, then at the end)"
echo "ok - SIGUSR1 printed the counts mid-run; the VM kept running until SIGTERM"
