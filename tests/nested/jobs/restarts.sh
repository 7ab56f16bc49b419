# Restarts on a passed-through device, in an L1 of their own: 10
# back-to-back runs, each passing; L1's open files and free memory do not
# drift; the host line stays clean. (Each L1 boot is kept to a few dozen
# VMs: the nested TCG L1 has been seen to lock up after some 35-40 VM runs
# in one boot. Fault injection on VFIO is the faults job.) 32 MiB guests:
# most of a run's time in this TCG L1 is pinning guest RAM for DMA.
. "$(dirname "$0")/lib.sh"
same_host_irq
files_before=$(awk '{ print $1 }' /proc/sys/fs/file-nr)
mem_before=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
runs=0
for i in $(seq "${BACK_TO_BACK:-10}"); do
	timeout 60 "$P" --mem 32M --passthrough $EDU_A --kernel "$B/guest-tests/intx-basic.elf" \
		</dev/null >$TMPDIR/b2b.log 2>&1 && grep -q '^PASS:' $TMPDIR/b2b.log && runs=$((runs + 1))
	# One line per run: l1-run takes a silent console for a hung L1.
	echo "back-to-back run $i: $runs passed so far"
done
files_after=$(awk '{ print $1 }' /proc/sys/fs/file-nr)
mem_after=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
echo "back-to-back: $runs passed; open files $files_before -> $files_after; MemAvailable $mem_before -> $mem_after kB"
[ $runs -eq "${BACK_TO_BACK:-10}" ] && [ $((files_after - files_before)) -lt 64 ] &&
	[ $((mem_before - mem_after)) -lt 16384 ]
verdict $? "${BACK_TO_BACK:-10} back-to-back runs all pass; L1's open files and memory do not drift"
line_clean "the back-to-back runs" --passthrough $EDU_A
finish
