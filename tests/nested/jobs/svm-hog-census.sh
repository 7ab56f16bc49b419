# svm-hog-census.sh BUILD [RUNS]: a measurement, not a test. intx-hog
# seconds=2 only (the guest svm-census.sh found pcivmm's shutdowns in),
# pcivmm and QEMU alternating on EDU_A, RUNS each (default 100), counting L2
# vCPU shutdowns as svm-census.sh does. Run: scripts/nested/l1-run --stack
# current --timeout 1400 tests/nested/jobs/svm-hog-census.sh BUILD 100
. "$(dirname "$0")/lib.sh"
n=${2:-100}
declare -A sd pass other
for v in pcivmm qemu; do sd[$v]=0 pass[$v]=0 other[$v]=0; done
elf=$B/guest-tests/intx-hog.elf
for ((i = 0; i < n; i++)); do
	for v in pcivmm qemu; do
		if [ $v = pcivmm ]; then
			cmd=("$P" --passthrough $EDU_A --kernel "$elf" --cmdline seconds=2)
		else
			cmd=(qemu-system-x86_64 -machine pc -accel kvm -cpu host -m 256 -nodefaults -no-reboot
				-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$elf" -append seconds=2
				-display none -serial stdio -monitor none -device vfio-pci,host=$EDU_A,addr=0x4)
		fi
		timeout 120 "${cmd[@]}" </dev/null >$TMPDIR/hc.log 2>&1
		rc=$?
		if grep -q '^PASS:' $TMPDIR/hc.log; then pass[$v]=$((pass[$v] + 1))
		elif { [ $v = pcivmm ] && tcg_svm_shutdown <$TMPDIR/hc.log; } || { [ $v = qemu ] && [ $rc -eq 0 ]; }; then
			sd[$v]=$((sd[$v] + 1)); echo "# $v run $i: shutdown"
		else other[$v]=$((other[$v] + 1)); echo "# $v run $i: exit $rc"; tail -3 $TMPDIR/hc.log; fi
	done
	[ $(((i + 1) % 20)) -eq 0 ] && echo "# $((i + 1)) of $n: pcivmm ${sd[pcivmm]} shutdowns, qemu ${sd[qemu]}"
done
for v in pcivmm qemu; do echo "hogcensus: ${PCIVMM_L1_STACK:-debian12} $v: $n intx-hog runs: ${pass[$v]} passed, ${sd[$v]} vCPU shutdowns, ${other[$v]} other"; done
