/* SPDX-License-Identifier: MIT */
/*
 * Field-by-field encoding and decoding of IGVM variable header bodies
 * (internal to igvm/).  Every on-disk layout of docs/igvm-format.md 4-6
 * is spelled out once, in codec.c, with explicit byte offsets; nothing is
 * ever cast over file bytes.
 */
#ifndef IGK_CODEC_H
#define IGK_CODEC_H

#include <stdint.h>

#include <igvmkit/igvm.h>

/* The 8-byte TLV prefix (type, length) in front of every body (section 3.1). */
#define IGK_TLV_PREFIX_SIZE 8u

/* Offset of the next TLV after one with a body of body_len bytes. */
static inline uint64_t igk_tlv_stride(uint32_t body_len)
{
    return (IGK_TLV_PREFIX_SIZE + (uint64_t)body_len + 7u) & ~(uint64_t)7u;
}

/* Native x64 VP context and CCA context sizes inside their 4 KiB block (section 6.5). */
#define IGK_NATIVE_X64_CONTEXT_SIZE 232u
#define IGK_CCA_CONTEXT_SIZE 80u
/* A VBS register list: u32 count, then count records of this size. */
#define IGK_VBS_REGISTER_SIZE 32u

/*
 * Decodes a body of igk_header_struct_size(type) bytes into h->u.  The two
 * large bodies (SNP_ID_BLOCK, VBS_MEASUREMENT) are decoded into storage kept
 * by igvm.  Returns 0, or IGK_E_INTERNAL on allocation failure.
 */
int igk_decode_body(struct igk_igvm *igvm, uint32_t type, const uint8_t *body,
                    struct igk_header *h, struct igk_error *err);

/* Decodes a 24-byte PAGE_DATA body (the lean cursor decodes these alone). */
void igk_decode_page_data(const uint8_t *body, struct igk_page_data *pd);

/*
 * Encodes h->u into out (igk_header_struct_size(h->type) bytes, which the
 * caller zeroed).  file_offset fields are taken from the arguments rather than
 * the header, so the writer can place data without touching the model.
 */
void igk_encode_body(const struct igk_header *h, uint32_t file_offset, uint8_t *out);

/*
 * CRC-32 of a file (section 2.2): the fixed header (fixed_size bytes, its
 * checksum field taken as zero), then the variable header section.
 */
uint32_t igk_igvm_crc32(const uint8_t *fixed, uint32_t fixed_size, const uint8_t *vh,
                        uint32_t vh_size);

#endif /* IGK_CODEC_H */
