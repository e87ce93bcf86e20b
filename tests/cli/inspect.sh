#!/bin/sh
# igvmkit inspect on the valid sample files: exact text lines, the JSON form
# cross-checked against the raw bytes by python3, and the --platform filter.
. "$top_srcdir/tests/cli/lib.sh"

# block FILE N: the text lines of header #N (up to the next header)
block() {
    awk -v n="header #$2 at" 'index($0, n) == 1 { on = 1; print; next }
        /^header #/ { on = 0 } on' "$1"
}

for f in snp_tdx_v1 minimal_snp_v1 native_vbs_v2 cca_aarch64_v2; do
    run "$IGVMKIT" inspect "$TESTDATA/$f.igvm"
    is "$rc" 0 "$f: inspect exits 0"
    is "$(cat "$TMP/err")" "" "$f: nothing on stderr"
done

run "$IGVMKIT" inspect "$TESTDATA/minimal_snp_v1.igvm"
is "$(cat "$TMP/out")" "format_version: 1
architecture: x64
page_size: 4096
variable_header_offset: 0x18
variable_header_size: 0x50
data_section_offset: 0x68
total_file_size: 0x1068
checksum: 0x43dbe692
header_count: 3
header #0 at 0x18: SUPPORTED_PLATFORM
  compatibility_mask: 0x1
  highest_vtl: 0
  platform_type: 2 (sev-snp)
  platform_version: 1
  shared_gpa_boundary: 0x0
  data: none
header #1 at 0x30: GUEST_POLICY
  policy: 0x20000 (abi 0.0, smt off, migrate_ma off, debug off, single_socket off)
  compatibility_mask: 0x1
  reserved: 0x0
  data: none
header #2 at 0x48: PAGE_DATA
  gpa: 0xfffff000
  compatibility_mask: 0x1
  file_offset: 0x68
  flags: 0 (none)
  data_type: 0 (normal)
  data: 4096 bytes, sha256 148b86c9b96a1ce17ab8580b18dfdefed31951f9dcc5a85544a5ac8a9df42533" \
    "minimal_snp_v1: whole text output"

run "$IGVMKIT" inspect "$TESTDATA/snp_tdx_v1.igvm"
block "$TMP/out" 14 >"$TMP/h14"
is "$(cat "$TMP/h14")" "header #14 at 0x168: PAGE_DATA
  gpa: 0x103000
  compatibility_mask: 0x3
  file_offset: 0x528
  flags: 0 (none)
  data_type: 0 (normal)
  data: 4096 bytes, sha256 d41d438c379110c7f7b2c561b1f04f26c1b4549110791f8e022f48974280c13e" \
    "snp_tdx_v1: header #14 reuses the first page blob"
block "$TMP/out" 22 >"$TMP/h22"
is "$(cat "$TMP/h22")" "header #22 at 0x508: VP_CONTEXT
  gpa: 0xfffffffff000
  compatibility_mask: 0x1
  file_offset: 0x5528
  vp_index: 0
  data: 4096 bytes, sha256 bd7dfeb6e3cc6affa8aff266715f67159f2adee29e942908fb7a175a94aea371" \
    "snp_tdx_v1: VMSA header"
is "$(grep -c '^header #' "$TMP/out")" 23 "snp_tdx_v1: 23 headers listed"

run "$IGVMKIT" inspect "$TESTDATA/native_vbs_v2.igvm"
block "$TMP/out" 2 >"$TMP/h2"
is "$(cat "$TMP/h2")" "header #2 at 0x50: RELOCATABLE_REGION
  compatibility_mask: 0x2
  vp_index: 0
  vtl: 2
  flags: 0x3
  relocation_alignment: 0x200000
  relocation_region_gpa: 0x400000
  relocation_region_size: 0x200000
  minimum_relocation_gpa: 0x400000
  maximum_relocation_gpa: 0x40000000
  data: none" "native_vbs_v2: relocatable region"
block "$TMP/out" 23 >"$TMP/h23"
like "$TMP/h23" '^  data: 260 bytes, sha256 5303987842aaba304b4cae669fd283b188b97f2a76b13c420ed84d83bb87c0f0$' \
    "native_vbs_v2: VBS register list of 8 registers (260 bytes)"

run "$IGVMKIT" inspect "$TESTDATA/cca_aarch64_v2.igvm"
like "$TMP/out" '^architecture: aarch64$' "cca_aarch64_v2: architecture"
block "$TMP/out" 1 >"$TMP/h1"
is "$(cat "$TMP/h1")" "header #1 at 0x38: CCA_POLICY
  compatibility_mask: 0x1
  attributes_required_zeroes: 0x1
  attributes_required_ones: 0x0
  hash_algorithm: 0 (sha256)
  lfa_policy: 0 (disallow)
  data: none" "cca_aarch64_v2: CCA policy"

# JSON: parse it and check it against the file's own bytes.
if [ -z "${PYTHON3:-}" ] || ! "$PYTHON3" -c 'import json' 2>/dev/null; then PYTHON3=python3; fi
for f in snp_tdx_v1 native_vbs_v2 cca_aarch64_v2; do
    run "$IGVMKIT" inspect --json "$TESTDATA/$f.igvm"
    is "$rc" 0 "$f: inspect --json exits 0"
    "$PYTHON3" - "$TESTDATA/$f.igvm" "$TMP/out" >"$TMP/py" 2>&1 <<'PY'
import hashlib, json, struct, sys
raw = open(sys.argv[1], "rb").read()
doc = json.load(open(sys.argv[2]))
off, size, total, crc = struct.unpack_from("<IIII", raw, 8)
assert doc["variable_header_offset"] == off, "offset"
assert doc["variable_header_size"] == size, "size"
assert doc["total_file_size"] == total == len(raw), "total"
assert doc["checksum"] == crc, "checksum"
assert doc["platform_filter"] is None
hs = doc["headers"]
assert len(hs) == doc["header_count"], "count"
pos = off
for i, h in enumerate(hs):
    t, l = struct.unpack_from("<II", raw, pos)
    assert h["index"] == i and h["offset"] == pos and h["type_code"] == t, (i, h)
    f = h["fields"]
    if t == 0x302 or t == 0x304 or t == 0x301:
        fo = f["file_offset"]
        if fo:
            n = h["data_size"]
            assert hashlib.sha256(raw[fo:fo + n]).hexdigest() == h["data_sha256"], i
        else:
            assert h["data_sha256"] is None and h["data_size"] == 0, i
    if t == 0x302:
        assert f["gpa"] == struct.unpack_from("<Q", raw, pos + 8)[0]
    pos += (8 + l + 7) & ~7
assert pos == off + size
print("ok")
PY
    is "$(cat "$TMP/py")" "ok" "$f: JSON matches the raw file (offsets, types, data sha256)"
done

run "$IGVMKIT" inspect --json --platform tdx "$TESTDATA/snp_tdx_v1.igvm"
is "$rc" 0 "--platform tdx: exits 0"
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["platform_filter"], " ".join(str(h["index"]) for h in d["headers"]))' "$TMP/out" >"$TMP/py" 2>&1
is "$(cat "$TMP/py")" "tdx 1 3 4 5 6 7 8 9 10 11 12 13 14 17 18 19 20" \
    "--platform tdx: TDX headers (mask bit 0x2) and mask-less parameter headers"
run "$IGVMKIT" inspect "$TESTDATA/snp_tdx_v1.igvm" --platform snp
is "$(grep -c '^header #' "$TMP/out")" 20 "--platform snp (alias): 20 headers"
like "$TMP/out" '^platform_filter: sev-snp \(mask 0x1\)$' "--platform snp: filter shown"

run "$IGVMKIT" inspect --help
is "$rc" 0 "--help exits 0"
like "$TMP/out" '^Usage: igvmkit inspect FILE' "--help prints usage on stdout"

run "$IGVMKIT" inspect
is "$rc" 2 "no FILE: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit inspect: missing FILE" "no FILE: message"
run "$IGVMKIT" inspect --bogus "$TESTDATA/snp_tdx_v1.igvm"
is "$rc" 2 "unknown option: exit 2"
run "$IGVMKIT" inspect --platform foo "$TESTDATA/snp_tdx_v1.igvm"
is "$rc" 2 "unknown platform: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit inspect: --platform: unknown platform 'foo' (expected sev-snp, tdx, native, sev-es, sev, vbs or cca)" \
    "unknown platform: message"
run "$IGVMKIT" inspect --platform tdx "$TESTDATA/minimal_snp_v1.igvm"
is "$rc" 5 "platform not declared: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "platform not declared: message names the declared platforms"
is "$(cat "$TMP/out")" "" "platform not declared: nothing on stdout"

done_testing
