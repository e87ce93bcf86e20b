#!/bin/sh
# igvmkit inspect --summary: exact text for a sample file, the JSON form,
# the summary as the default above 10000 headers (with a note on stderr),
# --all to list every header anyway, and "schema" in the JSON documents.
. "$top_srcdir/tests/cli/lib.sh"
[ "$PYTHON3" != false ] || skip_all "python3 not found"

run "$IGVMKIT" inspect --summary "$TESTDATA/snp_tdx_v1.igvm"
is "$rc" 0 "--summary: exit 0"
is "$(cat "$TMP/out")" "format_version: 1
architecture: x64
file_size: 25896
header_count: 23
data_bytes: 28672
platforms:
  sev-snp  mask 0x1, version 1
  tdx      mask 0x2, version 1
headers by type:
  SUPPORTED_PLATFORM                        2  data 0 bytes
  GUEST_POLICY                              2  data 0 bytes
  PARAMETER_AREA                            2  data 0 bytes
  VP_COUNT_PARAMETER                        1  data 0 bytes
  ENVIRONMENT_INFO_PARAMETER                1  data 0 bytes
  MEMORY_MAP                                1  data 0 bytes
  PARAMETER_INSERT                          2  data 0 bytes
  PAGE_DATA                                 9  data 24576 bytes
  REQUIRED_MEMORY                           1  data 0 bytes
  SNP_ID_BLOCK                              1  data 0 bytes
  VP_CONTEXT                                1  data 4096 bytes
PAGE_DATA ranges (5):
  0x0000000000100000-0x0000000000103fff mask 0x3  4 pages
  0x0000000000104000-0x0000000000105fff mask 0x1  2 pages
  0x0000000000106000-0x0000000000106fff mask 0x3  1 page
  0x0000000000107000-0x0000000000107fff mask 0x2  1 page
  0x0000000000108000-0x0000000000108fff mask 0x3  1 page" "--summary: exact text"
is "$(cat "$TMP/err")" "" "--summary: nothing on stderr"

run "$IGVMKIT" inspect --summary --platform tdx --json "$TESTDATA/snp_tdx_v1.igvm"
"$PYTHON3" - "$TMP/out" >"$TMP/check.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["summary"], d["platform_filter"], d["header_count"],
      sum(t["count"] for t in d["header_types"]),
      [(r["gpa"], r["size"], r["pages"], r["compatibility_mask"]) for r in d["page_ranges"]])
PY
is "$(cat "$TMP/check.txt")" "1 True tdx 23 17 [(1048576, 16384, 4, 3), (1073152, 4096, 1, 3), (1077248, 4096, 1, 2), (1081344, 4096, 1, 3)]" \
    "--summary --json --platform tdx: schema, counts of the tdx headers, ranges"

run "$IGVMKIT" inspect --json "$TESTDATA/minimal_snp_v1.igvm"
is "$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema"])' "$TMP/out")" 1 \
    "inspect --json: schema 1"

# A direct-boot file with 64 MiB pre-validated: more than 10000 headers.
"$PYTHON3" - "$TMP/vmlinuz" <<'PY'
import struct, sys
img = bytearray(64 * 1024)
img[0x1F1] = 39
struct.pack_into("<I", img, 0x1F4, (len(img) - 40 * 512) // 16)
struct.pack_into("<H", img, 0x1FE, 0xAA55)
img[0x200:0x202] = b"\xeb\x6a"
img[0x202:0x206] = b"HdrS"
struct.pack_into("<H", img, 0x206, 0x20F)
img[0x211] = 1
struct.pack_into("<I", img, 0x22C, 0x7FFFFFFF)
struct.pack_into("<I", img, 0x230, 0x200000)
img[0x234] = 1
struct.pack_into("<H", img, 0x236, 0x7F)
struct.pack_into("<I", img, 0x238, 0x7FF)
struct.pack_into("<Q", img, 0x258, 0x1000000)
struct.pack_into("<I", img, 0x260, 0x100000)
open(sys.argv[1], "wb").write(img)
PY
cat >"$TMP/big.yaml" <<'YAML'
version: 1
firmware: {type: none}
kernel: vmlinuz
memory: 64M
platforms:
  sev-snp: {}
YAML
"$IGVMKIT" pack -q "$TMP/big.yaml" -o "$TMP/big.igvm"
n=$("$IGVMKIT" inspect --summary --json "$TMP/big.igvm" |
    "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["header_count"])')
ok $([ "$n" -gt 10000 ]; echo $?) "the direct-boot file has more than 10000 headers ($n)"

run "$IGVMKIT" inspect "$TMP/big.igvm"
is "$rc" 0 "large file: exit 0"
is "$(cat "$TMP/err")" "igvmkit: note: $TMP/big.igvm has $n headers (more than 10000): printing the summary; --all prints every header" \
    "large file: the note says why and how to get everything"
is "$(grep -c '^header #' "$TMP/out")" 0 "large file: no header listing by default"
is "$(sed -n 4p "$TMP/out")" "header_count: $n" "large file: summary by default"

run "$IGVMKIT" inspect --all "$TMP/big.igvm"
is "$rc$(cat "$TMP/err")" 0 "--all: exit 0, no note"
is "$(grep -c '^header #' "$TMP/out")" "$n" "--all: every header listed"

run "$IGVMKIT" inspect --summary --all "$TMP/big.igvm"
is "$rc" 2 "--summary with --all: exit 2"
is "$(cat "$TMP/err")" "igvmkit inspect: --summary and --all cannot be combined
Try 'igvmkit inspect --help'." "--summary with --all: message"

done_testing
