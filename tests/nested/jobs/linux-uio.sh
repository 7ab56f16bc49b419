# Linux L2 (Debian's kernel, busybox initramfs) with EDU_A passed through and
# bound to uio_pci_generic: 10000 raise/ack cycles through /dev/uio0 while L1
# drives EDU_B on the same host line. With fault=stale-status (a STATUS copy,
# as kvmtool has) the same test must fail.
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 60
linux pass 10000 $EDU_A
sharer_finish
linux fail 300 $EDU_A,fault=stale-status
# The stale-status run is expected to upset L2's kernel, not L1's.
finish
