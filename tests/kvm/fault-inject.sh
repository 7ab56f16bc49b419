#!/bin/bash
# fault-inject.sh PCIVMM LIBFAILCALL ELF [PCIVMM-ARGS...]: fails each
# setup/teardown call pcivmm makes (open, ioctl but KVM_RUN, mmap, eventfd,
# timerfd, epoll, socketpair, fork, sysfs/VFIO pread/pwrite), one per run, through
# tests/faultinject/failcall.c. Each run must end one of three ways:
#   - the failure is tolerated: exit 0 and the guest passes;
#   - exit 4 or 6 with exactly one error line (besides the device lines);
#   - a config access to a passed device failed while the guest ran: the
#     guest saw an unresponsive device (all ones), as on real hardware, and
#     pcivmm said so in exactly one warning line; the guest's own verdict
#     (exit 0, or its odd debug-exit status) stands;
# never a crash, a hang or a silent failure; and at exit no file descriptor
# (eventfd, VFIO, KVM, sysfs) or device mapping may be left open that was
# not open at start. With --passthrough BDF the device must stay on
# vfio-pci and not assert INTx after every run (lib.sh checks more).
set -u
. "$(dirname "$0")/kvm-usable.sh"
. "$(dirname "$0")/../host-pci.sh"
pcivmm=$1 lib=$2 elf=$3
shift 3
report=$(mktemp)
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$report" "$out" "$err"' EXIT
fail=0
# The passed devices and their drivers before any run.
bdfs=() drivers=()
for b in $(passed_bdfs "$@"); do
	bdfs+=("$b")
	drivers+=("$(basename "$(readlink /sys/bus/pci/devices/$b/driver 2>/dev/null)")")
done

# device_state: "" when every passed device is on its driver and quiet.
device_state() {
	local k cmd status drv bad=""
	for k in "${!bdfs[@]}"; do
		drv=$(basename "$(readlink /sys/bus/pci/devices/${bdfs[$k]}/driver 2>/dev/null)")
		[ "$drv" = "${drivers[$k]}" ] || bad+=" ${bdfs[$k]} now on '${drv}', was on '${drivers[$k]}'"
		read -r cmd status <<<"$(intx_state ${bdfs[$k]})"
		is_pending $status && ! is_masked $cmd && bad+=" ${bdfs[$k]} asserting INTx"
	done
	echo "$bad"
}

FAILCALL_N=0 FAILCALL_REPORT=$report timeout 60 env LD_PRELOAD="$lib" "$pcivmm" "$@" --kernel "$elf" \
	>"$out" 2>"$err" </dev/null
total=$(sed -n 's/^calls \([0-9]*\).*/\1/p' "$report")
grep -q '^PASS:' "$out" && [ -n "$total" ] && [ "$total" -gt 0 ] ||
	{ echo "not ok - the run without a failure did not pass"; cat "$out" "$err"; exit 1; }
echo "# $total calls to fail, one per run"
tolerated=0 refused=0 surfaced=0
# pcivmm's one warning for a config access that failed while the guest ran (pt.h).
surfaced_re='^pcivmm: warning: [^ ]+: config (read|write) of .* failed: the guest sees'
for n in $(seq 1 "$total"); do
	FAILCALL_N=$n FAILCALL_REPORT=$report timeout 60 env LD_PRELOAD="$lib" "$pcivmm" "$@" --kernel "$elf" \
		>"$out" 2>"$err" </dev/null
	rc=$?
	what=$(sed -n 's/^calls [0-9]* failed //p' "$report")
	errors=$(grep '^pcivmm: error: ' "$err")
	# pcivmm's end of the reaper's socket stays open until its exit, by design.
	leaks=$(grep '^leak' "$report" | grep -v -E 'leak fd [0-9]+ socket:')
	surfaced_lines=$(grep -c -E "$surfaced_re" "$err")
	verdict=""
	case $rc in
	0 | [13579] | [1-9][13579]) if [ "$surfaced_lines" -eq 1 ]; then
			surfaced=$((surfaced + 1))
		elif [ $rc -eq 0 ] && grep -q '^PASS:' "$out"; then
			tolerated=$((tolerated + 1))
		else
			verdict="exit $rc, the guest did not pass, and no one warning line said why"
		fi ;;
	4 | 6) [ "$(printf '%s\n' "$errors" | grep -c .)" -eq 1 ] && refused=$((refused + 1)) ||
		verdict="exit $rc with $(printf '%s\n' "$errors" | grep -c .) error lines" ;;
	*) verdict="exit $rc (a crash, a hang or an undocumented status)" ;;
	esac
	[ -z "$leaks" ] || verdict="${verdict:+$verdict; }left open: $leaks"
	# The reaper (passthrough runs) may still be finishing its check.
	for _ in $(seq 50); do pgrep -x pcivmm-reaper >/dev/null || break; sleep 0.1; done
	state=$(device_state)
	[ -z "$state" ] || verdict="${verdict:+$verdict; }device left wrong:$state"
	if [ -n "$verdict" ]; then
		echo "not ok - call $n ($what) failing: $verdict"
		cat "$err"
		fail=1
	else
		[ "$surfaced_lines" -eq 0 ] ||
			errors=$(grep -E "$surfaced_re" "$err")
		echo "ok - call $n ($what) failing: exit $rc${errors:+: $errors}"
	fi
done
echo "# $tolerated failures tolerated, $refused refused with one error line, $surfaced surfaced to the guest with one warning, of $total"
exit $fail
