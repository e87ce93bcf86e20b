#!/bin/sh
# pack and I/O going wrong: an initrd that shrinks, grows or is rewritten
# while being packed (changed deterministically by the LD_PRELOAD shim
# tests/lib/change-input.c) and a file size limit standing in for a full
# disk (ulimit -f; SIGXFSZ is ignored so the write fails with EFBIG).  Each
# exits 6 with the input or output named and leaves no output and no
# temporary file.  The same output directory then takes a good pack.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
SHIM="$top_builddir/tests/lib/.libs/libchange-input.so"
[ -f "$SHIM" ] || skip_all "no $SHIM"
cd "$TMP" || exit 1
mkdir dest
direct_boot_guest
cp initrd.img initrd.orig

nothing_left() { # NAME
    is "$(ls -A dest | tr '\n' ' ')" "" "$1: no output and no temporary file"
}

# changed HOW NAME MESSAGE
changed() {
    cp initrd.orig initrd.img
    set +e
    IGK_TEST_CHANGE=$1 IGK_TEST_CHANGE_PATH="$TMP/initrd.img" LD_PRELOAD="$SHIM" \
        ASAN_OPTIONS=verify_asan_link_order=0 \
        "$IGVMKIT" pack guest.yaml -o dest/g.igvm >"$TMP/stdout" 2>"$TMP/stderr"
    rc=$?
    is "$rc" 6 "$2: exit 6"
    is "$(cat "$TMP/stderr")" "igvmkit: error: initrd.img: $3" "$2: message"
    nothing_left "$2"
}

changed shrink "initrd shrinks while packed" \
    "changed while being packed (3145728 bytes when opened, now 1572864); nothing was written"
changed grow "initrd grows while packed" \
    "changed while being packed (3145728 bytes when opened, now 3149824); nothing was written"
changed modify "initrd rewritten in place while packed" \
    "changed while being packed (modified); nothing was written"
changed shrink-early "initrd shrinks while hashed" \
    "changed while being packed (3145728 bytes when opened, now ends at 1572864); nothing was written"

# A full disk: at most 1 MiB per file (ulimit -f counts 512-byte blocks in
# POSIX shells; 2048 blocks = 1 MiB), the image is 3 MiB and more.
cp initrd.orig initrd.img
run sh -c 'ulimit -f 2048 && exec "$0" pack guest.yaml -o dest/g.igvm' "$IGVMKIT"
is "$rc" 6 "file size limit (full disk): exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: dest/g.igvm: cannot write: File too large" \
    "file size limit (full disk): message"
nothing_left "file size limit (full disk)"

# A real full file system when this runs as root and may mount a tmpfs.
if mkdir small && mount -t tmpfs -o size=1m igvmkit-test small 2>/dev/null; then
    run "$IGVMKIT" pack guest.yaml -o small/g.igvm
    is "$rc" 6 "1 MiB tmpfs (full disk): exit 6"
    is "$(cat "$TMP/err")" "igvmkit: error: small/g.igvm: cannot write: No space left on device" \
        "1 MiB tmpfs (full disk): message"
    is "$(ls -A small | tr '\n' ' ')" "" "1 MiB tmpfs (full disk): no output and no temporary file"
    umount small
else
    echo "# skipped the tmpfs case (cannot mount)"
fi

run "$IGVMKIT" pack guest.yaml -o dest/g.igvm
is "$rc" 0 "the same pack with nothing going wrong: exit 0"
is "$(ls -A dest | tr '\n' ' ')" "g.igvm " "the same pack: only the output"

done_testing
