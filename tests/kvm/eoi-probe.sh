#!/bin/bash
# eoi-probe.sh PCIVMM ARGS...: the host's KVM at a level-triggered EOI, seen
# two ways that must agree: the eoi-probe guest (remote IRR and ISR in each
# handler, before its EOI) and pcivmm's own probe at start (its -v line,
# vmm/platform/eoi_probe.h). Passes when they agree and the counts are exact
# either way:
#   conforming: the guest passes every check; pcivmm says "at the guest's EOI";
#   EOI at injection (kvm_pvm): remote IRR and ISR clear in every handler,
#     pcivmm says "as it injects it", and with its pulsed INTx every raise
#     is still exactly one interrupt, none found the device idle.
# The last line is the verdict, which tests/kvm/kvm-case prints with every
# case; the exit status says whether the emulated cases can run on this
# host's KVM (0) or not.
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1
shift
out=$(timeout 150 "$pcivmm" -v "$@" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out" | grep -v ' debug: ' # the guest's lines, and pcivmm's non-debug ones
probe=$(grep -m1 ' debug: host KVM ' <<<"$out" | sed 's/.* debug: host KVM //')
[ -n "$probe" ] || probe="(pcivmm -v printed no probe line)"
echo "# pcivmm's probe: host KVM $probe"
# "eoi-probe: N cycles, ...: I interrupts found work, S found the device idle;
# ...: remote IRR clear R, ISR clear C, TMR clear T, vector requested again A"
read -r cycles irqs idle rirr isr tmr again < <(sed -n \
	's/^eoi-probe: \([0-9]*\) cycles.*: \([0-9]*\) interrupts found work, \([0-9]*\) found the device idle.*remote IRR clear \([0-9]*\), ISR clear \([0-9]*\), TMR clear \([0-9]*\), vector requested again \([0-9]*\)$/\1 \2 \3 \4 \5 \6 \7/p' \
	<<<"$out")
if [ -z "${cycles:-}" ]; then
	echo "eoi-probe: the guest printed no summary (pcivmm exited $rc)"
	exit 1
fi
handlers=$((irqs + idle))
measured="remote IRR clear in $rirr, ISR clear in $isr of $handlers handlers; $cycles raises, $irqs interrupts found work, $idle found the device idle, $again copies requested again"
if [ $rc -eq 0 ] && grep -q '^PASS:' <<<"$out"; then
	case $probe in
	"ends a level-triggered interrupt at the guest's EOI"*)
		echo "eoi-probe: this host's KVM waits for the guest's EOI, as the IOAPIC specifies ($measured); pcivmm's probe agrees"
		exit 0 ;;
	esac
	echo "eoi-probe: this host's KVM conforms ($measured), but pcivmm's probe says: host KVM $probe"
	exit 1
fi
if [ "$handlers" -gt 0 ] && [ "$rirr" -eq "$handlers" ] && [ "$isr" -eq "$handlers" ] && [ "$tmr" -eq 0 ]; then
	case $probe in
	"EOIs a level-triggered interrupt itself as it injects it"*)
		if [ "$irqs" -eq "$cycles" ] && [ "$idle" -eq 0 ] && [ "$again" -eq 0 ]; then
			echo "eoi-probe: this host's KVM EOIs level interrupts as it injects them ($measured); pcivmm's probe agrees and pulses emulated INTx, so every count is exact"
			exit 0
		fi
		echo "eoi-probe: this host's KVM EOIs level interrupts as it injects them and pcivmm's probe agrees, but its pulsed INTx was not exact: $measured"
		exit 1 ;;
	esac
	echo "eoi-probe: this host's KVM EOIs level interrupts as it injects them ($measured), but pcivmm's probe says: host KVM $probe"
	exit 1
fi
echo "eoi-probe: what the guest measured fits neither a conforming KVM nor one that EOIs at every injection under pcivmm's pulses ($measured; pcivmm exited $rc); pcivmm's probe says: host KVM $probe"
exit 1
