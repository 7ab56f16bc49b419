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

# For the repetition cases (dozens of VM runs each): they run where
# /dev/kvm exists, and on VFIO in the nested restarts and faults jobs; in
# the kvm suite's one nested L1 boot they would only add minutes of TCG.
skip_repetition_in_l1() {
	if [ "${PCIVMM_IN_L1:-}" = 1 ]; then
		echo "SKIP: a repetition test, not run inside the kvm suite's nested L1"
		exit 77
	fi
}
