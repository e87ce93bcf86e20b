#!/bin/sh
# igvmkit launch: the exact QEMU and cloud-hypervisor command lines printed
# for a descriptor and for the file it packs to (text and JSON), the notes
# that say what must not change, and the refusals (exit codes and messages).
# Where a QEMU with IGVM support (10.0 or later: an igvm-cfg object) is
# installed, the native command is run under TCG on a direct-boot guest and
# must reach the guest's init; elsewhere that case is skipped with the reason.
. "$top_srcdir/tests/cli/lib.sh"

A=$TMP/a
mkdir -p "$A"
cp "$TESTDATA/snp/snp_fw_kh.fd" "$TESTDATA/snp/snp_initrd.bin" "$A/"
"$PYTHON3" - "$A/bzImage" <<'PY'
import struct, sys
b = bytearray(16384)
b[0x1f1] = 1
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x20f)
struct.pack_into("<I", b, 0x238, 2048)
open(sys.argv[1], "wb").write(bytes(b))
PY
cat >"$A/guest.yaml" <<'YAML'
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

# --- a descriptor: every platform, with the files the hash table binds ---
run "$IGVMKIT" launch guest.yaml
is "$rc" 0 "launch guest.yaml exits 0"
cat >"$TMP/want" <<'OUT'
# qemu, sev-snp
qemu-system-x86_64 \
    -accel kvm \
    -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
    -object igvm-cfg,id=igvm0,file=guest.igvm \
    -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x30000 \
    -cpu EPYC-Milan \
    -smp 2 \
    -m 1024M \
    -nographic \
    -kernel bzImage \
    -initrd snp_initrd.bin \
    -append 'console=ttyS0 loglevel=7'
# note: -smp must equal the file's 2 VMSAs
# note: cbitpos=51 and reduced-phys-bits=1 hold on Milan, Genoa and Turin hosts (CPUID 0x8000001F EBX)
# note: -kernel, -initrd and -append must be exactly the packed files: OVMF checks them against the hash table at GPA 0x810c00

# qemu, native
qemu-system-x86_64 \
    -accel kvm \
    -machine q35,igvm-cfg=igvm0 \
    -object igvm-cfg,id=igvm0,file=guest.igvm \
    -cpu host \
    -smp 2 \
    -m 1024M \
    -nographic \
    -kernel bzImage \
    -initrd snp_initrd.bin \
    -append 'console=ttyS0 loglevel=7'
# note: the native platform measures nothing: -kernel, -initrd and -append are not bound by the file
OUT
cmp -s "$TMP/out" "$TMP/want"
ok $? "QEMU commands for the descriptor, byte for byte"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/out" | sed 's/^/# /'

# --- the packed file alone: the hash table is found, the files are not known ---
run "$IGVMKIT" pack guest.yaml -o guest.igvm
is "$rc" 0 "pack guest.yaml"
run "$IGVMKIT" launch guest.igvm --platform sev-snp
is "$rc" 0 "launch guest.igvm --platform sev-snp exits 0"
like "$TMP/out" "^    -m 2048M \\\\$" "without a descriptor -m defaults to 2 GiB"
like "$TMP/out" "^# note: -m: any size of at least 9 MiB holds the file's pages$" \
    "the note gives the smallest -m that holds the pages"
like "$TMP/out" "^# note: the file binds a kernel through OVMF's hash table at GPA 0x810c00: add -kernel, -initrd and -append with exactly the packed files$" \
    "the note asks for the packed kernel, initrd and command line"
if grep -q -- '^    -kernel' "$TMP/out"; then ok 1 "no -kernel without a descriptor"; else ok 0 "no -kernel without a descriptor"; fi
is "$(grep -c '^# qemu' "$TMP/out")" 1 "--platform prints one command"

# --- cloud-hypervisor: SEV-SNP only ---
run "$IGVMKIT" launch guest.igvm --loader cloud-hypervisor --memory 4G
is "$rc" 0 "launch --loader cloud-hypervisor exits 0"
cat >"$TMP/want" <<'OUT'
# cloud-hypervisor, sev-snp
cloud-hypervisor \
    --igvm guest.igvm \
    --platform sev_snp=on \
    --cpus boot=2 \
    --memory size=4096M \
    --serial tty \
    --console off
# note: cloud-hypervisor built with the igvm and sev_snp features; it reads only the file's first platform, which must be SEV-SNP
# note: --cpus boot must equal the file's 2 VMSAs
OUT
cmp -s "$TMP/out" "$TMP/want"
ok $? "cloud-hypervisor command, byte for byte"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/out" | sed 's/^/# /'
run "$IGVMKIT" launch guest.igvm --loader cloud-hypervisor --platform native
is "$rc" 5 "cloud-hypervisor native: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: guest.igvm: cloud-hypervisor loads only SEV-SNP from IGVM files, not native" \
    "cloud-hypervisor native: message"

# --- TDX: launched from the firmware, as the MRTD was computed ---
run "$IGVMKIT" launch "$TESTDATA/snp_tdx_v1.igvm" --platform tdx --igvm g.igvm
is "$rc" 0 "launch --platform tdx exits 0"
like "$TMP/out" "^# qemu, tdx \\(launched without the IGVM file\\)$" "the TDX command says it does not use the file"
like "$TMP/out" "^    -object tdx-guest,id=tdx0 \\\\$" "tdx-guest object"
like "$TMP/out" "^    -bios OVMF.fd \\\\$" "placeholder firmware without a descriptor"
like "$TMP/out" "^# note: QEMU loads no TDX directives from IGVM files" "note: QEMU loads no TDX from IGVM"

# --- JSON: same argv, a schema version ---
run "$IGVMKIT" launch guest.yaml --json
is "$rc" 0 "launch --json exits 0"
"$PYTHON3" - "$TMP/out" >"$TMP/json.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["file"], len(d["commands"]))
for c in d["commands"]:
    print(c["loader"], c["platform"], c["from_igvm"], " ".join(c["argv"]))
PY
cat >"$TMP/want" <<'OUT'
1 guest.igvm 2
qemu sev-snp True qemu-system-x86_64 -accel kvm -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 -object igvm-cfg,id=igvm0,file=guest.igvm -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x30000 -cpu EPYC-Milan -smp 2 -m 1024M -nographic -kernel bzImage -initrd snp_initrd.bin -append console=ttyS0 loglevel=7
qemu native True qemu-system-x86_64 -accel kvm -machine q35,igvm-cfg=igvm0 -object igvm-cfg,id=igvm0,file=guest.igvm -cpu host -smp 2 -m 1024M -nographic -kernel bzImage -initrd snp_initrd.bin -append console=ttyS0 loglevel=7
OUT
cmp -s "$TMP/json.txt" "$TMP/want"
ok $? "JSON commands equal the text ones"
[ $? -eq 0 ] || diff "$TMP/want" "$TMP/json.txt" | sed 's/^/# /'

# --- refusals: exit codes and messages, nothing on stdout ---
run "$IGVMKIT" launch guest.igvm --loader openvmm
is "$rc" 2 "--loader openvmm: usage error"
like "$TMP/err" "^igvmkit launch: --loader: launch does not apply to loader 'openvmm' \\(expected qemu or cloud-hypervisor\\)$" "--loader openvmm: message"
run "$IGVMKIT" launch guest.igvm --memory 12Q
is "$rc" 2 "--memory 12Q: usage error"
like "$TMP/err" "^igvmkit launch: --memory: '12Q' is not a size$" "--memory 12Q: message"
run "$IGVMKIT" launch guest.igvm --platform vbs
is "$rc" 2 "--platform vbs: usage error"
run "$IGVMKIT" launch "$TESTDATA/minimal_snp_v1.igvm" --platform tdx
is "$rc" 5 "a platform the file lacks: exit 5"
is "$(cat "$TMP/err")" "igvmkit: error: $TESTDATA/minimal_snp_v1.igvm: the file does not declare platform tdx (it declares: sev-snp)" \
    "a platform the file lacks: message names the file"
is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "a platform the file lacks: nothing on stdout"
run "$IGVMKIT" launch "$TESTDATA/snp/snp_fw_kh.fd"
is "$rc" 3 "a firmware file instead of IGVM: exit 3"
run "$IGVMKIT" launch
is "$rc" 2 "no input: usage error"


# --- the README's worked examples are exactly what launch prints ---
# readme_block NAME: the lines of the README code block after <!-- launch-example:NAME -->,
# without the fence and the "$ igvmkit launch" prompt line.
readme_block() {
    sed -n "/<!-- launch-example:$1 -->/,/^\`\`\`\$/p" "$top_srcdir/README.md" |
        sed '1,3d;$d'
}
for ex in snp-kernel-hashes tee-node; do
    E=$TMP/ex-$ex
    mkdir -p "$E"
    cp "$top_srcdir/examples/$ex/guest.yaml" "$E/"
    cp "$A/bzImage" "$E/vmlinuz"
    cp "$TESTDATA/snp/snp_initrd.bin" "$E/initrd.img"
    cp "$TESTDATA/snp/snp_fw_kh.fd" "$E/fw-kernel-hashes.fd"
    if [ "$ex" = tee-node ]; then
        if [ ! -f /usr/share/ovmf/OVMF.fd ]; then
            echo "ok $((tap_n + 1)) # SKIP README example $ex: Debian's ovmf is not installed"
            tap_n=$((tap_n + 1))
            continue
        fi
        cp /usr/share/ovmf/OVMF.fd "$E/OVMF.fd"
        # TDX with a kernel predicts RTMR1: pack checks the kernel as the
        # firmware will load it, so this example needs a real one.
        if ! kernel=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$top_builddir/tests/cache" 2>/dev/null); then
            echo "ok $((tap_n + 1)) # SKIP README example $ex: Debian kernel unavailable"
            tap_n=$((tap_n + 1))
            continue
        fi
        cp "$kernel" "$E/vmlinuz"
    fi
    readme_block "$ex" >"$TMP/readme-$ex"
    (cd "$E" && "$IGVMKIT" launch guest.yaml) >"$TMP/launch-$ex" 2>&1
    [ -s "$TMP/readme-$ex" ] && cmp -s "$TMP/readme-$ex" "$TMP/launch-$ex"
    ok $? "README example $ex equals igvmkit launch"
    cmp -s "$TMP/readme-$ex" "$TMP/launch-$ex" || diff "$TMP/readme-$ex" "$TMP/launch-$ex" | sed 's/^/# /'
done

# --- the native command boots where QEMU has IGVM support ---
QEMU=${QEMU:-qemu-system-x86_64}
if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "ok $((tap_n + 1)) # SKIP native boot: $QEMU not installed"
    tap_n=$((tap_n + 1))
elif ! "$QEMU" -object help 2>/dev/null | grep -q '^  igvm-cfg$'; then
    echo "ok $((tap_n + 1)) # SKIP native boot: $("$QEMU" --version | head -1) has no igvm-cfg object (IGVM needs QEMU 10.0 or later); tests/boot/direct-boot.sh boots the same files through extract"
    tap_n=$((tap_n + 1))
elif [ -n "${IGVMKIT_SKIP_BOOT:-}" ]; then
    echo "ok $((tap_n + 1)) # SKIP native boot: IGVMKIT_SKIP_BOOT is set"
    tap_n=$((tap_n + 1))
elif ! kernel=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$top_builddir/tests/cache" 2>/dev/null) ||
    ! sh "$top_srcdir/tests/lib/make-initrd.sh" "$A/initrd.img" IGVMKIT-LAUNCH-OK 2>/dev/null; then
    echo "ok $((tap_n + 1)) # SKIP native boot: Debian kernel or busybox initrd unavailable"
    tap_n=$((tap_n + 1))
else
    cp "$kernel" "$A/vmlinuz"
    cat >"$A/direct.yaml" <<'YAML'
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "console=ttyS0 panic=-1"
memory: 512M
platforms:
  native: {}
YAML
    "$IGVMKIT" pack direct.yaml -o direct.igvm >/dev/null 2>&1
    "$IGVMKIT" launch direct.yaml --json >"$TMP/direct.json"
    "$PYTHON3" -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["commands"][0]["argv"]))' \
        "$TMP/direct.json" | sed 's/^kvm$/tcg/; s/^host$/max/' >"$TMP/argv"
    set --
    while IFS= read -r a; do set -- "$@" "$a"; done <"$TMP/argv"
    shift
    # The initrd's init ends with `poweroff -f`: QEMU exits 0 by itself
    # (ACPI S5 through the file's tables); timeout's 124 means it did not.
    timeout 120 "$QEMU" "$@" -no-reboot </dev/null >"$TMP/boot.log" 2>&1
    is "$?" 0 "the guest's poweroff -f ends QEMU with exit status 0"
    like "$TMP/boot.log" IGVMKIT-LAUNCH-OK "the printed native command boots the guest (QEMU $("$QEMU" --version | head -1))"
fi

done_testing
