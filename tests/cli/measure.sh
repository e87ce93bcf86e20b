# igvmkit measure: every golden value of tests/data/REFERENCE.md for the IGVM
# files, the output formats, and each bad-input path (exit status and message).
. "$top_srcdir/tests/cli/lib.sh"

cd "$TESTDATA" || exit 1

SNP_OPENVMM=bb3909476b59b771c5e6936b2fdf6bf9914ec077dc0786ee606ed425cffbb0c37f65a86dcda93dc2e28bf0ca4f682d44
SNP_QEMU=ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
SNP_CLASSIC=b682907ffbbfea43522c9f56ea2b463e6342561df0af21cb4286182548675910aec28c00ad99fdf1ac600d5d5dea817c
SNP_TDX_MRTD=9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26
MINIMAL=5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d08f0051dbbc9ce762d6969cbcdfaec3e0351e7
VBS=bb88286c2edc02fb9a315f3c65336f565c89a18a28724cd7c519df75d8219d38
EXTRAS=27a7c1178a10256f54a0963d4592de4687d3759c04bbda88d35fe9d6b07ed8d837b55f515219f964ddf4a375bc3a69dd
TDX_OPENVMM=c8892e2858dae7075ae77df712f3299e2051311ea8a3dc1dd83497a4ff195800f63e938c22c946592220efb64da960eb

# --- golden digests ---
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform sev-snp --loader openvmm --bare --ignore-idblock
is "$rc:$(cat "$TMP/out")" "0:$SNP_OPENVMM" "snp_tdx_v1 SEV-SNP, openvmm profile"
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform sev-snp --loader qemu --bare --ignore-idblock
is "$rc:$(cat "$TMP/out")" "0:$SNP_QEMU" "snp_tdx_v1 SEV-SNP, qemu profile"
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform=sev-snp --loader=qemu-classic --bare --ignore-idblock
is "$rc:$(cat "$TMP/out")" "0:$SNP_CLASSIC" "snp_tdx_v1 SEV-SNP, qemu-classic profile"
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform tdx --bare
is "$rc:$(cat "$TMP/out")" "0:$SNP_TDX_MRTD" "snp_tdx_v1 TDX MRTD"
for l in qemu qemu-classic openvmm; do
    run "$IGVMKIT" measure minimal_snp_v1.igvm --loader $l --bare
    is "$rc:$(cat "$TMP/out")" "0:$MINIMAL" "minimal_snp_v1, $l profile"
done
run "$IGVMKIT" measure native_vbs_v2.igvm --bare
is "$rc:$(cat "$TMP/out")" "0:$VBS" "native_vbs_v2 VBS boot digest (default: every measurable platform)"
run "$IGVMKIT" measure snp/snp_extras_idblock.igvm --platform sev-snp --bare
is "$rc:$(cat "$TMP/out")" "0:$EXTRAS" "snp_extras_idblock, qemu profile, ID block checks out"
run "$IGVMKIT" measure tdx/tdx_openvmm_test.igvm --bare
is "$rc:$(cat "$TMP/out")" "0:$TDX_OPENVMM" "tdx_openvmm_test MRTD"

# --- order of --bare follows the order the platforms were named ---
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform tdx --platform sev-snp --bare --ignore-idblock
is "$rc:$(tr '\n' ' ' <"$TMP/out")" "0:$SNP_TDX_MRTD $SNP_QEMU " "--bare: one digest per line, in the order named"
run "$IGVMKIT" measure snp_tdx_v1.igvm --platform all --bare --ignore-idblock
is "$rc:$(tr '\n' ' ' <"$TMP/out")" "0:$SNP_QEMU $SNP_TDX_MRTD " "--platform all: platform-header order"

# --- ID block: dummy LD in snp_tdx_v1 ---
run "$IGVMKIT" measure snp_tdx_v1.igvm
is "$rc" 4 "snp_tdx_v1: ID block LD mismatch exits 4"
is "$(sed -n 1p "$TMP/err")" "igvmkit: error: snp_tdx_v1.igvm: sev-snp: the ID block LD abababababababababababababababababababababababababababababababababababababababababababababababab does not match the computed launch digest $SNP_QEMU" \
    "mismatch message names the LD in the file and the computed digest"
is "$(sed -n 2p "$TMP/err")" "igvmkit: error: snp_tdx_v1.igvm: sev-snp: the ID block's ID-key signature does not verify" \
    "mismatch message names the failed signature"
like "$TMP/out" "^  digest:      $SNP_QEMU\$" "the report is still printed"
like "$TMP/out" "^  id block:    LD MISMATCH\$" "text report: LD MISMATCH"
run "$IGVMKIT" measure snp_tdx_v1.igvm --ignore-idblock
is "$rc" 0 "--ignore-idblock: exit 0"
is "$(cat "$TMP/err")" "" "--ignore-idblock: nothing on stderr"

# --- text report ---
run "$IGVMKIT" measure snp/snp_extras_idblock.igvm
cat >"$TMP/want" <<EOF
sev-snp: SEV-SNP launch digest (PAGE_INFO chain)
  digest:      $EXTRAS
  algorithm:   sha384
  loader:      qemu
  vcpus:       2
  vmsas:       2 measured
  policy:      0x30000 (abi 0.0, smt allowed, migrate_ma off, debug off, single_socket off)
  id block:    ok
    ld:        $EXTRAS (matches)
    id key signature:     verifies
    author key signature: verifies

launch commands (as igvmkit launch prints them):
# qemu, sev-snp
qemu-system-x86_64 \\
    -accel kvm \\
    -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \\
    -object igvm-cfg,id=igvm0,file=snp/snp_extras_idblock.igvm \\
    -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x30000 \\
    -cpu EPYC-v4 \\
    -smp 2 \\
    -m 2048M \\
    -nographic
# note: -m: any size of at least 9 MiB holds the file's pages
# note: -smp must equal the file's 2 VMSAs
# note: cbitpos=51 and reduced-phys-bits=1 hold on Milan, Genoa and Turin hosts (CPUID 0x8000001F EBX)
# note: the file binds a kernel through OVMF's hash table at GPA 0x810c00: add -kernel, -initrd and -append with exactly the packed files
# note: the ID block comes from the file; do not also give id-block/id-auth
EOF
is "$rc" 0 "snp_extras_idblock: exit 0"
cmp -s "$TMP/out" "$TMP/want"; ok $? "snp_extras_idblock: exact text report"

# --- --vcpus: copies of the lowest-index VMSA ---
run "$IGVMKIT" measure snp/snp_extras_idblock.igvm --vcpus 4 --ignore-idblock
is "$rc" 0 "--vcpus 4: exit 0 with --ignore-idblock"
like "$TMP/out" "^  vcpus:       4\$" "--vcpus 4: four vCPUs"
like "$TMP/out" "^  vmsas:       4 measured, 2 of them copies of the lowest-index VMSA for vCPUs without a VP context \(--vcpus\)\$" \
    "--vcpus 4: says two VMSAs were copied"
run "$IGVMKIT" measure snp/snp_extras_idblock.igvm --vcpus 4
is "$rc" 4 "--vcpus 4: the ID block no longer matches"

# --- JSON ---
run "$IGVMKIT" measure minimal_snp_v1.igvm --json
cat >"$TMP/want" <<EOF
{
  "schema": 1,
  "file": "minimal_snp_v1.igvm",
  "size": $(wc -c <minimal_snp_v1.igvm),
  "sha256": "$(sha256sum minimal_snp_v1.igvm | cut -d' ' -f1)",
  "sha384": "$(sha384sum minimal_snp_v1.igvm | cut -d' ' -f1)",
  "measurements": [
    {
      "name": "sev-snp",
      "digest": "$MINIMAL",
      "algorithm": "sha384",
      "loader": "qemu",
      "vcpus": 0,
      "vmsa_count": 0,
      "vcpus_replicated": false,
      "policy": "0x20000",
      "policy_fields": {
        "abi_minor": 0,
        "abi_major": 0,
        "smt": false,
        "migrate_ma": false,
        "debug": false,
        "single_socket": false
      },
      "id_block": {
        "present": false,
        "ld_match": null,
        "id_signature": null,
        "author_signature": null
      }
    }
  ],
  "launch": [
    {
      "loader": "qemu",
      "platform": "sev-snp",
      "from_igvm": true,
      "argv": [
        "qemu-system-x86_64",
        "-accel",
        "kvm",
        "-machine",
        "q35,confidential-guest-support=sev0,igvm-cfg=igvm0",
        "-object",
        "igvm-cfg,id=igvm0,file=minimal_snp_v1.igvm",
        "-object",
        "sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x20000",
        "-cpu",
        "EPYC-v4",
        "-smp",
        "1",
        "-m",
        "2048M",
        "-nographic"
      ],
      "notes": [
        "-m: any size of at least 1 MiB holds the file's pages",
        "the file has no VMSA for SEV-SNP: QEMU builds one per vCPU, and its register state enters the launch digest",
        "cbitpos=51 and reduced-phys-bits=1 hold on Milan, Genoa and Turin hosts (CPUID 0x8000001F EBX)"
      ]
    }
  ]
}
EOF
is "$rc" 0 "--json: exit 0"
cmp -s "$TMP/out" "$TMP/want"; ok $? "--json: exact document"

run "$IGVMKIT" measure snp_tdx_v1.igvm --json --loader openvmm
is "$rc" 4 "--json with an ID block mismatch: exit 4"
"$PYTHON3" - "$TMP/out" "$SNP_OPENVMM" "$SNP_TDX_MRTD" <<'EOF' >"$TMP/py" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
m = d["measurements"]
assert [x["name"] for x in m] == ["sev-snp", "tdx"], m
assert m[0]["digest"] == sys.argv[2] and m[0]["loader"] == "openvmm"
assert m[0]["id_block"] == {"present": True, "ld_match": False, "id_signature": False,
                            "author_signature": None}, m[0]["id_block"]
assert m[1]["digest"] == sys.argv[3]
assert m[1]["policy"] == "0x2"
assert m[1]["policy_fields"] == {"debug": False, "sept_ve_disable": True}
assert list(m[0].keys()) == ["name", "digest", "algorithm", "loader", "vcpus", "vmsa_count",
                             "vcpus_replicated", "policy", "policy_fields", "id_block"]
EOF
ok $? "--json: two platforms, ID block status, TDX policy fields, key order"
[ -s "$TMP/py" ] && sed 's/^/# /' "$TMP/py"

# --- bad input ---
run "$IGVMKIT" measure minimal_snp_v1.igvm --platform tdx
is "$rc" 5 "undeclared platform: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "undeclared platform: names the platforms the file has"
is "$(cat "$TMP/out")" "" "undeclared platform: no output"
run "$IGVMKIT" measure cca_aarch64_v2.igvm
is "$rc" 5 "no measurable platform: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: cca_aarch64_v2.igvm: no platform the file declares has a launch measurement (it declares: cca)" \
    "no measurable platform: message"
run "$IGVMKIT" measure no_file_data_v1.igvm
is "$rc" 3 "invalid file: exit 3"
is "$(cat "$TMP/err")" "igvmkit: error: no_file_data_v1.igvm: offset 0xC: the file data section is empty (variable headers end at the end of the file, 0x88); the reference parser requires at least one byte of file data" \
    "invalid file: the reader's message"
run "$IGVMKIT" measure minimal_snp_v1.igvm --platform sev-snpx
is "$rc" 2 "unknown platform: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit measure: --platform: unknown platform 'sev-snpx'; did you mean 'sev-snp'? (expected sev-snp, tdx, sev-es, sev, vbs or all)" \
    "unknown platform: message"
run "$IGVMKIT" measure minimal_snp_v1.igvm --platform native
is "$rc" 2 "platform without a measurement: exit 2"
run "$IGVMKIT" measure minimal_snp_v1.igvm --loader kvm
is "$rc" 2 "unknown loader: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit measure: --loader: unknown loader profile 'kvm' (expected qemu, qemu-classic, openvmm or qemu-8)" \
    "unknown loader: message"
run "$IGVMKIT" measure minimal_snp_v1.igvm --vcpus 0
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit measure: --vcpus needs a number from 1 to 65536, not '0'" "--vcpus 0 refused"
run "$IGVMKIT" measure minimal_snp_v1.igvm --vcpus 2
is "$rc:$(cat "$TMP/err")" "5:igvmkit: error: minimal_snp_v1.igvm: --vcpus 2: the file has no VP context (VMSA) to copy for the other vCPUs" \
    "--vcpus without a VMSA: exit 5"
run "$IGVMKIT" measure minimal_snp_v1.igvm --bare --json
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit measure: --bare and --json cannot be combined" "--bare --json refused"
run "$IGVMKIT" measure
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit measure: missing FILE" "missing FILE"
run "$IGVMKIT" measure "$TMP/does-not-exist.igvm"
is "$rc" 6 "missing file: exit 6"
run "$IGVMKIT" measure --help
is "$rc" 0 "--help: exit 0"
like "$TMP/out" "^Usage: igvmkit measure FILE" "--help: usage on stdout"

# A TDX file adding one GPA twice (built here): exit 3, located message.
"$PYTHON3" - "$TMP/dup.igvm" <<'EOF'
import struct, sys, zlib
hdrs = bytearray()
def h(t, b):
    global hdrs
    hdrs += struct.pack("<II", t, len(b)) + b + bytes(-len(b) % 8)
h(0x001, struct.pack("<IBBHQ", 1, 0, 3, 1, 0))
h(0x302, struct.pack("<QIIIHH", 0x1000, 1, 0, 0, 0, 0))
h(0x302, struct.pack("<QIIIHH", 0x1000, 1, 0, 2, 0, 0))
total = 24 + len(hdrs) + 1
fixed = struct.pack("<IIIIII", 0x4D564749, 1, 24, len(hdrs), total, 0)
crc = zlib.crc32(bytes(hdrs), zlib.crc32(fixed))
open(sys.argv[1], "wb").write(struct.pack("<IIIIII", 0x4D564749, 1, 24, len(hdrs), total, crc)
                              + hdrs + b"\0")
EOF
run "$IGVMKIT" measure "$TMP/dup.igvm"
is "$rc:$(cat "$TMP/out")" "3:" "TDX GPA added twice: exit 3, no report"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/dup.igvm: offset 0x50: header #2 (PAGE_DATA): GPA 0x1000 added twice (directives #1 and #2): the TDX module refuses a second TDH.MEM.PAGE.ADD" \
    "TDX GPA added twice: message names both directives"

done_testing
