#!/bin/sh
# igvmkit explain --expect: on a mismatch the assistant names the loader
# profile, vCPU count and guest features that give the expected digest (golden digests from
# tests/data/REFERENCE.md), or says none does; explain --json.
. "$top_srcdir/tests/cli/lib.sh"

F=$TESTDATA/snp_tdx_v1.igvm
QEMU=ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
CLASSIC=b682907ffbbfea43522c9f56ea2b463e6342561df0af21cb4286182548675910aec28c00ad99fdf1ac600d5d5dea817c
OPENVMM=bb3909476b59b771c5e6936b2fdf6bf9914ec077dc0786ee606ed425cffbb0c37f65a86dcda93dc2e28bf0ca4f682d44

run "$IGVMKIT" explain "$F" --platform sev-snp --expect "$CLASSIC"
is "$rc" 4 "qemu-classic digest against the qemu profile: exit 4"
is "$(tail -2 "$TMP/out")" "expected: $CLASSIC: MISMATCH
expected: it is the qemu-classic digest with the file's vCPUs (--loader qemu-classic)" \
    "names the qemu-classic profile"
is "$(cat "$TMP/err")" "igvmkit: error: $F: the sev-snp digest $QEMU is not the expected $CLASSIC" \
    "one-line error"

run "$IGVMKIT" explain "$F" --platform sev-snp --loader qemu-classic --expect "0x$(echo $OPENVMM | tr a-f A-F)"
is "$rc" 4 "openvmm digest against qemu-classic: exit 4"
is "$(tail -1 "$TMP/out")" "expected: it is the openvmm digest with the file's vCPUs (--loader openvmm)" \
    "names the openvmm profile"

# A vCPU count: the digest measure prints for 5 vCPUs under qemu-classic.
D5=$("$IGVMKIT" measure "$F" --platform sev-snp --loader qemu-classic --vcpus 5 --bare)
run "$IGVMKIT" explain "$F" --platform sev-snp --expect "$D5"
is "$rc" 4 "5-vCPU digest: exit 4"
is "$(tail -1 "$TMP/out")" "expected: it is the qemu-classic digest with --vcpus 5" \
    "names loader and vCPU count"

Z=000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
run "$IGVMKIT" explain "$F" --platform sev-snp --expect "$Z"
is "$rc" 4 "unknown digest: exit 4"
is "$(tail -1 "$TMP/out")" "expected: no loader profile (qemu, qemu-classic, openvmm) with the file's vCPUs or 1..64 vCPUs and the file's guest features or 0x21 gives it (384 measurements tried)" \
    "says nothing matches and how much was tried"

run "$IGVMKIT" explain "$F" --platform sev-snp --expect "$QEMU"
is "$rc" 0 "the file's own digest: exit 0"
is "$(tail -1 "$TMP/out")" "expected: $QEMU: match" "match, no assistant line"

# Golden pair from REFERENCE.md: OVMF_CODE.fd, 4 vCPUs, EPYC-v4.
CODE=/usr/share/OVMF/OVMF_CODE.fd
if [ -r "$CODE" ]; then
    cat >"$TMP/g.yaml" <<YAML
version: 1
firmware: {type: ovmf, path: $CODE}
vcpus: 4
platforms:
  sev-snp: {}
YAML
    "$IGVMKIT" pack -q "$TMP/g.yaml" -o "$TMP/g.igvm"
    run "$IGVMKIT" explain "$TMP/g.igvm" --loader qemu-classic \
        --expect d7c1884f3e4bae807d8c7b8949b97337e153397195957f2029be2ea5688c92cd485eeb58a49a252f3497e06e3f72b750
    is "$rc" 4 "OVMF_CODE.fd 4 vCPUs: exit 4"
    is "$(tail -1 "$TMP/out")" "expected: it is the qemu digest with the file's vCPUs (--loader qemu)" \
        "OVMF_CODE.fd 4 vCPUs: the qemu column of REFERENCE.md"
else
    for i in 1 2; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $CODE not installed"; done
fi

# --json: one document, schema 1, the same digest and steps as the text.
run "$IGVMKIT" explain "$F" --platform sev-snp --json --expect "$CLASSIC"
is "$rc" 4 "--json mismatch: exit 4"
"$IGVMKIT" explain "$F" --platform sev-snp >"$TMP/text.txt"
"$PYTHON3" - "$TMP/out" "$TMP/text.txt" >"$TMP/check.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
steps = [l for l in text[2:] if not l.startswith("digest:")]
print(d["schema"], d["platform"], d["loader"], len(d["steps"]) == len(steps),
      d["digest"] == text[-1].split()[1], d["match"], d["variant"]["found"],
      d["variant"]["loader"], d["variant"]["vcpus"], d["variant"]["tried"],
      d["steps"][0]["running"][:16] == steps[0].split()[-1])
PY
is "$(cat "$TMP/check.txt")" "1 sev-snp qemu True True False True qemu-classic None 2 True" \
    "--json: schema, steps, digest and the assistant's answer"

# Guest features (SEV_FEATURES at 0x3B0 of every VMSA): one raw firmware page
# packed with guest-features 0x21 and with 0x1; the assistant must find the
# 0x21 digest from the 0x1 descriptor (and the other way round), with the
# file's vCPU and with VMSA copies for --vcpus 3.
"$PYTHON3" -c 'import sys; open(sys.argv[1], "wb").write(b"\x90" * 4096)' "$TMP/fw.bin"
for gf in 0x1 0x21; do
    printf 'version: 1\nfirmware: {type: raw, path: fw.bin, gpa: 0xfffff000}\nplatforms:\n  sev-snp: {guest-features: %s}\n' \
        "$gf" >"$TMP/gf$gf.yaml"
done
GF21=9f01f3b2bac3a85cb5b5971d071b4d45cae5327788c37da789915895b588065a9a3115baa3c40bd20db7e6975f7679c6
GF1=6114c8790f06c1cb5db826a6f8df9d9e01e252cda79de925ffc5c74cda63365446a08973295c5dcf37f5caddbc8ea80d
is "$("$IGVMKIT" measure "$TMP/gf0x21.yaml" --bare)" "$GF21" "guest features 0x21: the packed digest"
is "$("$IGVMKIT" measure "$TMP/gf0x1.yaml" --bare)" "$GF1" "guest features 0x1: another digest"
run "$IGVMKIT" explain "$TMP/gf0x1.yaml" --expect "$GF21"
is "$rc" 4 "0x21 digest against the 0x1 descriptor: exit 4"
is "$(tail -1 "$TMP/out")" "expected: it is the qemu digest with the file's vCPUs and guest features 0x21" \
    "names guest features 0x21"
run "$IGVMKIT" explain "$TMP/gf0x21.yaml" --expect "$GF1"
is "$rc" 4 "0x1 digest against the 0x21 descriptor: exit 4"
is "$(tail -1 "$TMP/out")" "expected: it is the qemu digest with the file's vCPUs and guest features 0x1" \
    "names guest features 0x1"
GF21V3=$("$IGVMKIT" measure "$TMP/gf0x21.yaml" --vcpus 3 --bare)
is "$GF21V3" f6a4de6a179f98579fa62c5949f6de4018c7589f0a4ffa21676ab009228f70057d2503c09a9bd13a9c1c765dbcd2b97d \
    "guest features 0x21, 3 vCPUs"
run "$IGVMKIT" explain "$TMP/gf0x1.yaml" --expect "$GF21V3"
is "$rc" 4 "3-vCPU 0x21 digest against the 0x1 descriptor: exit 4"
is "$(tail -1 "$TMP/out")" "expected: it is the qemu digest with --vcpus 3 and guest features 0x21" \
    "copies for --vcpus carry the guest features too"
run "$IGVMKIT" explain "$TMP/gf0x21.yaml" --expect "$Z"
is "$(tail -1 "$TMP/out")" "expected: no loader profile (qemu, qemu-classic, openvmm) with the file's vCPUs or 1..64 vCPUs and the file's guest features or 0x1 gives it (384 measurements tried)" \
    "the file's own value (0x21) is not tried twice"
run "$IGVMKIT" explain "$TMP/gf0x1.yaml" --json --expect "$GF21"
is "$rc" 4 "--json, guest features: exit 4"
is "$("$PYTHON3" -c 'import json, sys; v = json.load(open(sys.argv[1]))["variant"]; print(v["found"], v["loader"], v["vcpus"], v["guest_features"], v["tried"])' "$TMP/out")" \
    "True qemu None 33 4" "--json: guest_features 33 (0x21), found at the 4th measurement"
run "$IGVMKIT" explain "$F" --platform sev-snp --json --expect "$CLASSIC"
is "$("$PYTHON3" -c 'import json, sys; print(json.load(open(sys.argv[1]))["variant"]["guest_features"])' "$TMP/out")" \
    "None" "--json: guest_features null when the file's own value gives it"

run "$IGVMKIT" explain "$F" --platform sev-snp --expect 12
is "$rc" 2 "--expect of the wrong length: exit 2"

done_testing
