# Sourced by every nested job (run inside L1 by scripts/nested/l1-run with
# the build directory as $1): loads KVM and VFIO, binds both edu devices to
# vfio-pci, and offers helpers that print one verdict line per check.
set -u
B=$1
S=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
EDU_A=0000:00:04.0 # passed to the guest
EDU_B=0000:00:08.0 # the other device on the same host INTx line
fails=0
for m in irqbypass kvm ccp kvm-amd; do
	modprobe $m || { echo "not ok - cannot load $m in L1"; exit 1; }
done
"$S/scripts/vfio-bind" $EDU_A $EDU_B || { echo "not ok - vfio-bind"; exit 1; }

verdict() { # verdict OK? TEXT
	if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi
}

# guest pass|fail ELF-NAME PCIVMM-ARGS...: boots a test guest under pcivmm.
guest() {
	local expect=$1 name=$2 out rc ok=1
	shift 2
	# Streamed, not captured: l1-run takes a silent console for a hung L1.
	timeout 120 "$B/pcivmm" "$@" --kernel "$B/guest-tests/$name.elf" </dev/null 2>&1 | tee $TMPDIR/guest.log
	rc=${PIPESTATUS[0]}
	out=$(cat $TMPDIR/guest.log)
	case $expect in
	pass) [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out" && ok=0 ;;
	fail) [ $rc -eq 3 ] && grep -q '^FAIL:' <<<"$out" && ok=0 ;;
	esac
	verdict $ok "$name $* -> expected to $expect, pcivmm exited $rc"
}

# sharer_start SECONDS: drives EDU_B from L1 while the guest runs.
sharer_start() {
	"$B/tests/intx-sharer" $EDU_B "$1" 200 >$TMPDIR/sharer.log 2>&1 &
	sharer_pid=$!
}

sharer_finish() {
	wait $sharer_pid
	local rc=$?
	cat $TMPDIR/sharer.log
	verdict $rc "host-side sharer on $EDU_B got exactly one interrupt per raise"
}


finish() {
	if dmesg | grep -i -E 'nobody cared|disabling irq'; then
		verdict 1 "L1's kernel log is free of 'nobody cared' / 'Disabling IRQ'"
	else
		verdict 0 "L1's kernel log is free of 'nobody cared' / 'Disabling IRQ'"
	fi
	echo "nested: $fails failed"
	exit $((fails > 0))
}
