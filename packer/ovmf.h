/* SPDX-License-Identifier: MIT */
/*
 * OVMF / TDVF firmware tables (internal).
 *
 * An EDK2 OVMF image ends with a GUIDed footer table (docs/firmware.md
 * section 1) that points at everything a VMM
 * needs to launch it confidentially: the SEV-ES AP reset block, the SEV
 * metadata ("ASEV") sections that SNP measures as typed pages, the kernel
 * hash-table area, and the TDVF metadata ("TDVF") sections that become TDX
 * pages.  igk_ovmf_parse() decodes all of them from an in-memory image,
 * bounds-checking every length and offset; it checks structure only.  Where
 * a section's data lies (a TDVF section may point past the end of a split
 * OVMF_CODE.fd) is checked by the layout that uses it, because the same file
 * is valid for SNP and not for TDX.
 *
 * GUIDs are compared in the mixed-endian byte form EFI stores them in (the
 * first three fields little endian).
 */
#ifndef IGK_OVMF_H
#define IGK_OVMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

/* A GUID in EFI byte order from its text form aaaaaaaa-bbbb-cccc-dddd-dddddddddddd. */
#define IGK_EFI_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                  \
    {                                                                                        \
        (uint8_t)(a), (uint8_t)((a) >> 8), (uint8_t)((a) >> 16), (uint8_t)((a) >> 24),      \
            (uint8_t)(b), (uint8_t)((b) >> 8), (uint8_t)(c), (uint8_t)((c) >> 8), d0, d1, d2, \
            d3, d4, d5, d6, d7                                                               \
    }

#define IGK_OVMF_FOOTER_GAP 32u   /* bytes after the table: reset vector jump etc. */
#define IGK_OVMF_ENTRY_HEADER 18u /* u16 length + GUID, at the end of every entry */

/* Limits against hostile input (real images have < 16 of each). */
#define IGK_OVMF_MAX_SEV_SECTIONS 64u
#define IGK_OVMF_MAX_TDVF_SECTIONS 64u

/* SEV metadata section types (docs/firmware.md section 2). */
enum igk_sev_section_type {
    IGK_SEV_SECTION_SNP_SEC_MEM = 1,
    IGK_SEV_SECTION_SNP_SECRETS = 2,
    IGK_SEV_SECTION_CPUID = 3,
    IGK_SEV_SECTION_SVSM_CAA = 4,
    IGK_SEV_SECTION_SNP_KERNEL_HASHES = 0x10,
};

struct igk_sev_section {
    uint32_t gpa;
    uint32_t size;
    uint32_t type;        /* enum igk_sev_section_type */
    uint64_t file_offset; /* of the 12-byte item, for error messages */
};

/* TDVF section types and attributes (docs/firmware.md section 4). */
enum igk_tdvf_section_type {
    IGK_TDVF_BFV = 0,
    IGK_TDVF_CFV = 1,
    IGK_TDVF_TD_HOB = 2,
    IGK_TDVF_TEMP_MEM = 3,
    IGK_TDVF_PERM_MEM = 4,
    IGK_TDVF_PAYLOAD = 5,
    IGK_TDVF_PAYLOAD_PARAM = 6,
    IGK_TDVF_TD_INFO = 7,
    IGK_TDVF_TD_PARAMS = 8,
};

#define IGK_TDVF_ATTR_MR_EXTEND 0x1u
#define IGK_TDVF_ATTR_PAGE_AUG 0x2u

struct igk_tdvf_section {
    uint32_t data_offset; /* from the image start */
    uint32_t raw_size;
    uint64_t gpa;
    uint64_t memory_size;
    uint32_t type;        /* enum igk_tdvf_section_type */
    uint32_t attributes;  /* IGK_TDVF_ATTR_* */
    uint64_t file_offset; /* of the 32-byte entry, for error messages */
};

struct igk_ovmf_info {
    uint64_t image_size;
    uint64_t table_offset; /* first byte of the footer table */
    uint64_t table_size;   /* including the footer entry */

    bool has_reset_block;
    uint32_t reset_eip; /* SEV-ES AP reset EIP */

    bool has_sev_metadata;
    uint64_t sev_metadata_offset; /* file offset of "ASEV" */
    struct igk_sev_section sev[IGK_OVMF_MAX_SEV_SECTIONS];
    size_t n_sev;

    bool has_hash_table;
    uint32_t hash_table_gpa, hash_table_size;

    bool has_secret_block;
    uint32_t secret_gpa, secret_size;

    /* COCONUT-SVSM images: offset of the SVSM entry point from the image start. */
    bool has_svsm_info;
    uint32_t svsm_entry_offset;

    bool has_tdvf;
    uint64_t tdvf_offset; /* file offset of "TDVF" */
    struct igk_tdvf_section tdvf[IGK_OVMF_MAX_TDVF_SECTIONS];
    size_t n_tdvf;
};

/*
 * Decodes the footer table of image (size bytes) into *ret.  path names the
 * image in errors.  A missing footer GUID, truncated or lying lengths,
 * offsets past the end, a bad "ASEV"/"TDVF" signature, version or count are
 * IGK_E_INVALID with err->path and err->offset set.  Missing optional blocks
 * only leave their has_* flag false.
 */
int igk_ovmf_parse(const uint8_t *image, size_t size, const char *path,
                   struct igk_ovmf_info *ret, struct igk_error *err);

/* "SNP_SEC_MEM", ..., "BFV", ...; "unknown" otherwise. */
const char *igk_sev_section_name(uint32_t type);
const char *igk_tdvf_section_name(uint32_t type);

/* The SEV metadata section of a type, or NULL. */
const struct igk_sev_section *igk_ovmf_find_sev_section(const struct igk_ovmf_info *info,
                                                        uint32_t type);

#endif /* IGK_OVMF_H */
