#!/bin/sh
# igvmkit pack: input the packer refuses (firmware without the metadata a
# platform needs, a kernel that is not a bzImage, a command line too long),
# output paths that cannot be written, and usage errors.  Each checks the
# exit status, the exact message, and that no output file (nor a temporary
# file) was left behind; an existing output file stays untouched.
. "$top_srcdir/tests/cli/lib.sh"

W=$TMP/w
mkdir -p "$W"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$TESTDATA/snp/snp_kernel.bin" "$W/"
"$PYTHON3" - "$W/small-cmdline-bzImage" <<'PY'
import struct, sys
b = bytearray(16384)
b[0x1f1] = 1
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x20f)
struct.pack_into("<I", b, 0x238, 32)   # cmdline_size: the kernel takes 32 bytes
open(sys.argv[1], "wb").write(bytes(b))
PY
cd "$W" || exit 1
inputs="snp_fw_kh.fd snp_kernel.bin small-cmdline-bzImage guest.yaml"

# nothing_left NAME: only the inputs are in the directory.
nothing_left() {
    left=$(ls -A | grep -v -x -F "$(printf '%s\n' $inputs)" | tr '\n' ' ')
    is "$left" "" "$1: nothing written"
}

# check NAME STATUS WANT-STDERR ARGS...
check() {
    name=$1 status=$2 want=$3
    shift 3
    run "$IGVMKIT" pack "$@"
    is "$rc" "$status" "$name: exit status $status"
    is "$(cat "$TMP/err")" "$want" "$name: message"
    is "$(cat "$TMP/out")" "" "$name: nothing on stdout"
    nothing_left "$name"
}

cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
platforms:
  tdx: {}
YAML
check "TDX without TDVF metadata" 3 \
    "igvmkit: error: snp_fw_kh.fd: TDX needs TDVF metadata (GUID e47a6535-984a-4798-865e-4685a7bf8ec2) in the OVMF footer table; this firmware has none" \
    guest.yaml -o out.igvm

cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
kernel: snp_kernel.bin
platforms:
  sev-snp: {}
YAML
check "kernel that is not a bzImage" 3 \
    'igvmkit: error: snp_kernel.bin: offset 0x202: not an x86 bzImage (no "HdrS" setup header magic at offset 0x202)' \
    guest.yaml -o out.igvm

cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
kernel: small-cmdline-bzImage
cmdline: "console=ttyS0 root=/dev/vda1 ro quiet"
platforms:
  sev-snp: {}
YAML
check "command line longer than the kernel takes" 3 \
    "igvmkit: error: guest.yaml:6:10: command line is 37 bytes; the kernel accepts at most 32 (cmdline_size in its setup header)" \
    guest.yaml -o out.igvm

# Debian's OVMF has no SNP_KERNEL_HASHES section: a kernel cannot be bound for SEV-SNP.
if [ -r /usr/share/ovmf/OVMF.fd ]; then
    cp /usr/share/ovmf/OVMF.fd OVMF.fd
    inputs="$inputs OVMF.fd"
    cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: OVMF.fd
kernel: small-cmdline-bzImage
platforms:
  sev-snp: {}
YAML
    check "SEV-SNP kernel with firmware lacking SNP_KERNEL_HASHES" 3 \
        "igvmkit: error: guest.yaml:5:9: kernel specified but the OVMF metadata of OVMF.fd has no SNP_KERNEL_HASHES section, so SEV-SNP cannot measure it; use a firmware with the kernel-hashes table (edk2 OvmfPkg/AmdSev/AmdSevX64.dsc), firmware: {type: none} for direct boot, or drop sev-snp from platforms" \
        guest.yaml -o out.igvm
else
    for i in 1 2 3 4; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP /usr/share/ovmf/OVMF.fd not installed"; done
fi

# Output paths: a missing directory is an I/O error (6) naming the path.
cat >guest.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
platforms:
  sev-snp: {}
YAML
check "output in a missing directory" 6 \
    "igvmkit: error: $W/nodir/out.igvm: cannot create output: No such file or directory" \
    guest.yaml -o "$W/nodir/out.igvm"
check "provenance in a missing directory" 6 \
    "igvmkit: error: nodir/p.json: cannot create output: No such file or directory" \
    guest.yaml -o out.igvm --provenance nodir/p.json
check "output under a regular file" 6 \
    "igvmkit: error: guest.yaml/out.igvm: cannot create output: Not a directory" \
    guest.yaml -o guest.yaml/out.igvm

# A failed pack leaves an existing output file alone.
printf 'previous image\n' >out.igvm
inputs="$inputs out.igvm"
sed -i 's/sev-snp: {}/tdx: {}/' guest.yaml
run "$IGVMKIT" pack guest.yaml -o out.igvm --provenance p.json
is "$rc" 3 "failed pack over an existing file: exit status 3"
is "$(cat out.igvm)" "previous image" "failed pack over an existing file: file untouched"
nothing_left "failed pack over an existing file"

# Usage errors (exit 2).
check "no -o" 2 "igvmkit pack: missing -o OUT.igvm
Try 'igvmkit pack --help'." guest.yaml
check "no descriptor" 2 "igvmkit pack: missing DESCRIPTOR
Try 'igvmkit pack --help'." -o x.igvm
check "two descriptors" 2 "igvmkit pack: unexpected argument 'guest.yaml'
Try 'igvmkit pack --help'." guest.yaml guest.yaml -o x.igvm
check "--json without --measure" 2 "igvmkit pack: --json, --bare and --loader apply to --measure
Try 'igvmkit pack --help'." guest.yaml -o x.igvm --json
check "--json with --bare" 2 "igvmkit pack: --json and --bare are mutually exclusive
Try 'igvmkit pack --help'." guest.yaml -o x.igvm --measure --json --bare
check "unknown loader" 2 "igvmkit pack: --loader: unknown loader profile 'kvm' (expected qemu, qemu-classic, openvmm or qemu-8)
Try 'igvmkit pack --help'." guest.yaml -o x.igvm --measure --loader kvm
check "unknown option" 2 "igvmkit pack: unknown option '--sign'
Try 'igvmkit pack --help'." guest.yaml -o x.igvm --sign
check "provenance onto the image" 2 "igvmkit pack: --provenance and -o name the same file
Try 'igvmkit pack --help'." guest.yaml -o x.igvm --provenance x.igvm

run "$IGVMKIT" pack --help
is "$rc" 0 "--help: exit 0"
like "$TMP/out" "^Usage: igvmkit pack DESCRIPTOR.yaml -o OUT.igvm" "--help: usage line"

done_testing
