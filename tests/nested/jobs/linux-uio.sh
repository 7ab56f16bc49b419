# Linux L2 (Debian's kernel, busybox initramfs) with EDU_A passed through and
# bound to uio_pci_generic: 10000 raise/ack cycles through /dev/uio0 while L1
# drives EDU_B on the same host line. With fault=stale-status (a STATUS copy,
# as kvmtool has) the same test must fail.
. "$(dirname "$0")/lib.sh"
same_host_irq
"$S/tests/nested/l2-initramfs" $TMPDIR/l2.cpio.gz "$B/tests/uio-intx" || exit 1
linux() { # linux pass|fail COUNT PASSTHROUGH-OPTION
	local out rc ok=1
	timeout 400 "$B/pcivmm" --mem 512M --passthrough "$3" \
		--kernel /boot/vmlinuz-"$(uname -r)" --initrd $TMPDIR/l2.cpio.gz \
		--cmdline "console=ttyS0 rdinit=/init loglevel=4 uio_count=$2" </dev/null 2>&1 |
		tee $TMPDIR/l2.log
	rc=${PIPESTATUS[0]}
	out=$(cat $TMPDIR/l2.log)
	# The L2 ends through the debug-exit port: 0 -> pcivmm status 1.
	case $1 in
	pass) [ $rc -eq 1 ] && grep -q '^L2-RESULT=0' <<<"$out" && ok=0 ;;
	fail) [ $rc -ne 1 ] && ok=0 ;;
	esac
	verdict $ok "Linux L2, uio_pci_generic, $2 cycles, --passthrough $3: expected to $1 (pcivmm exited $rc)"
}
sharer_start 60
linux pass 10000 $EDU_A
sharer_finish
linux fail 300 $EDU_A,fault=stale-status
# The stale-status run is expected to upset L2's kernel, not L1's.
finish
