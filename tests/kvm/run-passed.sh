# Sourced by repeat.sh and back-to-back.sh, which run one guest many times.
# run_passed I RC OUTPUT: true when run I passed (pcivmm exited 0 and the
# guest printed "PASS:"); otherwise a "not ok" line with pcivmm's status
# (124: timeout stopped it) and the run's last 20 lines, where a vCPU
# shutdown of L1's emulated SVM shows for l1-batch.sh's retry.
run_passed() {
	[ "$2" -eq 0 ] && grep -q '^PASS:' <<<"$3" && return 0
	echo "not ok - run $1: exit $2$([ "$2" -eq 124 ] && echo " (hung: stopped after 60 s)")"
	tail -20 <<<"$3"
	return 1
}
