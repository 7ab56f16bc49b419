# pcivmm built with AddressSanitizer and UndefinedBehaviorSanitizer
# (pcivmm-san) through the nested tests that exercise the most code: the
# guest tests on passed devices, the hostile guest, DMA confinement, a
# Linux L2, a signal mid-storm, the left-pending cleanup. Any sanitizer
# report fails the run (the sanitizers exit 99, leaks included).
export PCIVMM_BIN=$1/tests/pcivmm-san
export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 200 $EDU_C
guest pass intx-basic --passthrough $EDU_A
guest pass intx-mask --passthrough $EDU_A
guest pass intx-storm --passthrough $EDU_A --cmdline count=3000
guest pass intx-shared --passthrough $EDU_A,slot=4 --passthrough $EDU_B,slot=8 --cmdline rounds=200
guest pass pci-enum --passthrough $EDU_A --passthrough $EDU_B --testdev
guest pass adversary --passthrough $EDU_A --passthrough $EDU_B --cmdline toggles=1000
guest pass dma-confined --mem 128M --passthrough $EDU_A
guest pass intx-hog --passthrough $EDU_A --cmdline "seconds=2 leave_pending=1"
left_masked $EDU_A
storm_killed TERM $EDU_A
cat $TMPDIR/storm.log
[ $storm_rc -eq 10 ] && ! grep -q -E 'Sanitizer|runtime error' $TMPDIR/storm.log
verdict $? "SIGTERM mid-storm under the sanitizers: exit 10, no report (got $storm_rc)"
linux pass 1000 byte $EDU_A
sharer_finish
if grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' $TMPDIR/*.log 2>/dev/null; then
	verdict 1 "no sanitizer report in any run"
else
	verdict 0 "no sanitizer report in any run"
fi
finish
