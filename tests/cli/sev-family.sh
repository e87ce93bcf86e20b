#!/bin/sh
# SEV-ES and SEV beside SEV-SNP, TDX and native in one file, and the bad
# inputs of the SEV family and of measure's sev-snp-measure options: each
# refused with one line, the documented exit status, and nothing written.
. "$top_srcdir/tests/cli/lib.sh"

D="$TESTDATA/sev-snp-measure"
AMD="$D/ovmf_AmdSev_suffix.bin"
X64="$D/ovmf_OvmfX64_suffix.bin"
H=086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74
A="$TMP/a"
mkdir -p "$A"

# refused EXIT REGEX NAME CMD...: exit status, one line on stderr, nothing on stdout, no out.igvm.
refused() {
    want=$1 re=$2 name=$3
    shift 3
    rm -f "$A/out.igvm"
    run "$@"
    is "$rc" "$want" "$name: exit $want"
    like "$TMP/err" "$re" "$name: message"
    # Option misuse: the message, then the usage pointer of every verb.
    if [ "$want" = 2 ]; then
        is "$(grep -c . "$TMP/err")" 2 "$name: message and usage pointer"
        like "$TMP/err" "^Try 'igvmkit measure --help'" "$name: usage pointer"
    else
        is "$(grep -c . "$TMP/err")" 1 "$name: one line"
    fi
    is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "$name: nothing on stdout"
    is "$(ls "$A/out.igvm" 2>/dev/null)" "" "$name: nothing written"
}

# --- five platforms in one file (Debian's OVMF.fd has SEV and TDVF metadata) ---
OVMF=/usr/share/ovmf/OVMF.fd
if [ -r "$OVMF" ]; then
    cp "$OVMF" "$A/OVMF.fd"
    cat >"$A/all.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: OVMF.fd}
vcpus: 2
platforms:
  sev-snp: {vcpu-type: EPYC-Milan}
  sev-es: {vcpu-type: EPYC-Milan}
  sev: {}
  tdx: {}
  native: {}
Y
    run "$IGVMKIT" pack "$A/all.yaml" -o "$A/all.igvm"
    is "$rc" 0 "five platforms: pack exit 0"
    run "$IGVMKIT" lint --loader qemu "$A/all.igvm"
    is "$rc" 0 "five platforms: lint --loader qemu passes"
    like "$TMP/out" "0 errors" "five platforms: no lint errors"
    run "$IGVMKIT" inspect "$A/all.igvm"
    is "$(grep -c 'platform_type: [0-9]* (\(sev-snp\|native\|tdx\|sev-es\|sev\))' "$TMP/out")" 5 \
        "five platforms: five SUPPORTED_PLATFORM headers"
    run "$IGVMKIT" measure "$A/all.igvm" --loader qemu-classic --bare
    is "$rc" 0 "five platforms: measure exit 0"
    is "$(grep -c . "$TMP/out")" 4 "five platforms: four measurable (native has no digest)"
    # TDX: the single-pass MRTD of this OVMF.fd (tests/data/REFERENCE.md).
    is "$(sed -n 2p "$TMP/out")" \
        4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47 \
        "five platforms: TDX MRTD"
    # SEV without a kernel measures the firmware bytes alone: SHA-256 of the file.
    is "$(sed -n 4p "$TMP/out")" "$(sha256sum "$A/OVMF.fd" | cut -d' ' -f1)" \
        "five platforms: SEV digest is the firmware's SHA-256"
    # SEV-SNP and SEV-ES as the option form computes them for the same firmware.
    run "$IGVMKIT" measure --mode snp --ovmf "$A/OVMF.fd" --vcpus 2 --vcpu-type EPYC-Milan \
        --guest-features 0x1
    snp=$(cat "$TMP/out")
    run "$IGVMKIT" measure --mode seves --ovmf "$A/OVMF.fd" --vcpus 2 --vcpu-type EPYC-Milan
    es=$(cat "$TMP/out")
    run "$IGVMKIT" measure "$A/all.igvm" --loader qemu-classic --bare
    is "$(sed -n 1p "$TMP/out")" "$snp" "five platforms: SEV-SNP as --mode snp"
    is "$(sed -n 3p "$TMP/out")" "$es" "five platforms: SEV-ES as --mode seves"
    run "$IGVMKIT" measure "$A/all.igvm" --json
    like "$TMP/out" '"name": "sev-es"' "measure --json labels sev-es"
    like "$TMP/out" '"name": "sev",' "measure --json labels sev"
else
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $OVMF not installed"
    done
fi

# --- five platforms in one file, from a firmware made here (no system OVMF) ---
# SEV metadata (SEC_MEM, SECRETS, CPUID), one TDVF BFV section measured with
# MR.EXTEND, the SEV-ES reset block; each digest checked against a value
# computed without igvmkit's measure module where one can be: SEV is the
# image's SHA-256, SEV-SNP tests/tools/snp-digest.py, TDX the MRTD stream of
# docs/measure-tdx.md section 1 written out below; SEV-ES equals --mode seves.
if [ "$PYTHON3" != false ]; then
    "$PYTHON3" "$top_srcdir/tests/tools/make-firmware.py" "$A/five.fd" --fill \
        --sev 0x800000:0x1000:1 --sev 0x801000:0x1000:2 --sev 0x802000:0x1000:3 \
        --tdvf 0:0x10000:0xffff0000:0x10000:0:1
    cat >"$A/five.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: five.fd}
vcpus: 2
platforms:
  sev-snp: {vcpu-type: EPYC-Milan}
  sev-es: {vcpu-type: EPYC-Milan}
  sev: {}
  tdx: {}
  native: {}
Y
    run "$IGVMKIT" pack "$A/five.yaml" -o "$A/five.igvm"
    is "$rc" 0 "five platforms (made here): pack exit 0"
    run "$IGVMKIT" lint --loader qemu "$A/five.igvm"
    is "$rc" 0 "five platforms (made here): lint --loader qemu passes"
    like "$TMP/out" "0 errors" "five platforms (made here): no lint errors"
    run "$IGVMKIT" inspect "$A/five.igvm"
    is "$(grep -c 'platform_type: [0-9]* (\(sev-snp\|native\|tdx\|sev-es\|sev\))' "$TMP/out")" 5 \
        "five platforms (made here): five SUPPORTED_PLATFORM headers"
    run "$IGVMKIT" measure "$A/five.igvm" --loader qemu-classic --bare
    is "$rc:$(grep -c . "$TMP/out")" 0:4 "five platforms (made here): four digests"
    cp "$TMP/out" "$A/five.digests"
    is "$(sed -n 1p "$A/five.digests")" \
        "$("$PYTHON3" "$top_srcdir/tests/tools/snp-digest.py" --igvm "$A/five.igvm" --profile qemu-classic)" \
        "five platforms (made here): SEV-SNP equals the independent oracle"
    mrtd=$("$PYTHON3" - "$A/five.fd" <<'PY'
import hashlib, struct, sys
img = open(sys.argv[1], "rb").read()
h = hashlib.sha384()
for off in range(0, len(img), 4096):
    gpa = 0xFFFF0000 + off
    h.update(b"MEM.PAGE.ADD".ljust(16, b"\0") + struct.pack("<Q", gpa) + bytes(104))
    for c in range(0, 4096, 256):
        h.update(b"MR.EXTEND".ljust(16, b"\0") + struct.pack("<Q", gpa + c) + bytes(104)
                 + img[off + c:off + c + 256])
print(h.hexdigest())
PY
)
    is "$(sed -n 2p "$A/five.digests")" "$mrtd" "five platforms (made here): TDX MRTD"
    run "$IGVMKIT" measure --mode seves --ovmf "$A/five.fd" --vcpus 2 --vcpu-type EPYC-Milan
    is "$(sed -n 3p "$A/five.digests")" "$(cat "$TMP/out")" \
        "five platforms (made here): SEV-ES as --mode seves"
    is "$(sed -n 4p "$A/five.digests")" "$(sha256sum "$A/five.fd" | cut -d' ' -f1)" \
        "five platforms (made here): SEV is the firmware's SHA-256"
else
    for i in 1 2 3 4 5 6 7 8 9; do
        tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP python3 not found"
    done
fi

# --- SEV-ES on a firmware without the SEV-ES reset block ---
cp "$AMD" "$A/noreset.bin"
chmod u+w "$A/noreset.bin"
# One byte of the reset block's GUID (at 4030 in this suffix) changed: the entry is unknown.
printf '\377' | dd of="$A/noreset.bin" bs=1 seek=4030 conv=notrunc 2>/dev/null
cat >"$A/noreset.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: noreset.bin}
platforms:
  sev-es: {}
Y
refused 3 'SEV-ES needs the SEV-ES reset block' "sev-es without reset block (pack)" \
    "$IGVMKIT" pack "$A/noreset.yaml" -o "$A/out.igvm"
refused 3 'SEV-ES needs the SEV-ES reset block' "sev-es without reset block (--mode seves)" \
    "$IGVMKIT" measure --mode seves --ovmf "$A/noreset.bin" --vcpus 1 --vcpu-type EPYC-v4

# --- SEV on a firmware without the OVMF footer table ---
head -c 8192 /dev/zero >"$A/blank.fd"
cat >"$A/blank.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: blank.fd}
platforms:
  sev: {}
Y
refused 3 'no OVMF footer table' "sev without footer table (pack)" \
    "$IGVMKIT" pack "$A/blank.yaml" -o "$A/out.igvm"
refused 3 'no OVMF footer table' "sev without footer table (--mode sev)" \
    "$IGVMKIT" measure --mode sev --ovmf "$A/blank.fd"

# --- a kernel with SEV / SEV-ES on a firmware without the hash table ---
: >"$A/empty"
cp "$X64" "$A/x64.bin"
for p in sev sev-es; do
    cat >"$A/k-$p.yaml" <<Y
version: 1
firmware: {type: ovmf, path: x64.bin}
kernel: empty
kernel-format: any
platforms:
  $p: {}
Y
    refused 3 'no SEV hash table' "$p kernel without hash table (pack)" \
        "$IGVMKIT" pack "$A/k-$p.yaml" -o "$A/out.igvm"
done

# --- measure options misused (exit 2) ---
refused 2 'snp:svsm mode requires --svsm' "snp:svsm without --svsm" \
    "$IGVMKIT" measure --mode snp:svsm --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 --vars-size 4096
refused 2 'requires --vars-size or --vars-file' "snp:svsm without vars size" \
    "$IGVMKIT" measure --mode snp:svsm --ovmf "$AMD" --svsm "$AMD" --vcpus 1 --vcpu-type EPYC-v4
refused 2 'must be 96 hex digits' "--snp-ovmf-hash too short" \
    "$IGVMKIT" measure --mode snp --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 --snp-ovmf-hash abcd
refused 2 'must be 96 hex digits' "--snp-ovmf-hash not hex" \
    "$IGVMKIT" measure --mode snp --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 \
    --snp-ovmf-hash "$(printf '%096d' 0 | tr 0 g)"
refused 2 'works with --mode snp or snp:svsm only' "--snp-ovmf-hash with seves" \
    "$IGVMKIT" measure --mode seves --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 --snp-ovmf-hash "$H"
refused 2 'missing --vcpus' "snp without --vcpus" "$IGVMKIT" measure --mode snp --ovmf "$AMD"
refused 2 'missing --vcpu-type or --vcpu-sig or --vcpu-family' "snp without vCPU type" \
    "$IGVMKIT" measure --mode snp --ovmf "$AMD" --vcpus 1
refused 2 '--kernel required when using --initrd' "initrd without kernel" \
    "$IGVMKIT" measure --mode sev --ovmf "$AMD" --initrd "$A/empty"
refused 2 'unknown --mode' "unknown mode" "$IGVMKIT" measure --mode tdx --ovmf "$AMD"
refused 2 'missing --ovmf' "no --ovmf" "$IGVMKIT" measure --mode sev
refused 2 'unknown VMM type' "unknown vmm" \
    "$IGVMKIT" measure --mode snp --ovmf "$AMD" --vcpus 1 --vmm-type kvm
refused 2 'not available in the selected mode' "--dump-vmsa with sev" \
    "$IGVMKIT" measure --mode sev --ovmf "$AMD" --dump-vmsa="$A"
cat >"$A/digest.yaml" <<Y
version: 1
firmware: {type: ovmf, path: x64.bin, digest: "1234"}
platforms:
  sev-snp: {}
Y
refused 3 "'digest' must be 96 hex digits" "descriptor: malformed firmware digest" \
    "$IGVMKIT" pack "$A/digest.yaml" -o "$A/out.igvm"

# --- an SVSM image too large for the flash window below 4 GiB ---
head -c 8388608 /dev/zero >"$A/big-svsm.bin"
cp "$AMD" "$A/amd.bin"
cat >"$A/svsm.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: amd.bin}
platforms:
  sev-snp:
    svsm: {path: big-svsm.bin, vars-size: 540672}
Y
refused 3 'SVSM image is too large for its area' "SVSM too large (pack)" \
    "$IGVMKIT" pack "$A/svsm.yaml" -o "$A/out.igvm"
refused 3 'SVSM image is too large for its area' "SVSM too large (--mode snp:svsm)" \
    "$IGVMKIT" measure --mode snp:svsm --ovmf "$A/amd.bin" --svsm "$A/big-svsm.bin" \
    --vars-size 540672 --vcpus 1 --vcpu-type EPYC-v4

# --- a firmware image given as the IGVM file ---
refused 3 "not an IGVM file.*--ovmf" "measure FIRMWARE.fd" "$IGVMKIT" measure "$AMD"

# --- a kernel without a setup header: measured, with a warning ---
run "$IGVMKIT" measure --mode sev --ovmf "$AMD" --kernel /dev/null
is "$rc" 0 "kernel /dev/null: exit 0"
like "$TMP/err" "warning: kernel '/dev/null' has no Linux setup header" "kernel /dev/null: warned"
is "$(cat "$TMP/out")" 77f613d7bbcdf12a73782ea9e88b0172aeda50d1a54201cb903594ff52846898 \
    "kernel /dev/null: sev-snp-measure's digest"

# --- the firmware digest through a descriptor, a packed file and export ---
cat >"$A/fwdigest.yaml" <<Y
version: 1
firmware: {type: ovmf, path: amd.bin, digest: $H}
platforms:
  sev-snp: {guest-features: 0x21}
Y
run "$IGVMKIT" measure "$A/fwdigest.yaml" --loader qemu-classic --bare
is "$(cat "$TMP/out")" \
    e1e1ca029dd7973ab9513295be68198472dcd4fc834bd9af9b63f6e8a1674dbf281a9278a4a2ebe0eed9f22adbcd0e2b \
    "firmware.digest: the chain starts from it (A11's value)"
run "$IGVMKIT" pack "$A/fwdigest.yaml" -o "$A/fwdigest.igvm"
is "$rc" 0 "firmware.digest: packs"
run "$IGVMKIT" measure "$A/fwdigest.igvm" --loader qemu-classic --bare --snp-ovmf-hash "$H"
is "$(cat "$TMP/out")" \
    e1e1ca029dd7973ab9513295be68198472dcd4fc834bd9af9b63f6e8a1674dbf281a9278a4a2ebe0eed9f22adbcd0e2b \
    "packed file measured with --snp-ovmf-hash"
run "$IGVMKIT" export --format json --loader qemu-classic "$A/fwdigest.yaml"
like "$TMP/out" "\"firmware_digest\": \"$H\"" "export json carries the firmware digest"
cat >"$A/fwout.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: amd.bin}
platforms:
  sev-snp: {}
Y
run "$IGVMKIT" export --format json "$A/fwout.yaml"
like "$TMP/out" "\"firmware_digest\": \"$H\"" \
    "export json of an OVMF descriptor carries its firmware digest (A03a's value)"
refused 2 'sev-snp-measure option' "--kernel without --ovmf/--mode" \
    "$IGVMKIT" measure "$A/fwdigest.igvm" --kernel "$A/empty"

# --- descriptor keys of the new platforms, refused ---
cat >"$A/badvmm.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: amd.bin}
platforms:
  sev-es: {vmm: kvm}
Y
refused 3 "unknown vmm 'kvm' for sev-es" "descriptor: sev-es vmm" \
    "$IGVMKIT" pack "$A/badvmm.yaml" -o "$A/out.igvm"
cat >"$A/novars.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: amd.bin}
platforms:
  sev-snp: {svsm: {path: amd.bin}}
Y
refused 3 "missing required key 'vars-size'" "descriptor: svsm without vars-size" \
    "$IGVMKIT" pack "$A/novars.yaml" -o "$A/out.igvm"

# --- explain names the platform, the profile and the kernel-hashes table ---
cat >"$A/kh.yaml" <<'Y'
version: 1
firmware: {type: ovmf, path: amd.bin}
kernel: empty
kernel-format: any
platforms:
  sev: {}
Y
run "$IGVMKIT" explain "$A/kh.yaml" --platform sev --loader qemu-classic
is "$(head -1 "$TMP/out")" "sev, loader qemu-classic" "explain: platform and profile"
like "$TMP/out" "0x0000000000810000 +normal .*kernel-hashes table \(its 176 bytes hashed\)" \
    "explain: the hash-table page is labelled"
is "$(tail -1 "$TMP/out")" \
    "digest: 77f613d7bbcdf12a73782ea9e88b0172aeda50d1a54201cb903594ff52846898 (sha256)" \
    "explain: the sev-snp-measure digest (A23)"

# --- output format and verbose ---
run "$IGVMKIT" measure --mode sev --ovmf "$X64" --output-format base64
is "$(cat "$TMP/out")" "$(printf b4c021e085fb83ceffe6571a3d357b4a98773c83c474e47f76c876708fe316da |
    "$PYTHON3" -c 'import sys,base64,binascii; print(base64.b64encode(binascii.unhexlify(sys.stdin.read())).decode())')" \
    "--output-format base64"
run "$IGVMKIT" measure --mode sev --ovmf "$X64" -v
is "$(cat "$TMP/out")" \
    "Calculated SEV guest measurement: b4c021e085fb83ceffe6571a3d357b4a98773c83c474e47f76c876708fe316da" \
    "--verbose"

done_testing
