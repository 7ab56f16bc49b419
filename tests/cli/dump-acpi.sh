#!/bin/bash
# --dump-acpi DIR without --kernel only describes the machine (no /dev/kvm:
# run in a mount namespace whose /dev is empty, as dump-dtb.sh does). ACPICA's
# own disassembler must read every table without a complaint (checksums
# included: iasl -d marks a wrong one "Incorrect"), the DSDT it writes must
# compile again, and what it reads must be the machine: 4 LAPICs, the MCFG's
# ECAM at 0xe0000000, the reset register, and a _PRT whose 124 entries
# route each slot's INTA-INTD to GSI 16 + (slot + pin) % 4, as the device
# model (pci_host__intx_gsi) and the FDT do.
set -u
pcivmm=$1
command -v iasl >/dev/null || { echo "SKIP: iasl not installed (apt-get install acpica-tools)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run=("$pcivmm" --cpus 4 --testdev=4 --testdev=8 --dump-acpi "$dir/acpi")
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	# shellcheck disable=SC2016
	unshare -m sh -c 'mount -t tmpfs none /dev && ! [ -e /dev/kvm ] && exec "$@"' sh "${run[@]}" ||
		{ echo "not ok: pcivmm --dump-acpi failed with /dev hidden"; exit 1; }
else
	"${run[@]}" || { echo "not ok: pcivmm --dump-acpi failed"; exit 1; }
fi
cd "$dir/acpi" || exit 1
echo "# tables: $(ls | tr '\n' ' ')"
fail=0
for t in facp apic mcfg xsdt facs dsdt; do
	[ -s $t.dat ] || { echo "not ok: no $t.dat"; fail=1; continue; }
	out=$(iasl -d $t.dat 2>&1) || { echo "not ok: iasl -d $t.dat failed: $out"; fail=1; continue; }
	if grep -i -E 'error|warning|incorrect|invalid' <<<"$out" $t.dsl; then
		echo "not ok: iasl -d complains about $t"
		fail=1
	fi
done
[ $fail = 0 ] && echo "ok: iasl -d reads every table without a complaint, checksums included"
grep -q 'Local Apic ID : 03' apic.dsl && [ "$(grep -c 'Subtable Type : 00 \[Processor Local APIC\]' apic.dsl)" = 4 ]
[ $? = 0 ] && echo "ok: the MADT has 4 LAPICs" || { echo "not ok: MADT LAPICs"; fail=1; }
grep -q 'Base Address : 00000000E0000000' mcfg.dsl && echo "ok: the MCFG's ECAM is at 0xe0000000" ||
	{ echo "not ok: MCFG base"; fail=1; }
grep -q -E 'Address : 0000000000000CF9' facp.dsl && grep -q 'Value to cause reset : 06' facp.dsl &&
	echo "ok: the FADT's reset register is 0xcf9 <- 6" || { echo "not ok: FADT reset register"; fail=1; }
iasl -p "$dir/recompiled" dsdt.dsl >"$dir/iasl.log" 2>&1 && grep -q -E 'Compilation successful. +0 Errors' "$dir/iasl.log" &&
	echo "ok: the disassembled DSDT compiles again" || { echo "not ok: the DSDT does not recompile:"; cat "$dir/iasl.log"; fail=1; }
# _PRT entries as iasl prints them: 0x00SSFFFF, pin, Zero, GSI.
python3 - dsdt.dsl <<'PY' || fail=1
import re, sys
text = open(sys.argv[1]).read()
prt = text[text.index("Name (_PRT"):text.index("Name (\\_S5")]
entries = re.findall(r"Package \(0x04\)\s*\{\s*(0x[0-9A-F]+),\s*(Zero|One|0x[0-9A-F]+),\s*Zero,\s*(0x[0-9A-F]+)", prt)
val = lambda s: {"Zero": 0, "One": 1}.get(s, None) if s in ("Zero", "One") else int(s, 16)
bad = [(a, p, g) for a, p, g in entries
       if int(g, 16) != 16 + ((int(a, 16) >> 16) + val(p)) % 4 or int(a, 16) & 0xffff != 0xffff]
slots = sorted({int(a, 16) >> 16 for a, _, _ in entries})
if len(entries) != 124 or bad or slots != list(range(1, 32)):
    print("not ok: _PRT has %d entries, slots %s, wrong: %s" % (len(entries), slots, bad[:4]))
    sys.exit(1)
print("ok: _PRT routes INTA-INTD of slots 1-31 (124 entries) to GSI 16 + (slot + pin) % 4")
PY
exit $fail
