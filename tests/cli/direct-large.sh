#!/bin/sh
# Large direct-boot guests (firmware type none): a 64 GiB SEV-SNP + native
# guest packs with headers under 16 MiB (only what the guest needs is
# pre-validated), reads back with every reader, measures the same from the
# file and from the descriptor, and its SNP memory map lists exactly the
# pre-validated RAM; too much prevalidate or memory is refused with the
# limit, exit 3 and no output file.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
ORACLE="$top_srcdir/tests/tools/snp-digest.py"

cd "$TMP" || exit 1
"$PYTHON3" "$top_srcdir/tests/tools/make-bzimage.py" vmlinuz
head -c 10000 /dev/zero | tr '\0' 'Z' >initrd.img

# descriptor MEMORY [SNP-OPTIONS]
descriptor() {
    cat >guest.yaml <<EOT
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "console=ttyS0"
memory: $1
vcpus: 2
platforms:
  native: {}
  sev-snp: {${2:-}}
EOT
}

# e820 FILE MASK: the e820 map of the boot_params page (GPA 0x9000) the
# platform with MASK loads, as "ADDR-END:TYPE ..." (parsed here with struct).
e820() {
    "$PYTHON3" - "$1" "$2" <<'PY'
import struct, sys
blob = open(sys.argv[1], "rb").read()
mask = int(sys.argv[2], 0)
_, _, off, size = struct.unpack_from("<IIII", blob, 0)
end = off + size
while off < end:
    htype, hlen = struct.unpack_from("<II", blob, off)
    if htype == 0x302:
        gpa, m, data = struct.unpack_from("<QII", blob, off + 8)
        if gpa == 0x9000 and m == mask:
            n = blob[data + 0x1E8]
            out = []
            for i in range(n):
                a, s, t = struct.unpack_from("<QQI", blob, data + 0x2D0 + 20 * i)
                out.append("%#x-%#x:%d" % (a, a + s, t))
            print(" ".join(out))
            break
    off += 8 + ((hlen + 7) & ~7)
PY
}

# ---- 64 GiB with the default prevalidation ----
descriptor 64G
run "$IGVMKIT" pack guest.yaml -o g64.igvm
is "$rc" 0 "pack a 64 GiB direct-boot guest"
run "$IGVMKIT" inspect --all g64.igvm
is "$rc" 0 "inspect reads it back"
is "$(grep -E '^(header_count|variable_header_size):' "$TMP/out" | tr '\n' ' ')" \
    "variable_header_size: 0x8037a8 header_count: 262590 " \
    "262590 headers in 8.0 MiB (under 16 MiB)"
run "$IGVMKIT" lint --loader qemu g64.igvm
is "$rc" 0 "lint --loader qemu: no errors"
is "$(e820 g64.igvm 0x1)" "0x0-0x9e000:1 0x9e000-0xa0000:2 0x100000-0x40200000:1" \
    "SNP e820: 1 GiB + 2 MiB (initrd room) of pre-validated RAM, nothing else"
is "$(e820 g64.igvm 0x2)" \
    "0x0-0xb000:1 0xb000-0xc000:3 0xc000-0xa0000:1 0x100000-0x80000000:1 0x100000000-0x1080000000:1" \
    "native e820: all 64 GiB, the ACPI tables' page typed ACPI"

run "$IGVMKIT" measure --bare --platform sev-snp g64.igvm
from_file=$(tr 'A-F' 'a-f' <"$TMP/out")
run "$IGVMKIT" measure --bare --platform sev-snp guest.yaml
from_yaml=$(tr 'A-F' 'a-f' <"$TMP/out")
is "$from_yaml" "$from_file" "measure guest.yaml = measure g64.igvm"
is "$("$PYTHON3" "$ORACLE" --igvm g64.igvm)" "$from_file" \
    "the digest matches the independent PAGE_INFO chain"

# ---- explicit prevalidate: 2 GiB packs and measures the same both ways ----
descriptor 64G "prevalidate: 2G"
run "$IGVMKIT" pack guest.yaml -o p2.igvm
is "$rc" 0 "pack with prevalidate: 2G"
is "$(e820 p2.igvm 0x1)" "0x0-0x9e000:1 0x9e000-0xa0000:2 0x100000-0x80000000:1" \
    "SNP e820 with prevalidate: 2G"
run "$IGVMKIT" measure --bare --platform sev-snp p2.igvm
from_file=$(cat "$TMP/out")
run "$IGVMKIT" measure --bare --platform sev-snp guest.yaml
is "$(cat "$TMP/out")" "$from_file" "prevalidate 2G: measure guest.yaml = measure FILE"

# ---- refusals: exit 3, the limit and what to change, no output ----
refuse() { # NAME MESSAGE
    rm -f out.igvm
    run "$IGVMKIT" pack guest.yaml -o out.igvm
    is "$rc" 3 "$1: exit status 3"
    is "$(sed 's/^\(igvmkit: error: guest.yaml\):[0-9]*:[0-9]*:/\1:/' "$TMP/err")" \
        "igvmkit: error: guest.yaml: $2" "$1: message"
    [ ! -e out.igvm ] && [ -z "$(ls -A | grep -v -e '^vmlinuz$' -e '^initrd.img$' \
        -e '^guest.yaml$' -e '\.igvm$' -e '^out$' -e '^err$')" ]
    ok $? "$1: no output or temporary file"
}

descriptor 64G "prevalidate: 64G"
refuse "prevalidate 64G: more headers than a reader accepts" \
    "sev-snp prevalidate of 68719476736 bytes needs 16777248 headers, more than the 4194304 an IGVM reader accepts (one per 4 KiB of pre-validated RAM); set platforms.sev-snp.prevalidate to at most 17177772032 bytes (16382M)"

# The descriptor's memory limit (16 TiB) comes before the layout's C-bit limit.
descriptor 3000T
refuse "memory beyond its limit" \
    "'memory' 3000T is more than the limit 'memory' of 16 TiB"

done_testing
