#!/bin/sh
# QEMU boot of Debian's OVMF taken out of a packed IGVM.
#
# Packs Debian's OVMF.fd with Debian's 6.1 kernel, a busybox initrd and a
# command line for native and TDX, then takes the native memory image back
# out with `igvmkit extract --platform native`: the region that ends at
# 4 GiB is the firmware, byte for byte.  Debian's QEMU 7.2 under TCG has no
# IGVM loader, so that region boots as -bios with the descriptor's kernel,
# initrd and command line (OVMF loads them through QEMU's fw_cfg, which is
# what SEV-SNP's kernel hashes and TDX's RTMRs bind).  The initrd's init
# prints "MARKER cmdline=<contents of /proc/cmdline>" and powers off.
#
# The command line the kernel sees is the descriptor's plus " initrd=initrd":
# OVMF's QEMU kernel loader appends that when it hands an initrd to the EFI
# stub (the same string TDVF measures into RTMR2, tests/data/REFERENCE.md),
# so the test asserts exactly that.
#
# Skips (TAP SKIP) without qemu-system-x86_64, Debian's OVMF, busybox-static,
# cpio or the Debian kernel package.
. "$top_srcdir/tests/cli/lib.sh"
# .ci/run sets IGVMKIT_SKIP_BOOT for its second and third passes (sanitizers,
# distcheck): the guest boot does not change with how igvmkit was built.
[ -z "${IGVMKIT_SKIP_BOOT:-}" ] || skip_all "IGVMKIT_SKIP_BOOT is set"

QEMU=${QEMU:-qemu-system-x86_64}
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
MARKER=IGVMKIT-OVMF-BOOT-OK
CACHE="$top_builddir/tests/cache"
CMDLINE="console=ttyS0 panic=-1 igvmkit.test=ovmf-boot"

command -v "$QEMU" >/dev/null 2>&1 || skip_all "$QEMU not installed"
command -v timeout >/dev/null 2>&1 || skip_all "timeout (coreutils) not found"
[ -r "$OVMF" ] || skip_all "$OVMF not installed (Debian package ovmf)"
[ "$PYTHON3" != false ] || skip_all "python3 not found"
kernel=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$CACHE" 2>"$TMP/fetch.err") ||
    skip_all "Debian kernel unavailable: $(cat "$TMP/fetch.err")"
sh "$top_srcdir/tests/lib/make-initrd.sh" "$TMP/initrd.img" "$MARKER" 2>"$TMP/initrd.err" ||
    skip_all "cannot build the busybox initrd: $(cat "$TMP/initrd.err")"

cd "$TMP" || exit 1
cp "$OVMF" OVMF.fd
cp "$kernel" vmlinuz
cat >guest.yaml <<YAML
version: 1
firmware:
  type: ovmf
  path: OVMF.fd
kernel: vmlinuz
initrd: initrd.img
cmdline: "$CMDLINE"
vcpus: 2
memory: 512M
platforms:
  native: {}
  tdx: {}
YAML

run "$IGVMKIT" pack guest.yaml -o guest.igvm
is "$rc" 0 "pack OVMF.fd + kernel + initrd + cmdline for native and TDX"

run "$IGVMKIT" extract guest.igvm --platform native -o extracted
is "$rc" 0 "extract --platform native"

# The region whose last byte is just below 4 GiB, from regions.json.
bios=$("$PYTHON3" - extracted/regions.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
top = [r for r in doc["regions"] if r["gpa"] + r["size"] == 1 << 32]
print("extracted/" + top[0]["file"] if len(top) == 1 else "")
PY
)
[ -n "$bios" ]
ok $? "one region ends at 4 GiB ($bios)"
cmp -s "$bios" OVMF.fd
ok $? "that region is OVMF.fd byte for byte"

timeout "$BOOT_TIMEOUT" "$QEMU" -machine q35 -accel tcg -m 512 -smp 2 -nographic -no-reboot \
    -bios "$bios" -kernel vmlinuz -initrd initrd.img -append "$CMDLINE" \
    </dev/null >console.log 2>&1
is "$?" 0 "QEMU powered off within ${BOOT_TIMEOUT} s"
got=$(grep -a "^$MARKER cmdline=" console.log | head -1 | tr -d '\r')
if ! is "$got" "$MARKER cmdline=$CMDLINE initrd=initrd" "booted; /proc/cmdline is the descriptor's plus OVMF's initrd=initrd"; then
    echo "# last console lines:"
    tail -15 console.log | sed 's/^/#   /'
fi

done_testing
