#!/bin/sh
# igvmkit measure with sev-snp-measure's options: every case of its test
# suite (tests/data/sev-snp-measure/cases.tsv) through the options, and the
# descriptor each case prints (--print-descriptor) measured as a descriptor.
. "$top_srcdir/tests/cli/lib.sh"

D="$TESTDATA/sev-snp-measure"
AMD="$D/ovmf_AmdSev_suffix.bin"
X64="$D/ovmf_OvmfX64_suffix.bin"
EMPTY="$TMP/empty"
: >"$EMPTY"
# The SVSM fixtures (4.6 MB) are not in the tree: the svsm cases run when
# SEV_SNP_MEASURE_FIXTURES names a directory holding svsm.bin and svsm_ovmf.fd.
SVSM_DIR="${SEV_SNP_MEASURE_FIXTURES:-}"
# In the tree: svsm.bin gzipped, and the last 4 KiB of svsm_ovmf.fd; the S cases
# give the OVMF pages as their digest, on a stand-in of the same size.
SVSM_BIN="$TMP/svsm.bin"
SVSM_OVMF="$TMP/svsm_ovmf.fd"
gzip -dc "$D/svsm.bin.gz" >"$SVSM_BIN"
{ head -c $((3653632 - 4096)) /dev/zero; cat "$D/svsm_ovmf_suffix.bin"; } >"$SVSM_OVMF"
is "$(sha256sum <"$SVSM_BIN" | cut -d' ' -f1)" \
    287fcee67b501b072e4953b5006059d088b454e9197bc318885385acb233d5d1 "svsm.bin unpacked"

check_case() { # id platform expected options...
    id=$1 platform=$2 want=$3
    shift 3
    raw=$*
    case "$*" in *SVSM_DIR*)
        [ -n "$SVSM_DIR" ] && [ -f "$SVSM_DIR/svsm.bin" ] || {
            tap_n=$((tap_n + 1)); echo "ok $tap_n - $id # SKIP SVSM fixtures not given"; return; } ;;
    esac
    DUMP="$TMP/dump-$id"
    mkdir -p "$DUMP"
    NULL=/dev/null
    eval "set -- $*"
    run "$IGVMKIT" measure "$@"
    case "$want" in
    refuse:*)
        code=${want#refuse:}; code=${code%%:*}; re=${want#refuse:*:}
        is "$rc" "$code" "$id: refused with exit $code"
        like "$TMP/err" "$re" "$id: says '$re'"
        is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "$id: nothing on stdout"
        is "$(ls "$DUMP" | wc -l | tr -d ' ')" 0 "$id: nothing written" ;;
    dump:*)
        n=${want#dump:}; n=${n%%:*}; sha=${want##*:}
        is "$rc" 0 "$id: exit 0"
        is "$(ls "$DUMP" | wc -l | tr -d ' ')" "$n" "$id: $n VMSA files"
        files=""
        i=0
        while [ "$i" -lt "$n" ]; do files="$files $DUMP/vmsa$i.bin"; i=$((i + 1)); done
        # shellcheck disable=SC2086
        is "$(cat $files 2>/dev/null | sha256sum | cut -d' ' -f1)" "$sha" "$id: VMSA bytes" ;;
    *)
        is "$rc" 0 "$id: exit 0"
        is "$(cat "$TMP/out")" "$want" "$id: digest" ;;
    esac

    [ "$platform" = - ] && return
    # The same case as a descriptor (regular files only: an empty one for /dev/null).
    NULL=$EMPTY
    eval "set -- $(printf '%s' "$raw" | sed 's/ --dump-vmsa=[^ ]*//')"
    run "$IGVMKIT" measure "$@" --print-descriptor
    cp "$TMP/out" "$TMP/$id.yaml"
    is "$rc" 0 "$id: --print-descriptor"
    if [ "$platform" = firmware-digest ]; then
        # snp:ovmf-hash: the descriptor's SEV-SNP firmware digest, in measure's
        # JSON document and in export's.
        run "$IGVMKIT" measure "$TMP/$id.yaml" --platform sev-snp --json
        like "$TMP/out" "^      \"firmware_digest\": \"$want\",\$" \
            "$id: descriptor form: measure --json firmware_digest"
        run "$IGVMKIT" export --format json "$TMP/$id.yaml"
        like "$TMP/out" "\"firmware_digest\": \"$want\"" "$id: descriptor form: export firmware_digest"
        return
    fi
    run "$IGVMKIT" measure "$TMP/$id.yaml" --platform "$platform" --loader qemu-classic --bare
    case "$want" in
    refuse:*)
        is "$rc" "$code" "$id: descriptor refused with exit $code"
        like "$TMP/err" "$re" "$id: descriptor refusal says '$re'" ;;
    *)
        is "$(cat "$TMP/out")" "$want" "$id: descriptor form gives the same digest" ;;
    esac
}

tab=$(printf '\t')
while IFS="$tab" read -r id platform want opts; do
    case "$id" in '#'* | '') continue ;; esac
    check_case "$id" "$platform" "$want" "$opts"
done <"$D/cases.tsv"

done_testing
