# Runs inside the nested L1 (scripts/nested/l1-run) for tests/kvm/kvm-case:
# every case of the kvm suite in CASES ($1), one after the other, each
# framed by KVM-CASE-BEGIN NAME / KVM-CASE-END NAME STATUS on the console.
set -u
. "$(dirname "$0")/../../scripts/nested/l1-kvm"
why=$(l1_kvm_load) || { echo "l1-batch: $why"; exit 1; }
while IFS=$'\t' read -r name cmd; do
	[ -n "$name" ] || continue
	echo "KVM-CASE-BEGIN $name"
	start=$SECONDS
	bash -c "$cmd" </dev/null 2>&1
	rc=$?
	echo "# $name took $((SECONDS - start)) s in the nested L1"
	echo "KVM-CASE-END $name $rc"
done <"$1"
