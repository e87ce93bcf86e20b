/* SPDX-License-Identifier: MIT */
/*
 * Every validation rule of docs/igvm-format.md 7.1, with a failing case
 * built by mutating a valid sample (CRC repaired unless the rule is the CRC)
 * and checked for error code, exact message, byte offset and header index,
 * plus passing cases: the unmodified samples and the mutations the reference
 * parser accepts although the spec text suggests otherwise.  Cross-header
 * rules that no single-field mutation can reach are checked on built models
 * through igk_igvm_validate().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "le.h"
#include "tap.h"
#include "util.h"

struct file {
    uint8_t *b;
    size_t len;
};

static struct file load(const char *name)
{
    const char *dir = getenv("TESTDATA");
    char path[4096];
    struct igk_error e;
    struct file f = {NULL, 0};

    snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
    if (igk_read_file(path, &f.b, &f.len, &e) < 0) {
        printf("Bail out! cannot read %s: %s\n", path, e.message);
        exit(1);
    }
    return f;
}

/* File offset of the TLV of header #index. */
static uint32_t hdr(const struct file *f, size_t index)
{
    uint32_t pos = igk_le32(f->b + 8);

    for (size_t i = 0; i < index; i++)
        pos += (uint32_t)igk_tlv_stride(igk_le32(f->b + pos + 4));
    return pos;
}

/* File offset of byte `field` of header #index's body. */
static uint32_t body(const struct file *f, size_t index, uint32_t field)
{
    return hdr(f, index) + IGK_TLV_PREFIX_SIZE + field;
}

static void fix_crc(struct file *f)
{
    uint32_t fixed = igk_le32(f->b + 4) == 2 ? 32 : 24;
    igk_put_le32(f->b + 20, igk_igvm_crc32(f->b, fixed, f->b + igk_le32(f->b + 8),
                                           igk_le32(f->b + 12)));
}

/* A mutated copy of a sample. */
struct mut {
    struct file f;
};

static struct file copy_of(const struct file *src)
{
    struct file f = {malloc(src->len), src->len};
    memcpy(f.b, src->b, src->len);
    return f;
}

/* Both readers: the full one, then the lean one, which must agree on every verdict. */
static int read_as(bool lean, const struct file *f, struct igk_igvm **m, struct igk_error *e)
{
    return lean ? igk_igvm_read_buffer_lean(f->b, f->len, NULL, m, e)
                : igk_igvm_read_buffer(f->b, f->len, NULL, m, e);
}

static void expect_ok(struct file *f, const char *name)
{
    for (int lean = 0; lean < 2; lean++) {
        struct igk_igvm *m = NULL;
        struct igk_error e;
        int r = read_as(lean, f, &m, &e);

        if (!is_int(r, 0, "accepted%s: %s", lean ? " (lean)" : "", name))
            diag("%s", e.message);
        igk_igvm_free(m);
    }
    free(f->b);
}

/* index IGK_NO_INDEX: a fixed-header or file-level error. */
static void expect_fail(struct file *f, uint64_t offset, uint32_t index, const char *msg,
                        const char *name)
{
    for (int lean = 0; lean < 2; lean++) {
        const char *how = lean ? " (lean)" : "";
        struct igk_igvm *m = NULL;
        struct igk_error e;
        int r = read_as(lean, f, &m, &e);

        is_int(r, IGK_E_INVALID, "rejected%s: %s", how, name);
        ok(m == NULL, "%s%s: no model", name, how);
        is_str(e.message, msg, "%s%s: message", name, how);
        is_int((long long)e.offset, (long long)offset, "%s%s: offset", name, how);
        is_int(e.header_index, index, "%s%s: header index", name, how);
        igk_igvm_free(m);
    }
    free(f->b);
}

static struct file M, S, N, C; /* minimal_snp_v1, snp_tdx_v1, native_vbs_v2, cca_aarch64_v2 */

/* Shorthands: mutate one field of header #i's body and repair the CRC. */
static struct file set32(const struct file *src, size_t i, uint32_t field, uint32_t v)
{
    struct file f = copy_of(src);
    igk_put_le32(f.b + body(&f, i, field), v);
    fix_crc(&f);
    return f;
}

static struct file set64(const struct file *src, size_t i, uint32_t field, uint64_t v)
{
    struct file f = copy_of(src);
    igk_put_le64(f.b + body(&f, i, field), v);
    fix_crc(&f);
    return f;
}

static struct file set16(const struct file *src, size_t i, uint32_t field, uint16_t v)
{
    struct file f = copy_of(src);
    igk_put_le16(f.b + body(&f, i, field), v);
    fix_crc(&f);
    return f;
}

static struct file set8(const struct file *src, size_t i, uint32_t field, uint8_t v)
{
    struct file f = copy_of(src);
    f.b[body(&f, i, field)] = v;
    fix_crc(&f);
    return f;
}

/* A byte of file data (outside the CRC). */
static struct file poke(const struct file *src, uint32_t offset, uint8_t v)
{
    struct file f = copy_of(src);
    f.b[offset] = v;
    return f;
}

static void test_samples(void)
{
    struct file f;
    f = copy_of(&M), expect_ok(&f, "minimal_snp_v1 as is");
    f = copy_of(&S), expect_ok(&f, "snp_tdx_v1 as is");
    f = copy_of(&N), expect_ok(&f, "native_vbs_v2 as is");
    f = copy_of(&C), expect_ok(&f, "cca_aarch64_v2 as is");
}

static void test_fixed_header(void)
{
    struct file f;

    /* Rule 1: v2 architecture and page size. */
    f = copy_of(&N), igk_put_le32(f.b + 24, 5);
    expect_fail(&f, 24, IGK_NO_INDEX, "unknown architecture 5 (0 = x64, 1 = aarch64)",
                "rule 1: v2 architecture 5");
    f = copy_of(&N), igk_put_le32(f.b + 28, 8192);
    expect_fail(&f, 28, IGK_NO_INDEX, "unsupported page size 8192 (must be 4096)",
                "rule 1: v2 page size 8192");
    f = copy_of(&N), f.len = 28, igk_put_le32(f.b + 16, 28);
    expect_fail(&f, 0, IGK_NO_INDEX, "file too short: 28 bytes, a version 2 fixed header needs 32",
                "rule 1: v2 file shorter than 32 bytes");
    f = copy_of(&M), igk_put_le32(f.b + 4, 0);
    expect_fail(&f, 4, IGK_NO_INDEX, "unsupported format version 0 (must be 1 or 2)",
                "rule 1: version 0");
    /* Rule 2. */
    f = copy_of(&M), f.len--;
    expect_fail(&f, 16, IGK_NO_INDEX,
                "total_file_size 0x1068 does not match the file size 0x1067",
                "rule 2: one byte short");
    /* Rule 3. */
    f = copy_of(&M), igk_put_le32(f.b + 8, 0x1068);
    expect_fail(&f, 8, IGK_NO_INDEX,
                "variable header offset 0x1068 is not inside the file (size 0x1068)",
                "rule 3: variable header offset at the end of the file");
    f = copy_of(&M), igk_put_le32(f.b + 12, 0x1050);
    expect_fail(&f, 12, IGK_NO_INDEX,
                "the file data section is empty (variable headers end at the end of the file, "
                "0x1068); the reference parser requires at least one byte of file data",
                "rule 3: headers reach the end of the file");
    f = copy_of(&M), igk_put_le32(f.b + 20, 0x12345678);
    expect_fail(&f, 20, IGK_NO_INDEX, "checksum mismatch: header says 0x12345678, computed 0x43DBE692",
                "rule 3: checksum");
    /* Accepted: file data is outside the CRC. */
    f = poke(&M, 0x68, 0xAA), expect_ok(&f, "rule 3: changed page contents keep the CRC valid");
}

static void test_framing(void)
{
    struct file f;

    /* Rule 4: 4 bytes left after the last header. */
    /* (the page becomes data-less, else its data check would fire first) */
    f = copy_of(&M), igk_put_le32(f.b + body(&f, 2, 12), 0), igk_put_le32(f.b + 12, 0x54);
    fix_crc(&f);
    expect_fail(&f, 0x68, IGK_NO_INDEX,
                "truncated header: 4 bytes left in the variable header section, a header needs "
                "at least 8",
                "rule 4: truncated TLV");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 1), 0x80000101), fix_crc(&f);
    expect_fail(&f, 0x30, 1,
                "header type 0x80000101 has the optional bit (0x80000000) set, which the "
                "reference parser rejects",
                "rule 4: optional bit");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 1), 0), fix_crc(&f);
    expect_fail(&f, 0x30, 1,
                "unknown header type 0x0 (outside the platform, initialization and directive "
                "ranges)",
                "rule 4: type 0");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 1), 0x401), fix_crc(&f);
    expect_fail(&f, 0x30, 1,
                "unknown header type 0x401 (outside the platform, initialization and directive "
                "ranges)",
                "rule 4: type 0x401");
    /* snp_tdx_v1 #9 (PARAMETER_INSERT, 16 bytes) becomes a GUEST_POLICY. */
    f = copy_of(&S), igk_put_le32(f.b + hdr(&f, 9), 0x101), fix_crc(&f);
    expect_fail(&f, 0xD8, 9,
                "initialization header after directive headers (order must be platform, "
                "initialization, directive)",
                "rule 4: initialization after directive");
    f = copy_of(&S), igk_put_le32(f.b + hdr(&f, 7), 0x001), fix_crc(&f);
    expect_fail(&f, 0xB0, 7,
                "platform header after directive headers (order must be platform, "
                "initialization, directive)",
                "rule 4: platform after directive");

    /* Rule 5. */
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 2), 0x306), fix_crc(&f);
    expect_fail(&f, 0x48, 2, "header type 0x306 is reserved", "rule 5: reserved 0x306");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 1), 0x104), fix_crc(&f);
    expect_fail(&f, 0x30, 1,
                "CORIM_DOCUMENT headers are not supported (the reference parser's default build "
                "rejects them)",
                "rule 5: CoRIM document");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 2), 0x314), fix_crc(&f);
    expect_fail(&f, 0x48, 2, "unknown header type 0x314", "rule 5: unknown directive 0x314");
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 1) + 4, 24), fix_crc(&f);
    expect_fail(&f, 0x30, 1, "header length 24 does not match the 16-byte GUEST_POLICY structure",
                "rule 5: length larger than the structure");

    /* Rule 6: snp_tdx_v1's last header is the VP_CONTEXT at 0x508. */
    f = copy_of(&S), igk_put_le32(f.b + 12, 0x528 - 0x18 - 4), fix_crc(&f);
    expect_fail(&f, 0x508, 22,
                "VP_CONTEXT is missing its 4 padding bytes at the end of the variable header "
                "section",
                "rule 6: VP_CONTEXT padding cut off");
    f = copy_of(&S), f.b[0x508 + 8 + 20] = 0xEE, fix_crc(&f);
    expect_ok(&f, "rule 6: non-zero VP_CONTEXT padding is accepted");
}

static void test_platform(void)
{
    struct file f;

    f = set32(&M, 0, 0, 3);
    expect_fail(&f, 0x18, 0, "compatibility mask 0x3 must have exactly one bit set",
                "rule 7: two mask bits");
    f = set32(&M, 0, 0, 0);
    expect_fail(&f, 0x18, 0, "compatibility mask 0x0 must have exactly one bit set",
                "rule 7: mask 0");
    f = set8(&M, 0, 4, 1);
    expect_fail(&f, 0x18, 0, "highest VTL 1 is invalid (must be 0 or 2)", "rule 7: VTL 1");
    f = set8(&M, 0, 4, 2), expect_ok(&f, "rule 7: highest VTL 2");
    f = set8(&M, 0, 5, 7);
    expect_fail(&f, 0x18, 0, "unknown platform type 7", "rule 7: platform type 7");
    f = set16(&M, 0, 6, 2);
    expect_fail(&f, 0x18, 0, "platform version 2 is not supported (must be 1)",
                "rule 7: version 2");
    f = set64(&N, 0, 8, 0x1000);
    expect_fail(&f, 0x20, 0, "shared GPA boundary 0x1000 must be 0 for platform native",
                "rule 7: native shared GPA boundary");
    f = set64(&N, 1, 8, 0x1000);
    expect_fail(&f, 0x38, 1, "shared GPA boundary 0x1000 must be 0 for platform vbs",
                "rule 7: VSM shared GPA boundary");
    f = set64(&M, 0, 8, 0x8000000000ull), expect_ok(&f, "rule 7: SNP shared GPA boundary");
    /* Duplicate bits: the last platform header owns the bit for VP contexts,
     * so the SNP VMSA of snp_tdx_v1 becomes a TDX context (section 6.5). */
    f = set32(&S, 1, 0, 1);
    expect_fail(&f, 0x508, 22, "VP contexts are not allowed for platform tdx",
                "rule 7: duplicate bit, last platform header wins");

    /* Rule 8. */
    f = copy_of(&M), igk_put_le32(f.b + hdr(&f, 0), 0x101), fix_crc(&f);
    expect_fail(&f, 0x18, IGK_NO_INDEX, "the file has no SUPPORTED_PLATFORM header",
                "rule 8: no platform header");
    f = set8(&S, 1, 5, IGK_PLATFORM_SEV_SNP);
    expect_fail(&f, 0x30, 1,
                "second SUPPORTED_PLATFORM header for platform sev-snp (the first is header #0)",
                "rule 8: platform type twice");
    f = set8(&C, 0, 5, IGK_PLATFORM_SEV_SNP);
    expect_fail(&f, 0x20, 0, "platform sev-snp is not allowed in an aarch64 file",
                "rule 8: SEV-SNP in an aarch64 file");
    f = copy_of(&N), igk_put_le32(f.b + 24, 1), fix_crc(&f);
    expect_fail(&f, 0x250, 22, "a native VP context requires an x64 file",
                "rule 17: native VP context in an aarch64 file (before rule 8)");
}

static void test_initialization(void)
{
    struct file f;

    /* Rule 9. */
    f = set32(&M, 1, 12, 1);
    expect_fail(&f, 0x30, 1, "reserved field is 0x1, must be 0", "rule 9: policy reserved");
    f = set64(&M, 1, 0, 0xFFFFFFFFFFFFFFFFull), expect_ok(&f, "rule 9: policy bits unchecked");

    /* Rule 10: native_vbs_v2 #2 RELOCATABLE_REGION at 0x50. */
    f = set8(&N, 2, 6, 3);
    expect_fail(&f, 0x50, 2, "VTL 3 is invalid (must be 0, 1 or 2)", "rule 10: VTL 3");
    f = set64(&N, 2, 8, 0);
    expect_fail(&f, 0x50, 2, "relocation alignment 0x0 must be a non-zero multiple of 4096",
                "rule 10: alignment 0 (crate panic)");
    f = set64(&N, 2, 8, 0x800);
    expect_fail(&f, 0x50, 2, "relocation alignment 0x800 must be a non-zero multiple of 4096",
                "rule 10: alignment 0x800");
    f = set64(&N, 2, 24, 0);
    expect_fail(&f, 0x50, 2, "relocation region size 0x0 must be a non-zero multiple of 4096",
                "rule 10: size 0 (crate panic)");
    f = set64(&N, 2, 24, 0x1800);
    expect_fail(&f, 0x50, 2, "relocation region size 0x1800 must be a non-zero multiple of 4096",
                "rule 10: size 0x1800");
    f = set64(&N, 2, 16, 0xFFFFFFFFFFE00000ull);
    igk_put_le64(f.b + body(&f, 2, 24), 0x400000), fix_crc(&f);
    expect_fail(&f, 0x50, 2,
                "relocation region at 0xFFFFFFFFFFE00000 of size 0x400000 wraps past 2^64",
                "rule 10: region wraps (crate panic)");
    f = set64(&N, 2, 16, 0xFFFFFFFFFFE00000ull);
    expect_ok(&f, "rule 10: region ending exactly at 2^64");
    f = set64(&N, 2, 16, 0x401000);
    expect_fail(&f, 0x50, 2,
                "relocation region GPA 0x401000 is not a multiple of the alignment 0x200000",
                "rule 10: GPA not aligned");
    f = set64(&N, 2, 32, 0x401000);
    expect_fail(&f, 0x50, 2,
                "minimum relocation GPA 0x401000 is not a multiple of the alignment 0x200000",
                "rule 10: minimum not aligned");
    f = set64(&N, 2, 40, 0x40001000);
    expect_fail(&f, 0x50, 2,
                "maximum relocation GPA 0x40001000 is not a multiple of the alignment 0x200000",
                "rule 10: maximum not aligned");

    /* Rule 11: #3 PAGE_TABLE_RELOCATION_REGION at 0x88 (gpa 0x300000 size 0x4000). */
    f = set8(&N, 3, 7, 1);
    expect_fail(&f, 0x88, 3, "reserved field is 0x1, must be 0", "rule 11: reserved");
    f = set8(&N, 3, 6, 3);
    expect_fail(&f, 0x88, 3, "VTL 3 is invalid (must be 0, 1 or 2)", "rule 11: VTL 3");
    f = set64(&N, 3, 8, 0x300800);
    expect_fail(&f, 0x88, 3, "GPA 0x300800 is not 4 KiB aligned", "rule 11: GPA unaligned");
    f = set64(&N, 3, 16, 0);
    expect_fail(&f, 0x88, 3, "page table region size 0x0 must be a non-zero multiple of 4096",
                "rule 11: size 0 (crate panic)");
    f = set64(&N, 3, 24, 0x2800);
    expect_fail(&f, 0x88, 3, "used size 0x2800 is not a multiple of 4096",
                "rule 11: used size unaligned");
    f = set64(&N, 3, 24, 0x5000);
    expect_fail(&f, 0x88, 3, "used size 0x5000 exceeds the region size 0x4000",
                "rule 11: used size > size");
    f = set64(&N, 3, 24, 0x4000), expect_ok(&f, "rule 11: used size == size");
    f = set64(&N, 3, 8, 0xFFFFFFFFFFFFF000ull);
    expect_fail(&f, 0x88, 3, "page table region at 0xFFFFFFFFFFFFF000 of size 0x4000 wraps past 2^64",
                "rule 11: region wraps (crate panic)");
    f = set64(&N, 3, 8, 0x5FF000);
    expect_fail(&f, 0x88, 3, "region overlaps the region of header #2 (compatibility mask bit 0x2)",
                "rule 11: overlaps the relocatable region");
    f = set64(&N, 3, 8, 0x600000), expect_ok(&f, "rule 11: adjacent to the relocatable region");

    /* Rule 12: cca_aarch64_v2 #1 CCA_POLICY at 0x38. */
    f = set32(&C, 1, 4, 1);
    expect_fail(&f, 0x38, 1, "reserved fields must be 0", "rule 12: reserved");
    f = set8(&C, 1, 31, 1);
    expect_fail(&f, 0x38, 1, "reserved fields must be 0", "rule 12: reserved tail");
    f = set64(&C, 1, 16, 3);
    expect_fail(&f, 0x38, 1, "attributes required to be zero (0x1) and one (0x3) overlap",
                "rule 12: zeroes and ones overlap");
    f = set64(&C, 1, 16, 2), expect_ok(&f, "rule 12: disjoint zeroes and ones");
    f = set32(&C, 1, 0, 3);
    expect_fail(&f, 0x38, 1, "compatibility mask 0x3 includes bit 0x2, which is not a CCA platform",
                "rule 12: mask bit of no CCA platform");
    f = set8(&C, 1, 24, 9), expect_ok(&f, "rule 12: hash algorithm unchecked");
}

static void test_directives(void)
{
    struct file f;

    /* Rule 13: minimal_snp_v1 #2 PAGE_DATA at 0x48. */
    f = set64(&M, 2, 0, 0xFFFFF800);
    expect_fail(&f, 0x48, 2, "GPA 0xFFFFF800 is not 4 KiB aligned", "rule 13: GPA unaligned");
    f = set16(&M, 2, 20, 4);
    expect_fail(&f, 0x48, 2, "unknown page data type 4", "rule 13: data type 4");
    f = set16(&M, 2, 22, 1);
    expect_fail(&f, 0x48, 2, "reserved field is 0x1, must be 0", "rule 13: reserved");
    f = set32(&M, 2, 12, 0x69);
    expect_fail(&f, 0x48, 2,
                "page data at file offset 0x69 (0x1000 bytes) is outside the file data section "
                "[0x68, 0x1068)",
                "rule 13: page data one byte short");
    f = set32(&M, 2, 16, 0xFFFFFFF8), expect_ok(&f, "rule 13: reserved flag bits accepted");
    f = set32(&M, 2, 8, 0), expect_ok(&f, "rule 13: mask 0 accepted");
    f = set32(&S, 11, 12, 0x529), expect_ok(&f, "rule 13: unaligned file offset accepted");
    f = set64(&S, 12, 0, 0x100000), expect_ok(&f, "rule 13: duplicate GPA accepted");

    /* Rule 14: snp_tdx_v1 #4 PARAMETER_AREA (index 0) at 0x78, #7 (index 1) at 0xB0. */
    f = set64(&S, 4, 0, 0x1800);
    expect_fail(&f, 0x78, 4, "parameter area size 0x1800 is not a multiple of 4096",
                "rule 14: size unaligned");
    f = set64(&S, 4, 0, 0), expect_ok(&f, "rule 14: zero-size area accepted");
    f = set32(&S, 4, 12, 0x6000);
    expect_fail(&f, 0x78, 4,
                "parameter area initial data at file offset 0x6000 (0x1000 bytes) is outside "
                "the file data section [0x528, 0x6528)",
                "rule 14: initial data past the end");
    f = set32(&S, 4, 12, 0x5528), expect_ok(&f, "rule 14: initial data inside the file");
    f = set32(&S, 7, 8, 0);
    expect_fail(&f, 0xB0, 7, "parameter area index 0 was already declared by header #4",
                "rule 14: index declared twice");

    /* Rule 15: #5 VP_COUNT_PARAMETER at 0x90. */
    f = set32(&S, 5, 0, 99);
    expect_fail(&f, 0x90, 5, "parameter area index 99 is not declared",
                "rule 15: usage of an undeclared area");
    f = set32(&S, 5, 4, 0xFFFFFFF0), expect_ok(&f, "rule 15: byte offset beyond the area");

    /* Rule 16: #9 PARAMETER_INSERT (index 0) at 0xD8, #10 (index 1) at 0xF0. */
    f = set64(&S, 9, 0, 0x8800);
    expect_fail(&f, 0xD8, 9, "GPA 0x8800 is not 4 KiB aligned", "rule 16: GPA unaligned");
    f = set32(&S, 9, 12, 99);
    expect_fail(&f, 0xD8, 9, "parameter area index 99 is not declared",
                "rule 16: insert of an undeclared area");
    f = set32(&S, 10, 12, 0);
    expect_fail(&f, 0xF0, 10, "parameter area index 0 was already inserted by header #9",
                "rule 16: second insert");
    /* native_vbs_v2 #20 inserts (mask 0x2) into the page table region (0x300000, 16 KiB). */
    f = set64(&N, 20, 0, 0x303000);
    expect_fail(&f, 0x218, 20,
                "parameter insert at GPA 0x303000 lies inside the page table relocation region "
                "of header #3",
                "rule 16: insert inside the page table region");
    f = set64(&N, 20, 0, 0x304000), expect_ok(&f, "rule 16: insert right after it");

    /* Rule 17: snp_tdx_v1 #22 SNP VP_CONTEXT at 0x508. */
    f = set32(&S, 22, 8, 3);
    expect_fail(&f, 0x508, 22, "compatibility mask 0x3 does not name exactly one declared platform",
                "rule 17: two platform bits");
    f = set32(&S, 22, 8, 4);
    expect_fail(&f, 0x508, 22, "compatibility mask 0x4 does not name exactly one declared platform",
                "rule 17: undeclared bit");
    f = set32(&S, 22, 8, 2);
    expect_fail(&f, 0x508, 22, "VP contexts are not allowed for platform tdx",
                "rule 17: TDX VP context");
    f = set64(&S, 22, 0, 0xFFFFFFFFF001ull);
    expect_fail(&f, 0x508, 22, "VMSA GPA 0xFFFFFFFFF001 is not 4 KiB aligned",
                "rule 17: VMSA GPA unaligned");
    f = set32(&S, 22, 12, 0x5529);
    expect_fail(&f, 0x508, 22,
                "VP context at file offset 0x5529 (0x1000 bytes) is outside the file data "
                "section [0x528, 0x6528)",
                "rule 17: VMSA one byte short");
    f = set32(&S, 22, 12, 0);
    expect_fail(&f, 0x508, 22,
                "VP context at file offset 0x0 (0x1000 bytes) is outside the file data section "
                "[0x528, 0x6528)",
                "rule 17: VP context without data");
    f = set16(&S, 22, 18, 7), expect_ok(&f, "rule 17: VP context reserved unchecked");
    f = poke(&S, 0x5528 + 0xFFF, 1), expect_ok(&f, "rule 17: VMSA tail bytes accepted");
    /* native_vbs_v2 #22 native context (data 0x55F8), #23 VBS registers (data 0x65F8). */
    f = poke(&N, 0x55F8 + 232, 1);
    expect_fail(&f, 0x250, 22,
                "native VP context block has a non-zero byte at +0xE8 (only the first 232 bytes "
                "may be set)",
                "rule 17: native context tail not zero");
    f = poke(&N, 0x55F8 + 231, 1), expect_ok(&f, "rule 17: last native context byte");
    f = poke(&C, 0x10C0 + 80, 1);
    expect_fail(&f, 0xA0, 4,
                "CCA VP context block has a non-zero byte at +0x50 (only the first 80 bytes may "
                "be set)",
                "rule 17: CCA context tail not zero");
    f = poke(&N, 0x65F8, 0);
    expect_fail(&f, 0x270, 23, "VBS VP context has no registers", "rule 17: VBS without registers");
    f = poke(&N, 0x65F8, 9);
    expect_fail(&f, 0x270, 23,
                "VP context at file offset 0x65F8 (0x124 bytes) is outside the file data "
                "section [0x5F8, 0x66FC)",
                "rule 17: VBS register list past the end");
    f = set16(&N, 23, 16, 1);
    expect_fail(&f, 0x270, 23, "VBS VP context for vp_index 1 (only vp_index 0 is supported)",
                "rule 17: VBS vp_index 1 (crate panic)");
    f = poke(&N, 0x65FC + 32, 0);
    expect_fail(&f, 0x270, 23,
                "VBS register 1 has VTL 0 but register 0 has VTL 2 (all registers must share one "
                "VTL)",
                "rule 17: VBS mixed VTLs (crate panic)");
    f = copy_of(&N), igk_put_le32(f.b + 0x65FC + 1, 0x20000); /* RAX */
    expect_fail(&f, 0x270, 23, "VBS register 0: register name 0x20000 is not supported for x64",
                "rule 17: VBS register RAX not allowed");
    f = poke(&N, 0x65FC + 5, 0xFF), expect_ok(&f, "rule 17: VBS register MBZ bytes unchecked");

    /* Rule 18: snp_tdx_v1 #20 REQUIRED_MEMORY at 0x228. */
    f = set64(&S, 20, 0, 0x200800);
    expect_fail(&f, 0x228, 20, "GPA 0x200800 is not 4 KiB aligned", "rule 18: GPA unaligned");
    f = set32(&S, 20, 12, 0x1800);
    expect_fail(&f, 0x228, 20, "size 0x1800 is not a multiple of 4096", "rule 18: size unaligned");
    f = set32(&S, 20, 20, 1);
    expect_fail(&f, 0x228, 20, "reserved field is 0x1, must be 0", "rule 18: reserved");
    f = set32(&S, 20, 16, 0xF0), expect_ok(&f, "rule 18: flag bits unchecked");

    /* Rule 20: native_vbs_v2 relocation headers need the VBS context (vp 0, VTL 2). */
    f = set16(&N, 2, 4, 1);
    expect_fail(&f, 0x50, 2,
                "no VBS VP context matches this region (mask 0x2, vp_index 1, VTL 2); "
                "relocation needs a VBS VP context for vp_index 0 with the same VTL",
                "rule 20: relocatable region for vp_index 1");
    f = set8(&N, 3, 6, 0);
    expect_fail(&f, 0x88, 3,
                "no VBS VP context matches this region (mask 0x2, vp_index 0, VTL 0); "
                "relocation needs a VBS VP context for vp_index 0 with the same VTL",
                "rule 20: page table region for VTL 0");
}

/* A copy of a model's headers with `extra` inserted before position `at`. */
static struct igk_igvm *rebuilt(const struct igk_igvm *src, size_t at, const struct igk_header *extra)
{
    struct igk_igvm *m = igk_igvm_new(src->format_version, (enum igk_arch)src->arch);
    struct igk_error e;

    for (size_t i = 0; i <= src->n_headers; i++) {
        if (i == at && extra)
            igk_igvm_append(m, extra, &e);
        if (i < src->n_headers)
            igk_igvm_append(m, &src->headers[i], &e);
    }
    return m;
}

static void expect_invalid_model(struct igk_igvm *m, uint32_t index, const char *msg,
                                 const char *name)
{
    struct igk_error e;
    uint8_t *out = NULL;
    size_t len = 0;

    is_int(igk_igvm_validate(m, &e), IGK_E_INVALID, "validate rejects: %s", name);
    is_str(e.message, msg, "%s: message", name);
    is_int(e.header_index, index, "%s: header index", name);
    is_int((long long)e.offset, (long long)IGK_NO_OFFSET, "%s: no file offset", name);
    is_int(igk_igvm_write_buffer(m, &out, &len, &e), IGK_E_INVALID, "%s: writer refuses", name);
    ok(out == NULL, "%s: no output", name);
    igk_igvm_free(m);
}

static void test_models(void)
{
    struct igk_igvm *s = NULL, *n = NULL, *m = NULL;
    struct igk_header h;
    struct igk_page_table_relocation pt;
    struct igk_cca_policy cca = {0};
    struct igk_error e;

    igk_igvm_read_buffer(S.b, S.len, NULL, &s, &e);
    igk_igvm_read_buffer(N.b, N.len, NULL, &n, &e);
    igk_igvm_read_buffer(M.b, M.len, NULL, &m, &e);
    if (!s || !n || !m) {
        ok(0, "models of the samples");
        return;
    }

    is_int(igk_igvm_validate(s, &e), 0, "validate accepts snp_tdx_v1");
    is_int(igk_igvm_validate(n, &e), 0, "validate accepts native_vbs_v2");

    /* Rule 7: two platform headers with the same bit are accepted. */
    h = m->headers[0];
    h.u.platform.platform_type = IGK_PLATFORM_TDX;
    {
        struct igk_igvm *dup = rebuilt(m, 1, &h);
        is_int(igk_igvm_validate(dup, &e), 0, "rule 7: two platforms with the same bit accepted");
        igk_igvm_free(dup);
    }

    /* Rule 11: a second page table region for the same bit. */
    h = n->headers[3];
    pt = *h.u.page_table_relocation;
    pt.gpa = 0x800000;
    h.u.page_table_relocation = &pt;
    expect_invalid_model(rebuilt(n, 4, &h), 4,
                         "second page table relocation region for compatibility mask bit 0x2 "
                         "(the first is header #3)",
                         "rule 11: two page table regions for one bit");

    /* Rule 12: CCA_POLICY in an x64 file. */
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_CCA_POLICY;
    cca.compatibility_mask = 1;
    h.u.cca_policy = &cca;
    expect_invalid_model(rebuilt(m, 2, &h), 2, "CCA_POLICY is only allowed in aarch64 files",
                         "rule 12: CCA policy in an x64 file");

    /* Bodies kept out of line: a built header must point at one. */
    {
        static const uint32_t out_of_line[] = {
            IGK_VHT_RELOCATABLE_REGION, IGK_VHT_PAGE_TABLE_RELOCATION_REGION, IGK_VHT_CCA_POLICY,
            IGK_VHT_SNP_ID_BLOCK, IGK_VHT_VBS_MEASUREMENT};
        for (size_t k = 0; k < sizeof(out_of_line) / sizeof(out_of_line[0]); k++) {
            char name[96];
            uint32_t mask = 0;

            memset(&h, 0, sizeof(h));
            h.type = out_of_line[k];
            ok(!igk_header_mask(&h, &mask) && mask == 0, "%s without a body has no mask",
               igk_header_type_name(h.type));
            snprintf(name, sizeof(name), "%s without a body", igk_header_type_name(h.type));
            expect_invalid_model(rebuilt(m, 2, &h), 2, "header has no body", name);
        }
    }

    /* Rule 15: a usage after the area was inserted. */
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_VP_COUNT_PARAMETER;
    h.u.parameter.parameter_area_index = 0;
    expect_invalid_model(rebuilt(s, 10, &h), 10,
                         "parameter area index 0 was already inserted by header #9",
                         "rule 15: usage after insert");

    /* Rule 19. */
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_ERROR_RANGE;
    h.u.error_range.gpa = 0x1001;
    h.u.error_range.compatibility_mask = 1;
    expect_invalid_model(rebuilt(m, 3, &h), 3, "GPA 0x1001 is not 4 KiB aligned",
                         "rule 19: error range GPA unaligned");

    /* Order rules hold for built models too. */
    h = m->headers[0];
    expect_invalid_model(rebuilt(m, 3, &h), 3,
                         "platform header after directive headers (order must be platform, "
                         "initialization, directive)",
                         "rule 4: built model out of order");

    /* Writer-only rules: page data larger than a page, VMSA of the wrong size. */
    h = m->headers[2];
    h.data_size = IGK_PAGE_SIZE + 1;
    expect_invalid_model(rebuilt(m, 3, &h), 3, "page data of 4097 bytes exceeds one 4096-byte page",
                         "built page data larger than a page");
    h = s->headers[22];
    h.data_size = 100;
    expect_invalid_model(rebuilt(s, 23, &h), 23, "VMSA must be 4096 bytes, got 100",
                         "built VMSA of 100 bytes");

    igk_igvm_free(s);
    igk_igvm_free(n);
    igk_igvm_free(m);
}

static void test_limits(void)
{
    struct igk_read_limits lim;
    struct igk_igvm *m = NULL;
    struct igk_error e;

    igk_read_limits_default(&lim);
    is_int((long long)lim.max_file_size, 0xFFFFFFFFll, "default file size limit 4 GiB - 1");
    lim.max_headers = 2;
    is_int(igk_igvm_read_buffer(M.b, M.len, &lim, &m, &e), IGK_E_INVALID, "header limit 2");
    is_str(e.message, "more than 2 headers (limit)", "header limit: message");
    is_int((long long)e.offset, 0x48, "header limit: offset of the third header");
    igk_read_limits_default(&lim);
    lim.max_file_size = 100;
    is_int(igk_igvm_read_buffer(M.b, M.len, &lim, &m, &e), IGK_E_INVALID, "file size limit 100");
    is_str(e.message, "file of 4200 bytes exceeds the limit of 100", "file size limit: message");
    igk_read_limits_default(&lim);
    lim.max_headers = 3;
    is_int(igk_igvm_read_buffer(M.b, M.len, &lim, &m, &e), 0, "header limit 3: accepted");
    igk_igvm_free(m);
}

int main(void)
{
    M = load("minimal_snp_v1.igvm");
    S = load("snp_tdx_v1.igvm");
    N = load("native_vbs_v2.igvm");
    C = load("cca_aarch64_v2.igvm");
    test_samples();
    test_fixed_header();
    test_framing();
    test_platform();
    test_initialization();
    test_directives();
    test_models();
    test_limits();
    free(M.b);
    free(S.b);
    free(N.b);
    free(C.b);
    return tap_done();
}
