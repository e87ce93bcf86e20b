#!/bin/sh
# examples/run.sh works, and examples/README.md shows its real output: every
# non-empty line the script prints must appear verbatim in the walkthrough
# (so a change in the packer or the measurements shows up here, not in a
# user's terminal).  Also checks the TDX MRTD against the reference value.
# Skips without Debian's OVMF, busybox-static, cpio or the Debian kernel.
. "$top_srcdir/tests/cli/lib.sh"

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
GOLDEN_MRTD=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47
[ -r "$OVMF" ] || skip_all "$OVMF not installed (Debian package ovmf)"
[ "$PYTHON3" != false ] || skip_all "python3 not found"
sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$top_builddir/tests/cache" >/dev/null 2>"$TMP/fetch.err" ||
    skip_all "Debian kernel unavailable: $(cat "$TMP/fetch.err")"
[ -x /bin/busybox ] && command -v cpio >/dev/null || skip_all "busybox-static or cpio missing"

# The README shows the run into /tmp/igvmkit-examples; only that path line differs.
run env IGVMKIT="$IGVMKIT" KERNEL_CACHE="$top_builddir/tests/cache" \
    sh "$top_srcdir/examples/run.sh" "$TMP/examples"
is "$rc" 0 "examples/run.sh: exit 0"
if [ "$rc" -ne 0 ]; then
    sed 's/^/#   /' "$TMP/err" | tail -5
fi
sed "s|$TMP/examples|/tmp/igvmkit-examples|" "$TMP/out" >"$TMP/run.txt"

"$PYTHON3" - "$TMP/run.txt" "$top_srcdir/examples/README.md" >"$TMP/missing.txt" <<'PY'
import sys
readme = open(sys.argv[2]).read()
for line in open(sys.argv[1]).read().splitlines():
    if line.strip() and line not in readme:
        print(line)
PY
is "$(cat "$TMP/missing.txt")" "" "README.md shows every line examples/run.sh prints"
grep -q "^  digest:      $GOLDEN_MRTD\$" "$TMP/run.txt"
ok $? "tee-node: TDX MRTD is Debian OVMF.fd's reference value"
test -s "$TMP/examples/tee-node/guest.provenance.json" &&
    test -s "$TMP/examples/snp-kernel-hashes/guest.provenance.json"
ok $? "provenance written for both examples"

done_testing
