#!/bin/sh
# igvmkit pack: a working pack, its measurement three ways (pack --measure,
# measure OUT.igvm, measure DESCRIPTOR.yaml), the sev-snp-measure golden
# value, byte-identical output from different directories and paths, and
# the provenance statement checked field by field with Python's json.
. "$top_srcdir/tests/cli/lib.sh"

# Reference value (tests/data/REFERENCE.md): snp_fw_kh.fd, 1 vCPU, EPYC-v4,
# no kernel, sev-snp-measure = igvmkit's qemu-classic profile.
GOLDEN_KH=455e67149fc7f7b71c19bb8e27cc1fbbbe5df51b94f53ee59f6b1d3c0f21ca0193179caa084100243e36d148c2f8de9d
# Debian OVMF.fd, TDX MRTD (single pass).
GOLDEN_MRTD=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47

# A minimal bzImage: setup header magic, boot protocol 2.15, cmdline_size 2048.
make_bzimage() {
    "$PYTHON3" - "$1" <<'PY'
import struct, sys
b = bytearray(16384)
b[0x1f1] = 1
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x20f)
struct.pack_into("<I", b, 0x238, 2048)
open(sys.argv[1], "wb").write(bytes(b))
PY
}

A=$TMP/a
mkdir -p "$A"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$TESTDATA/snp/snp_initrd.bin" "$A/"
make_bzimage "$A/bzImage"
cat >"$A/plain.yaml" <<'YAML'
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
platforms:
  sev-snp:
    vcpu-type: EPYC-v4
YAML
cat >"$A/guest.yaml" <<'YAML'
# SEV-SNP with kernel hashes plus native, from the repository's test firmware.
version: 1
firmware:
  type: ovmf
  path: snp_fw_kh.fd
kernel: bzImage
initrd: snp_initrd.bin
cmdline: "console=ttyS0 loglevel=7"
vcpus: 2
memory: 1G
platforms:
  native: {}
  sev-snp:
    vcpu-type: EPYC-Milan
    policy: 0x30000
YAML
cd "$A" || exit 1

# --- the golden value through pack --measure ---
run "$IGVMKIT" pack plain.yaml -o plain.igvm --measure --loader qemu-classic --bare
is "$rc" 0 "pack --measure: exit 0"
is "$(cat "$TMP/out")" "$GOLDEN_KH" "pack --measure --loader qemu-classic: sev-snp-measure's digest"
is "$(cat "$TMP/err")" "igvmkit: note: plain.yaml:6:3: sev-snp: the launch digest binds the firmware and 1 vCPU (one VMSA each: launch with -smp 1); no kernel is bound, the firmware boots what the guest's disk holds" \
    "pack --measure: what the file binds on stderr"
test -s plain.igvm
ok $? "pack --measure wrote the file"

# --- a plain pack says what the file binds, on stderr ---
run "$IGVMKIT" pack guest.yaml -o guest.igvm
is "$rc" 0 "pack: exit 0"
is "$(cat "$TMP/out")" "" "pack: nothing on stdout"
is "$(cat "$TMP/err")" "igvmkit: note: guest.yaml:13:3: sev-snp: the launch digest binds the kernel, initrd and command line by SHA-256 in the SNP kernel-hashes page (launch with exactly these -kernel/-initrd/-append) and 2 vCPUs (one VMSA each: launch with -smp 2)
igvmkit: note: guest.yaml:6:9: native: the kernel, initrd, command line and vCPU count do not reach the file (it is the same without them): the firmware gets them from the loader at launch" \
    "pack: notes say what each platform binds and what it does not"
run "$IGVMKIT" pack guest.yaml -o guest.igvm --quiet
is "$rc$(cat "$TMP/out")$(cat "$TMP/err")" "0" "pack --quiet: silent without warnings"
is "$(ls -A | grep -c '^\.igvmkit-')" 0 "pack: no temporary file left"

# --- the same measurement three ways, for every output format ---
# The digests are the same; the launch commands differ only in what the
# descriptor adds (-kernel/-initrd/-append, -m), so they are compared apart.
strip_launch() { awk '/^launch commands \(as /{exit} {print}' "$1"; }
for fmt in "" --bare; do
    "$IGVMKIT" pack guest.yaml -o guest2.igvm -q --measure $fmt >"$TMP/pack.txt" 2>&1
    "$IGVMKIT" measure guest2.igvm $fmt >"$TMP/file.txt" 2>&1
    strip_launch "$TMP/pack.txt" >"$TMP/pack.digests"
    strip_launch "$TMP/file.txt" >"$TMP/file.digests"
    cmp -s "$TMP/pack.digests" "$TMP/file.digests"
    ok $? "pack --measure $fmt equals measure OUT.igvm $fmt (launch commands aside)"
done
"$IGVMKIT" pack guest.yaml -o guest2.igvm -q --measure --json >"$TMP/pack.json" 2>&1
"$IGVMKIT" measure guest2.igvm --json >"$TMP/file.json" 2>&1
is "$("$PYTHON3" -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); a.pop("launch"); b.pop("launch"); print(a == b)' "$TMP/pack.json" "$TMP/file.json")" \
    True "pack --measure --json equals measure OUT.igvm --json (launch commands aside)"
for fmt in "" --bare; do
    "$IGVMKIT" pack guest.yaml -o guest.igvm -q --measure $fmt >"$TMP/pack.txt" 2>&1
    "$IGVMKIT" measure guest.yaml $fmt >"$TMP/desc.txt" 2>&1
    cmp -s "$TMP/pack.txt" "$TMP/desc.txt"
    ok $? "pack --measure $fmt equals measure DESCRIPTOR.yaml $fmt"
done
"$IGVMKIT" pack guest.yaml -o guest2.igvm -q --measure --bare >"$TMP/pack.txt" 2>&1
is "$(grep -c . "$TMP/pack.txt")" 1 "--bare prints one digest (one measurable platform), no launch"
# The launch section: exactly what `igvmkit launch` prints for the platforms
# measured, naming the written file.
"$IGVMKIT" pack guest.yaml -o guest2.igvm -q --measure >"$TMP/pack.txt" 2>&1
sed -n '/^launch commands (as igvmkit launch prints them):$/,$p' "$TMP/pack.txt" | tail -n +2 >"$TMP/got"
"$IGVMKIT" launch guest.yaml --igvm guest2.igvm --platform sev-snp >"$TMP/want"
cmp -s "$TMP/got" "$TMP/want"
ok $? "pack --measure: launch section equals igvmkit launch --platform sev-snp"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got" | sed 's/^/# /'
cat >"$TMP/want" <<'OUT'
# qemu, sev-snp
qemu-system-x86_64 \
    -accel kvm \
    -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
    -object igvm-cfg,id=igvm0,file=guest2.igvm \
    -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x30000 \
    -cpu EPYC-Milan \
    -smp 2 \
    -m 1024M \
    -nographic \
    -kernel bzImage \
    -initrd snp_initrd.bin \
    -append 'console=ttyS0 loglevel=7'
OUT
head -13 "$TMP/got" >"$TMP/got.cmd"
cmp -s "$TMP/got.cmd" "$TMP/want"
ok $? "pack --measure: the exact QEMU command"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/got.cmd" | sed 's/^/# /'
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); [print(c["loader"], c["platform"], c["from_igvm"], " ".join(c["argv"])) for c in d["launch"]]' "$TMP/pack.json" >"$TMP/got"
"$IGVMKIT" launch guest.yaml --igvm guest2.igvm --platform sev-snp --json |
    "$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); [print(c["loader"], c["platform"], c["from_igvm"], " ".join(c["argv"])) for c in d["commands"]]' >"$TMP/want"
cmp -s "$TMP/got" "$TMP/want"
ok $? "pack --measure --json: \"launch\" equals launch --json's commands"
is "$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["launch"][0]["argv"][-1])' "$TMP/pack.json")" \
    "console=ttyS0 loglevel=7" "pack --measure --json: the command line is one argv element"
# The in-memory model serializes to exactly the bytes pack wrote.
"$IGVMKIT" measure guest.yaml --json >"$TMP/desc.json"
is "$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$TMP/desc.json")" \
    "$(sha256sum guest.igvm | cut -d' ' -f1)" "measure DESCRIPTOR.yaml: model serializes to the packed file"


# --- reproducibility: other directories, absolute and relative paths ---
B=$TMP/b/deep/er
mkdir -p "$B"
cp snp_fw_kh.fd snp_initrd.bin bzImage guest.yaml "$B/"
(cd / && "$IGVMKIT" pack "$B/guest.yaml" -o "$B/abs.igvm" --provenance "$B/abs.json")
ok $? "pack with absolute paths from /"
(cd "$TMP" && "$IGVMKIT" pack b/deep/er/guest.yaml -o b/deep/er/rel.igvm --provenance b/deep/er/rel.json)
ok $? "pack with relative paths from another directory"
"$IGVMKIT" pack guest.yaml -o "$TMP/here.igvm" --provenance "$TMP/here.json"
ok $? "pack from the descriptor's directory"
cmp -s guest.igvm "$B/abs.igvm"
ok $? "absolute-path pack is byte-identical"
cmp -s guest.igvm "$B/rel.igvm"
ok $? "relative-path pack from elsewhere is byte-identical"
cmp -s guest.igvm "$TMP/here.igvm"
ok $? "output in another directory is byte-identical"
# Provenance names the subject by file name: same name, same statement.
(cd / && "$IGVMKIT" pack "$B/guest.yaml" -o "$B/here.igvm" --provenance "$B/here.json")
cmp -s "$TMP/here.json" "$B/here.json"
ok $? "provenance is identical from another directory"
grep -q "$TMP" "$B/abs.json"
ok $((! $?)) "provenance holds no absolute path of the build machine"

# --- provenance content ---
"$PYTHON3" - "$TMP/here.json" "$TMP/here.igvm" <<'PY' >"$TMP/prov.txt" 2>&1
import hashlib, json, sys
doc = json.load(open(sys.argv[1]))
img = open(sys.argv[2], "rb").read()
def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()
def check(cond, what):
    print(("ok " if cond else "FAIL ") + what)
check(list(doc) == ["_type", "subject", "predicateType", "predicate"], "statement keys")
check(doc["_type"] == "https://in-toto.io/Statement/v1", "_type")
check(doc["predicateType"] == "https://slsa.dev/provenance/v1", "predicateType")
check(doc["subject"] == [{"name": "here.igvm", "digest": {
    "sha256": hashlib.sha256(img).hexdigest(), "sha384": hashlib.sha384(img).hexdigest()}}],
    "subject: file name, sha256 and sha384 of the written bytes")
bd = doc["predicate"]["buildDefinition"]
check(bd["buildType"] == "https://igvmkit.dev/pack/v1", "buildType")
check(bd["externalParameters"] == {"descriptor": "guest.yaml", "spec": {
    "version": 1,
    "firmware": {"type": "ovmf", "path": "snp_fw_kh.fd"},
    "kernel": "bzImage", "initrd": "snp_initrd.bin", "cmdline": "console=ttyS0 loglevel=7",
    "vcpus": 2, "memory": 1 << 30,
    "platforms": {
        "sev-snp": {"policy": "0x30000", "vcpu-type": "EPYC-Milan", "vcpu-sig": "0xa00f11",
                    "vmm": "qemu", "guest-features": "0x1"},
        "native": {}}}}, "externalParameters: the normalized descriptor")
check(bd["resolvedDependencies"] == [
    {"name": n, "digest": {"sha256": sha256(n)}, "annotations": {"role": r}}
    for n, r in (("snp_fw_kh.fd", "firmware"), ("bzImage", "kernel"), ("snp_initrd.bin", "initrd"))],
    "resolvedDependencies: every input with its sha256")
rd = doc["predicate"]["runDetails"]
check(rd["builder"]["id"] == "https://igvmkit.dev/igvmkit", "builder id")
check(set(rd["builder"]["version"]) == {"igvmkit"}, "builder version")
PY
while read -r status what; do
    [ "$status" = ok ]
    ok $? "provenance: $what"
done <"$TMP/prov.txt"
is "$(grep -c '^ok ' "$TMP/prov.txt")" 9 "provenance: all 9 checks ran"

# --- TDX and all three platforms, with Debian's OVMF when installed ---
OVMF=/usr/share/ovmf/OVMF.fd
if [ -r "$OVMF" ]; then
    cp "$OVMF" "$A/OVMF.fd"
    cat >tdx.yaml <<'YAML'
version: 1
firmware:
  type: ovmf
  path: OVMF.fd
vcpus: 4
platforms:
  tdx: {}
  native: {}
  sev-snp: {vcpu-type: EPYC-v4}
YAML
    run "$IGVMKIT" pack tdx.yaml -o tdx.igvm --measure --bare
    is "$rc" 0 "OVMF.fd, SNP + TDX + native: exit 0"
    is "$(sed -n 2p "$TMP/out")" "$GOLDEN_MRTD" "OVMF.fd: TDX MRTD is the single-pass reference"
    is "$(grep -c . "$TMP/out")" 2 "OVMF.fd: two measurable platforms"
else
    for i in 1 2 3; do echo "ok $((tap_n + 1)) # SKIP $OVMF not installed"; tap_n=$((tap_n + 1)); done
fi

done_testing
