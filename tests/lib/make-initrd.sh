#!/bin/sh
# make-initrd.sh OUT.cpio.gz [MARKER]
#
# Builds a tiny busybox initrd, byte-for-byte reproducible: fixed file
# order, owners, permissions and timestamps, gzip without a name or time.
# Its /init mounts /proc, prints
#     MARKER cmdline=<contents of /proc/cmdline>
# on the console (the boot tests look for that line) and powers off.
# MARKER defaults to IGVMKIT-BOOT-OK.  Needs busybox-static and cpio.
set -eu

out=$1
marker=${2:-IGVMKIT-BOOT-OK}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-initrd.sh: $busybox missing (apt-get install busybox-static)" >&2; exit 77; }
command -v cpio >/dev/null || { echo "make-initrd.sh: cpio missing" >&2; exit 77; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
echo "$marker cmdline=\$(/bin/busybox cat /proc/cmdline)" > /dev/console 2>/dev/null || echo "$marker cmdline=\$(/bin/busybox cat /proc/cmdline)"
/bin/busybox sync
/bin/busybox poweroff -f
INIT
chmod 0755 "$root/init" "$root/bin/busybox"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible 2>/dev/null) | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
