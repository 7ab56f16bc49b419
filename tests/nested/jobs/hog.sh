# A guest that raises and never acknowledges holds its line asserted for
# 10 s; the host device on the same line must still get every interrupt.
# Then the same hog is stopped by SIGTERM mid-storm: pcivmm unwinds (exit
# 10), leaves the still-asserting device masked, the sharer misses nothing,
# and the next VM on the device gets exact counts. Then SIGKILL, with the
# reaper stopped first (as if the machine were too busy to run it): pcivmm
# runs no teardown, but the reaper's copy of the VFIO device file keeps the
# device open, so vfio-pci restores no config (INTx enabled) however long
# the reaper takes, and the line stays quiet (vfio-pci's own handler has
# masked the device: INTX_DISABLE set while it asserts); once let go on,
# the reaper closes its copy and masks the device at once.
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
PENDING=$EDU_A vm_killed KILL 'intx-hog: holding the line' $TMPDIR/guest.log reaper-held --passthrough $EDU_A \
	--cmdline seconds=60 --kernel "$B/guest-tests/intx-hog.elf"
cat $TMPDIR/guest.log
[ $killed_rc -eq 137 ]
verdict $? "SIGKILL in the middle of a held line: pcivmm is gone (status $killed_rc, want 137)"
read -r _ _ files _ _ _ _ _ cmd _ status <<<"$held_state"
[ "$files" = 1 ] && is_pending $status && is_masked $cmd
verdict $? "2 s after the SIGKILL, its reaper stopped: the device is still open and masked while it asserts ($held_state)"
left_masked $EDU_A killed
line_clean "the SIGKILLed hog" --passthrough $EDU_A
guest pass intx-storm --passthrough $EDU_A --cmdline count=3000
sharer_finish
finish
