/* SPDX-License-Identifier: MIT */
/*
 * TDX collateral, read from files (never fetched): the PCK CA's CRL, the
 * TDX TCB info and the TD QE identity as Intel's provisioning certification
 * service (PCS) serves them.  What is checked, and why the rest is not, is
 * in <igvmkit/attest.h> (igk_tdx_quote_authenticate).  The JSON documents
 * are read with libyaml's document loader (JSON is a subset of the YAML it
 * reads, for the plain documents PCS writes).
 *
 * Both JSON documents are evaluated only after their PCS signature verifies
 * (attest/tdx-signed-json.c), and only the signed bytes are read.
 *
 * TCB evaluation follows Intel's Quote Verification Library
 * (TcbLevelCheck.cpp, TdxModuleCheck.cpp): the first TCB level whose 16
 * SGX TCB components and PCE SVN the PCK certificate reaches and whose 16
 * TDX TCB components the quote's TEE_TCB_SVN reaches gives the status; a
 * "Revoked" SGX level ends the search; with TEE_TCB_SVN[1] (the TDX module
 * major version) non-zero, the module identity "TDX_<version>" of the TCB
 * info rates TEE_TCB_SVN[0] (the module's ISVSVN) too.  TEE_TCB_SVN2 of a
 * TDX 1.5 body is not evaluated.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <yaml.h>

#include "tdx-private.h"
#include "le.h"
#include "util.h"

/* SGX extensions of a PCK certificate (Intel SGX PCK Certificate and CRL
 * Profile): OID 1.2.840.113741.1.13.1 and its members. */
#define SGX_EXT_OID "1.2.840.113741.1.13.1"
#define SGX_TCB_OID "1.2.840.113741.1.13.1.2"
#define SGX_FMSPC_OID "1.2.840.113741.1.13.1.4"

struct pck_tcb {
    uint8_t comp[16];
    unsigned pcesvn;
    uint8_t fmspc[6];
    bool has_tcb, has_fmspc;
};

/* ---- reading files ---- */

static int read_optional(const char *dir, const char *const *names, uint8_t **data, size_t *len,
                         struct igk_error *err)
{
    for (const char *const *n = names; *n; n++) {
        char path[4096];
        struct igk_error e;
        int r;

        snprintf(path, sizeof(path), "%s/%s", dir, *n);
        igk_error_clear(&e);
        /* access(), not open(): an optional file that is a FIFO must not block. */
        if (access(path, F_OK) != 0)
            continue;
        r = igk_read_file(path, data, len, &e);
        if (r < 0) {
            if (err)
                *err = e;
            igk_error_set_path(err, path);
            return r;
        }
        if (*len > IGK_TDX_COLLATERAL_MAX_SIZE) {
            free(*data);
            *data = NULL;
            igk_error_set_path(err, path);
            return igk_error_set(err, IGK_E_INVALID, "collateral file is larger than %u bytes",
                                 IGK_TDX_COLLATERAL_MAX_SIZE);
        }
        return 1;
    }
    return 0;
}

int igk_tdx_collateral_load(const char *dir, struct igk_tdx_collateral *c, struct igk_error *err)
{
    static const char *const crl[] = {"pckcrl.der", "pckcrl.pem", NULL};
    static const char *const tcb[] = {"tcbInfo.json", NULL};
    static const char *const qe[] = {"qeIdentity.json", "enclaveIdentity.json", NULL};
    int a, b, d;

    memset(c, 0, sizeof(*c));
    a = read_optional(dir, crl, &c->pck_crl, &c->pck_crl_len, err);
    b = a < 0 ? a : read_optional(dir, tcb, &c->tcb_info, &c->tcb_info_len, err);
    d = b < 0 ? b : read_optional(dir, qe, &c->qe_identity, &c->qe_identity_len, err);
    if (a < 0 || b < 0 || d < 0) {
        igk_tdx_collateral_free(c);
        return a < 0 ? a : b < 0 ? b : d;
    }
    if (!a && !b && !d) {
        igk_error_set_path(err, dir);
        return igk_error_set(err, IGK_E_IO,
                             "no collateral here (pckcrl.der or .pem, tcbInfo.json, "
                             "qeIdentity.json or enclaveIdentity.json)");
    }
    return 0;
}

void igk_tdx_collateral_free(struct igk_tdx_collateral *c)
{
    if (!c)
        return;
    free(c->pck_crl);
    free(c->tcb_info);
    free(c->qe_identity);
    memset(c, 0, sizeof(*c));
}

/* ---- the PCK certificate's SGX extension ---- */

static STACK_OF(ASN1_TYPE) * sequence_of(const unsigned char *p, long len)
{
    return d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
}

/* A member SEQUENCE { OID, value }: the OID's dotted text and the value. */
static bool member(const ASN1_TYPE *t, char *oid, size_t oid_size, const ASN1_TYPE **value,
                   STACK_OF(ASN1_TYPE) * *owned)
{
    STACK_OF(ASN1_TYPE) * m;

    *owned = NULL;
    if (t->type != V_ASN1_SEQUENCE)
        return false;
    m = sequence_of(t->value.sequence->data, t->value.sequence->length);
    if (!m || sk_ASN1_TYPE_num(m) != 2 || sk_ASN1_TYPE_value(m, 0)->type != V_ASN1_OBJECT) {
        sk_ASN1_TYPE_pop_free(m, ASN1_TYPE_free);
        return false;
    }
    OBJ_obj2txt(oid, (int)oid_size, sk_ASN1_TYPE_value(m, 0)->value.object, 1);
    *value = sk_ASN1_TYPE_value(m, 1);
    *owned = m;
    return true;
}

static void read_tcb(const ASN1_TYPE *v, struct pck_tcb *p)
{
    STACK_OF(ASN1_TYPE) * s;
    unsigned found = 0;

    if (v->type != V_ASN1_SEQUENCE)
        return;
    s = sequence_of(v->value.sequence->data, v->value.sequence->length);
    for (int i = 0; s && i < sk_ASN1_TYPE_num(s); i++) {
        STACK_OF(ASN1_TYPE) * m;
        const ASN1_TYPE *val;
        char oid[80];
        long n;

        if (!member(sk_ASN1_TYPE_value(s, i), oid, sizeof(oid), &val, &m))
            continue;
        /* .2.1 .. .2.16 component SVNs, .2.17 PCESVN (INTEGERs). */
        if (!strncmp(oid, SGX_TCB_OID ".", strlen(SGX_TCB_OID) + 1) &&
            val->type == V_ASN1_INTEGER) {
            unsigned idx = (unsigned)atoi(oid + strlen(SGX_TCB_OID) + 1);
            n = ASN1_INTEGER_get(val->value.integer);
            if (idx >= 1 && idx <= 16 && n >= 0 && n <= 255) {
                p->comp[idx - 1] = (uint8_t)n;
                found |= 1u << (idx - 1);
            } else if (idx == 17 && n >= 0 && n <= 65535) {
                p->pcesvn = (unsigned)n;
                found |= 1u << 16;
            }
        }
        sk_ASN1_TYPE_pop_free(m, ASN1_TYPE_free);
    }
    sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free);
    p->has_tcb = found == 0x1ffffu;
}

static void read_pck_extension(X509 *pck, struct pck_tcb *p)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(SGX_EXT_OID, 1);
    int at = obj ? X509_get_ext_by_OBJ(pck, obj, -1) : -1;
    X509_EXTENSION *ext = at >= 0 ? X509_get_ext(pck, at) : NULL;
    ASN1_OCTET_STRING *os = ext ? X509_EXTENSION_get_data(ext) : NULL;
    STACK_OF(ASN1_TYPE) *s = os ? sequence_of(os->data, os->length) : NULL;

    memset(p, 0, sizeof(*p));
    for (int i = 0; s && i < sk_ASN1_TYPE_num(s); i++) {
        STACK_OF(ASN1_TYPE) * m;
        const ASN1_TYPE *val;
        char oid[80];

        if (!member(sk_ASN1_TYPE_value(s, i), oid, sizeof(oid), &val, &m))
            continue;
        if (!strcmp(oid, SGX_TCB_OID)) {
            read_tcb(val, p);
        } else if (!strcmp(oid, SGX_FMSPC_OID) && val->type == V_ASN1_OCTET_STRING &&
                   val->value.octet_string->length == 6) {
            memcpy(p->fmspc, val->value.octet_string->data, 6);
            p->has_fmspc = true;
        }
        sk_ASN1_TYPE_pop_free(m, ASN1_TYPE_free);
    }
    sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free);
    ASN1_OBJECT_free(obj);
    ERR_clear_error();
}

/* ---- the CRL ---- */

static void check_crl(const struct igk_tdx_collateral *c, const struct igk_tdx_chain *chain,
                      const struct igk_tdx_auth_options *o, struct igk_verify_table *t)
{
    const char *expected = "PCK certificate not revoked";
    const unsigned char *p = c->pck_crl;
    X509_CRL *crl = NULL;
    X509_REVOKED *rev = NULL;
    time_t now = o && o->has_time ? (time_t)o->time : time(NULL);
    char text[160];
    bool ok = false;

    if (!chain->pck || !chain->ca) {
        igk_verify_add_text(t, "PCK_CRL", expected, "not checked (no PCK chain)", false);
        return;
    }
    if (c->pck_crl_len > 10 && !memcmp(c->pck_crl, "-----BEGIN", 10)) {
        BIO *bio = BIO_new_mem_buf(c->pck_crl, (int)c->pck_crl_len);
        crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
    } else if (c->pck_crl_len <= IGK_TDX_COLLATERAL_MAX_SIZE) {
        crl = d2i_X509_CRL(NULL, &p, (long)c->pck_crl_len);
    }
    if (!crl) {
        snprintf(text, sizeof(text), "the CRL file is not a DER or PEM CRL");
    } else if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(chain->pck))) {
        snprintf(text, sizeof(text), "the CRL is not of the CA that issued the PCK certificate");
    } else if (X509_CRL_verify(crl, X509_get0_pubkey(chain->ca)) != 1) {
        snprintf(text, sizeof(text), "the CRL signature does not verify with the PCK CA key");
    } else if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &now) > 0) {
        snprintf(text, sizeof(text), "the CRL is not yet valid at the time of the check");
    } else if (X509_CRL_get0_nextUpdate(crl) &&
               X509_cmp_time(X509_CRL_get0_nextUpdate(crl), &now) < 0) {
        snprintf(text, sizeof(text),
                 "the CRL expired before the time of the check (use --at "
                 "for archived evidence)");
    } else if (X509_CRL_get0_by_cert(crl, &rev, chain->pck) == 1) {
        snprintf(text, sizeof(text), "REVOKED");
    } else {
        snprintf(text, sizeof(text), "not revoked");
        ok = true;
    }
    igk_verify_add_text(t, "PCK_CRL", expected, text, ok);
    X509_CRL_free(crl);
    ERR_clear_error();
}

/* ---- JSON documents through libyaml ---- */

struct json {
    yaml_document_t doc;
    bool loaded;
};

static bool json_load(struct json *j, const uint8_t *data, size_t len)
{
    yaml_parser_t parser;

    j->loaded = false;
    if (!yaml_parser_initialize(&parser))
        return false;
    yaml_parser_set_input_string(&parser, data, len);
    /* On failure libyaml leaves an empty document, safe to delete. */
    memset(&j->doc, 0, sizeof(j->doc));
    if (yaml_parser_load(&parser, &j->doc))
        j->loaded = yaml_document_get_root_node(&j->doc) != NULL;
    yaml_parser_delete(&parser);
    return j->loaded;
}

static void json_free(struct json *j)
{
    yaml_document_delete(&j->doc);
}

static yaml_node_t *json_get(struct json *j, yaml_node_t *obj, const char *key)
{
    if (!obj || obj->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = obj->data.mapping.pairs.start; p < obj->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&j->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return yaml_document_get_node(&j->doc, p->value);
    }
    return NULL;
}

static const char *json_str(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool json_uint(yaml_node_t *n, unsigned long *ret)
{
    const char *s = json_str(n);
    char *end;

    if (!s || !isdigit((unsigned char)*s))
        return false;
    errno = 0;
    *ret = strtoul(s, &end, 10);
    return !errno && !*end;
}

static size_t json_len(yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

static yaml_node_t *json_at(struct json *j, yaml_node_t *n, size_t i)
{
    return i < json_len(n) ? yaml_document_get_node(&j->doc, n->data.sequence.items.start[i])
                           : NULL;
}

static bool json_hex(yaml_node_t *n, uint8_t *out, size_t len)
{
    const char *s = json_str(n);
    return s && strlen(s) == 2 * len && igk_hex_decode(s, out, len) == 0;
}

/* The 16 "svn" of a components array reach (<=) have? */
static int components_reached(struct json *j, yaml_node_t *arr, const uint8_t have[16])
{
    if (json_len(arr) != 16)
        return -1;
    for (size_t i = 0; i < 16; i++) {
        unsigned long svn;
        if (!json_uint(json_get(j, json_at(j, arr, i), "svn"), &svn))
            return -1;
        if (have[i] < svn)
            return 0;
    }
    return 1;
}

/* "2026-03-03T14:49:26Z" (the PCS format) as seconds since 1970, or -1. */
static int64_t json_time(yaml_node_t *n)
{
    const char *s = json_str(n), *end;
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    if (!s || !(end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) || strcmp(end, "Z"))
        return -1;
    return (int64_t)timegm(&tm);
}

/*
 * Verifies a PCS document's signature and loads its signed member as JSON
 * (attest/tdx-signed-json.c): only the bytes Intel signed are read, so a
 * second, unsigned copy of the member elsewhere in the file cannot be what
 * is evaluated.  On failure writes the row text and returns false.
 */
static bool load_signed(const uint8_t *doc, size_t len, const char *member, const char *file,
                        struct json *j, char *text, size_t size)
{
    struct igk_tdx_signed_json sj;

    switch (igk_tdx_signed_json(doc, len, member, &sj)) {
    case IGK_TDX_SIGNED_OK:
        break;
    case IGK_TDX_SIGNED_MALFORMED:
        snprintf(text, size, "not checked (%s is not a signed PCS document)", file);
        return false;
    case IGK_TDX_SIGNED_BAD:
        snprintf(text, size, "%s: the signature does not verify with Intel's TCB signing key",
                 file);
        return false;
    default:
        snprintf(text, size, "not checked (the carried TCB signing certificate is unusable)");
        return false;
    }
    if (!json_load(j, sj.body, sj.body_len)) {
        json_free(j);
        snprintf(text, size, "not checked (%s is not JSON)", file);
        return false;
    }
    return true;
}

static bool status_acceptable(const char *s)
{
    /* UpToDate, or up to date with software mitigations the TD owner controls. */
    return !strcmp(s, "UpToDate") || !strcmp(s, "SWHardeningNeeded");
}

static void check_tcb(const struct igk_tdx_collateral *c, const struct igk_tdx_quote *q,
                      const struct igk_tdx_chain *chain, int64_t now, struct igk_verify_table *t)
{
    const char *expected = "UpToDate (TCB info of the PCK's FMSPC)";
    struct pck_tcb pck;
    struct json j;
    yaml_node_t *info, *levels;
    char text[200];
    bool ok = false;
    uint8_t fmspc[6];

    if (!chain->pck) {
        igk_verify_add_text(t, "TCB_STATUS", expected, "not checked (no PCK certificate)", false);
        return;
    }
    read_pck_extension(chain->pck, &pck);
    if (!pck.has_tcb || !pck.has_fmspc) {
        igk_verify_add_text(t, "TCB_STATUS", expected,
                            "not checked (the PCK certificate has no SGX TCB extension)", false);
        return;
    }
    if (!load_signed(c->tcb_info, c->tcb_info_len, "tcbInfo", "tcbInfo.json", &j, text,
                     sizeof(text))) {
        igk_verify_add_text(t, "TCB_STATUS", expected, text, false);
        return;
    }
    info = yaml_document_get_root_node(&j.doc);
    levels = json_get(&j, info, "tcbLevels");
    if (!info || !json_str(json_get(&j, info, "id")) ||
        strcmp(json_str(json_get(&j, info, "id")), "TDX")) {
        snprintf(text, sizeof(text), "not checked (tcbInfo.json is not a TDX TCB info)");
    } else if (!json_hex(json_get(&j, info, "fmspc"), fmspc, 6)) {
        snprintf(text, sizeof(text), "not checked (tcbInfo.json has no FMSPC)");
    } else if (memcmp(fmspc, pck.fmspc, 6)) {
        char a[13], b[13];
        igk_hex_encode(fmspc, 6, a);
        igk_hex_encode(pck.fmspc, 6, b);
        snprintf(text, sizeof(text), "not checked (TCB info for FMSPC %s, the PCK's is %s)", a, b);
    } else if (json_time(json_get(&j, info, "issueDate")) < 0 ||
               json_time(json_get(&j, info, "nextUpdate")) < 0) {
        snprintf(text, sizeof(text), "not checked (tcbInfo.json has no issueDate/nextUpdate)");
    } else if (now < json_time(json_get(&j, info, "issueDate")) ||
               now > json_time(json_get(&j, info, "nextUpdate"))) {
        snprintf(text, sizeof(text),
                 "not checked (TCB info valid %s to %s; use --at for "
                 "archived evidence)",
                 json_str(json_get(&j, info, "issueDate")),
                 json_str(json_get(&j, info, "nextUpdate")));
    } else {
        const char *status = NULL, *date = NULL;
        bool sgx_found = false, revoked = false;

        for (size_t i = 0; i < json_len(levels); i++) {
            yaml_node_t *lvl = json_at(&j, levels, i), *tcb = json_get(&j, lvl, "tcb");
            unsigned long pcesvn;
            const char *st = json_str(json_get(&j, lvl, "tcbStatus"));

            if (!st || !json_uint(json_get(&j, tcb, "pcesvn"), &pcesvn))
                continue;
            if (!sgx_found) {
                if (components_reached(&j, json_get(&j, tcb, "sgxtcbcomponents"), pck.comp) == 1 &&
                    pck.pcesvn >= pcesvn)
                    sgx_found = true;
                else
                    continue;
                if (!strcmp(st, "Revoked")) {
                    revoked = true;
                    break;
                }
            }
            if (components_reached(&j, json_get(&j, tcb, "tdxtcbcomponents"), q->tee_tcb_svn) ==
                1) {
                status = st;
                date = json_str(json_get(&j, lvl, "tcbDate"));
                break;
            }
        }
        if (revoked) {
            snprintf(text, sizeof(text), "Revoked (the platform's SGX TCB)");
        } else if (!status) {
            snprintf(text, sizeof(text), "no TCB level reached (TCB unrecognized)");
        } else {
            const char *module = NULL;
            if (q->tee_tcb_svn[1] != 0) {
                char id[16];
                yaml_node_t *ids = json_get(&j, info, "tdxModuleIdentities");

                snprintf(id, sizeof(id), "TDX_%02X", q->tee_tcb_svn[1]);
                module = "unrecognized";
                for (size_t i = 0; i < json_len(ids); i++) {
                    yaml_node_t *mi = json_at(&j, ids, i), *ml;
                    const char *mid = json_str(json_get(&j, mi, "id"));
                    if (!mid || strcmp(mid, id))
                        continue;
                    ml = json_get(&j, mi, "tcbLevels");
                    for (size_t k = 0; k < json_len(ml); k++) {
                        unsigned long svn;
                        yaml_node_t *l = json_at(&j, ml, k);
                        if (json_uint(json_get(&j, json_get(&j, l, "tcb"), "isvsvn"), &svn) &&
                            q->tee_tcb_svn[0] >= svn) {
                            module = json_str(json_get(&j, l, "tcbStatus"));
                            break;
                        }
                    }
                }
            }
            snprintf(text, sizeof(text), "%s (TCB level of %s%s%s)",
                     status, date ? date : "?", module ? ", TDX module " : "",
                     module ? (module ? module : "?") : "");
            ok = status_acceptable(status) && (!module || status_acceptable(module));
        }
    }
    json_free(&j);
    igk_verify_add_text(t, "TCB_STATUS", expected, text, ok);
}

static void check_qe_identity(const struct igk_tdx_collateral *c,
                              const struct igk_tdx_quote_signature *s, int64_t now,
                              struct igk_verify_table *t)
{
    const char *expected = "TD_QE identity, UpToDate";
    const uint8_t *rep = s->qe_report;
    yaml_node_t *id, *levels;
    struct json j;
    char text[160];
    bool ok = false;
    uint8_t mrsigner[32], attr[16], attr_mask[16], misc[4], misc_mask[4];
    unsigned long prodid;

    if (!load_signed(c->qe_identity, c->qe_identity_len, "enclaveIdentity", "the QE identity", &j,
                     text, sizeof(text))) {
        igk_verify_add_text(t, "QE_IDENTITY", expected, text, false);
        return;
    }
    id = yaml_document_get_root_node(&j.doc);
    levels = json_get(&j, id, "tcbLevels");
    if (json_time(json_get(&j, id, "issueDate")) < 0 ||
        json_time(json_get(&j, id, "nextUpdate")) < 0) {
        snprintf(text, sizeof(text), "not checked (the QE identity has no issueDate/nextUpdate)");
    } else if (now < json_time(json_get(&j, id, "issueDate")) ||
               now > json_time(json_get(&j, id, "nextUpdate"))) {
        snprintf(text, sizeof(text),
                 "not checked (QE identity valid %s to %s; use --at for archived evidence)",
                 json_str(json_get(&j, id, "issueDate")), json_str(json_get(&j, id, "nextUpdate")));
    } else if (!json_hex(json_get(&j, id, "mrsigner"), mrsigner, 32) ||
        !json_hex(json_get(&j, id, "attributes"), attr, 16) ||
        !json_hex(json_get(&j, id, "attributesMask"), attr_mask, 16) ||
        !json_hex(json_get(&j, id, "miscselect"), misc, 4) ||
        !json_hex(json_get(&j, id, "miscselectMask"), misc_mask, 4) ||
        !json_uint(json_get(&j, id, "isvprodid"), &prodid)) {
        snprintf(text, sizeof(text), "not checked (QE identity lacks a field)");
    } else {
        /* SGX REPORT body: MISCSELECT @16 (u32 LE), ATTRIBUTES @48, MRSIGNER
         * @128, ISVPRODID @256, ISVSVN @258; the identity writes MISCSELECT
         * as a big-endian hex number. */
        bool attrs_ok = true, misc_ok = true;
        uint32_t m = igk_le32(rep + 16);
        uint8_t mb[4] = {(uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m};
        for (int i = 0; i < 16; i++)
            attrs_ok &= (rep[48 + i] & attr_mask[i]) == attr[i];
        for (int i = 0; i < 4; i++)
            misc_ok &= (mb[i] & misc_mask[i]) == misc[i];
        if (memcmp(rep + 128, mrsigner, 32))
            snprintf(text, sizeof(text), "QE MRSIGNER differs from the identity's");
        else if (igk_le16(rep + 256) != prodid)
            snprintf(text, sizeof(text), "QE ISVPRODID %u, the identity says %lu",
                     igk_le16(rep + 256), prodid);
        else if (!attrs_ok || !misc_ok)
            snprintf(text, sizeof(text), "QE %s differ from the identity's under its mask",
                     attrs_ok ? "MISCSELECT" : "ATTRIBUTES");
        else {
            const char *status = NULL;
            unsigned svn = igk_le16(rep + 258);
            for (size_t i = 0; i < json_len(levels) && !status; i++) {
                unsigned long lsvn;
                yaml_node_t *l = json_at(&j, levels, i);
                if (json_uint(json_get(&j, json_get(&j, l, "tcb"), "isvsvn"), &lsvn) && svn >= lsvn)
                    status = json_str(json_get(&j, l, "tcbStatus"));
            }
            snprintf(text, sizeof(text), "ISVSVN %u: %s", svn,
                     status ? status : "no TCB level reached");
            ok = status && !strcmp(status, "UpToDate");
        }
    }
    json_free(&j);
    igk_verify_add_text(t, "QE_IDENTITY", expected, text, ok);
}

int igk_tdx_check_collateral(const struct igk_tdx_quote *q, const struct igk_tdx_quote_signature *s,
                             const struct igk_tdx_chain *chain,
                             const struct igk_tdx_auth_options *o, struct igk_verify_table *t,
                             struct igk_error *err)
{
    const struct igk_tdx_collateral *c = o ? o->collateral : NULL;
    int64_t now;

    (void)err;
    if (!c) {
        /* Collateral is optional: the TCB level is then unknown, and says so
         * without deciding the verdict (igvmkit(1), verify). */
        igk_verify_row_inform(t, igk_verify_add_not_checked(t, "TCB_STATUS", false,
                                                            "no collateral (--tdx-collateral)"));
        return 0;
    }
    if (c->pck_crl)
        check_crl(c, chain, o, t);
    else
        igk_verify_row_inform(t, igk_verify_add_not_checked(t, "PCK_CRL", false,
                                                            "no pckcrl.der in the collateral"));
    now = o->has_time ? o->time : (int64_t)time(NULL);
    if (c->qe_identity)
        check_qe_identity(c, s, now, t);
    if (c->tcb_info)
        check_tcb(c, q, chain, now, t);
    else
        igk_verify_row_inform(t, igk_verify_add_not_checked(t, "TCB_STATUS", false,
                                                            "no tcbInfo.json in the collateral"));
    return 0;
}
