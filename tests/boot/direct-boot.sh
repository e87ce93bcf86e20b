#!/bin/sh
# QEMU boot of a self-contained direct-boot IGVM (firmware type none).
#
# Packs Debian's 6.1 kernel, a busybox initrd and a command line for native
# and sev-snp, takes the native memory image out of the file and boots it
# with Debian's QEMU 7.2 under TCG (which has no IGVM support): every region
# is loaded raw at its GPA (-device loader,force-raw=on) and the 64 KiB
# region ending at 4 GiB, whose last page holds the reset stub, becomes the
# firmware (-bios; QEMU wants a multiple of 64 KiB there).  The CPU starts
# at 0xFFFFFFF0 in that stub, which switches to long mode and enters the
# kernel, so the boot proves the file's own bytes: page tables, GDT,
# boot_params, e820, command line, initrd.  The initrd's init prints
# "MARKER cmdline=<contents of /proc/cmdline>"; the test asserts the exact
# command line.  Then init runs `poweroff -f`, and QEMU must exit by itself
# with status 0 within BOOT_TIMEOUT seconds (ACPI S5 through the file's
# tables: packer/linux-acpi.c).  Cases: 1 and 2 vCPUs, 512 MiB and 1 GiB (the descriptor's
# memory always equals -m).
#
# The regions come from `igvmkit extract --platform native` when that verb
# works, else from tests/tools/igvm-regions.py (a separate parser).
# Skips (TAP SKIP) without qemu-system-x86_64, busybox-static, cpio or the
# Debian kernel package.
. "$top_srcdir/tests/cli/lib.sh"
# .ci/run sets IGVMKIT_SKIP_BOOT for its second and third passes (sanitizers,
# distcheck): the guest boot does not change with how igvmkit was built.
[ -z "${IGVMKIT_SKIP_BOOT:-}" ] || skip_all "IGVMKIT_SKIP_BOOT is set"

QEMU=${QEMU:-qemu-system-x86_64}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}
MARKER=IGVMKIT-DIRECT-BOOT-OK
CACHE="$top_builddir/tests/cache"

command -v "$QEMU" >/dev/null 2>&1 || skip_all "$QEMU not installed"
[ "$PYTHON3" != false ] || skip_all "python3 not found"
kernel=$(sh "$top_srcdir/tests/lib/fetch-kernel.sh" "$CACHE" 2>"$TMP/fetch.err") ||
    skip_all "Debian kernel unavailable: $(cat "$TMP/fetch.err")"
sh "$top_srcdir/tests/lib/make-initrd.sh" "$TMP/initrd.img" "$MARKER" 2>"$TMP/initrd.err" ||
    skip_all "cannot build the busybox initrd: $(cat "$TMP/initrd.err")"
cp "$kernel" "$TMP/vmlinuz"

# regions IGVM DIR -- writes "GPA FILE" lines to DIR/list
regions() {
    rm -rf "$2"
    extracted=no
    if "$IGVMKIT" extract --platform native -o "$2" "$1" >/dev/null 2>&1 &&
        [ -f "$2/regions.json" ]; then
        "$PYTHON3" - "$2" >"$2/list" <<'PY' && extracted=yes
import json, os, sys
d = sys.argv[1]
meta = json.load(open(os.path.join(d, "regions.json")))
items = meta.get("regions", meta) if isinstance(meta, dict) else meta
for r in items:
    if r.get("file") and r.get("kind", "pages") not in ("vp_context", "vmsa"):
        print("%#x %s" % (int(str(r["gpa"]), 0), os.path.join(d, r["file"])))
PY
        if [ "${extracted:-}" = yes ]; then
            echo "# regions from igvmkit extract"
            return 0
        fi
    fi
    echo "# regions from tests/tools/igvm-regions.py"
    rm -rf "$2"
    mkdir -p "$2"
    "$PYTHON3" "$top_srcdir/tests/tools/igvm-regions.py" "$1" native "$2" >"$2.list" &&
        mv "$2.list" "$2/list"
}

# boot NAME VCPUS MEMORY_MIB CMDLINE
boot() {
    name=$1 vcpus=$2 mib=$3 cmdline=$4 dir="$TMP/$1"
    mkdir -p "$dir"
    cat >"$dir/guest.yaml" <<EOF
version: 1
firmware: {type: none}
kernel: ../vmlinuz
initrd: ../initrd.img
cmdline: "$cmdline"
memory: ${mib}M
vcpus: $vcpus
platforms:
  native: {}
  sev-snp: {}
EOF
    run "$IGVMKIT" pack "$dir/guest.yaml" -o "$dir/guest.igvm"
    is "$rc" 0 "$name: pack"
    regions "$dir/guest.igvm" "$dir/regions"
    bios= loaders=
    while read -r gpa file; do
        if [ "$gpa" = 0xffff0000 ]; then
            bios=$file
        else
            loaders="$loaders -device loader,file=$file,addr=$gpa,force-raw=on"
        fi
    done <"$dir/regions/list"
    [ -n "$bios" ] && [ "$(wc -c <"$bios")" -eq 65536 ]
    ok $? "$name: a 64 KiB firmware region ends at 4 GiB"

    # The initrd's init ends with `poweroff -f`: the kernel powers off
    # through the file's ACPI tables (FADT PM1a control block in QEMU's ICH9
    # PM block, which the reset stub maps), and QEMU exits by itself with
    # status 0.  A QEMU still running after BOOT_TIMEOUT seconds is a failure.
    # shellcheck disable=SC2086
    "$QEMU" -machine q35 -accel tcg -m "$mib" -smp "$vcpus" -nographic -no-reboot \
        -bios "$bios" $loaders >"$dir/console.log" 2>&1 &
    qemu=$!
    waited=0
    while [ "$waited" -lt "$BOOT_TIMEOUT" ] && kill -0 "$qemu" 2>/dev/null; do
        sleep 1
        waited=$((waited + 1))
    done
    if kill -0 "$qemu" 2>/dev/null; then
        kill "$qemu" 2>/dev/null
        wait "$qemu" 2>/dev/null
        qemu_rc="still running after ${BOOT_TIMEOUT}s"
    else
        wait "$qemu"
        qemu_rc=$?
    fi
    is "$qemu_rc" 0 "$name: the guest's poweroff -f ends QEMU (exit status 0)"
    grep -aq "reboot: Power down" "$dir/console.log"
    ok $? "$name: the kernel powered down (\"reboot: Power down\")"
    grep -aq "ACPI: PM: Preparing to enter system sleep state S5" "$dir/console.log"
    ok $? "$name: through ACPI S5"
    grep -aq "pci 0000:00:1f.2: BAR 5 \[mem 0x[0-9a-f]*-0x[0-9a-f]*\]: assigned" "$dir/console.log"
    ok $? "$name: PCI BARs are assigned from the DSDT's host bridge windows"
    got=$(grep -a "^$MARKER cmdline=" "$dir/console.log" | head -1 | tr -d '\r')
    if ! is "$got" "$MARKER cmdline=$cmdline" "$name: booted, /proc/cmdline is exact"; then
        echo "# last console lines:"
        tail -15 "$dir/console.log" | sed 's/^/#   /'
    fi
    grep -aq "smpboot: Total of $vcpus processors activated" "$dir/console.log"
    ok $? "$name: the kernel brings up $vcpus vCPU(s) from the MADT"
    grep -aq "BIOS-e820: \[mem 0x0000000000100000-0x$(printf '%016x' $((mib * 1048576 - 1)))\] usable" \
        "$dir/console.log"
    ok $? "$name: the kernel sees the descriptor's memory in e820"
}

boot smp1-512m 1 512 "console=ttyS0 panic=-1 igvmkit.case=one"
boot smp2-1g 2 1024 "console=ttyS0 panic=-1 igvmkit.case=two x=1,2"

done_testing
