#!/bin/sh
# measure on a file large enough for the threaded paths (three windows of
# the SNP page pipeline, dozens of TDX stream buffers), against references
# that share no code with igvmkit: tests/tools/snp-digest.py (hashlib) for
# the SNP chain, and `openssl dgst -sha384` over the exact TDX stream that
# tests/bench/gen-igvm.py writes beside the file.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"

file=$TMP/large.igvm
"$PYTHON3" "$top_srcdir/tests/bench/gen-igvm.py" "$file" 12 # 3072 pages
snp=$("$PYTHON3" "$top_srcdir/tests/tools/snp-digest.py" --igvm "$file")
tdx=$(openssl dgst -sha384 -r "$file.tdx" | cut -d' ' -f1)
ok $([ ${#snp} -eq 96 ] && [ ${#tdx} -eq 96 ]; echo $?) "references computed"

run "$IGVMKIT" measure "$file" --platform sev-snp --bare
is "$rc:$(cat "$TMP/out")" "0:$snp" "sev-snp digest equals the hashlib oracle"
run "$IGVMKIT" measure "$file" --platform tdx --bare
is "$rc:$(cat "$TMP/out")" "0:$tdx" "tdx MRTD equals openssl over the record stream"
run "$IGVMKIT" measure "$file" --bare
is "$rc:$(cat "$TMP/out" | tr '\n' ' ')" "0:$snp $tdx " "both at once, in platform-header order"
run "$IGVMKIT" measure "$file" --platform tdx --platform sev-snp --bare
is "$rc:$(cat "$TMP/out" | tr '\n' ' ')" "0:$tdx $snp " "both at once, in the order named"
run "$IGVMKIT" explain "$file" --platform sev-snp --expect "$snp"
is "$rc" 0 "explain (no threads) ends in the same SNP digest"
like "$TMP/out" "^digest: $snp \(sha384\)" "explain prints the final SNP digest"
run "$IGVMKIT" explain "$file" --platform tdx --expect "$tdx"
is "$rc" 0 "explain (no threads) ends in the same TDX MRTD"

done_testing
