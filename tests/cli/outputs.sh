#!/bin/sh
# Outputs (issue 12, file-output.h): special files are written through or
# refused, never replaced; an output naming an input is refused; the outputs
# of a run are published all or none; modes follow the replaced file or the
# umask; temporaries go away on SIGTERM and stale ones on the next run.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
MKFW="$top_srcdir/tests/tools/make-firmware.py"
W=$TMP/w
mkdir -p "$W"
cd "$W" || exit 1
T="timeout 20"

"$PYTHON3" "$MKFW" fw.fd --size 0x20000 --sev 0x800000:0x1000:1 --sev 0x801000:0x1000:2 \
    --sev 0x802000:0x1000:3
cat >g.yaml <<'YAML'
version: 1
firmware: {type: ovmf, path: fw.fd}
platforms:
  sev-snp: {}
YAML
cp "$TESTDATA/minimal_snp_v1.igvm" snp.igvm
openssl ecparam -name secp384r1 -genkey -noout -out id.pem 2>/dev/null

# temps: our temporaries left in the directory
temps() { ls -A | grep -c '^\.igvmkit-'; }

run "$IGVMKIT" pack g.yaml -o good.igvm
is "$rc" 0 "reference pack: exit 0"
cp good.igvm good.copy

# ---- 1: special files are never replaced -------------------------------------------
if [ "$(id -u)" = 0 ] && mknod ./null c 1 3 2>/dev/null; then
    run "$IGVMKIT" pack g.yaml -o ./null
    is "$rc" 0 "-o a character device: written through, exit 0"
    [ -c ./null ]
    ok $? "-o a character device: still the device node"
    rm -f ./null
else
    ok 0 "-o a character device (skipped: mknod needs root)"
    ok 0 "-o a character device: still the device node (skipped)"
fi
"$IGVMKIT" pack g.yaml -o /dev/stdout >stdout.bin 2>"$TMP/err"
is "$?" 0 "-o /dev/stdout to a file: exit 0"
cmp -s stdout.bin good.copy
ok $? "-o /dev/stdout: the image bytes"
"$IGVMKIT" pack g.yaml -o /dev/stdout 2>"$TMP/err" | cat >pipe.bin
cmp -s pipe.bin good.copy
ok $? "-o /dev/stdout into a pipe: written through"
ls -l /dev/stdout >/dev/null 2>&1 && [ -L /dev/stdout ] && is "$(readlink /dev/stdout)" "/proc/self/fd/1" \
    "/dev/stdout is still the symbolic link"
rm -f stdout.bin pipe.bin
mkfifo fifo
run $T "$IGVMKIT" pack g.yaml -o fifo
is "$rc" 6 "-o a FIFO nobody reads: exit 6, no hang"
is "$(cat "$TMP/err")" "igvmkit: error: fifo: cannot write: Broken pipe" "-o a FIFO nobody reads: message"
[ -p fifo ]
ok $? "-o a FIFO: still a FIFO"
is "$(temps)" 0 "-o a FIFO: no temporary left"
ln -s good.igvm link.igvm
run "$IGVMKIT" sign snp.igvm -o link.igvm --id-key id.pem
is "$rc" 0 "-o a symbolic link: exit 0"
[ -L link.igvm ] && ! cmp -s good.igvm good.copy
ok $? "-o a symbolic link: the link stays, the file it names is replaced"
cp good.copy good.igvm
ln -s missing.igvm dangling.igvm
run "$IGVMKIT" pack g.yaml -o dangling.igvm
is "$rc" 6 "-o a dangling link: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: dangling.igvm: is a symbolic link to a missing file: refusing to write through it" \
    "-o a dangling link: message"
[ ! -e missing.igvm ]
ok $? "-o a dangling link: nothing created"
mkdir adir
run "$IGVMKIT" pack g.yaml -o adir
is "$rc" 6 "-o a directory: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: adir: is a directory: refusing to replace it with the output" \
    "-o a directory: message"
rmdir adir

# ---- 2: a failed --provenance keeps the good image ---------------------------------
mkdir prov.json
run "$IGVMKIT" pack g.yaml -o good.igvm --provenance prov.json
is "$rc" 6 "--provenance onto a directory: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: prov.json: is a directory: refusing to replace it with the output" \
    "--provenance onto a directory: message"
cmp -s good.igvm good.copy
ok $? "--provenance onto a directory: the existing image is intact"
is "$(temps)" 0 "--provenance onto a directory: no temporary left"
rmdir prov.json

# ---- 3: an output that is an input ---------------------------------------------------
cp g.yaml g.copy
run "$IGVMKIT" pack g.yaml -o g.yaml
is "$rc" 2 "-o the descriptor: exit 2"
is "$(cat "$TMP/err")" "igvmkit: error: g.yaml: is an input of this run: refusing to overwrite it" \
    "-o the descriptor: message"
cmp -s g.yaml g.copy
ok $? "-o the descriptor: descriptor intact"
cp fw.fd fw.copy
run "$IGVMKIT" pack g.yaml -o ./fw.fd
is "$rc" 2 "-o the firmware named inside: exit 2"
is "$(cat "$TMP/err")" "igvmkit: error: ./fw.fd: is an input of this run ('fw.fd'): refusing to overwrite it" \
    "-o the firmware named inside: message"
cmp -s fw.fd fw.copy
ok $? "-o the firmware: firmware intact"
run "$IGVMKIT" pack g.yaml -o same.igvm --provenance ./same.igvm
is "$rc" 2 "-o X --provenance ./X: exit 2"
is "$(cat "$TMP/err")" "igvmkit: error: same.igvm: names the same file as the output './same.igvm'" \
    "-o X --provenance ./X: message"
[ ! -e same.igvm ]
ok $? "-o X --provenance ./X: nothing written"
run "$IGVMKIT" sign snp.igvm -o snp.igvm --id-key id.pem
is "$rc" 2 "sign -o its own input: exit 2"
cmp -s snp.igvm "$TESTDATA/minimal_snp_v1.igvm"
ok $? "sign -o its own input: input intact"
is "$(temps)" 0 "outputs naming inputs: no temporary left"
rm -f g.copy fw.copy

# ---- 10: sign -o OUT --qemu-blobs DIR: all or none ------------------------------------
run "$IGVMKIT" sign snp.igvm -o signed.igvm --id-key id.pem
is "$rc" 0 "sign: exit 0"
mkdir blobs blobs/id-auth.b64
run "$IGVMKIT" sign snp.igvm -o out.igvm --id-key id.pem --qemu-blobs blobs
is "$rc" 6 "one blob cannot be written: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: blobs/id-auth.b64: is a directory: refusing to replace it with the output" \
    "one blob cannot be written: message"
[ ! -e out.igvm ] && [ ! -e blobs/id-block.b64 ]
ok $? "one blob cannot be written: neither the file nor the other blob is written"
is "$(ls -A blobs | tr '\n' ' ')" "id-auth.b64 " "one blob cannot be written: no temporary in DIR"
rm -rf blobs

# ---- 10: SIGTERM while writing removes the temporaries -------------------------------
# The image goes to a FIFO whose reader never reads (this shell holds it open):
# igvmkit blocks in the write with the provenance temporary staged.
"$PYTHON3" "$MKFW" big.fd --size 0x100000 --fill --sev 0x800000:0x1000:1
printf 'version: 1\nfirmware: {type: ovmf, path: big.fd}\nplatforms:\n  sev-snp: {}\n' >big.yaml
mkfifo slow
exec 3<>slow
"$IGVMKIT" pack big.yaml -o slow --provenance prov.json 2>"$TMP/err" &
pid=$!
i=0
while [ "$(temps)" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(temps)" 1 "while blocked: the provenance temporary exists"
sleep 0.2
kill -TERM $pid
wait $pid
is "$?" 143 "SIGTERM: the run ends by the signal"
is "$(temps)" 0 "SIGTERM: no temporary left"
[ ! -e prov.json ]
ok $? "SIGTERM: nothing published"
exec 3>&-
rm -f slow

# ---- 10: stale temporaries of a killed run are removed by the next run ----------------
: >.igvmkit-AAAAAA
mkdir .igvmkit-BBBBBB && : >.igvmkit-BBBBBB/0x0.bin
touch -d '2 hours ago' .igvmkit-AAAAAA .igvmkit-BBBBBB
: >.igvmkit-CCCCCC
run "$IGVMKIT" pack g.yaml -o good.igvm
is "$rc" 0 "pack beside stale temporaries: exit 0"
is "$(ls -A | grep '^\.igvmkit-' | tr '\n' ' ')" ".igvmkit-CCCCCC " \
    "stale temporaries removed, a fresh one (maybe another run's) kept"
rm -f .igvmkit-CCCCCC

# ---- 15: modes ------------------------------------------------------------------
chmod 600 signed.igvm
run "$IGVMKIT" sign snp.igvm -o signed.igvm --id-key id.pem
is "$(stat -c %a signed.igvm)" 600 "sign -o over a 0600 file keeps 0600"
rm -f new.igvm
(umask 027 && "$IGVMKIT" sign snp.igvm -o new.igvm --id-key id.pem >/dev/null)
is "$(stat -c %a new.igvm)" 640 "a new file gets 0666 & ~umask (027: 0640)"
(umask 077 && "$IGVMKIT" extract snp.igvm --platform sev-snp -o x077)
is "$(stat -c %a x077)" 700 "extract's directory follows the umask (077: 0700)"
(umask 022 && "$IGVMKIT" extract snp.igvm --platform sev-snp -o x022)
is "$(stat -c %a x022)" 755 "extract's directory follows the umask (022: 0755)"
mkdir x750 && chmod 750 x750
"$IGVMKIT" extract snp.igvm --platform sev-snp -o x750
is "$(stat -c %a x750)" 750 "extract into an empty directory keeps its mode"
is "$(temps)" 0 "modes: no temporary left"

done_testing
