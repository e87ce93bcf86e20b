# igvmkit lint: the reference samples give the expected findings for each
# loader (exact lines), --json decodes, crafted files trip single rules,
# and files written by pack (and then signed) lint clean for every loader
# that supports their platforms.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"

skip_test() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# --- samples --------------------------------------------------------------------
cp "$TESTDATA/native_vbs_v2.igvm" "$TESTDATA/snp_tdx_v1.igvm" "$TESTDATA/minimal_snp_v1.igvm" \
    "$TESTDATA/cca_aarch64_v2.igvm" "$TMP/"
cd "$TMP" || exit 1

# native_vbs_v2 is not QEMU-loadable: every reason, in header order.
run "$IGVMKIT" lint native_vbs_v2.igvm --loader qemu
is "$rc" 4 "native_vbs_v2 for qemu: exit 4"
cat >"$TMP/want" <<'EOF'
native_vbs_v2.igvm: header #1 (SUPPORTED_PLATFORM): warning: QEMU ignores the vbs platform [qemu-platform-ignored]
native_vbs_v2.igvm: header #2 (RELOCATABLE_REGION): error: QEMU has no handler for RELOCATABLE_REGION (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #3 (PAGE_TABLE_RELOCATION_REGION): error: QEMU has no handler for PAGE_TABLE_RELOCATION_REGION (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #8 (PARAMETER_AREA): warning: QEMU ignores the initial data of parameter area 0 and starts it zeroed [qemu-parameter-area-data]
native_vbs_v2.igvm: header #9 (COMMAND_LINE): error: QEMU has no handler for COMMAND_LINE (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #11 (DEVICE_TREE): error: QEMU has no handler for DEVICE_TREE (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #13 (SRAT): error: QEMU has no handler for SRAT (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #14 (MADT): warning: MADT is handled only by QEMU 11.0 and later; QEMU 10.x refuses it [qemu-madt]
native_vbs_v2.igvm: header #15 (SLIT): error: QEMU has no handler for SLIT (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #16 (PPTT): error: QEMU has no handler for PPTT (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #17 (MMIO_RANGES): error: QEMU has no handler for MMIO_RANGES (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: header #22 (VP_CONTEXT): warning: native VP context: QEMU 11.0 and later load it for vp_index 0 only; older QEMU refuses VP contexts without SEV-ES/SNP [qemu-vp-native]
native_vbs_v2.igvm: header #24 (VBS_MEASUREMENT): error: QEMU has no handler for VBS_MEASUREMENT (whatever its mask) and refuses the file [qemu-header-type]
native_vbs_v2.igvm: 9 errors, 4 warnings for qemu
EOF
cmp -s "$TMP/want" "$TMP/out"
ok $? "native_vbs_v2 for qemu: exact findings"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/out" | sed 's/^/# /'

run "$IGVMKIT" lint native_vbs_v2.igvm --loader cloud-hypervisor
is "$rc" 4 "native_vbs_v2 for cloud-hypervisor: exit 4"
like "$TMP/out" '^native_vbs_v2.igvm: header #0 \(SUPPORTED_PLATFORM\): error: the first platform header is native; cloud-hypervisor reads only the first one and requires SEV-SNP \[ch-snp-first\]$' \
    "cloud-hypervisor: SNP must come first"
like "$TMP/out" '^native_vbs_v2.igvm: header #23 \(VP_CONTEXT\): error: cloud-hypervisor does not implement VBS VP contexts \(todo!\(\)\) \[ch-header-type\]$' \
    "cloud-hypervisor: VBS VP context"
like "$TMP/out" '^native_vbs_v2.igvm: 4 errors, 7 warnings for cloud-hypervisor$' "cloud-hypervisor: totals"
run "$IGVMKIT" lint native_vbs_v2.igvm --loader openvmm
is "$rc:$(cat "$TMP/out")" "0:native_vbs_v2.igvm: 0 errors, 0 warnings for openvmm" \
    "native_vbs_v2 for openvmm: clean"

run "$IGVMKIT" lint snp_tdx_v1.igvm
is "$rc" 0 "snp_tdx_v1 for qemu (default loader): warnings only, exit 0"
is "$(cat "$TMP/out")" "snp_tdx_v1.igvm: header #1 (SUPPORTED_PLATFORM): warning: QEMU does not load TDX from IGVM (TDX guests boot TDVF with -bios); the TDX platform is ignored [qemu-tdx]
snp_tdx_v1.igvm: 0 errors, 1 warning for qemu" "snp_tdx_v1: TDX next to SNP is a warning"
run "$IGVMKIT" lint "$TESTDATA/tdx/tdx_openvmm_test.igvm" --loader qemu
is "$rc" 4 "TDX-only file for qemu: exit 4"
like "$TMP/out" 'header #0 \(SUPPORTED_PLATFORM\): error: QEMU does not load TDX from IGVM \(TDX guests boot TDVF with -bios\) \[qemu-tdx\]$' \
    "TDX-only: the TDX finding is an error"
like "$TMP/out" ': error: no platform QEMU can load: it uses SEV-SNP, SEV-ES, SEV or native \[qemu-no-platform\]$' \
    "TDX-only: no usable platform"
run "$IGVMKIT" lint minimal_snp_v1.igvm --loader cloud-hypervisor
is "$rc:$(cat "$TMP/out")" "0:minimal_snp_v1.igvm: 0 errors, 0 warnings for cloud-hypervisor" \
    "minimal_snp_v1 for cloud-hypervisor: clean"

run "$IGVMKIT" lint cca_aarch64_v2.igvm --json --loader openvmm
is "$rc" 4 "--json: exit 4 on errors"
"$PYTHON3" - "$TMP/out" >"$TMP/json.txt" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["loader"], d["errors"], d["warnings"])
for f in d["findings"]:
    print(f["severity"], f["index"], f["header_type"], f["rule"])
EOF
is "$(cat "$TMP/json.txt")" "1 openvmm 1 1
error None None openvmm-no-platform
warning 0 SUPPORTED_PLATFORM openvmm-platform-ignored" "--json decodes: loader, counts, findings"

# --- crafted files: one broken rule each (CRC fixed up) ------------------------
# patch IN OUT OFFSET FORMAT VALUE: pack VALUE at OFFSET, recompute the CRC.
patch() {
    "$PYTHON3" - "$@" <<'EOF'
import struct, sys
import zlib
src, dst, off, fmt, val = sys.argv[1:6]
b = bytearray(open(src, "rb").read())
struct.pack_into(fmt, b, int(off, 0), int(val, 0))
struct.pack_into("<I", b, 20, 0)
voff, vsize = struct.unpack_from("<II", b, 8)
hdr = 32 if struct.unpack_from("<I", b, 4)[0] == 2 else 24
struct.pack_into("<I", b, 20, zlib.crc32(bytes(b[:hdr]) + bytes(b[voff:voff + vsize])))
open(dst, "wb").write(b)
EOF
}
# minimal_snp_v1: header #2 is PAGE_DATA at 0x48 (body 0x50): flags at 0x50+16.
patch minimal_snp_v1.igvm twomb.igvm 0x60 '<I' 1
run "$IGVMKIT" lint twomb.igvm
is "$rc" 0 "IS_2MB_PAGE: warning only"
like "$TMP/out" '^twomb.igvm: header #2 \(PAGE_DATA\): warning: IS_2MB_PAGE: .* \[qemu-page-2mb\]$' \
    "IS_2MB_PAGE flagged at header #2"

# --- pack output lints clean ------------------------------------------------
cp "$TESTDATA/snp/snp_fw_kh.fd" "$TESTDATA/snp/snp_initrd.bin" "$TMP/"
"$PYTHON3" - bzImage <<'EOF'
import struct, sys
b = bytearray(16384)
b[0x1f1] = 1
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x20f)
struct.pack_into("<I", b, 0x238, 2048)
open(sys.argv[1], "wb").write(bytes(b))
EOF
cat >snp.yaml <<'EOF'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
kernel: bzImage
initrd: snp_initrd.bin
cmdline: "console=ttyS0 loglevel=7"
vcpus: 2
memory: 1G
platforms:
  native: {}
  sev-snp:
    vcpu-type: EPYC-Milan
    policy: 0x30000
EOF
run "$IGVMKIT" pack snp.yaml -o snp.igvm
is "$rc" 0 "pack an SEV-SNP + native descriptor"
for loader in qemu cloud-hypervisor openvmm; do
    run "$IGVMKIT" lint snp.igvm --loader $loader
    is "$rc:$(cat "$TMP/out")" "0:snp.igvm: 0 errors, 0 warnings for $loader" \
        "packed SEV-SNP file lints clean for $loader"
done
run "$IGVMKIT" lint snp.yaml --loader qemu
is "$rc" 0 "lint takes the descriptor itself"
# Signing appends the ID block after the VMSAs: still clean for QEMU.
if command -v openssl >/dev/null 2>&1; then
    openssl ecparam -name secp384r1 -genkey -noout -out id.pem 2>/dev/null
    "$IGVMKIT" sign snp.igvm -o signed.igvm --id-key id.pem >/dev/null
    run "$IGVMKIT" lint signed.igvm --loader qemu
    is "$rc:$(cat "$TMP/out")" "0:signed.igvm: 0 errors, 0 warnings for qemu" \
        "packed and signed file lints clean for qemu"
    # A VMSA moved into guest RAM: find the first VP_CONTEXT and patch its GPA.
    off=$("$PYTHON3" - signed.igvm <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
off, end = struct.unpack_from("<I", b, 8)[0], sum(struct.unpack_from("<II", b, 8))
while off < end:
    t, n = struct.unpack_from("<II", b, off)
    if t == 0x304:
        print(off + 8)
        break
    off += (8 + n + 7) & ~7
EOF
)
    patch signed.igvm lowvmsa.igvm "$off" '<Q' 0x800000
    run "$IGVMKIT" lint lowvmsa.igvm --loader qemu
    is "$rc" 4 "VMSA in guest RAM: exit 4"
    like "$TMP/out" ': error: sev-snp VMSA at GPA 0x800000; QEMU requires 0xfffffffff000 \[qemu-vmsa-gpa\]$' \
        "VMSA in guest RAM: qemu-vmsa-gpa"
else
    skip_test "openssl(1) not installed"
    skip_test "openssl(1) not installed"
    skip_test "openssl(1) not installed"
fi
if [ -r /usr/share/ovmf/OVMF.fd ]; then
    cp /usr/share/ovmf/OVMF.fd "$TMP/"
    printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\nmemory: 1G\nplatforms:\n  tdx: {}\n  native: {}\n' >tdx.yaml
    "$IGVMKIT" pack tdx.yaml -o tdx.igvm
    run "$IGVMKIT" lint tdx.igvm --loader openvmm
    is "$rc:$(cat "$TMP/out")" "0:tdx.igvm: 0 errors, 0 warnings for openvmm" \
        "packed TDX + native file lints clean for openvmm"
    run "$IGVMKIT" lint tdx.igvm --loader qemu
    is "$rc" 0 "packed TDX + native file for qemu: the native platform is usable"
else
    skip_test "Debian ovmf not installed"
    skip_test "Debian ovmf not installed"
fi

# --- usage ------------------------------------------------------------------
run "$IGVMKIT" lint minimal_snp_v1.igvm --loader xen
is "$rc" 2 "unknown loader: exit 2"
is "$(head -1 "$TMP/err")" "igvmkit lint: --loader: unknown loader 'xen' (expected qemu, cloud-hypervisor or openvmm)" \
    "unknown loader: message"
run "$IGVMKIT" lint "$TESTDATA/no_file_data_v1.igvm"
is "$rc" 3 "invalid IGVM: exit 3"

done_testing
