#!/bin/sh
# One size rule everywhere (igk_parse_size, QEMU's -m rule): a bare number
# is MiB, units B/K/M/G/T in any case.  The descriptor's memory and the
# --memory options of launch and verify agree; svsm vars-size stays bytes
# when bare (sev-snp-measure's --vars-size); bad sizes are refused with the
# exact message, the documented exit status and nothing written.
. "$top_srcdir/tests/cli/lib.sh"

cd "$TMP" || exit 1
cp "$TESTDATA/snp/snp_fw_kh.fd" OVMF.fd

# guest MEMORY: a descriptor with OVMF for SEV-SNP and that memory line
guest() {
    printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\nmemory: %s\nplatforms:\n  snp: {}\n' \
        "$1" >guest.yaml
}

for m in 2048 2g 2G 2GiB 2048M 2048m 0x800 2097152K 2147483648B; do
    guest "$m"
    run "$IGVMKIT" launch guest.yaml
    is "$rc:$(grep -e ' -m ' "$TMP/out")" "0:    -m 2048M \\" "memory: $m is 2 GiB (-m 2048M)"
done

guest 1G
for m in 2048 2g 2048M 0x800 2147483648b; do
    run "$IGVMKIT" launch guest.yaml --memory "$m"
    is "$rc:$(grep -e ' -m ' "$TMP/out")" "0:    -m 2048M \\" "launch --memory $m is 2 GiB"
done

# bad sizes: descriptor (exit 3) and option (exit 2), nothing written
bad_yaml() { # NAME VALUE MESSAGE
    guest "$2"
    run "$IGVMKIT" pack guest.yaml -o out.igvm
    is "$rc" 3 "$1: exit 3"
    is "$(cat "$TMP/err")" "$3" "$1: message"
    is "$(ls out.igvm 2>/dev/null)" "" "$1: nothing written"
}
bad_yaml "memory: 2GB" 2GB "igvmkit: error: guest.yaml:3:9: 'memory' must be a size: a number of MiB, or a number with unit B, K, M, G or T (e.g. 2G), not '2GB'"
bad_yaml "memory: 1.5G" 1.5G "igvmkit: error: guest.yaml:3:9: 'memory' must be a size: a number of MiB, or a number with unit B, K, M, G or T (e.g. 2G), not '1.5G'"
bad_yaml "memory: 0" 0 "igvmkit: error: guest.yaml:3:9: 'memory' 0 is below the minimum of 16 MiB"
bad_yaml "memory: 15" 15 "igvmkit: error: guest.yaml:3:9: 'memory' 15 is below the minimum of 16 MiB"
bad_yaml "memory past 64 bits" 17592186044416 "igvmkit: error: guest.yaml:3:9: 'memory' must be a size: a number of MiB, or a number with unit B, K, M, G or T (e.g. 2G), not '17592186044416'"
bad_yaml "memory above the limit" 16777217 "igvmkit: error: guest.yaml:3:9: 'memory' 16777217 is more than the limit 'memory' of 16 TiB"

guest 1G
for m in 0 2GB 12Q -1; do
    run "$IGVMKIT" launch guest.yaml --memory "$m"
    is "$rc:$(cat "$TMP/err")" "2:igvmkit launch: --memory: '$m' is not a size
Try 'igvmkit launch --help'." "launch --memory $m: usage error"
    is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "launch --memory $m: nothing on stdout"
done
run "$IGVMKIT" verify guest.yaml --snp-report /dev/null --memory 2GB
is "$rc:$(cat "$TMP/err")" "2:igvmkit verify: --memory: '2GB' is not a size (like 2G or 1024M)
Try 'igvmkit verify --help'." "verify --memory 2GB: usage error"

# --memory has the descriptor's limit: 16 TiB accepted, one MiB more refused.
for v in launch verify; do
    case $v in
    launch) args="guest.yaml" ;;
    verify) args="guest.yaml --tdx-quote /dev/null" ;;
    esac
    # shellcheck disable=SC2086
    run "$IGVMKIT" $v $args --memory 16777217
    is "$rc:$(cat "$TMP/err")" "2:igvmkit $v: --memory: '16777217' is more than the limit 'memory' of 16 TiB
Try 'igvmkit $v --help'." "$v --memory above 16 TiB: usage error"
done
run "$IGVMKIT" launch guest.yaml --memory 16T
is "$rc" 0 "launch --memory 16T: the limit itself is accepted"

# svsm vars-size: bytes when bare (as sev-snp-measure's --vars-size); the values
# with units are checked exactly in tests/unit/test-descriptor.c
AMD="$TESTDATA/sev-snp-measure/ovmf_AmdSev_suffix.bin"
cp "$AMD" amd.bin
head -c 65536 /dev/zero | tr '\0' 'S' >svsm.bin
svsm() {
    printf 'version: 1\nfirmware: {type: ovmf, path: amd.bin}\nplatforms:\n  sev-snp:\n    svsm: {path: svsm.bin, vars-size: %s}\n' \
        "$1" >svsm.yaml
}
svsm 528
run "$IGVMKIT" pack svsm.yaml -o out.igvm
is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: svsm.yaml:5:39: 'vars-size' 528 is not a multiple of 4 KiB" \
    "vars-size: 528 is bytes, not MiB"
is "$(ls out.igvm 2>/dev/null)" "" "vars-size: 528: nothing written"
svsm 4G
run "$IGVMKIT" pack svsm.yaml -o out.igvm
is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: svsm.yaml:5:39: 'vars-size' 4G is out of range (a multiple of 4096 below 4 GiB)" \
    "vars-size: 4G out of range"
is "$(ls out.igvm 2>/dev/null)" "" "vars-size: 4G: nothing written"

done_testing
