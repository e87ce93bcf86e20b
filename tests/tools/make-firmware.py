#!/usr/bin/env python3
# Writes a small synthetic OVMF-style firmware image with an OVMF footer GUID
# table holding SEV metadata and/or TDVF metadata (layouts: AMD SEV-SNP
# firmware ABI as used by OVMF's SEV metadata; Intel TDX Virtual Firmware
# design guide, TDVF metadata).  For hostile-input tests.
#
#   make-firmware.py OUT [--size N] [--sev GPA:SIZE:TYPE ...] [--tdvf OFF:RAW:GPA:MEM:TYPE:ATTR ...]
#                        [--sev-repeat COUNT:SIZE] [--tdvf-repeat COUNT:MEM] [--fill]
import argparse
import struct
import uuid

FOOTER = uuid.UUID("96b582de-1fb2-45f7-baea-a366c55a082d")
SEV_META = uuid.UUID("dc886566-984a-4798-a75e-5585a7bf67cc")
TDX_META = uuid.UUID("e47a6535-984a-4798-865e-4685a7bf8ec2")
RESET = uuid.UUID("00f771de-1a7e-4fcb-890e-68c77e2fb44e")


def num(s):
    return int(s, 0)


ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--size", type=num, default=64 * 1024)
ap.add_argument("--sev", action="append", default=[])
ap.add_argument("--tdvf", action="append", default=[])
ap.add_argument("--sev-repeat")
ap.add_argument("--tdvf-repeat")
ap.add_argument("--fill", action="store_true", help="non-zero bytes outside the tables")
a = ap.parse_args()

sev = [tuple(num(x) for x in s.split(":")) for s in a.sev]
if a.sev_repeat:
    count, size = (num(x) for x in a.sev_repeat.split(":"))
    sev += [(0x100000 * (i + 1) & 0xFFFFFFFF, size, 1) for i in range(count)]
tdvf = [tuple(num(x) for x in s.split(":")) for s in a.tdvf]
if a.tdvf_repeat:
    count, mem = (num(x) for x in a.tdvf_repeat.split(":"))
    tdvf += [(0, 0, (i + 1) << 33, mem, 3, 0) for i in range(count)]

img = bytearray(a.size)
if a.fill:
    # Distinct pages (the writer shares identical page data): an LCG stream.
    x = 1
    for i in range(0, a.size, 4):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        struct.pack_into("<I", img, i, x)
# Metadata blocks live at the start of the image; the table points at them
# with offsets counted from the end.
pos = 0x1000
entries = []
if sev:
    off = pos
    blob = b"ASEV" + struct.pack("<III", 16 + 12 * len(sev), 1, len(sev))
    blob += b"".join(struct.pack("<III", g, s, t) for g, s, t in sev)
    img[off:off + len(blob)] = blob
    pos += (len(blob) + 15) & ~15
    entries.append((SEV_META, struct.pack("<I", a.size - off)))
if tdvf:
    off = pos
    blob = b"TDVF" + struct.pack("<III", 16 + 32 * len(tdvf), 1, len(tdvf))
    blob += b"".join(struct.pack("<IIQQII", *s) for s in tdvf)
    img[off:off + len(blob)] = blob
    pos += (len(blob) + 15) & ~15
    entries.append((TDX_META, struct.pack("<I", a.size - off)))
entries.append((RESET, struct.pack("<I", 0xFFFFF000)))

# Table: entries (payload, u16 length, GUID) laid out upwards, then the footer
# entry, which ends 32 bytes before the end of the image.
table = b""
for guid, payload in entries:
    table += payload + struct.pack("<H", len(payload) + 18) + guid.bytes_le
table_size = len(table) + 18
table += struct.pack("<H", table_size) + FOOTER.bytes_le
end = a.size - 32
img[end - len(table):end] = table
open(a.out, "wb").write(bytes(img))
