/* SPDX-License-Identifier: MIT */
/*
 * Unsigned CoRIM in the launch-measurement profile (docs/exports.md §3;
 * draft-ietf-rats-corim-10 code points).  Layout, in CBOR diagnostic form:
 *
 *   501({                                   / tagged-unsigned-corim-map /
 *     0: "<corim-id>",                      / id                        /
 *     1: [ 506(<< concise-mid-tag >>), ... ], / tags, one per platform  /
 *     3: 32("tag:microsoft.com,2026:launch-measurement/v1")  / profile  /
 *   })
 *   concise-mid-tag = {
 *     1: { 0: "<tag-id>" },                 / tag-identity              /
 *     4: {                                  / triples                   /
 *       0: [ [ ENV, [ MEAS ] ] ],           / reference-triples         /
 *       8: [ [ [ ENV, [] ], [ [ [ MEAS ], [ { 1: { 1: 552(svn) } } ] ] ] ] ]
 *     }                                     / conditional-endorsement-series /
 *   }
 *   ENV  = { 0: { 1: "<vendor>", 2: "<model>" } }          / class: vendor, model /
 *   MEAS = { 0: "<mkey>", 1: { 2: [ [ alg, h'digest' ] ] } } / mkey, mval.digests /
 *
 * Map keys are written in ascending order, which for these small unsigned
 * keys is the RFC 8949 deterministic order the CBOR writer enforces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "cbor.h"
#include "export-private.h"
#include "util.h"

#define CORIM_TAG 501
#define COMID_TAG 506
#define URI_TAG 32
#define EXACT_SVN_TAG 552

/* IANA "Named Information Hash Algorithm" registry. */
#define NI_SHA256 1
#define NI_SHA384 7

/* The profile's tag-id namespace: tag-id = UUIDv5(this, "vendor/model"). */
#define PROFILE_TAG_ID_NAMESPACE "85f3f1c2-22a8-441e-a1b9-bccfb63ed5f7"

struct corim_platform {
    enum igk_platform_type platform;
    const char *vendor, *model, *mkey;
    int alg;
    size_t digest_len;
};

static const struct corim_platform corim_platforms[] = {
    {IGK_PLATFORM_SEV_SNP, "AMD", "SEV-SNP", "MEASUREMENT", NI_SHA384, 48},
    {IGK_PLATFORM_TDX, "Intel", "TDX", "MRTD", NI_SHA384, 48},
    {IGK_PLATFORM_VSM, "Microsoft", "VBS", "MEASUREMENT", NI_SHA256, 32},
};

static const struct corim_platform *find_platform(enum igk_platform_type platform)
{
    for (size_t i = 0; i < IGK_ARRAY_SIZE(corim_platforms); i++)
        if (corim_platforms[i].platform == platform)
            return &corim_platforms[i];
    return NULL;
}

/* Lower-case UUIDv5 text of name under the namespace ns_text. */
static void uuid5_text(const char *ns_text, const char *name, char out[37])
{
    uuid_t ns, id;

    uuid_parse(ns_text, ns); /* constant, known to parse */
    uuid_generate_sha1(id, ns, name, strlen(name));
    uuid_unparse_lower(id, out);
}

static void write_environment(struct igk_cbor *c, const struct corim_platform *p)
{
    igk_cbor_map(c, 1);
    igk_cbor_uint(c, 0); /* class */
    igk_cbor_map(c, 2);
    igk_cbor_uint(c, 1); /* vendor */
    igk_cbor_text(c, p->vendor);
    igk_cbor_uint(c, 2); /* model */
    igk_cbor_text(c, p->model);
}

static void write_measurement(struct igk_cbor *c, const struct corim_platform *p,
                              const struct igk_measurement *m)
{
    igk_cbor_map(c, 2);
    igk_cbor_uint(c, 0); /* mkey */
    igk_cbor_text(c, p->mkey);
    igk_cbor_uint(c, 1); /* mval */
    igk_cbor_map(c, 1);
    igk_cbor_uint(c, 2); /* digests */
    igk_cbor_array(c, 1);
    igk_cbor_array(c, 2);
    igk_cbor_int(c, p->alg);
    igk_cbor_bytes(c, m->digest, p->digest_len);
}

/* One concise-mid-tag, encoded on its own (it is carried as a byte string). */
static int encode_comid(const struct corim_platform *p, const struct igk_measurement *m,
                        uint64_t svn, uint8_t **ret, size_t *ret_len)
{
    struct igk_cbor c;
    char name[64], tag_id[37];

    snprintf(name, sizeof(name), "%s/%s", p->vendor, p->model);
    uuid5_text(PROFILE_TAG_ID_NAMESPACE, name, tag_id);

    igk_cbor_init(&c);
    igk_cbor_map(&c, 2);
    igk_cbor_uint(&c, 1); /* tag-identity */
    igk_cbor_map(&c, 1);
    igk_cbor_uint(&c, 0); /* tag-id */
    igk_cbor_text(&c, tag_id);
    igk_cbor_uint(&c, 4); /* triples */
    igk_cbor_map(&c, 2);

    igk_cbor_uint(&c, 0); /* reference-triples */
    igk_cbor_array(&c, 1);
    igk_cbor_array(&c, 2);
    write_environment(&c, p);
    igk_cbor_array(&c, 1);
    write_measurement(&c, p, m);

    igk_cbor_uint(&c, 8); /* conditional-endorsement-series-triples */
    igk_cbor_array(&c, 1);
    igk_cbor_array(&c, 2);
    igk_cbor_array(&c, 2); /* condition: environment, empty claims list */
    write_environment(&c, p);
    igk_cbor_array(&c, 0);
    igk_cbor_array(&c, 1); /* series */
    igk_cbor_array(&c, 2);
    igk_cbor_array(&c, 1); /* selection */
    write_measurement(&c, p, m);
    igk_cbor_array(&c, 1); /* addition: the endorsed SVN */
    igk_cbor_map(&c, 1);
    igk_cbor_uint(&c, 1); /* mval */
    igk_cbor_map(&c, 1);
    igk_cbor_uint(&c, 1); /* svn */
    igk_cbor_tag(&c, EXACT_SVN_TAG);
    igk_cbor_uint(&c, svn);
    return igk_cbor_finish(&c, ret, ret_len);
}

int igk_export_corim(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                     struct igk_error *err)
{
    const struct corim_platform *plat[IGK_PLATFORM_MAX];
    const struct igk_measurement *meas[IGK_PLATFORM_MAX];
    size_t n = 0;
    struct igk_cbor c;
    char hex[2 * 48 + 1], name[8 + sizeof(hex)], corim_id[37];

    for (size_t i = 0; i < in->n_measurements && n < IGK_PLATFORM_MAX; i++) {
        const struct corim_platform *p = find_platform(in->measurements[i].platform);
        if (p && in->measurements[i].digest_len == p->digest_len) {
            plat[n] = p;
            meas[n++] = &in->measurements[i];
        }
    }
    if (n == 0)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "no SEV-SNP, TDX or VBS measurement to export as a CoRIM");

    igk_hex_encode(in->sha384, sizeof(in->sha384), hex);
    snprintf(name, sizeof(name), "sha384:%s", hex);
    uuid5_text(IGK_EXPORT_UUID_NAMESPACE, name, corim_id);

    igk_cbor_init(&c);
    igk_cbor_tag(&c, CORIM_TAG);
    igk_cbor_map(&c, 3);
    igk_cbor_uint(&c, 0); /* id */
    igk_cbor_text(&c, corim_id);
    igk_cbor_uint(&c, 1); /* tags */
    igk_cbor_array(&c, n);
    for (size_t i = 0; i < n; i++) {
        uint8_t *comid;
        size_t comid_len;
        if (encode_comid(plat[i], meas[i], in->svn, &comid, &comid_len) < 0) {
            igk_cbor_discard(&c);
            return igk_error_set(err, IGK_E_INTERNAL, "cannot encode the CoMID");
        }
        igk_cbor_tag(&c, COMID_TAG);
        igk_cbor_bytes(&c, comid, comid_len);
        free(comid);
    }
    igk_cbor_uint(&c, 3); /* profile */
    igk_cbor_tag(&c, URI_TAG);
    igk_cbor_text(&c, IGK_EXPORT_CORIM_PROFILE);
    if (igk_cbor_finish(&c, ret_data, ret_len) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "cannot encode the CoRIM");
    return 0;
}
