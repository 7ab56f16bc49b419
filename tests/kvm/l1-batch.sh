# Runs inside the nested L1 (scripts/nested/l1-run) for tests/kvm/kvm-case:
# every case of the kvm suite in CASES ($1), one after the other, each
# framed by KVM-CASE-BEGIN NAME / KVM-CASE-END NAME STATUS on the console.
# A case that failed with a test guest's vCPU shut down by L1's emulated
# SVM (tcg_svm_shutdown: no exception the guest could print, registers
# reset) runs again, up to svm_attempts, saying so in a "#" line; a guest
# that really triple-faults does so on every attempt and fails the case.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/nested/l1-kvm"
. "$here/../nested/svm-shutdown.sh"
why=$(l1_kvm_load) || { echo "l1-batch: $why"; exit 1; }
log=$(mktemp)
while IFS=$'\t' read -r name cmd; do
	[ -n "$name" ] || continue
	echo "KVM-CASE-BEGIN $name"
	start=$SECONDS
	for attempt in $(seq $svm_attempts); do
		# Streamed, not captured: l1-run takes a silent console for a hung L1.
		bash -c "$cmd" </dev/null 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
		[ $rc -ne 0 ] && [ $rc -ne 77 ] || break
		again_after_svm_shutdown $attempt "$log" "$name" || break
	done
	echo "# $name took $((SECONDS - start)) s in the nested L1"
	echo "KVM-CASE-END $name $rc"
done <"$1"
rm -f "$log"
