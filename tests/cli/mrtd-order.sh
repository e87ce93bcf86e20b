# The TDX page order of the loader profiles, with Debian's OVMF.fd: single
# pass (qemu, the default) 4c7206f0...231c47 and two pass (qemu-8, QEMU 8.x
# TDX stacks) acccbcc8...43f7e1 (tests/data/REFERENCE.md), in measure,
# explain, export and verify.
. "$top_srcdir/tests/cli/lib.sh"

OVMF=/usr/share/ovmf/OVMF.fd
ONE=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47
TWO=acccbcc870a381adab0d3919d90a7f268ac3b0364771f202ed4bb4e892d045b33db3b32e6924cba830a724eed443f7e1
[ "$PYTHON3" != false ] || skip_all "python3 not found"
[ -f "$OVMF" ] || skip_all "$OVMF not installed (Debian package ovmf)"
[ "$(sha256sum <"$OVMF" | cut -d' ' -f1)" = 7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773 ] ||
    skip_all "$OVMF is not the reference build (Debian 2022.11-6+deb12u2)"

cp "$OVMF" "$TMP/OVMF.fd"
printf 'version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\nplatforms:\n  tdx: {}\n' >"$TMP/tdx.yaml"
"$IGVMKIT" pack "$TMP/tdx.yaml" -o "$TMP/tdx.igvm"
ok $? "pack Debian OVMF.fd for TDX"

run "$IGVMKIT" measure "$TMP/tdx.igvm" --bare
is "$rc:$(cat "$TMP/out")" "0:$ONE" "measure: single pass by default"
run "$IGVMKIT" measure "$TMP/tdx.igvm" --bare --loader qemu-8
is "$rc:$(cat "$TMP/out")" "0:$TWO" "measure --loader qemu-8: two pass"
run "$IGVMKIT" measure "$TMP/tdx.yaml" --bare --loader qemu-8
is "$rc:$(cat "$TMP/out")" "0:$TWO" "the descriptor measures the same"
run "$IGVMKIT" measure "$TMP/tdx.igvm" --bare --loader openvmm
is "$rc:$(cat "$TMP/out")" "0:$ONE" "openvmm: single pass"

run "$IGVMKIT" explain "$TMP/tdx.igvm" --loader qemu-8 --expect $TWO
is "$rc" 0 "explain --loader qemu-8 --expect two-pass: match"
is "$(sed -n 2p "$TMP/out")" "order: two passes per region: every page of a run of consecutive pages is added (TDH.MEM.PAGE.ADD), then its measured pages are extended (TDH.MR.EXTEND); QEMU 8.x TDX stacks" "explain shows the two-pass order"
like "$TMP/out" "^     1  #2 PAGE_DATA +0x00000000ffe20000 +normal add +- +d8f262f447c1d4c1\$" "step 1: the first BFV page added only"
like "$TMP/out" "^   481  #2 PAGE_DATA +0x00000000ffe20000 +normal extend +b66a1b1c72781ff3 +9a425ba38476cf5a\$" "step 481: the same page extended after the 480 adds of its section"
like "$TMP/out" "^digest: $TWO \\(sha384\\)\$" "explain: final digest"
run "$IGVMKIT" explain "$TMP/tdx.igvm"
is "$(sed -n 2p "$TMP/out")" "order: single pass: each page is added (TDH.MEM.PAGE.ADD) and, when measured, extended (TDH.MR.EXTEND) before the next; upstream KVM, QEMU 9 and later" "explain shows the single-pass order"
like "$TMP/out" "^     1  #2 PAGE_DATA +0x00000000ffe20000 +normal add\\+ext +b66a1b1c72781ff3 +f1b7d2e3263be734\$" "step 1: added and extended"
run "$IGVMKIT" explain "$TMP/tdx.igvm" --loader qemu-8 --expect $ONE
is "$rc" 4 "explain: the single-pass digest under qemu-8 is a mismatch"

run "$IGVMKIT" export "$TMP/tdx.igvm" --format json --loader qemu-8
is "$rc" 0 "export --loader qemu-8"
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["measurements"][0]["loader"], d["measurements"][0]["digest"])' "$TMP/out" >"$TMP/j"
is "$(cat "$TMP/j")" "qemu-8 $TWO" "export: loader qemu-8, the two-pass MRTD"

# verify: a quote carrying the two-pass MRTD (unsigned, built here).
"$PYTHON3" - "$TWO" "$TMP/q.bin" <<'PY'
import struct, sys
q = bytearray(636)
struct.pack_into("<HHI", q, 0, 4, 2, 0x81)
q[184:232] = bytes.fromhex(sys.argv[1])
open(sys.argv[2], "wb").write(q)
PY
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q.bin" --no-signature --loader qemu-8
is "$rc" 0 "verify --loader qemu-8: two-pass MRTD matches"
like "$TMP/out" "^MRTD +$TWO +$TWO +match\$" "MRTD row"
run "$IGVMKIT" verify --wide "$TMP/tdx.igvm" --tdx-quote "$TMP/q.bin" --no-signature
is "$rc" 4 "verify with the default profile: MRTD mismatch"
like "$TMP/out" "^MRTD +$ONE +$TWO +MISMATCH\$" "MRTD row: single pass expected"

done_testing
