#!/bin/bash
# run-guest.sh PCIVMM pass|fail:REGEX ARGS...: boots a test guest and checks its verdict.
#   pass: pcivmm exits 0 (guest powered off) and the guest printed "PASS:"
#   fail:REGEX: pcivmm exits 3 (guest wrote 1 to the debug-exit port), the
#     guest printed "FAIL:", and a "not ok" line matches REGEX: it failed
#     for the stated reason, not any reason
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1 expect=$2
shift 2
out=$(timeout 150 "$pcivmm" "$@" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
case $expect in
pass) [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out" && exit 0 ;;
fail:*) [ $rc -eq 3 ] && grep -q '^FAIL:' <<<"$out" &&
	grep -q -E "^not ok [0-9]+ - .*${expect#fail:}" <<<"$out" && exit 0 ;;
esac
echo "run-guest: expected the guest to $expect, pcivmm exited $rc"
exit 1
