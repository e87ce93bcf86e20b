#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a mutated copy of an IGVM file for the bad-input tests.

Usage: igvm-mutate.py IN OUT OP...
  set8|set16|set32|set64 OFFSET VALUE   store a little-endian integer
  truncate LENGTH                       keep the first LENGTH bytes
  fixsize                               total_file_size := real length
  fixcrc                                recompute the CRC-32 (docs/igvm-format.md 2.2)
Offsets and values accept 0x hex.  Operations run in order, so a test can
break one field and then repair the checksum when the rule is not about it.
"""
import struct
import sys
import zlib


def crc(buf):
    version = struct.unpack_from("<I", buf, 4)[0]
    fixed = bytearray(buf[: 32 if version == 2 else 24])
    fixed[20:24] = b"\0\0\0\0"
    off, size = struct.unpack_from("<II", buf, 8)
    return zlib.crc32(bytes(buf[off : off + size]), zlib.crc32(bytes(fixed))) & 0xFFFFFFFF


def main(argv):
    src, dst, ops = argv[1], argv[2], argv[3:]
    buf = bytearray(open(src, "rb").read())
    widths = {"set8": "<B", "set16": "<H", "set32": "<I", "set64": "<Q"}
    i = 0
    while i < len(ops):
        op = ops[i]
        if op in widths:
            struct.pack_into(widths[op], buf, int(ops[i + 1], 0), int(ops[i + 2], 0))
            i += 3
        elif op == "truncate":
            del buf[int(ops[i + 1], 0) :]
            i += 2
        elif op == "fixsize":
            struct.pack_into("<I", buf, 16, len(buf))
            i += 1
        elif op == "fixcrc":
            struct.pack_into("<I", buf, 20, crc(buf))
            i += 1
        else:
            sys.exit("igvm-mutate.py: unknown operation " + op)
    open(dst, "wb").write(buf)


if __name__ == "__main__":
    main(sys.argv)
