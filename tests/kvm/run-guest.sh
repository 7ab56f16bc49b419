#!/bin/bash
# run-guest.sh PCIVMM pass|fail ARGS...: boots a test guest and checks its verdict.
#   pass: pcivmm exits 0 (guest powered off) and the guest printed "PASS:"
#   fail: pcivmm exits 3 (guest wrote 1 to the debug-exit port) and printed "FAIL:"
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 expect=$2
shift 2
out=$(timeout 150 "$pcivmm" "$@" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
case $expect in
pass) [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out" && exit 0 ;;
fail) [ $rc -eq 3 ] && grep -q '^FAIL:' <<<"$out" && exit 0 ;;
esac
echo "run-guest: expected the guest to $expect, pcivmm exited $rc"
exit 1
