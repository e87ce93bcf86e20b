#!/bin/sh
# Every verb that takes an IGVM file takes a descriptor (packed in memory),
# except sign, which refuses one and says how to sign it (igvmkit(1)):
# inspect and extract of a descriptor print and write exactly what they do
# for the file 'pack' writes; a bad descriptor gives every verb the same
# file:line:column message, exit 3, nothing printed and nothing written.
. "$top_srcdir/tests/cli/lib.sh"

mkdir "$TMP/w" && cd "$TMP/w" || exit 1
cp "$TESTDATA/snp/snp_fw_kh.fd" OVMF.fd
printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\nvcpus: 2\nplatforms:\n  snp: {}\n' >g.yaml
"$IGVMKIT" pack g.yaml -o g.igvm 2>/dev/null
ok $? "pack g.yaml"

for opts in "" "--json" "--summary" "--platform sev-snp"; do
    # shellcheck disable=SC2086
    run "$IGVMKIT" inspect g.yaml $opts
    cp "$TMP/out" a.txt
    # shellcheck disable=SC2086
    "$IGVMKIT" inspect g.igvm $opts >b.txt
    is "$rc:$(cmp a.txt b.txt 2>&1)" "0:" "inspect $opts: descriptor prints what the packed file does"
done
rm -f a.txt b.txt

run "$IGVMKIT" extract g.yaml --platform sev-snp -o xa
is "$rc:$(cat "$TMP/out")" "0:xa: 6 region files, 258048 bytes (118784 written, 139264 in holes)" \
    "extract of a descriptor"
"$IGVMKIT" extract g.igvm --platform sev-snp -o xb >/dev/null
is "$(diff -r xa xb 2>&1)" "" "extract: the descriptor's regions equal the packed file's"
rm -rf xa xb

printf 'version: 1\nfirmware: {type: ovmf, path: OVMF.fd}\nvcpu: 2\nplatforms:\n  snp: {}\n' >bad.yaml
MSG="igvmkit: error: bad.yaml:3:1: unknown key 'vcpu' (allowed: version, firmware, kernel, initrd, cmdline, vcpus, memory, platforms, kernel-format); did you mean 'vcpus'?"
for verb in "inspect" "extract --platform sev-snp -o out" "measure" "explain" "lint" \
    "export --format json -o out" "launch" "verify --snp-report /dev/null"; do
    # shellcheck disable=SC2086
    run "$IGVMKIT" $verb bad.yaml
    is "$rc" 3 "${verb%% *} bad.yaml: exit 3"
    is "$(cat "$TMP/err")" "$MSG" "${verb%% *} bad.yaml: message with line:column"
    is "$(wc -c <"$TMP/out" | tr -d ' '):$(ls out 2>/dev/null)" "0:" \
        "${verb%% *} bad.yaml: nothing printed or written"
done

run "$IGVMKIT" sign g.yaml --id-key id.pem -o out
is "$rc" 2 "sign g.yaml: usage error"
is "$(cat "$TMP/err")" "igvmkit sign: g.yaml is a descriptor: add platforms.sev-snp.id-block to it and run 'igvmkit pack', or sign the packed IGVM file
Try 'igvmkit sign --help'." "sign g.yaml: says how to sign a descriptor's image"
is "$(wc -c <"$TMP/out" | tr -d ' '):$(ls out 2>/dev/null)" "0:" "sign g.yaml: nothing written"

done_testing
