#!/usr/bin/env python3
# Runs one command for tests/bench/run.sh and prints, on one line:
#   wall_seconds cpu_seconds(user+sys) peak_RssAnon_KiB peak_VmHWM_KiB
# RssAnon is sampled from /proc every 2 ms (anonymous memory: heap, stacks;
# the file mapping is not anonymous); CPU time comes from wait4's rusage.
import os
import subprocess
import sys
import time


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# SAMPLE_MEMORY=0: no sampling, only times.  The sampler is a second busy
# process: on a 2-CPU machine it takes CPU from a measurement that uses both,
# so run.sh times runs without it and samples memory in a run of its own.
sample = os.environ.get("SAMPLE_MEMORY", "1") != "0"
start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
anon = hwm = 0
while True:
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
    if pid:
        break
    anon = max(anon, status_kib(proc.pid, "RssAnon"))
    hwm = max(hwm, status_kib(proc.pid, "VmHWM"))
    time.sleep(0.002)
wall = time.monotonic() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"failed: {' '.join(sys.argv[1:])}")
print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f} {anon} {hwm}")
