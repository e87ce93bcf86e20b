#!/bin/sh
# --vcpus below the file's VMSA count is a usage error (exit 2) in every verb
# that models vCPUs (measure, explain, export), with one exact message and
# nothing printed or written: such a launch does not exist, and the digest of
# the file's own VMSAs must not be shown under the smaller count.
. "$top_srcdir/tests/cli/lib.sh"

cd "$TMP" || exit 1
cp "$TESTDATA/snp/snp_fw_kh.fd" OVMF.fd
printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\nvcpus: 2\nplatforms:\n  sev-snp: {}\n' \
    >v2.yaml
"$IGVMKIT" pack v2.yaml -o v2.igvm 2>/dev/null
ok $? "pack a file with 2 VMSAs"

MSG="--vcpus 1 is below the 2 VMSAs (VP contexts) the file launches for sev-snp; give --vcpus 2 or more, or leave it out"
refused() { # NAME FILE CMD...
    name=$1 file=$2
    shift 2
    rm -f out.json
    run "$@"
    is "$rc" 2 "$name: exit 2"
    is "$(cat "$TMP/err")" "igvmkit: error: $file: $MSG" "$name: message"
    is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "$name: nothing on stdout"
    is "$(ls out.json 2>/dev/null)" "" "$name: nothing written"
}
refused "measure --vcpus 1" v2.igvm "$IGVMKIT" measure v2.igvm --vcpus 1
refused "measure --vcpus 1 --json" v2.igvm "$IGVMKIT" measure v2.igvm --vcpus 1 --json
refused "measure descriptor --vcpus 1" v2.yaml "$IGVMKIT" measure v2.yaml --vcpus 1
refused "explain --vcpus 1" v2.igvm "$IGVMKIT" explain v2.igvm --vcpus 1
refused "explain --vcpus 1 --json" v2.igvm "$IGVMKIT" explain v2.igvm --vcpus 1 --json
refused "export --vcpus 1" v2.igvm "$IGVMKIT" export v2.igvm --format json --vcpus 1 -o out.json

# The file's own count and more are launches that exist.
own=$("$IGVMKIT" measure v2.igvm --bare)
run "$IGVMKIT" measure v2.igvm --vcpus 2 --bare
is "$rc:$(cat "$TMP/out")" "0:$own" "--vcpus 2 (the file's count) is the file's digest"
run "$IGVMKIT" measure v2.igvm --vcpus 3 --bare
is "$rc" 0 "--vcpus 3: exit 0"
if [ "$(cat "$TMP/out")" != "$own" ] && [ -n "$own" ]; then r=0; else r=1; fi
ok $r "--vcpus 3 models a third vCPU: another digest"

done_testing
