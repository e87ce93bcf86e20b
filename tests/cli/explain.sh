# igvmkit explain: step lines, the final digest equals measure's for every
# golden file / platform / profile, --expect match and mismatch, bad input.
. "$top_srcdir/tests/cli/lib.sh"

cd "$TESTDATA" || exit 1

MINIMAL=5180ae8a36a65cef14ac099f694fdccbf3c7e8552fec15a35e965f8b2d08f0051dbbc9ce762d6969cbcdfaec3e0351e7

# The final digest line must carry exactly what 'measure --bare' prints.
same_as_measure() { # FILE PLATFORM LOADER [EXTRA...]
    f=$1 p=$2 l=$3
    shift 3
    run "$IGVMKIT" measure "$f" --platform "$p" --loader "$l" --bare --ignore-idblock "$@"
    want=$(cat "$TMP/out")
    run "$IGVMKIT" explain "$f" --platform "$p" --loader "$l" "$@"
    got=$(sed -n 's/^digest: \([0-9a-f]*\) (sha[0-9]*)$/\1/p' "$TMP/out")
    is "$rc:$got" "0:$want" "explain $f $p $l $*: final digest = measure's"
}
for l in qemu qemu-classic openvmm; do
    same_as_measure snp_tdx_v1.igvm sev-snp $l
done
same_as_measure snp_tdx_v1.igvm tdx qemu
same_as_measure native_vbs_v2.igvm vbs qemu
same_as_measure snp/snp_extras_idblock.igvm sev-snp qemu
same_as_measure snp/snp_extras_idblock.igvm sev-snp qemu --vcpus 3
same_as_measure tdx/tdx_openvmm_test.igvm tdx qemu

# Exact output for the one-page sample: the contents prefix is SHA-384 of the
# page, the running prefix the LD (REFERENCE.md), both computed here.
CONTENTS=$("$PYTHON3" -c '
import hashlib, struct, sys
b = open("minimal_snp_v1.igvm", "rb").read()
vho, vhs = struct.unpack_from("<II", b, 8)
off = vho
while off < vho + vhs:
    t, l = struct.unpack_from("<II", b, off)
    if t == 0x302:
        fo = struct.unpack_from("<I", b, off + 8 + 12)[0]
        print(hashlib.sha384(b[fo:fo + 4096]).hexdigest()[:16])
    off += 8 + ((l + 7) & ~7)
')
run "$IGVMKIT" explain minimal_snp_v1.igvm
cat >"$TMP/want" <<EOF
sev-snp, loader qemu
  step  directive                gpa                  type             contents          running
     1  #2 PAGE_DATA             0x00000000fffff000   normal           $CONTENTS  $(echo $MINIMAL | cut -c1-16)
digest: $MINIMAL (sha384)
EOF
is "$rc" 0 "minimal_snp_v1: exit 0 (the only platform is the default)"
cmp -s "$TMP/out" "$TMP/want"; ok $? "minimal_snp_v1: exact step table"

# Rules visible in the table: shared page skipped under openvmm, a 2-page
# parameter insert is two steps, VMSA copies are marked.
run "$IGVMKIT" explain snp_tdx_v1.igvm --platform sev-snp --loader openvmm
like "$TMP/out" '^     -  #19 PAGE_DATA            0x0000000000108000   shared           \(not measured\)$' \
    "openvmm: the shared page is listed as not measured"
like "$TMP/out" '^     2  #10 PARAMETER_INSERT     0x000000000000a000   unmeasured ' "insert page 1 of 2"
like "$TMP/out" '^     3  #10 PARAMETER_INSERT     0x000000000000b000   unmeasured ' "insert page 2 of 2"
run "$IGVMKIT" explain snp_tdx_v1.igvm --platform sev-snp --loader qemu
like "$TMP/out" '^    [0-9]+  #19 PAGE_DATA            0x0000000000108000   normal ' \
    "qemu: the shared page is measured as normal"
run "$IGVMKIT" explain snp/snp_extras_idblock.igvm --vcpus 3
like "$TMP/out" '^    68  #71 VP_CONTEXT           0x0000fffffffff000   vmsa vp 2 \(copy\) ' \
    "--vcpus 3: vp 2 is a copy of the vp 0 VMSA, measured last"

# --expect
run "$IGVMKIT" explain minimal_snp_v1.igvm --expect "0x$(echo $MINIMAL | tr a-f A-F)"
is "$rc" 0 "--expect (upper case, 0x): exit 0"
like "$TMP/out" "^expected: $MINIMAL: match\$" "--expect: match"
BAD=$(echo $MINIMAL | sed 's/^5180/5181/')
run "$IGVMKIT" explain minimal_snp_v1.igvm --expect "$BAD"
is "$rc" 4 "--expect mismatch: exit 4"
like "$TMP/out" "^expected: $BAD: MISMATCH\$" "--expect: MISMATCH"
is "$(cat "$TMP/err")" "igvmkit: error: minimal_snp_v1.igvm: the sev-snp digest $MINIMAL is not the expected $BAD" \
    "--expect mismatch message"

# bad input
run "$IGVMKIT" explain minimal_snp_v1.igvm --expect abcd
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit explain: --expect has 4 hex digits; a sev-snp digest has 96" \
    "--expect of the wrong length"
run "$IGVMKIT" explain minimal_snp_v1.igvm --expect xyz
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit explain: --expect: 'xyz' is not a hex digest" "--expect not hex"
run "$IGVMKIT" explain snp_tdx_v1.igvm
is "$rc:$(head -1 "$TMP/err")" "2:igvmkit explain: --platform is needed: snp_tdx_v1.igvm declares sev-snp, tdx" \
    "two platforms and no --platform"
run "$IGVMKIT" explain minimal_snp_v1.igvm --platform tdx
is "$rc:$(cat "$TMP/err")" "5:igvmkit: error: minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "undeclared platform: exit 5"
run "$IGVMKIT" explain cca_aarch64_v2.igvm
is "$rc:$(cat "$TMP/err")" "5:igvmkit: error: cca_aarch64_v2.igvm: no platform the file declares has a launch measurement (it declares: cca)" \
    "nothing measurable and no --platform: exit 5, naming what the file declares"
is "$(wc -c <"$TMP/out")" 0 "nothing measurable: nothing on stdout"
run "$IGVMKIT" explain minimal_snp_v1.igvm --loader nope
is "$rc" 2 "unknown loader: exit 2"
run "$IGVMKIT" explain no_file_data_v1.igvm
is "$rc" 3 "invalid file: exit 3"
like "$TMP/err" "^igvmkit: error: no_file_data_v1.igvm: offset 0xC: the file data section is empty" \
    "invalid file: the reader's message"

done_testing
