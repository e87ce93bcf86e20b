#!/bin/sh
# igvmkit export: every format for tests/data/snp_tdx_v1.igvm (and the VBS
# file), decoded again by independent decoders (Python's json, cbor2 from
# python3-cbor2) and checked against the golden digests of REFERENCE.md;
# then the error paths (exit status, exact message, nothing written).
. "$top_srcdir/tests/cli/lib.sh"

SNP_QEMU=ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
SNP_OPENVMM=bb3909476b59b771c5e6936b2fdf6bf9914ec077dc0786ee606ed425cffbb0c37f65a86dcda93dc2e28bf0ca4f682d44
SNP_CLASSIC=b682907ffbbfea43522c9f56ea2b463e6342561df0af21cb4286182548675910aec28c00ad99fdf1ac600d5d5dea817c
MRTD=9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26
VBS=bb88286c2edc02fb9a315f3c65336f565c89a18a28724cd7c519df75d8219d38
# CoMID tag-ids of the launch-measurement profile: the AMD one is the value
# microsoft/igvm pins in its tests; UUIDv5 results are recomputed below too.
TAG_AMD=77e8061e-4634-5e53-a848-d1d09e996843

F=$TESTDATA/snp_tdx_v1.igvm
SHA256=$(sha256sum "$F" | cut -d' ' -f1)
SHA384=$(sha384sum "$F" | cut -d' ' -f1)

# A Python with cbor2 (configure may have found one without it).
PY=${PYTHON3:-python3}
CBOR_PY=
for p in "$PY" /usr/bin/python3 python3; do
    if "$p" -c 'import cbor2' 2>/dev/null; then CBOR_PY=$p; break; fi
done
"$PY" -c 'import json' 2>/dev/null || skip_all "no python3"

# jget FILE EXPR: evaluates a Python expression over the JSON document d.
jget() {
    "$PY" -c 'import json, sys, base64, uuid
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2"
}

# ---- the dummy ID block ----
# snp_tdx_v1.igvm carries an ID block whose LD and signature are dummies: the
# PSP would refuse the launch, so its reference values are refused (exit 4,
# nothing written) unless --ignore-idblock, as 'measure' refuses its digest.
for format in json rvps corim intoto; do
    run "$IGVMKIT" export "$F" --format "$format" -o "$TMP/refused.$format"
    is "$rc" 4 "ID block mismatch, $format: exit 4"
    [ ! -e "$TMP/refused.$format" ] && [ ! -s "$TMP/out" ]
    ok $? "ID block mismatch, $format: nothing written"
done
is "$(cat "$TMP/err")" "igvmkit: error: $F: sev-snp: the ID block LD $(printf 'ab%.0s' $(seq 48)) does not match the computed launch digest $SNP_QEMU
igvmkit: error: $F: sev-snp: the ID block's ID-key signature does not verify
igvmkit: use --ignore-idblock to export its reference values anyway" \
    "ID block mismatch: which check failed, and the way out"
run "$IGVMKIT" export "$F" --format rvps --platform tdx
is "$rc" 0 "ID block mismatch: a TDX-only export does not involve it"

# ---- json ----
run "$IGVMKIT" export "$F" --ignore-idblock --format json
is "$rc" 0 "json: exit 0"
cp "$TMP/out" "$TMP/doc.json"
is "$(jget "$TMP/doc.json" 'list(d)')" "['schema', 'file', 'size', 'sha256', 'sha384', 'measurements', 'launch']" \
    "json: top-level keys in fixed order"
is "$(jget "$TMP/doc.json" '[(c["loader"], c["platform"], c["from_igvm"], c["argv"][:3]) for c in d["launch"]]')" \
    "[('qemu', 'sev-snp', True, ['qemu-system-x86_64', '-accel', 'kvm']), ('qemu', 'tdx', False, ['qemu-system-x86_64', '-accel', 'kvm'])]" \
    "json: launch commands of the measured platforms (QEMU)"
"$IGVMKIT" launch "$F" --json >"$TMP/launch.json"
is "$(jget "$TMP/doc.json" 'd["launch"] == [{k: c[k] for k in ("loader", "platform", "from_igvm", "argv", "notes")} for c in json.load(open(sys.argv[1].replace("doc", "launch")))["commands"] if c["platform"] != "native"]')" \
    "True" "json: launch equals igvmkit launch --json for those platforms"
run "$IGVMKIT" export "$F" --ignore-idblock --format json --loader openvmm
is "$(jget "$TMP/out" '"launch" in d')" "False" "json --loader openvmm: no QEMU launch commands"
is "$(jget "$TMP/doc.json" 'd["file"]')" "$F" "json: file as named"
is "$(jget "$TMP/doc.json" 'd["size"]')" "$(wc -c <"$F" | tr -d ' ')" "json: file size"
is "$(jget "$TMP/doc.json" 'd["sha256"]')" "$SHA256" "json: file SHA-256"
is "$(jget "$TMP/doc.json" 'd["sha384"]')" "$SHA384" "json: file SHA-384"
is "$(jget "$TMP/doc.json" '[m["name"] for m in d["measurements"]]')" "['sev-snp', 'tdx']" \
    "json: both platforms in file order"
is "$(jget "$TMP/doc.json" 'd["measurements"][0]["digest"]')" "$SNP_QEMU" "json: SNP digest (qemu)"
is "$(jget "$TMP/doc.json" 'd["measurements"][0]["id_block"]')" \
    "{'present': True, 'ld_match': False, 'id_signature': False, 'author_signature': None}" \
    "json: dummy ID block reported as mismatch"
is "$(jget "$TMP/doc.json" 'd["measurements"][1]["digest"]')" "$MRTD" "json: TDX MRTD"
is "$(jget "$TMP/doc.json" 'd["measurements"][1]["algorithm"]')" "sha384" "json: TDX algorithm"

# The same document as 'measure --json' (which, like export without
# --ignore-idblock, exits 4 here: the ID block's LD is a dummy), for each
# loader profile.
for loader in qemu openvmm qemu-classic; do
    "$IGVMKIT" measure --json --loader "$loader" "$F" >"$TMP/measure.json" 2>/dev/null
    run "$IGVMKIT" export "$F" --ignore-idblock --format json --loader "$loader"
    cmp -s "$TMP/out" "$TMP/measure.json"
    ok $? "json: byte for byte what 'measure --json --loader $loader' prints"
done

"$IGVMKIT" measure --json --vcpus 4 "$F" >"$TMP/measure.json" 2>/dev/null
run "$IGVMKIT" export "$F" --ignore-idblock --format json --vcpus 4
cmp -s "$TMP/out" "$TMP/measure.json"
ok $? "json: --vcpus 4 as 'measure --json --vcpus 4'"
is "$(jget "$TMP/out" 'd["measurements"][0]["vcpus"]')" 4 "json: --vcpus 4 modelled"

run "$IGVMKIT" export "$F" --ignore-idblock --format json --loader openvmm
is "$(jget "$TMP/out" 'd["measurements"][0]["digest"]')" "$SNP_OPENVMM" "json: SNP digest (openvmm)"
is "$(jget "$TMP/out" 'd["measurements"][0]["loader"]')" "openvmm" "json: loader named"
run "$IGVMKIT" export "$F" --ignore-idblock --format json --loader qemu-classic
is "$(jget "$TMP/out" 'd["measurements"][0]["digest"]')" "$SNP_CLASSIC" \
    "json: SNP digest (qemu-classic)"
run "$IGVMKIT" export "$F" --ignore-idblock --format json --platform tdx
is "$(jget "$TMP/out" '[m["digest"] for m in d["measurements"]]')" "['$MRTD']" \
    "json: --platform tdx exports only TDX"

# ---- rvps ----
run "$IGVMKIT" export "$F" --ignore-idblock --format rvps
is "$rc" 0 "rvps: exit 0"
cp "$TMP/out" "$TMP/rvps.json"
is "$(jget "$TMP/rvps.json" 'd')" "{'version': '0.1.0', 'type': 'sample', 'payload': '$(jget "$TMP/rvps.json" 'd["payload"]')'}" \
    "rvps: envelope has exactly version, type, payload"
is "$(jget "$TMP/rvps.json" 'json.loads(base64.b64decode(d["payload"], validate=True))')" \
    "{'snp_launch_measurement': ['$SNP_QEMU'], 'mr_td': ['$MRTD']}" \
    "rvps: payload decodes to the policy's reference-value names"

# ---- intoto ----
run "$IGVMKIT" export "$F" --ignore-idblock --format intoto
is "$rc" 0 "intoto: exit 0"
cp "$TMP/out" "$TMP/intoto.json"
is "$(jget "$TMP/intoto.json" 'd["_type"]')" "https://in-toto.io/Statement/v1" "intoto: _type"
is "$(jget "$TMP/intoto.json" 'd["subject"]')" \
    "[{'name': 'snp_tdx_v1.igvm', 'digest': {'sha256': '$SHA256', 'sha384': '$SHA384'}}]" \
    "intoto: subject is the IGVM file with its digests"
is "$(jget "$TMP/intoto.json" 'd["predicateType"]')" "https://igvmkit.dev/measurement/v1" \
    "intoto: predicateType"
is "$(jget "$TMP/intoto.json" 'd["predicate"] == json.load(open(sys.argv[1].replace("intoto", "doc")))')" \
    "True" "intoto: predicate is the measurement document"

# ---- corim ----
run "$IGVMKIT" export "$F" --ignore-idblock --format corim -o "$TMP/a.cbor"
is "$rc" 0 "corim: exit 0"
run "$IGVMKIT" export "$F" --ignore-idblock --format corim
cmp -s "$TMP/out" "$TMP/a.cbor"
ok $? "corim: stdout and -o give the same bytes"
run "$IGVMKIT" export "$F" --ignore-idblock --format corim -o "$TMP/b.cbor"
cmp -s "$TMP/a.cbor" "$TMP/b.cbor"
ok $? "corim: output is deterministic"
if [ -n "$CBOR_PY" ]; then
    "$CBOR_PY" "$top_srcdir/tests/tools/cbor-decode.py" "$TMP/a.cbor" >"$TMP/corim.json"
    is "$?" 0 "corim: cbor2 decodes it; RFC 8949 deterministic encoding (CoMIDs too)"
    is "$(jget "$TMP/corim.json" 'd["tag"]')" 501 "corim: tagged-unsigned-corim-map (501)"
    is "$(jget "$TMP/corim.json" 'sorted(d["value"])')" "['0', '1', '3']" "corim: id, tags, profile"
    is "$(jget "$TMP/corim.json" 'd["value"]["3"]')" \
        "{'tag': 32, 'value': 'tag:microsoft.com,2026:launch-measurement/v1'}" "corim: profile URI"
    is "$(jget "$TMP/corim.json" 'd["value"]["0"]')" \
        "$(jget "$TMP/corim.json" 'uuid.uuid5(uuid.UUID("6f575ac9-b3df-5dc7-b870-580c0cac7a0a"), "sha384:'"$SHA384"'")')" \
        "corim: id = UUIDv5(igvmkit namespace, sha384 of the file)"
    is "$(jget "$TMP/corim.json" '[t["tag"] for t in d["value"]["1"]]')" "[506, 506]" \
        "corim: one CoMID (506) per platform"
    C='d["value"]["1"][0]["value"]'
    is "$(jget "$TMP/corim.json" "$C"'["1"]["0"]')" "$TAG_AMD" "corim: SNP tag-id (microsoft/igvm value)"
    is "$(jget "$TMP/corim.json" "$C"'["4"]["0"]')" \
        "[[{'0': {'1': 'AMD', '2': 'SEV-SNP'}}, [{'0': 'MEASUREMENT', '1': {'2': [[7, '$SNP_QEMU']]}}]]]" \
        "corim: SNP reference triple with sha-384 (7) digest"
    is "$(jget "$TMP/corim.json" "$C"'["4"]["8"]')" \
        "[[[{'0': {'1': 'AMD', '2': 'SEV-SNP'}}, []], [[[{'0': 'MEASUREMENT', '1': {'2': [[7, '$SNP_QEMU']]}}], [{'1': {'1': {'tag': 552, 'value': 0}}}]]]]]" \
        "corim: SNP endorsement series maps the digest to exact SVN 0"
    C='d["value"]["1"][1]["value"]'
    is "$(jget "$TMP/corim.json" "$C"'["1"]["0"]')" \
        "$(jget "$TMP/corim.json" 'uuid.uuid5(uuid.UUID("85f3f1c2-22a8-441e-a1b9-bccfb63ed5f7"), "Intel/TDX")')" \
        "corim: TDX tag-id = UUIDv5(profile namespace, Intel/TDX)"
    is "$(jget "$TMP/corim.json" "$C"'["4"]["0"]')" \
        "[[{'0': {'1': 'Intel', '2': 'TDX'}}, [{'0': 'MRTD', '1': {'2': [[7, '$MRTD']]}}]]]" \
        "corim: TDX reference triple (MRTD)"

    run "$IGVMKIT" export "$F" --ignore-idblock --format corim --platform sev-snp --svn 5 -o "$TMP/c.cbor"
    "$CBOR_PY" "$top_srcdir/tests/tools/cbor-decode.py" "$TMP/c.cbor" >"$TMP/c.json"
    is "$(jget "$TMP/c.json" 'len(d["value"]["1"])')" 1 "corim: --platform gives one CoMID"
    is "$(jget "$TMP/c.json" 'd["value"]["1"][0]["value"]["4"]["8"][0][1][0][1]')" \
        "[{'1': {'1': {'tag': 552, 'value': 5}}}]" "corim: --svn 5 endorsed"

    run "$IGVMKIT" export "$TESTDATA/native_vbs_v2.igvm" --format corim -o "$TMP/v.cbor"
    is "$rc" 0 "corim: VBS file exports"
    "$CBOR_PY" "$top_srcdir/tests/tools/cbor-decode.py" "$TMP/v.cbor" >"$TMP/v.json"
    C='d["value"]["1"][0]["value"]'
    is "$(jget "$TMP/v.json" "$C"'["4"]["0"]')" \
        "[[{'0': {'1': 'Microsoft', '2': 'VBS'}}, [{'0': 'MEASUREMENT', '1': {'2': [[1, '$VBS']]}}]]]" \
        "corim: VBS boot digest with sha-256 (1)"
    is "$(jget "$TMP/v.json" "$C"'["1"]["0"]')" "2e29068e-e0fa-59e6-b0ff-3bfe09132e13" \
        "corim: VBS tag-id"
else
    ok 0 "corim: decoding with cbor2 # SKIP python3-cbor2 not installed"
fi

# ---- errors: exit status, exact message, nothing written ----
run "$IGVMKIT" export "$F" --ignore-idblock --format json -o "$TMP/missing/out.json"
is "$rc" 6 "-o into a missing directory: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/missing/out.json: cannot create output: No such file or directory" \
    "-o into a missing directory: message"
[ ! -e "$TMP/missing" ]
ok $? "-o into a missing directory: nothing created"

mkdir "$TMP/w" "$TMP/w/isdir"
run "$IGVMKIT" export "$F" --ignore-idblock --format json -o "$TMP/w/isdir"
is "$rc" 6 "-o onto a directory: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/w/isdir: is a directory: refusing to replace it with the output" \
    "-o onto a directory: message"
is "$(ls -A "$TMP/w" | tr '\n' ' ')" "isdir " "-o onto a directory: no temporary file left behind"

run "$IGVMKIT" export "$F" --ignore-idblock --format xml -o "$TMP/x.out"
is "$rc" 2 "unknown format: exit 2"
is "$(cat "$TMP/err")" "igvmkit export: --format: unknown format 'xml' (expected json, rvps, corim or intoto)
Try 'igvmkit export --help'." "unknown format: message"
[ ! -e "$TMP/x.out" ]
ok $? "unknown format: nothing written"

run "$IGVMKIT" export --help
is "$rc" 0 "--help: exit 0"
is "$(head -1 "$TMP/out")" "Usage: igvmkit export FILE --format FORMAT [OPTIONS]" "--help: usage on stdout"

run "$IGVMKIT" export "$F"
is "$rc" 2 "missing --format: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit export: missing --format (json, rvps, corim, intoto)" \
    "missing --format: message"

run "$IGVMKIT" export "$F" --ignore-idblock --format json --loader kvm
is "$rc" 2 "unknown loader: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit export: --loader: unknown loader profile 'kvm' (expected qemu, qemu-classic, openvmm or qemu-8)" \
    "unknown loader: message"

run "$IGVMKIT" export "$TESTDATA/native_vbs_v2.igvm" --format rvps -o "$TMP/r.out"
is "$rc" 5 "rvps without SNP or TDX: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/native_vbs_v2.igvm: no SEV-SNP or TDX measurement to export as RVPS reference values" \
    "rvps without SNP or TDX: message"
[ ! -e "$TMP/r.out" ]
ok $? "rvps without SNP or TDX: nothing written"

run "$IGVMKIT" export "$F" --ignore-idblock --format json --platform native
is "$rc" 2 "unmeasurable platform: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit export: --platform: export does not apply to platform 'native' (expected sev-snp, tdx, sev-es, sev or vbs)" \
    "unmeasurable platform: message"

run "$IGVMKIT" export "$F" --ignore-idblock --format json --vcpus 0
is "$rc" 2 "--vcpus 0: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit export: --vcpus needs a number from 1 to 65536, not '0'" \
    "--vcpus 0: message"

run "$IGVMKIT" export "$TESTDATA/minimal_snp_v1.igvm" --format json --platform tdx
is "$rc" 5 "platform not in the file: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "platform not in the file: message"

run "$IGVMKIT" export "$TESTDATA/cca_aarch64_v2.igvm" --format json
is "$rc" 5 "nothing measurable: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/cca_aarch64_v2.igvm: no platform the file declares has a launch measurement (it declares: cca)" \
    "nothing measurable: message"

run "$IGVMKIT" export "$TESTDATA/no_file_data_v1.igvm" --format corim -o "$TMP/n.out"
is "$rc" 3 "invalid IGVM: exit 3"
like "$TMP/err" "^igvmkit: error: .*no_file_data_v1.igvm: offset 0xC: the file data section is empty" \
    "invalid IGVM: message"
[ ! -e "$TMP/n.out" ]
ok $? "invalid IGVM: nothing written"

run "$IGVMKIT" export "$TMP/none.igvm" --format json
is "$rc" 6 "missing input: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/none.igvm: cannot open: No such file or directory" \
    "missing input: message"

done_testing
