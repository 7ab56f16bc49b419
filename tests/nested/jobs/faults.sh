# Fault injection on a passed-through device, in an L1 of its own: every
# VFIO and sysfs call of a run failed in turn (fault-inject.sh with
# FAILCALL_ONLY=device): one error line each, nothing left open, the device
# still on vfio-pci and not asserting after every run. 32 MiB guests: most
# of a run's time in this TCG L1 is pinning guest RAM for DMA.
# --seccomp off: FAILCALL_ONLY=device tells a device's file by readlink(2)
# of /proc/self/fd, from whichever thread makes the call, and a vCPU's
# filter rightly refuses readlink (the injector's call, not pcivmm's).
. "$(dirname "$0")/lib.sh"
same_host_irq
FAILCALL_ONLY=device "$S/tests/kvm/fault-inject.sh" "$B/pcivmm" "$B/tests/libfailcall.so" \
	"$B/guest-tests/intx-basic.elf" --seccomp off --mem 32M --passthrough $EDU_A
verdict $? "every VFIO and sysfs call of a run failed in turn: one error line each, nothing left open, the device on vfio-pci and quiet"
line_clean "the fault-injected runs" --passthrough $EDU_A
finish
