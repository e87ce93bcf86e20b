#!/bin/sh
# A guest policy prints the same way in every verb (igk_policy_format): in
# text 0x-hex with the decoded fields of its platform, in JSON a 0x-hex
# string (inspect, measure, export; verify in verify-snp-chain.sh).
. "$top_srcdir/tests/cli/lib.sh"

F="$TESTDATA/snp_tdx_v1.igvm"
SNP="0x30000 (abi 0.0, smt allowed, migrate_ma off, debug off, single_socket off)"
TDX="0x2 (debug off, sept_ve_disable on)"

run "$IGVMKIT" inspect "$F"
is "$rc:$(grep '^  policy:' "$TMP/out")" "0:  policy: $SNP
  policy: $TDX" "inspect: text"
run "$IGVMKIT" measure "$F" --ignore-idblock
is "$rc:$(grep '^  policy:' "$TMP/out")" "0:  policy:      $SNP
  policy:      $TDX" "measure: text"

for verb in "inspect --json" "measure --json --ignore-idblock" \
    "export --format json --ignore-idblock"; do
    # shellcheck disable=SC2086
    run "$IGVMKIT" $verb "$F"
    is "$rc:$(grep -o '"policy": [^,]*' "$TMP/out" | tr '\n' ' ')" \
        '0:"policy": "0x30000" "policy": "0x2" ' "${verb%% *} --json: policy strings"
done

done_testing
