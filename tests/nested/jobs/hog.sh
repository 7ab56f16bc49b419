# A guest that raises and never acknowledges holds its line asserted for
# 10 s; the host device on the same line must still get every interrupt.
. "$(dirname "$0")/lib.sh"
same_host_irq
sharer_start 14
guest pass intx-hog --passthrough $EDU_A --cmdline seconds=10
sharer_finish
finish
