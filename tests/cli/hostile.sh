#!/bin/sh
# Hostile inputs (issue 12), one class at a time, on small generated files:
# a FIFO as every kind of input (refused at once, never waited on), sizes and
# counts beyond the resource limits (exit 3 naming the limit, peak memory
# under 256 MiB), truncated kernels, octal-looking numbers, deep YAML, a key
# with a NUL, settings packing would drop, secrets in provenance, messages
# without the file, and a file truncated while it is read.  Each case checks
# the exit status, the exact message and that nothing was written.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
MKFW="$top_srcdir/tests/tools/make-firmware.py"
W=$TMP/w
mkdir -p "$W"
cd "$W" || exit 1

# A TIMEOUT guards every run that could hang: 124 means it hung.
T="timeout 20"
have_time=false
[ -x /usr/bin/time ] && have_time=true

# nothing_left NAME: no output and no temporary in the directory.
nothing_left() {
    is "$(ls -A | grep -E '^(out|\.igvmkit-)' | tr '\n' ' ')" "" "$1: nothing written"
}

# check NAME STATUS WANT-STDERR CMD...: exit status, exact stderr, nothing written.
check() {
    name=$1 status=$2 want=$3
    shift 3
    run $T "$@"
    is "$rc" "$status" "$name: exit status $status"
    is "$(cat "$TMP/err")" "$want" "$name: message"
    nothing_left "$name"
}

# peak NAME CMD...: runs CMD under /usr/bin/time and checks its peak RSS < 256 MiB.
peak() {
    name=$1
    shift
    if ! $have_time; then
        ok 0 "$name: peak memory (skipped: no /usr/bin/time)"
        return
    fi
    /usr/bin/time -f "%M" -o "$TMP/rss" $T "$@" >/dev/null 2>&1
    kb=$(tail -1 "$TMP/rss")
    [ "$kb" -lt 262144 ] 2>/dev/null
    ok $? "$name: peak RSS ${kb} KiB < 256 MiB"
}

# ---- inputs: synthetic firmware and kernels -------------------------------------
"$PYTHON3" "$MKFW" tdx.fd --tdvf 0:0x10000:0xffff0000:0x10000:0:1
cp "$TESTDATA/minimal_snp_v1.igvm" snp.igvm
openssl ecparam -name secp384r1 -genkey -noout -out id.pem 2>/dev/null
"$PYTHON3" - <<'PY'
import struct
# A bzImage header (boot protocol 2.15) whose syssize promises 64 KiB of
# protected-mode code, cut one byte after the setup.
img = bytearray(2 * 512 + 1)
img[0x1F1] = 1
struct.pack_into("<I", img, 0x1F4, 0x1000)
struct.pack_into("<H", img, 0x1FE, 0xAA55)
img[0x200:0x202] = b"\xeb\x6a"
img[0x202:0x206] = b"HdrS"
struct.pack_into("<H", img, 0x206, 0x20F)
img[0x211] = 1
struct.pack_into("<I", img, 0x22C, 0x7FFFFFFF)
struct.pack_into("<I", img, 0x230, 0x200000)
img[0x234] = 1
struct.pack_into("<H", img, 0x236, 0x7F)
struct.pack_into("<I", img, 0x238, 0x7FF)
struct.pack_into("<Q", img, 0x258, 0x1000000)
struct.pack_into("<I", img, 0x260, 0x100000)
open("truncated-bzImage", "wb").write(img)
# 600 bytes with a setup header: what the firmware path must not accept for TDX.
k = bytearray(600)
k[0x1F1] = 1
k[0x202:0x206] = b"HdrS"
struct.pack_into("<H", k, 0x206, 0x20F)
struct.pack_into("<I", k, 0x238, 2048)
open("k600", "wb").write(k)
PY

# ---- 4: a FIFO as any input is refused at once --------------------------------
mkfifo fifo
fifo_msg="igvmkit: error: fifo: not a regular file (a FIFO)"
check "FIFO as IGVM (inspect)" 6 "$fifo_msg" "$IGVMKIT" inspect fifo
check "FIFO as IGVM (measure)" 6 "$fifo_msg" "$IGVMKIT" measure fifo
check "FIFO as IGVM (sign)" 6 "$fifo_msg" "$IGVMKIT" sign fifo -o out.igvm --id-key id.pem
check "FIFO as descriptor" 6 "igvmkit: error: fifo.yaml: not a regular file (a FIFO)" \
    sh -c 'mkfifo fifo.yaml && exec "$0" pack fifo.yaml -o out.igvm' "$IGVMKIT"
rm -f fifo.yaml
for key in firmware kernel initrd; do
    case $key in
    firmware) body="firmware: {type: ovmf, path: fifo}" ;;
    kernel) body="firmware: {type: none}
kernel: fifo" ;;
    initrd) body="firmware: {type: none}
kernel: truncated-bzImage
initrd: fifo" ;;
    esac
    printf 'version: 1\n%s\nplatforms:\n  native: {}\n' "$body" >g.yaml
    line=$(grep -n fifo g.yaml | cut -d: -f1)
    col=$(grep fifo g.yaml | awk '{print index($0, "fifo")}')
    check "FIFO as $key" 3 "igvmkit: error: g.yaml:$line:$col: $key 'fifo' is not a regular file" \
        "$IGVMKIT" pack g.yaml -o out.igvm
done
check "FIFO as --id-key" 6 "igvmkit: error: fifo: not a regular file (a FIFO)" \
    "$IGVMKIT" sign snp.igvm -o out.igvm --id-key fifo
openssl ec -in id.pem -pubout -out id-pub.pem 2>/dev/null
check "FIFO as --attach" 6 "igvmkit: error: fifo: not a regular file (a FIFO)" \
    "$IGVMKIT" sign snp.igvm -o out.igvm --attach fifo --id-pub id-pub.pem
check "FIFO as --id-pub" 6 "igvmkit: error: fifo: not a regular file (a FIFO)" \
    sh -c 'head -c 104 /dev/urandom >sig.der; "$0" sign snp.igvm -o out.igvm --attach sig.der --id-pub fifo; r=$?; rm -f sig.der; exit $r' "$IGVMKIT"
check "FIFO as --snp-report" 6 "$fifo_msg" "$IGVMKIT" verify snp.igvm --snp-report fifo
check "FIFO as --tdx-quote" 6 "$fifo_msg" "$IGVMKIT" verify snp.igvm --tdx-quote fifo
check "character device as IGVM" 6 "igvmkit: error: /dev/zero: not a regular file (a character device)" \
    "$IGVMKIT" inspect /dev/zero

# ---- 6: sizes and counts beyond the limits: exit 3, bounded memory ----------------
"$PYTHON3" "$MKFW" sev64.fd --sev-repeat 64:0xfffff000
printf 'version: 1\nfirmware: {type: ovmf, path: sev64.fd}\nplatforms:\n  sev-snp: {}\n' >g.yaml
check "64 SEV sections of 4 GiB" 3 \
    "igvmkit: error: sev64.fd: the guest memory the firmware's SEV/TDVF metadata sections lay out (274877644800 bytes) exceeds the limit 'firmware-sections' of 268435456 bytes" \
    "$IGVMKIT" pack g.yaml -o out.igvm
peak "64 SEV sections of 4 GiB" "$IGVMKIT" pack g.yaml -o out.igvm
rm -f out.igvm
"$PYTHON3" "$MKFW" tdvf64.fd --tdvf-repeat 64:0x100000000
printf 'version: 1\nfirmware: {type: ovmf, path: tdvf64.fd}\nplatforms:\n  tdx: {}\n' >g.yaml
check "64 TDVF sections of 4 GiB" 3 \
    "igvmkit: error: tdvf64.fd: the guest memory the firmware's SEV/TDVF metadata sections lay out (274877906944 bytes) exceeds the limit 'firmware-sections' of 268435456 bytes" \
    "$IGVMKIT" pack g.yaml -o out.igvm
peak "64 TDVF sections of 4 GiB" "$IGVMKIT" pack g.yaml -o out.igvm
rm -f out.igvm

cp "$TESTDATA/snp/snp_kernel.bin" kernel.bin
"$PYTHON3" - <<'PY'
import struct
# The direct-pack test kernel (tests/cli/direct-pack.sh): a valid bzImage header.
img = bytearray(64 * 1024)
img[0x1F1] = 39
struct.pack_into("<I", img, 0x1F4, (len(img) - 40 * 512) // 16)
struct.pack_into("<H", img, 0x1FE, 0xAA55)
img[0x200:0x202] = b"\xeb\x6a"
img[0x202:0x206] = b"HdrS"
struct.pack_into("<H", img, 0x206, 0x20F)
img[0x211] = 1
struct.pack_into("<I", img, 0x22C, 0x7FFFFFFF)
struct.pack_into("<I", img, 0x230, 0x200000)
img[0x234] = 1
struct.pack_into("<H", img, 0x236, 0x7F)
struct.pack_into("<I", img, 0x238, 0x7FF)
struct.pack_into("<Q", img, 0x258, 0x1000000)
struct.pack_into("<I", img, 0x260, 0x100000)
open("vmlinuz", "wb").write(img)
PY
# 1 TiB of guest memory packs in bounded memory: SEV-SNP pre-validates only
# what the guest needs by default (1 GiB plus the initrd).
printf 'version: 1\nfirmware: {type: none}\nkernel: vmlinuz\nmemory: 1T\nplatforms:\n  sev-snp: {}\n' >g.yaml
peak "direct boot memory: 1T" "$IGVMKIT" pack g.yaml -o out.igvm
rm -f out.igvm
printf 'version: 1\nfirmware: {type: none}\nkernel: vmlinuz\nmemory: 1T\nplatforms:\n  sev-snp: {prevalidate: 1T}\n' >g.yaml
check "direct boot prevalidate: 1T" 3 \
    "igvmkit: error: g.yaml:6:26: sev-snp prevalidate of 1099511627776 bytes needs 268435462 headers, more than the 4194304 an IGVM reader accepts (one per 4 KiB of pre-validated RAM); set platforms.sev-snp.prevalidate to at most 17177772032 bytes (16382M)" \
    "$IGVMKIT" pack g.yaml -o out.igvm
peak "direct boot prevalidate: 1T" "$IGVMKIT" pack g.yaml -o out.igvm
printf 'version: 1\nfirmware: {type: none}\nkernel: vmlinuz\nmemory: 17T\nplatforms:\n  native: {}\n' >g.yaml
check "memory above its limit" 3 \
    "igvmkit: error: g.yaml:4:9: 'memory' 17T is more than the limit 'memory' of 16 TiB" \
    "$IGVMKIT" pack g.yaml -o out.igvm

truncate -s 4G sparse.bin
printf 'version: 1\nfirmware: {type: raw, path: sparse.bin}\nplatforms:\n  native: {}\n' >g.yaml
check "4 GiB sparse raw firmware" 3 \
    "igvmkit: error: g.yaml:2:29: firmware 'sparse.bin' is 4294967296 bytes, more than the limit 'firmware-size' of 67108864 bytes" \
    "$IGVMKIT" pack g.yaml -o out.igvm
peak "4 GiB sparse raw firmware" "$IGVMKIT" pack g.yaml -o out.igvm
printf 'version: 1\nfirmware: {type: none}\nkernel: vmlinuz\ninitrd: sparse.bin\nplatforms:\n  native: {}\n' >g.yaml
check "4 GiB sparse initrd (direct boot)" 3 \
    "igvmkit: error: g.yaml:4:9: initrd 'sparse.bin' is 4294967296 bytes, more than the limit 'initrd-size' of 2147483648 bytes" \
    "$IGVMKIT" pack g.yaml -o out.igvm
peak "4 GiB sparse initrd" "$IGVMKIT" pack g.yaml -o out.igvm
check "4 GiB sparse IGVM" 3 \
    "igvmkit: error: sparse.bin: file size (4294967296 bytes) exceeds the limit 'igvm-file' of 4294967295 bytes" \
    "$IGVMKIT" measure sparse.bin
peak "4 GiB sparse IGVM" "$IGVMKIT" measure sparse.bin
rm -f sparse.bin

# ---- 7: truncated kernels ----------------------------------------------------
printf 'version: 1\nfirmware: {type: none}\nkernel: truncated-bzImage\nplatforms:\n  native: {}\n' >g.yaml
check "bzImage cut after the setup" 3 \
    "igvmkit: error: truncated-bzImage: offset 0x1F4: truncated kernel: syssize says the protected-mode code is 65536 bytes, the file holds 1 after the 1024-byte setup" \
    "$IGVMKIT" pack g.yaml -o out.igvm
printf 'version: 1\nfirmware: {type: ovmf, path: tdx.fd}\nkernel: k600\nplatforms:\n  tdx: {}\n' >g.yaml
check "600-byte kernel, OVMF + TDX: pack" 3 "igvmkit: error: k600: kernel image is too short (600 bytes)" \
    "$IGVMKIT" pack g.yaml -o out.igvm
check "600-byte kernel, OVMF + TDX: measure agrees" 3 \
    "igvmkit: error: k600: kernel image is too short (600 bytes)" "$IGVMKIT" measure g.yaml

# ---- 8: numbers: a leading zero is decimal everywhere ---------------------------
cp "$TESTDATA/snp_tdx_v1.igvm" vmsa.igvm
run "$IGVMKIT" measure vmsa.igvm --platform sev-snp --vcpus 010 --bare
ten_octal=$(cat "$TMP/out")
run "$IGVMKIT" measure vmsa.igvm --platform sev-snp --vcpus 10 --bare
is "$ten_octal" "$(cat "$TMP/out")" "--vcpus 010 is ten"
run "$IGVMKIT" measure vmsa.igvm --platform sev-snp --vcpus 8 --bare
eight=$(cat "$TMP/out")
[ "$ten_octal" != "$eight" ]
ok $? "--vcpus 010 is not eight"
run "$IGVMKIT" sign snp.igvm -o signed.igvm --id-key id.pem --svn 010
is "$rc" 0 "sign --svn 010: exit 0"
like "$TMP/out" "^guest svn: 10$" "sign --svn 010 signs SVN ten"
rm -f signed.igvm
run "$IGVMKIT" measure vmsa.igvm --platform sev-snp --vcpus 08 --bare
is "$(cat "$TMP/out")" "$eight" "--vcpus 08 is eight, not an octal error"
check "--vcpus 0x" 2 "igvmkit measure: --vcpus needs a number from 1 to 65536, not '0x'
Try 'igvmkit measure --help'." "$IGVMKIT" measure vmsa.igvm --vcpus 0x

# ---- 9: deep and large YAML ----------------------------------------------------
"$PYTHON3" -c "
import sys
sys.stdout.write('version: 1\ncmdline: ' + '[' * 100000 + ']' * 100000 + '\n')" >deep.yaml
start=$(date +%s)
check "100k nested flow levels" 3 \
    "igvmkit: error: deep.yaml:2:25: YAML nested more than 16 levels deep (limit 'yaml-depth')" \
    "$IGVMKIT" pack deep.yaml -o out.igvm
[ $(($(date +%s) - start)) -lt 5 ]
ok $? "100k nested flow levels: refused in under 5 s"
head -c 2000000 /dev/zero | tr '\0' '#' >big.yaml
check "2 MB descriptor" 3 \
    "igvmkit: error: big.yaml: descriptor file size (2000000 bytes) exceeds the limit 'descriptor-size' of 1048576 bytes" \
    "$IGVMKIT" pack big.yaml -o out.igvm
rm -f deep.yaml big.yaml

# ---- 11, 12: keys and values the packer would misread or drop -------------------
printf 'version: 1\nfirmware: {type: ovmf, path: tdx.fd}\n"vcpus\\0hidden": 3\nplatforms:\n  tdx: {}\n' >g.yaml
check "key with a NUL" 3 "igvmkit: error: g.yaml:3:1: keys must not contain a NUL character" \
    "$IGVMKIT" pack g.yaml -o out.igvm
printf 'version: 1\nfirmware: {type: ovmf, path: tdx.fd}\nplatforms:\n  sev-snp: {prevalidate: 512M}\n' >g.yaml
check "prevalidate with OVMF" 3 \
    "igvmkit: error: g.yaml:4:13: 'prevalidate' applies to direct boot (firmware type none) only; with firmware type ovmf the firmware validates memory" \
    "$IGVMKIT" pack g.yaml -o out.igvm
printf 'version: 1\nfirmware: {type: ovmf, path: tdx.fd}\nplatforms:\n  sev-snp:\n    id-block: {id-key: id.pem, version: 2}\n' >g.yaml
check "id-block version 2" 3 \
    "igvmkit: error: g.yaml:5:41: 'version' 2 is out of range (1, the only version SEV-SNP firmware takes)" \
    "$IGVMKIT" pack g.yaml -o out.igvm

# ---- 13: provenance lists no key paths ---------------------------------------------
"$PYTHON3" "$MKFW" snpfw.fd --size 0x20000 --sev 0x800000:0x1000:1 --sev 0x801000:0x1000:2 --sev 0x802000:0x1000:3
cp id.pem author.pem
printf 'version: 1\nfirmware: {type: ovmf, path: snpfw.fd}\nplatforms:\n  sev-snp:\n    id-block: {id-key: id.pem, author-key: author.pem}\n' >g.yaml
run "$IGVMKIT" pack g.yaml -o signed.igvm --provenance prov.json
is "$rc" 0 "pack with an ID block and provenance: exit 0"
is "$(grep -c -e 'id\.pem' -e 'author\.pem' -e 'id-key' -e 'author-key' prov.json)" 0 \
    "provenance names no key"
rm -f signed.igvm prov.json

# ---- 14: messages name the file, usage errors are usage errors --------------------
check "-o ''" 2 "igvmkit: error: the output file name is empty" \
    "$IGVMKIT" sign snp.igvm -o "" --id-key id.pem
check "inspect ''" 2 "igvmkit: error: an empty file name was given" "$IGVMKIT" inspect ""
check "sign a file without SEV-SNP" 5 \
    "igvmkit: error: $TESTDATA/native_vbs_v2.igvm: the file does not declare platform sev-snp (it declares: native, vbs)" \
    "$IGVMKIT" sign "$TESTDATA/native_vbs_v2.igvm" -o out.igvm --id-key id.pem

# ---- 5: a file truncated while it is read: exit 6, never a signal -------------------
# A 24 MiB IGVM whose pages are cut away while inspect and measure read them:
# whatever the timing, the run ends with 0 (read before the cut), 3 (cut
# before the read) or 6 ("changed while being read"), never with a signal.
"$PYTHON3" "$top_srcdir/tests/bench/gen-igvm.py" big.igvm 24
rm -f big.igvm.pages big.igvm.tdx
sig=0
for verb in inspect measure explain; do
    for i in 1 2 3; do
        cp big.igvm cut.igvm
        $T "$IGVMKIT" $verb cut.igvm >/dev/null 2>"$TMP/err" &
        pid=$!
        truncate -s 8192 cut.igvm
        wait $pid
        rc=$?
        [ $rc -lt 128 ] || { sig=$rc; echo "# $verb ended with $rc"; cat "$TMP/err"; }
        if [ $rc -eq 6 ]; then
            grep -q "cut.igvm: changed while being read" "$TMP/err" || { sig=6; cat "$TMP/err"; }
        fi
    done
done
for i in 1 2 3; do
    cp big.igvm cut.igvm
    rm -rf xdir
    $T "$IGVMKIT" extract cut.igvm --platform sev-snp -o xdir >/dev/null 2>"$TMP/err" &
    pid=$!
    truncate -s 8192 cut.igvm
    wait $pid
    rc=$?
    [ $rc -lt 128 ] || { sig=$rc; echo "# extract ended with $rc"; cat "$TMP/err"; }
    if [ $rc -eq 6 ]; then
        grep -q "cut.igvm: changed while being read" "$TMP/err" || { sig=6; cat "$TMP/err"; }
        [ ! -e xdir ] || { sig=7; echo "# extract left xdir behind"; }
    fi
done
rm -rf xdir
is "$sig" 0 "a file truncated while read: no signal, exit 6 names the input"
rm -f big.igvm cut.igvm

done_testing
