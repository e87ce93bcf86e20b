#!/usr/bin/env python3
# Worst-case memory input for tests/bench/run.sh: an IGVM v1 file declaring
# SEV-SNP (mask 0x1) and TDX (mask 0x2) with N data-less, unmeasured
# PAGE_DATA headers (mask 0x3), each page alone in a 2 MiB region.  It is
# the most headers the reader accepts by default (N = 4 Mi) spread as widely
# as possible: what a model of one header per page, or a set of the TDX
# pages, would pay for most.  Unmeasured pages keep the hashing small.
# Usage: gen-sparse.py OUT N
import struct
import sys
import zlib

out, n = sys.argv[1], int(sys.argv[2])
headers = bytearray()
headers += struct.pack("<II", 0x001, 16) + struct.pack("<IBBHQ", 0x1, 0, 2, 1, 0)  # SEV-SNP
headers += struct.pack("<II", 0x001, 16) + struct.pack("<IBBHQ", 0x2, 0, 3, 1, 0)  # TDX
headers += struct.pack("<II", 0x101, 16) + struct.pack("<QII", 0x30000, 0x1, 0)    # SNP policy
page = struct.Struct("<IIQIIIHH")
body = bytearray(page.size * (n - 3))
for i in range(n - 3):
    # type, length, gpa, mask, file_offset (0: no data), flags UNMEASURED, data type, reserved
    page.pack_into(body, i * page.size, 0x302, 24, 0x100000000 + (i << 21), 0x3, 0, 0x2, 0, 0)
headers += body
data = b"\0"  # the reference parser wants at least one byte of file data
total = 24 + len(headers) + len(data)
fixed = struct.pack("<IIIIII", 0x4D564749, 1, 24, len(headers), total, 0)
crc = zlib.crc32(headers, zlib.crc32(fixed))
with open(out, "wb") as f:
    f.write(struct.pack("<IIIIII", 0x4D564749, 1, 24, len(headers), total, crc))
    f.write(headers)
    f.write(data)
