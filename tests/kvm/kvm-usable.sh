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

