#!/bin/sh
# igvmkit extract: region files and regions.json checked against the raw
# sample files by an independent python3 reading, exact file lists, and the
# failure cases (unwritable output, invalid input) leaving nothing behind.
. "$top_srcdir/tests/cli/lib.sh"

if [ -z "${PYTHON3:-}" ]; then PYTHON3=python3; fi

# check SAMPLE PLATFORM_BIT DIR: every region/VP/area file equals the bytes
# the raw file gives for the listed headers; prints "ok" or the problem.
check() {
    "$PYTHON3" - "$1" "$2" "$3" <<'PY'
import hashlib, json, os, struct, sys
raw = open(sys.argv[1], "rb").read()
bit = int(sys.argv[2])
out = sys.argv[3]
doc = json.load(open(os.path.join(out, "regions.json")))
off, size = struct.unpack_from("<II", raw, 8)
hdrs, pos = [], off
while pos < off + size:
    t, l = struct.unpack_from("<II", raw, pos)
    hdrs.append((t, raw[pos + 8 : pos + 8 + l]))
    pos += (8 + l + 7) & ~7
assert doc["platform_mask"] == bit
files = {"regions.json"}
for r in doc["regions"]:
    data = b""
    for i in range(r["first_header"], r["last_header"] + 1):
        t, b = hdrs[i]
        if t != 0x302 or not struct.unpack_from("<I", b, 8)[0] & bit:
            continue
        gpa, mask, fo = struct.unpack_from("<QII", b)
        assert gpa == r["gpa"] + len(data), ("gap", r)
        data += raw[fo : fo + 4096] if fo else bytes(4096)
    assert len(data) == r["size"] == r["header_count"] * 4096, r
    got = open(os.path.join(out, r["file"]), "rb").read()
    assert got == data, ("content", r["file"])
    assert r["file"] == "0x%016x.bin" % r["gpa"], r["file"]
    files.add(r["file"])
for v in doc["vp_contexts"]:
    t, b = hdrs[v["header"]]
    gpa, mask, fo, vp = struct.unpack_from("<QIIH", b)
    assert t == 0x304 and gpa == v["gpa"] and vp == v["vp_index"], v
    got = open(os.path.join(out, v["file"]), "rb").read()
    assert got == raw[fo : fo + v["size"]], v
    files.add(v["file"])
for a in doc["parameter_areas"]:
    t, b = hdrs[a["header"]]
    n, idx, fo = struct.unpack_from("<QII", b)
    assert t == 0x301 and n == a["size"] and idx == a["index"], a
    if fo:
        assert open(os.path.join(out, a["file"]), "rb").read() == raw[fo : fo + n]
        files.add(a["file"])
    if a["insert_header"] is not None:
        t, b = hdrs[a["insert_header"]]
        assert t == 0x303 and struct.unpack_from("<Q", b)[0] == a["insert_gpa"], a
assert files == set(os.listdir(out)), (files, os.listdir(out))
print("ok")
PY
}

run "$IGVMKIT" extract "$TESTDATA/snp_tdx_v1.igvm" --platform sev-snp -o "$TMP/snp"
is "$rc" 0 "snp_tdx_v1 sev-snp: exit 0"
is "$(cat "$TMP/err")" "" "snp_tdx_v1 sev-snp: nothing on stderr"
is "$(ls "$TMP/snp" | tr '\n' ' ')" "0x0000000000100000.bin 0x0000000000102000.bin 0x0000000000103000.bin 0x0000000000104000.bin 0x0000000000105000.bin 0x0000000000106000.bin 0x0000000000108000.bin regions.json vp-context-22.bin " \
    "snp_tdx_v1 sev-snp: file list"
is "$(check "$TESTDATA/snp_tdx_v1.igvm" 1 "$TMP/snp" 2>&1)" ok "snp_tdx_v1 sev-snp: files match the raw IGVM bytes"
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s:%s:%s:%d" % (r["gpa_hex"], r["kind"], r["data_type"], r["size"]) for r in d["regions"]))
print(d["bios_region"], d["vp_contexts"][0]["gpa_hex"], d["vp_contexts"][0]["size"])' "$TMP/snp/regions.json" >"$TMP/py" 2>&1
is "$(cat "$TMP/py")" "0x100000:measured:normal:8192 0x102000:zero:normal:4096 0x103000:measured:normal:4096 0x104000:zero:secrets:4096 0x105000:measured:cpuid_data:4096 0x106000:unmeasured:normal:4096 0x108000:shared:normal:4096
None 0xfffffffff000 4096" "snp_tdx_v1 sev-snp: regions (merged, kinds, data types) and the VMSA"
is "$(sha256sum <"$TMP/snp/0x0000000000103000.bin" | cut -d' ' -f1)" \
    d41d438c379110c7f7b2c561b1f04f26c1b4549110791f8e022f48974280c13e "snp_tdx_v1 sev-snp: sha256 of the 0x103000 region"

run "$IGVMKIT" extract "$TESTDATA/snp_tdx_v1.igvm" --platform tdx -o "$TMP/tdx/"
is "$rc" 0 "snp_tdx_v1 tdx: exit 0 (trailing slash on DIR)"
is "$(check "$TESTDATA/snp_tdx_v1.igvm" 2 "$TMP/tdx" 2>&1)" ok "snp_tdx_v1 tdx: files match the raw IGVM bytes"
ok "$(ls "$TMP/tdx" | grep -c vp-context)" "snp_tdx_v1 tdx: no VP context for TDX"

run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform snp -o "$TMP/min"
is "$rc" 0 "minimal_snp_v1: exit 0"
is "$(ls "$TMP/min" | tr '\n' ' ')" "0x00000000fffff000.bin regions.json " "minimal_snp_v1: file list"
is "$(sha256sum <"$TMP/min/0x00000000fffff000.bin" | cut -d' ' -f1)" \
    148b86c9b96a1ce17ab8580b18dfdefed31951f9dcc5a85544a5ac8a9df42533 "minimal_snp_v1: region sha256"
like "$TMP/min/regions.json" '"bios_region": "0x00000000fffff000.bin"' "minimal_snp_v1: region ending at 4 GiB is the BIOS"

run "$IGVMKIT" extract "$TESTDATA/native_vbs_v2.igvm" --platform vbs -o "$TMP/vbs"
is "$rc" 0 "native_vbs_v2 vbs: exit 0"
is "$(check "$TESTDATA/native_vbs_v2.igvm" 2 "$TMP/vbs" 2>&1)" ok "native_vbs_v2 vbs: files match the raw IGVM bytes"
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%d:%d:%s:%s" % (a["index"], a["size"], hex(a["insert_gpa"]), a["file"]) for a in d["parameter_areas"]))' \
    "$TMP/vbs/regions.json" >"$TMP/py" 2>&1
is "$(cat "$TMP/py")" "0:4096:0x10000:parameter-area-8.bin 1:12288:0x11000:None 2:4096:0x14000:None" \
    "native_vbs_v2 vbs: parameter areas, insert GPAs, initial data file"
is "$(wc -c <"$TMP/vbs/vp-context-23.bin" | tr -d ' ')" 260 "native_vbs_v2 vbs: VBS register list file"

run "$IGVMKIT" extract "$TESTDATA/cca_aarch64_v2.igvm" --platform cca -o "$TMP/cca"
is "$rc" 0 "cca_aarch64_v2 cca: exit 0"
is "$(check "$TESTDATA/cca_aarch64_v2.igvm" 1 "$TMP/cca" 2>&1)" ok "cca_aarch64_v2 cca: files match the raw IGVM bytes"

# An existing empty directory is filled; a non-empty one is left alone.
mkdir "$TMP/empty-dir"
run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform snp -o "$TMP/empty-dir"
is "$rc" 0 "existing empty DIR: exit 0"
is "$(ls "$TMP/empty-dir" | tr '\n' ' ')" "0x00000000fffff000.bin regions.json " "existing empty DIR: filled"
mkdir "$TMP/full-dir" && echo keep >"$TMP/full-dir/keep"
run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform snp -o "$TMP/full-dir"
is "$rc" 6 "non-empty DIR: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/full-dir: cannot replace output directory: Directory not empty" \
    "non-empty DIR: message"
is "$(ls "$TMP/full-dir")" "keep" "non-empty DIR: untouched"

# Unwritable outputs: nothing may be left behind.
: >"$TMP/regular"
run "$IGVMKIT" extract "$TESTDATA/snp_tdx_v1.igvm" --platform snp -o "$TMP/regular/out"
is "$rc" 6 "DIR under a regular file: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/regular/out: cannot create output directory: Not a directory" \
    "DIR under a regular file: message"
run "$IGVMKIT" extract "$TESTDATA/snp_tdx_v1.igvm" --platform snp -o /proc/igvmkit-test-out
is "$rc" 6 "DIR in /proc: exit 6"
like "$TMP/err" '^igvmkit: error: /proc/igvmkit-test-out: cannot create output directory: ' "DIR in /proc: message"
is "$(ls -d /proc/igvmkit-test-out* 2>/dev/null)" "" "DIR in /proc: nothing created"
is "$(ls "$TMP" | grep -c 'tmp-')" 0 "no temporary directories left behind"

run "$IGVMKIT" extract "$TESTDATA/no_file_data_v1.igvm" --platform snp -o "$TMP/bad"
is "$rc" 3 "invalid file: exit 3"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/no_file_data_v1.igvm: offset 0xC: the file data section is empty (variable headers end at the end of the file, 0x88); the reference parser requires at least one byte of file data" \
    "invalid file: message"
ok "$([ ! -e "$TMP/bad" ]; echo $?)" "invalid file: no output directory"

run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform tdx -o "$TMP/nope"
is "$rc" 5 "platform not declared: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "platform not declared: message"
ok "$([ ! -e "$TMP/nope" ]; echo $?)" "platform not declared: no output directory"

run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform bogus -o "$TMP/nope"
is "$rc" 2 "unknown platform: exit 2"
run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" -o "$TMP/nope"
is "$rc" 2 "missing --platform: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit extract: missing --platform" "missing --platform: message"
run "$IGVMKIT" extract "$TESTDATA/minimal_snp_v1.igvm" --platform snp
is "$rc" 2 "missing -o: exit 2"
run "$IGVMKIT" extract --help
is "$rc" 0 "--help: exit 0"
like "$TMP/out" '^Usage: igvmkit extract FILE --platform P -o DIR$' "--help: usage on stdout"

done_testing
