# Sourced by the kvm cases that drive one pcivmm in the background through
# its API (api.sh, sandbox.sh): a scratch directory with the socket and the
# console log, TAP verdicts, and a teardown that never leaves the VM behind.
#   fail WHY     "not ok", the console's last lines, exit 1
#   ok WHAT      "ok"
#   finish       waits (bounded) for pcivmm; its status in $rc
#   api ARGS     curl on the socket
dir=$(mktemp -d)
sock=$dir/api.sock log=$dir/console
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "not ok - $*"; echo "# console:"; sed 's/^/# /' "$log" 2>/dev/null | tail -20; exit 1; }
ok() { echo "ok - $*"; }
finish() {
	for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$pid" 2>/dev/null && fail "pcivmm did not exit"
	wait "$pid"
	rc=$?
	pid=
}
api() { curl -s --max-time 20 --unix-socket "$sock" "$@"; }
