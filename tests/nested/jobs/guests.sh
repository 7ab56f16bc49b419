# The guest tests, unchanged, on passed-through edu devices (intx-mask through
# every config access shape, ECAM and CF8/CFC); errors a user hits. After
# every pcivmm run the host line must be clean (lib.sh: line_clean). The job
# runs from a copy of the build in a folder only root may enter, as a clone
# in /root or a mktemp -d folder is: whatever runs as another user must get
# copies it can read.
private=$(mktemp -d -p "${TMPDIR:-/tmp}")
chmod 700 "$private"
cp -a "$1" "$private/build" || { echo "not ok - cannot copy the build into $private"; exit 1; }
set -- "$private/build" "${@:2}"
. "$(dirname "$0")/lib.sh"
echo "# build: $B (in a folder of mode $(stat -c %a "$private"), owner $(stat -c %U "$private"))"
same_host_irq
cap=$(kvm_cap_pci_2_3)
[ "$cap" = 0 ]
verdict $? "stock KVM: KVM_CHECK_EXTENSION(KVM_CAP_PCI_2_3) is 0 (got $cap)"
guest pass intx-basic --passthrough $EDU_A
guest pass intx-mask --passthrough $EDU_A
guest pass intx-storm --passthrough $EDU_A --cmdline count=5000
guest pass intx-shared --passthrough $EDU_A,slot=4 --passthrough $EDU_B,slot=8 --cmdline rounds=500
guest pass pci-enum --passthrough $EDU_A --passthrough $EDU_B --testdev
guest pass msi-basic --passthrough $EDU_A
grep -q 'MSI offered (one vector)' $TMPDIR/guest.log
verdict $? "the startup line says MSI is offered"
# Breaking the INTX_DISABLE forward must break intx-mask.
guest fail "INTX_DISABLE set: a raise delivers no interrupt" intx-mask --passthrough $EDU_A,fault=local-intx-disable

# Errors: one line naming the device and the fix, exit 6.
expect_error() { # WORDS BDF
	local out rc
	out=$("$B/pcivmm" --passthrough "$2" --kernel "$B/guest-tests/intx-basic.elf" 2>&1 </dev/null)
	rc=$?
	echo "$out"
	[ $rc -eq 6 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q -- "^pcivmm: error: .*$1" <<<"$out"
	verdict $? "pcivmm --passthrough $2: one error line saying '$1', exit 6 (got $rc)"
}
expect_error "no such PCI device" 0000:00:1e.0
# The virtio device carrying L1's root file system is bound to virtio-pci.
virtio=$(ls /sys/bus/pci/drivers/virtio-pci | grep -m1 '^0000:')
expect_error "bound to virtio-pci, not vfio-pci; run scripts/vfio-bind $virtio" "$virtio"
# A bridge (q35's host bridge in L1) is the host's plumbing, not a device to give away.
expect_error "0000:00:00.0: is a bridge (class 0600); pcivmm passes endpoint devices, not bridges" 0000:00:00.0
# ... refused as such before ,managed moves it anywhere (one line: no "managed: moved" first).
expect_error "0000:00:00.0: is a bridge (class 0600); pcivmm passes endpoint devices, not bridges" 0000:00:00.0,managed
# /dev/kvm or /dev/vfio/vfio gone, /dev/kvm not accessible (pcivmm as nobody).
mv /dev/kvm /dev/kvm.away
expect_error "/dev/kvm: No such file or directory; load kvm-intel or kvm-amd (modprobe)" $EDU_A
mv /dev/kvm.away /dev/kvm
mv /dev/vfio/vfio /dev/vfio/vfio.away
expect_error "$EDU_A: /dev/vfio/vfio is missing; modprobe vfio-pci" $EDU_A
mv /dev/vfio/vfio.away /dev/vfio/vfio
# From copies anyone can read: the build may live under a folder only root
# can enter (a clone in /root, a mktemp -d), and the check is about /dev/kvm.
nobody_dir=$(mktemp -d)
chmod 755 "$nobody_dir"
cp "$B/pcivmm" "$B/guest-tests/intx-basic.elf" "$nobody_dir/"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$nobody_dir/pcivmm" --passthrough $EDU_A \
	--kernel "$nobody_dir/intx-basic.elf" 2>&1 </dev/null)
rc=$?
echo "$out"
[ $rc -eq 6 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "^pcivmm: error: .*/dev/kvm: Permission denied; add the user to the kvm group" <<<"$out"
verdict $? "pcivmm as a user without access to /dev/kvm: one line saying so and naming the kvm group, exit 6 (got $rc)"
rm -rf "$nobody_dir"
line_clean "the refused runs" --passthrough $EDU_A
echo "$EDU_B" >/sys/bus/pci/devices/$EDU_B/driver/unbind
expect_error "not bound to any driver" $EDU_B
finish
