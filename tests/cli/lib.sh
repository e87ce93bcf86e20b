# Shared TAP helpers for the CLI tests (sourced by tests/cli/*.sh).
# The harness exports IGVMKIT (the built binary), TESTDATA (tests/data),
# top_srcdir and top_builddir.  Each test script prints TAP on stdout.

set -u
: "${IGVMKIT:?run through make check}"
: "${TESTDATA:?run through make check}"

tap_n=0
tap_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/igvmkit-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { # ok CONDITION-EXIT-STATUS NAME
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tap_n - $2"
    else
        echo "not ok $tap_n - $2"
        tap_failed=$((tap_failed + 1))
    fi
}

# run CMD...: runs a command, capturing stdout in $TMP/out, stderr in
# $TMP/err and the exit status in $rc.
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e 2>/dev/null || true
    set +e
}

# is GOT WANT NAME
is() {
    if [ "$1" = "$2" ]; then
        ok 0 "$3"
    else
        ok 1 "$3"
        echo "# got:  $1"
        echo "# want: $2"
    fi
}

# like FILE REGEX NAME: grep -E on a file
like() {
    if grep -Eq -- "$2" "$1"; then
        ok 0 "$3"
    else
        ok 1 "$3"
        echo "# '$2' not found in:"
        sed 's/^/#   /' "$1" | head -20
    fi
}

# direct_boot_guest: in the current directory, a synthetic bzImage (vmlinuz),
# a 3 MiB patterned initrd (initrd.img, no two pages alike, so the file holds
# every page) and guest.yaml booting them directly for native + sev-snp.
direct_boot_guest() {
    "$PYTHON3" "$top_srcdir/tests/tools/make-bzimage.py" vmlinuz
    "$PYTHON3" -c '
import struct, sys
sys.stdout.buffer.write(b"".join(struct.pack("<Q", i * 0x9E3779B97F4A7C15 % (1 << 64)) for i in range(393216)))' >initrd.img
    cat >guest.yaml <<EOT
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "console=ttyS0"
memory: 64M
vcpus: 1
platforms:
  native: {}
  sev-snp: {}
EOT
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
