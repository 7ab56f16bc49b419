# Sourced by the shell tests that look at the host PCI functions a pcivmm
# run was given (the nested jobs' lib.sh, the kvm suite's fault-inject.sh):
# which ones, and their INTx state, read with setpci (pciutils, installed by
# scripts/deps) from config space as the host kernel has it. The bits (PCI
# Local Bus 3.0, 6.2.2 and 6.2.3):
#   STATUS bit 3, Interrupt Status: the function's INTx level, masked or not
#   COMMAND bit 10, Interrupt Disable: the function may not assert INTx#

# passed_bdfs PCIVMM-ARGS...: the host BDFs of its --passthrough options,
# each with its domain (0000: when left out).
passed_bdfs() {
	local b
	while [ $# -gt 0 ]; do
		if [ "$1" = --passthrough ] && [ $# -gt 1 ]; then
			b=${2%%,*}
			[[ $b == *:*:*.* ]] || b=0000:$b
			echo "$b"
			shift
		fi
		shift
	done
}

# intx_state BDF: "COMMAND STATUS", each in hex (as setpci prints them).
intx_state() {
	setpci -s "$1" COMMAND.w STATUS.w | paste -sd ' '
}

# is_pending STATUS: its Interrupt Status bit is set.
is_pending() {
	(( 0x$1 & 0x8 ))
}

# is_masked COMMAND: its Interrupt Disable bit is set.
is_masked() {
	(( 0x$1 & 0x400 ))
}
