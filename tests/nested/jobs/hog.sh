# A guest that raises and never acknowledges holds its line asserted for
# 10 s; the host device on the same line must still get every interrupt.
# Then the same hog is stopped by SIGTERM mid-storm: pcivmm unwinds (exit
# 10), leaves the still-asserting device masked, the sharer misses nothing,
# and the next VM on the device gets exact counts.
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 30
guest pass intx-hog --passthrough $EDU_A --cmdline seconds=10
PENDING=$EDU_A vm_killed TERM 'intx-hog: holding the line' $TMPDIR/guest.log - --passthrough $EDU_A \
	--cmdline seconds=60 --kernel "$B/guest-tests/intx-hog.elf"
rc=$killed_rc
cat $TMPDIR/guest.log
[ $rc -eq 10 ] && grep -q 'stopping on signal' $TMPDIR/guest.log
verdict $? "SIGTERM in the middle of a held line: pcivmm unwinds and exits 10 (got $rc)"
left_masked $EDU_A killed
line_clean "the SIGTERM'd hog" --passthrough $EDU_A
guest pass intx-storm --passthrough $EDU_A --cmdline count=3000
sharer_finish
finish
