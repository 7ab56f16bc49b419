#!/bin/bash
# --dump-dtb writes a blob that dtc decodes, describing both shared-GSI devices.
set -u
. "$(dirname "$0")/kvm-usable.sh"
pcivmm=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$pcivmm" --testdev=4 --testdev=8 --dump-dtb "$dir/m.dtb" || { echo "pcivmm failed"; exit 1; }
dtc -q -I dtb -O dts -o "$dir/m.dts" "$dir/m.dtb" || { echo "dtc cannot decode the blob"; exit 1; }
cat "$dir/m.dts"
grep -q 'dev@4,0' "$dir/m.dts" && grep -q 'dev@8,0' "$dir/m.dts" &&
	[ "$(grep -c 'pcivmm,gsi = <0x10>' "$dir/m.dts")" -eq 2 ] || { echo "devices missing"; exit 1; }
[ -z "$(ls "$dir" | grep tmp)" ] || { echo "temporary file left behind"; exit 1; }
