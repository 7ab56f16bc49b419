# Linux L2 (Debian's kernel, busybox initramfs) with EDU_A passed through and
# bound to uio_pci_generic: 10000 raise/ack cycles through /dev/uio0 while L1
# drives EDU_B on the same host line, INTx re-enabled as the UIO HOWTO does
# (byte at 5) and as pci_intx() does (word at 4); then EDU_A and EDU_C on
# one guest line (slots 4 and 8: the same IOAPIC pin), a uio-intx on each at
# once, every interrupt claimed by the right device, in a Linux booted from
# its vmlinux by the PVH entry. With fault=stale-status (a
# STATUS copy, as kvmtool has) the same test must fail for one reason: the
# first raise never reaches user space (uio_pci_generic's handler reads
# STATUS.INTERRUPT 0 and claims nothing: uio-intx counts it missed) while
# L2's uio line took interrupts (its /proc/interrupts count is not 0).
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 180
linux pass 10000 byte $EDU_A
linux pass 10000 word $EDU_A
# Booted from the vmlinux inside the bzImage, at its PVH entry (the ACPI
# checks of lib.sh hold for it as for the bzImage).
L2_KERNEL=vmlinux linux pass 3000 byte "$EDU_A,slot=4 $EDU_C,slot=8"
sharer_finish
# A guest booted with acpi=off routes by the MP table instead of the _PRT.
L2_CMDLINE=acpi=off linux pass 1000 byte "$EDU_A,slot=4 $EDU_C,slot=8"
linux fail 300 byte $EDU_A,fault=stale-status 'uio-intx: uio0: 0 raised, 0 interrupts, 1 missed'
grep -q -E '^ *[0-9]+: +[1-9][0-9]* .*uio' $TMPDIR/l2.log
verdict $? "stale-status: L2's uio line took unclaimed interrupts ($(grep -m1 -E '^ *[0-9]+:.*uio' $TMPDIR/l2.log | tr -s ' '))"
# poweroff -f in a Linux L2 (no device, no debug-exit port): Linux writes
# the \_S5 sleep type with SLP_EN to the FADT's PM1a control register,
# which ends pcivmm with status 0.
"$S/scripts/busybox-initramfs" --poweroff $TMPDIR/off.cpio.gz >/dev/null || { echo "not ok - busybox-initramfs"; exit 1; }
l2_run $TMPDIR/off.log "the poweroff L2" --kernel /boot/vmlinuz-"$(uname -r)" \
	--initrd $TMPDIR/off.cpio.gz --cmdline "console=ttyS0 loglevel=4"
rc=$l2_rc
[ $rc -eq 0 ] && grep -q '^guest: done, poweroff' $TMPDIR/off.log && grep -q 'reboot: Power down' $TMPDIR/off.log
verdict $? "poweroff -f in a Linux L2 ends pcivmm through ACPI (PM1a control, \\_S5) with status 0 (exited $rc)"
# The stale-status run is expected to upset L2's kernel, not L1's.
finish
