#!/bin/sh
# pack's progress line (cli/progress.c): on standard error only when it is a
# terminal (tests/tools/on-tty.py gives the command a pty there), not with
# --quiet, in the form "\rwriting: DONE / TOTAL MiB PCT% RATE MiB/s ", ending
# with the final count and a newline.  IGVMKIT_PROGRESS_DELAY=0 shows it
# from the first chunk on, so a small pack is enough.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
"$PYTHON3" -c 'import pty, termios' 2>/dev/null || skip_all "python3 has no pty module"
ON_TTY="$PYTHON3 $top_srcdir/tests/tools/on-tty.py"
cd "$TMP" || exit 1
"$PYTHON3" "$top_srcdir/tests/tools/make-bzimage.py" vmlinuz
# 3 MiB of a pattern: no two pages alike, so the file holds every page.
"$PYTHON3" -c '
import struct, sys
sys.stdout.buffer.write(b"".join(struct.pack("<Q", i * 0x9E3779B97F4A7C15 % (1 << 64)) for i in range(393216)))' >initrd.img
cat >guest.yaml <<EOT
version: 1
firmware: {type: none}
kernel: vmlinuz
initrd: initrd.img
cmdline: "console=ttyS0"
memory: 64M
vcpus: 1
platforms:
  native: {}
  sev-snp: {}
EOT

# Standard error on a terminal: progress lines, then the notes.
IGVMKIT_PROGRESS_DELAY=0 $ON_TTY tty.err "$IGVMKIT" pack guest.yaml -o out.igvm >tty.out
is "$?" 0 "pack with standard error on a terminal"
size=$(wc -c <out.igvm)
is "$size" 3774368 "output size"
# Every line between carriage returns has the format; the counts never go
# back; the last one is the whole file at 100% and ends the line.
"$PYTHON3" - tty.err "$size" >checked 2>&1 <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read().decode()
size = int(sys.argv[2])
total = "%.1f" % (size / 1048576)
head, sep, rest = data.partition("\n")
if not head.startswith("\r"):
    sys.exit("no progress line first: %r" % data[:80])
lines = head[1:].split("\r")
fmt = re.compile(r"writing: (\d+\.\d) / (\d+\.\d) MiB +(\d+)% \d+\.\d MiB/s $")
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
    sys.exit("last line %r is not the whole file" % lines[-1])
if "\r" in rest or "writing" in rest:
    sys.exit("progress after the line ended: %r" % rest)
print("%d lines, final %s / %s MiB 100%%" % (len(lines), last.group(1), total))
PY
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

done_testing
