#!/bin/sh
# igvmkit pack: every class of descriptor error reaches the user as
# "igvmkit: error: FILE:LINE:COLUMN: message" with exit status 3, and no
# output file (nor a temporary one) is left behind.
. "$top_srcdir/tests/cli/lib.sh"

W=$TMP/w
mkdir -p "$W/boot"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$W/fw.fd"
cd "$W" || exit 1

# check NAME WANT-STDERR: packs guest.yaml (written by the caller) and checks the failure.
check() {
    run "$IGVMKIT" pack guest.yaml -o out.igvm
    is "$rc" 3 "$1: exit status 3"
    is "$(cat "$TMP/err")" "$2" "$1: message"
    is "$(ls -A "$W" | grep -v -e '^boot$' -e '^fw.fd$' -e '^guest.yaml$' | tr '\n' ' ')" "" \
        "$1: nothing written"
    rm -f out.igvm
}

head='version: 1
firmware:
  type: ovmf
  path: fw.fd'

printf '%s\nplatforms:\n  sev-snp:\n    vcpu: 4\n' "$head" >guest.yaml
check "unknown key" "igvmkit: error: guest.yaml:7:5: unknown key 'vcpu' in platforms.sev-snp (allowed: policy, vcpu-type, vcpu-sig, vmm, guest-features, prevalidate, id-block, svsm); did you mean the top-level key 'vcpus'?"

printf '%s\nvcpus: {n: 2}\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "mapping where a scalar belongs" "igvmkit: error: guest.yaml:5:8: 'vcpus' must be an integer, not a mapping"

printf '%s\nvcpus: 600\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "vcpus out of range" "igvmkit: error: guest.yaml:5:8: 'vcpus' 600 is out of range (1..512)"

printf '%s\nmemory: 16777217B\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "memory not page aligned" "igvmkit: error: guest.yaml:5:9: 'memory' 16777217B is not a multiple of 4 KiB"

printf '%s\nmemory: 4M\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "memory too small" "igvmkit: error: guest.yaml:5:9: 'memory' 4M is below the minimum of 16 MiB"

printf '%s\nplatforms:\n  sev-snp: {policy: 0x1ffffffffffffffff}\n' "$head" >guest.yaml
check "policy beyond 64 bits" "igvmkit: error: guest.yaml:6:21: 'policy' must be an integer (decimal or 0x-hex, a 64-bit value), not '0x1ffffffffffffffff'"

printf '%s\nplatforms:\n  sev-snp: {vcpu-sig: 0x1a00f1100}\n' "$head" >guest.yaml
check "vcpu-sig beyond 32 bits" "igvmkit: error: guest.yaml:6:23: 'vcpu-sig' 0x1a00f1100 is out of range (a 32-bit CPUID signature)"

printf '%s\nplatforms:\n  sev-snp: {vcpu-type: EPYC-Milan-v3}\n' "$head" >guest.yaml
check "unknown vcpu-type" "igvmkit: error: guest.yaml:6:24: unknown vcpu-type 'EPYC-Milan-v3' (allowed: EPYC, EPYC-v1, EPYC-v2, EPYC-v3, EPYC-v4, EPYC-IBPB, EPYC-Rome, EPYC-Rome-v1, EPYC-Rome-v2, EPYC-Rome-v3, EPYC-Milan, EPYC-Milan-v1, EPYC-Milan-v2, EPYC-Genoa, EPYC-Genoa-v1, EPYC-Turin; or give vcpu-sig)"

printf '%s\nplatforms:\n  sev-snp: {vcpu-type: EPYC, vcpu-sig: 0x800f12}\n' "$head" >guest.yaml
check "vcpu-type and vcpu-sig" "igvmkit: error: guest.yaml:6:30: give either vcpu-type or vcpu-sig, not both (vcpu-type names a model whose signature is known)"

printf '%s\nplatforms:\n  sev-snp: {vmm: azure}\n' "$head" >guest.yaml
check "unknown vmm" "igvmkit: error: guest.yaml:6:18: unknown vmm 'azure' (allowed: qemu, ec2, gce)"

printf '%s\nplatforms: {}\n' "$head" >guest.yaml
check "empty platforms" "igvmkit: error: guest.yaml:5:12: 'platforms' must name at least one platform (sev-snp, tdx, native, sev-es, sev)"

printf '%s\nplatforms:\n  native: {}\n  native: {}\n' "$head" >guest.yaml
check "duplicate key" "igvmkit: error: guest.yaml:7:3: duplicate key 'native' (first given at line 6)"

printf 'version: 1\nfirmware:\n  path: fw.fd\nplatforms: {native: {}}\n' >guest.yaml
check "missing firmware type" "igvmkit: error: guest.yaml:3:3: missing required key 'type' in firmware (ovmf, raw or none)"

printf 'version: 1\nfirmware:\n  type: raw\nplatforms: {native: {}}\n' >guest.yaml
check "missing firmware path" "igvmkit: error: guest.yaml:3:3: missing required key 'path' in firmware (required unless type is none)"

printf 'version: 1\nfirmware:\n  type: none\nplatforms: {native: {}}\n' >guest.yaml
check "type none without kernel" "igvmkit: error: guest.yaml:3:9: firmware type none (direct Linux boot) needs a 'kernel'"

printf 'version: 1\nfirmware:\n  type: raw\n  path: fw.fd\n  vars: fw.fd\nplatforms: {native: {}}\n' >guest.yaml
check "vars with raw firmware" "igvmkit: error: guest.yaml:5:3: 'vars' is only allowed with firmware type ovmf, not raw"

printf '%s\n  gpa: 0xfffe0000\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "gpa with ovmf firmware" "igvmkit: error: guest.yaml:5:3: 'gpa' is only allowed with firmware type raw, not ovmf"

printf '%s\nkernel: vmlinuz\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "missing kernel file" "igvmkit: error: guest.yaml:5:9: cannot open kernel 'vmlinuz': No such file or directory"

printf '%s\ninitrd: boot\nplatforms: {native: {}}\n' "$head" >guest.yaml
check "initrd is a directory" "igvmkit: error: guest.yaml:5:9: initrd 'boot' is a directory, not a file"

printf '%s\nplatforms:\n  sev-snp:\n    id-block:\n      id-key: fw.fd\n      image-id: 1234-5678\n' "$head" >guest.yaml
check "malformed UUID" "igvmkit: error: guest.yaml:9:17: 'image-id' must be a UUID like 01234567-89ab-cdef-0123-456789abcdef, not '1234-5678'"

printf '%s\nplatforms:\n  native: {\n' "$head" >guest.yaml
check "YAML syntax" "igvmkit: error: guest.yaml:7:1: invalid YAML: did not find expected node content while parsing a flow node"

printf 'version: 2\n' >guest.yaml
check "version 2" "igvmkit: error: guest.yaml:1:10: unsupported descriptor version 2 (this igvmkit reads version: 1)"

# The descriptor's own path, as given on the command line, prefixes the message.
printf '%s\nvcpus: 0\nplatforms: {native: {}}\n' "$head" >guest.yaml
cd "$TMP" || exit 1
run "$IGVMKIT" pack w/guest.yaml -o w/out.igvm
is "$rc" 3 "relative descriptor path: exit status 3"
is "$(cat "$TMP/err")" "igvmkit: error: w/guest.yaml:5:8: 'vcpus' 0 is out of range (1..512)" \
    "relative descriptor path: message names w/guest.yaml"
test ! -e w/out.igvm
ok $? "relative descriptor path: nothing written"

# Files resolve against the descriptor's directory, and the message says where.
printf '%s\nkernel: vmlinuz\nplatforms: {native: {}}\n' "$head" >w/guest.yaml
run "$IGVMKIT" pack w/guest.yaml -o w/out.igvm
is "$rc" 3 "missing file from another directory: exit status 3"
is "$(cat "$TMP/err")" "igvmkit: error: w/guest.yaml:5:9: cannot open kernel 'vmlinuz' (resolved to 'w/vmlinuz'): No such file or directory" \
    "missing file from another directory: message shows the resolved path"

run "$IGVMKIT" pack w/missing.yaml -o w/out.igvm
is "$rc" 6 "missing descriptor: exit status 6"
like "$TMP/err" "^igvmkit: error: w/missing.yaml: .*No such file or directory$" "missing descriptor: message"

done_testing
