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
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --no-signature --kernel "$KERNEL" \
    --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 1G
is "$rc" 0 "1 GiB quote: MRTD, RTMR1 and RTMR2 match"
like "$TMP/out" "^MRTD +$MRTD +$MRTD +match\$" "MRTD row (Debian OVMF, single pass)"
like "$TMP/out" "^RTMR1 +$RTMR1_1G +$RTMR1_1G +match\$" "RTMR1 row: reference value for 1 GiB"
like "$TMP/out" "^RTMR2 +$RTMR2 +$RTMR2 +match\$" "RTMR2 row: reference value"
like "$TMP/out" "^tdx-quote: VERIFIED WITH EXCEPTIONS: 1 check skipped on request, the others match\$" "summary: 5 rows (signature not checked, MRTD, RTMR1, RTMR2, TD_DEBUG)"

# QEMU's -m rule: --memory 1024 is 1 GiB (MiB when bare), the same launch.
cp "$TMP/out" "$TMP/out-1g"
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --no-signature --kernel "$KERNEL" \
    --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 1024
is "$rc" 0 "--memory 1024 is 1 GiB: exit 0"
is "$(cat "$TMP/out")" "$(cat "$TMP/out-1g")" "--memory 1024 prints what --memory 1G prints"

# The same quote against a 2 GiB launch: only RTMR1 differs.
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --no-signature --kernel "$KERNEL" \
    --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 2G
is "$rc" 4 "1 GiB quote against a 2 GiB prediction: exit 4"
like "$TMP/out" "^RTMR1 +$RTMR1_2G +$RTMR1_1G +MISMATCH\$" "RTMR1 row: 2 GiB expected, 1 GiB actual"
like "$TMP/out" "^RTMR2 +$RTMR2 +$RTMR2 +match\$" "RTMR2 does not depend on memory"

# Without --kernel only MRTD is compared.
run "$IGVMKIT" verify --wide "$TMP/tdx.yaml" --tdx-quote "$TMP/q1g.bin" --no-signature
is "$rc:$(grep -c '^RTMR' "$TMP/out")" "0:0" "descriptor, no --kernel: MRTD only"


# --- an event log made from the prediction matches it event by event ---------
cp "$KERNEL" "$TMP/vmlinuz"
cp "$TESTDATA/tdx/tdx_initrd.bin" "$TMP/initrd.img"
printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\nkernel: vmlinuz\ninitrd: initrd.img\ncmdline: "%s"\nmemory: 1G\nplatforms:\n  tdx: {}\n' \
    "$CMDLINE" >"$TMP/guest.yaml"
"$IGVMKIT" measure "$TMP/guest.yaml" --json >"$TMP/m.json"
ok $? "measure the descriptor (MRTD and the RTMR1/RTMR2 events)"
# mklog JSON LOG QUOTE [CMDLINE]: a CCEL log with the predicted events (the
# command line event replaced by that of CMDLINE when given) and one RTMR3
# event, and an unsigned quote whose registers are the log's replay.
mklog() {
    "$PYTHON3" - "$@" <<'PY'
import hashlib, json, struct, sys
m = json.load(open(sys.argv[1]))
pred = m["tdx_rtmr"]
def ev(mr, typ, digest, data):
    return struct.pack("<III", mr, typ, 1) + struct.pack("<H", 12) + digest + struct.pack("<I", len(data)) + data
spec = b"Spec ID Event03\0" + struct.pack("<IBBBBI", 0, 0, 2, 0, 2, 1) + struct.pack("<HH", 12, 48) + b"\0"
log = struct.pack("<II", 0, 3) + bytes(20) + struct.pack("<I", len(spec)) + spec
rtmr = [bytes(48)] * 4
def extend(i, d):
    rtmr[i] = hashlib.sha384(rtmr[i] + d).digest()
for e in pred["rtmr1"]["events"]:
    d = bytes.fromhex(e["digest"])
    desc = e["description"]
    if desc.startswith("kernel image"):
        typ, data = 0x80000003, struct.pack("<QQQQ", 0x1000000, 8247232, 0, 0)
    elif desc == "separator":
        typ, data = 4, bytes(4)
    else:
        typ, data = 0x80000007, desc.encode()
    log += ev(2, typ, d, data); extend(1, d)
for e in pred["rtmr2"]["events"]:
    d = bytes.fromhex(e["digest"])
    if e["description"].startswith("kernel command line"):
        if len(sys.argv) > 4:
            d = hashlib.sha384((sys.argv[4] + " initrd=initrd").encode("utf-16-le") + b"\0\0").digest()
        data = struct.pack("<II", 0x8F3B22ED, 26) + b"LOADED_IMAGE::LoadOptions\0"
    else:
        data = struct.pack("<II", 0x8F3B22EC, 13) + b"Linux initrd\0"
    log += ev(3, 6, d, data); extend(2, d)
app = hashlib.sha384(b"container: app@sha256:1234").digest()
log += ev(4, 0xD, app, b"container: app@sha256:1234"); extend(3, app)
open(sys.argv[2], "wb").write(log + b"\xff" * 64)
q = bytearray(636)
struct.pack_into("<HHI", q, 0, 4, 2, 0x81)
q[184:232] = bytes.fromhex(sys.argv[5]) if len(sys.argv) > 5 else bytes(48)
for i in range(4):
    q[376 + 48 * i:424 + 48 * i] = rtmr[i]
open(sys.argv[3], "wb").write(q)
PY
}
mklog "$TMP/m.json" "$TMP/log.dat" "$TMP/q.dat" "$CMDLINE" $MRTD
run "$IGVMKIT" verify --wide "$TMP/guest.yaml" --tdx-quote "$TMP/q.dat" --event-log "$TMP/log.dat" --no-signature
is "$rc" 0 "descriptor + log made from its prediction: exit 0"
like "$TMP/out" "^RTMR1 events +5 events as predicted +5 events, all as predicted +match\$" "RTMR1: 5 events match one by one"
like "$TMP/out" "^RTMR2 events +2 events as predicted +2 events, all as predicted +match\$" "RTMR2: 2 events match one by one"
like "$TMP/out" "^RTMR1 +$RTMR1_1G +$RTMR1_1G +match\$" "RTMR1 predicted from the descriptor"
like "$TMP/out" "^RTMR3 events \\(runtime, for a policy to check\\): 1\$" "RTMR3 events listed"
like "$TMP/out" "^  #7 EV_IPL [0-9a-f]{96} \"container: app@sha256:1234\"\$" "the RTMR3 event, decoded"
# Another command line in the log: the quote (made from the log) still replays,
# but the predicted events do not match; the first differing one is named.
mklog "$TMP/m.json" "$TMP/log2.dat" "$TMP/q2.dat" "console=ttyS0 root=/dev/vda1 ro quiet" $MRTD
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q2.dat" --event-log "$TMP/log2.dat" --no-signature \
    --kernel "$KERNEL" --initrd "$TESTDATA/tdx/tdx_initrd.bin" --cmdline "$CMDLINE" --memory 1G
is "$rc" 4 "log with another command line: exit 4"
like "$TMP/out" "^RTMR2 \\(log\\) .* match\$" "the log replays to the quote"
like "$TMP/out" "^RTMR2 events +event 1 kernel command line \\(UTF-16LE\\) 'console=ttyS0 root=/dev/vda1 ro initrd=initrd' +differs: [0-9a-f]{16}\\.\\. #5 EV_EVENT_TAG Linux kernel command line, LoadOptions .* MISMATCH\$" "first differing event named, with the predicted command line"
like "$TMP/out" "^RTMR1 events .* match\$" "RTMR1 events still match"
run "$IGVMKIT" verify --wide "$TMP/guest.yaml" --tdx-quote "$TMP/q2.dat" --event-log "$TMP/log2.dat" --no-signature
is "$rc" 4 "the same log against the descriptor: exit 4"
like "$TMP/out" "^RTMR2 events +event 1 kernel command line \\(UTF-16LE\\) 'console=ttyS0 root=/dev/vda1 ro initrd=initrd' +differs: " "descriptor: the predicted command line named too"

run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --no-signature --initrd "$TESTDATA/tdx/tdx_initrd.bin"
is "$rc" 2 "--initrd without --kernel: exit 2"
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q1g.bin" --no-signature --kernel "$KERNEL" --memory 1X
is "$(head -1 "$TMP/err")" "igvmkit verify: --memory: '1X' is not a size (like 2G or 1024M)" \
    "bad --memory: message"

done_testing
