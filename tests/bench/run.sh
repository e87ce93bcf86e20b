#!/bin/sh
# Measurement benchmark (not part of make check).
#
#   tests/bench/run.sh [BUILD_DIR] [MIB]
#
# BUILD_DIR: a configured and built igvmkit tree (default: the current
# directory, which must hold ./igvmkit); MIB: measured page data in MiB
# (default 256).  Generates, under BUILD_DIR/bench-data, an IGVM declaring
# SEV-SNP and TDX with MIB MiB of measured 4 KiB pages (tests/bench/gen-igvm.py),
# then, in one run, times (best of 3, page cache warm):
#   igvmkit measure --platform sev-snp | --platform tdx | --platform all
#   openssl dgst -sha384 over the page bytes      (SEV-SNP single-core limit)
#   openssl dgst -sha384 over the exact TDX stream (TDX limit)
# and prints the ratios plus the peak anonymous memory (RssAnon, sampled from
# /proc every 5 ms) and peak RSS (VmHWM, includes the file mapping) of each
# igvmkit run.  Targets: SNP <= 1.1x the single-core limit (<= 0.6x with two
# threads), TDX <= 1.1x, all <= SNP + TDX, anonymous memory < 32 MiB.
# Needs python3 and openssl.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-.}" && pwd)
mib=${2:-256}
igvmkit=$build/igvmkit
data=$build/bench-data
[ -x "$igvmkit" ] || { echo "no igvmkit in $build (build it first)" >&2; exit 2; }
mkdir -p "$data"
file=$data/bench-$mib.igvm
if [ ! -f "$file" ] || [ ! -f "$file.tdx" ]; then
    echo "generating $file ($mib MiB of page data)..."
    python3 "$here/gen-igvm.py" "$file" "$mib"
fi
cat "$file" "$file.pages" "$file.tdx" >/dev/null # warm the page cache

now() { date +%s.%N; }

# run_sampled CMD...: runs CMD, sets $secs, $anon_kb (peak RssAnon), $hwm_kb.
run_sampled() {
    start=$(now)
    "$@" >"$data/out" 2>&1 &
    pid=$!
    anon_kb=0
    hwm_kb=0
    while kill -0 "$pid" 2>/dev/null; do
        if [ -r "/proc/$pid/status" ]; then
            a=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$a" ] && [ "$a" -gt "$anon_kb" ] && anon_kb=$a
            [ -n "$h" ] && [ "$h" -gt "$hwm_kb" ] && hwm_kb=$h
        fi
        sleep 0.005
    done
    wait "$pid" || { echo "failed: $*" >&2; cat "$data/out" >&2; exit 1; }
    secs=$(awk -v a="$(now)" -v b="$start" 'BEGIN { printf "%.4f", a - b }')
}

# best NAME CMD...: best of 3 wall-clock times into $best, peaks into $peak_*.
best() {
    name=$1
    shift
    best=999999
    peak_anon=0
    peak_hwm=0
    for _ in 1 2 3; do
        run_sampled "$@"
        best=$(awk -v a="$secs" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
        [ "$anon_kb" -gt "$peak_anon" ] && peak_anon=$anon_kb
        [ "$hwm_kb" -gt "$peak_hwm" ] && peak_hwm=$hwm_kb
    done
    printf '%-34s %8.3f s   anon peak %6d KiB   rss peak %7d KiB\n' "$name" "$best" \
        "$peak_anon" "$peak_hwm"
}

echo "file: $file ($(wc -c <"$file") bytes), $(nproc) CPUs"
best "openssl dgst -sha384 (pages)" openssl dgst -sha384 "$file.pages"
snp_limit=$best
best "openssl dgst -sha384 (TDX stream)" openssl dgst -sha384 "$file.tdx"
tdx_limit=$best
best "igvmkit measure --platform sev-snp" "$igvmkit" measure "$file" --platform sev-snp --bare
snp=$best
snp_anon=$peak_anon
best "igvmkit measure --platform tdx" "$igvmkit" measure "$file" --platform tdx --bare
tdx=$best
tdx_anon=$peak_anon
best "igvmkit measure --platform all" "$igvmkit" measure "$file" --platform all --bare
all=$best
all_anon=$peak_anon

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo
echo "SEV-SNP / single-core SHA-384 limit: $(ratio "$snp" "$snp_limit")  (target <= 1.1, aim <= 0.6)"
echo "TDX / TDX stream SHA-384 limit:      $(ratio "$tdx" "$tdx_limit")  (target <= 1.1)"
echo "all / (SEV-SNP + TDX):               $(ratio "$all" "$(awk -v a="$snp" -v b="$tdx" 'BEGIN { print a + b }')")  (target <= 1.0)"
max_anon=$snp_anon
[ "$tdx_anon" -gt "$max_anon" ] && max_anon=$tdx_anon
[ "$all_anon" -gt "$max_anon" ] && max_anon=$all_anon
echo "peak anonymous memory of igvmkit:    $max_anon KiB  (target < 32768)"
