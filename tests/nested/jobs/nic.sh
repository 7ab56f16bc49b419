# A real driver on a passed NIC (l1-run with two e1000e on one QEMU hub: a
# network that exists only inside QEMU). NIC_A goes to a Linux L2 whose own
# e1000e driver runs it; NIC_B stays in L1 on L1's e1000e driver. The L2
# pings L1's NIC by its IPv6 link-local address (from its MAC) 1000 times,
# in each interrupt mode (e1000e's IntMode: MSI-X with its rx, tx and other
# vectors, MSI, INTx) while the sharer drives an edu on NIC_A's host INTx
# line: 0 loss, the sharer exact, the host line clean.
. "$(dirname "$0")/lib.sh"
NIC_A=0000:00:14.0
NIC_B=0000:00:15.0
L1_LINK_LOCAL=fe80::5054:ff:fe00:2 # EUI-64 of NIC_B's MAC 52:54:00:00:00:02
modprobe e1000e || { echo "not ok - modprobe e1000e"; exit 1; }
"$S/scripts/vfio-bind" $NIC_A || { echo "not ok - vfio-bind $NIC_A"; exit 1; }
# QEMU's e1000e has only a PM reset, which it ignores (lib.sh,
# reinit_by_l1_driver): check says what that reset is worth.
"$P" check $NIC_A >$TMPDIR/check.out 2>&1
grep -q -E '^ *reset: +pm only \(D3hot to D0\), which some devices ignore' $TMPDIR/check.out
verdict $? "pcivmm check says $NIC_A's only reset is a PM reset, which devices may ignore ($(grep -m1 'reset:' $TMPDIR/check.out | tr -s ' ' | cut -c1-60))"
ifb=$(ls /sys/bus/pci/devices/$NIC_B/net 2>/dev/null | head -1)
[ -n "$ifb" ] && ip link set "$ifb" up
verdict $? "L1's own e1000e driver has $NIC_B (${ifb:-no interface}) and it is up"
"$S/scripts/busybox-initramfs" --reboot $TMPDIR/nic.cpio.gz e1000e >/dev/null ||
	{ echo "not ok - busybox-initramfs"; exit 1; }

# nic_ping MODE INTMODE CHIP VECTORS: the L2 in e1000e.IntMode=INTMODE; its
# /proc/interrupts must show CHIP for eth0's VECTORS (a regex of their names).
nic_ping() {
	local mode=$1 intmode=$2 chip=$3 vectors=$4 rc out loss irqs
	sharer_start 60 $EDU_B # through most of the L2's run, then it reports
	# What L1 sees of the device's MSI: vfio-pci's handler count, sampled.
	(while :; do sed -n "s/^ *[0-9]*: *\([0-9]*\) .*vfio-msi\[0\]($NIC_A)/\1/p" /proc/interrupts; sleep 0.2; done \
		>$TMPDIR/l1-msi.log 2>/dev/null) &
	local sampler=$!
	# An L2 whose vCPU shut down with nothing printed (the one MSI-mode run
	# in 22 that failed) runs again, as guest() does.
	l2_run $TMPDIR/nic.log "$mode" --mem 512M --passthrough $NIC_A \
		--kernel /boot/vmlinuz-"$(uname -r)" --initrd $TMPDIR/nic.cpio.gz \
		--cmdline "console=ttyS0 reboot=pci loglevel=4 e1000e.IntMode=$intmode guest.ping6=$L1_LINK_LOCAL guest.ping_count=1000"
	rc=$l2_rc
	kill $sampler 2>/dev/null
	wait $sampler 2>/dev/null
	sharer_finish
	out=$(tr -d '\r' <$TMPDIR/nic.log)
	sed -n 's/^guest: extcaps 0000:00:01.0 *//p' <<<"$out" >$TMPDIR/l2-extcaps
	[ $rc -eq 0 ] && grep -q '^guest: PCI 0000:00:01.0 8086:10d3 driver e1000e' <<<"$out"
	verdict $? "$mode: the L2's e1000e driver runs the passed NIC; the run ends cleanly (pcivmm exited $rc)"
	grep -q -E '^guest: ping eth0: 1000 packets transmitted, 1000 packets received, 0% packet loss' <<<"$out"
	verdict $? "$mode: 1000 pings to L1's NIC, 0 lost ($(grep -m1 'packets transmitted' <<<"$out"))"
	if [ "$intmode" = 1 ] && [ -s $TMPDIR/l1-msi.log ] &&
		[ "$(sort -n $TMPDIR/l1-msi.log | tail -1)" = 0 ]; then
		# Linux's e1000e tests MSI at open: it sets IMS, writes ICS with
		# RXSEQ (interrupt cause bit 3) and wants one MSI within 100 ms, else
		# "MSI interrupt test failed, using legacy interrupt". QEMU 7.2's
		# e1000e model leaves RXSEQ out of the IMS bits it accepts
		# (ims_valid_mask in hw/net/e1000e_core.c), so the test's cause is
		# masked and no MSI is sent; 10.0 does the same. L1's own e1000e
		# driver in IntMode=1 falls back alike on QEMU 10, with or without an
		# IOMMU, with throttling off too (2026-12-02). The guest did
		# enable MSI (vfio-pci set up its handler in L1, which counted 0).
		# Not pcivmm's to deliver; msi-basic shows MSI through VFIO.
		echo "# $mode: the guest enabled MSI, but L1's vfio-msi handler counted 0: QEMU's e1000e never sends the MSI of the driver's self-test (RXSEQ is not in the IMS bits it accepts), so the driver falls back to INTx, as L1's own e1000e driver does"
		chip=IO-APIC vectors=eth0
	fi
	# The chip is "PCI-MSI" on 6.1, "PCI-MSIX-0000:00:01.0" on 6.12.
	irqs=$(sed -n "s/^guest: irq *[0-9]*: *\([0-9]*\) .*$chip[^ ]* .* eth0.*/\1/p" <<<"$out" |
		awk '{ s += $1 } END { print s + 0 }')
	[ "$irqs" -ge 1000 ] && grep -q -E "^guest: irq .*$chip[^ ]* .* ($vectors)\$" <<<"$out"
	verdict $? "$mode: the NIC interrupts the L2 by $chip on vectors $vectors ($irqs interrupts)"
	line_clean "the NIC's L2 ($mode)" --passthrough $NIC_A
}

nic_ping "MSI-X (IntMode=2)" 2 PCI-MSI 'eth0-rx-0|eth0-tx-0'
nic_ping "MSI (IntMode=1)" 1 PCI-MSI 'eth0'
nic_ping "INTx (IntMode=0)" 0 IO-APIC 'eth0' 
# The NIC's extended config space (PCIe: QEMU's e1000e has AER and a serial
# number): the guest walks it through ECAM; it must list what L1 sees of the
# device, less what pcivmm hides (pt_ext_config.c keeps AER, DSN, power
# budgeting, VSEC, DVSEC).
want=$(python3 - /sys/bus/pci/devices/$NIC_A/config <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, seen, out = 0x100, set(), []
while off and len(d) >= off + 4 and off not in seen:
    seen.add(off)
    h = struct.unpack_from("<I", d, off)[0]
    if h in (0, 0xffffffff):
        break
    if h & 0xffff in (0x01, 0x03, 0x04, 0x0b, 0x23):
        out.append("0x%04x@0x%03x" % (h & 0xffff, off))
    off = (h >> 20) & 0xffc
print(" ".join(out))
PY
)
guest pass ext-caps --passthrough $NIC_A --testdev=5
got=$(sed -n 's/^ext-caps 00:01\.0: *//p' $TMPDIR/guest.log | tr -d '\r')
[ -n "$want" ] && [ "$got" = "$want" ]
verdict $? "the guest sees the NIC's extended capabilities as L1 does ('$got'; L1: '$want')"
# The same through Linux: the L2's kernel reaches extended config space by
# the ECAM window of pcivmm's ACPI MCFG (its sysfs config file is 4096 bytes).
got=$(cat $TMPDIR/l2-extcaps 2>/dev/null)
[ -n "$want" ] && [ "$got" = "$want" ]
verdict $? "the Linux L2 reads the NIC's extended capabilities through the MCFG's ECAM as L1 does ('$got'; L1: '$want')"

# The premise of the INTx run: the NIC's host line is the edus' (the sharer's).
nic_irq=$(cat /sys/bus/pci/devices/$NIC_A/irq) edu_irq=$(cat /sys/bus/pci/devices/$EDU_B/irq)
echo "# NIC host IRQ $nic_irq, the sharer's edu $edu_irq"
[ "$nic_irq" = "$edu_irq" ]
verdict $? "the passed NIC shares its host INTx line with the sharer's edu (IRQ $nic_irq and $edu_irq)"
finish
