#!/usr/bin/env python3
"""Runs a command with standard error on a pseudo-terminal (no download).

    on-tty.py STDERR_OUT CMD [ARG...]

Standard output stays as given (isatty(1) false when redirected); standard
error is the slave side of a new pty, so the command sees a terminal there.
Everything written to it is copied byte for byte (carriage returns kept)
to STDERR_OUT.  Exits with the command's exit status.
"""
import os
import pty
import subprocess
import sys
import termios

out_path, cmd = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
# Raw output: the tty layer would turn "\n" into "\r\n".
attrs = termios.tcgetattr(slave)
attrs[1] &= ~termios.OPOST
termios.tcsetattr(slave, termios.TCSANOW, attrs)
proc = subprocess.Popen(cmd, stderr=slave)
os.close(slave)
data = bytearray()
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every slave descriptor is closed
        break
    if not chunk:
        break
    data += chunk
os.close(master)
with open(out_path, "wb") as f:
    f.write(data)
sys.exit(proc.wait())
