#!/bin/sh
# Packing benchmark (not part of make check).
#
#   tests/bench/pack.sh [BUILD_DIR] [MIB...]
#
# BUILD_DIR: a built igvmkit tree (default: the current directory); MIB:
# initrd sizes in MiB (default "256 1024"; add 2000 for the largest initrd
# direct boot places: the synthetic kernel's initrd_addr_max is 2 GiB, and
# the initrd-size limit is 2 GiB, so a 4 GiB initrd is refused with exit 3).
# For each size, under BUILD_DIR/bench-data/pack, a random initrd and a
# synthetic EFI-stub bzImage (tests/tools/make-bzimage.py --pe) are packed
# two ways:
#   direct  firmware type none, sev-snp + native, memory 4G (the default
#           prevalidation: 1 GiB plus the initrd)
#   ovmf    /usr/share/ovmf/OVMF.fd, tdx + native, the same kernel and initrd
# (BENCH_KINDS, default "direct ovmf", runs only some) and each case times
# (median of $BENCH_RUNS, default 3, page cache warm):
#   igvmkit pack D -o OUT                against  cp OUT + sha256sum of the inputs
#   igvmkit pack D -o OUT --measure      against  the same + igvmkit measure OUT
#   igvmkit measure D                    against  igvmkit measure OUT (OVMF + TDX:
#                                        plus openssl dgst -sha384 of kernel and initrd,
#                                        the RTMR1/RTMR2 prediction measure OUT cannot make)
# (pack writes the file with fsync, cp does not), printing wall-clock and
# CPU-time ratios and the peak anonymous memory (RssAnon, sampled by
# tests/bench/sample.py in a run of its own) of every igvmkit run.  On a
# loaded machine the wall-clock ratios are noise; the CPU ratios are not.
# Targets: pack <= 1.5x, pack --measure <= 1.5x, measure D <= 1.2x
# measure OUT, anonymous memory < 64 MiB.  Also checks that the file
# measures the same as the descriptor.  Needs python3 and /usr/share/ovmf/OVMF.fd.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-.}" && pwd)
[ $# -gt 0 ] && shift
sizes=${*:-256 1024}
runs=${BENCH_RUNS:-3}
igvmkit=$build/igvmkit
ovmf=${OVMF:-/usr/share/ovmf/OVMF.fd}
data=$build/bench-data/pack
[ -x "$igvmkit" ] || { echo "no igvmkit in $build (build it first)" >&2; exit 2; }
mkdir -p "$data"
cd "$data"
[ -f vmlinuz-pe ] || python3 "$here/../tools/make-bzimage.py" --pe vmlinuz-pe
[ -f OVMF.fd ] || cp "$ovmf" OVMF.fd

# best CMD...: median wall ($best) and CPU ($cpu) of $runs unsampled runs.
best() {
    walls= cpus=
    for _ in $(seq "$runs"); do
        set -- $(SAMPLE_MEMORY=0 python3 "$here/sample.py" "$@") "$@"
        walls="$walls $1" cpus="$cpus $2"
        shift 4
    done
    best=$(median $walls)
    cpu=$(median $cpus)
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# anon CMD...: peak anonymous memory (KiB) of one sampled run in $anon.
anon() {
    set -- $(python3 "$here/sample.py" "$@")
    anon=$3
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
max_anon=0
row() { # NAME WALL CPU LIMIT_WALL LIMIT_CPU ANON
    printf '| %-34s | %6.2f s | %6.2f s | %6.2f s | %5s | %5s | %5d |\n' "$1" "$2" "$3" "$4" \
        "$(ratio "$2" "$4")" "$(ratio "$3" "$5")" "$(($6 / 1024))"
    [ "$6" -gt "$max_anon" ] && max_anon=$6
    return 0
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $runs"
echo
echo "| run | wall | CPU | limit (wall) | ratio wall | ratio CPU | anon MiB |"
echo "|---|---|---|---|---|---|---|"
for mib in $sizes; do
    initrd=initrd-$mib.img
    [ -f "$initrd" ] || head -c "$((mib * 1048576))" /dev/urandom >"$initrd"
    cat >"direct-$mib.yaml" <<EOT
version: 1
firmware: {type: none}
kernel: vmlinuz-pe
initrd: $initrd
cmdline: "console=ttyS0"
memory: 4G
vcpus: 2
platforms:
  native: {}
  sev-snp: {}
EOT
    cat >"ovmf-$mib.yaml" <<EOT
version: 1
firmware: {type: ovmf, path: OVMF.fd}
kernel: vmlinuz-pe
initrd: $initrd
cmdline: "console=ttyS0"
memory: 4G
vcpus: 2
platforms:
  tdx: {}
  native: {}
EOT
    for kind in ${BENCH_KINDS:-direct ovmf}; do
        d=$kind-$mib.yaml
        out=$kind-$mib.igvm
        inputs="vmlinuz-pe $initrd"
        [ "$kind" = ovmf ] && inputs="$inputs OVMF.fd"
        "$igvmkit" pack "$d" -o "$out"
        cat $inputs "$out" >/dev/null # warm the page cache
        from_file=$("$igvmkit" measure "$out" --bare)
        from_desc=$("$igvmkit" measure "$d" --bare)
        [ "$from_file" = "$from_desc" ] || { echo "$d: measure FILE != measure DESC" >&2; exit 4; }

        best cp "$out" copy.igvm
        cp_wall=$best cp_cpu=$cpu
        rm -f copy.igvm
        best sha256sum $inputs
        limit_wall=$(sum "$cp_wall" "$best") limit_cpu=$(sum "$cp_cpu" "$cpu")
        best "$igvmkit" measure "$out" --bare
        mf_wall=$best mf_cpu=$cpu
        anon "$igvmkit" measure "$out" --bare
        row "measure $out ($(($(wc -c <"$out") >> 20)) MiB)" "$mf_wall" "$mf_cpu" "$mf_wall" "$mf_cpu" "$anon"

        best "$igvmkit" pack "$d" -o "$out" --quiet
        p_wall=$best p_cpu=$cpu
        anon "$igvmkit" pack "$d" -o "$out" --quiet
        row "pack $d" "$p_wall" "$p_cpu" "$limit_wall" "$limit_cpu" "$anon"
        best "$igvmkit" pack "$d" -o "$out" --quiet --measure --bare
        pm_wall=$best pm_cpu=$cpu
        anon "$igvmkit" pack "$d" -o "$out" --quiet --measure --bare
        row "pack $d --measure" "$pm_wall" "$pm_cpu" "$(sum "$limit_wall" "$mf_wall")" \
            "$(sum "$limit_cpu" "$mf_cpu")" "$anon"
        # OVMF + TDX: measure D also predicts RTMR1/RTMR2, one SHA-384 pass
        # over the kernel and the initrd that measure OUT cannot make.
        mdl_wall=$mf_wall mdl_cpu=$mf_cpu
        if [ "$kind" = ovmf ]; then
            best openssl dgst -sha384 vmlinuz-pe "$initrd"
            mdl_wall=$(sum "$mf_wall" "$best") mdl_cpu=$(sum "$mf_cpu" "$cpu")
        fi
        best "$igvmkit" measure "$d" --bare
        md_wall=$best md_cpu=$cpu
        anon "$igvmkit" measure "$d" --bare
        row "measure $d" "$md_wall" "$md_cpu" "$mdl_wall" "$mdl_cpu" "$anon"
    done
done
echo
echo "limits: pack = cp of the output + sha256sum of the inputs; pack --measure = that + measure OUT;"
echo "measure DESC = measure OUT (OVMF: + openssl dgst -sha384 of kernel and initrd, the RTMR prediction).  Targets 1.5, 1.5, 1.2.  Peak anonymous memory: $((max_anon / 1024)) MiB (target < 64)"
