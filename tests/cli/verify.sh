# igvmkit verify: SEV-SNP reports and TDX quotes built here, matching and
# mismatching field by field (with --no-signature: these reports are not
# signed by AMD), a report signed with a self-made "VCEK" (refused: no chain
# to AMD), malformed evidence.  Real AMD evidence: verify-snp-chain.sh.
. "$top_srcdir/tests/cli/lib.sh"

command -v openssl >/dev/null 2>&1 || skip_all "openssl(1) not installed"
[ "$PYTHON3" != false ] || skip_all "python3 not found"

MINIMAL_LD=5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d08f0051dbbc9ce762d6969cbcdfaec3e0351e7
SNPTDX_MRTD=9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26
Z48=000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
Z16=00000000000000000000000000000000

# mkreport OUT key=value...: an ATTESTATION_REPORT (0x4a0 bytes) with the
# given fields at their offsets; size= truncates or pads.
mkreport() {
    "$PYTHON3" - "$@" <<'EOF'
import struct, sys
out, kv = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
b = bytearray(0x4A0)
struct.pack_into("<I", b, 0x00, int(kv.get("version", "3"), 0))
struct.pack_into("<I", b, 0x04, int(kv.get("svn", "0"), 0))
struct.pack_into("<Q", b, 0x08, int(kv.get("policy", "0"), 0))
for name, off, n in (("family", 0x10, 16), ("image", 0x20, 16), ("report_data", 0x50, 64),
                     ("measurement", 0x90, 48), ("host_data", 0xC0, 32),
                     ("id_key_digest", 0xE0, 48), ("author_key_digest", 0x110, 48)):
    v = bytes.fromhex(kv.get(name, "00" * n))
    assert len(v) == n, name
    b[off:off + n] = v
struct.pack_into("<I", b, 0x34, int(kv.get("sig_algo", "1"), 0))
struct.pack_into("<I", b, 0x30, int(kv.get("vmpl", "0"), 0))
b[0x188:0x18B] = bytes.fromhex(kv.get("cpuid", "190101"))  # Milan
b[0x1A0:0x1E0] = bytes(64) if kv.get("chip") == "zero" else bytes(range(64))  # chip id
struct.pack_into("<I", b, 0x48, int(kv.get("flags", "0"), 0))
size = int(kv.get("size", str(len(b))), 0)
b = (b + bytes(size))[:size]
open(out, "wb").write(b)
EOF
}

# sign_report IN KEY OUT: signs bytes 0..0x29f with ECDSA P-384/SHA-384 and
# stores r and s little endian at 0x2a0 / 0x2e8, as the PSP does.
sign_report() {
    head -c 672 "$1" >"$TMP/tbs.bin"
    openssl dgst -sha384 -sign "$2" -out "$TMP/rsig.der" "$TMP/tbs.bin"
    "$PYTHON3" - "$1" "$TMP/rsig.der" "$3" <<'EOF'
import sys
rep = bytearray(open(sys.argv[1], "rb").read())
d = open(sys.argv[2], "rb").read()
assert d[0] == 0x30
i = 2 if d[1] < 0x80 else 3
ints = []
for _ in range(2):
    assert d[i] == 2
    n = d[i + 1]
    ints.append(int.from_bytes(d[i + 2:i + 2 + n], "big"))
    i += 2 + n
rep[0x2A0:0x2E8] = ints[0].to_bytes(72, "little")
rep[0x2E8:0x330] = ints[1].to_bytes(72, "little")
open(sys.argv[3], "wb").write(rep)
EOF
}

# mkquote OUT key=value...: a TDX quote v4 (header + TD report body + u32
# signature length 0); mrtd/rtmr1/rtmr2 at 184/424/472.
mkquote() {
    "$PYTHON3" - "$@" <<'EOF'
import struct, sys
out, kv = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
b = bytearray(636)
struct.pack_into("<HHI", b, 0, int(kv.get("version", "4"), 0), 2, int(kv.get("tee", "0x81"), 0))
for name, off in (("mrtd", 184), ("rtmr0", 376), ("rtmr1", 424), ("rtmr2", 472)):
    if name in kv:
        b[off:off + 48] = bytes.fromhex(kv[name])
struct.pack_into("<I", b, 632, int(kv.get("siglen", "0"), 0))
size = int(kv.get("size", str(len(b))), 0)
b = (b + bytes(size))[:size]
open(out, "wb").write(b)
EOF
}

# --- a signed file and the report its launch would produce ------------------
openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/id.pem" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/vcek.pem" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/other.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/p256.pem" 2>/dev/null
openssl req -x509 -new -key "$TMP/vcek.pem" -subj /CN=igvmkit-test-vcek -days 2 \
    -out "$TMP/vcek.crt" 2>/dev/null
openssl req -x509 -new -key "$TMP/other.pem" -subj /CN=igvmkit-other-vcek -days 2 \
    -out "$TMP/other.crt" 2>/dev/null
openssl req -x509 -new -key "$TMP/p256.pem" -subj /CN=igvmkit-p256 -days 2 \
    -out "$TMP/p256.crt" 2>/dev/null

"$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/signed.igvm" --id-key "$TMP/id.pem" \
    --family-id 01234567-89ab-cdef-0123-456789abcdef --image-id 00112233-4455-6677-8899-aabbccddeeff \
    --svn 2 >"$TMP/sign.out"
IDKD=$(sed -n 's/^id key digest: //p' "$TMP/sign.out")
is "${#IDKD}" 96 "the test file is signed (ID key digest known)"
HOST=$(printf '%064x' 0xabcdef)
GOOD="measurement=$MINIMAL_LD policy=0x20000 family=0123456789abcdef0123456789abcdef
      image=00112233445566778899aabbccddeeff svn=2 id_key_digest=$IDKD host_data=$HOST"
# shellcheck disable=SC2086
mkreport "$TMP/good.bin" $GOOD
sign_report "$TMP/good.bin" "$TMP/vcek.pem" "$TMP/good-signed.bin"

run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/good-signed.bin" --no-signature \
    --host-data "$HOST"
is "$rc" 0 "matching report, --no-signature: exit 0"
like "$TMP/out" "^MEASUREMENT +$MINIMAL_LD +$MINIMAL_LD +match\$" "table row: MEASUREMENT"
like "$TMP/out" "^POLICY +0x20000 +0x20000 +match\$" "table row: POLICY"
like "$TMP/out" "^POLICY_DEBUG +disallowed +disallowed +match\$" "table row: POLICY_DEBUG"
like "$TMP/out" "^ID_KEY_DIGEST +$IDKD +$IDKD +match\$" "table row: ID_KEY_DIGEST"
like "$TMP/out" "^VMPL +0 +0 +match\$" "table row: VMPL (0 by default with a file)"
like "$TMP/out" "^REPORT_SIGNATURE +- +- +not checked: --no-signature given\$" \
    "table row: REPORT_SIGNATURE not checked, and why"
is "$(tail -1 "$TMP/out")" \
    "sev-snp-report: VERIFIED WITH EXCEPTIONS: 2 checks skipped on request, the others match" \
    "summary says what was skipped"

run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/good-signed.bin" --no-signature --json
is "$rc" 0 "--json: exit 0"
"$PYTHON3" - "$TMP/out" <<'EOF' >"$TMP/json.txt"
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["evidence"], d["version"], d["status"], d["match"], len(d["fields"]),
      ",".join(f["field"] for f in d["fields"]),
      ",".join(f["status"] for f in d["fields"][:3]), d["fields"][0]["waived"])
EOF
is "$(cat "$TMP/json.txt")" \
    "2 sev-snp-report 3 verified True 11 REPORT_SIGNATURE,CERT_CHAIN,MEASUREMENT,POLICY,POLICY_DEBUG,FAMILY_ID,IMAGE_ID,GUEST_SVN,ID_KEY_DIGEST,AUTHOR_KEY_DIGEST,VMPL not checked,not checked,match True" \
    "--json decodes: schema 2, status, 11 rows with status"

# Each field changed alone gives exit 4 and that row MISMATCH, only that row.
check_mismatch() { # FIELD-ROW key=value
    row=$1
    shift
    # shellcheck disable=SC2086
    mkreport "$TMP/bad.bin" $GOOD "$@"
    run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/bad.bin" --host-data "$HOST" \
        --no-signature
    is "$rc" 4 "$row mismatch: exit 4"
    like "$TMP/out" "^$row .* MISMATCH(: .*)?\$" "$row mismatch: row marked"
    is "$(grep -c '^[A-Z_][A-Z_]* .*MISMATCH' "$TMP/out")" 1 "$row mismatch: only that row"
    like "$TMP/out" "^sev-snp-report: NOT VERIFIED: 1 of 12 checks failed\$" "$row mismatch: summary"
    like "$TMP/err" "^igvmkit: error: $TMP/bad.bin: $row failed" "$row mismatch: one line names it"
}
check_mismatch MEASUREMENT "measurement=$Z48"
check_mismatch POLICY policy=0x30000
check_mismatch FAMILY_ID family=$Z16
check_mismatch IMAGE_ID image=$Z16
check_mismatch GUEST_SVN svn=3
check_mismatch ID_KEY_DIGEST "id_key_digest=$Z48"
check_mismatch AUTHOR_KEY_DIGEST "author_key_digest=$IDKD"
check_mismatch HOST_DATA "host_data=$(printf '%064x' 1)"
check_mismatch VMPL vmpl=1

# A file without an ID block expects zero ids and digests.
mkreport "$TMP/plain.bin" "measurement=$MINIMAL_LD" policy=0x20000
run "$IGVMKIT" verify --wide "$TESTDATA/minimal_snp_v1.igvm" --snp-report "$TMP/plain.bin" --no-signature
is "$rc" 0 "unsigned file: zero ids and key digests expected"
# Fail closed: without --vcek and without --no-signature the same report fails.
run "$IGVMKIT" verify --wide "$TESTDATA/minimal_snp_v1.igvm" --snp-report "$TMP/plain.bin"
is "$rc" 4 "no VCEK, no --no-signature: exit 4"
like "$TMP/out" "^REPORT_SIGNATURE +- +- +not checked: no VCEK given\$" "row says not checked"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/plain.bin: REPORT_SIGNATURE not checked: no VCEK given" \
    "one line names the report and the check"
# A debug-enabled guest fails unless the file's own policy allows debugging.
mkreport "$TMP/dbg.bin" "measurement=$MINIMAL_LD" policy=0xa0000
run "$IGVMKIT" verify --wide "$TESTDATA/minimal_snp_v1.igvm" --snp-report "$TMP/dbg.bin" --no-signature
is "$rc" 4 "debugging allowed by the report only: exit 4"
like "$TMP/out" "^POLICY_DEBUG +disallowed +allowed +MISMATCH\$" "POLICY_DEBUG row"

# --- a self-made VCEK (CN=SEV-VCEK): the report signature verifies, AMD's chain does not
openssl req -x509 -new -key "$TMP/vcek.pem" -subj /CN=SEV-VCEK -days 2 \
    -out "$TMP/self-vcek.crt" 2>/dev/null
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/good-signed.bin" \
    --vcek "$TMP/self-vcek.crt" --host-data "$HOST"
is "$rc" 4 "self-made VCEK: exit 4"
like "$TMP/out" "^REPORT_SIGNATURE +ECDSA P-384 SHA-384 by the VCEK +valid +match\$" \
    "self-made VCEK: its signature on the report is valid"
like "$TMP/out" "^VCEK_SIGNED_BY_ASK +RSA-PSS SHA-384 by SEV-Milan \(built in\) +another algorithm +MISMATCH: the VCEK is not signed with RSA-PSS/SHA-384 \(signature ecdsa-with-SHA256\)\$" \
    "self-made VCEK: not signed by AMD's ASK"
like "$TMP/out" "^CHIP_ID +hwID of the VCEK +absent +MISMATCH: the VCEK has no readable hwID extension\$" \
    "self-made VCEK: no hwID"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/self-vcek.crt: VCEK_SIGNED_BY_ASK failed: the VCEK is not signed with RSA-PSS/SHA-384 (signature ecdsa-with-SHA256)" \
    "self-made VCEK: one line names the certificate and the link"
# A report whose CHIP_ID the host masks (zero): CHIP_ID cannot be compared,
# which is said and does not decide; MASK_CHIP_KEY: the firmware did not sign.
# shellcheck disable=SC2086
mkreport "$TMP/masked.bin" $GOOD chip=zero
sign_report "$TMP/masked.bin" "$TMP/vcek.pem" "$TMP/masked-signed.bin"
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/masked-signed.bin" \
    --vcek "$TMP/self-vcek.crt"
like "$TMP/out" "^CHIP_ID +- +- +not checked: the report's CHIP_ID is zero: the host masks it \[informational\]\$" \
    "masked CHIP_ID: informational row"
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/masked-signed.bin"
like "$TMP/out" "^note: needed: the VCEK \(Milan, REPORTED_TCB bl=0 tee=0 snp=0 ucode=0\); the report's CHIP_ID is masked, so ask the host for the certificate\$" \
    "masked CHIP_ID, no VCEK: the note says so"
# shellcheck disable=SC2086
mkreport "$TMP/unsigned.bin" $GOOD flags=2
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/unsigned.bin" --vcek "$TMP/self-vcek.crt"
like "$TMP/out" "^REPORT_SIGNATURE +ECDSA P-384 SHA-384 by the VCEK +invalid +MISMATCH: the report is unsigned: MASK_CHIP_KEY is set\$" \
    "MASK_CHIP_KEY: the signature row says why"

run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/good-signed.bin" \
    --vcek "$TMP/p256.crt"
is "$rc" 3 "P-256 VCEK: exit 3"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/p256.crt: the VCEK's key is on curve prime256v1; a VCEK or VLEK is on P-384 (secp384r1)" \
    "P-256 VCEK: message"
is "$(cat "$TMP/out")" "" "P-256 VCEK: no table"
# shellcheck disable=SC2086
mkreport "$TMP/algo.bin" $GOOD sig_algo=2
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/algo.bin" --vcek "$TMP/self-vcek.crt"
is "$rc" 3 "unknown signature algorithm: exit 3"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/algo.bin: report signature algorithm 2 is not ECDSA P-384 with SHA-384 (1)" \
    "unknown signature algorithm: message"

# --- malformed reports ------------------------------------------------------
mkreport "$TMP/short.bin" size=1183
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/short.bin"
is "$rc" 3 "report of 1183 bytes: exit 3"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/short.bin: an SEV-SNP attestation report is 1184 (0x4a0) bytes; this one has 1183" \
    "short report: message"
is "$(cat "$TMP/out")" "" "short report: no table"
mkreport "$TMP/long.bin" size=2000
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/long.bin"
is "$rc" 3 "report of 2000 bytes: exit 3"
mkreport "$TMP/v1.bin" version=1
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/v1.bin"
is "$rc" 3 "report version 1: exit 3"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/v1.bin: unsupported SEV-SNP attestation report version 1 (known: 2 to 5)" \
    "report version 1: message"
mkreport "$TMP/v6.bin" version=6
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/v6.bin"
is "$rc" 3 "report version 6: exit 3"
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/missing.bin"
is "$rc" 6 "missing report: exit 6"
run "$IGVMKIT" verify --wide "$TMP/signed.igvm" --snp-report "$TMP/good.bin" --host-data abc
is "$rc" 2 "bad --host-data: exit 2"
is "$(cat "$TMP/out")" "" "bad --host-data: nothing on stdout"
is "$(head -1 "$TMP/err")" "igvmkit verify: --host-data: expected 64 hex digits (32 bytes), got 'abc'" \
    "bad --host-data: message"
run "$IGVMKIT" verify --wide "$TESTDATA/native_vbs_v2.igvm" --snp-report "$TMP/good.bin" --no-signature
is "$rc" 5 "file without SEV-SNP: exit 5"

# --- the mismatch assistant: which launch of FILE gives the reported value ---
# snp_tdx_v1's SEV-SNP digest with 2 vCPUs (its VMSA copied), from measure.
V2=$("$IGVMKIT" measure "$TESTDATA/snp_tdx_v1.igvm" --platform sev-snp --vcpus 2 --bare --ignore-idblock)
is "$V2" e1dfac160bcc22242af207dde62746f75620a82140fea3ef2bcdf15983217353ae49145d57d7b66bc3b545696345475f \
    "snp_tdx_v1 with --vcpus 2 (the value the assistant must find)"
mkreport "$TMP/v2.bin" "measurement=$V2" policy=0x30000
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --snp-report "$TMP/v2.bin" --no-signature
is "$rc" 4 "report of a 2-vCPU launch: exit 4"
like "$TMP/out" "^MEASUREMENT +[0-9a-f]{96} +$V2 +MISMATCH\$" "MEASUREMENT mismatched"
is "$(grep '^note: mismatch assistant' "$TMP/out")" \
    "note: mismatch assistant: the reported MEASUREMENT: it is the qemu digest with --vcpus 2" \
    "text: the assistant names the vCPU count that gives the reported MEASUREMENT"
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --snp-report "$TMP/v2.bin" --no-signature --json
is "$("$PYTHON3" -c 'import json,sys; print([n for n in json.load(open(sys.argv[1]))["notes"] if n.startswith("mismatch")])' "$TMP/out")" \
    "['mismatch assistant: the reported MEASUREMENT: it is the qemu digest with --vcpus 2']" \
    "JSON: the finding is in notes"
mkreport "$TMP/v1.bin" "measurement=$MINIMAL_LD" policy=0x30000
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --snp-report "$TMP/v1.bin" --no-signature
is "$(grep '^note: mismatch assistant' "$TMP/out")" \
    "note: mismatch assistant: the reported MEASUREMENT: no loader profile (qemu, qemu-classic, openvmm) with the file's vCPUs or 1..64 vCPUs and the file's guest features or 0x21 gives it (384 measurements tried)" \
    "text: the assistant says when no combination gives it"
run "$IGVMKIT" verify --wide "$TESTDATA/minimal_snp_v1.igvm" --snp-report "$TMP/plain.bin" --no-signature
is "$(grep -c '^note: mismatch assistant' "$TMP/out")" 0 "a matching MEASUREMENT: no assistant"
# Guest features: a report of a launch with SEV_FEATURES 0x21 against a
# descriptor that packs 0x1 (one raw firmware page, as explain-assist.sh).
"$PYTHON3" -c 'import sys; open(sys.argv[1], "wb").write(b"\x90" * 4096)' "$TMP/fw.bin"
for gf in 0x1 0x21; do
    printf 'version: 1\nfirmware: {type: raw, path: fw.bin, gpa: 0xfffff000}\nplatforms:\n  sev-snp: {guest-features: %s}\n' \
        "$gf" >"$TMP/gf$gf.yaml"
done
GF21=$("$IGVMKIT" measure "$TMP/gf0x21.yaml" --bare)
is "$GF21" 9f01f3b2bac3a85cb5b5971d071b4d45cae5327788c37da789915895b588065a9a3115baa3c40bd20db7e6975f7679c6 \
    "the descriptor's digest with guest features 0x21"
mkreport "$TMP/gf.bin" "measurement=$GF21" policy=0x30000
run "$IGVMKIT" verify --wide "$TMP/gf0x1.yaml" --snp-report "$TMP/gf.bin" --no-signature
is "$rc" 4 "report of a launch with guest features 0x21: exit 4"
is "$(grep '^note: mismatch assistant' "$TMP/out")" \
    "note: mismatch assistant: the reported MEASUREMENT: it is the qemu digest with the file's vCPUs and guest features 0x21" \
    "text: the assistant names guest features 0x21"
like "$TMP/out" "^POLICY +0x30000 +0x30000 +match\$" "the POLICY matches: only the MEASUREMENT differs"
run "$IGVMKIT" verify --wide "$TMP/gf0x1.yaml" --snp-report "$TMP/gf.bin" --no-signature --json
is "$("$PYTHON3" -c 'import json,sys; print("|".join(n for n in json.load(open(sys.argv[1]))["notes"] if n.startswith("mismatch")))' "$TMP/out")" \
    "mismatch assistant: the reported MEASUREMENT: it is the qemu digest with the file's vCPUs and guest features 0x21" \
    "JSON: the guest features in notes"
# TDX: the MRTD of QEMU 8's two-pass page order.
M8=c3eed9ce0fb3a9063871f831347385f0e7d9f6e2fe1c04944dc2d5fe2cbceadb7d2155b2c2bd2dc0b5891a7726ec7559
is "$("$IGVMKIT" measure "$TESTDATA/snp_tdx_v1.igvm" --platform tdx --loader qemu-8 --bare)" "$M8" \
    "snp_tdx_v1 MRTD under qemu-8"
mkquote "$TMP/q8.bin" mrtd=$M8
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q8.bin" --no-signature
is "$rc" 4 "quote of a QEMU 8 launch: exit 4"
is "$(grep '^note: mismatch assistant' "$TMP/out")" \
    "note: mismatch assistant: the reported MRTD: it is the qemu-8 digest with the file's vCPUs (--loader qemu-8)" \
    "text: the assistant names the qemu-8 profile for the MRTD"

# --- TDX quotes (built here, so unsigned: --no-signature; real quotes: verify-tdx.sh)
mkquote "$TMP/q.bin" mrtd=$SNPTDX_MRTD
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin" --no-signature
is "$rc" 0 "matching TDX quote, signature not checked by request: exit 0"
like "$TMP/out" "^QUOTE_SIGNATURE +- +- +not checked: --no-signature: the quote was not authenticated\$" \
    "the output says the signature was not checked"
like "$TMP/out" "^MRTD +$SNPTDX_MRTD +$SNPTDX_MRTD +match\$" "MRTD row"
like "$TMP/out" "^TD_DEBUG +off +off +match\$" "TD_DEBUG row"
like "$TMP/out" "^tdx-quote: VERIFIED WITH EXCEPTIONS: 1 check skipped on request, the others match\$" "TDX summary"
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$rc" 3 "unsigned quote without --no-signature: refused (exit 3)"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/q.bin: TDX quote truncated at byte 636: the quote signature and attestation key runs past the end (636 bytes)" \
    "unsigned quote: message"
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin" --no-signature --report-data 00
is "$rc" 0 "TDX --report-data 00 (zero padded to 64 bytes): exit 0"
like "$TMP/out" "^REPORTDATA +0{128} +0{128} +match\$" "TDX REPORTDATA row"
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin" --no-signature --report-data 01
is "$rc.$(cat "$TMP/err")" "4.igvmkit: error: $TMP/q.bin: REPORTDATA failed" \
    "TDX --report-data 01: exit 4, named"
mkquote "$TMP/q.bin" mrtd=$MINIMAL_LD
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin" --json --no-signature
is "$rc" 4 "TDX quote with another MRTD: exit 4"
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[f for f in d["fields"] if f["field"] == "MRTD"][0]; print(d["match"], f["field"], f["expected"], f["actual"], f["match"])' \
    "$TMP/out" >"$TMP/json.txt"
is "$(cat "$TMP/json.txt")" "False MRTD $SNPTDX_MRTD $MINIMAL_LD False" "TDX mismatch in JSON"
mkquote "$TMP/q.bin" mrtd=$SNPTDX_MRTD size=600
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$rc" 3 "short TDX quote: exit 3"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/q.bin: TDX quote truncated at byte 48: the TD report body runs past the end (600 bytes)" \
    "short TDX quote: message"
mkquote "$TMP/q.bin" mrtd=$SNPTDX_MRTD version=6
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$rc" 5 "TDX quote version 6: exit 5"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/q.bin: unsupported TDX quote version 6 (igvmkit reads versions 4 and 5)" \
    "TDX quote version 6: message"
mkquote "$TMP/q.bin" mrtd=$SNPTDX_MRTD tee=0
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$rc:$(cat "$TMP/err")" "5:igvmkit: error: $TMP/q.bin: this is an SGX quote (version 4, TEE type 0x0), not a TDX quote; igvmkit verifies TDX quotes only" \
    "SGX quote refused: exit 5"
mkquote "$TMP/q.bin" mrtd=$SNPTDX_MRTD siglen=100
run "$IGVMKIT" verify --wide "$TESTDATA/snp_tdx_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/q.bin: TDX quote truncated at byte 636: the signature data runs past the end (636 bytes)" \
    "truncated signature data refused"
run "$IGVMKIT" verify --wide "$TESTDATA/minimal_snp_v1.igvm" --tdx-quote "$TMP/q.bin"
is "$rc" 3 "any malformed quote is refused before measuring"

done_testing
