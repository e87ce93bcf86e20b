#!/bin/sh
# igvmkit pack with Debian's OVMF (package ovmf 2022.11-6+deb12u2): the eight
# SEV-SNP digests of tests/data/REFERENCE.md for OVMF_CODE.fd (1 and 4 vCPUs,
# EPYC-v4 and EPYC-Milan; qemu-classic = sev-snp-measure, qemu = the
# right-hand column), the TDX single-pass MRTD for OVMF.fd and for
# OVMF_CODE.fd with vars: OVMF_VARS.fd, and the refusal of OVMF_CODE.fd alone
# for TDX (exit 3, exact message, no output file).  Skips when the firmware
# files are missing or differ from the reference build.
. "$top_srcdir/tests/cli/lib.sh"

CODE=/usr/share/OVMF/OVMF_CODE.fd
VARS=/usr/share/OVMF/OVMF_VARS.fd
COMBINED=/usr/share/ovmf/OVMF.fd
sha() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
[ "$(sha $CODE)" = d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106 ] ||
    skip_all "$CODE missing or not the ovmf 2022.11-6+deb12u2 build"
[ "$(sha $VARS)" = 6ed987af3a3c155be71665f510eae3e007eda9b8b94afd59d45e91c4a11565cc ] ||
    skip_all "$VARS missing or not the ovmf 2022.11-6+deb12u2 build"
[ "$(sha $COMBINED)" = 7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773 ] ||
    skip_all "$COMBINED missing or not the ovmf 2022.11-6+deb12u2 build"

MRTD=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47

cd "$TMP" || exit 1
cp "$CODE" "$VARS" "$COMBINED" .

# vcpus vcpu-type qemu-classic qemu
while read -r vcpus type classic qemu; do
    cat >snp.yaml <<YAML
version: 1
firmware:
  type: ovmf
  path: OVMF_CODE.fd
vcpus: $vcpus
platforms:
  sev-snp:
    vcpu-type: $type
    guest-features: 0x1
YAML
    run "$IGVMKIT" pack snp.yaml -o snp.igvm --measure --loader qemu-classic --bare
    is "$rc" 0 "$vcpus x $type: pack exit 0"
    is "$(cat "$TMP/out")" "$classic" "$vcpus x $type: qemu-classic = sev-snp-measure"
    run "$IGVMKIT" measure snp.igvm --loader qemu --bare
    is "$(cat "$TMP/out")" "$qemu" "$vcpus x $type: qemu profile of the written file"
done <<'EOF_VALUES'
1 EPYC-v4 a479327cbb0b50e876024c2dac7412d4e5e95c7315c1f8b0446f6d3be69fefba50766285475926737e4a70b155252f88 09b205e997eb513b5cbaf3cb5b668e70d0e3b6c3b888b53ce73f933dede34041e3d5bb201da11b04d726e8eb07fe67b9
4 EPYC-v4 022a949083cab59e19c5ca3f5f7ddb9c991874f49f76f72ea3f8cee1aa411e70c0a92766729328069f00b3053fc8ea6f d7c1884f3e4bae807d8c7b8949b97337e153397195957f2029be2ea5688c92cd485eeb58a49a252f3497e06e3f72b750
1 EPYC-Milan 836d70ef6fb294660c2227b0f535c07f814a965442bccfa75a240f478a9f4abd1a63dd0c796f3a75d7f16b02b1d3b8ee 26d2191318dd6b7d93c4bf24dc0cdc721286d4d93fbe22ea8de36505da9ffbc4a3d48aafaefb3201823657b7636d6847
4 EPYC-Milan cc2b38913550ecd41aadbcf2a5d309ae9d3cb0455c9e1f72892f6b18cfaea3f2e4f46a28b61ca0353724ee707c73177c a298d7debff0185841adb64fc04203de78410edbebe28acf218eb18440a14a9acb4be552662c5ef3d1d2374a7f4444b5
EOF_VALUES

# TDX: the combined image, and CODE with VARS in front, give the same MRTD.
printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\nplatforms:\n  tdx: {}\n' >tdx.yaml
run "$IGVMKIT" pack tdx.yaml -o tdx.igvm --measure --bare
is "$rc" 0 "OVMF.fd for TDX: exit 0"
is "$(cat "$TMP/out")" "$MRTD" "OVMF.fd: single-pass MRTD"

cat >split.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: OVMF_CODE.fd
  vars: OVMF_VARS.fd
platforms:
  tdx: {}
YAML
run "$IGVMKIT" pack split.yaml -o split.igvm --measure --bare
is "$rc" 0 "OVMF_CODE.fd + vars: exit 0"
is "$(cat "$TMP/out")" "$MRTD" "OVMF_CODE.fd + vars OVMF_VARS.fd: the same MRTD"

# OVMF_CODE.fd alone cannot be a TDX image.
printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF_CODE.fd\nplatforms:\n  tdx: {}\n' >code.yaml
run "$IGVMKIT" pack code.yaml -o code.igvm
is "$rc" 3 "OVMF_CODE.fd alone for TDX: exit 3"
is "$(cat "$TMP/err")" "igvmkit: error: OVMF_CODE.fd: offset 0x1DF7D0: TDVF metadata section 0 (BFV) claims file offset 0x20000 size 0x1e0000, which ends past the end of the 1966080-byte firmware image; this is a split OVMF_CODE image written for VARS + CODE: add 'vars: OVMF_VARS.fd' to place the variable store in front" \
    "OVMF_CODE.fd alone for TDX: the reason, with section, offset, size and the vars: hint"
test ! -e code.igvm
ok $? "OVMF_CODE.fd alone for TDX: no output file"
is "$(ls -A | grep -c '^\.igvmkit-')" 0 "no temporary file left"

# One file for all three platforms keeps each platform's digest.
cat >all.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: OVMF_CODE.fd
  vars: OVMF_VARS.fd
platforms:
  sev-snp:
    vcpu-type: EPYC-v4
  tdx: {}
  native: {}
YAML
run "$IGVMKIT" pack all.yaml -o all.igvm
is "$rc" 0 "SNP + TDX + native: exit 0"
run "$IGVMKIT" measure all.igvm --platform tdx --bare
is "$(cat "$TMP/out")" "$MRTD" "SNP + TDX + native: TDX MRTD unchanged"
mkdir -p sub
cp OVMF_CODE.fd OVMF_VARS.fd sub/
cp all.yaml sub/
(cd sub && "$IGVMKIT" pack "$PWD/all.yaml" -o ../all2.igvm)
cmp -s all.igvm all2.igvm
ok $? "packing from another directory and absolute path gives identical bytes"

done_testing
