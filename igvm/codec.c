/* SPDX-License-Identifier: MIT */
/*
 * Encoding and decoding of every IGVM variable header body, field by field
 * through le.h.  Offsets and sizes are those of docs/igvm-format.md sections 4-6;
 * each layout ends with a _Static_assert that its last field ends exactly at
 * the on-disk size, so a typo in an offset cannot go unnoticed.
 */
#include <string.h>

#include <igvmkit/igvm.h>

#include "codec.h"
#include "le.h"

/* The end of the last field must be the on-disk size of the structure. */
#define LAYOUT_ENDS(last_off, last_size, total)                                            \
    _Static_assert((last_off) + (last_size) == (total), "on-disk layout size")

/* SUPPORTED_PLATFORM (section 4.1). */
enum { SP_MASK = 0, SP_VTL = 4, SP_TYPE = 5, SP_VERSION = 6, SP_SHARED_GPA = 8, SP_SIZE = 16 };
LAYOUT_ENDS(SP_SHARED_GPA, 8, SP_SIZE);

/* GUEST_POLICY (section 5.1). */
enum { GP_POLICY = 0, GP_MASK = 8, GP_RESERVED = 12, GP_SIZE = 16 };
LAYOUT_ENDS(GP_RESERVED, 4, GP_SIZE);

/* RELOCATABLE_REGION (section 5.2). */
enum {
    RR_MASK = 0, RR_VP = 4, RR_VTL = 6, RR_FLAGS = 7, RR_ALIGN = 8, RR_GPA = 16, RR_SIZE_F = 24,
    RR_MIN = 32, RR_MAX = 40, RR_SIZE = 48
};
LAYOUT_ENDS(RR_MAX, 8, RR_SIZE);

/* PAGE_TABLE_RELOCATION_REGION (section 5.2). */
enum { PT_MASK = 0, PT_VP = 4, PT_VTL = 6, PT_RESERVED = 7, PT_GPA = 8, PT_SIZE_F = 16,
       PT_USED = 24, PT_SIZE = 32 };
LAYOUT_ENDS(PT_USED, 8, PT_SIZE);

/* CORIM_DOCUMENT / CORIM_SIGNATURE (section 5.4). */
enum { CO_MASK = 0, CO_OFFSET = 4, CO_BYTES = 8, CO_RESERVED = 12, CO_SIZE = 16 };
LAYOUT_ENDS(CO_RESERVED, 4, CO_SIZE);

/* CCA_POLICY (section 5.3). */
enum { CP_MASK = 0, CP_RESERVED = 4, CP_ZEROES = 8, CP_ONES = 16, CP_HASH = 24, CP_LFA = 25,
       CP_RESERVED2 = 26, CP_SIZE = 32 };
LAYOUT_ENDS(CP_RESERVED2, 6, CP_SIZE);

/* PARAMETER_AREA (section 6.3). */
enum { PA_BYTES = 0, PA_INDEX = 8, PA_OFFSET = 12, PA_SIZE = 16 };
LAYOUT_ENDS(PA_OFFSET, 4, PA_SIZE);

/* PAGE_DATA (section 6.2). */
enum { PD_GPA = 0, PD_MASK = 8, PD_OFFSET = 12, PD_FLAGS = 16, PD_TYPE = 20, PD_RESERVED = 22,
       PD_SIZE = 24 };
LAYOUT_ENDS(PD_RESERVED, 2, PD_SIZE);

/* PARAMETER_INSERT (section 6.4). */
enum { PI_GPA = 0, PI_MASK = 8, PI_INDEX = 12, PI_SIZE = 16 };
LAYOUT_ENDS(PI_INDEX, 4, PI_SIZE);

/* VP_CONTEXT (section 6.5): 20 bytes, the gpa is an unaligned u64 in files. */
enum { VP_GPA = 0, VP_MASK = 8, VP_OFFSET = 12, VP_INDEX = 16, VP_RESERVED = 18, VP_SIZE = 20 };
LAYOUT_ENDS(VP_RESERVED, 2, VP_SIZE);

/* REQUIRED_MEMORY (section 6.6). */
enum { RM_GPA = 0, RM_MASK = 8, RM_BYTES = 12, RM_FLAGS = 16, RM_RESERVED = 20, RM_SIZE = 24 };
LAYOUT_ENDS(RM_RESERVED, 4, RM_SIZE);

/* Parameter usages 0x307..0x313 (section 6.3). */
enum { PU_INDEX = 0, PU_OFFSET = 4, PU_SIZE = 8 };
LAYOUT_ENDS(PU_OFFSET, 4, PU_SIZE);

/* ERROR_RANGE (section 6.6). */
enum { ER_GPA = 0, ER_MASK = 8, ER_BYTES = 12, ER_SIZE = 16 };
LAYOUT_ENDS(ER_BYTES, 4, ER_SIZE);

/* SNP_ID_BLOCK (section 6.7): signatures are r[72] s[72], keys curve, reserved, qx, qy. */
enum { SIG_R = 0, SIG_S = 72, SIG_SIZE = 144 };
LAYOUT_ENDS(SIG_S, 72, SIG_SIZE);
enum { KEY_CURVE = 0, KEY_RESERVED = 4, KEY_QX = 8, KEY_QY = 80, KEY_SIZE = 152 };
LAYOUT_ENDS(KEY_QY, 72, KEY_SIZE);
enum {
    IB_MASK = 0, IB_AUTHOR_EN = 4, IB_RESERVED = 5, IB_LD = 8, IB_FAMILY = 56, IB_IMAGE = 72,
    IB_VERSION = 88, IB_SVN = 92, IB_ID_ALGO = 96, IB_AUTHOR_ALGO = 100, IB_ID_SIG = 104,
    IB_ID_KEY = 248, IB_AUTHOR_SIG = 400, IB_AUTHOR_KEY = 544, IB_SIZE = 696
};
LAYOUT_ENDS(IB_AUTHOR_KEY, KEY_SIZE, IB_SIZE);
_Static_assert(IB_ID_SIG + SIG_SIZE == IB_ID_KEY, "id block signature size");
_Static_assert(IB_ID_KEY + KEY_SIZE == IB_AUTHOR_SIG, "id block key size");

/* VBS_MEASUREMENT (section 6.8). */
enum {
    VM_MASK = 0, VM_VERSION = 4, VM_PRODUCT = 8, VM_MODULE = 12, VM_SVN = 16, VM_POLICY = 20,
    VM_DIGEST_ALGO = 24, VM_SIGN_ALGO = 28, VM_DIGEST = 32, VM_SIGNATURE = 96, VM_KEY = 352,
    VM_SIZE = 864
};
LAYOUT_ENDS(VM_KEY, 512, VM_SIZE);

/* The sizes igk_header_struct_size() reports must be these layouts. */
_Static_assert(sizeof(((struct igk_snp_id_block *)0)->ld) == 48, "ld size");
_Static_assert(sizeof(((struct igk_vbs_measurement *)0)->public_key) == 512, "key size");

static void decode_signature(const uint8_t *p, struct igk_snp_signature *s)
{
    memcpy(s->r, p + SIG_R, sizeof(s->r));
    memcpy(s->s, p + SIG_S, sizeof(s->s));
}

static void encode_signature(const struct igk_snp_signature *s, uint8_t *p)
{
    memcpy(p + SIG_R, s->r, sizeof(s->r));
    memcpy(p + SIG_S, s->s, sizeof(s->s));
}

static void decode_key(const uint8_t *p, struct igk_snp_public_key *k)
{
    k->curve = igk_le32(p + KEY_CURVE);
    k->reserved = igk_le32(p + KEY_RESERVED);
    memcpy(k->qx, p + KEY_QX, sizeof(k->qx));
    memcpy(k->qy, p + KEY_QY, sizeof(k->qy));
}

static void encode_key(const struct igk_snp_public_key *k, uint8_t *p)
{
    igk_put_le32(p + KEY_CURVE, k->curve);
    igk_put_le32(p + KEY_RESERVED, k->reserved);
    memcpy(p + KEY_QX, k->qx, sizeof(k->qx));
    memcpy(p + KEY_QY, k->qy, sizeof(k->qy));
}

static void decode_id_block(const uint8_t *p, struct igk_snp_id_block *b)
{
    memset(b, 0, sizeof(*b));
    b->compatibility_mask = igk_le32(p + IB_MASK);
    b->author_key_enabled = p[IB_AUTHOR_EN];
    memcpy(b->reserved, p + IB_RESERVED, sizeof(b->reserved));
    memcpy(b->ld, p + IB_LD, sizeof(b->ld));
    memcpy(b->family_id, p + IB_FAMILY, sizeof(b->family_id));
    memcpy(b->image_id, p + IB_IMAGE, sizeof(b->image_id));
    b->version = igk_le32(p + IB_VERSION);
    b->guest_svn = igk_le32(p + IB_SVN);
    b->id_key_algorithm = igk_le32(p + IB_ID_ALGO);
    b->author_key_algorithm = igk_le32(p + IB_AUTHOR_ALGO);
    decode_signature(p + IB_ID_SIG, &b->id_key_signature);
    decode_key(p + IB_ID_KEY, &b->id_public_key);
    decode_signature(p + IB_AUTHOR_SIG, &b->author_key_signature);
    decode_key(p + IB_AUTHOR_KEY, &b->author_public_key);
}

static void encode_id_block(const struct igk_snp_id_block *b, uint8_t *p)
{
    igk_put_le32(p + IB_MASK, b->compatibility_mask);
    p[IB_AUTHOR_EN] = b->author_key_enabled;
    memcpy(p + IB_RESERVED, b->reserved, sizeof(b->reserved));
    memcpy(p + IB_LD, b->ld, sizeof(b->ld));
    memcpy(p + IB_FAMILY, b->family_id, sizeof(b->family_id));
    memcpy(p + IB_IMAGE, b->image_id, sizeof(b->image_id));
    igk_put_le32(p + IB_VERSION, b->version);
    igk_put_le32(p + IB_SVN, b->guest_svn);
    igk_put_le32(p + IB_ID_ALGO, b->id_key_algorithm);
    igk_put_le32(p + IB_AUTHOR_ALGO, b->author_key_algorithm);
    encode_signature(&b->id_key_signature, p + IB_ID_SIG);
    encode_key(&b->id_public_key, p + IB_ID_KEY);
    encode_signature(&b->author_key_signature, p + IB_AUTHOR_SIG);
    encode_key(&b->author_public_key, p + IB_AUTHOR_KEY);
}

static void decode_vbs_measurement(const uint8_t *p, struct igk_vbs_measurement *m)
{
    memset(m, 0, sizeof(*m));
    m->compatibility_mask = igk_le32(p + VM_MASK);
    m->version = igk_le32(p + VM_VERSION);
    m->product_id = igk_le32(p + VM_PRODUCT);
    m->module_id = igk_le32(p + VM_MODULE);
    m->security_version = igk_le32(p + VM_SVN);
    m->policy_flags = igk_le32(p + VM_POLICY);
    m->boot_digest_algo = igk_le32(p + VM_DIGEST_ALGO);
    m->signing_algo = igk_le32(p + VM_SIGN_ALGO);
    memcpy(m->boot_measurement_digest, p + VM_DIGEST, sizeof(m->boot_measurement_digest));
    memcpy(m->signature, p + VM_SIGNATURE, sizeof(m->signature));
    memcpy(m->public_key, p + VM_KEY, sizeof(m->public_key));
}

static void encode_vbs_measurement(const struct igk_vbs_measurement *m, uint8_t *p)
{
    igk_put_le32(p + VM_MASK, m->compatibility_mask);
    igk_put_le32(p + VM_VERSION, m->version);
    igk_put_le32(p + VM_PRODUCT, m->product_id);
    igk_put_le32(p + VM_MODULE, m->module_id);
    igk_put_le32(p + VM_SVN, m->security_version);
    igk_put_le32(p + VM_POLICY, m->policy_flags);
    igk_put_le32(p + VM_DIGEST_ALGO, m->boot_digest_algo);
    igk_put_le32(p + VM_SIGN_ALGO, m->signing_algo);
    memcpy(p + VM_DIGEST, m->boot_measurement_digest, sizeof(m->boot_measurement_digest));
    memcpy(p + VM_SIGNATURE, m->signature, sizeof(m->signature));
    memcpy(p + VM_KEY, m->public_key, sizeof(m->public_key));
}

void igk_decode_page_data(const uint8_t *p, struct igk_page_data *pd)
{
    pd->gpa = igk_le64(p + PD_GPA);
    pd->compatibility_mask = igk_le32(p + PD_MASK);
    pd->file_offset = igk_le32(p + PD_OFFSET);
    pd->flags = igk_le32(p + PD_FLAGS);
    pd->data_type = igk_le16(p + PD_TYPE);
    pd->reserved = igk_le16(p + PD_RESERVED);
}

int igk_decode_body(struct igk_igvm *igvm, uint32_t type, const uint8_t *p,
                    struct igk_header *h, struct igk_error *err)
{
    memset(&h->u, 0, sizeof(h->u));
    h->type = type;
    switch (type) {
    case IGK_VHT_SUPPORTED_PLATFORM:
        h->u.platform.compatibility_mask = igk_le32(p + SP_MASK);
        h->u.platform.highest_vtl = p[SP_VTL];
        h->u.platform.platform_type = p[SP_TYPE];
        h->u.platform.platform_version = igk_le16(p + SP_VERSION);
        h->u.platform.shared_gpa_boundary = igk_le64(p + SP_SHARED_GPA);
        break;
    case IGK_VHT_GUEST_POLICY:
        h->u.guest_policy.policy = igk_le64(p + GP_POLICY);
        h->u.guest_policy.compatibility_mask = igk_le32(p + GP_MASK);
        h->u.guest_policy.reserved = igk_le32(p + GP_RESERVED);
        break;
    case IGK_VHT_RELOCATABLE_REGION: {
        struct igk_relocatable_region body, *r = &body;
        r->compatibility_mask = igk_le32(p + RR_MASK);
        r->vp_index = igk_le16(p + RR_VP);
        r->vtl = p[RR_VTL];
        r->flags = p[RR_FLAGS];
        r->relocation_alignment = igk_le64(p + RR_ALIGN);
        r->relocation_region_gpa = igk_le64(p + RR_GPA);
        r->relocation_region_size = igk_le64(p + RR_SIZE_F);
        r->minimum_relocation_gpa = igk_le64(p + RR_MIN);
        r->maximum_relocation_gpa = igk_le64(p + RR_MAX);
        h->u.relocatable_region = (const void *)igk_igvm_keep(igvm, &body, sizeof(body));
        if (!h->u.relocatable_region)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        break;
    }
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION: {
        struct igk_page_table_relocation body, *r = &body;
        r->compatibility_mask = igk_le32(p + PT_MASK);
        r->vp_index = igk_le16(p + PT_VP);
        r->vtl = p[PT_VTL];
        r->reserved = p[PT_RESERVED];
        r->gpa = igk_le64(p + PT_GPA);
        r->size = igk_le64(p + PT_SIZE_F);
        r->used_size = igk_le64(p + PT_USED);
        h->u.page_table_relocation = (const void *)igk_igvm_keep(igvm, &body, sizeof(body));
        if (!h->u.page_table_relocation)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        break;
    }
    case IGK_VHT_CORIM_DOCUMENT:
    case IGK_VHT_CORIM_SIGNATURE:
        h->u.corim.compatibility_mask = igk_le32(p + CO_MASK);
        h->u.corim.file_offset = igk_le32(p + CO_OFFSET);
        h->u.corim.size_bytes = igk_le32(p + CO_BYTES);
        h->u.corim.reserved = igk_le32(p + CO_RESERVED);
        break;
    case IGK_VHT_CCA_POLICY: {
        struct igk_cca_policy body, *c = &body;
        c->compatibility_mask = igk_le32(p + CP_MASK);
        c->reserved = igk_le32(p + CP_RESERVED);
        c->attributes_required_zeroes = igk_le64(p + CP_ZEROES);
        c->attributes_required_ones = igk_le64(p + CP_ONES);
        c->hash_algorithm = p[CP_HASH];
        c->lfa_policy = p[CP_LFA];
        memcpy(c->reserved2, p + CP_RESERVED2, sizeof(c->reserved2));
        h->u.cca_policy = (const void *)igk_igvm_keep(igvm, &body, sizeof(body));
        if (!h->u.cca_policy)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        break;
    }
    case IGK_VHT_PARAMETER_AREA:
        h->u.parameter_area.number_of_bytes = igk_le64(p + PA_BYTES);
        h->u.parameter_area.parameter_area_index = igk_le32(p + PA_INDEX);
        h->u.parameter_area.file_offset = igk_le32(p + PA_OFFSET);
        break;
    case IGK_VHT_PAGE_DATA:
        igk_decode_page_data(p, &h->u.page_data);
        break;
    case IGK_VHT_PARAMETER_INSERT:
        h->u.parameter_insert.gpa = igk_le64(p + PI_GPA);
        h->u.parameter_insert.compatibility_mask = igk_le32(p + PI_MASK);
        h->u.parameter_insert.parameter_area_index = igk_le32(p + PI_INDEX);
        break;
    case IGK_VHT_VP_CONTEXT:
        h->u.vp_context.gpa = igk_le64(p + VP_GPA);
        h->u.vp_context.compatibility_mask = igk_le32(p + VP_MASK);
        h->u.vp_context.file_offset = igk_le32(p + VP_OFFSET);
        h->u.vp_context.vp_index = igk_le16(p + VP_INDEX);
        h->u.vp_context.reserved = igk_le16(p + VP_RESERVED);
        break;
    case IGK_VHT_REQUIRED_MEMORY:
        h->u.required_memory.gpa = igk_le64(p + RM_GPA);
        h->u.required_memory.compatibility_mask = igk_le32(p + RM_MASK);
        h->u.required_memory.number_of_bytes = igk_le32(p + RM_BYTES);
        h->u.required_memory.flags = igk_le32(p + RM_FLAGS);
        h->u.required_memory.reserved = igk_le32(p + RM_RESERVED);
        break;
    case IGK_VHT_VP_COUNT_PARAMETER:
    case IGK_VHT_SRAT:
    case IGK_VHT_MADT:
    case IGK_VHT_MMIO_RANGES:
    case IGK_VHT_MEMORY_MAP:
    case IGK_VHT_COMMAND_LINE:
    case IGK_VHT_SLIT:
    case IGK_VHT_PPTT:
    case IGK_VHT_DEVICE_TREE:
    case IGK_VHT_ENVIRONMENT_INFO_PARAMETER:
        h->u.parameter.parameter_area_index = igk_le32(p + PU_INDEX);
        h->u.parameter.byte_offset = igk_le32(p + PU_OFFSET);
        break;
    case IGK_VHT_ERROR_RANGE:
        h->u.error_range.gpa = igk_le64(p + ER_GPA);
        h->u.error_range.compatibility_mask = igk_le32(p + ER_MASK);
        h->u.error_range.size_bytes = igk_le32(p + ER_BYTES);
        break;
    case IGK_VHT_SNP_ID_BLOCK: {
        struct igk_snp_id_block b;
        decode_id_block(p, &b);
        h->u.snp_id_block = (const void *)igk_igvm_keep(igvm, &b, sizeof(b));
        if (!h->u.snp_id_block)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        break;
    }
    case IGK_VHT_VBS_MEASUREMENT: {
        struct igk_vbs_measurement m;
        decode_vbs_measurement(p, &m);
        h->u.vbs_measurement = (const void *)igk_igvm_keep(igvm, &m, sizeof(m));
        if (!h->u.vbs_measurement)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        break;
    }
    default:
        return igk_error_set(err, IGK_E_INTERNAL, "no decoder for header type 0x%X", type);
    }
    return 0;
}

void igk_encode_body(const struct igk_header *h, uint32_t file_offset, uint8_t *p)
{
    switch (h->type) {
    case IGK_VHT_SUPPORTED_PLATFORM:
        igk_put_le32(p + SP_MASK, h->u.platform.compatibility_mask);
        p[SP_VTL] = h->u.platform.highest_vtl;
        p[SP_TYPE] = h->u.platform.platform_type;
        igk_put_le16(p + SP_VERSION, h->u.platform.platform_version);
        igk_put_le64(p + SP_SHARED_GPA, h->u.platform.shared_gpa_boundary);
        break;
    case IGK_VHT_GUEST_POLICY:
        igk_put_le64(p + GP_POLICY, h->u.guest_policy.policy);
        igk_put_le32(p + GP_MASK, h->u.guest_policy.compatibility_mask);
        igk_put_le32(p + GP_RESERVED, h->u.guest_policy.reserved);
        break;
    case IGK_VHT_RELOCATABLE_REGION: {
        const struct igk_relocatable_region *r = h->u.relocatable_region;
        if (!r)
            break; /* validation refuses it; the body stays zero */
        igk_put_le32(p + RR_MASK, r->compatibility_mask);
        igk_put_le16(p + RR_VP, r->vp_index);
        p[RR_VTL] = r->vtl;
        p[RR_FLAGS] = r->flags;
        igk_put_le64(p + RR_ALIGN, r->relocation_alignment);
        igk_put_le64(p + RR_GPA, r->relocation_region_gpa);
        igk_put_le64(p + RR_SIZE_F, r->relocation_region_size);
        igk_put_le64(p + RR_MIN, r->minimum_relocation_gpa);
        igk_put_le64(p + RR_MAX, r->maximum_relocation_gpa);
        break;
    }
    case IGK_VHT_PAGE_TABLE_RELOCATION_REGION: {
        const struct igk_page_table_relocation *r = h->u.page_table_relocation;
        if (!r)
            break; /* validation refuses it; the body stays zero */
        igk_put_le32(p + PT_MASK, r->compatibility_mask);
        igk_put_le16(p + PT_VP, r->vp_index);
        p[PT_VTL] = r->vtl;
        p[PT_RESERVED] = r->reserved;
        igk_put_le64(p + PT_GPA, r->gpa);
        igk_put_le64(p + PT_SIZE_F, r->size);
        igk_put_le64(p + PT_USED, r->used_size);
        break;
    }
    case IGK_VHT_CORIM_DOCUMENT:
    case IGK_VHT_CORIM_SIGNATURE:
        igk_put_le32(p + CO_MASK, h->u.corim.compatibility_mask);
        igk_put_le32(p + CO_OFFSET, file_offset);
        igk_put_le32(p + CO_BYTES, h->u.corim.size_bytes);
        igk_put_le32(p + CO_RESERVED, h->u.corim.reserved);
        break;
    case IGK_VHT_CCA_POLICY: {
        const struct igk_cca_policy *c = h->u.cca_policy;
        if (!c)
            break; /* validation refuses it; the body stays zero */
        igk_put_le32(p + CP_MASK, c->compatibility_mask);
        igk_put_le32(p + CP_RESERVED, c->reserved);
        igk_put_le64(p + CP_ZEROES, c->attributes_required_zeroes);
        igk_put_le64(p + CP_ONES, c->attributes_required_ones);
        p[CP_HASH] = c->hash_algorithm;
        p[CP_LFA] = c->lfa_policy;
        memcpy(p + CP_RESERVED2, c->reserved2, sizeof(c->reserved2));
        break;
    }
    case IGK_VHT_PARAMETER_AREA:
        igk_put_le64(p + PA_BYTES, h->u.parameter_area.number_of_bytes);
        igk_put_le32(p + PA_INDEX, h->u.parameter_area.parameter_area_index);
        igk_put_le32(p + PA_OFFSET, file_offset);
        break;
    case IGK_VHT_PAGE_DATA:
        igk_put_le64(p + PD_GPA, h->u.page_data.gpa);
        igk_put_le32(p + PD_MASK, h->u.page_data.compatibility_mask);
        igk_put_le32(p + PD_OFFSET, file_offset);
        igk_put_le32(p + PD_FLAGS, h->u.page_data.flags);
        igk_put_le16(p + PD_TYPE, h->u.page_data.data_type);
        igk_put_le16(p + PD_RESERVED, h->u.page_data.reserved);
        break;
    case IGK_VHT_PARAMETER_INSERT:
        igk_put_le64(p + PI_GPA, h->u.parameter_insert.gpa);
        igk_put_le32(p + PI_MASK, h->u.parameter_insert.compatibility_mask);
        igk_put_le32(p + PI_INDEX, h->u.parameter_insert.parameter_area_index);
        break;
    case IGK_VHT_VP_CONTEXT:
        igk_put_le64(p + VP_GPA, h->u.vp_context.gpa);
        igk_put_le32(p + VP_MASK, h->u.vp_context.compatibility_mask);
        igk_put_le32(p + VP_OFFSET, file_offset);
        igk_put_le16(p + VP_INDEX, h->u.vp_context.vp_index);
        igk_put_le16(p + VP_RESERVED, h->u.vp_context.reserved);
        break;
    case IGK_VHT_REQUIRED_MEMORY:
        igk_put_le64(p + RM_GPA, h->u.required_memory.gpa);
        igk_put_le32(p + RM_MASK, h->u.required_memory.compatibility_mask);
        igk_put_le32(p + RM_BYTES, h->u.required_memory.number_of_bytes);
        igk_put_le32(p + RM_FLAGS, h->u.required_memory.flags);
        igk_put_le32(p + RM_RESERVED, h->u.required_memory.reserved);
        break;
    case IGK_VHT_VP_COUNT_PARAMETER:
    case IGK_VHT_SRAT:
    case IGK_VHT_MADT:
    case IGK_VHT_MMIO_RANGES:
    case IGK_VHT_MEMORY_MAP:
    case IGK_VHT_COMMAND_LINE:
    case IGK_VHT_SLIT:
    case IGK_VHT_PPTT:
    case IGK_VHT_DEVICE_TREE:
    case IGK_VHT_ENVIRONMENT_INFO_PARAMETER:
        igk_put_le32(p + PU_INDEX, h->u.parameter.parameter_area_index);
        igk_put_le32(p + PU_OFFSET, h->u.parameter.byte_offset);
        break;
    case IGK_VHT_ERROR_RANGE:
        igk_put_le64(p + ER_GPA, h->u.error_range.gpa);
        igk_put_le32(p + ER_MASK, h->u.error_range.compatibility_mask);
        igk_put_le32(p + ER_BYTES, h->u.error_range.size_bytes);
        break;
    case IGK_VHT_SNP_ID_BLOCK:
        if (h->u.snp_id_block)
            encode_id_block(h->u.snp_id_block, p);
        break;
    case IGK_VHT_VBS_MEASUREMENT:
        if (h->u.vbs_measurement)
            encode_vbs_measurement(h->u.vbs_measurement, p);
        break;
    default:
        break;
    }
}
