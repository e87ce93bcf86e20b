#!/bin/sh
# Direct Linux boot (firmware type none) through the CLI, on a synthetic
# bzImage made here (no download): the SNP digest against the independent
# oracle tests/tools/snp-digest.py, reproducibility from two directories,
# read-back equality, and every refused input with its exit status, exact
# message and no output file.
. "$top_srcdir/tests/cli/lib.sh"

ORACLE="$top_srcdir/tests/tools/snp-digest.py"
[ "$PYTHON3" != false ] || skip_all "python3 not found"

# make_kernel OUT [PROTOCOL] [CMDLINE_SIZE] [INIT_SIZE]: the synthetic bzImage.
make_kernel() {
    "$PYTHON3" "$top_srcdir/tests/tools/make-bzimage.py" "$@"
}

# descriptor DIR [EXTRA-PLATFORM-LINES] -- writes DIR/guest.yaml
descriptor() {
    cat >"$1/guest.yaml" <<EOF
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "${CMDLINE:-console=ttyS0 quiet}"
memory: ${MEMORY:-64M}
vcpus: ${VCPUS:-2}
platforms:
  native: {}
  sev-snp: {${SNP_OPTS:-}}
${2:-}
EOF
}

mkdir -p "$TMP/a" "$TMP/b/deeper"
make_kernel "$TMP/a/vmlinuz"
head -c 10000 /dev/zero | tr '\0' 'Z' >"$TMP/a/initrd.img"
descriptor "$TMP/a"

# ---- pack, reproducibility, read-back ----
run "$IGVMKIT" pack "$TMP/a/guest.yaml" -o "$TMP/a/out.igvm"
is "$rc" 0 "pack native + sev-snp direct boot"
cp "$TMP/a/vmlinuz" "$TMP/a/initrd.img" "$TMP/a/guest.yaml" "$TMP/b/deeper/"
(cd "$TMP/b" && "$IGVMKIT" pack deeper/guest.yaml -o other.igvm) >/dev/null 2>&1
cmp -s "$TMP/a/out.igvm" "$TMP/b/other.igvm"
ok $? "packing from another directory gives identical bytes"

run "$IGVMKIT" measure --bare --platform sev-snp "$TMP/a/out.igvm"
is "$rc" 0 "measure the direct-boot file"
ours=$(tr 'A-F' 'a-f' <"$TMP/out")
oracle=$("$PYTHON3" "$ORACLE" --igvm "$TMP/a/out.igvm")
is "$ours" "$oracle" "SNP digest (qemu) matches the independent PAGE_INFO chain"
run "$IGVMKIT" measure --bare --platform sev-snp --loader qemu-classic "$TMP/a/out.igvm"
ours=$(tr 'A-F' 'a-f' <"$TMP/out")
oracle=$("$PYTHON3" "$ORACLE" --profile qemu-classic --igvm "$TMP/a/out.igvm")
is "$ours" "$oracle" "SNP digest (qemu-classic) matches the independent chain"
run "$IGVMKIT" measure --bare --platform sev-snp --loader openvmm "$TMP/a/out.igvm"
ours=$(tr 'A-F' 'a-f' <"$TMP/out")
oracle=$("$PYTHON3" "$ORACLE" --igvm "$TMP/a/out.igvm")
is "$ours" "$oracle" "SNP digest (openvmm: no shared pages here) matches too"

# The same chain from `extract --platform sev-snp` output (regions.json,
# region files, VMSA files) instead of the oracle's own IGVM parser.
run "$IGVMKIT" extract "$TMP/a/out.igvm" --platform sev-snp -o "$TMP/a/snp"
is "$rc" 0 "extract --platform sev-snp"
from_extract=$("$PYTHON3" "$ORACLE" --extract "$TMP/a/snp")
is "$from_extract" "$oracle" "SNP digest recomputed from the extracted regions and VMSAs"
"$PYTHON3" - "$TMP/a/snp/regions.json" >"$TMP/vmsas" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(" ".join("%d@%#x" % (v["vp_index"], v["gpa"]) for v in m["vp_contexts"]))
PY
is "$(cat "$TMP/vmsas")" "0@0xfffffffff000 1@0xfffffffff000" "one VMSA per vCPU at KVM's VMSA GPA"

# explain names the regions of a direct-boot image.
run "$IGVMKIT" explain "$TMP/a/out.igvm" --platform sev-snp
is "$rc" 0 "explain the direct-boot file"
for want in "0x0000000000001000 .* gdt" "0x0000000000002000 .* page tables" \
    "0x0000000000009000 .* boot_params" "0x000000000000a000 .* cc blob" \
    "0x0000000000020000 .* cmdline" "0x000000000009e000 +secrets .* secrets" \
    "0x000000000009f000 +cpuid .* cpuid" "0x0000000001000000 .* kernel" \
    "0x0000000003ffd000 .* initrd" "vmsa vp 1 .* vmsa"; do
    like "$TMP/out" "$want\$" "explain labels: $want"
done

run "$IGVMKIT" measure --bare --platform sev-snp "$TMP/a/guest.yaml"
from_yaml=$(tr 'A-F' 'a-f' <"$TMP/out")
is "$from_yaml" "$oracle" "measure of the descriptor equals measure of the written file"
# measure and explain pack the descriptor lean (pages generated as they are
# walked); export needs every header: both agree with the file.
run "$IGVMKIT" explain "$TMP/a/out.igvm" --platform sev-snp
cp "$TMP/out" "$TMP/explain-file"
run "$IGVMKIT" explain "$TMP/a/guest.yaml" --platform sev-snp
is "$rc" 0 "explain the descriptor"
cmp -s "$TMP/out" "$TMP/explain-file"
ok $? "explain of the descriptor: the same steps as of the file"
run "$IGVMKIT" export "$TMP/a/out.igvm" --format json
cp "$TMP/out" "$TMP/export-file"
run "$IGVMKIT" export "$TMP/a/guest.yaml" --format json
is "$rc" 0 "export the descriptor"
# The launch commands differ by design (a descriptor states -m and the name).
is "$("$PYTHON3" -c 'import json,sys
a,b=(json.load(open(f)) for f in sys.argv[1:])
for d in (a,b): d.pop("file"); d.pop("launch")
print(a == b)' "$TMP/out" "$TMP/export-file")" True \
    "export of the descriptor: the file's sizes and digests (launch commands aside)"

# ---- refusals: exit status, exact message, no output file ----
# refuse NAME EXIT MESSAGE -- packs $TMP/c/guest.yaml into $TMP/c/out.igvm
refuse() {
    rm -f "$TMP/c/out.igvm"
    run "$IGVMKIT" pack "$TMP/c/guest.yaml" -o "$TMP/c/out.igvm"
    is "$rc" "$2" "$1: exit status $2"
    is "$(cat "$TMP/err")" "igvmkit: error: $3" "$1: message"
    [ ! -e "$TMP/c/out.igvm" ]
    ok $? "$1: no output file"
}

mkdir -p "$TMP/c"
cp "$TMP/a/initrd.img" "$TMP/c/"
head -c 70000 /dev/urandom >"$TMP/c/vmlinuz"
descriptor "$TMP/c"
refuse "not a bzImage" 3 \
    "vmlinuz: offset 0x202: not a bzImage: no \"HdrS\" setup header signature at offset 0x202"

make_kernel "$TMP/c/vmlinuz" 0x20B
refuse "boot protocol 2.11" 3 \
    "vmlinuz: offset 0x206: kernel boot protocol 2.11 is too old: direct boot needs 2.12 or later (a 64-bit entry point announced in xloadflags)"

make_kernel "$TMP/c/vmlinuz" 0x20F 10
refuse "command line longer than cmdline_size" 3 \
    "$TMP/c/guest.yaml:5:10: command line is 19 bytes, longer than the kernel's cmdline_size of 10 bytes"

make_kernel "$TMP/c/vmlinuz" 0x20F 0x7FF 0x8000000
refuse "kernel larger than memory" 3 \
    "$TMP/c/guest.yaml:6:9: kernel does not fit in memory: loaded at 0x1000000 it needs 134217728 bytes (init_size), up to 0x9000000, but low RAM ends at 0x4000000"

make_kernel "$TMP/c/vmlinuz"
head -c 60000000 /dev/zero >"$TMP/c/initrd.img"
refuse "initrd larger than memory" 3 \
    "$TMP/c/guest.yaml:4:9: initrd does not fit in memory: 60000000 bytes must lie between the kernel's end at 0x1100000 and 0x4000000"

cp "$TMP/a/initrd.img" "$TMP/c/"
descriptor "$TMP/c" "  tdx: {}"
refuse "tdx with firmware type none" 5 \
    "$TMP/c/guest.yaml:11:3: direct boot for TDX needs a reset-page trampoline and memory acceptance; not supported"

SNP_OPTS="prevalidate: 128M" descriptor "$TMP/c"
refuse "prevalidate larger than memory" 3 \
    "$TMP/c/guest.yaml:10:26: sev-snp prevalidate (134217728 bytes) is larger than memory (67108864 bytes)"

done_testing
