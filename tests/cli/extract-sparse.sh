#!/bin/sh
# igvmkit extract writes zero pages as holes and reports the sizes: a
# direct-boot SEV-SNP image of 1 GiB pre-validated RAM extracts into files
# that read back byte for byte (the SNP oracle recomputes the digest from
# them) but take the disk space of their data only.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
cd "$TMP" || exit 1
"$PYTHON3" "$top_srcdir/tests/tools/make-bzimage.py" vmlinuz
head -c 10000 /dev/zero | tr '\0' 'Z' >initrd.img
cat >guest.yaml <<EOT
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "console=ttyS0"
memory: 1G
vcpus: 1
platforms:
  sev-snp: {}
EOT
"$IGVMKIT" pack guest.yaml -o g.igvm || exit 1

run "$IGVMKIT" extract g.igvm --platform sev-snp -o snp
is "$rc" 0 "extract: exit 0"
is "$(cat "$TMP/err")" "" "extract: nothing on stderr"
is "$(cat "$TMP/out")" \
    "snp: 13 region files, 1073348608 bytes (110592 written, 1073238016 in holes)" \
    "extract reports region bytes, bytes written and bytes in holes"

# RAM [0, 0x9e000) + [1 MiB, 1 GiB) + secrets + CPUID = 1073348608 bytes; the
# region from the kernel end to the initrd, 0x100b000-0x3fffd000, is data-less.
big=snp/0x000000000100b000.bin
is "$(wc -c <"$big" | tr -d ' ')" 1056907264 "the zero region has its full size"
blocks=$(stat -c '%b %B' "$big" | awk '{ print $1 * $2 }')
[ "$blocks" -lt 1048576 ]
ok $? "the zero region takes less than 1 MiB of disk ($blocks bytes)"
cmp -s -n 1056907264 "$big" /dev/zero
ok $? "the zero region reads back as zeros"
total=0
for f in snp/*.bin; do
    total=$((total + $(stat -c '%b * %B' "$f")))
done
[ "$total" -lt 4194304 ]
ok $? "all region files take less than 4 MiB of disk ($total bytes)"

is "$("$PYTHON3" "$top_srcdir/tests/tools/snp-digest.py" --extract snp)" \
    "$("$IGVMKIT" measure --bare --platform sev-snp g.igvm | tr 'A-F' 'a-f')" \
    "the digest recomputed from the sparse files equals measure"

done_testing
