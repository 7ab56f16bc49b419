# kvm-assign-repeat.sh BUILD MODULES RUNS [byte|word] [CYCLES]: a measurement,
# not a test (issue 30's intermittent stall): RUNS Linux L2 runs of the
# kvm-assign job's uio_pci_generic test (word shape, 5000 cycles by default)
# with kernel-patch/'s KVM modules from MODULES and the sharer on EDU_C, as
# kvm-assign.sh runs them; a stalled L2 prints "# stall:" lines (lib.sh's
# stall_watch). Ends with one "repeat:" line of counts.
PCIVMM_KVM_MODULES=$2 PCIVMM_NO_BIND=1 . "$(dirname "$0")/lib.sh"
runs=${3:-10} shape=${4:-word} cycles=${5:-5000}
same_host_irq
echo "# L1: $(nproc) CPUs, 5-level paging (la57): $(grep -q -w la57 /proc/cpuinfo && echo on || echo off), kvm_amd npt=$(cat /sys/module/kvm_amd/parameters/npt) vgif=$(cat /sys/module/kvm_amd/parameters/vgif)"
"$S/scripts/vfio-bind" $EDU_C || { echo "not ok - vfio-bind $EDU_C"; exit 1; }
sharer_start 3000 $EDU_C
for ((i = 1; i <= runs; i++)); do
	before=$fails
	linux pass $cycles $shape $EDU_A,backend=kvm-assign
	[ $fails -gt $before ] && echo "# repeat: run $i failed"
	echo "# repeat: $i of $runs"
done
sharer_finish
echo "repeat: ${PCIVMM_L1_STACK:-debian12} $shape $cycles cycles: $runs runs, $fails failed checks"
