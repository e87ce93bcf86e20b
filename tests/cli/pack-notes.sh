#!/bin/sh
# igvmkit pack: notes on stderr (what each platform binds and what it does
# not), guest policy warnings at the descriptor's line:column, --check-loader
# findings, --strict (exit 4, nothing written) and --quiet.
. "$top_srcdir/tests/cli/lib.sh"

W=$TMP/w
mkdir -p "$W"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$W/"
"$PYTHON3" - "$W/bzImage" <<'PY'
import struct, sys
b = bytearray(16384)
b[0x1f1] = 1
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x20f)
struct.pack_into("<I", b, 0x238, 2048)
open(sys.argv[1], "wb").write(bytes(b))
PY
cd "$W" || exit 1

# A debug policy with bit 17 clear, SEV-SNP and native.
cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
kernel: bzImage
vcpus: 2
platforms:
  sev-snp:
    policy: 0x80000
  native: {}
YAML
run "$IGVMKIT" pack guest.yaml -o out.igvm
is "$rc" 0 "warnings alone: exit 0"
is "$(cat "$TMP/err")" "igvmkit: note: guest.yaml:8:3: sev-snp: the launch digest binds the kernel by SHA-256 in the SNP kernel-hashes page (launch with exactly these -kernel/-initrd/-append) and 2 vCPUs (one VMSA each: launch with -smp 2)
igvmkit: note: guest.yaml:5:9: native: the kernel and vCPU count do not reach the file (it is the same without them): the firmware gets them from the loader at launch
igvmkit: warning: guest.yaml:9:13: sev-snp: SEV-SNP policy 0x80000 has bit 17 clear: the bit is reserved and must be 1, the firmware refuses SNP_LAUNCH_START (set 0x20000) [snp-policy-reserved]
igvmkit: warning: guest.yaml:9:13: sev-snp: SEV-SNP policy 0x80000 sets DEBUG (bit 19): the host can read and write guest memory with the debug commands [snp-policy-debug]" \
    "notes and policy warnings with line:column"
test -f out.igvm
ok $? "warnings alone: the file is written"

# lint reports the same policy findings on the packed file.
run "$IGVMKIT" lint out.igvm
is "$rc" 0 "lint: policy findings are warnings (exit 0)"
is "$(cat "$TMP/out")" "out.igvm: header #2 (GUEST_POLICY): warning: SEV-SNP policy 0x80000 has bit 17 clear: the bit is reserved and must be 1, the firmware refuses SNP_LAUNCH_START (set 0x20000) [snp-policy-reserved]
out.igvm: header #2 (GUEST_POLICY): warning: SEV-SNP policy 0x80000 sets DEBUG (bit 19): the host can read and write guest memory with the debug commands [snp-policy-debug]
out.igvm: 0 errors, 2 warnings for qemu" "lint: policy rules"
rm -f out.igvm

# --strict: the warnings fail the pack, nothing is written.
run "$IGVMKIT" pack guest.yaml -o out.igvm --strict --quiet --provenance p.json
is "$rc" 4 "--strict with warnings: exit 4"
is "$(cat "$TMP/err")" "igvmkit: warning: guest.yaml:9:13: sev-snp: SEV-SNP policy 0x80000 has bit 17 clear: the bit is reserved and must be 1, the firmware refuses SNP_LAUNCH_START (set 0x20000) [snp-policy-reserved]
igvmkit: warning: guest.yaml:9:13: sev-snp: SEV-SNP policy 0x80000 sets DEBUG (bit 19): the host can read and write guest memory with the debug commands [snp-policy-debug]
igvmkit: error: 2 warnings and --strict: nothing written" "--strict --quiet: warnings, then the refusal"
is "$(ls)" "bzImage
guest.yaml
snp_fw_kh.fd" "--strict: nothing written"

# TDX: debug and an undefined bit; --check-loader qemu adds that QEMU ignores TDX.
cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: raw
  path: snp_fw_kh.fd
vcpus: 4
platforms:
  tdx:
    policy: 0x5
YAML
run "$IGVMKIT" pack guest.yaml -o out.igvm --check-loader qemu --strict
is "$rc" 4 "tdx --check-loader qemu --strict: exit 4"
is "$(cat "$TMP/err")" "igvmkit: note: guest.yaml:5:8: tdx: the vCPU count does not reach the file (it is the same without it): the MRTD covers the firmware only; TDVF measures kernel, initrd and command line into RTMRs at boot (igvmkit measure --rtmr predicts them)
igvmkit: warning: guest.yaml:8:13: tdx: TDX policy 0x5 allows DEBUG (bit 0): the host can read and write TD private memory and state [tdx-policy-debug]
igvmkit: warning: guest.yaml:8:13: tdx: TDX policy sets bits 0x4 that IGVM does not define (bits 63:2 are reserved) [tdx-policy-unknown-bits]
igvmkit: warning: qemu: no platform QEMU can load: it uses SEV-SNP, SEV-ES, SEV or native [qemu-no-platform]
igvmkit: warning: qemu: header #0: QEMU does not load TDX from IGVM (TDX guests boot TDVF with -bios) [qemu-tdx]
igvmkit: error: 4 warnings and --strict: nothing written" "tdx: policy warnings and the loader's finding"
test ! -e out.igvm
ok $? "tdx --strict: nothing written"

# A raw firmware cannot bind a kernel for SEV-SNP: the refusal points at the kernel key.
cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: raw
  path: snp_fw_kh.fd
kernel: bzImage
platforms:
  sev-snp: {}
YAML
run "$IGVMKIT" pack guest.yaml -o out.igvm
is "$rc" 3 "raw firmware with a kernel for sev-snp: exit 3"
is "$(cat "$TMP/err")" "igvmkit: error: guest.yaml:5:9: kernel specified but the raw firmware snp_fw_kh.fd has no SNP_KERNEL_HASHES section, so SEV-SNP cannot measure it; use a firmware with the kernel-hashes table (edk2 OvmfPkg/AmdSev/AmdSevX64.dsc), firmware: {type: none} for direct boot, or drop sev-snp from platforms" \
    "raw firmware with a kernel: one line with line:column and the ways forward"
test ! -e out.igvm
ok $? "raw firmware with a kernel: nothing written"

run "$IGVMKIT" pack guest.yaml -o out.igvm --check-loader vmware
is "$rc" 2 "--check-loader vmware: exit 2"
is "$(cat "$TMP/err")" "igvmkit pack: --check-loader: unknown loader 'vmware' (expected qemu, cloud-hypervisor or openvmm)
Try 'igvmkit pack --help'." "--check-loader vmware: message"

done_testing
