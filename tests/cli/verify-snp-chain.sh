# igvmkit verify with real SEV-SNP evidence (tests/data/evidence/snp, made by
# AMD machines and AMD's KDS): each report authenticates with its VCEK in every
# form; every broken link (altered report, altered certificate, another chip,
# another product line, a forged chain, an expired VLEK) exits 4 and names the
# link; malformed input exits 3 with one line; options that add identity rows.
. "$top_srcdir/tests/cli/lib.sh"

command -v openssl >/dev/null 2>&1 || skip_all "openssl(1) not installed"
[ "$PYTHON3" != false ] || skip_all "python3 not found"

E="$TESTDATA/evidence/snp"
MILAN_ARK_SHA256=69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd
GENOA_ARK_SHA256=4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1
TURIN_ARK_SHA256=1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a
MILAN_CHIP=c38427a30d4c7af9d96f7a15b97269825a64cb76a2352ffd5d18115d89ad473f8e8c0bcd9a5d9286612bad4aadfb4426205a3b9e4fea82301135a170e477524e
OK_LINE="sev-snp-report: verified: all 12 checks match"

# split BUNDLE PREFIX: PREFIX-ask.pem, PREFIX-ark.pem, PREFIX-asvk.pem (AMD's order).
split() {
    "$PYTHON3" - "$1" "$2" <<'EOF'
import re, sys
blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?",
                    open(sys.argv[1]).read(), re.S)
assert len(blocks) == 3
for name, b in zip(("ask", "ark", "asvk"), blocks):
    open(sys.argv[2] + "-" + name + ".pem", "w").write(b)
EOF
}
for p in milan genoa turin; do split "$E/amd-roots/$p-ask-ark-asvk.pem" "$TMP/$p"; done

# The ARKs pinned in attest/amd-certs.c are these certificates (fingerprint by openssl).
for p in milan:$MILAN_ARK_SHA256 genoa:$GENOA_ARK_SHA256 turin:$TURIN_ARK_SHA256; do
    got=$(openssl x509 -in "$TMP/${p%%:*}-ark.pem" -outform DER | openssl dgst -sha256 -r | cut -c1-64)
    is "$got" "${p#*:}" "${p%%:*} ARK fingerprint (openssl) is the pinned one"
done

# flip FILE OFFSET OUT: a copy of FILE with the byte at OFFSET inverted.
flip() {
    "$PYTHON3" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); o = int(sys.argv[2], 0); b[o] ^= 0xff; open(sys.argv[3], "wb").write(b)' "$@"
}

# --- every real report, its VCEK in every form ------------------------------
openssl x509 -inform DER -in "$E/milan-v2-vcek.der" -out "$TMP/milan-v2-vcek.pem"
openssl x509 -inform DER -in "$E/milan-debug-vcek.der" -out "$TMP/milan-debug-vcek.pem"
openssl x509 -in "$E/turin-vcek.pem" -outform DER -out "$TMP/turin-vcek.der"
cp "$E/turin-vcek.pem" "$TMP/turin-vcek.pem"
openssl x509 -inform DER -in "$E/milan-vlek.der" -out "$TMP/milan-vlek.pem"
for pair in milan-v2:milan-v2-vcek:milan milan-debug-v2:milan-debug-vcek:milan turin-v5:turin-vcek:turin; do
    rep=$E/${pair%%:*}-report.bin
    rest=${pair#*:}
    leaf=${rest%%:*}
    p=${rest#*:}
    cat "$TMP/$leaf.pem" "$TMP/$p-ask.pem" "$TMP/$p-ark.pem" >"$TMP/b1.pem"
    cat "$TMP/$p-ark.pem" "$TMP/$leaf.pem" "$TMP/$p-ask.pem" >"$TMP/b2.pem"
    cat "$TMP/$p-ask.pem" "$TMP/$p-ark.pem" "$TMP/$leaf.pem" >"$TMP/b3.pem"
    for form in "$TMP/$leaf.der" "$TMP/$leaf.pem" "$TMP/b1.pem" "$TMP/b2.pem" "$TMP/b3.pem"; do
        [ -f "$form" ] || cp "$E/$leaf.der" "$form"
        run "$IGVMKIT" verify --wide --snp-report "$rep" --vcek "$form"
        is "$rc.$(tail -1 "$TMP/out")" "0.$OK_LINE" "${pair%%:*} with $(basename "$form"): exit 0, verified"
        is "$(cat "$TMP/err")" "" "${pair%%:*} with $(basename "$form"): nothing on stderr"
    done
done
# The bundle's CAs are the ones used, and --cert-chain's before them.
cat "$TMP/turin-ark.pem" "$TMP/milan-v2-vcek.pem" "$TMP/turin-ask.pem" >"$TMP/mixed.pem"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/mixed.pem"
is "$rc" 4 "Milan VCEK bundled with Turin's ASK and ARK: exit 4"
like "$TMP/out" "^VCEK_SIGNED_BY_ASK +RSA-PSS SHA-384 by SEV-Turin \\(from the VCEK file\\) +invalid +MISMATCH" \
    "the VCEK file's CAs are the ones used"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/milan-v2-vcek.pem" \
    --cert-chain "$E/amd-roots/milan-ask-ark-asvk.pem"
is "$rc" 0 "--cert-chain with AMD's Milan bundle: exit 0"
like "$TMP/out" "^VCEK_SIGNED_BY_ASK +RSA-PSS SHA-384 by SEV-Milan \\(from the chain file\\) +valid +match\$" \
    "--cert-chain's ASK is used"

# The rows of a genuine Milan report, exactly.
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --at 2026-01-01T00:00:00Z
sed -n '/^CHECK/,$p' "$TMP/out" | sed 's/  */ /g' >"$TMP/rows"
cat >"$TMP/want" <<EOF
CHECK EXPECTED ACTUAL RESULT
REPORT_SIGNATURE ECDSA P-384 SHA-384 by the VCEK valid match
SIGNING_KEY VCEK (report SIGNING_KEY 0) VCEK (CN=SEV-VCEK) match
VCEK_SIGNED_BY_ASK RSA-PSS SHA-384 by SEV-Milan (built in) valid match
ASK_SIGNED_BY_ARK RSA-PSS SHA-384 by ARK-Milan (built in) valid match
ARK_SELF_SIGNED RSA-PSS SHA-384 by ARK-Milan (built in) valid match
ARK_PINNED $MILAN_ARK_SHA256 $MILAN_ARK_SHA256 match
PRODUCT Milan (the VCEK's, report version 2 names no CPU) Milan match
CHIP_ID $MILAN_CHIP $MILAN_CHIP match
REPORTED_TCB bl=3 tee=0 snp=8 ucode=115 bl=3 tee=0 snp=8 ucode=115 match
VCEK_VALIDITY valid at 2026-01-01T00:00:00Z 2023-01-24T17:58:26Z to 2030-01-24T17:58:26Z match
ASK_VALIDITY valid at 2026-01-01T00:00:00Z 2020-10-22T18:24:20Z to 2045-10-22T18:24:20Z match
ARK_VALIDITY valid at 2026-01-01T00:00:00Z 2020-10-22T17:23:05Z to 2045-10-22T17:23:05Z match
$OK_LINE
EOF
is "$(cat "$TMP/rows")" "$(cat "$TMP/want")" "Milan v2: every row, exactly"
like "$TMP/out" "^  measurement +a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c\$" \
    "evidence alone: the report's MEASUREMENT is printed"
like "$TMP/out" "^  reported tcb +0x7308000000000003 \\(bl=3 tee=0 snp=8 ucode=115\\)\$" \
    "evidence alone: REPORTED_TCB decoded (Milan layout)"

run "$IGVMKIT" verify --wide --snp-report "$E/turin-v5-report.bin" --vcek "$E/turin-vcek.pem"
like "$TMP/out" "^PRODUCT +Turin \\(report CPUID\\) +Turin +match\$" "Turin: product from CPUID"
like "$TMP/out" "^CHIP_ID +59790fb1c39f35c1 +59790fb1c39f35c1 +match\$" "Turin: 8-byte hwID"
like "$TMP/out" "^REPORTED_TCB +fmc=1 bl=1 tee=1 snp=4 ucode=81 +fmc=1 bl=1 tee=1 snp=4 ucode=81 +match\$" \
    "Turin: TCB with FMC (family 1Ah layout)"
like "$TMP/out" "^ARK_PINNED +$TURIN_ARK_SHA256 +$TURIN_ARK_SHA256 +match\$" "Turin: ARK pinned"
like "$TMP/out" "^  product +Turin \\(CPUID family 1ah model 02h stepping 1\\)\$" "Turin: CPU printed"

run "$IGVMKIT" verify --wide --snp-report "$E/milan-debug-v2-report.bin" --vcek "$E/milan-debug-vcek.der"
is "$rc" 0 "debug guest, evidence alone: authentic (exit 0)"
like "$TMP/out" "^  policy +0xb0000 \\(abi 0.0, smt allowed, migrate_ma off, debug on, single_socket off\\)\$" "debug guest: policy says so"

# --- VLEK: valid 2024-12-10 to 2025-12-10 -----------------------------------
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der" \
    --at 2025-06-01T00:00:00Z
is "$rc" 0 "VLEK inside its validity (--at 2025-06-01): exit 0"
like "$TMP/out" "^SIGNING_KEY +VLEK \\(report SIGNING_KEY 1\\) +VLEK \\(CN=SEV-VLEK\\) +match\$" \
    "VLEK named a VLEK"
like "$TMP/out" "^VLEK_SIGNED_BY_ASVK +RSA-PSS SHA-384 by SEV-VLEK-Milan \\(built in\\) +valid +match\$" \
    "VLEK signed by the ASVK"
like "$TMP/out" "^ASVK_SIGNED_BY_ARK +RSA-PSS SHA-384 by ARK-Milan \\(built in\\) +valid +match\$" \
    "ASVK signed by the ARK"
like "$TMP/out" "^CHIP_ID +- +- +not checked: a VLEK is not bound to one chip and has no hwID \\[informational\\]\$" \
    "VLEK: CHIP_ID not checked, informational"
like "$TMP/out" "^PRODUCT +Milan \\(report CPUID\\) +Milan +match\$" "VLEK report v3: product from CPUID"
is "$(tail -1 "$TMP/out")" "sev-snp-report: verified: all 12 checks match" "VLEK: summary"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$TMP/milan-vlek.pem" \
    --at 2025-06-01T02:00:00+02:00
is "$rc" 0 "VLEK (PEM), --at with an offset: exit 0"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der"
is "$rc" 4 "VLEK now (2026, expired): exit 4"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $E/milan-vlek.der: VLEK_VALIDITY failed: the VLEK expired 2025-12-10T22:14:21Z" \
    "expired VLEK: one line names the certificate and the check"
like "$TMP/out" "^VLEK_VALIDITY +valid at [0-9T:Z-]+ +2024-12-10T22:14:21Z to 2025-12-10T22:14:21Z +MISMATCH: the VLEK expired 2025-12-10T22:14:21Z\$" \
    "expired VLEK: row"
is "$(tail -1 "$TMP/out")" "sev-snp-report: NOT VERIFIED: 1 of 12 checks failed" "expired VLEK: summary"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der" \
    --at 2025-12-10T22:14:22Z
is "$rc" 4 "VLEK one second after notAfter: exit 4"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der" \
    --at 2024-12-01T00:00:00Z
is "$rc.$(cat "$TMP/err")" \
    "4.igvmkit: error: $E/milan-vlek.der: VLEK_VALIDITY failed: the VLEK is not valid before 2024-12-10T22:14:21Z" \
    "VLEK before notBefore: exit 4, named"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --at 2031-01-01T00:00:00Z
is "$rc.$(cat "$TMP/err")" \
    "4.igvmkit: error: $E/milan-v2-vcek.der: VCEK_VALIDITY failed: the VCEK expired 2030-01-24T17:58:26Z" \
    "expired VCEK (--at 2031): exit 4, named"
# A VLEK for a report that says VCEK, and the other way round.
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-vlek.der" \
    --at 2025-06-01T00:00:00Z
is "$rc" 4 "VLEK given for a VCEK-signed report: exit 4"
like "$TMP/out" "^SIGNING_KEY +VCEK \\(report SIGNING_KEY 0\\) +VLEK \\(CN=SEV-VLEK\\) +MISMATCH: the report was not signed by a key of this kind\$" \
    "SIGNING_KEY mismatch row"

# --- broken links ------------------------------------------------------------
flip "$E/milan-v2-report.bin" 0x90 "$TMP/flip-meas.bin"
run "$IGVMKIT" verify --wide --snp-report "$TMP/flip-meas.bin" --vcek "$E/milan-v2-vcek.der"
is "$rc" 4 "a flipped MEASUREMENT byte: exit 4"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/flip-meas.bin: REPORT_SIGNATURE failed: the report was altered or not signed by this VCEK" \
    "flipped report byte: one line names the report and the link"
like "$TMP/out" "^REPORT_SIGNATURE +ECDSA P-384 SHA-384 by the VCEK +invalid +MISMATCH" "flipped: row"
flip "$E/turin-v5-report.bin" 0x2A0 "$TMP/flip-sig.bin"
run "$IGVMKIT" verify --wide --snp-report "$TMP/flip-sig.bin" --vcek "$E/turin-vcek.pem"
is "$rc.$(sed 's/: the .*//' "$TMP/err")" "4.igvmkit: error: $TMP/flip-sig.bin: REPORT_SIGNATURE failed" \
    "a flipped signature byte (r): exit 4, named"
# The last byte of a DER certificate is in its signature.
flip "$E/milan-v2-vcek.der" 1359 "$TMP/flip-vcek.der"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/flip-vcek.der"
is "$rc.$(cat "$TMP/err")" \
    "4.igvmkit: error: $TMP/flip-vcek.der: VCEK_SIGNED_BY_ASK failed: the VCEK is not signed by this ASK" \
    "a flipped byte in the VCEK's signature: exit 4, named"
"$PYTHON3" - "$TMP/milan-ark.pem" "$TMP/bad-ark.pem" <<'EOF'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
der = bytearray(base64.b64decode("".join(lines[1:-2])))
der[-1] ^= 0xff  # the last byte of the ARK's self-signature
b64 = base64.b64encode(bytes(der)).decode()
open(sys.argv[2], "w").write("-----BEGIN CERTIFICATE-----\n" +
    "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)) + "\n-----END CERTIFICATE-----\n")
EOF
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --cert-chain "$TMP/bad-ark.pem"
is "$rc" 4 "an altered ARK in --cert-chain: exit 4"
like "$TMP/out" "^ARK_SELF_SIGNED +RSA-PSS SHA-384 by ARK-Milan \\(from the chain file\\) +invalid +MISMATCH" \
    "altered ARK: self-signature invalid"
like "$TMP/out" "^ARK_PINNED +$MILAN_ARK_SHA256 +[0-9a-f]{64} +MISMATCH: the ARK is not AMD's ARK-Milan \\(SHA-256 of its DER differs\\)\$" \
    "altered ARK: not the pinned one"

run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/other-chip-vcek.der"
is "$rc" 4 "another chip's VCEK: exit 4"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $E/milan-v2-report.bin: REPORT_SIGNATURE failed: the report was altered or not signed by this VCEK" \
    "other chip: the first broken link is named"
like "$TMP/out" "^CHIP_ID +000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f +$MILAN_CHIP +MISMATCH: the VCEK is for another chip\$" \
    "other chip: CHIP_ID row (DER-wrapped hwID read)"
like "$TMP/out" "^REPORTED_TCB +bl=0 tee=0 snp=0 ucode=30 +bl=3 tee=0 snp=8 ucode=115 +MISMATCH" \
    "other chip: TCB row"

run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --cert-chain "$E/amd-roots/genoa-ask-ark-asvk.pem"
is "$rc" 4 "Milan VCEK with Genoa's ASK and ARK: exit 4"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $E/milan-v2-vcek.der: VCEK_SIGNED_BY_ASK failed: the VCEK is not signed by this ASK" \
    "wrong product chain: named"
like "$TMP/out" "^PRODUCT +Milan \\(the VCEK's, report version 2 names no CPU\\) +VCEK Milan, ASK Genoa, ARK Genoa +MISMATCH: the certificates are not all of the report's product line\$" \
    "wrong product chain: PRODUCT row"
like "$TMP/out" "^ARK_PINNED +$MILAN_ARK_SHA256 +$GENOA_ARK_SHA256 +MISMATCH" \
    "wrong product chain: Genoa's ARK is not Milan's pin"
cat "$E/turin-vcek.pem" "$TMP/milan-ask.pem" "$TMP/milan-ark.pem" >"$TMP/turin-milan.pem"
run "$IGVMKIT" verify --wide --snp-report "$E/turin-v5-report.bin" --vcek "$TMP/turin-milan.pem"
is "$rc" 4 "Turin report, Milan CAs in the bundle: exit 4"
like "$TMP/out" "^PRODUCT +Turin \\(report CPUID\\) +VCEK Turin, ASK Milan, ARK Milan +MISMATCH" \
    "Turin report, Milan CAs: PRODUCT row"

# A forged chain: own ARK-Milan, SEV-Milan and SEV-VCEK, RSA-PSS/SHA-384 like
# AMD's, with the report's hwID and TCB; the report re-signed.  Only the pin
# stops it.
PSS="-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48"
openssl genrsa -out "$TMP/f-ark.key" 2048 2>/dev/null
openssl genrsa -out "$TMP/f-ask.key" 2048 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$TMP/f-vcek.key" 2>/dev/null
# shellcheck disable=SC2086
openssl req -x509 -new -key "$TMP/f-ark.key" -subj /CN=ARK-Milan -days 30 $PSS \
    -out "$TMP/f-ark.pem" 2>/dev/null
# shellcheck disable=SC2086
openssl req -new -key "$TMP/f-ask.key" -subj /CN=SEV-Milan 2>/dev/null |
    openssl x509 -req -CA "$TMP/f-ark.pem" -CAkey "$TMP/f-ark.key" -set_serial 1 -days 30 $PSS \
        -out "$TMP/f-ask.pem" 2>/dev/null
{
    echo "[v]"
    echo "1.3.6.1.4.1.3704.1.2=DER:16:08:4d:69:6c:61:6e:2d:42:30"
    echo "1.3.6.1.4.1.3704.1.3.1=DER:02:01:03"
    echo "1.3.6.1.4.1.3704.1.3.2=DER:02:01:00"
    echo "1.3.6.1.4.1.3704.1.3.3=DER:02:01:08"
    echo "1.3.6.1.4.1.3704.1.3.8=DER:02:01:73"
    echo "1.3.6.1.4.1.3704.1.4=DER:$(echo "$MILAN_CHIP" | sed 's/../&:/g; s/:$//')"
} >"$TMP/f-ext.cnf"
# shellcheck disable=SC2086
openssl req -new -key "$TMP/f-vcek.key" -subj /CN=SEV-VCEK 2>/dev/null |
    openssl x509 -req -CA "$TMP/f-ask.pem" -CAkey "$TMP/f-ask.key" -set_serial 2 -days 30 $PSS \
        -extfile "$TMP/f-ext.cnf" -extensions v -out "$TMP/f-vcek.pem" 2>/dev/null
head -c 672 "$E/milan-v2-report.bin" >"$TMP/tbs.bin"
openssl dgst -sha384 -sign "$TMP/f-vcek.key" -out "$TMP/f-sig.der" "$TMP/tbs.bin"
"$PYTHON3" - "$E/milan-v2-report.bin" "$TMP/f-sig.der" "$TMP/forged.bin" <<'EOF'
import sys
rep = bytearray(open(sys.argv[1], "rb").read())
d = open(sys.argv[2], "rb").read()
i = 2 if d[1] < 0x80 else 3
ints = []
for _ in range(2):
    n = d[i + 1]
    ints.append(int.from_bytes(d[i + 2:i + 2 + n], "big"))
    i += 2 + n
rep[0x2A0:0x330] = ints[0].to_bytes(72, "little") + ints[1].to_bytes(72, "little")
open(sys.argv[3], "wb").write(rep)
EOF
cat "$TMP/f-vcek.pem" "$TMP/f-ask.pem" "$TMP/f-ark.pem" >"$TMP/forged-bundle.pem"
run "$IGVMKIT" verify --wide --snp-report "$TMP/forged.bin" --vcek "$TMP/forged-bundle.pem"
is "$rc" 4 "forged RSA-PSS chain named like AMD's: exit 4"
is "$(grep -c ' match$' "$TMP/out")" 11 "forged chain: 11 of 12 rows match (signatures, names, hwID, TCB, dates)"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $TMP/forged-bundle.pem: ARK_PINNED failed: the ARK is not AMD's ARK-Milan (SHA-256 of its DER differs)" \
    "forged chain: the pin names the broken link"
run "$IGVMKIT" verify --wide --snp-report "$TMP/forged.bin" --vcek "$TMP/f-vcek.pem"
is "$rc" 4 "forged VCEK alone (AMD's CAs built in): exit 4"
like "$TMP/err" "VCEK_SIGNED_BY_ASK failed: the VCEK is not signed by this ASK\$" "forged VCEK alone: named"

# --- no certificate: fail closed and say what to fetch ---------------------
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin"
is "$rc" 4 "no --vcek: exit 4"
is "$(cat "$TMP/err")" \
    "igvmkit: error: $E/milan-v2-report.bin: REPORT_SIGNATURE not checked: no VCEK given" \
    "no --vcek: one line"
like "$TMP/out" "^note: needed: the VCEK of \\{Milan\\|Genoa\\} chip $MILAN_CHIP at REPORTED_TCB bl=3 tee=0 snp=8 ucode=115\$" \
    "no --vcek: the certificate needed (v2 report: Milan or Genoa)"
like "$TMP/out" "^note: fetch it from AMD's key distribution service: https://kdsintf.amd.com/vcek/v1/\\{Milan\\|Genoa\\}/$MILAN_CHIP\\?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115\$" \
    "no --vcek: the KDS address"
is "$(tail -1 "$TMP/out")" "sev-snp-report: NOT VERIFIED: 2 of 2 checks failed" "no --vcek: summary"
run "$IGVMKIT" verify --wide --snp-report "$E/turin-v5-report.bin"
like "$TMP/out" "^note: fetch it from AMD's key distribution service: https://kdsintf.amd.com/vcek/v1/Turin/59790fb1c39f35c1\\?fmcSPL=1&blSPL=1&teeSPL=1&snpSPL=4&ucodeSPL=81\$" \
    "no --vcek, Turin: product, 8-byte hwID, FMC"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin"
like "$TMP/out" "^note: needed: the VLEK certificate \\(Milan, REPORTED_TCB bl=4 tee=0 snp=24 ucode=217\\) of the cloud provider whose VLEK signed this report; AMD's KDS gives VLEKs to registered providers only\$" \
    "no --vcek, VLEK report: says a VLEK is needed"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --no-signature
is "$rc" 0 "--no-signature: exit 0"
like "$TMP/out" "^REPORT_SIGNATURE +- +- +not checked: --no-signature given\$" "--no-signature: row says so"
is "$(tail -1 "$TMP/out")" \
    "sev-snp-report: VERIFIED WITH EXCEPTIONS: 2 checks skipped on request, the others match" \
    "--no-signature: summary says so"

# --- expected values without a file ------------------------------------------
RD=ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --report-data "$RD" --min-tcb bl=3,tee=0,snp=8,ucode=115 --vmpl 0
is "$rc" 0 "--report-data (32 bytes, zero padded), --min-tcb, --vmpl: exit 0"
like "$TMP/out" "^REPORT_DATA +${RD}0{64} +${RD}0{64} +match\$" "REPORT_DATA row"
like "$TMP/out" "^MIN_TCB +>= bl=3 tee=0 snp=8 ucode=115 +bl=3 tee=0 snp=8 ucode=115 +match\$" "MIN_TCB row"
like "$TMP/out" "^VMPL +0 +0 +match\$" "VMPL row"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --report-data 00
is "$rc.$(cat "$TMP/err")" "4.igvmkit: error: $E/milan-v2-report.bin: REPORT_DATA failed" \
    "another nonce: exit 4, named"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --min-tcb bl=3,tee=0,snp=9,ucode=115
is "$rc.$(cat "$TMP/err")" \
    "4.igvmkit: error: $E/milan-v2-report.bin: MIN_TCB failed: REPORTED_TCB is below the minimum" \
    "TCB below --min-tcb: exit 4, named"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --vcek "$E/milan-v2-vcek.der" \
    --min-tcb bl=3,tee=0,snp=8,ucode=115,fmc=1
is "$rc.$(cat "$TMP/err")" \
    "4.igvmkit: error: $E/milan-v2-report.bin: MIN_TCB failed: fmc= applies to Turin; this report's TCB has no FMC SVN" \
    "fmc= for a Milan report: exit 4, named"
run "$IGVMKIT" verify --wide --snp-report "$E/turin-v5-report.bin" --vcek "$E/turin-vcek.pem" \
    --min-tcb fmc=1,bl=1,tee=1,snp=4,ucode=81
like "$TMP/out" "^MIN_TCB +>= fmc=1 bl=1 tee=1 snp=4 ucode=81 +fmc=1 bl=1 tee=1 snp=4 ucode=81 +match\$" \
    "Turin --min-tcb with fmc: match"
run "$IGVMKIT" verify --wide --snp-report "$E/turin-v5-report.bin" --vcek "$E/turin-vcek.pem" \
    --min-tcb fmc=2,bl=1,tee=1,snp=4,ucode=81
is "$rc" 4 "Turin FMC below the minimum: exit 4"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der" \
    --at 2025-06-01T00:00:00Z --vmpl 0
is "$rc.$(cat "$TMP/err")" "4.igvmkit: error: $E/milan-vlek-v3-report.bin: VMPL failed" \
    "VLEK report is at VMPL 1, --vmpl 0: exit 4"

# --- JSON: the same rows, each status -----------------------------------------
jsummary() {
    "$PYTHON3" - "$TMP/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["status"], d["file"], d["report"]["product"], d["report"]["signing_key"],
      d["validity_at"][:2])
for f in d["fields"]:
    print(f["field"], f["status"], f["required"], f["waived"], f["match"], f["reason"])
for n in d["notes"]:
    print("note", n)
EOF
}
run "$IGVMKIT" verify --wide --snp-report "$E/milan-vlek-v3-report.bin" --vcek "$E/milan-vlek.der" --json
is "$rc" 4 "--json, expired VLEK: exit 4"
jsummary >"$TMP/j"
is "$(sed -n 1p "$TMP/j")" "2 failed None Milan vlek 20" "--json: schema, status, no file, report fields"
is "$(grep '^CHIP_ID' "$TMP/j")" \
    "CHIP_ID not checked False False False a VLEK is not bound to one chip and has no hwID" \
    "--json: informational 'not checked' row"
is "$(grep '^VLEK_VALIDITY' "$TMP/j")" \
    "VLEK_VALIDITY mismatch True False False the VLEK expired 2025-12-10T22:14:21Z" \
    "--json: mismatch row with reason"
is "$(grep '^REPORT_SIGNATURE' "$TMP/j")" "REPORT_SIGNATURE match True False True " \
    "--json: match row"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --json
jsummary >"$TMP/j"
is "$rc.$(sed -n 2p "$TMP/j")" "4.REPORT_SIGNATURE not checked True False False no VCEK given" \
    "--json, no VCEK: required row not checked"
like "$TMP/j" "^note needed: the VCEK of" "--json: notes"
run "$IGVMKIT" verify --wide --snp-report "$E/milan-v2-report.bin" --json --no-signature
jsummary >"$TMP/j"
is "$rc.$(sed -n 1,2p "$TMP/j" | tr '\n' '|')" \
    "0.2 verified None unknown vcek 20|REPORT_SIGNATURE not checked True True False --no-signature given|" \
    "--json, --no-signature: waived row, verified"

# --- malformed input: one line, exit 3, nothing on stdout ---------------------
bad() { # NAME EXIT MESSAGE ARGS...
    name=$1 want_rc=$2 want_err=$3
    shift 3
    run "$IGVMKIT" verify --wide "$@"
    is "$rc" "$want_rc" "$name: exit $want_rc"
    is "$(cat "$TMP/err")" "$want_err" "$name: message"
    is "$(cat "$TMP/out")" "" "$name: nothing on stdout"
}
head -c 1183 "$E/milan-v2-report.bin" >"$TMP/short.bin"
bad "truncated report" 3 \
    "igvmkit: error: $TMP/short.bin: an SEV-SNP attestation report is 1184 (0x4a0) bytes; this one has 1183" \
    --snp-report "$TMP/short.bin" --vcek "$E/milan-v2-vcek.der"
cat "$E/milan-v2-report.bin" "$E/milan-v2-report.bin" >"$TMP/long.bin"
bad "oversized report" 3 \
    "igvmkit: error: $TMP/long.bin: an SEV-SNP attestation report is 1184 (0x4a0) bytes; this one has 2368" \
    --snp-report "$TMP/long.bin" --vcek "$E/milan-v2-vcek.der"
"$PYTHON3" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[0] = 9; open(sys.argv[2], "wb").write(b)' \
    "$E/turin-v5-report.bin" "$TMP/v9.bin"
bad "report version 9" 3 \
    "igvmkit: error: $TMP/v9.bin: unsupported SEV-SNP attestation report version 9 (known: 2 to 5)" \
    --snp-report "$TMP/v9.bin" --vcek "$E/turin-vcek.pem"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/rsa.key" -subj /CN=SEV-VCEK -days 2 \
    -out "$TMP/rsa.crt" 2>/dev/null
bad "RSA key as the VCEK" 3 \
    "igvmkit: error: $TMP/rsa.crt: the VCEK key is RSA; a VCEK or VLEK holds an ECDSA P-384 key" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/rsa.crt"
bad "only AMD CAs in the VCEK file" 3 \
    "igvmkit: error: $E/amd-roots/milan-ask-ark-asvk.pem: no VCEK or VLEK certificate in it (only AMD CA certificates)" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$E/amd-roots/milan-ask-ark-asvk.pem"
printf 'not a certificate\n' >"$TMP/junk"
bad "junk as the VCEK" 3 "igvmkit: error: $TMP/junk: neither a DER certificate nor PEM" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/junk"
: >"$TMP/empty"
bad "empty VCEK file" 3 "igvmkit: error: $TMP/empty: empty certificate file" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/empty"
cat "$E/milan-v2-vcek.der" "$E/milan-v2-vcek.der" >"$TMP/two.der"
bad "bytes after a DER certificate" 3 \
    "igvmkit: error: $TMP/two.der: 1360 bytes follow the DER certificate (one certificate per DER file)" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/two.der"
sed '5s/^./!/' "$TMP/milan-v2-vcek.pem" >"$TMP/broken.pem"
bad "broken PEM block" 3 "igvmkit: error: $TMP/broken.pem: a PEM certificate block does not decode" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/broken.pem"
for i in 1 2 3; do cat "$E/amd-roots/milan-ask-ark-asvk.pem"; done >"$TMP/nine.pem"
bad "nine certificates" 3 "igvmkit: error: $TMP/nine.pem: more than 8 certificates" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/milan-v2-vcek.pem" --cert-chain "$TMP/nine.pem"
head -c 300000 /dev/zero >"$TMP/huge.der"
bad "certificate file over 256 KiB" 3 \
    "igvmkit: error: $TMP/huge.der: 300000 bytes is more than a certificate file has (limit 262144)" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/huge.der"
bad "missing VCEK file" 6 "igvmkit: error: $TMP/nope.der: cannot open: No such file or directory" \
    --snp-report "$E/milan-v2-report.bin" --vcek "$TMP/nope.der"

# --- usage -------------------------------------------------------------------
usage() { # NAME FIRST-LINE ARGS...
    name=$1 want=$2
    shift 2
    run "$IGVMKIT" verify --wide "$@"
    is "$rc.$(head -1 "$TMP/err")" "2.$want" "$name"
}
R="--snp-report $E/milan-v2-report.bin"
# shellcheck disable=SC2086
usage "bad --at" "igvmkit verify: --at: '2025-13-01T00:00:00Z' is not an RFC 3339 date-time (like 2025-06-01T12:00:00Z)" \
    $R --at 2025-13-01T00:00:00Z
# shellcheck disable=SC2086
usage "--at without a zone" "igvmkit verify: --at: '2025-06-01T00:00:00' is not an RFC 3339 date-time (like 2025-06-01T12:00:00Z)" \
    $R --at 2025-06-01T00:00:00
# shellcheck disable=SC2086
usage "bad --report-data" "igvmkit verify: --report-data: expected up to 128 hex digits (64 bytes), got 'abc'" \
    $R --report-data abc
# shellcheck disable=SC2086
usage "bad --min-tcb" "igvmkit verify: --min-tcb: 'bl=3,tee=0' is not a TCB (bl=N,tee=N,snp=N,ucode=N[,fmc=N], each 0..255)" \
    $R --min-tcb bl=3,tee=0
# shellcheck disable=SC2086
usage "bad --vmpl" "igvmkit verify: --vmpl: expected 0, 1, 2 or 3, got '4'" $R --vmpl 4
# shellcheck disable=SC2086
usage "--cert-chain without --vcek" "igvmkit verify: --cert-chain needs --vcek" \
    $R --cert-chain "$E/amd-roots/milan-ask-ark-asvk.pem"
# shellcheck disable=SC2086
usage "--no-signature with --vcek" "igvmkit verify: --no-signature contradicts --vcek and --cert-chain" \
    $R --no-signature --vcek "$E/milan-v2-vcek.der"

done_testing
