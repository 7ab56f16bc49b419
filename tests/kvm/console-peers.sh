#!/bin/bash
# console-peers.sh PCIVMM ELF: the console's other ends misbehaving.
#  1. stdout's reader goes away while the guest prints: pcivmm must not die
#     of SIGPIPE (exit 141) but run the guest to its end (exit 0).
#  2. input waits on stdin and the guest never reads its UART: once the
#     64-byte FIFO is full the main thread must not spin on the readable
#     stdin (it did, at 100% CPU); it uses well under a second of CPU in
#     2 s of the guest's run.
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 elf=$2
fail=0 shown=

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$pcivmm" --testdev --cmdline seconds=1 --kernel "$elf" </dev/null 2>"$log" | head -c 20 >/dev/null
rc=${PIPESTATUS[0]}
if [ $rc -eq 0 ]; then echo "ok - stdout closed early: the guest ran to its end (exit 0)"
else echo "not ok - stdout closed early: pcivmm exited $rc (141 is SIGPIPE); its stderr:"; cat "$log"; fail=1; fi
head -c 4096 /dev/zero | tr '\0' x >"$log.in"
sleep 12 | cat "$log.in" - | "$pcivmm" --testdev --cmdline seconds=6 --kernel "$elf" >"$log" 2>&1 &
# Measured once the guest runs (its marker), not after a fixed delay: a
# loaded machine may take seconds to start it.
for _ in $(seq 600); do grep -q 'intx-hog: holding the line' "$log" && break; sleep 0.1; done
pid=$(pgrep -n -f -- "--cmdline seconds=6 --kernel $elf")
# utime + stime of the main thread (the one whose TID is the PID), in ticks,
# over 2 s of the guest's run.
main_ticks() { awk '{ print $14 + $15 }' /proc/$pid/task/$pid/stat 2>/dev/null; }
t0=$(main_ticks)
sleep 2
t1=$(main_ticks)
ticks=
[ -n "$t0" ] && [ -n "$t1" ] && ticks=$((t1 - t0))
wait
rm -f "$log.in"
hz=$(getconf CLK_TCK)
if [ -z "$ticks" ]; then
	echo "not ok - unread input with a full UART FIFO: pcivmm${pid:+ (pid $pid)} was not running through the 2 s sample (its output follows)"
	cat "$log"; shown=1
	fail=1
elif [ "$ticks" -lt $((hz / 2)) ]; then
	echo "ok - unread input with a full UART FIFO: main thread used $ticks/$hz s of CPU in 2 s"
else
	echo "not ok - unread input with a full UART FIFO: main thread used $ticks/$hz s of CPU in 2 s (spinning)"
	cat "$log"; shown=1
	fail=1
fi
# (Its output is shown once: above, if the sample already failed.)
grep -q '^PASS:' "$log" || { echo "not ok - the guest did not pass"; [ -n "$shown" ] || cat "$log"; fail=1; }
exit $fail
