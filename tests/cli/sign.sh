# igvmkit sign: local keys, replacing an ID block, the detached flow
# (--emit-tbs, openssl dgst -sign, --attach), the QEMU id-block/id-auth
# values, and every bad input with its exit status, message and no output.
# Keys are generated here with openssl; none is committed.
. "$top_srcdir/tests/cli/lib.sh"

command -v openssl >/dev/null 2>&1 || skip_all "openssl(1) not installed"

openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/id.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$TMP/author.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/p256.pem" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/other.pem" 2>/dev/null
openssl ec -in "$TMP/id.pem" -pubout -out "$TMP/id-pub.pem" 2>/dev/null
echo "not a key" >"$TMP/junk.pem"

MINIMAL_LD=5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d08f0051dbbc9ce762d6969cbcdfaec3e0351e7
SNPTDX_LD=ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
EXTRAS_LD=27a7c1178a10256f54a0963d4592de4687d3759c04bbda88d35fe9d6b07ed8d837b55f515219f964ddf4a375bc3a69dd

hexdump_all() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# --- local keys: sign -> measure -------------------------------------------
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/min.igvm" \
    --id-key "$TMP/id.pem" --author-key "$TMP/author.pem" \
    --family-id 01234567-89ab-cdef-0123-456789abcdef --image-id 00112233-4455-6677-8899-aabbccddeeff \
    --svn 5
is "$rc" 0 "sign minimal_snp_v1 with ID and author keys"
like "$TMP/out" "^launch digest: $MINIMAL_LD\$" "sign prints the launch digest"
like "$TMP/out" "^family id: 0123456789abcdef0123456789abcdef\$" "family id in uuid_parse byte order"
like "$TMP/out" "^image id: 00112233445566778899aabbccddeeff\$" "image id"
like "$TMP/out" "^guest svn: 5\$" "guest svn"
# ID_KEY_DIGEST = SHA-384 of 02 00 00 00 || qx LE(72) || qy LE(72) || zeros to 0x404,
# computed here independently from openssl's text dump of the public point.
want_digest=$("$PYTHON3" - "$TMP/id.pem" <<'EOF'
import hashlib, subprocess, sys
out = subprocess.run(["openssl", "ec", "-in", sys.argv[1], "-noout", "-text"],
                     capture_output=True, text=True).stdout
hexpub = "".join(out.split("pub:")[1].split("ASN1")[0].split()).replace(":", "")
pt = bytes.fromhex(hexpub)
assert pt[0] == 4 and len(pt) == 97
qx, qy = pt[1:49][::-1], pt[49:97][::-1]
key = (2).to_bytes(4, "little") + qx + bytes(24) + qy + bytes(24)
key += bytes(0x404 - len(key))
print(hashlib.sha384(key).hexdigest())
EOF
)
like "$TMP/out" "^id key digest: $want_digest\$" "ID key digest = SHA-384 of the PSP key form"
run "$IGVMKIT" measure "$TMP/min.igvm"
is "$rc" 0 "measure the signed file"
like "$TMP/out" "digest: +$MINIMAL_LD" "signed file re-measures to the same digest"
like "$TMP/out" "ld: +$MINIMAL_LD \\(matches\\)" "measure: ID block LD matches"
like "$TMP/out" "id key signature: +verifies" "measure: ID key signature verifies"
like "$TMP/out" "author key signature: +verifies" "measure: author key signature verifies"

# --- the ID-block sample: its block is replaced, LD is the golden value ------
run "$IGVMKIT" sign "$TESTDATA/snp/snp_extras_idblock.igvm" -o "$TMP/extras.igvm" --id-key "$TMP/id.pem"
is "$rc" 0 "re-sign snp_extras_idblock.igvm"
like "$TMP/out" "^launch digest: $EXTRAS_LD\$" "its LD is the reference digest"
run "$IGVMKIT" measure "$TMP/extras.igvm"
like "$TMP/out" "ld: +$EXTRAS_LD \\(matches\\)" "re-signed sample: LD matches"
like "$TMP/out" "id key signature: +verifies" "re-signed sample: signature verifies"
is "$(wc -c <"$TMP/extras.igvm")" "$(wc -c <"$TESTDATA/snp/snp_extras_idblock.igvm")" \
    "replaced in place: same file size"

# --- snp_tdx_v1: dummy block (LD 0xab...) replaced ---------------------------
run "$IGVMKIT" sign "$TESTDATA/snp_tdx_v1.igvm" -o "$TMP/snptdx.igvm" --id-key "$TMP/id.pem"
is "$rc" 0 "sign snp_tdx_v1 (replaces its dummy ID block)"
run "$IGVMKIT" measure "$TMP/snptdx.igvm" --platform sev-snp
like "$TMP/out" "ld: +$SNPTDX_LD \\(matches\\)" "snp_tdx_v1: new block matches the qemu digest"
like "$TMP/out" "id key signature: +verifies" "snp_tdx_v1: signature verifies"
is "$(wc -c <"$TMP/snptdx.igvm")" "$(wc -c <"$TESTDATA/snp_tdx_v1.igvm")" \
    "snp_tdx_v1: replaced in place, same size"

# --- detached flow -------------------------------------------------------------
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" --emit-tbs "$TMP/tbs.bin" --svn 9 \
    --family-id 01234567-89ab-cdef-0123-456789abcdef
is "$rc" 0 "--emit-tbs"
is "$(wc -c <"$TMP/tbs.bin")" 96 "TBS is 96 bytes"
is "$(hexdump_all "$TMP/tbs.bin")" \
    "${MINIMAL_LD}0123456789abcdef0123456789abcdef0000000000000000000000000000000001000000090000000000020000000000" \
    "TBS = LD, family id, image id, version 1, svn 9, policy 0x20000"
is "$(cat "$TMP/out")" "" "--emit-tbs prints nothing"
openssl dgst -sha384 -sign "$TMP/id.pem" -out "$TMP/sig.der" "$TMP/tbs.bin"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/att.igvm" --svn 9 \
    --family-id 01234567-89ab-cdef-0123-456789abcdef \
    --attach "$TMP/sig.der" --id-pub "$TMP/id-pub.pem" --qemu-blobs "$TMP"
is "$rc" 0 "--attach an openssl signature"
run "$IGVMKIT" measure "$TMP/att.igvm"
like "$TMP/out" "id key signature: +verifies" "attached signature verifies in measure"

# QEMU values: base64 without newlines; id-block decodes to the TBS.
is "$(tr -d 'A-Za-z0-9+/=' <"$TMP/id-block.b64" | wc -c)" 0 "id-block.b64: base64 only, no newline"
is "$(base64 -d "$TMP/id-block.b64" | od -An -v -tx1 | tr -d ' \n')" "$(hexdump_all "$TMP/tbs.bin")" \
    "id-block.b64 decodes to the signed TBS"
is "$(base64 -d "$TMP/id-auth.b64" | wc -c)" 4096 "id-auth.b64 decodes to 4096 bytes"
is "$(base64 -d "$TMP/id-auth.b64" | od -An -v -tx1 -N8 | tr -d ' \n')" "0100000000000000" \
    "id-auth: ID_KEY_ALGO 1, AUTH_KEY_ALGO 0"
# ID_KEY_SIG r in id-auth at 0x40 = r of the DER signature, little endian.
want_r=$("$PYTHON3" - "$TMP/sig.der" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
assert d[0] == 0x30
i = 2 if d[1] < 0x80 else 3
assert d[i] == 2
n = d[i + 1]
r = int.from_bytes(d[i + 2:i + 2 + n], "big")
print(r.to_bytes(72, "little").hex())
EOF
)
is "$(base64 -d "$TMP/id-auth.b64" | od -An -v -tx1 -j64 -N72 | tr -d ' \n')" "$want_r" \
    "id-auth: r of the DER signature at 0x40, little endian"
# --qemu-blobs alone reads the file's block.
mkdir "$TMP/blobs"
run "$IGVMKIT" sign "$TMP/att.igvm" --qemu-blobs "$TMP/blobs"
is "$rc" 0 "--qemu-blobs from an existing ID block"
cmp -s "$TMP/blobs/id-auth.b64" "$TMP/id-auth.b64"
ok $? "same id-auth from the signed file"

# --- bad input: exit status, exact message, nothing written -----------------
check_fail() { # NAME WANT_RC WANT_STDERR_LINE OUTPUT
    is "$rc" "$2" "$1: exit $2"
    is "$(head -1 "$TMP/err")" "$3" "$1: message"
    [ ! -e "$4" ]
    ok $? "$1: no output file"
}

run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/p256.pem"
check_fail "P-256 key" 3 \
    "igvmkit: error: $TMP/p256.pem: ID key is on curve prime256v1; SEV-SNP ID blocks need P-384 (secp384r1)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem" \
    --author-key "$TMP/junk.pem"
check_fail "non-PEM author key" 3 \
    "igvmkit: error: $TMP/junk.pem: author key is not an unencrypted PEM private key (PKCS#8 or SEC1)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem" \
    --family-id 0123-not-a-uuid
check_fail "malformed --family-id" 2 \
    "igvmkit sign: --family-id: '0123-not-a-uuid' is not a UUID (like 01234567-89ab-cdef-0123-456789abcdef)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem" \
    --image-id 01234567-89ab-cdef-0123-456789abcdeg
check_fail "malformed --image-id" 2 \
    "igvmkit sign: --image-id: '01234567-89ab-cdef-0123-456789abcdeg' is not a UUID (like 01234567-89ab-cdef-0123-456789abcdef)" \
    "$TMP/bad.igvm"
# Signed over other ids (svn 9 vs 0): does not verify, exit 4.
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" \
    --attach "$TMP/sig.der" --id-pub "$TMP/id-pub.pem" --qemu-blobs "$TMP/blobs"
check_fail "attach a signature over other bytes" 4 \
    "igvmkit: error: the signature does not verify with the ID public key over this file's ID block (wrong key, or signed with other ids, version, SVN or file)" \
    "$TMP/bad.igvm"
openssl dgst -sha384 -sign "$TMP/other.pem" -out "$TMP/other.der" "$TMP/tbs.bin"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --svn 9 \
    --family-id 01234567-89ab-cdef-0123-456789abcdef \
    --attach "$TMP/other.der" --id-pub "$TMP/id-pub.pem"
check_fail "attach a signature by another key" 4 \
    "igvmkit: error: the signature does not verify with the ID public key over this file's ID block (wrong key, or signed with other ids, version, SVN or file)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" \
    --attach "$TMP/tbs.bin" --id-pub "$TMP/id-pub.pem"
check_fail "attach a non-DER signature" 3 \
    "igvmkit: error: $TMP/tbs.bin: signature is not a DER ECDSA signature (SEQUENCE of r and s)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/native_vbs_v2.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem"
check_fail "file without SEV-SNP" 5 \
    "igvmkit: error: $TESTDATA/native_vbs_v2.igvm: the file does not declare platform sev-snp (it declares: native, vbs)" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/native_vbs_v2.igvm" --emit-tbs "$TMP/bad.bin"
check_fail "--emit-tbs on a file without SEV-SNP" 5 \
    "igvmkit: error: $TESTDATA/native_vbs_v2.igvm: the file does not declare platform sev-snp (it declares: native, vbs)" \
    "$TMP/bad.bin"
# minimal_snp_v1 with its GUEST_POLICY moved to mask 0x2 (CRC fixed up).
"$PYTHON3" - "$TESTDATA/minimal_snp_v1.igvm" "$TMP/nopolicy.igvm" <<'EOF'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
assert struct.unpack_from("<I", b, 0x30)[0] == 0x101  # header #1: GUEST_POLICY
struct.pack_into("<I", b, 0x40, 2)                    # its compatibility_mask
struct.pack_into("<I", b, 20, 0)
voff, vsize = struct.unpack_from("<II", b, 8)
struct.pack_into("<I", b, 20, zlib.crc32(bytes(b[:24]) + bytes(b[voff:voff + vsize])))
open(sys.argv[2], "wb").write(b)
EOF
run "$IGVMKIT" sign "$TMP/nopolicy.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem"
check_fail "SNP without GUEST_POLICY" 3 \
    "igvmkit: error: $TMP/nopolicy.igvm: no GUEST_POLICY header applies to the SEV-SNP platform (mask 0x1): the ID block must carry the launch policy" \
    "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" --qemu-blobs "$TMP/none"
is "$rc" 3 "--qemu-blobs without an ID block: exit 3"
is "$(head -1 "$TMP/err")" "igvmkit: error: $TESTDATA/minimal_snp_v1.igvm: the file has no SNP_ID_BLOCK for SEV-SNP" \
    "--qemu-blobs without an ID block: message"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --id-key "$TMP/id.pem" \
    --qemu-blobs "$TMP/no-such-dir"
check_fail "--qemu-blobs into a missing directory" 6 \
    "igvmkit: error: $TMP/no-such-dir: --qemu-blobs needs an existing directory" "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" --id-key "$TMP/id.pem"
check_fail "no -o" 2 "igvmkit sign: no output file (-o OUT)" "$TMP/bad.igvm"
run "$IGVMKIT" sign "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/bad.igvm" --attach "$TMP/sig.der"
check_fail "--attach without --id-pub" 2 \
    "igvmkit sign: --attach needs --id-pub PUB.pem (the key that signed)" "$TMP/bad.igvm"

done_testing
