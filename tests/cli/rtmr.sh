#!/bin/sh
# TDX RTMR prediction through 'igvmkit export' for a descriptor with TDX,
# OVMF firmware and a kernel (tests/data/REFERENCE.md, "TDX RTMR1 / RTMR2 for
# OVMF direct kernel boot"; MRTD of Debian's OVMF.fd, single pass).  Needs
# Debian's ovmf package and the reference Debian kernel, fetched at test time
# by tests/lib/fetch-kernel.sh; skipped when either is missing.
. "$top_srcdir/tests/cli/lib.sh"

OVMF=/usr/share/ovmf/OVMF.fd
OVMF_SHA256=7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773
MRTD=4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47
EV1_1G=86a81acec74a5b2ede0e7ebe80c54e7fe52489d8c67d203c9e77827d88ca651fbee20d17170f4e6685ebf768ab3430e0
EV1_2G=02680411180cc89acf64e570ab2adf17f08221ea89d93af8c90ac79b5eb4d74dc4169bd508c816746f441f6f080bd1a5
RTMR1_1G=884eec1957beb9236cbfc41f5451c76b1002ececffd78559de8a7c713819f4ac067678f7b2b048c22957c3bfac49a98f
RTMR1_2G=b638476f4ba1724fd30602f7489d3f795326a466a0d814bd5ac58d2c39e72aa6c5fceef0706705af2a4ae510cc3001a0
RTMR2=fe42f5cbb4cc0609cbe5e3822cb83134d1e474e0c8f010753c719b3de0f23473c9b7b80b0cda657f859e3ee5ef50d36d
EV_CMDLINE=68f7f5ce56b52054ea6be4e8136608cdf0b3b29a2c0ea6fff2f32910c1e87118dc21e7e7b9d8b42ebd085e8c029cbf2c
EV_INITRD=3260f82b5aa8d3fab11a57dd3090a76f5acf12593452e64757f28b58cb3f61a3e8ac71a60ef090f5ba5a0d6b963d4e6f
FIXED="77a0dab2312b4e1e57a84d865a21e5b2ee8d677a21012ada819d0a98988078d3d740f6346bfe0abaa938ca20439a8d71 394341b7182cd227c5c6b07ef8000cdfd86136c4292b8e576573ad7ed9ae41019f5818b4b971c9effc60e1ad9f1289f0 214b0bef1379756011344877743fdc2a5382bac6e70362d624ccf3f654407c1b4badf7d8f9295dd3dabdef65b27677e0 0a2e01c85deae718a530ad8c6d20a84009babe6c8989269e950d8cf440c6e997695e64d455c4174a652cd080f6230b74"
CMDLINE="console=ttyS0 root=/dev/vda1 ro"

[ -f "$OVMF" ] || skip_all "$OVMF not installed (Debian package ovmf)"
KERNEL=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$top_builddir/tests/cache" 2>"$TMP/fetch") ||
    skip_all "reference kernel not available: $(cat "$TMP/fetch")"
PY=${PYTHON3:-python3}
"$PY" -c 'import json' 2>/dev/null || skip_all "no python3"

jget() {
    "$PY" -c 'import json, sys, base64
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2"
}

# descriptor NAME MEMORY [initrd=no]
descriptor() {
    {
        echo "version: 1"
        echo "firmware: {type: ovmf, path: $OVMF}"
        echo "kernel: $KERNEL"
        [ "${3:-}" = no ] || echo "initrd: $TESTDATA/tdx/tdx_initrd.bin"
        echo "cmdline: \"$CMDLINE\""
        echo "memory: $2"
        echo "platforms: {tdx: {}}"
    } >"$TMP/$1.yaml"
}

descriptor g1 1G
run "$IGVMKIT" export "$TMP/g1.yaml" --format json -o "$TMP/g1.json"
is "$rc" 0 "1 GiB: export exits 0"
if [ "$(sha256sum "$OVMF" | cut -d' ' -f1)" = "$OVMF_SHA256" ]; then
    is "$(jget "$TMP/g1.json" 'd["measurements"][0]["digest"]')" "$MRTD" "MRTD of Debian OVMF.fd"
else
    ok 0 "MRTD of Debian OVMF.fd # SKIP $OVMF is another build"
fi
is "$(jget "$TMP/g1.json" 'd["tdx_rtmr"]["memory"]')" 1073741824 "1 GiB: memory recorded"
is "$(jget "$TMP/g1.json" 'd["tdx_rtmr"]["rtmr1"]["events"][0]["digest"]')" "$EV1_1G" \
    "1 GiB: RTMR1 event 1 (patched kernel, Authenticode SHA-384)"
is "$(jget "$TMP/g1.json" '" ".join(e["digest"] for e in d["tdx_rtmr"]["rtmr1"]["events"][1:])')" \
    "$FIXED" "RTMR1 events 2..5"
is "$(jget "$TMP/g1.json" 'd["tdx_rtmr"]["rtmr1"]["value"]')" "$RTMR1_1G" "1 GiB: RTMR1"
is "$(jget "$TMP/g1.json" '[e["digest"] for e in d["tdx_rtmr"]["rtmr2"]["events"]]')" \
    "['$EV_CMDLINE', '$EV_INITRD']" "RTMR2 events: command line with ' initrd=initrd', initrd"
is "$(jget "$TMP/g1.json" 'd["tdx_rtmr"]["rtmr2"]["value"]')" "$RTMR2" "RTMR2"

for mem in 2G 4G; do
    descriptor "m$mem" "$mem"
    run "$IGVMKIT" export "$TMP/m$mem.yaml" --format json -o "$TMP/m$mem.json"
    is "$(jget "$TMP/m$mem.json" 'd["tdx_rtmr"]["rtmr1"]["events"][0]["digest"]')" "$EV1_2G" \
        "$mem: RTMR1 event 1"
    is "$(jget "$TMP/m$mem.json" 'd["tdx_rtmr"]["rtmr1"]["value"]')" "$RTMR1_2G" "$mem: RTMR1"
    is "$(jget "$TMP/m$mem.json" 'd["tdx_rtmr"]["rtmr2"]["value"]')" "$RTMR2" "$mem: RTMR2"
done

run "$IGVMKIT" export "$TMP/g1.yaml" --format rvps
is "$(jget "$TMP/out" 'json.loads(base64.b64decode(d["payload"]))')" \
    "{'mr_td': ['$(jget "$TMP/g1.json" 'd["measurements"][0]["digest"]')'], 'rtmr_1': ['$RTMR1_1G'], 'rtmr_2': ['$RTMR2'], 'tdvfkernel': ['$EV1_1G'], 'tdvfkernelparams': ['$EV_CMDLINE']}" \
    "rvps: mr_td, rtmr_1, rtmr_2, tdvfkernel, tdvfkernelparams"

run "$IGVMKIT" export "$TMP/g1.yaml" --format intoto
is "$(jget "$TMP/out" 'd["predicate"]["tdx_rtmr"]["rtmr1"]["value"]')" "$RTMR1_1G" \
    "intoto: the predicate carries the RTMR prediction"
is "$(jget "$TMP/out" 'd["subject"][0]["name"]')" "g1.igvm" "intoto: subject named after the descriptor"

# Without an initrd: no suffix, no initrd event, ramdisk fields untouched.
descriptor noinitrd 1G no
run "$IGVMKIT" export "$TMP/noinitrd.yaml" --format json -o "$TMP/noinitrd.json"
is "$rc" 0 "no initrd: export exits 0"
WANT=$("$PY" -c 'import hashlib, sys; print(hashlib.sha384((sys.argv[1] + "\0").encode("utf-16-le")).hexdigest())' "$CMDLINE")
is "$(jget "$TMP/noinitrd.json" '[e["digest"] for e in d["tdx_rtmr"]["rtmr2"]["events"]]')" "['$WANT']" \
    "no initrd: RTMR2 holds only the command line, without ' initrd=initrd'"

# Bad input: a kernel that is not a bzImage; nothing written.
sed "s#^kernel: .*#kernel: $TESTDATA/snp/snp_kernel.bin#" "$TMP/g1.yaml" >"$TMP/bad.yaml"
run "$IGVMKIT" export "$TMP/bad.yaml" --format json -o "$TMP/bad.json"
is "$rc" 3 "kernel that is not a bzImage: exit 3"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/snp/snp_kernel.bin: offset 0x202: not an x86 bzImage (no \"HdrS\" setup header magic at offset 0x202)" \
    "kernel that is not a bzImage: message"
[ ! -e "$TMP/bad.json" ]
ok $? "kernel that is not a bzImage: nothing written"

done_testing
