#!/bin/bash
# api.sh CASE PCIVMM PCIVMM-CTL STORM-ELF API-PAUSE-ELF POWER-BUTTON-ELF HOTPLUG-ELF:
# the control API (doc/api.md) driven as a user would, with curl
# --unix-socket and pcivmm-ctl, against testdev guests. One CASE per run:
#   drive          ping, info, counters, pause/resume, shutdown; the events
#   pause-irq      an interrupt raised while paused is delivered once after resume
#   power-button   the ACPI power button ends the guest with exit 0
#   bad-400 bad-404 bad-405 bad-409 bad-413
#                  each class of bad request: its status, a JSON error, no change
#   silent-client  clients that send nothing, or a byte a second, stall nothing
#   socket         mode 0600, removed at exit, stale replaced, others refused, fd=
#   hotplug        a testdev plugged in beside one on the same GSI, used, ejected
#                  (a second remove meanwhile: 409), plugged again; counts exact
#   hotplug-timeout  a guest that ignores the eject: 504, and it keeps the device
set -u
. "$(dirname "$0")/kvm-usable.sh"
case_name=$1 pcivmm=$2 ctl=$3 storm=$4 pause_elf=$5 button_elf=$6 hotplug_elf=$7
. "$(dirname "$0")/vm-harness.sh"
events=$dir/events

# start ELF ARGS...: pcivmm in the background with the API and events; waits for the socket.
start() {
	local elf=$1
	shift
	"$pcivmm" --api-socket "path=$sock" --event-monitor "path=$events" "$@" --kernel "$elf" \
		>"$log" 2>&1 </dev/null &
	pid=$!
	for _ in $(seq 400); do [ -S "$sock" ] && return; sleep 0.05; done
	fail "the API socket $sock never appeared"
}
# status METHOD ENDPOINT [BODY]: the HTTP status; the body is left in $dir/body.
status() {
	rm -f "$dir/body"
	api -o "$dir/body" -w '%{http_code}' -X "$1" ${3+--data-binary "$3"} \
		"http://localhost/api/v1/$2"
	echo $? >"$dir/curl.rc"
}
counter() { api http://localhost/api/v1/vm.counters | jq -r ".devices.$1.intx_asserted"; }
state() { api http://localhost/api/v1/vm.info | jq -r .state; }
wait_console() {
	for _ in $(seq 400); do grep -q "$1" "$log" && return; sleep 0.05; done
	fail "the guest never printed '$1'"
}
# still_running: the VM serves and its storm goes on.
still_running() {
	local a b
	a=$(counter testdev0)
	for _ in $(seq 100); do b=$(counter testdev0); [ "$b" -gt "$a" ] && return; sleep 0.05; done
	fail "the guest made no progress after $1 (asserted $a, then $b)"
}
error_reply() { jq -e --argjson s "$1" '.status == $s and (.error | type == "string")' "$dir/body" >/dev/null; }

case_drive() {
	start "$storm" --testdev --testdev=8 --cmdline count=100000000
	wait_console '^== intx-storm'
	api http://localhost/api/v1/vmm.ping | jq -e --argjson p "$pid" '.pid == $p and (.version | length > 0)' >/dev/null ||
		fail "vmm.ping does not give pcivmm's pid and version"
	ok "vmm.ping: pid $pid"
	api http://localhost/api/v1/vm.info >"$dir/info"
	jq -e '.state == "running" and .config.cpus == 1 and (.devices | length == 2) and
		.devices[0].id == "testdev0" and .devices[0].guest_bdf == "0000:00:01.0" and
		.devices[1].gsi == 16 and .devices[0].irq_mode == "INTx"' "$dir/info" >/dev/null ||
		fail "vm.info: $(cat "$dir/info")"
	ok "vm.info: running, both devices with ids, BDFs, GSIs and INTx mode"
	still_running "start"
	ok "vm.counters: testdev0's assertions climb while it runs"
	[ "$(status PUT vm.pause)" = 204 ] || fail "vm.pause: $(cat "$dir/body")"
	[ "$(state)" = paused ] || fail "vm.info does not say paused"
	a=$(counter testdev0)
	sleep 0.3
	b=$(counter testdev0)
	[ "$a" = "$b" ] || fail "paused, yet the guest raised $((b - a)) more interrupts"
	ok "paused: state paused, no guest progress over 300 ms"
	[ "$("$ctl" --api-socket "$sock" resume)" = ok ] || fail "pcivmm-ctl resume"
	[ "$(state)" = running ] || fail "vm.info does not say running after resume"
	still_running "resume"
	ok "resumed (pcivmm-ctl): running, the guest goes on"
	"$ctl" --api-socket "$sock" info | grep -q '^  testdev1 .*0000:00:08.0.*GSI 16' ||
		fail "pcivmm-ctl info does not list testdev1"
	ok "pcivmm-ctl info lists the devices"
	[ "$(status PUT vm.shutdown)" = 204 ] || fail "vm.shutdown: $(cat "$dir/body")"
	finish
	[ "$rc" = 10 ] || fail "after vm.shutdown pcivmm exited $rc, not 10"
	[ ! -e "$sock" ] || fail "the socket was left behind"
	jq -se 'map(.event) == ["booted", "paused", "resumed", "exit"] and
		.[3].properties == {"reason": "api-shutdown", "status": 10}' "$events" >/dev/null ||
		fail "events: $(cat "$events")"
	ok "vm.shutdown: exit 10, socket removed; events booted, paused, resumed, exit (api-shutdown, 10)"
}

case_pause_irq() {
	start "$pause_elf" --testdev
	wait_console 'factorial started'
	if [ "$(status PUT vm.pause)" != 204 ]; then
		kill -0 "$pid" 2>/dev/null || fail "pcivmm was gone before vm.pause: the guest finished first"
		fail "vm.pause: $(cat "$dir/body" 2>/dev/null)"
	fi
	[ "$(counter testdev0)" = 0 ] || fail "the factorial's interrupt came before the pause took"
	for _ in $(seq 200); do [ "$(counter testdev0)" = 1 ] && break; sleep 0.05; done
	[ "$(counter testdev0)" = 1 ] || fail "the device never raised its interrupt while paused"
	[ "$(state)" = paused ] || fail "not paused any more when the device raised"
	ok "the device raised its interrupt while every vCPU was paused"
	[ "$(status PUT vm.resume)" = 204 ] || fail "vm.resume: $(cat "$dir/body")"
	finish
	[ "$rc" = 0 ] || fail "api-pause failed (exit $rc)"
	grep -q '^ok .* it was delivered exactly once (1 delivered, 0 spurious)' "$log" ||
		fail "the guest did not get it exactly once"
	ok "after vm.resume the guest took it exactly once (1 delivered, 0 spurious)"
}

case_power_button() {
	start "$button_elf"
	wait_console 'waiting for the power button'
	"$ctl" --api-socket "$sock" power-button | grep -q "the guest's ACPI sees it" ||
		fail "pcivmm-ctl power-button"
	finish
	[ "$rc" = 0 ] || fail "the guest did not power off cleanly after the button (exit $rc)"
	jq -se 'map(.event) == ["booted", "guest-power-off", "exit"] and
		.[2].properties == {"reason": "guest-power-off", "status": 0}' "$events" >/dev/null ||
		fail "events: $(cat "$events")"
	ok "power button: one SCI with PWRBTN_STS, the guest powered off, exit 0, events guest-power-off and exit"
}

# bad CODE METHOD ENDPOINT [BODY]: that status with a JSON error; the VM runs on.
bad() {
	local want=$1 got
	shift
	got=$(status "$@")
	[ "$got" = "$want" ] ||
		fail "$1 $2 ${3:-}: got $got (curl exit $(cat "$dir/curl.rc"), pcivmm $(kill -0 "$pid" 2>/dev/null && echo running || echo gone)), want $want: $(cat "$dir/body" 2>/dev/null)"
	error_reply "$want" || fail "$1 $2: no JSON error body: $(cat "$dir/body")"
}
case_bad() {
	local code=$1
	start "$storm" --testdev --cmdline count=100000000
	wait_console '^== intx-storm'
	case $code in
	400)
		bad 400 PUT vm.pause '{"now": true'
		bad 400 PUT vm.pause '{"now": true}'
		bad 400 PUT vm.add-device '{"bdf": "0000:00:04.0", "colour": "red"}'
		bad 400 PUT vm.add-device '{"testdev": {"slot": 99}}'
		bad 400 PUT vm.remove-device '{"id": 7}' ;;
	404)
		bad 404 GET vm.nothing
		bad 404 GET 'vm.info/x'
		bad 404 PUT vm.remove-device '{"id": "testdev9"}' ;;
	405)
		bad 405 PUT vm.info
		bad 405 GET vm.shutdown
		bad 405 DELETE vm.remove-device '{"id": "testdev0"}'
		api -o /dev/null -D - -X PUT http://localhost/api/v1/vm.counters | grep -qi '^allow: GET' ||
			fail "405 without an Allow header" ;;
	409)
		[ "$(status PUT vm.pause)" = 204 ] || fail "vm.pause"
		bad 409 PUT vm.pause
		bad 409 PUT vm.power-button
		[ "$(status PUT vm.resume)" = 204 ] || fail "vm.resume"
		bad 409 PUT vm.resume ;;
	413)
		head -c 100000 /dev/zero | tr '\0' ' ' >"$dir/big"
		bad 413 PUT vm.pause "@$dir/big"
		bad 413 PUT vm.add-device "{\"testdev\": {}, \"pad\": \"$(head -c 5000 /dev/zero | tr '\0' x)\"}" ;;
	esac
	[ "$(state)" = running ] || fail "after the bad requests the VM is $(state)"
	still_running "the bad requests"
	kill -TERM "$pid"
	finish
	[ "$rc" = 10 ] || fail "SIGTERM: exit $rc"
	ok "every $code request got $code with a JSON error and changed nothing; the VM ran on"
}

# ms_for_20_infos: how long 20 vm.info round trips take (curl and jq each time).
ms_for_20_infos() {
	local start_ns=$(date +%s%N)
	for _ in $(seq 20); do [ "$(state)" = running ] || fail "vm.info: not running"; done
	echo $(( ($(date +%s%N) - start_ns) / 1000000 ))
}

case_silent_client() {
	start "$storm" --testdev --cmdline count=100000000
	wait_console '^== intx-storm'
	alone=$(ms_for_20_infos)
	# One connects and sends nothing; one sends a request a byte per second.
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(30)' "$sock" &
	silent=$!
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
for b in b"GET /api/v1/vm.info HTTP/1.1\r\nHost: x\r\n\r\n":
    s.send(bytes([b])); time.sleep(1)' "$sock" 2>/dev/null &
	slow=$!
	sleep 0.5
	beside=$(ms_for_20_infos)
	still_running "idle clients connected"
	ok "20 vm.info requests answered beside a silent and a byte-a-second client ($beside ms; $alone ms without them); the guest ran on"
	[ "$(status PUT vm.pause)" = 204 ] && [ "$(status PUT vm.resume)" = 204 ] ||
		fail "pause/resume beside the idle clients"
	kill -TERM "$pid"
	finish
	kill "$silent" "$slow" 2>/dev/null
	[ "$rc" = 10 ] || fail "SIGTERM beside idle clients: exit $rc"
	ok "SIGTERM beside the idle clients: exit 10"
}

case_socket() {
	start "$storm" --testdev --cmdline count=100000000
	[ "$(stat -c %a "$sock")" = 600 ] || fail "the socket's mode is $(stat -c %a "$sock"), not 600"
	ok "the socket is made with mode 0600"
	"$pcivmm" --api-socket "path=$sock" --testdev --kernel "$storm" >"$dir/second" 2>&1 </dev/null
	r=$?
	[ $r = 2 ] && grep -q "another process serves it" "$dir/second" || fail "a second pcivmm on a live socket: exit $r: $(cat "$dir/second")"
	[ "$(state)" = running ] || fail "the first pcivmm lost its socket"
	ok "a socket another pcivmm serves is refused (exit 2) and keeps working"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	pid=
	[ -S "$sock" ] || fail "a SIGKILLed pcivmm left no socket to test the stale case with"
	start "$storm" --testdev --cmdline count=100000000
	[ "$(state)" = running ] || fail "no API on a stale socket's path"
	kill -TERM "$pid"
	finish
	[ ! -e "$sock" ] || fail "SIGTERM left the socket behind"
	ok "a stale socket (SIGKILLed pcivmm) is replaced; SIGTERM removes it"
	echo keep >"$dir/file"
	"$pcivmm" --api-socket "path=$dir/file" --testdev --kernel "$storm" >"$dir/second" 2>&1 </dev/null
	r=$?
	[ $r = 2 ] && [ "$(cat "$dir/file")" = keep ] && grep -q "not a socket" "$dir/second" ||
		fail "a regular file as the socket path: exit $r: $(cat "$dir/second")"
	ok "a path that is not a socket is refused (exit 2) and left as it was"
	# fd=: a supervisor binds the socket and hands it over.
	python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.set_inheritable(s.fileno(), True)
os.execv(sys.argv[2], [sys.argv[2], "--api-socket", "fd=%d" % s.fileno()] + sys.argv[3:])' \
		"$dir/handed.sock" "$pcivmm" --testdev --cmdline count=100000000 --kernel "$storm" \
		>"$log" 2>&1 </dev/null &
	pid=$!
	for _ in $(seq 200); do [ -S "$dir/handed.sock" ] && break; sleep 0.05; done
	sock=$dir/handed.sock
	for _ in $(seq 100); do [ "$(state 2>/dev/null)" = running ] && break; sleep 0.05; done
	[ "$(state)" = running ] || fail "no API on a handed-over fd"
	[ "$("$ctl" --api-socket "$sock" shutdown)" = ok ] || fail "pcivmm-ctl shutdown"
	finish
	[ "$rc" = 10 ] || fail "shutdown through a handed-over fd: exit $rc"
	ok "--api-socket fd=N serves a socket its supervisor bound"
}

# The guest says when it is ready for the next step (guest-tests/hotplug.c).
case_hotplug() {
	start "$hotplug_elf" --testdev=4
	wait_console 'ready for a device in slot 8'
	bad 409 PUT vm.add-device '{"testdev": {"slot": 4}}'
	[ "$(status PUT vm.add-device '{"testdev": {"slot": 8}}')" = 200 ] &&
		jq -e '.id == "testdev1" and .slot == 8' "$dir/body" >/dev/null ||
		fail "vm.add-device: $(cat "$dir/body")"
	ok "vm.add-device: testdev1 in slot 8 (slot 4, taken, was refused with 409)"
	wait_console 'eject it'
	got=$(status PUT vm.remove-device '{"id": "testdev1"}')
	[ "$got" = 204 ] ||
		fail "vm.remove-device: $got: $(cat "$dir/body")"
	api http://localhost/api/v1/vm.info | jq -e '.devices | length == 1' >/dev/null ||
		fail "testdev1 still listed after its eject"
	bad 404 PUT vm.remove-device '{"id": "testdev1"}'
	ok "vm.remove-device answered once the guest ejected it; removing it again: 404"
	wait_console 'ready again'
	[ "$(status PUT vm.add-device '{"testdev": {"slot": 8}}')" = 200 ] &&
		jq -e '.id == "testdev2"' "$dir/body" >/dev/null || fail "the second vm.add-device: $(cat "$dir/body")"
	finish
	[ "$rc" = 0 ] || fail "the hotplug guest failed (exit $rc)"
	jq -se 'map(.event) == ["booted", "device-added", "device-removed", "device-added",
		"guest-power-off", "exit"] and .[1].properties.id == "testdev1" and
		.[2].properties.id == "testdev1" and .[3].properties.id == "testdev2"' "$events" >/dev/null ||
		fail "events: $(cat "$events")"
	ok "plug, use, eject, plug again: both devices on GSI 16 exact throughout; events device-added, device-removed, device-added"
}

case_hotplug_timeout() {
	start "$hotplug_elf" --testdev=4 --cmdline eject=0
	wait_console 'ready for a device in slot 8'
	[ "$("$ctl" --api-socket "$sock" add-device testdev,slot=8)" = "added: testdev1" ] ||
		fail "pcivmm-ctl add-device"
	wait_console 'eject it'
	start_s=$(date +%s)
	api -o "$dir/remove.body" -w '%{http_code}' -X PUT --data-binary '{"id": "testdev1"}' \
		http://localhost/api/v1/vm.remove-device >"$dir/remove.status" &
	remover=$!
	for _ in $(seq 200); do
		api http://localhost/api/v1/vm.info | jq -e '.devices[1].removing' >/dev/null && break
		sleep 0.05
	done
	bad 409 PUT vm.remove-device '{"id": "testdev1"}'
	ok "a second remove while the first waits for the guest: 409"
	wait $remover
	got=$(cat "$dir/remove.status")
	[ "$got" = 504 ] && jq -e '.status == 504' "$dir/remove.body" >/dev/null ||
		fail "an ignored eject answered $got: $(cat "$dir/remove.body")"
	api http://localhost/api/v1/vm.info | jq -e '.devices | length == 2 and (.[1].removing | not)' >/dev/null ||
		fail "the device is gone or still marked removing after the timeout"
	ok "an eject the guest ignores: 504 after $(( $(date +%s) - start_s )) s, and the guest keeps testdev1"
	finish
	[ "$rc" = 0 ] || fail "the guest failed (exit $rc)"
	ok "the guest kept using both devices, exact"
}

case $case_name in
drive) case_drive ;;
hotplug) case_hotplug ;;
hotplug-timeout) case_hotplug_timeout ;;
pause-irq) case_pause_irq ;;
power-button) case_power_button ;;
bad-4??) case_bad "${case_name#bad-}" ;;
silent-client) case_silent_client ;;
socket) case_socket ;;
*) echo "api.sh: no case $case_name"; exit 2 ;;
esac
