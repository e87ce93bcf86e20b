#!/bin/sh
# The progress line of pack, extract, measure, explain and export
# (cli/progress.c): on standard error only when it is a terminal
# (tests/tools/on-tty.py gives the command a pty there), not with --quiet,
# in the form "\rWHAT: DONE / TOTAL MiB PCT% RATE MiB/s ", ending with the
# final count and a newline; standard output is the same with or without
# it.  IGVMKIT_PROGRESS_DELAY=0 shows it from the first update on, so small
# inputs are enough.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
"$PYTHON3" -c 'import pty, termios' 2>/dev/null || skip_all "python3 has no pty module"
ON_TTY="$PYTHON3 $top_srcdir/tests/tools/on-tty.py"
cd "$TMP" || exit 1
direct_boot_guest

# Standard error on a terminal: progress lines, then the notes.
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY tty.err "$IGVMKIT" pack guest.yaml -o out.igvm >tty.out
is "$?" 0 "pack with standard error on a terminal"
size=$(wc -c <out.igvm)
is "$size" 3774368 "output size"
# check_lines ERR PREFIX TOTAL_BYTES: every line between carriage returns
# has the format; the counts never go back; the last one is TOTAL_BYTES at
# 100% and ends the line.  Prints "N lines, final DONE / TOTAL MiB 100%".
cat >check-lines.py <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read().decode()
prefix, size = sys.argv[2], int(sys.argv[3])
total = "%.1f" % (size / 1048576)
head, sep, rest = data.partition("\n")
if not head.startswith("\r"):
    sys.exit("no progress line first: %r" % data[:80])
lines = head[1:].split("\r")
fmt = re.compile(re.escape(prefix) + r": (\d+\.\d) / (\d+\.\d) MiB +(\d+)% \d+\.\d MiB/s $")
done = []
for line in lines:
    m = fmt.fullmatch(line)
    if not m:
        sys.exit("bad line %r" % line)
    if m.group(2) != total:
        sys.exit("total %s, want %s" % (m.group(2), total))
    done.append(float(m.group(1)))
if done != sorted(done):
    sys.exit("counts go back: %r" % done)
last = fmt.fullmatch(lines[-1])
if (last.group(1), last.group(3)) != (total, "100"):
    sys.exit("last line %r is not the whole %s" % (lines[-1], total))
if "\r" in rest or prefix in rest:
    sys.exit("progress after the line ended: %r" % rest)
print("%d lines, final %s / %s MiB 100%%" % (len(lines), last.group(1), total))
PY
check_lines() {
    "$PYTHON3" check-lines.py "$@" 2>&1
}
check_lines tty.err writing "$size" >checked
like checked "^[0-9]+ lines, final 3\\.6 / 3\\.6 MiB 100%\$" "progress lines: format, order, final count"
grep -q '^igvmkit: note: guest.yaml:10:3: sev-snp: ' tty.err
ok $? "the notes follow the progress line"
is "$(wc -c <tty.out)" 0 "nothing on standard output"

# --quiet: no progress line (and no notes) even on a terminal.
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY quiet.err "$IGVMKIT" pack guest.yaml -o out.igvm --quiet >/dev/null
is "$?" 0 "pack --quiet on a terminal"
is "$(wc -c <quiet.err)" 0 "--quiet: nothing on the terminal"

# Standard error not a terminal: no progress line, only the notes.
IGVMKIT_PROGRESS_DELAY=0 "$IGVMKIT" pack guest.yaml -o out.igvm 2>file.err >/dev/null
is "$?" 0 "pack with standard error to a file"
tr -d '\n' <file.err | grep -q "$(printf '\r')"
is "$?" 1 "standard error not a terminal: no carriage return"
grep -q 'writing' file.err
is "$?" 1 "standard error not a terminal: no progress line"
is "$(grep -c '^igvmkit: note: ' file.err)" 2 "standard error not a terminal: the two notes"

# extract: region bytes written out of the total region bytes (13 regions,
# 66715648 bytes, most of them holes); standard output as without a terminal.
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY x.err "$IGVMKIT" extract out.igvm -p sev-snp -o x >x.tty.out
is "$?" 0 "extract with standard error on a terminal"
check_lines x.err extracting 66715648 >checked
like checked "^[0-9]+ lines, final 63\\.6 / 63\\.6 MiB 100%\$" "extract: progress lines, final count"
rm -rf x
IGVMKIT_PROGRESS_DELAY=0 "$IGVMKIT" extract out.igvm -p sev-snp -o x >x.file.out 2>x.file.err
is "$?" 0 "extract with standard error to a file"
is "$(wc -c <x.file.err)" 0 "extract, standard error not a terminal: nothing on it"
cmp -s x.tty.out x.file.out
ok $? "extract: standard output the same with and without a terminal"
is "$(cat x.file.out)" "x: 13 region files, 66715648 bytes (3244032 written, 63471616 in holes)" \
    "extract: the report line"
rm -rf x
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY xq.err "$IGVMKIT" extract out.igvm -p sev-snp -o x -q >xq.out
is "$?" 0 "extract -q on a terminal"
is "$(wc -c <xq.err)" 0 "extract -q: nothing on the terminal"
cmp -s xq.out x.file.out
ok $? "extract -q: standard output unchanged"

# measure: bytes of page data hashed out of the total, for the file and for
# its descriptor (the same walk); sev-snp's PAGE_DATA bytes are those
# 'inspect -p sev-snp' counts: 3244032.
is "$("$IGVMKIT" inspect -p sev-snp --summary out.igvm 2>/dev/null | sed -n 's/^  PAGE_DATA  *[0-9]*  data \([0-9]*\) bytes$/\1/p')" \
    3244032 "sev-snp page data bytes"
for input in out.igvm guest.yaml; do
    IGVMKIT_PROGRESS_DELAY=0 $ON_TTY m.err "$IGVMKIT" measure "$input" >m.tty.out
    is "$?" 0 "measure $input with standard error on a terminal"
    check_lines m.err hashing 3244032 >checked
    like checked "^[0-9]+ lines, final 3\\.1 / 3\\.1 MiB 100%\$" "measure $input: progress lines, final count"
    IGVMKIT_PROGRESS_DELAY=0 "$IGVMKIT" measure "$input" >m.file.out 2>m.file.err
    is "$?" 0 "measure $input with standard error to a file"
    is "$(wc -c <m.file.err)" 0 "measure $input, standard error not a terminal: nothing on it"
    cmp -s m.tty.out m.file.out
    ok $? "measure $input: standard output the same with and without a terminal"
    IGVMKIT_PROGRESS_DELAY=0 $ON_TTY mq.err "$IGVMKIT" measure "$input" --quiet >mq.out
    is "$?" 0 "measure $input --quiet on a terminal"
    is "$(wc -c <mq.err)" 0 "measure $input --quiet: nothing on the terminal"
    cmp -s mq.out m.file.out
    ok $? "measure $input --quiet: standard output unchanged"
done
grep -q '^  digest:      65b71789e6f7329ed924e6c15c9cfd3400ae37751da3e2faa9ef9a94b37ae444454b7e3606d4ad4fb1b86c0dd63b0abc$' m.tty.out
ok $? "measure: the digest is the one without progress"

# Two platforms measured on two threads: one line, the sum of both walks.
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY m2.err "$IGVMKIT" measure "$top_srcdir/tests/data/snp_tdx_v1.igvm" --bare --ignore-idblock >m2.out
is "$?" 0 "measure of two platforms on a terminal"
snp=$("$IGVMKIT" inspect -p sev-snp --summary "$top_srcdir/tests/data/snp_tdx_v1.igvm" 2>/dev/null | sed -n 's/^  PAGE_DATA  *[0-9]*  data \([0-9]*\) bytes$/\1/p')
tdx=$("$IGVMKIT" inspect -p tdx --summary "$top_srcdir/tests/data/snp_tdx_v1.igvm" 2>/dev/null | sed -n 's/^  PAGE_DATA  *[0-9]*  data \([0-9]*\) bytes$/\1/p')
check_lines m2.err hashing $((snp + tdx)) >checked
like checked "^[0-9]+ lines, final 0\\.0 / 0\\.0 MiB 100%\$" "two platforms: progress lines, final count"
is "$(cat m2.out)" "ea4de502d69ef7375ac505ddc9d2399ca34c6080cc88ff718ebd69c702f818bea975b068113cec8a7def58081d8be903
9abaa27d759d10d5c862933b4d38dbd22b67711e485d892859460bb319d9786f64fd53337432cc9f9249cd6ec0ad1d26" \
    "two platforms: the digests"

# explain (standard output not a terminal) and export: the same line.
for verb in "explain out.igvm -p sev-snp" "export out.igvm -f json"; do
    IGVMKIT_PROGRESS_DELAY=0 $ON_TTY v.err "$IGVMKIT" $verb >v.tty.out
    is "$?" 0 "$verb with standard error on a terminal"
    check_lines v.err hashing 3244032 >checked
    like checked "^[0-9]+ lines, final 3\\.1 / 3\\.1 MiB 100%\$" "$verb: progress lines, final count"
    IGVMKIT_PROGRESS_DELAY=0 "$IGVMKIT" $verb >v.file.out 2>v.file.err
    is "$(wc -c <v.file.err)" 0 "$verb, standard error not a terminal: nothing on it"
    cmp -s v.tty.out v.file.out
    ok $? "$verb: standard output the same with and without a terminal"
    IGVMKIT_PROGRESS_DELAY=0 $ON_TTY vq.err "$IGVMKIT" $verb -q >vq.out
    is "$(wc -c <vq.err)" 0 "$verb -q: nothing on the terminal"
    cmp -s vq.out v.file.out
    ok $? "$verb -q: standard output unchanged"
done

done_testing
