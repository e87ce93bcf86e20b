#!/usr/bin/env python3
"""Writes a synthetic bzImage for direct-boot tests (no download).

    make-bzimage.py [--pe] OUT [PROTOCOL] [CMDLINE_SIZE] [INIT_SIZE]

64 KiB: a boot-protocol setup header (Documentation/arch/x86/boot.rst) with
39 setup sectors, a relocatable 64-bit kernel preferring 16 MiB, and a
patterned payload.
--pe adds what an EFI-stub kernel has in front of the setup header: an MZ
stub pointing at a PE32+ header with no sections (PE/COFF spec: COFF file
header, optional header with 16 data directories), enough for the
Authenticode digest that firmware-booted (OVMF) descriptors compute.
"""
import struct
import sys

args = sys.argv[1:]
pe = "--pe" in args
if pe:
    args.remove("--pe")
out = args[0]
proto = int(args[1], 0) if len(args) > 1 else 0x20F
cmdline_size = int(args[2], 0) if len(args) > 2 else 0x7FF
init_size = int(args[3], 0) if len(args) > 3 else 0x100000
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
if pe:
    img[0:2] = b"MZ"
    struct.pack_into("<I", img, 0x3C, 0x40)          # e_lfanew
    img[0x40:0x44] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", img, 0x44, 0x8664, 0, 0, 0, 0, 240, 0x22)
    opt = 0x58
    struct.pack_into("<H", img, opt, 0x20B)          # PE32+
    struct.pack_into("<I", img, opt + 60, 0x200)     # SizeOfHeaders
    struct.pack_into("<I", img, opt + 108, 16)       # NumberOfRvaAndSizes
with open(out, "wb") as f:
    f.write(img)
