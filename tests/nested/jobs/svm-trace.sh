# svm-trace.sh BUILD [RUNS]: a measurement, not a test. Runs intx-hog
# seconds=2 under pcivmm up to RUNS times (default 40) with L1's kvm_exit and
# kvm_inj_exception trace events on; at the first L2 vCPU shutdown
# (tcg_svm_shutdown) prints the guest's output, the trace up to the
# shutdown exit (the last RIPs, exit reasons and the event pending at the
# shutdown) and, for an L2 RIP in the kernel's half, the L1 symbol it falls
# in. Run: scripts/nested/l1-run --stack current tests/nested/jobs/svm-trace.sh BUILD 80
# (more events, e.g. kvm_entry or kvm_inj_virq, make the shutdown rarer).
. "$(dirname "$0")/lib.sh"
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
echo 0 >$T/tracing_on
echo 8192 >$T/buffer_size_kb
echo >$T/trace
for e in kvm/kvm_exit kvm/kvm_inj_exception; do
	echo 1 >$T/events/$e/enable 2>/dev/null || echo "# no event $e"
done
n=${2:-40}
for ((i = 0; i < n; i++)); do
	echo >$T/trace
	echo 1 >$T/tracing_on
	timeout 60 "$P" --passthrough $EDU_A --kernel "$B/guest-tests/intx-hog.elf" --cmdline seconds=2 </dev/null >$TMPDIR/h.log 2>&1
	rc=$?
	echo 0 >$T/tracing_on
	if tcg_svm_shutdown <$TMPDIR/h.log; then
		echo "hogtrace: run $i: SHUTDOWN (exit $rc)"
		cat $TMPDIR/h.log
		grep -n -i "shutdown" $T/trace | tail -3
		line=$(grep -n -i "reason.*shutdown\|SHUTDOWN" $T/trace | head -1 | cut -d: -f1)
		[ -n "$line" ] && sed -n "$((line > 80 ? line - 80 : 1)),$((line + 5))p" $T/trace
		[ -z "$line" ] && tail -80 $T/trace
		for rip in $(grep -o 'rip 0xffffffff[0-9a-f]*' $T/trace | sort -u | awk '{print $2}'); do
			python3 - "$rip" <<'PY'
import sys
a = int(sys.argv[1], 16); best = None
for l in open("/proc/kallsyms"):
    f = l.split()
    v = int(f[0], 16)
    if v <= a and (best is None or v > best[0]):
        best = (v, " ".join(f[1:]))
print("hogtrace: %s is %s+0x%x" % (sys.argv[1], best[1], a - best[0]))
PY
		done
		exit 0
	fi
	echo "hogtrace: run $i: exit $rc $(grep -c '^ok' $TMPDIR/h.log) oks"
done
echo "hogtrace: no shutdown in $n runs"
