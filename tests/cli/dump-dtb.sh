#!/bin/bash
# --dump-dtb without --kernel only describes the machine: it needs no /dev/kvm.
# The blob must decode with dtc and describe both shared-GSI devices. As root
# the run happens in a mount namespace whose /dev is an empty tmpfs, so the
# test shows the same on machines that have /dev/kvm.
set -u
pcivmm=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run=("$pcivmm" --testdev=4 --testdev=8 --dump-dtb "$dir/m.dtb")
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	# shellcheck disable=SC2016
	unshare -m sh -c 'mount -t tmpfs none /dev && ! [ -e /dev/kvm ] && exec "$@"' sh "${run[@]}" ||
		{ echo "not ok: pcivmm --dump-dtb failed with /dev hidden"; exit 1; }
	echo "ok: --dump-dtb with no /dev/kvm in sight"
else
	echo "# not root: /dev/kvm not hidden; checking that pcivmm never opens it instead"
	strace -f -e trace=openat -o "$dir/trace" "${run[@]}" || { echo "not ok: pcivmm failed"; exit 1; }
	! grep -q /dev/kvm "$dir/trace" || { echo "not ok: --dump-dtb opened /dev/kvm"; exit 1; }
fi
dtc -I dtb -O dts -o "$dir/m.dts" "$dir/m.dtb" 2>"$dir/dtc.log" || { echo "not ok: dtc cannot decode the blob"; exit 1; }
[ ! -s "$dir/dtc.log" ] || { echo "not ok: dtc warns about the tree:"; cat "$dir/dtc.log"; exit 1; }
rm "$dir/dtc.log"
cat "$dir/m.dts"
grep -q 'dev@4,0' "$dir/m.dts" && grep -q 'dev@8,0' "$dir/m.dts" &&
	[ "$(grep -c 'pcivmm,gsi = <0x10>' "$dir/m.dts")" -eq 2 ] || { echo "not ok: devices missing"; exit 1; }
[ -z "$(ls "$dir" | grep tmp)" ] || { echo "not ok: temporary file left behind"; exit 1; }
echo "ok: dtc decodes it without a warning, both devices on GSI 16, nothing left behind"

# Where else it may go: - is stdout; through a symlink the target is
# replaced and the link stays; a device node is written through, never
# replaced by a regular file (as root: nodes made here, /dev left alone).
"$pcivmm" --testdev=4 --testdev=8 --dump-dtb - >"$dir/stdout.dtb" && cmp -s "$dir/stdout.dtb" "$dir/m.dtb" ||
	{ echo "not ok: --dump-dtb - did not write the same blob to stdout"; exit 1; }
echo "ok: --dump-dtb - writes the blob to stdout"
ln -s m.dtb "$dir/link.dtb"
rm "$dir/m.dtb"
"$pcivmm" --testdev=4 --testdev=8 --dump-dtb "$dir/link.dtb" && [ -L "$dir/link.dtb" ] && cmp -s "$dir/m.dtb" "$dir/stdout.dtb" ||
	{ echo "not ok: --dump-dtb through a symlink: want the link kept and its target written"; ls -l "$dir"; exit 1; }
echo "ok: through a symlink: the target is written, the link stays a link"
if [ "$(id -u)" -eq 0 ]; then
	mknod "$dir/null" c 1 3 && mknod "$dir/full" c 1 7 || { echo "not ok: mknod"; exit 1; }
	"$pcivmm" --testdev=4 --testdev=8 --dump-dtb "$dir/null" && [ -c "$dir/null" ] ||
		{ echo "not ok: --dump-dtb to a device node replaced it or failed"; ls -l "$dir"; exit 1; }
	out=$("$pcivmm" --testdev=4 --testdev=8 --dump-dtb "$dir/full" 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [ -c "$dir/full" ] && [ "$out" = "pcivmm: error: --dump-dtb $dir/full: No space left on device" ] ||
		{ echo "not ok: --dump-dtb to a full device: exit $rc, '$out'"; ls -l "$dir"; exit 1; }
	echo "ok: device nodes are written through and stay device nodes ($out, exit 2)"
	[ -z "$(ls "$dir" | grep tmp)" ] || { echo "not ok: temporary file left behind"; exit 1; }
fi
