#!/bin/bash
# console-tty.sh PCIVMM HOG-ELF STORM-ELF: console-tty.py where KVM works.
set -u
. "$(dirname "$0")/kvm-usable.sh"
exec python3 "$(dirname "$0")/console-tty.py" "$@"
