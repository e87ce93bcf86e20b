#!/bin/sh
# Text output within 100 columns (issue 15 item 5): verify's table (its long
# values abbreviated with "..", reasons and notes wrapped; --wide and --json
# keep every value whole), the report fields verify shows without FILE, the
# RTMR3 event list, inspect --summary and every verb's --help.
#
# Documented exceptions (igvmkit(1), OUTPUT WIDTH), printed whole because
# they are copied or compared as they are: inspect's full listing (one
# header per line with its data), explain's step lines (two 96-digit
# digests), eventlog's events (digest and decoded data), launch's command
# lines and notes (also shown by measure and pack --measure), lint findings
# (one per line, for grep), and verify --wide.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
EV=$TESTDATA/evidence/tdx
SNP=$TESTDATA/evidence/snp

# fits NAME: every line of $TMP/out within 100 columns (names the longest).
fits() {
    longest=$(awk '{ if (length > m) { m = length; l = NR } } END { print m + 0 " (line " l + 0 ")" }' "$TMP/out")
    is "$(awk 'length > 100' "$TMP/out" | wc -l | tr -d ' ')" 0 "$1: within 100 columns (longest $longest)"
}

# --- verify, TDX: the GCE quote and its log, then with two RTMR3 events ---
run "$IGVMKIT" verify --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$EV/gce-cos113-ccel-log.dat"
is "$rc" 0 "verify GCE quote + log: exit 0"
fits "verify --tdx-quote --event-log"
cat >"$TMP/want" <<'OUT'
CHECK            EXPECTED                           ACTUAL                             RESULT
PCK_CHAIN        PCK <- PCK CA <- Inte..A (pinned)  Intel SGX PCK Certifi..GX Root CA  match
TCB_STATUS       -                                  -                                  not checked:
                 no collateral (--tdx-collateral) [informational]
MRTD             (reported)                         dae67181d3d65e073ad8f..d04231f94a  match
RTMR0 (log)      3fa2f61..7f6 (16 events replayed)  3fa2f61f395b7f5f..afd17f6 (quote)  match
RTMR3 (log)      00000000..000 (0 events replayed)  0000000000000000..0000000 (quote)  match
OUT
grep -E '^(CHECK|PCK_CHAIN|TCB_STATUS|MRTD|RTMR0 \(log\)|RTMR3 \(log\)) |^ +no collateral' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want"
ok $? "verify: abbreviated values keep both ends and the explanation; reasons wrap"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got" | sed 's/^/# /'

"$PYTHON3" - "$EV/gce-cos113-ccel-log.dat" "$TMP/rtmr3.dat" <<'PY'
import hashlib, struct, sys
b = open(sys.argv[1], "rb").read()
def event(mr, kind, data):
    return (struct.pack("<IIIH", mr, kind, 1, 12) + hashlib.sha384(data).digest() +
            struct.pack("<I", len(data)) + data)
open(sys.argv[2], "wb").write(b + event(4, 0xD, b"app=" + b"x" * 120) + event(4, 0x6, b"runtime-tag"))
PY
run "$IGVMKIT" verify --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/rtmr3.dat"
is "$rc" 4 "RTMR3 events the quote lacks: exit 4"
fits "verify with RTMR3 events"
cat >"$TMP/want" <<'OUT'
RTMR3 events (runtime, for a policy to check): 2
  #43 EV_IPL 101531f7170aee28..029bb18a "app=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
  #44 EV_EVENT_TAG 1a75eb3bbe775fa0..918689b9 "runtime-tag"
OUT
sed -n '/^RTMR3 events/,$p' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want"
ok $? "RTMR3 events: digest ends, long data cut with ..."
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got" | sed 's/^/# /'
run "$IGVMKIT" verify --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/rtmr3.dat" --wide
is "$(awk 'length > 100' "$TMP/out" | wc -l | tr -d ' ')" 23 "--wide: the full values (23 lines over 100 columns)"
like "$TMP/out" "^  #43 EV_IPL [0-9a-f]{96} \"app=x{120}\"\$" "--wide: digest and data whole"

# --- verify, SEV-SNP: the report's fields without FILE; a mismatch with the assistant's note ---
run "$IGVMKIT" verify --snp-report "$SNP/turin-v5-report.bin" --no-signature
fits "verify --snp-report (report fields)"
cat >"$TMP/want" <<'OUT'
  measurement        6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa1
                     42fccf1d1b0baca496841bdf243619d4
OUT
grep -A1 '^  measurement ' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want"
ok $? "report fields: 96 hex digits in lines of 64"
"$PYTHON3" - "$TMP/rep.bin" <<'PY'
import struct, sys
b = bytearray(0x4A0)
struct.pack_into("<IIQ", b, 0, 3, 0, 0x30000)
struct.pack_into("<I", b, 0x34, 1)
b[0x188:0x18B] = bytes.fromhex("190101")
open(sys.argv[1], "wb").write(b)
PY
run "$IGVMKIT" verify "$TESTDATA/snp_tdx_v1.igvm" --snp-report "$TMP/rep.bin" --no-signature
is "$rc" 4 "a zero MEASUREMENT: exit 4"
fits "verify FILE --snp-report (mismatch, notes)"
cat >"$TMP/want" <<'OUT'
note: mismatch assistant: the reported MEASUREMENT: no loader profile (qemu, qemu-classic, openvmm)
      with the file's vCPUs or 1..64 vCPUs and the file's guest features or 0x21 gives it (384
      measurements tried)
OUT
grep -A2 '^note: mismatch assistant' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want"
ok $? "the assistant's note wraps at a word, indented"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got" | sed 's/^/# /'
run "$IGVMKIT" verify "$TESTDATA/snp_tdx_v1.igvm" --snp-report "$TMP/rep.bin" --no-signature --json
is "$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print([len(f["actual"]) for f in d["fields"] if f["field"] == "MEASUREMENT"])' "$TMP/out")" \
    "[96]" "--json: values in full"

# --- inspect --summary and every --help ---
run "$IGVMKIT" inspect --summary "$TESTDATA/snp_tdx_v1.igvm"
fits "inspect --summary"
for verb in pack measure explain inspect extract lint sign export verify launch eventlog; do
    run "$IGVMKIT" "$verb" --help
    fits "$verb --help"
done
run "$IGVMKIT" --help
fits "igvmkit --help"

done_testing
