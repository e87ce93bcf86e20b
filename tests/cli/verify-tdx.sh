# igvmkit verify --tdx-quote with real quotes (tests/data/evidence/tdx, see
# its README): authentication link by link, evidence alone, tampering
# named by the broken link, SGX quotes refused, the GCE quote with its event
# log (every digest byte and every event matters), collateral with --at.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
EV=$TESTDATA/evidence/tdx
SNPTDX_MRTD=9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26

# flip IN OUT OFFSET: copy with one byte XOR 1.
flip() {
    "$PYTHON3" -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[int(sys.argv[3])]^=1; open(sys.argv[2],"wb").write(b)' "$1" "$2" "$3"
}

# --- every real quote authenticates as stored --------------------------------
for q in quote-v4-debug-td:15 quote-v4-trailing-zeros:16 quote-v5:17 gce-cos113-quote:16; do
    f=${q%%:*} n=${q##*:}
    run "$IGVMKIT" verify --wide --tdx-quote "$EV/$f.dat"
    is "$rc" 0 "$f: genuine, exit 0"
    like "$TMP/out" "^PCK_CHAIN +PCK <- PCK CA <- Intel SGX Root CA \\(pinned\\) +Intel SGX PCK Certificate <- Intel SGX PCK Platform CA <- Intel SGX Root CA +match\$" "$f: chain row"
    like "$TMP/out" "^QE_REPORT_SIG +valid \\(PCK certificate\\) +valid +match\$" "$f: QE report signature row"
    like "$TMP/out" "^QUOTE_SIGNATURE +valid \\(attestation key\\) +valid +match\$" "$f: quote signature row"
    like "$TMP/out" "^TCB_STATUS +- +- +not checked: no collateral \\(--tdx-collateral\\) \\[informational\\]\$" "$f: TCB status not checked"
    like "$TMP/out" "^tdx-quote: verified: all $n checks match\$" "$f: summary, $n rows"
done
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat"
like "$TMP/out" "^TD_DEBUG +\\(shown\\) +on: a debug TD, the host can read its memory +match \\[informational\\]\$" "debug TD shown"
like "$TMP/out" "^MRTD +\\(reported\\) +705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031 +match\$" "fields printed: MRTD"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-trailing-zeros.dat"
like "$TMP/out" "^TRAILING_BYTES +\\(not signed\\) +70 bytes after the quote, ignored +match \\[informational\\]\$" "70 trailing bytes mentioned"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat"
like "$TMP/out" "^TEE_TCB_SVN2 +\\(reported\\) +0d010400000000000000000000000000 +match\$" "TDX 1.5 body: TEE_TCB_SVN2"
like "$TMP/out" "^MRSERVICETD +\\(reported\\) +0{96} +match\$" "TDX 1.5 body: MRSERVICETD"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --json
is "$rc" 0 "--json: exit 0"
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["file"], d["evidence"], d["version"], d["match"], len(d["fields"]), [f["field"] for f in d["fields"]][:4])' "$TMP/out" >"$TMP/j"
is "$(cat "$TMP/j")" "None tdx-quote 5 True 17 ['PCK_CHAIN', 'QE_REPORT_SIG', 'QE_REPORT_DATA', 'QUOTE_SIGNATURE']" "--json: rows from the root down"

# --- each broken link: exit 4, naming it -------------------------------------
for c in "184:MRTD edited:QUOTE_SIGNATURE +valid \\(attestation key\\) +invalid +MISMATCH" \
         "168:TD_ATTRIBUTES edited:QUOTE_SIGNATURE +valid \\(attestation key\\) +invalid +MISMATCH" \
         "640:signature byte flipped:QUOTE_SIGNATURE +valid \\(attestation key\\) +invalid +MISMATCH" \
         "710:attestation key edited:QE_REPORT_DATA +[0-9a-f]{64} +[0-9a-f]{64} +MISMATCH" \
         "900:QE report edited:QE_REPORT_SIG +valid \\(PCK certificate\\) +invalid +MISMATCH" \
         "1160:QE report signature flipped:QE_REPORT_SIG +valid \\(PCK certificate\\) +invalid +MISMATCH"; do
    off=${c%%:*} rest=${c#*:} what=${rest%%:*} row=${rest#*:}
    flip "$EV/quote-v4-debug-td.dat" "$TMP/bad.dat" "$off"
    run "$IGVMKIT" verify --wide --tdx-quote "$TMP/bad.dat"
    is "$rc" 4 "$what: exit 4"
    like "$TMP/out" "^$row\$" "$what: the row names the link"
    like "$TMP/out" "^tdx-quote: NOT VERIFIED: [12] of 1[456] checks failed\$" "$what: summary"
done
# The PCK certificate's own signature (a base64 digit near its end).
"$PYTHON3" - "$EV/quote-v4-debug-td.dat" "$TMP/bad.dat" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
end = b.index(b"-----END CERTIFICATE-----")
b[end - 10] = ord("B") if b[end - 10] == ord("A") else ord("A")
open(sys.argv[2], "wb").write(b)
PY
run "$IGVMKIT" verify --wide --tdx-quote "$TMP/bad.dat"
is "$rc" 4 "broken PCK chain: exit 4"
like "$TMP/out" "^PCK_CHAIN +PCK <- PCK CA <- Intel SGX Root CA \\(pinned\\) +broken at 'Intel SGX PCK Certificate': certificate signature failure +MISMATCH\$" "broken PCK chain: row names the certificate"
# A chain whose carried root is another (self-made) CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/k.pem" \
    -subj "/CN=Intel SGX Root CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US" -days 30 \
    -out "$TMP/fake-root.pem" 2>/dev/null
"$PYTHON3" - "$EV/quote-v4-debug-td.dat" "$TMP/fake-root.pem" "$TMP/bad.dat" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
fake = open(sys.argv[2], "rb").read().strip()
begin = b.rindex(b"-----BEGIN CERTIFICATE-----")
end = b.rindex(b"-----END CERTIFICATE-----") + len(b"-----END CERTIFICATE-----")
old = bytes(b[begin:end])
assert len(fake) <= len(old)
b[begin:end] = fake + b"\n" * (len(old) - len(fake))
open(sys.argv[3], "wb").write(b)
PY
run "$IGVMKIT" verify --wide --tdx-quote "$TMP/bad.dat"
is "$rc" 4 "self-made root in the chain: exit 4"
like "$TMP/out" "^PCK_CHAIN .* broken: the chain's root 'Intel SGX Root CA' is not the pinned Intel SGX Root CA +MISMATCH\$" "self-made root: named"

# --- SGX and other quotes: exit 5 ------------------------------------------
"$PYTHON3" -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[0:2]=(3).to_bytes(2,"little"); b[4:8]=bytes(4); open(sys.argv[2],"wb").write(b)' \
    "$EV/quote-v4-debug-td.dat" "$TMP/sgx.dat"
run "$IGVMKIT" verify --wide --tdx-quote "$TMP/sgx.dat"
is "$rc:$(cat "$TMP/err")" "5:igvmkit: error: $TMP/sgx.dat: this is an SGX quote (version 3, TEE type 0x0), not a TDX quote; igvmkit verifies TDX quotes only" \
    "SGX quote v3: exit 5, named"
is "$(wc -c <"$TMP/out")" 0 "SGX quote: no table"

# --- against a file: authenticity plus the file's values -------------------
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$EV/gce-cos113-quote.dat"
is "$rc" 4 "genuine quote of another launch: exit 4"
like "$TMP/out" "^QUOTE_SIGNATURE .* valid +match\$" "authentic"
like "$TMP/out" "^MRTD +$SNPTDX_MRTD +dae67181d3d65e07.* +MISMATCH\$" "MRTD mismatch"
like "$TMP/out" "^tdx-quote: NOT VERIFIED: 1 of 8 checks failed\$" "one row fails"

# --- values given on the command line ---------------------------------------
RD=$("$PYTHON3" -c 'import sys; print(open(sys.argv[1],"rb").read()[54+520:54+584].hex())' "$EV/quote-v5.dat")
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --report-data "$RD"
is "$rc" 0 "--report-data as in the v5 quote: exit 0"
like "$TMP/out" "^REPORTDATA +$RD +$RD +match\$" "REPORTDATA row"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --report-data 00
is "$rc" 4 "--report-data 00 against the v5 quote: exit 4"
like "$TMP/out" "^REPORTDATA +0{128} +$RD +MISMATCH\$" "REPORTDATA row, zero padded"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --report-data 00
is "$rc" 0 "--report-data 00, shorter than 64 bytes, is zero padded: the GCE quote's is zero"
Z48=000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --mrconfigid $Z48 --mrowner $Z48 --mrownerconfig $Z48
is "$rc" 0 "zero MRCONFIGID/MROWNER/MROWNERCONFIG: match"
like "$TMP/out" "^MROWNERCONFIG +0{96} +0{96} +match\$" "MROWNERCONFIG row"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --mrowner 01$(echo $Z48 | cut -c3-)
is "$rc" 4 "another MROWNER: exit 4"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --mrowner 01
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit verify: --mrowner: expected 96 hex digits (48 bytes), got '01'" "short --mrowner: usage error"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --at yesterday
is "$rc" 2 "bad --at: usage error"

# --- the GCE quote with its event log --------------------------------------
LOG=$EV/gce-cos113-ccel-log.dat
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$LOG"
is "$rc" 0 "GCE quote + its log: exit 0"
like "$TMP/out" "^RTMR0 \\(log\\) +3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6 \\(16 events replayed\\) +3fa2f61f[0-9a-f]{88} \\(quote\\) +match\$" "RTMR0 replayed from 16 events"
like "$TMP/out" "^RTMR2 \\(log\\) +4969684d[0-9a-f]{88} \\(20 events replayed\\) +4969684d[0-9a-f]{88} \\(quote\\) +match\$" "RTMR2 replayed from 20 events"
like "$TMP/out" "^RTMR3 events \\(runtime, for a policy to check\\): 0\$" "RTMR3 events listed (none)"
# --json lists the RTMR3 events too ("rtmr3_events"): none in the GCE log.
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$LOG" --json
is "$rc" 0 "GCE quote + its log, --json: exit 0"
is "$("$PYTHON3" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["rtmr3_events"]))' "$TMP/out")" \
    "[]" "--json: rtmr3_events is an empty list for the GCE log"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --json
is "$("$PYTHON3" -c 'import json,sys; print("rtmr3_events" in json.load(open(sys.argv[1])))' "$TMP/out")" \
    "False" "--json without --event-log: no rtmr3_events member"
# Two runtime events appended to the GCE log (EV_IPL, EV_EVENT_TAG, SHA-384
# of their data): text and JSON list them; the quote's RTMR3 is zero, so the
# replayed RTMR3 does not match (exit 4).
"$PYTHON3" - "$LOG" "$TMP/rtmr3.dat" <<'PY'
import hashlib, struct, sys
b = open(sys.argv[1], "rb").read()
def event(mr, kind, data):
    return (struct.pack("<IIIH", mr, kind, 1, 12) + hashlib.sha384(data).digest() +
            struct.pack("<I", len(data)) + data)
open(sys.argv[2], "wb").write(b + event(4, 0xD, b"app=nginx:1.25") + event(4, 0x6, b"runtime-tag"))
PY
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/rtmr3.dat"
is "$rc" 4 "log with RTMR3 events the quote lacks: exit 4"
cat >"$TMP/want" <<'OUT'
RTMR3 events (runtime, for a policy to check): 2
  #43 EV_IPL 7f6fa01bc8858d1fa258148a72ab01f8be183b923e4b2bb19496fd00d106caaf846d98b107f16e8583dc92748c10c5c9 "app=nginx:1.25"
  #44 EV_EVENT_TAG 1a75eb3bbe775fa030445406bf070c48220b68c49bfcae5b64c3b4c24c25a53eef9c7cdf526503d1bde79a31918689b9 "runtime-tag"
OUT
sed -n '/^RTMR3 events/,$p' "$TMP/out" >"$TMP/got"
cmp -s "$TMP/got" "$TMP/want"
ok $? "text: the RTMR3 events after the table"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/rtmr3.dat" --json
is "$rc" 4 "--json, RTMR3 events: exit 4"
"$PYTHON3" - "$TMP/out" >"$TMP/got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["rtmr3_events"]:
    print(e["index"], e["offset"], e["mr_index"], e["mr"], e["type"], e["type_name"], e["sha384"],
          e["data_size"], e["data"])
print([f["status"] for f in d["fields"] if f["field"] == "RTMR3 (log)"])
PY
cat >"$TMP/want" <<'OUT'
43 18101 4 RTMR3 13 EV_IPL 7f6fa01bc8858d1fa258148a72ab01f8be183b923e4b2bb19496fd00d106caaf846d98b107f16e8583dc92748c10c5c9 14 "app=nginx:1.25"
44 18181 4 RTMR3 6 EV_EVENT_TAG 1a75eb3bbe775fa030445406bf070c48220b68c49bfcae5b64c3b4c24c25a53eef9c7cdf526503d1bde79a31918689b9 11 "runtime-tag"
['mismatch']
OUT
cmp -s "$TMP/got" "$TMP/want"
ok $? "--json: rtmr3_events, every field exact"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got" | sed 's/^/# /'
# The whole CCEL area, as the guest exposes it: the log, then 0xFF.
"$PYTHON3" -c 'import sys; b=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(b+b"\xff"*(262144-len(b)))' "$LOG" "$TMP/area.dat"
is "$(sha256sum <"$TMP/area.dat" | cut -d' ' -f1)" 090dc18758380a5cc03014bf2fe354788a4f4222671e1e38f85b772d2fd344b5 "rebuilt CCEL area = the original"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/area.dat" --ccel-table "$EV/gce-cos113-ccel-table.dat"
is "$rc" 0 "GCE quote + CCEL area + CCEL table: exit 0"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$LOG" --ccel-table "$EV/gce-cos113-ccel-table.dat"
is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: $LOG: the CCEL table states a log area of 262144 bytes, the file has 18101" "log shorter than the CCEL table says: exit 3"

# Every event: a flipped digest byte, and the event dropped, fail on its RTMR.
"$PYTHON3" - "$LOG" "$TMP" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
off = 32 + struct.unpack_from("<I", b, 28)[0]
events = []
while off < len(b) and b[off:off + 8] not in (b"\xff" * 8, b"\0" * 8):
    mr, typ, n = struct.unpack_from("<III", b, off)
    p = off + 12 + n * 50
    size, = struct.unpack_from("<I", b, p)
    events.append((off, p + 4 + size, mr))
    off = p + 4 + size
with open(sys.argv[2] + "/events.txt", "w") as f:
    for i, (start, end, mr) in enumerate(events):
        flipped = bytearray(b)
        flipped[start + 14 + (i % 48)] ^= 0x80
        open("%s/flip%d.dat" % (sys.argv[2], i), "wb").write(flipped)
        open("%s/drop%d.dat" % (sys.argv[2], i), "wb").write(b[:start] + b[end:])
        f.write("%d %d\n" % (i, mr - 1))
PY
is "$(wc -l <"$TMP/events.txt")" 43 "43 events to tamper with"
bad_flip=0 bad_drop=0
while read -r i r; do
    run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/flip$i.dat"
    if [ "$rc" != 4 ] || ! grep -Eq "^RTMR$r \\(log\\) .* MISMATCH\$" "$TMP/out" ||
        [ "$(grep -c '^[A-Z].* MISMATCH$' "$TMP/out")" != 1 ]; then
        bad_flip=$((bad_flip + 1)); echo "# flip $i (RTMR$r): rc $rc"
    fi
    run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/drop$i.dat"
    if [ "$rc" != 4 ] || ! grep -Eq "^RTMR$r \\(log\\) .* MISMATCH\$" "$TMP/out"; then
        bad_drop=$((bad_drop + 1)); echo "# drop $i (RTMR$r): rc $rc"
    fi
done <"$TMP/events.txt"
is "$bad_flip" 0 "each of 43 events with one digest byte changed: exit 4 naming its RTMR only"
is "$bad_drop" 0 "each of 43 events dropped: exit 4 naming its RTMR"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/gce-cos113-quote.dat" --event-log "$TMP/drop41.dat"
like "$TMP/out" "^RTMR1 \\(log\\) +[0-9a-f]{96} \\(6 events replayed\\) +f62dbc07[0-9a-f]{88} \\(quote\\) +MISMATCH\$" "dropped event: row says how many events were replayed"

# --- collateral -------------------------------------------------------------
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --tdx-collateral "$EV/collateral-v5" --at 2026-02-15T00:00:00Z
is "$rc" 0 "v5 quote with its TCB info at 2026-02-15: exit 0"
like "$TMP/out" "^TCB_STATUS +UpToDate \\(TCB info of the PCK's FMSPC\\) +UpToDate \\(TCB level of 2024-11-13T00:00:00Z, TDX module UpToDate\\) +match\$" "TCB status evaluated: UpToDate (signature verified)"
like "$TMP/out" "^PCK_CRL +- +- +not checked: no pckcrl.der in the collateral \\[informational\\]\$" "no CRL: said"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --tdx-collateral "$EV/collateral-v5"
is "$rc" 4 "the same TCB info now (expired): exit 4"
like "$TMP/out" "^TCB_STATUS .* not checked \\(TCB info valid 2026-02-01T14:49:26Z to 2026-03-03T14:49:26Z; use --at for archived evidence\\) +MISMATCH\$" "expired TCB info: named"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat" --tdx-collateral "$EV/collateral" --at 2023-06-15T00:00:00Z
like "$TMP/out" "^PCK_CRL +PCK certificate not revoked +not revoked +match" "CRL checked on 2023-06-15: not revoked"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat" --tdx-collateral "$TMP/nothing"
is "$rc" 6 "missing collateral directory: exit 6"

# --- collateral signatures: Intel's TCB signing key over the exact bytes ------
mkdir -p "$TMP/forged" "$TMP/unsigned" "$TMP/qe-forged"
# A forged TCB info: the first tcbStatus of the signed body made UpToDate.
"$PYTHON3" - "$EV/collateral-v5/tcbInfo.json" "$TMP/forged/tcbInfo.json" "$TMP/unsigned/tcbInfo.json" <<'PY'
import sys
doc = open(sys.argv[1], "rb").read()
forged = doc.replace(b'"tcbStatus":"OutOfDate"', b'"tcbStatus":"UpToDate" ', 1)
assert forged != doc and len(forged) == len(doc)
open(sys.argv[2], "wb").write(forged)
body = doc[len(b'{"tcbInfo":'):doc.rindex(b',"signature"')]
open(sys.argv[3], "wb").write(b'{"tcbInfo":' + body + b'}')
PY
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --tdx-collateral "$TMP/forged" --at 2026-02-15T00:00:00Z
is "$rc" 4 "TCB info with one status changed: exit 4"
like "$TMP/out" "^TCB_STATUS +UpToDate \\(TCB info of the PCK's FMSPC\\) +tcbInfo.json: the signature does not verify with Intel's TCB signing key +MISMATCH\$" "forged TCB info: signature named"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v5.dat" --tdx-collateral "$TMP/unsigned" --at 2026-02-15T00:00:00Z
is "$rc" 4 "TCB info without its signature: exit 4"
like "$TMP/out" "^TCB_STATUS .* not checked \\(tcbInfo.json is not a signed PCS document\\) +MISMATCH\$" "unsigned TCB info: refused"
cp "$EV/collateral/pckcrl.der" "$EV/collateral/tcbInfo.json" "$TMP/qe-forged/"
"$PYTHON3" - "$EV/collateral/enclaveIdentity.json" "$TMP/qe-forged/enclaveIdentity.json" <<'PY'
import sys
doc = open(sys.argv[1], "rb").read()
forged = doc.replace(b'"isvsvn":4', b'"isvsvn":3', 1)
assert forged != doc
open(sys.argv[2], "wb").write(forged)
PY
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat" --tdx-collateral "$TMP/qe-forged" --at 2025-11-01T00:00:00Z
like "$TMP/out" "^QE_IDENTITY +TD_QE identity, UpToDate +the QE identity: the signature does not verify with Intel's TCB signing key +MISMATCH\$" "forged QE identity: signature named"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat" --tdx-collateral "$EV/collateral" --at 2025-11-01T00:00:00Z
like "$TMP/out" "^QE_IDENTITY +TD_QE identity, UpToDate +ISVSVN 4: UpToDate +match\$" "genuine QE identity, current on 2025-11-01: signature verified, UpToDate"
run "$IGVMKIT" verify --wide --tdx-quote "$EV/quote-v4-debug-td.dat" --tdx-collateral "$EV/collateral" --at 2023-06-15T00:00:00Z
like "$TMP/out" "^QE_IDENTITY .* not checked \\(QE identity valid 2025-10-28T06:45:09Z to 2025-11-27T06:45:09Z; use --at for archived evidence\\) +MISMATCH\$" "QE identity not yet issued on 2023-06-15: not checked, fails"

done_testing
