#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent SEV-SNP launch digest of an IGVM file (test oracle).

Written from docs/measure-snp.md sections 1, 2 and 3 with nothing but
hashlib, so it shares no code with igvmkit's measure module.  Two inputs:

  snp-digest.py --igvm FILE [--profile qemu|qemu-classic]
      parses the IGVM file itself (fixed header, TLV headers, file data);
  snp-digest.py --extract DIR [--profile ...]
      reads `igvmkit extract --platform sev-snp -o DIR` output
      (regions.json, region files and VP context files).

Prints the 48-byte launch digest in lower-case hex.  Directives it does
not model (parameter areas) make it fail loudly instead of guessing.
"""
import argparse
import hashlib
import json
import os
import struct
import sys

PAGE = 4096
ZERO_PAGE = bytes(PAGE)
# PAGE_INFO page types (docs/measure-snp.md section 2).
NORMAL, VMSA, ZERO, UNMEASURED, SECRETS, CPUID = 1, 2, 3, 4, 5, 6


class Chain:
    """The PAGE_INFO SHA-384 chain (docs/measure-snp.md section 1)."""

    def __init__(self):
        self.ld = bytes(48)
        self.steps = 0

    def step(self, page_type, gpa, contents):
        info = self.ld + contents + struct.pack("<HBBBBBBQ", 0x70, page_type, 0, 0, 0, 0, 0, gpa)
        assert len(info) == 0x70
        self.ld = hashlib.sha384(info).digest()
        self.steps += 1

    def page(self, gpa, data_type, unmeasured, data, profile):
        if unmeasured:
            self.step(UNMEASURED, gpa, bytes(48))
        elif data_type == 1:
            self.step(SECRETS, gpa, bytes(48))
        elif data_type in (2, 3):
            self.step(CPUID, gpa, bytes(48))
        elif data is None and profile == "qemu-classic":
            self.step(ZERO, gpa, bytes(48))
        else:
            page = (data or b"").ljust(PAGE, b"\0")
            self.step(NORMAL, gpa, hashlib.sha384(page).digest())

    def vmsa(self, gpa, data):
        self.step(VMSA, gpa, hashlib.sha384(data.ljust(PAGE, b"\0")).digest())


def digest_igvm(path, profile):
    blob = open(path, "rb").read()
    magic, version, vh_off, vh_size = struct.unpack_from("<IIII", blob, 0)
    if magic != 0x4D564749:
        sys.exit("%s: not an IGVM file" % path)
    headers = []
    off, end = vh_off, vh_off + vh_size
    while off < end:
        htype, hlen = struct.unpack_from("<II", blob, off)
        headers.append((htype, blob[off + 8:off + 8 + hlen]))
        off += 8 + ((hlen + 7) & ~7)
    snp_mask = None
    for htype, body in headers:
        if htype == 0x001 and body[5] == 2:  # SUPPORTED_PLATFORM, SEV_SNP
            snp_mask = struct.unpack_from("<I", body, 0)[0]
    if snp_mask is None:
        sys.exit("%s: no SEV-SNP platform" % path)

    def data_at(file_offset):
        return None if file_offset == 0 else blob[file_offset:file_offset + PAGE]

    chain = Chain()
    for htype, body in headers:
        if htype == 0x302:  # PAGE_DATA
            gpa, mask, foff, flags, dtype = struct.unpack_from("<QIIIH", body, 0)
            if mask & snp_mask:
                chain.page(gpa, dtype, flags & 0x2, data_at(foff), profile)
        elif htype == 0x304:  # VP_CONTEXT
            gpa, mask, foff = struct.unpack_from("<QII", body, 0)
            if mask & snp_mask:
                chain.vmsa(gpa, blob[foff:foff + PAGE])
        elif htype in (0x301, 0x303):
            sys.exit("parameter areas are not modelled by this oracle")
    return chain


def digest_extract(directory, profile):
    """extract output: regions.json (cli/verb-extract.c) lists the regions
    with the headers they came from and the VP contexts; both are replayed in
    header (= measurement) order, each region page by page."""
    meta = json.load(open(os.path.join(directory, "regions.json")))
    types = {"normal": 0, "secrets": 1, "cpuid_data": 2, "cpuid_xf": 3}
    steps = []
    for reg in meta["regions"]:
        steps.append((reg["first_header"], "pages", reg))
    for ctx in meta["vp_contexts"]:
        steps.append((ctx["header"], "vmsa", ctx))
    if meta.get("parameter_areas"):
        sys.exit("parameter areas are not modelled by this oracle")
    chain = Chain()
    for _, what, item in sorted(steps, key=lambda s: s[0]):
        with open(os.path.join(directory, item["file"]), "rb") as f:
            blob = f.read()
        if what == "vmsa":
            chain.vmsa(item["gpa"], blob)
            continue
        if item["kind"] == "shared" and profile == "openvmm":
            continue
        for i in range(item["size"] // PAGE):
            data = None if item["kind"] == "zero" else blob[i * PAGE:(i + 1) * PAGE]
            chain.page(item["gpa"] + i * PAGE, types[item["data_type"]],
                       item["kind"] == "unmeasured", data, profile)
    return chain


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--igvm")
    src.add_argument("--extract")
    ap.add_argument("--profile", default="qemu", choices=["qemu", "qemu-classic"])
    ap.add_argument("--steps", action="store_true", help="also print the number of steps")
    args = ap.parse_args()
    chain = digest_igvm(args.igvm, args.profile) if args.igvm else \
        digest_extract(args.extract, args.profile)
    print(chain.ld.hex() + (" %d" % chain.steps if args.steps else ""))


if __name__ == "__main__":
    main()
