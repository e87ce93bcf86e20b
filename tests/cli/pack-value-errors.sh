#!/bin/sh
# Packer refusals about a value the descriptor gave carry the descriptor's
# file:line:column of that key (issue 12 item 14): an initrd or command line
# without a kernel, the SVSM combinations, a vars-size that fills the flash
# window, and prevalidate's header budget.  Each: exact message, exit 3, and
# no output file.  (Direct-boot layout refusals -- kernel, initrd, command
# line and prevalidate against memory -- are in direct-pack.sh, the kernel's
# cmdline_size through the firmware path in pack-errors.sh.)
. "$top_srcdir/tests/cli/lib.sh"

mkdir "$TMP/w" && cd "$TMP/w" || exit 1
cp "$TESTDATA/snp/snp_fw_kh.fd" OVMF.fd
cp "$TESTDATA/sev-snp-measure/ovmf_AmdSev_suffix.bin" amd.bin
head -c 8192 /dev/zero >svsm.bin
head -c 4096 /dev/zero >initrd.img

refuse() { # NAME MESSAGE
    rm -f out.igvm
    run "$IGVMKIT" pack guest.yaml -o out.igvm
    is "$rc" 3 "$1: exit 3"
    is "$(cat "$TMP/err")" "igvmkit: error: $2" "$1: message"
    is "$(ls -A | grep -v -e '^OVMF.fd$' -e '^amd.bin$' -e '^svsm.bin$' -e '^initrd.img$' \
        -e '^guest.yaml$' -e '^bzImage$' | tr '\n' ' ')" "" "$1: nothing written"
}

printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\ninitrd: initrd.img\nplatforms:\n  sev-snp: {}\n' >guest.yaml
refuse "initrd without a kernel" \
    "guest.yaml:3:9: initrd and cmdline need a kernel: the firmware loads them only together with one"

printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\ncmdline: console=ttyS0\nplatforms:\n  sev-snp: {}\n' >guest.yaml
refuse "cmdline without a kernel" \
    "guest.yaml:3:10: initrd and cmdline need a kernel: the firmware loads them only together with one"

printf 'version: 1\nfirmware: {type: raw, path: amd.bin}\nplatforms:\n  sev-snp:\n    svsm: {path: svsm.bin, vars-size: 528K}\n' >guest.yaml
refuse "svsm with raw firmware" "guest.yaml:5:11: an SVSM needs firmware type ovmf"

printf 'version: 1\nfirmware: {type: ovmf, path: amd.bin}\nplatforms:\n  sev-snp:\n    vmm: ec2\n    svsm: {path: svsm.bin, vars-size: 528K}\n' >guest.yaml
refuse "svsm with vmm ec2" "guest.yaml:6:11: an SVSM is launched by QEMU only (vmm qemu)"

cp "$TESTDATA/snp/snp_kernel.bin" bzImage
printf 'version: 1\nfirmware: {type: ovmf, path: amd.bin}\nkernel: bzImage\nkernel-format: any\nplatforms:\n  sev-snp:\n    svsm: {path: svsm.bin, vars-size: 528K}\n' >guest.yaml
refuse "svsm with a kernel" \
    "guest.yaml:3:9: a kernel with an SVSM is not supported: the SVSM launch has no kernel-hashes page"
rm -f bzImage

fw=$(wc -c <amd.bin | tr -d ' ')
printf 'version: 1\nfirmware: {type: ovmf, path: amd.bin}\nplatforms:\n  sev-snp:\n    svsm: {path: svsm.bin, vars-size: 8M}\n' >guest.yaml
refuse "vars-size filling the flash window" \
    "guest.yaml:5:39: vars-size 8388608 leaves no room for the SVSM: with $fw bytes of firmware it exceeds the 8388608-byte flash window below 4 GiB"

done_testing
