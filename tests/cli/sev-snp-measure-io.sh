#!/bin/sh
# measure --ovmf (sev-snp-measure's options) reads its files through the input
# module and writes --dump-vmsa through the output module: a FIFO as any input
# is refused at once, /dev/null is the one non-regular input taken (an empty
# file), and the VMSA dump is published whole or not at all, never through a
# link, a FIFO or a device, never over an input.
. "$top_srcdir/tests/cli/lib.sh"

AMD="$TESTDATA/sev-snp-measure/ovmf_AmdSev_suffix.bin"
A="$TMP/a"
mkdir -p "$A"
cd "$A" || exit 1
SNP="--mode snp --ovmf $AMD --vcpus 1 --vcpu-type EPYC-v4"
: >empty
mkfifo fifo

# refused_io NAME EXIT REGEX CMD...: one line on stderr, nothing on stdout, promptly.
refused_io() {
    name=$1 want=$2 re=$3
    shift 3
    run timeout 10 "$@"
    is "$rc" "$want" "$name: exit $want (not a hang)"
    like "$TMP/err" "$re" "$name: message"
    is "$(grep -c . "$TMP/err")" 1 "$name: one line"
    is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "$name: nothing on stdout"
}

# ---- a FIFO (no writer) as each input ----
# shellcheck disable=SC2086
refused_io "FIFO as --ovmf" 6 "^igvmkit: error: fifo: firmware: not a regular file \(a FIFO\)$" \
    "$IGVMKIT" measure --mode snp --ovmf fifo --vcpus 1 --vcpu-type EPYC-v4
# shellcheck disable=SC2086
refused_io "FIFO as --kernel" 6 "^igvmkit: error: fifo: not a regular file \(a FIFO\)$" \
    "$IGVMKIT" measure $SNP --kernel fifo
# shellcheck disable=SC2086
refused_io "FIFO as --initrd" 6 "^igvmkit: error: fifo: not a regular file \(a FIFO\)$" \
    "$IGVMKIT" measure $SNP --kernel empty --initrd fifo
refused_io "FIFO as --svsm" 6 "^igvmkit: error: fifo: svsm: not a regular file \(a FIFO\)$" \
    "$IGVMKIT" measure --mode snp:svsm --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 \
    --svsm fifo --vars-size 4096
refused_io "FIFO as --vars-file" 6 "^igvmkit: error: fifo: not a regular file \(a FIFO\)$" \
    "$IGVMKIT" measure --mode snp:svsm --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 \
    --svsm "$AMD" --vars-file fifo
# Another character device is not /dev/null: refused, not read (/dev/zero never ends).
# shellcheck disable=SC2086
refused_io "/dev/zero as --kernel" 6 \
    "^igvmkit: error: /dev/zero: not a regular file \(a character device\)$" \
    "$IGVMKIT" measure $SNP --kernel /dev/zero

# ---- /dev/null is the documented exception: an empty kernel / initrd ----
# (sev-snp-measure's A09 with its firmware digest: the value of case A03b)
A03B=803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977
FWD=086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74
mkdir tmpdir
for k in /dev/null empty; do
    # shellcheck disable=SC2086
    run env TMPDIR="$A/tmpdir" "$IGVMKIT" measure --mode snp --ovmf "$AMD" --vcpus 1 --vcpu-type EPYC-v4 \
        --kernel "$k" --initrd "$k" --append 'console=ttyS0 loglevel=7' --snp-ovmf-hash "$FWD"
    is "$rc:$(cat "$TMP/out")" "0:$A03B" "kernel and initrd $k: sev-snp-measure's digest"
done
is "$(ls -A tmpdir)" "" "the empty stand-ins of /dev/null are removed"

# ---- --dump-vmsa through the output module ----
cp "$AMD" amd.bin
SEVES="--mode seves --ovmf amd.bin --vcpu-type EPYC-v4"
A19=0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91

# dump_refused NAME EXIT REGEX DIR VCPUS: refused, and no vmsa file appears.
dump_refused() {
    name=$1 want=$2 re=$3 dir=$4 n=$5
    before=$(ls -A "$dir" 2>/dev/null | sort | tr '\n' ' ')
    # shellcheck disable=SC2086
    refused_io "$name" "$want" "$re" "$IGVMKIT" measure $SEVES --vcpus "$n" --dump-vmsa="$dir"
    is "$(ls -A "$dir" 2>/dev/null | sort | tr '\n' ' ')" "$before" "$name: nothing written"
}

mkdir d1 && echo keep >target && ln -s ../target d1/vmsa0.bin
dump_refused "vmsa0.bin a symbolic link" 6 \
    "^igvmkit: error: d1/vmsa0.bin: is a symbolic link: refusing to write a VMSA dump there$" d1 1
is "$(cat target)" keep "vmsa0.bin a symbolic link: its target is unchanged"
mkdir d2 && mkfifo d2/vmsa1.bin
dump_refused "vmsa1.bin a FIFO" 6 \
    "^igvmkit: error: d2/vmsa1.bin: is a FIFO: refusing to write a VMSA dump there$" d2 2
dump_refused "--dump-vmsa=/dev/null" 6 \
    "^igvmkit: error: /dev/null: --dump-vmsa needs a directory$" /dev/null 1
dump_refused "--dump-vmsa=FIFO" 6 "^igvmkit: error: fifo: --dump-vmsa needs a directory$" fifo 1
# An input as the second of four files: the first three were written to
# temporaries; none is published, none is left behind.
mkdir d3 && ln amd.bin d3/vmsa2.bin
dump_refused "vmsa2.bin is the firmware (hard link)" 2 \
    "^igvmkit: error: d3/vmsa2.bin: is an input of this run \('amd.bin'\): refusing to overwrite it$" d3 4
cmp -s amd.bin "$AMD"
ok $? "the firmware is unchanged"

# A replaced dump file keeps its mode; the four files are sev-snp-measure's (A20).
mkdir d4 && echo old >d4/vmsa0.bin && chmod 600 d4/vmsa0.bin
# shellcheck disable=SC2086
run "$IGVMKIT" measure $SEVES --kernel empty --vcpus 4 --dump-vmsa=d4
is "$rc:$(cat "$TMP/out")" "0:$A19" "dump into a directory: exit 0 and the digest (A19)"
is "$(cat d4/vmsa0.bin d4/vmsa1.bin d4/vmsa2.bin d4/vmsa3.bin | sha256sum | cut -d' ' -f1)" \
    cf8afae5238a5676f426fdaf639926319325f7db487456ebb41c5330db3e1586 "the VMSA bytes of A20"
is "$(stat -c %a d4/vmsa0.bin)" 600 "a replaced vmsa0.bin keeps its mode"
is "$(ls -A d4 | tr '\n' ' ')" "vmsa0.bin vmsa1.bin vmsa2.bin vmsa3.bin " "no temporaries left"

done_testing
