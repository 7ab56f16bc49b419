# pcivmm check, in an L1 booted with --group-pair (two more edus behind a PCI
# bridge: one IOMMU group). Each verdict is followed by what pcivmm then does,
# so a verdict is shown right, not just printed: "usable" devices boot a
# guest; for the others, pcivmm refuses them, and the fix check names works.
# Then both functions of that group go to one guest, ivshmem-plain's 1 GiB
# 64-bit BAR to a guest that uses it above 4 GiB, and an edu's expansion ROM
# to a guest that reads it.
. "$(dirname "$0")/lib.sh"
modprobe uio_pci_generic || { echo "not ok - cannot load uio_pci_generic"; exit 1; }
dev=/sys/bus/pci/devices
PAIR_1=0000:01:01.0
PAIR_2=0000:01:02.0

# on_driver BDF DRIVER: binds BDF to DRIVER (driver_override), "" for none.
on_driver() {
	local cur
	cur=$(basename "$(readlink $dev/$1/driver 2>/dev/null)")
	[ -n "$cur" ] && echo $1 >$dev/$1/driver/unbind
	echo "$2" >$dev/$1/driver_override
	[ -n "$2" ] && echo $1 >/sys/bus/pci/drivers_probe
	echo >$dev/$1/driver_override
}

# check_says WHAT STATUS REGEX... BDF: pcivmm check BDF exits STATUS and its
# report matches every REGEX.
check_says() {
	local what=$1 want=$2 out rc ok=0 re
	shift 2
	local bdf=${!#}
	out=$("$P" check "$bdf" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq "$want" ] || ok=1
	while [ $# -gt 1 ]; do
		grep -q -E -- "$1" <<<"$out" || { echo "# missing: $1"; ok=1; }
		shift
	done
	verdict $ok "check $bdf, $what: exit $rc (want $want), report as expected"
}

[ -e $dev/$PAIR_1/iommu_group ] &&
	[ "$(readlink $dev/$PAIR_1/iommu_group)" = "$(readlink $dev/$PAIR_2/iommu_group)" ]
verdict $? "the premise: $PAIR_1 and $PAIR_2 share one IOMMU group"

# 1. An edu on vfio-pci, alone in its group: usable; and it is.
check_says "on vfio-pci" 0 '^  driver: +vfio-pci' 'IOMMU group: +[0-9]+, no other members' \
	'interrupt remap: +on' 'INTx: +pin A, host IRQ [0-9]+' \
	'INTx masking: +PCI 2.3' 'MSI 1 vector' 'reset: +none' 'BAR0 1 MiB memory' \
	'backend: +vfio \(bound to vfio-pci\)' 'verdict: +usable' $EDU_A
guest pass intx-basic --passthrough $EDU_A

# 2. An edu on a host driver: not usable as it is; ,managed (the fix named) is.
on_driver $EDU_C uio_pci_generic
check_says "on the host driver uio_pci_generic" 12 '^  driver: +uio_pci_generic' \
	'INTx masking: +unknown' 'line shared with .*uio_pci_generic' \
	"bound to the host driver uio_pci_generic: pass it with --passthrough $EDU_C,managed" \
	'not usable as it is \(1 problem\)' $EDU_C
# The same two verdicts as one JSON document (check --json).
out=$("$P" check --json $EDU_A $EDU_C 2>&1); rc=$?
python3 -c 'import json, sys
r = json.loads(sys.argv[1])["devices"]
a, c = r
ok = (a["bdf"] == sys.argv[2] and a["usable"] and a["problems"] == [] and a["facts"]["driver"] == "vfio-pci"
      and c["bdf"] == sys.argv[3] and not c["usable"] and len(c["problems"]) == 1
      and "managed" in c["problems"][0] and c["facts"]["driver"] == "uio_pci_generic")
sys.exit(0 if ok else 1)' "$out" $EDU_A $EDU_C && [ $rc -eq 12 ]
verdict $? "check --json: $EDU_A usable, $EDU_C not (one problem naming managed), exit $rc (want 12)"
"$P" --passthrough $EDU_C --kernel "$B/guest-tests/intx-basic.elf" </dev/null >$TMPDIR/o 2>&1
[ $? -eq 6 ] && grep -q "bound to uio_pci_generic" $TMPDIR/o
verdict $? "pcivmm indeed refuses it without managed: $(cat $TMPDIR/o)"
guest pass intx-basic --passthrough $EDU_C,managed

# 3. No driver at all (stock KVM has no KVM_CAP_PCI_2_3 for kvm-assign).
check_says "on no driver" 12 '^  driver: +none' 'INTx masking: +PCI 2.3' \
	"no driver has it: bind it to vfio-pci: scripts/vfio-bind $PAIR_1" \
	"also 0000:00:10.0 \(no driver\), $PAIR_2 \(no driver\)|also $PAIR_2 \(no driver\), 0000:00:10.0" $PAIR_1

# 4. On vfio-pci, but its group holds a member on a host driver.
"$S/scripts/vfio-bind" $PAIR_1
on_driver $PAIR_2 uio_pci_generic
check_says "group member on a host driver" 12 \
	"IOMMU group [0-9]+ also holds $PAIR_2, bound to host driver uio_pci_generic: .*scripts/vfio-bind $PAIR_2" \
	'not usable as it is \(1 problem\)' $PAIR_1
"$P" --passthrough $PAIR_1 --kernel "$B/guest-tests/intx-basic.elf" </dev/null >$TMPDIR/o 2>&1
[ $? -eq 6 ] && grep -q "is not viable" $TMPDIR/o
verdict $? "pcivmm indeed refuses it: $(cat $TMPDIR/o)"
# The fix it names, then the device is usable, and used.
"$S/scripts/vfio-bind" $PAIR_2
check_says "after the fix" 0 "also .*$PAIR_2 \(vfio-pci\)" 'verdict: +usable' $PAIR_1
guest pass intx-basic --passthrough $PAIR_1
# Both functions of the group to one guest (the group opened once, shared),
# on one guest GSI: each device's interrupts exact.
guest pass intx-shared --passthrough $PAIR_1,slot=4 --passthrough $PAIR_2,slot=8 --cmdline rounds=200

# 5. A large 64-bit BAR: ivshmem-plain's 1 GiB prefetchable memory (l1-run
# --device), placed above 4 GiB in the guest and used there.
IVSHMEM=0000:00:18.0
"$S/scripts/vfio-bind" $IVSHMEM
check_says "ivshmem-plain, a 1 GiB 64-bit BAR" 0 'BAR2 1 GiB memory 64-bit prefetchable' \
	'verdict: +usable' $IVSHMEM
guest pass bar64 --passthrough $IVSHMEM
grep -q -E 'BAR2 is 64-bit, prefetchable, 1024 MiB at 0x1[0-9a-f]{8}' $TMPDIR/guest.log
verdict $? "the guest found the BAR at or above 4 GiB"

# 6. An expansion ROM: an edu given iPXE's e1000e ROM (l1-run --device
# edu,romfile=...). The guest reads it through the ROM BAR; its images must
# hash as the device's own ROM does through L1's sysfs.
ROMDEV=0000:00:1c.0
"$S/scripts/vfio-bind" $ROMDEV
echo 1 >/sys/bus/pci/devices/$ROMDEV/rom
cat /sys/bus/pci/devices/$ROMDEV/rom >$TMPDIR/rom.bin
echo 0 >/sys/bus/pci/devices/$ROMDEV/rom
want=$(python3 "$S/tests/rom-hash.py" $TMPDIR/rom.bin)
check_says "an edu with an expansion ROM" 0 'ROM 256 KiB' 'verdict: +usable' $ROMDEV
guest pass rom --passthrough $ROMDEV
got=$(sed -n 's/^rom: \([0-9]*\) bytes, fnv1a64 \(0x[0-9a-f]*\).*/\1 \2/p' $TMPDIR/guest.log)
[ -n "$got" ] && [ "$got" = "$want" ]
verdict $? "the ROM the guest read is the device's ($got; L1's sysfs: $want)"

# 7. In use by a running VM.
"$P" --passthrough $EDU_B --cmdline seconds=30 --kernel "$B/guest-tests/intx-hog.elf" \
	</dev/null >$TMPDIR/hog.log 2>&1 &
hog=$!
for i in $(seq 300); do grep -q '^== intx-hog' $TMPDIR/hog.log && break; sleep 0.1; done
check_says "held by a running pcivmm" 12 "backend: +none now: in use by pcivmm \(pid $hog\)" \
	'INTx masking: +unknown' "in use by pcivmm \(pid $hog\): stop that VM" $EDU_B
kill $hog
wait $hog
echo "# the hog's pcivmm exited $? on SIGTERM"

# 8. A locked-memory limit below the guest's RAM, which VFIO pins (root
# without CAP_IPC_LOCK): check names it, pcivmm refuses at once with one
# line and leaves the device as it was; with the limit above the RAM it runs.
nolock() { setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock prlimit --memlock="$1:$1" -- "${@:2}"; }
out=$(nolock $((64 << 20)) "$P" check --mem 256M $EDU_A 2>&1); rc=$?
echo "$out"
[ $rc -eq 12 ] && grep -q -E 'locked memory: +64 MiB; a 256 MiB guest pins 256 MiB' <<<"$out" &&
	grep -q 'locked-memory limit (64 MiB) is below the guest' <<<"$out"
verdict $? "check under a 64 MiB memlock limit: exit $rc (want 12), the limit named"
out=$(nolock $((64 << 20)) "$P" --mem 256M --passthrough $EDU_A --kernel "$B/guest-tests/intx-basic.elf" </dev/null 2>&1); rc=$?
echo "$out"
[ $rc -eq 6 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "$EDU_A: cannot map guest RAM for DMA: the locked-memory limit" <<<"$out" &&
	[ "$(basename "$(readlink $dev/$EDU_A/driver)")" = vfio-pci ]
verdict $? "pcivmm under a 64 MiB memlock limit with 256 MiB of RAM: one line, exit $rc (want 6), $EDU_A still on vfio-pci"
line_clean "the refused run" --passthrough $EDU_A
nolock $((320 << 20)) "$P" --mem 256M --passthrough $EDU_A --kernel "$B/guest-tests/dma-confined.elf" \
	</dev/null >$TMPDIR/guest.log 2>&1
rc=$?
cat $TMPDIR/guest.log
[ $rc -eq 0 ] && grep -q '^PASS:' $TMPDIR/guest.log
verdict $? "under a 320 MiB memlock limit a 256 MiB guest runs and its device DMAs (exit $rc)"

# 9. Bad input: not a device, and a malformed address.
out=$("$P" check 0000:00:1e.0 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "no such PCI device" <<<"$out"
verdict $? "check of a missing device: one line, exit 2 ($out)"
out=$("$P" check 00:zz.0 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ]
verdict $? "check of a malformed address: one line, exit 2 ($out)"
finish
