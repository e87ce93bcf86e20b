#!/bin/sh
# One CLI grammar (cli/options.c, igvmkit(1) COMMON OPTIONS): repeated
# single-value options, unknown options and verbs with "did you mean",
# missing and unwanted values, the same --platform names in every verb,
# -o - to standard output (byte for byte the -o FILE output), exit statuses
# in every --help, and the short options of every verb doing what the long
# ones do.
. "$top_srcdir/tests/cli/lib.sh"

W=$TMP/w
mkdir -p "$W"
cd "$W" || exit 1
SNP=$TESTDATA/minimal_snp_v1.igvm
TWO=$TESTDATA/snp_tdx_v1.igvm

# usage CMD... -- WANT-FIRST-LINE NAME: exit 2, the message, the hint line, no stdout.
usage() {
    name=$1
    want=$2
    verb=$3
    shift 3
    run "$IGVMKIT" "$@"
    is "$rc" 2 "$name: exit 2"
    is "$(cat "$TMP/err")" "$want
Try 'igvmkit$verb --help'." "$name: message"
    [ ! -s "$TMP/out" ]
    ok $? "$name: nothing on stdout"
}

# ---- repeated single-value options ---------------------------------------------------
usage "measure --vcpus twice" "igvmkit measure: option '--vcpus' given twice" " measure" \
    measure "$SNP" --vcpus 2 --vcpus 2
usage "measure --loader twice (short and long)" "igvmkit measure: option '--loader' given twice" \
    " measure" measure "$SNP" -l qemu --loader=qemu
usage "measure --json twice" "igvmkit measure: option '--json' given twice" " measure" \
    measure "$SNP" --json -j
usage "export -o twice" "igvmkit export: option '--output' given twice" " export" \
    export "$SNP" -f json -o a.json -o b.json
[ ! -e a.json ] && [ ! -e b.json ]
ok $? "export -o twice: nothing written"
usage "pack -o twice" "igvmkit pack: option '--output' given twice" " pack" \
    pack g.yaml -o a.igvm -o b.igvm
[ ! -e a.igvm ] && [ ! -e b.igvm ]
ok $? "pack -o twice: nothing written"
usage "verify --at twice" "igvmkit verify: option '--at' given twice" " verify" \
    verify --tdx-quote q --at 2025-01-01T00:00:00Z --at 2025-01-02T00:00:00Z
usage "measure --ovmf twice (sev-snp-measure form)" "igvmkit measure: option '--ovmf' given twice" \
    " measure" measure --mode snp --ovmf a.fd --ovmf b.fd --vcpus 1
# Repeatable: measure --platform.
run "$IGVMKIT" measure "$TWO" --bare --ignore-idblock -p sev-snp --platform tdx
is "$rc:$(wc -l <"$TMP/out" | tr -d ' ')" "0:2" "measure --platform twice: repeatable, two digests"

# ---- unknown options: did you mean ---------------------------------------------------
usage "measure --vcpu" "igvmkit measure: unknown option '--vcpu'; did you mean '--vcpus'?" \
    " measure" measure "$SNP" --vcpu 2
usage "inspect --jsno=x" "igvmkit inspect: unknown option '--jsno'; did you mean '--json'?" \
    " inspect" inspect --jsno=x "$SNP"
usage "lint --loder" "igvmkit lint: unknown option '--loder'; did you mean '--loader'?" " lint" \
    lint "$SNP" --loder qemu
usage "sign --idkey" "igvmkit sign: unknown option '--idkey'; did you mean '--id-key'?" " sign" \
    sign "$SNP" --idkey k.pem -o s.igvm
usage "export --frmat" "igvmkit export: unknown option '--frmat'; did you mean '--format'?" \
    " export" export "$SNP" --frmat json
usage "verify --snp-reprot" \
    "igvmkit verify: unknown option '--snp-reprot'; did you mean '--snp-report'?" " verify" \
    verify --snp-reprot r.bin
usage "no close option" "igvmkit explain: unknown option '--zzzzzzzz'" " explain" \
    explain "$SNP" --zzzzzzzz
usage "unknown short option" "igvmkit eventlog: unknown option '-x'" " eventlog" \
    eventlog -x log.dat
usage "sev-snp-measure option without --ovmf" \
    "igvmkit measure: --kernel is a sev-snp-measure option: give --ovmf FILE and --mode MODE with it" \
    " measure" measure "$SNP" --kernel vmlinuz
usage "sev-snp-measure form: --vcpu-typ" \
    "igvmkit measure: unknown option '--vcpu-typ'; did you mean '--vcpu-type'?" " measure" \
    measure --mode snp --ovmf a.fd --vcpu-typ EPYC

# ---- unknown verbs ------------------------------------------------------------------
usage "verb mesaure" "igvmkit: unknown verb 'mesaure'; did you mean 'measure'?" "" mesaure "$SNP"
usage "verb inspcet" "igvmkit: unknown verb 'inspcet'; did you mean 'inspect'?" "" inspcet "$SNP"
usage "verb frobnicate" "igvmkit: unknown verb 'frobnicate'" "" frobnicate
usage "option before the verb" "igvmkit: unknown option '--json'; a verb comes first" "" \
    --json measure "$SNP"

# ---- values: missing, unwanted, bad choices ------------------------------------------
usage "missing value" "igvmkit measure: option '--vcpus' needs a value N" " measure" \
    measure "$SNP" --vcpus
usage "missing value (short)" "igvmkit extract: option '-o' (--output) needs a value DIR" \
    " extract" extract "$SNP" -p sev-snp -o
usage "value for a flag" "igvmkit lint: option '--json' takes no value" " lint" \
    lint "$SNP" --json=yes
usage "measure --platform native" \
    "igvmkit measure: --platform: measure does not apply to platform 'native' (expected sev-snp, tdx, sev-es, sev, vbs or all)" \
    " measure" measure "$SNP" --platform native
usage "explain --platform native" \
    "igvmkit explain: --platform: explain does not apply to platform 'native' (expected sev-snp, tdx, sev-es, sev or vbs)" \
    " explain" explain "$SNP" --platform native
usage "launch --platform vbs" \
    "igvmkit launch: --platform: launch does not apply to platform 'vbs' (expected sev-snp, tdx or native)" \
    " launch" launch "$SNP" --platform vbs
usage "inspect --platform typo" \
    "igvmkit inspect: --platform: unknown platform 'sev-sn'; did you mean 'sev-snp'? (expected sev-snp, tdx, native, sev-es, sev, vbs or cca)" \
    " inspect" inspect "$SNP" --platform sev-sn
usage "extract --platform typo" \
    "igvmkit extract: --platform: unknown platform 'tdxx'; did you mean 'tdx'? (expected sev-snp, tdx, native, sev-es, sev, vbs or cca)" \
    " extract" extract "$SNP" --platform tdxx -o d
[ ! -e d ]
ok $? "extract --platform typo: nothing written"
usage "measure --loader typo" \
    "igvmkit measure: --loader: unknown loader profile 'qemu-clasic'; did you mean 'qemu-classic'? (expected qemu, qemu-classic, openvmm or qemu-8)" \
    " measure" measure "$SNP" --loader qemu-clasic
usage "export --format typo" \
    "igvmkit export: --format: unknown format 'corin'; did you mean 'corim'? (expected json, rvps, corim or intoto)" \
    " export" export "$SNP" -f corin
# The alias snp and the name native are taken wherever the verb applies to them.
for v in inspect measure explain "export -f json" launch; do
    run "$IGVMKIT" $v "$SNP" --platform snp
    is "$rc" 0 "$v --platform snp (alias of sev-snp): exit 0"
done
run "$IGVMKIT" inspect "$TESTDATA/native_vbs_v2.igvm" --platform native
is "$rc" 0 "inspect --platform native: exit 0"

# ---- -o -: standard output ------------------------------------------------------------
printf 'version: 1\nfirmware: {type: raw, path: fw.bin, gpa: 0xfffff000}\nplatforms:\n  sev-snp: {}\n' >g.yaml
head -c 4096 /dev/zero | tr '\0' '\220' >fw.bin
run "$IGVMKIT" pack g.yaml -q -o file.igvm
is "$rc" 0 "pack -o FILE: exit 0"
"$IGVMKIT" pack g.yaml -q -o - >stdout.igvm 2>"$TMP/err"
is "$?" 0 "pack -o - (stdout a file): exit 0"
cmp -s stdout.igvm file.igvm
ok $? "pack -o -: the bytes of -o FILE"
"$IGVMKIT" pack g.yaml -q -o - 2>"$TMP/err" | cat >pipe.igvm
cmp -s pipe.igvm file.igvm
ok $? "pack -o - into a pipe: the bytes of -o FILE"
[ ! -e ./- ]
ok $? "pack -o -: no file named '-'"
echo keep >appended.igvm
"$IGVMKIT" pack g.yaml -q -o - >>appended.igvm 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:igvmkit pack: -o -: standard output is a file opened for appending or not at its start; name the file with -o FILE
Try 'igvmkit pack --help'." "pack -o - >> FILE: refused, exit 2"
is "$(cat appended.igvm)" "keep" "pack -o - >> FILE: the file unchanged"
usage "pack -o - --measure" \
    "igvmkit pack: -o - and --measure cannot be combined: the measurements would mix with the image" \
    " pack" pack g.yaml -o - --measure
usage "pack -o - --provenance" \
    "igvmkit pack: -o - and --provenance cannot be combined: the statement names the file it describes" \
    " pack" pack g.yaml -o - --provenance p.json
[ ! -e p.json ]
ok $? "pack -o - --provenance: nothing written"
run "$IGVMKIT" export "$SNP" -f corim -o file.cbor
is "$rc" 0 "export -o FILE: exit 0"
"$IGVMKIT" export "$SNP" -f corim -o - >stdout.cbor 2>"$TMP/err"
is "$?" 0 "export -o -: exit 0"
cmp -s stdout.cbor file.cbor
ok $? "export -o -: the bytes of -o FILE"
[ ! -e ./- ]
ok $? "export -o -: no file named '-'"
if command -v openssl >/dev/null 2>&1; then
    openssl ecparam -name secp384r1 -genkey -noout -out id.pem 2>/dev/null
    run "$IGVMKIT" sign "$SNP" --id-key id.pem -o signed.igvm
    is "$rc" 0 "sign -o FILE: exit 0"
    "$IGVMKIT" sign "$SNP" --id-key id.pem -o - >stdout-signed.igvm 2>"$TMP/err"
    is "$?" 0 "sign -o -: exit 0"
    # ECDSA signatures differ run to run: compare the files without the ID block's signature
    # through what measure says of them (same digest, ID block verified).
    a=$("$IGVMKIT" measure signed.igvm --bare)
    b=$("$IGVMKIT" measure stdout-signed.igvm --bare)
    [ -n "$a" ] && [ "$a" = "$b" ] && [ "$(wc -c <signed.igvm)" = "$(wc -c <stdout-signed.igvm)" ]
    ok $? "sign -o -: a file of the same size and digest, its ID block verified"
else
    ok 0 "sign -o FILE (skipped: no openssl)"
    ok 0 "sign -o - (skipped: no openssl)"
    ok 0 "sign -o - output (skipped: no openssl)"
fi

# ---- --help: exit statuses -----------------------------------------------------------
for v in pack measure explain inspect extract lint sign export verify launch eventlog; do
    run "$IGVMKIT" $v --help
    is "$rc" 0 "$v --help: exit 0"
    sed -n '/^Exit status:$/,$p' "$TMP/out" >exits
    grep -q '^  2  usage error$' exits && grep -q '^  0  ' exits
    ok $? "$v --help: lists exit statuses 0 and 2"
    run "$IGVMKIT" $v -h
    "$IGVMKIT" $v --help | cmp -s - "$TMP/out"
    ok $? "$v -h: the --help text"
done
run "$IGVMKIT" measure --help
is "$(sed -n '/^Exit status:$/,$p' "$TMP/out")" "Exit status:
  0  ok
  1  internal error
  2  usage error
  3  invalid input: invalid file
  4  mismatch: the ID block does not match
  5  unsupported: platform not declared or not measurable
  6  I/O error" "measure --help: the exit statuses, exactly"

# ---- short options do what the long ones do, in every verb ---------------------------
# same NAME "SHORT ARGS" "LONG ARGS": identical stdout and exit status.
same() {
    "$IGVMKIT" $2 >short.out 2>&1
    s=$?
    "$IGVMKIT" $3 >long.out 2>&1
    l=$?
    [ "$s" = "$l" ] && cmp -s short.out long.out && [ -s short.out ]
    ok $? "$1: '$2' = '$3' (exit $s)"
}
cp "$SNP" snp.igvm
cp "$TWO" two.igvm
same "measure" "measure two.igvm -p sev-snp -l qemu-classic -j" \
    "measure two.igvm --platform sev-snp --loader qemu-classic --json"
same "measure bundled" "measure two.igvm -jptdx" "measure two.igvm --json --platform=tdx"
same "explain" "explain snp.igvm -p sev-snp -l openvmm -j" \
    "explain snp.igvm --platform sev-snp --loader openvmm --json"
same "inspect" "inspect -j -p sev-snp snp.igvm" "inspect --json --platform sev-snp snp.igvm"
same "lint" "lint snp.igvm -l cloud-hypervisor -j" "lint snp.igvm --loader cloud-hypervisor --json"
same "export" "export snp.igvm -f json -l qemu -p sev-snp" \
    "export snp.igvm --format json --loader qemu --platform sev-snp"
same "launch" "launch snp.igvm -l qemu -p sev-snp -j" \
    "launch snp.igvm --loader qemu --platform sev-snp --json"
same "eventlog" "eventlog -j $TESTDATA/evidence/tdx/gce-cos113-ccel-log.dat" \
    "eventlog --json $TESTDATA/evidence/tdx/gce-cos113-ccel-log.dat"
same "verify" "verify --tdx-quote $TESTDATA/evidence/tdx/quote-v4-debug-td.dat -j --at 2025-01-01T00:00:00Z" \
    "verify --tdx-quote $TESTDATA/evidence/tdx/quote-v4-debug-td.dat --json --at 2025-01-01T00:00:00Z"
run "$IGVMKIT" extract snp.igvm -p sev-snp -o x1
is "$rc" 0 "extract -p -o: exit 0"
run "$IGVMKIT" extract snp.igvm --platform sev-snp --output x2
cmp -s x1/regions.json x2/regions.json
ok $? "extract: -p/-o write what --platform/--output write"
run "$IGVMKIT" pack g.yaml -qo short.igvm
is "$rc:$(cat "$TMP/err")" "0:" "pack -qo FILE: exit 0, quiet"
cmp -s short.igvm file.igvm
ok $? "pack -qo: the file of --quiet --output"
run "$IGVMKIT" pack g.yaml -q -o m.igvm --measure -j -l qemu
"$IGVMKIT" measure m.igvm --json --loader qemu >"$TMP/file.json"
is "$("$PYTHON3" -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); a.pop("launch"); b.pop("launch"); print(a == b)' "$TMP/out" "$TMP/file.json")" \
    True "pack --measure -j -l: measure's JSON (launch commands aside)"
if command -v openssl >/dev/null 2>&1; then
    run "$IGVMKIT" sign snp.igvm --id-key id.pem -l qemu-classic -o s1.igvm
    is "$rc" 0 "sign -l -o: exit 0"
    "$IGVMKIT" measure s1.igvm --loader qemu-classic --bare >/dev/null 2>&1
    ok $? "sign -l qemu-classic: the ID block holds the qemu-classic digest"
else
    ok 0 "sign -l -o (skipped: no openssl)"
    ok 0 "sign -l qemu-classic (skipped: no openssl)"
fi
# "--" ends the options: a file named like an option.
cp "$SNP" ./--json
run "$IGVMKIT" inspect --summary -- --json
is "$rc" 0 "inspect -- --json: the file named --json"
done_testing
