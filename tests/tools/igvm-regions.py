#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the memory image one platform of an IGVM file loads (test tool).

  igvm-regions.py FILE PLATFORM OUTDIR

PLATFORM is native or sev-snp.  Parses the file with nothing but struct
(docs/igvm-format.md sections 2, 3, 4 and 6.2), merges the PAGE_DATA pages
for that platform into runs of contiguous GPAs, writes each run to
OUTDIR/region-<gpa>.bin (data-less pages as zeros) and prints one line
"GPA FILE" per run, lowest GPA first.  The boot tests feed these to QEMU
(-device loader / -bios), so a boot proves the file's own bytes work
without going through igvmkit's reader.
"""
import os
import struct
import sys

PLATFORMS = {"native": 0, "sev-snp": 2}


def main():
    path, platform, outdir = sys.argv[1:4]
    blob = open(path, "rb").read()
    magic, _version, vh_off, vh_size = struct.unpack_from("<IIII", blob, 0)
    if magic != 0x4D564749:
        sys.exit("%s: not an IGVM file" % path)
    headers, off = [], vh_off
    while off < vh_off + vh_size:
        htype, hlen = struct.unpack_from("<II", blob, off)
        headers.append((htype, blob[off + 8:off + 8 + hlen]))
        off += 8 + ((hlen + 7) & ~7)
    mask = None
    for htype, body in headers:
        if htype == 0x001 and body[5] == PLATFORMS[platform]:
            mask = struct.unpack_from("<I", body, 0)[0]
    if mask is None:
        sys.exit("%s: no %s platform" % (path, platform))
    pages = {}
    for htype, body in headers:
        if htype != 0x302:
            continue
        gpa, pmask, foff = struct.unpack_from("<QII", body, 0)
        if pmask & mask:
            pages[gpa] = blob[foff:foff + 4096] if foff else bytes(4096)
    os.makedirs(outdir, exist_ok=True)
    run_start, run = None, []
    for gpa in sorted(pages) + [None]:
        if run and (gpa is None or gpa != run_start + 4096 * len(run)):
            name = os.path.join(outdir, "region-%x.bin" % run_start)
            with open(name, "wb") as f:
                f.write(b"".join(run))
            print("%#x %s" % (run_start, name))
            run = []
        if gpa is not None:
            if not run:
                run_start = gpa
            run.append(pages[gpa])


if __name__ == "__main__":
    main()
