# igvmkit verify --tdx-quote with RTMR1/RTMR2 predicted for an OVMF direct
# kernel boot (--kernel/--initrd/--cmdline/--memory): the reference values
# of tests/data/REFERENCE.md (dstack-mr) in a quote built here.  Needs
# Debian's ovmf package and the reference Debian kernel, fetched at test
# time by tests/lib/fetch-kernel.sh; skipped when either is missing.
. "$top_srcdir/tests/cli/lib.sh"

OVMF=/usr/share/ovmf/OVMF.fd
MRTD=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47
RTMR1_1G=884eec1957beb9236cbfc41f5451c76b1002ececffd78559de8a7c713819f4ac067678f7b2b048c22957c3bfac49a98f
RTMR1_2G=b638476f4ba1724fd30602f7489d3f795326a466a0d814bd5ac58d2c39e72aa6c5fceef0706705af2a4ae510cc3001a0
RTMR2=fe42f5cbb4cc0609cbe5e3822cb83134d1e474e0c8f010753c719b3de0f23473c9b7b80b0cda657f859e3ee5ef50d36d
CMDLINE="console=ttyS0 root=/dev/vda1 ro"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
[ -f "$OVMF" ] || skip_all "$OVMF not installed (Debian package ovmf)"
KERNEL=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$top_builddir/tests/cache" 2>"$TMP/fetch") ||
    skip_all "reference kernel not available: $(cat "$TMP/fetch")"

# mkquote OUT MRTD RTMR1 RTMR2: TDX quote v4 without signature data.
mkquote() {
    "$PYTHON3" - "$@" <<'PY'
import struct, sys
b = bytearray(636)
struct.pack_into("<HHI", b, 0, 4, 2, 0x81)
b[184:232] = bytes.fromhex(sys.argv[2])
b[424:472] = bytes.fromhex(sys.argv[3])
b[472:520] = bytes.fromhex(sys.argv[4])
open(sys.argv[1], "wb").write(b)
PY
}

cp "$OVMF" "$TMP/OVMF.fd"
printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\nmemory: 1G\nplatforms:\n  tdx: {}\n' \
    >"$TMP/tdx.yaml"
"$IGVMKIT" pack "$TMP/tdx.yaml" -o "$TMP/tdx.igvm"
ok $? "pack Debian OVMF for TDX"

mkquote "$TMP/q1g.bin" $MRTD $RTMR1_1G $RTMR2
run "$IGVMKIT" verify "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --kernel "$KERNEL" \
    --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 1G
is "$rc" 0 "1 GiB quote: MRTD, RTMR1 and RTMR2 match"
like "$TMP/out" "^MRTD +$MRTD +$MRTD +match\$" "MRTD row (Debian OVMF, single pass)"
like "$TMP/out" "^RTMR1 +$RTMR1_1G +$RTMR1_1G +match\$" "RTMR1 row: reference value for 1 GiB"
like "$TMP/out" "^RTMR2 +$RTMR2 +$RTMR2 +match\$" "RTMR2 row: reference value"
like "$TMP/out" "^tdx-quote: verified: all 3 checks match\$" "summary: 3 fields"

# The same quote against a 2 GiB launch: only RTMR1 differs.
run "$IGVMKIT" verify "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --kernel "$KERNEL" \
    --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 2G
is "$rc" 4 "1 GiB quote against a 2 GiB prediction: exit 4"
like "$TMP/out" "^RTMR1 +$RTMR1_2G +$RTMR1_1G +MISMATCH\$" "RTMR1 row: 2 GiB expected, 1 GiB actual"
like "$TMP/out" "^RTMR2 +$RTMR2 +$RTMR2 +match\$" "RTMR2 does not depend on memory"

# Without --kernel only MRTD is compared.
run "$IGVMKIT" verify "$TMP/tdx.yaml" --tdx-quote "$TMP/q1g.bin"
is "$rc:$(grep -c '^RTMR' "$TMP/out")" "0:0" "descriptor, no --kernel: MRTD only"

run "$IGVMKIT" verify "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --initrd "$TESTDATA/tdx/tdx_initrd.bin"
is "$rc" 2 "--initrd without --kernel: exit 2"
run "$IGVMKIT" verify "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --kernel "$KERNEL" --memory 1X
is "$(head -1 "$TMP/err")" "igvmkit verify: --memory: '1X' is not a size (like 2G or 1024M)" \
    "bad --memory: message"

done_testing
