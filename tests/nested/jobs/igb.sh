# QEMU 10's igb (an 82576 with up to 7 SR-IOV VFs) behind a PCIe root
# port, and an e1000e on L1's driver on the same QEMU hub (l1-run on the
# current leg).
# SR-IOV: L1's igb driver runs the PF and makes two VFs (sriov_numvfs). A VF
# has no INTx pin (PCI_INTERRUPT_PIN 0): pcivmm check and the startup line
# must say so. One VF, then both VFs of the PF in one guest, go (managed) to
# a Linux L2 whose igbvf driver brings the link up and pings the PF's IPv6
# link-local address 1000 times through each VF with 0 loss, over MSI-X; the
# igb model switches VF<->PF traffic inside the device (the PF driver turns
# on VMDq loopback when VFs exist).
# MSI: then the PF itself goes to an L2 with msix=off, so its igb driver
# takes MSI (igb falls back from MSI-X to MSI), and pings L1's e1000e 1000
# times: a real NIC driver's traffic by MSI, counted by L1's vfio-msi
# handler. (e1000e cannot show this: QEMU's model never sends the MSI of
# its driver's self-test, see nic.sh.)
. "$(dirname "$0")/lib.sh"
L1_NIC=0000:00:15.0
L1_LINK_LOCAL=fe80::5054:ff:fe00:11 # EUI-64 of L1_NIC's MAC 52:54:00:00:00:11
modprobe igb && modprobe e1000e || { echo "not ok - modprobe igb e1000e"; exit 1; }
PF=$(for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x8086:0x10c9 ] && basename $d
done | head -1)
pfif=$(ls /sys/bus/pci/devices/$PF/net 2>/dev/null | head -1)
[ -n "$pfif" ] && ip link set "$pfif" up && echo 2 >/sys/bus/pci/devices/$PF/sriov_numvfs
verdict $? "L1's igb driver has the PF $PF (${pfif:-no interface}) up and made 2 VFs"
VF0=$(basename "$(readlink /sys/bus/pci/devices/$PF/virtfn0)")
VF1=$(basename "$(readlink /sys/bus/pci/devices/$PF/virtfn1)")
for i in $(seq 50); do # the PF's link-local address, once duplicate address detection is done
	pf_ll=$(ip -6 addr show dev "$pfif" scope link 2>/dev/null | grep -v tentative |
		sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64.*/\1/p')
	[ -n "$pf_ll" ] && break
	sleep 0.2
done
echo "# PF $PF ($pfif, $pf_ll), VFs $VF0 and $VF1 (IOMMU groups $(basename "$(readlink /sys/bus/pci/devices/$VF0/iommu_group)") and $(basename "$(readlink /sys/bus/pci/devices/$VF1/iommu_group)"))"

"$P" check $VF0 >$TMPDIR/check.out 2>&1
sed 's/^/# check| /' $TMPDIR/check.out
grep -q -E '^ *INTx: +no pin: ' $TMPDIR/check.out && grep -q -E '^ *MSI, MSI-X: .*MSI-X [0-9]+ vector' $TMPDIR/check.out
verdict $? "pcivmm check says the VF has no INTx pin and offers MSI-X ($(grep -m1 'INTx:' $TMPDIR/check.out | tr -s ' '))"

"$S/scripts/busybox-initramfs" --reboot $TMPDIR/vf.cpio.gz igbvf >/dev/null ||
	{ echo "not ok - busybox-initramfs"; exit 1; }

# vf_ping WHAT VF...: one L2 with each VF passed (managed); 1000 pings
# through each of its igbvf interfaces.
vf_ping() {
	local what=$1 rc out pt=() i
	shift
	for i in "$@"; do pt+=(--passthrough $i,managed); done
	l2_run $TMPDIR/vf.log "$what" --mem 512M "${pt[@]}" --kernel /boot/vmlinuz-"$(uname -r)" \
		--initrd $TMPDIR/vf.cpio.gz \
		--cmdline "console=ttyS0 reboot=pci loglevel=4 guest.ping6=$pf_ll guest.ping_count=1000"
	rc=$l2_rc
	out=$(tr -d '\r' <$TMPDIR/vf.log)
	for i in "$@"; do
		grep -q "^pcivmm: $i (.*); no INTx (no pin); MSI-X offered" <<<"$out"
		verdict $? "$what: the startup line says $i has no INTx ($(grep -m1 -o "^pcivmm: $i (.*" <<<"$out" | sed 's/.*); //'))"
	done
	[ $rc -eq 0 ] && [ "$(grep -c '^guest: PCI 0000:00:0[0-9a-f].0 8086:10ca driver igbvf' <<<"$out")" = $# ]
	verdict $? "$what: the L2's igbvf driver runs each passed VF; the run ends cleanly (pcivmm exited $rc)"
	for i in $(seq 0 $(($# - 1))); do
		grep -q -E "^guest: ping eth$i: 1000 packets transmitted, 1000 packets received, 0% packet loss" <<<"$out"
		verdict $? "$what: 1000 pings to the PF through eth$i, 0 lost ($(grep -m1 "^guest: ping eth$i: .*packets transmitted" <<<"$out" | sed 's/^guest: ping eth[0-9]*: //'))"
		grep -q -E "^guest: irq .*PCI-MSI[^ ]* .* eth$i-rx-0\$" <<<"$out"
		verdict $? "$what: eth$i interrupts the L2 by MSI-X ($(grep "^guest: irq .* eth$i-" <<<"$out" | awk '{ printf "%s %s; ", $NF, $4 }'))"
	done
	for i in "$@"; do
		[ "$(basename "$(readlink /sys/bus/pci/devices/$i/driver 2>/dev/null)")" != vfio-pci ]
		verdict $? "$what: $i is off vfio-pci again after the run (managed)"
	done
}

vf_ping "one VF" $VF0
vf_ping "two VFs of one PF in one guest" $VF0 $VF1
echo 0 >/sys/bus/pci/devices/$PF/sriov_numvfs
verdict $? "L1 removes the VFs afterwards (sriov_numvfs 0)"

l1if=$(ls /sys/bus/pci/devices/$L1_NIC/net 2>/dev/null | head -1)
[ -n "$l1if" ] && ip link set "$l1if" up
verdict $? "L1's own e1000e driver has $L1_NIC (${l1if:-no interface}) and it is up"
"$S/scripts/busybox-initramfs" --reboot $TMPDIR/pf.cpio.gz igb >/dev/null ||
	{ echo "not ok - busybox-initramfs"; exit 1; }
# What L1 sees of the PF's MSI: vfio-pci's handler count, sampled.
(while :; do sed -n "s/^ *[0-9]*: *\([0-9]*\) .*vfio-msi\[0\]($PF)/\1/p" /proc/interrupts; sleep 0.2; done \
	>$TMPDIR/l1-msi.log 2>/dev/null) &
sampler=$!
l2_run $TMPDIR/pf.log "the PF by MSI" --mem 512M --passthrough $PF,managed,msix=off \
	--kernel /boot/vmlinuz-"$(uname -r)" --initrd $TMPDIR/pf.cpio.gz \
	--cmdline "console=ttyS0 reboot=pci loglevel=4 guest.ping6=$L1_LINK_LOCAL guest.ping_count=1000"
rc=$l2_rc
kill $sampler 2>/dev/null
wait $sampler 2>/dev/null
out=$(tr -d '\r' <$TMPDIR/pf.log)
# L1's interface on the PF is up (its link-local address passed DAD above).
grep -q "^pcivmm: warning: $PF: its network interface $pfif is up; the host loses it while pcivmm has the device" <<<"$out"
verdict $? "passing the PF with ,managed warns that L1's interface on it ($pfif) is up"
grep -q "^pcivmm: $PF (.*); INTA host IRQ .*; MSI offered (one vector), MSI-X hidden" <<<"$out"
verdict $? "msix=off: the startup line says MSI-X is hidden ($(grep -m1 -o "^pcivmm: $PF (.*" <<<"$out" | sed 's/.*; //'))"
[ $rc -eq 0 ] && grep -q '^guest: PCI 0000:00:01.0 8086:10c9 driver igb' <<<"$out"
verdict $? "the PF by MSI: the L2's igb driver runs it; the run ends cleanly (pcivmm exited $rc)"
grep -q -E '^guest: ping eth0: 1000 packets transmitted, 1000 packets received, 0% packet loss' <<<"$out"
verdict $? "the PF by MSI: 1000 pings to L1's e1000e, 0 lost ($(grep -m1 '^guest: ping eth0: .*packets transmitted' <<<"$out" | sed 's/^guest: ping eth0: //'))"
irqs=$(sed -n 's/^guest: irq *[0-9]*: *\([0-9]*\) *PCI-MSI[^X ]* .* eth0$/\1/p' <<<"$out")
l1_msis=$(sort -n $TMPDIR/l1-msi.log | tail -1)
[ "${irqs:-0}" -ge 1000 ] && [ "${l1_msis:-0}" -ge 1000 ]
verdict $? "the PF by MSI: eth0 interrupts the L2 by MSI (${irqs:-no} interrupts; L1's vfio-msi handler counted ${l1_msis:-none})"
line_clean "the PF's L2" --passthrough $PF
finish
