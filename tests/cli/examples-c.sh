# The C examples of examples/c/ (and of libigvmkit(3)) built against the
# *installed* library: the build tree is installed into a temporary DESTDIR,
# each example is compiled with the flags pkg-config gives for igvmkit there
# (PKG_CONFIG_SYSROOT_DIR maps the configured prefix into DESTDIR) and run
# with that library.  Every run is checked for its exact output: digests from
# tests/data/REFERENCE.md, exit codes and error text.
. "$top_srcdir/tests/cli/lib.sh"

# A variable of the build tree's Makefile (CC, PKG_CONFIG, SANITIZE_CFLAGS).
mkvar() { sed -n "s/^$1 = //p" "$top_builddir/Makefile" | head -1; }
CC=$(mkvar CC)
PKG_CONFIG=$(mkvar PKG_CONFIG)
SANITIZE=$(mkvar SANITIZE_CFLAGS)
[ -n "$PKG_CONFIG" ] && command -v "$PKG_CONFIG" >/dev/null 2>&1 || skip_all "no pkg-config"
[ "$PYTHON3" != false ] || skip_all "python3 not found"

DEST=$TMP/dest
# A make of its own, not a job of the one running the tests.
(unset MAKEFLAGS MFLAGS MAKELEVEL; make -C "$top_builddir" install DESTDIR="$DEST") \
    >"$TMP/install.log" 2>&1
irc=$?
ok $irc "make install DESTDIR=... of the build tree"
[ $irc -eq 0 ] || sed 's/^/# /' "$TMP/install.log" | tail -20

pc=$(find "$DEST" -name igvmkit.pc | head -1)
is "${pc:+found}" "found" "igvmkit.pc is installed"
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$DEST"
cflags=$("$PKG_CONFIG" --cflags igvmkit)
libs=$("$PKG_CONFIG" --libs igvmkit)
libdir=$("$PKG_CONFIG" --libs-only-L igvmkit | sed 's/^ *-L//; s/ .*//')
is "$(ls "$libdir"/libigvmkit.so 2>/dev/null)" "$libdir/libigvmkit.so" \
    "pkg-config --libs points at the installed libigvmkit.so"
incdir=$("$PKG_CONFIG" --cflags-only-I igvmkit | tr ' ' '\n' | sed -n 's/^-I//p' | head -1)
for h in error igvm descriptor pack measure sign lint export attest; do
    [ -f "$incdir/igvmkit/$h.h" ] || echo "# missing $incdir/igvmkit/$h.h"
done
is "$(ls "$incdir"/igvmkit | wc -l | tr -d ' ')" 9 "the nine public headers are installed"

man3=$(find "$DEST" -path '*/man3/libigvmkit.3' | head -1)
is "${man3:+found}" "found" "libigvmkit(3) is installed"
if command -v man >/dev/null 2>&1 && [ -n "$man3" ]; then
    MANWIDTH=80 man -l "$man3" 2>/dev/null | grep -q '^LIBIGVMKIT(3) '
    ok $? "man -l renders libigvmkit(3)"
fi

for ex in read-validate measure pack verify-report; do
    # shellcheck disable=SC2086 # flag lists
    $CC $SANITIZE -std=c11 -Wall -Wextra -Werror $cflags -o "$TMP/$ex" \
        "$top_srcdir/examples/c/$ex.c" $libs >"$TMP/cc.log" 2>&1
    ok $? "examples/c/$ex.c builds with pkg-config --cflags --libs igvmkit"
    [ -s "$TMP/cc.log" ] && sed 's/^/# /' "$TMP/cc.log" | head -20
done
# The examples run on the installed library, not the build tree's.
export LD_LIBRARY_PATH="$libdir"
ldd "$TMP/measure" 2>/dev/null | grep -q "$libdir/libigvmkit.so"
ok $? "measure resolves libigvmkit.so in the install tree"

# ---- read and validate ----
run "$TMP/read-validate" "$TESTDATA/snp_tdx_v1.igvm"
is "$rc" 0 "read-validate: exit 0"
is "$(cat "$TMP/out")" "valid IGVM v1, 23 headers, 25896 bytes
platform sev-snp, mask 0x1
platform tdx, mask 0x2" "read-validate: snp_tdx_v1.igvm"
run "$TMP/read-validate" "$TESTDATA/no_file_data_v1.igvm"
is "$rc" 3 "read-validate: the reference parser's refusal is exit 3"
is "$(cat "$TMP/err")" "$TESTDATA/no_file_data_v1.igvm: offset 0xC: the file data section is empty (variable headers end at the end of the file, 0x88); the reference parser requires at least one byte of file data" \
    "read-validate: the error names file, offset and reason"
is "$(cat "$TMP/out")" "" "read-validate: nothing on stdout for a refused file"

# ---- measure ----
run "$TMP/measure" "$TESTDATA/snp_tdx_v1.igvm"
is "$(cat "$TMP/out")" "sev-snp qemu sha384 ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
the file's SNP ID block does not match" "measure: SEV-SNP, qemu profile (REFERENCE.md), dummy ID block reported"
run "$TMP/measure" "$TESTDATA/snp_tdx_v1.igvm" sev-snp openvmm
is "$(head -1 "$TMP/out")" "sev-snp openvmm sha384 bb3909476b59b771c5e6936b2fdf6bf9914ec077dc0786ee606ed425cffbb0c37f65a86dcda93dc2e28bf0ca4f682d44" \
    "measure: SEV-SNP, openvmm profile (REFERENCE.md)"
run "$TMP/measure" "$TESTDATA/snp_tdx_v1.igvm" tdx
is "$(cat "$TMP/out")" "tdx qemu sha384 9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26" \
    "measure: TDX MRTD (REFERENCE.md)"
run "$TMP/measure" "$TESTDATA/native_vbs_v2.igvm" vbs
is "$(cat "$TMP/out")" "vbs qemu sha256 bb88286c2edc02fb9a315f3c65336f565c89a18a28724cd7c519df75d8219d38" \
    "measure: VBS boot digest (REFERENCE.md)"
run "$TMP/measure" "$TESTDATA/minimal_snp_v1.igvm" tdx
is "$rc" 5 "measure: a platform the file does not declare is exit 5"
is "$(cat "$TMP/err")" "the file does not declare platform tdx (it declares: sev-snp)" \
    "measure: the error names the declared platforms"

# ---- pack from a descriptor ----
mkdir -p "$TMP/p"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$TMP/p/"
cat >"$TMP/p/guest.yaml" <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
platforms:
  sev-snp:
    vcpu-type: EPYC-v4
YAML
run "$TMP/pack" "$TMP/p/guest.yaml" "$TMP/p/guest.igvm"
is "$rc" 0 "pack: exit 0"
is "$(cat "$TMP/out")" "input firmware snp_fw_kh.fd (131072 bytes)
sev-snp qemu-classic 455e67149fc7f7b71c19bb8e27cc1fbbbe5df51b94f53ee59f6b1d3c0f21ca0193179caa084100243e36d148c2f8de9d" \
    "pack: the sev-snp-measure digest of the firmware (REFERENCE.md)"
"$IGVMKIT" measure "$TMP/p/guest.igvm" --platform sev-snp --loader qemu-classic --bare \
    >"$TMP/m" 2>&1
is "$(cat "$TMP/m")" "455e67149fc7f7b71c19bb8e27cc1fbbbe5df51b94f53ee59f6b1d3c0f21ca0193179caa084100243e36d148c2f8de9d" \
    "pack: the written file measures the same with igvmkit"
printf 'version: 1\nfirmware: {type: ovmf, path: missing.fd}\nplatforms: {sev-snp: {}}\n' \
    >"$TMP/p/bad.yaml"
run "$TMP/pack" "$TMP/p/bad.yaml" "$TMP/p/bad.igvm"
is "$rc" 3 "pack: a descriptor naming a missing file is exit 3"
like "$TMP/err" "^$TMP/p/bad.yaml:2:[0-9]+: .*missing.fd" "pack: the error has FILE:LINE:COLUMN"
[ ! -e "$TMP/p/bad.igvm" ]
ok $? "pack: nothing written on failure"

# ---- verify a report ----
LD=5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d08f0051dbbc9ce762d6969cbcdfaec3e0351e7
mkreport() { # OUT MEASUREMENT-HEX POLICY [SIZE]
    "$PYTHON3" - "$@" <<'PY'
import struct, sys
b = bytearray(0x4A0)
struct.pack_into("<I", b, 0x00, 3)            # VERSION
struct.pack_into("<Q", b, 0x08, int(sys.argv[3], 0))  # POLICY
struct.pack_into("<I", b, 0x34, 1)            # SIGNATURE_ALGO
b[0x90:0xC0] = bytes.fromhex(sys.argv[2])     # MEASUREMENT
size = int(sys.argv[4], 0) if len(sys.argv) > 4 else len(b)
open(sys.argv[1], "wb").write(bytes(b[:size]))
PY
}
mkreport "$TMP/good.bin" "$LD" 0x20000
run "$TMP/verify-report" "$TESTDATA/minimal_snp_v1.igvm" "$TMP/good.bin"
is "$rc" 0 "verify-report: a report with the file's values is exit 0"
is "$(cat "$TMP/out")" "MEASUREMENT       match
POLICY            match
POLICY_DEBUG      match
FAMILY_ID         match
IMAGE_ID          match
GUEST_SVN         match
ID_KEY_DIGEST     match
AUTHOR_KEY_DIGEST match
0 of 8 fields differ" "verify-report: every field matches"
mkreport "$TMP/bad.bin" "$(printf '%096d' 0)" 0x30000
run "$TMP/verify-report" "$TESTDATA/minimal_snp_v1.igvm" "$TMP/bad.bin"
is "$rc" 4 "verify-report: a different measurement and policy is exit 4"
is "$(head -2 "$TMP/out")" "MEASUREMENT       MISMATCH
POLICY            MISMATCH" "verify-report: the differing fields are named"
is "$(tail -1 "$TMP/out")" "2 of 8 fields differ" "verify-report: two fields differ"
mkreport "$TMP/short.bin" "$LD" 0x20000 0x49F
run "$TMP/verify-report" "$TESTDATA/minimal_snp_v1.igvm" "$TMP/short.bin"
is "$rc" 3 "verify-report: a truncated report is exit 3"
like "$TMP/err" "1183|0x49f" "verify-report: the error gives the report's size"

done_testing
