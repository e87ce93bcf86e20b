#!/usr/bin/env python3
"""Writes a synthetic bzImage for direct-boot tests (no download).

    make-bzimage.py OUT [PROTOCOL] [CMDLINE_SIZE] [INIT_SIZE]

64 KiB: a boot-protocol setup header (Documentation/arch/x86/boot.rst) with
39 setup sectors, a relocatable 64-bit kernel preferring 16 MiB, and a
patterned payload.  The same image tests/cli/direct-pack.sh builds inline.
"""
import struct
import sys

out = sys.argv[1]
proto = int(sys.argv[2], 0) if len(sys.argv) > 2 else 0x20F
cmdline_size = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0x7FF
init_size = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x100000
img = bytearray(64 * 1024)
for i in range(40 * 512, len(img)):
    img[i] = (i * 7 + 1) & 0xFF
img[0x1F1] = 39                                  # setup_sects
struct.pack_into("<I", img, 0x1F4, (len(img) - 40 * 512) // 16)  # syssize
struct.pack_into("<H", img, 0x1FE, 0xAA55)       # boot_flag
img[0x200:0x202] = b"\xeb\x6a"                   # jump: header ends at 0x26C
img[0x202:0x206] = b"HdrS"
struct.pack_into("<H", img, 0x206, proto)
img[0x211] = 1                                   # LOADED_HIGH
struct.pack_into("<I", img, 0x22C, 0x7FFFFFFF)   # initrd_addr_max
struct.pack_into("<I", img, 0x230, 0x200000)     # kernel_alignment
img[0x234] = 1                                   # relocatable
struct.pack_into("<H", img, 0x236, 0x7F)         # xloadflags
struct.pack_into("<I", img, 0x238, cmdline_size)
struct.pack_into("<Q", img, 0x258, 0x1000000)    # pref_address
struct.pack_into("<I", img, 0x260, init_size)
with open(out, "wb") as f:
    f.write(img)
