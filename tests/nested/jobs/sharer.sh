# Guest tests on EDU_A while L1 drives EDU_B, which shares its host INTx line.
. "$(dirname "$0")/lib.sh"
sharer_start 30
guest pass intx-storm --passthrough $EDU_A --cmdline count=5000
guest pass intx-mask --passthrough $EDU_A
guest pass intx-basic --passthrough $EDU_A
sharer_finish
finish
