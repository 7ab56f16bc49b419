# Sourced by the kvm-suite scripts: exit 77 (skipped) with the reason when
# this machine has no usable /dev/kvm. Never reports such a run as passed.
if [ ! -c /dev/kvm ]; then
	echo "SKIP: /dev/kvm does not exist on this machine"
	exit 77
fi
if ! { exec 9<>/dev/kvm; } 2>/dev/null; then
	echo "SKIP: /dev/kvm is not accessible to $(id -un)"
	exit 77
fi
exec 9>&-

# For the repetition cases (dozens of VM runs each): too many for the kvm
# suite's one nested L1 boot, where the TCG L1 has been seen to lock up
# after some 35-40 VM runs. They run where /dev/kvm exists, and on VFIO in
# the nested restarts job.
skip_repetition_in_l1() {
	if [ "${PCIVMM_IN_L1:-}" = 1 ]; then
		echo "SKIP: a repetition test, not run inside the kvm suite's nested L1"
		exit 77
	fi
}
