#!/usr/bin/env python3
# Benchmark input generator (tests/bench/run.sh): an IGVM v1 file declaring
# SEV-SNP (mask 0x1) and TDX (mask 0x2) with MIB MiB of distinct, measured
# 4 KiB pages (one PAGE_DATA per page, mask 0x3), plus the two reference
# streams the hashing limits are timed on:
#   OUT.pages  the page bytes alone (what SEV-SNP hashes once per page)
#   OUT.tdx    the exact TDX MRTD stream: per page the 128-byte MEM.PAGE.ADD
#              record and 16 x (128-byte MR.EXTEND record + 256 data bytes)
# Usage: gen-igvm.py OUT MIB
import os
import struct
import sys
import zlib

out, mib = sys.argv[1], int(sys.argv[2])
pages = mib * 256
PAGE = 4096
SEED = b"igvmkit-bench"


def page_bytes(i):
    # Cheap, distinct and not all-zero: a 64-byte pattern seeded by the index.
    head = struct.pack("<Q", i) * 8
    return (head + SEED) [:64] * (PAGE // 64)


headers = bytearray()


def header(t, body):
    global headers
    headers += struct.pack("<II", t, len(body)) + body
    headers += bytes(-len(body) % 8)


header(0x001, struct.pack("<IBBHQ", 0x1, 0, 2, 1, 0))          # SEV-SNP
header(0x001, struct.pack("<IBBHQ", 0x2, 0, 3, 1, 0))          # TDX
header(0x101, struct.pack("<QII", 0x30000, 0x1, 0))            # SNP policy
page_hdr_size = 8 + 24
data_start = 24 + len(headers) + pages * page_hdr_size
for i in range(pages):
    header(0x302, struct.pack("<QIIIHH", 0x100000 + i * PAGE, 0x3, data_start + i * PAGE, 0, 0, 0))
assert 24 + len(headers) == data_start
total = data_start + pages * PAGE
fixed = struct.pack("<IIIIII", 0x4D564749, 1, 24, len(headers), total, 0)
crc = zlib.crc32(headers, zlib.crc32(fixed))
with open(out, "wb") as f, open(out + ".pages", "wb") as p, open(out + ".tdx", "wb") as t:
    f.write(struct.pack("<IIIIII", 0x4D564749, 1, 24, len(headers), total, crc))
    f.write(headers)
    for i in range(pages):
        b = page_bytes(i)
        gpa = 0x100000 + i * PAGE
        f.write(b)
        p.write(b)
        rec = bytearray(b"MEM.PAGE.ADD" + bytes(116))
        rec[16:24] = struct.pack("<Q", gpa)
        t.write(rec)
        for c in range(16):
            ext = bytearray(b"MR.EXTEND" + bytes(119))
            ext[16:24] = struct.pack("<Q", gpa + c * 256)
            t.write(ext)
            t.write(b[c * 256:(c + 1) * 256])
