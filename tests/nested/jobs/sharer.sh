# Guest tests while L1 drives another device on the same host INTx line.
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 30
guest pass intx-storm --passthrough $EDU_A --cmdline count=5000
guest pass intx-mask --passthrough $EDU_A
guest pass intx-basic --passthrough $EDU_A
sharer_finish
# MSI on the passed edu (device -> vfio-pci -> irqfd on a KVM MSI route),
# then back to INTx, while the sharer drives the same host line: exact.
sharer_start 20
guest pass msi-basic --passthrough $EDU_A
sharer_finish
# Both guest devices on one guest GSI while the third device on the host line is driven.
sharer_start 20 $EDU_C
guest pass intx-shared --passthrough $EDU_A,slot=4 --passthrough $EDU_B,slot=8 --cmdline rounds=500
sharer_finish
# A guest that ends with its device raised and never acknowledged: pcivmm
# leaves the device masked so the host line stays quiet, the sharer on the
# same line misses nothing, and the next VMs on the device get exact counts.
sharer_start 40 $EDU_C
guest pass intx-hog --passthrough $EDU_A --cmdline "seconds=2 leave_pending=1"
left_masked $EDU_A
guest pass intx-storm --passthrough $EDU_A --cmdline count=5000
guest pass intx-mask --passthrough $EDU_A
sharer_finish
finish
