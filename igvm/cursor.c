/* SPDX-License-Identifier: MIT */
/*
 * Visiting a model's headers in file order, including the PAGE_DATA headers
 * a lean read left in the file (see igk_igvm_read_file_lean in igvm.h).
 *
 * Why this works: a lean model keeps every other header with its file index,
 * so the headers between two kept ones are PAGE_DATA, and their TLVs fill
 * the bytes between the end of the first kept TLV and the start of the next
 * (variable headers are packed back to back, docs/igvm-format.md 3.1).
 * The reader validated each of them before leaving it there.  A lean
 * built model (model-build.h) has no file: its PAGE_DATA headers are runs
 * of pages, generated here one at a time.
 */
#include <igvmkit/igvm.h>

#include "codec.h"
#include "le.h"
#include "model-build.h"
#include "model-private.h"

#define PAGE_DATA_TLV 32u /* 8-byte prefix + 24-byte body (section 6.2) */
_Static_assert(IGK_TLV_PREFIX_SIZE + 24 == PAGE_DATA_TLV, "PAGE_DATA TLV size");

static const struct igk_header *stored(const struct igk_igvm *igvm,
                                       struct igk_header_cursor *cursor)
{
    const struct igk_header *h = &igvm->headers[cursor->stored++];

    cursor->offset = h->file_offset + igk_tlv_stride(igk_header_struct_size(h->type));
    return h;
}

/*
 * A lean built model (model-build.h): header number lies in a page run.
 * cursor->offset is the index of the run the last generated header came
 * from; visits go forward, so finding the next run is O(1) amortized.
 */
static const struct igk_header *generated(const struct igk_igvm *igvm,
                                          struct igk_header_cursor *cursor,
                                          struct igk_header *scratch, size_t number)
{
    const struct igk_igvm_private *p = igvm->priv;
    const struct igk_page_run *run;
    uint64_t k;

    while (cursor->offset < p->n_runs &&
           p->runs[cursor->offset].first + p->runs[cursor->offset].count <= number)
        cursor->offset++;
    if (cursor->offset >= p->n_runs || p->runs[cursor->offset].first > number)
        return NULL; /* the model was changed: end the walk rather than guess */
    run = &p->runs[cursor->offset];
    k = number - run->first;
    *scratch = (struct igk_header){.type = IGK_VHT_PAGE_DATA};
    scratch->u.page_data = (struct igk_page_data){
        .gpa = run->gpa + k * IGK_PAGE_SIZE,
        .compatibility_mask = run->compatibility_mask,
        .flags = run->flags,
        .data_type = run->data_type,
    };
    if (run->data) {
        scratch->data = run->data + k * IGK_PAGE_SIZE;
        scratch->data_size = IGK_PAGE_SIZE;
    }
    return scratch;
}

IGK_PUBLIC const struct igk_header *igk_igvm_next_header(const struct igk_igvm *igvm,
                                                         struct igk_header_cursor *cursor,
                                                         struct igk_header *scratch,
                                                         size_t *ret_number)
{
    const uint8_t *tlv;
    uint32_t data_offset;

    if (!igvm->priv->lean) {
        if (cursor->stored >= igvm->n_headers)
            return NULL;
        *ret_number = cursor->stored;
        return &igvm->headers[cursor->stored++];
    }
    if (cursor->number >= igvm->priv->n_file_headers)
        return NULL;
    *ret_number = cursor->number++;
    if (cursor->stored < igvm->n_headers && igvm->priv->numbers[cursor->stored] == *ret_number) {
        if (!igvm->file)
            return &igvm->headers[cursor->stored++];
        return stored(igvm, cursor);
    }
    if (!igvm->file)
        return generated(igvm, cursor, scratch, *ret_number);

    if (!cursor->offset)
        cursor->offset = igvm->variable_header_offset;
    tlv = igvm->file + cursor->offset;
    /* The reader checked all of this; a model changed since must not make
     * the cursor read outside the file. */
    if (cursor->offset + PAGE_DATA_TLV > igvm->data_section_offset ||
        igk_le32(tlv) != IGK_VHT_PAGE_DATA)
        return NULL;
    *scratch = (struct igk_header){.type = IGK_VHT_PAGE_DATA, .file_offset = cursor->offset};
    igk_decode_page_data(tlv + IGK_TLV_PREFIX_SIZE, &scratch->u.page_data);
    /* Rule 13, as the reader resolved it: a whole page, or none. */
    data_offset = scratch->u.page_data.file_offset;
    if (data_offset && (uint64_t)data_offset + IGK_PAGE_SIZE > igvm->file_size)
        return NULL;
    if (data_offset) {
        scratch->data = igvm->file + data_offset;
        scratch->data_size = IGK_PAGE_SIZE;
    }
    cursor->offset += PAGE_DATA_TLV;
    return scratch;
}
