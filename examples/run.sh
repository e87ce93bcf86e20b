#!/bin/sh
# examples/run.sh [WORKDIR]
#
# Prepares the inputs of both examples (Debian's OVMF, the Debian kernel,
# a reproducible busybox initrd), packs each descriptor with provenance and
# prints its launch measurements.  Everything goes to WORKDIR (default
# ./igvmkit-examples); the source tree is left untouched.  Runs the igvmkit
# named by $IGVMKIT, else the one on PATH.
#
# Needs: ovmf, busybox-static, cpio and apt-get access to Debian's archive
# (for linux-image-6.1.0-56-amd64, downloaded, never installed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
work=${1:-$PWD/igvmkit-examples}
igvmkit=${IGVMKIT:-igvmkit}
ovmf=${OVMF:-/usr/share/ovmf/OVMF.fd}

mkdir -p "$work/cache"
work=$(cd "$work" && pwd)

echo "== preparing inputs in $work"
cache=${KERNEL_CACHE:-$work/cache}
kernel=$(sh "$top/tests/lib/fetch-kernel.sh" "$cache")
[ -f "$work/cache/initrd.img" ] ||
    sh "$top/tests/lib/make-initrd.sh" "$work/cache/initrd.img" IGVMKIT-EXAMPLE-OK

for ex in tee-node snp-kernel-hashes; do
    mkdir -p "$work/$ex"
    cp "$here/$ex/guest.yaml" "$work/$ex/guest.yaml"
    cp "$kernel" "$work/$ex/vmlinuz"
    cp "$work/cache/initrd.img" "$work/$ex/initrd.img"
done
cp "$ovmf" "$work/tee-node/OVMF.fd"
cp "$top/tests/data/snp/snp_fw_kh.fd" "$work/snp-kernel-hashes/fw-kernel-hashes.fd"
(cd "$work/tee-node" && sha256sum OVMF.fd vmlinuz initrd.img)

for ex in tee-node snp-kernel-hashes; do
    echo
    echo "== $ex: igvmkit pack guest.yaml -o guest.igvm --measure --provenance guest.provenance.json"
    (cd "$work/$ex" &&
        "$igvmkit" pack guest.yaml -o guest.igvm --measure --provenance guest.provenance.json &&
        echo "guest.igvm: $(wc -c <guest.igvm) bytes" && sha256sum guest.igvm)
done

echo
echo "== snp-kernel-hashes: igvmkit measure guest.igvm --loader qemu-classic --bare"
echo "   (what sev-snp-measure computes for QEMU launching the same firmware without IGVM)"
(cd "$work/snp-kernel-hashes" && "$igvmkit" measure guest.igvm --loader qemu-classic --bare)

echo
echo "== the same digests from the descriptor, packed in memory: igvmkit measure guest.yaml --bare"
(cd "$work/tee-node" && "$igvmkit" measure guest.yaml --bare)
(cd "$work/snp-kernel-hashes" && "$igvmkit" measure guest.yaml --bare)

for ex in snp-kernel-hashes tee-node; do
    echo
    echo "== $ex: igvmkit launch guest.yaml (the command lines that load guest.igvm)"
    (cd "$work/$ex" && "$igvmkit" launch guest.yaml)
done
