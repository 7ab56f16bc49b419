# The negative control for the COMMAND write shape on the debian12 leg (QEMU
# 7.2; kvm-assign.sh checks QEMU 10), in an L1 of its own (it
# breaks L1's shared line on purpose): with fault=byte-command pcivmm passes
# the guest's one-byte COMMAND write at offset 5 to the device as a byte,
# as it did before the register handlers. QEMU 7.2's edu then clears
# INTX_DISABLE without re-evaluating its INTx line, the interrupt the L2
# unmasked never arrives (uio-intx counts it missed, its one symptom), and L1
# ends up with an unhandled line. The Linux L2 uio test must fail for exactly
# that reason.
PCIVMM_KVM_MODULES=$2 PCIVMM_NO_BIND=1 . "$(dirname "$0")/lib.sh"
same_host_irq
NO_LINE_CHECK=1 linux fail 200 byte $EDU_A,backend=kvm-assign,fault=byte-command \
	'uio-intx: uio0: [0-9]+ raised, [0-9]+ interrupts, 1 missed'
finish expected
