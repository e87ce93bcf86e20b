#!/bin/sh
# igvmkit explain --expect: on a mismatch the assistant names the loader
# profile and vCPU count that give the expected digest (golden digests from
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
is "$(tail -1 "$TMP/out")" "expected: no loader profile (qemu, qemu-classic, openvmm) with the file's vCPUs or 1..64 vCPUs gives it (192 measurements tried)" \
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

run "$IGVMKIT" explain "$F" --platform sev-snp --expect 12
is "$rc" 2 "--expect of the wrong length: exit 2"

done_testing
