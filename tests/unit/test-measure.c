/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the walker and the SEV-SNP, TDX and SEV-ES folds on models
 * built in memory, one rule at a time.  Expected digests are computed here
 * independently: the SNP PAGE_INFO chain and the TDX record stream are
 * spelled out with OpenSSL calls (docs/measure-snp.md sections 1-2,
 * docs/measure-tdx.md section 1), never with the code under test.  Lean reads
 * (PAGE_DATA left in the file) must give what full reads give.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <igvmkit/measure.h>

#include "codec.h"
#include "dump.h"
#include "le.h"
#include <igvmkit/lint.h>
#include "tap.h"
#include "tdx-gpa.h"

#define GPA_VMSA 0xFFFFFFFFF000ull

static struct igk_error err;

/* ---- independent reference computations ---- */

static void sha(const EVP_MD *md, const void *a, size_t na, const void *b, size_t nb,
                uint8_t *out)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, md, NULL);
    EVP_DigestUpdate(c, a, na);
    if (nb)
        EVP_DigestUpdate(c, b, nb);
    EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}

/* One SNP step: type, GPA and the page (NULL: CONTENTS are 48 zero bytes). */
static void snp_step(uint8_t ld[48], uint8_t type, uint64_t gpa, const uint8_t *page)
{
    uint8_t info[112] = {0};

    memcpy(info, ld, 48);
    if (page)
        sha(EVP_sha384(), page, 4096, NULL, 0, info + 48);
    info[96] = 0x70;
    info[97] = 0;
    info[98] = type;
    for (int i = 0; i < 8; i++)
        info[104 + i] = (uint8_t)(gpa >> (8 * i));
    sha(EVP_sha384(), info, sizeof(info), NULL, 0, ld);
}

static void tdx_add(EVP_MD_CTX *c, uint64_t gpa)
{
    uint8_t rec[128] = {0};

    memcpy(rec, "MEM.PAGE.ADD", 12);
    for (int i = 0; i < 8; i++)
        rec[16 + i] = (uint8_t)(gpa >> (8 * i));
    EVP_DigestUpdate(c, rec, sizeof(rec));
}

static void tdx_extend(EVP_MD_CTX *c, uint64_t gpa, const uint8_t *page)
{
    for (int k = 0; k < 16; k++) {
        uint8_t rec[384] = {0};
        uint64_t g = gpa + 256u * (unsigned)k;
        memcpy(rec, "MR.EXTEND", 9);
        for (int i = 0; i < 8; i++)
            rec[16 + i] = (uint8_t)(g >> (8 * i));
        memcpy(rec + 128, page + 256 * k, 256);
        EVP_DigestUpdate(c, rec, sizeof(rec));
    }
}

/* ---- model building ---- */

static uint8_t page_a[4096], page_b[4096], vmsa0[4096], vmsa1[4096], zero[4096];
static const uint8_t short_data[5] = {'h', 'e', 'l', 'l', 'o'};
static uint8_t short_padded[4096];

static void add(struct igk_igvm *m, const struct igk_header *h)
{
    if (igk_igvm_append(m, h, &err) < 0)
        abort();
}

static void add_platform(struct igk_igvm *m, uint32_t mask, enum igk_platform_type type)
{
    struct igk_header h = {.type = IGK_VHT_SUPPORTED_PLATFORM};
    h.u.platform.compatibility_mask = mask;
    h.u.platform.platform_type = (uint8_t)type;
    h.u.platform.platform_version = 1;
    add(m, &h);
}

static void add_policy(struct igk_igvm *m, uint32_t mask, uint64_t policy)
{
    struct igk_header h = {.type = IGK_VHT_GUEST_POLICY};
    h.u.guest_policy.policy = policy;
    h.u.guest_policy.compatibility_mask = mask;
    add(m, &h);
}

static void add_page(struct igk_igvm *m, uint32_t mask, uint64_t gpa, const void *data,
                     size_t len, uint32_t flags, uint16_t type)
{
    struct igk_header h = {.type = IGK_VHT_PAGE_DATA};
    h.u.page_data.gpa = gpa;
    h.u.page_data.compatibility_mask = mask;
    h.u.page_data.flags = flags;
    h.u.page_data.data_type = type;
    if (data) {
        h.data = igk_igvm_keep(m, data, len);
        h.data_size = (uint32_t)len;
    }
    add(m, &h);
}

static void add_area(struct igk_igvm *m, uint32_t index, uint64_t bytes)
{
    struct igk_header h = {.type = IGK_VHT_PARAMETER_AREA};
    h.u.parameter_area.number_of_bytes = bytes;
    h.u.parameter_area.parameter_area_index = index;
    add(m, &h);
}

static void add_insert(struct igk_igvm *m, uint32_t mask, uint32_t index, uint64_t gpa)
{
    struct igk_header h = {.type = IGK_VHT_PARAMETER_INSERT};
    h.u.parameter_insert.gpa = gpa;
    h.u.parameter_insert.compatibility_mask = mask;
    h.u.parameter_insert.parameter_area_index = index;
    add(m, &h);
}

static void add_vmsa(struct igk_igvm *m, uint32_t mask, uint16_t vp, const uint8_t *vmsa)
{
    struct igk_header h = {.type = IGK_VHT_VP_CONTEXT};
    h.u.vp_context.gpa = GPA_VMSA;
    h.u.vp_context.compatibility_mask = mask;
    h.u.vp_context.vp_index = vp;
    h.data = igk_igvm_keep(m, vmsa, 4096);
    h.data_size = 4096;
    add(m, &h);
}

/* SNP rule model: every page type once, a TDX-only page that must be ignored. */
static struct igk_igvm *snp_model(bool with_policy)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);

    add_platform(m, 0x1, IGK_PLATFORM_SEV_SNP);
    add_platform(m, 0x2, IGK_PLATFORM_TDX);
    if (with_policy)
        add_policy(m, 0x1, 0x30000);
    add_page(m, 0x3, 0x1000, short_data, sizeof(short_data), 0, IGK_PAGE_DATA_NORMAL); /* #3 */
    add_page(m, 0x1, 0x2000, NULL, 0, 0, IGK_PAGE_DATA_NORMAL);                      /* zero */
    add_page(m, 0x1, 0x3000, page_a, 4096, IGK_PAGE_FLAG_UNMEASURED, 0);
    add_page(m, 0x1, 0x4000, page_b, 4096, IGK_PAGE_FLAG_SHARED, 0);
    add_page(m, 0x1, 0x5000, NULL, 0, 0, IGK_PAGE_DATA_SECRETS);
    add_page(m, 0x1, 0x6000, page_a, 4096, 0, IGK_PAGE_DATA_CPUID_DATA);
    add_page(m, 0x1, 0x7000, NULL, 0, 0, IGK_PAGE_DATA_CPUID_XF);
    add_page(m, 0x2, 0x8000, page_a, 4096, 0, 0); /* TDX only */
    add_area(m, 0, 0x2000);
    add_insert(m, 0x1, 0, 0x10000);
    add_page(m, 0x1, 0x20000, page_a, 4096, 0, 0);
    add_vmsa(m, 0x1, 0, vmsa0);
    return m;
}

static void expect_snp(enum igk_loader loader, uint8_t ld[48])
{
    memset(ld, 0, 48);
    snp_step(ld, 1, 0x1000, short_padded);
    if (loader == IGK_LOADER_QEMU_CLASSIC)
        snp_step(ld, 3, 0x2000, NULL);
    else
        snp_step(ld, 1, 0x2000, zero);
    snp_step(ld, 4, 0x3000, NULL);
    if (loader != IGK_LOADER_OPENVMM)
        snp_step(ld, 1, 0x4000, page_b);
    snp_step(ld, 5, 0x5000, NULL);
    snp_step(ld, 6, 0x6000, NULL);
    snp_step(ld, 6, 0x7000, NULL);
    snp_step(ld, 4, 0x10000, NULL);
    snp_step(ld, 4, 0x11000, NULL);
    snp_step(ld, 1, 0x20000, page_a);
    snp_step(ld, 2, GPA_VMSA, vmsa0);
}

static void test_snp_profiles(void)
{
    struct igk_igvm *m = snp_model(true);

    for (int l = 0; l < IGK_LOADER_MAX; l++) {
        struct igk_measure_options o = {.loader = (enum igk_loader)l};
        struct igk_measurement r;
        uint8_t want[48];

        expect_snp((enum igk_loader)l, want);
        is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), 0, "snp %s: measures",
               igk_loader_name((enum igk_loader)l));
        ok(!memcmp(r.digest, want, 48), "snp %s: PAGE_INFO chain matches the reference",
           igk_loader_name((enum igk_loader)l));
        is_int((long long)r.digest_len, 48, "snp digest is 48 bytes");
        is_str(r.algorithm, "sha384", "snp algorithm name");
        is_int(r.vmsa_count, 1, "one VMSA");
        ok(r.has_policy && r.policy == 0x30000, "policy reported");
        is_int(r.idblock, IGK_IDBLOCK_ABSENT, "no ID block");
        ok(!r.vcpus_replicated, "nothing replicated");
    }
    igk_igvm_free(m);
}

static void test_snp_vcpus(void)
{
    struct igk_igvm *m = snp_model(true);
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU, .vcpus = 3};
    struct igk_measurement r;
    uint8_t want[48];

    add_vmsa(m, 0x1, 2, vmsa1); /* vp 2 has its own; vp 1 is modelled */
    expect_snp(IGK_LOADER_QEMU, want);
    snp_step(want, 2, GPA_VMSA, vmsa1);
    snp_step(want, 2, GPA_VMSA, vmsa0); /* copy of the lowest-index VMSA for vp 1 */
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), 0, "vcpus 3: measures");
    ok(!memcmp(r.digest, want, 48), "vcpus 3: vp 1 modelled by copying vp 0's VMSA, last");
    is_int(r.vmsa_count, 3, "vcpus 3: three VMSAs measured");
    ok(r.vcpus_replicated, "vcpus 3: replication reported");
    igk_igvm_free(m);
}

static void test_snp_errors(void)
{
    struct igk_igvm *m = snp_model(false);
    struct igk_measurement r;
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU, .vcpus = 2};

    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, NULL, &r, &err), IGK_E_INVALID,
           "snp without GUEST_POLICY is invalid");
    is_str(err.message,
           "no GUEST_POLICY applies to sev-snp (mask 0x1): SNP needs a launch policy",
           "no-policy message");
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_ES, NULL, &r, &err), IGK_E_UNSUPPORTED,
           "undeclared platform is unsupported");
    is_str(err.message, "the file does not declare platform sev-es (it declares: sev-snp, tdx)",
           "undeclared platform message names the declared ones");
    igk_igvm_free(m);

    m = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(m, 0x1, IGK_PLATFORM_SEV_SNP);
    add_policy(m, 0x1, 0x30000);
    add_page(m, 0x1, 0x1000, page_a, 4096, 0, 0);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), IGK_E_UNSUPPORTED,
           "--vcpus without any VMSA is unsupported");
    is_str(err.message,
           "--vcpus 2: the file has no VP context (VMSA) to copy for the other vCPUs",
           "--vcpus without VMSA message");
    igk_igvm_free(m);
}

/* ---- walker ---- */

struct seen {
    int n;
    enum igk_event_kind kind[64];
    uint64_t gpa[64];
    uint32_t dir[64];
};

static int record(const struct igk_page_event *ev, void *user, struct igk_error *e)
{
    struct seen *s = user;
    (void)e;
    if (s->n < 64) {
        s->kind[s->n] = ev->kind;
        s->gpa[s->n] = ev->gpa;
        s->dir[s->n] = ev->directive_index;
    }
    s->n++;
    return 0;
}

static void test_walker(void)
{
    struct igk_igvm *m = snp_model(true);
    struct seen s = {0};
    struct igk_measure_options o = {.loader = IGK_LOADER_OPENVMM};

    is_int(igk_walk(m, IGK_PLATFORM_SEV_SNP, &o, record, &s, &err), 0, "walk snp openvmm");
    is_int(s.n, 11, "11 events (shared one reported, TDX-only page not)");
    ok(s.kind[0] == IGK_EVENT_NORMAL && s.dir[0] == 3 && s.gpa[0] == 0x1000,
       "event 1: directive #3 normal at 0x1000");
    ok(s.kind[3] == IGK_EVENT_SHARED && s.gpa[3] == 0x4000, "event 4: shared page");
    ok(s.kind[7] == IGK_EVENT_UNMEASURED && s.gpa[7] == 0x10000 && s.kind[8] ==
           IGK_EVENT_UNMEASURED && s.gpa[8] == 0x11000 && s.dir[7] == 12 && s.dir[8] == 12,
       "parameter insert of a 2-page area: 2 unmeasured events of directive #12");
    ok(s.kind[10] == IGK_EVENT_VMSA && s.gpa[10] == GPA_VMSA, "VMSA last, at its GPA");
    is_str(igk_event_kind_name(IGK_EVENT_CPUID), "cpuid", "kind name");
    is_int(igk_loader_from_name("qemu-classic"), IGK_LOADER_QEMU_CLASSIC, "loader by name");
    is_int(igk_loader_from_name("kvm"), -1, "unknown loader");
    is_str(igk_loader_name(IGK_LOADER_OPENVMM), "openvmm", "loader name");
    igk_igvm_free(m);
}

/* ---- TDX ---- */

static struct igk_igvm *tdx_model(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);

    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    add_policy(m, 0x1, 0x2);
    add_page(m, 0x1, 0x1000, short_data, sizeof(short_data), 0, 0);     /* padded */
    add_page(m, 0x1, 0x2000, NULL, 0, 0, 0);                             /* zeros extended */
    add_page(m, 0x1, 0x3000, page_a, 4096, IGK_PAGE_FLAG_UNMEASURED, 0); /* add only */
    add_page(m, 0x1, 0x4000, page_b, 4096, IGK_PAGE_FLAG_SHARED, 0);     /* skipped */
    add_page(m, 0x1, 0x5000, NULL, 0, 0, IGK_PAGE_DATA_SECRETS);         /* type plays no role */
    add_area(m, 7, 0x2000);
    add_insert(m, 0x1, 7, 0x10000);
    add_page(m, 0x1, 0xFFFFF000, page_a, 4096, 0, 0);
    add_vmsa(m, 0x1, 0, vmsa0); /* VP contexts play no role for TDX */
    return m;
}

static void test_tdx(void)
{
    struct igk_igvm *m = tdx_model();
    struct igk_measurement r;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t want[48];

    EVP_DigestInit_ex(c, EVP_sha384(), NULL);
    tdx_add(c, 0x1000);
    tdx_extend(c, 0x1000, short_padded);
    tdx_add(c, 0x2000);
    tdx_extend(c, 0x2000, zero);
    tdx_add(c, 0x3000);
    tdx_add(c, 0x5000);
    tdx_extend(c, 0x5000, zero);
    tdx_add(c, 0x10000);
    tdx_add(c, 0x11000);
    tdx_add(c, 0xFFFFF000);
    tdx_extend(c, 0xFFFFF000, page_a);
    EVP_DigestFinal_ex(c, want, NULL);
    EVP_MD_CTX_free(c);

    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), 0, "tdx measures");
    ok(!memcmp(r.digest, want, 48), "tdx: MRTD stream matches the reference");
    ok(r.has_policy && r.policy == 0x2, "tdx policy reported");
    is_int(r.vmsa_count, 0, "tdx: no VMSA");

    /* Duplicate GPA. */
    add_page(m, 0x1, 0x2000, page_a, 4096, IGK_PAGE_FLAG_UNMEASURED, 0); /* #11 */
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), IGK_E_INVALID,
           "tdx: a GPA added twice is invalid");
    is_str(err.message,
           "GPA 0x2000 added twice (directives #3 and #11): the TDX module refuses a second "
           "TDH.MEM.PAGE.ADD",
           "tdx: duplicate GPA message names both directives");
    is_int(err.header_index, 11, "tdx: error located at the second directive");
    igk_igvm_free(m);

    /* A model built in memory is not validated: the fold checks alignment itself. */
    m = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    add_page(m, 0x1, 0x1800, page_a, 4096, 0, 0);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), IGK_E_INVALID,
           "tdx: an unaligned GPA is invalid");
    is_str(err.message, "directive #1: GPA 0x1800 is not 4 KiB aligned", "tdx: unaligned message");
    igk_igvm_free(m);

    m = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    add_page(m, 0x1, 0x200000, NULL, 0, IGK_PAGE_FLAG_IS_2MB, 0);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), IGK_E_INVALID,
           "tdx: IS_2MB_PAGE is invalid");
    is_str(err.message,
           "directive #1: IS_2MB_PAGE at GPA 0x200000 is not supported for TDX: "
           "TDH.MEM.PAGE.ADD adds 4 KiB pages, write 512 4 KiB pages instead",
           "tdx: 2 MiB message");
    igk_igvm_free(m);
}

/* ---- SEV-ES (igvmmeasure's rule, see measure/sev-es.c) ---- */

static void test_sev_es(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);
    struct igk_measurement r;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t want[32];

    add_platform(m, 0x1, IGK_PLATFORM_SEV_ES);
    add_platform(m, 0x2, IGK_PLATFORM_SEV_SNP);
    add_page(m, 0x3, 0x1000, page_a, 4096, 0, 0);
    add_page(m, 0x1, 0x2000, NULL, 0, 0, 0); /* no bytes */
    add_page(m, 0x1, 0x3000, page_b, 4096, IGK_PAGE_FLAG_UNMEASURED, 0);
    add_area(m, 0, 0x1000);
    add_insert(m, 0x1, 0, 0x9000); /* no bytes */
    add_vmsa(m, 0x2, 0, vmsa1);    /* SNP's VMSA: not SEV-ES's */
    add_vmsa(m, 0x1, 0, vmsa0);
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    EVP_DigestUpdate(c, page_a, 4096);
    EVP_DigestUpdate(c, page_b, 4096);
    EVP_DigestUpdate(c, vmsa0, 4096);
    EVP_DigestFinal_ex(c, want, NULL);
    EVP_MD_CTX_free(c);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_ES, NULL, &r, &err), 0, "sev-es measures");
    ok(!memcmp(r.digest, want, 32) && r.digest_len == 32, "sev-es: SHA-256 of data and VMSA");
    is_str(r.algorithm, "sha256", "sev-es algorithm");
    is_int(r.vmsa_count, 1, "sev-es: one VMSA");
    ok(!igk_measure_supports(IGK_PLATFORM_NATIVE), "native has no measurement");
    is_int(igk_measure(m, IGK_PLATFORM_NATIVE, NULL, &r, &err), IGK_E_UNSUPPORTED,
           "native: undeclared");
    igk_igvm_free(m);
}

/* ---- guest features (options->set_sev_features, the mismatch assistant) ---- */

/* page with SEV_FEATURES (VMSA offset 0x3B0) set to features. */
static void with_features(uint8_t out[4096], const uint8_t *page, uint64_t features)
{
    memcpy(out, page, 4096);
    igk_put_le64(out + 0x3B0, features);
}

static void test_guest_features(void)
{
    struct igk_igvm *m = snp_model(true);
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU,
                                    .vcpus = 3,
                                    .set_sev_features = true,
                                    .sev_features = 0x21};
    struct igk_measure_variant v;
    struct igk_measurement r;
    uint8_t want[48], es_want[32], p0[4096], p1[4096], before[4096];
    struct igk_igvm *es;
    EVP_MD_CTX *c;

    memcpy(before, vmsa0, sizeof(before));
    add_vmsa(m, 0x1, 2, vmsa1);
    /* Every VMSA measured carries 0x21: the file's two and the copy for vp 1. */
    with_features(p0, vmsa0, 0x21);
    with_features(p1, vmsa1, 0x21);
    memset(want, 0, 48);
    snp_step(want, 1, 0x1000, short_padded);
    snp_step(want, 1, 0x2000, zero);
    snp_step(want, 4, 0x3000, NULL);
    snp_step(want, 1, 0x4000, page_b);
    snp_step(want, 5, 0x5000, NULL);
    snp_step(want, 6, 0x6000, NULL);
    snp_step(want, 6, 0x7000, NULL);
    snp_step(want, 4, 0x10000, NULL);
    snp_step(want, 4, 0x11000, NULL);
    snp_step(want, 1, 0x20000, page_a);
    snp_step(want, 2, GPA_VMSA, p0);
    snp_step(want, 2, GPA_VMSA, p1);
    snp_step(want, 2, GPA_VMSA, p0);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), 0, "guest features 0x21: measures");
    ok(!memcmp(r.digest, want, 48), "guest features 0x21: every VMSA (copies too) hashed with it");
    is_int(r.vmsa_count, 3, "guest features 0x21: three VMSAs");
    ok(!memcmp(m->headers[m->n_headers - 2].data, before, 4096),
       "guest features 0x21: the model's VMSA bytes are unchanged");

    /* The assistant: the one-VMSA launch with 0x21 under openvmm, from the
     * file's own (neither 0x1 nor 0x21): own x3 profiles, 0x1 x3, then 0x21
     * qemu, qemu-classic, openvmm = the 9th measurement. */
    igk_igvm_free(m);
    m = snp_model(true);
    memset(want, 0, 48); /* expect_snp's openvmm chain, the VMSA with 0x21 */
    snp_step(want, 1, 0x1000, short_padded);
    snp_step(want, 1, 0x2000, zero);
    snp_step(want, 4, 0x3000, NULL);
    snp_step(want, 5, 0x5000, NULL);
    snp_step(want, 6, 0x6000, NULL);
    snp_step(want, 6, 0x7000, NULL);
    snp_step(want, 4, 0x10000, NULL);
    snp_step(want, 4, 0x11000, NULL);
    snp_step(want, 1, 0x20000, page_a);
    snp_step(want, 2, GPA_VMSA, p0);
    is_int(igk_measure_find_variant(m, IGK_PLATFORM_SEV_SNP, IGK_LOADER_QEMU, want, 48, 4, &v,
                                    &err),
           1, "find_variant: openvmm with guest features 0x21 found");
    ok(v.found && v.loader == IGK_LOADER_OPENVMM && v.vcpus == 0, "find_variant: openvmm, own vCPUs");
    ok(v.sev_features_changed && v.sev_features == 0x21, "find_variant: sev_features 0x21");
    is_int((long long)v.tried, 9, "find_variant: found at the 9th measurement");
    is_str(v.features, "0x1, 0x21", "find_variant: the values tried besides the file's");
    memset(want, 0, 48);
    is_int(igk_measure_find_variant(m, IGK_PLATFORM_SEV_SNP, IGK_LOADER_QEMU, want, 48, 4, &v,
                                    &err),
           0, "find_variant: zeros found nowhere");
    /* 3 profiles x 3 guest features x (own + vCPUs 2..4) */
    is_int((long long)v.tried, 36, "find_variant: 3 x 3 x 4 measurements");
    ok(!v.found && !v.sev_features_changed, "find_variant: nothing found, nothing changed");
    igk_igvm_free(m);

    /* SEV-ES: DebugSwap without SNPActive (0x20) in the VMSA hashed. */
    es = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(es, 0x1, IGK_PLATFORM_SEV_ES);
    add_page(es, 0x1, 0x1000, page_a, 4096, 0, 0);
    add_vmsa(es, 0x1, 0, vmsa0);
    with_features(p0, vmsa0, 0x20);
    c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    EVP_DigestUpdate(c, page_a, 4096);
    EVP_DigestUpdate(c, p0, 4096);
    EVP_DigestFinal_ex(c, es_want, NULL);
    EVP_MD_CTX_free(c);
    is_int(igk_measure_find_variant(es, IGK_PLATFORM_SEV_ES, IGK_LOADER_QEMU, es_want, 32, 1, &v,
                                    &err),
           1, "sev-es find_variant: guest features 0x20 found");
    ok(v.sev_features_changed && v.sev_features == 0x20 && v.vcpus == 0,
       "sev-es find_variant: 0x20 with the file's vCPU");
    is_str(v.features, "0x0, 0x20", "sev-es find_variant: 0x0 and 0x20 tried");
    igk_igvm_free(es);
}

/* ---- trace ---- */

struct trace {
    unsigned long steps, skipped;
    uint8_t last[48];
};

static int on_step(const struct igk_measure_step *st, void *user, struct igk_error *e)
{
    struct trace *t = user;
    (void)e;
    if (st->step)
        t->steps = st->step;
    else
        t->skipped++;
    memcpy(t->last, st->running, st->running_len);
    return 0;
}

static void test_trace(void)
{
    struct igk_igvm *m = snp_model(true);
    struct igk_measure_options o = {.loader = IGK_LOADER_OPENVMM};
    struct igk_measurement r;
    struct trace t = {0};
    uint8_t want[48];

    expect_snp(IGK_LOADER_OPENVMM, want);
    is_int(igk_measure_trace(m, IGK_PLATFORM_SEV_SNP, &o, on_step, &t, &r, &err), 0, "trace");
    is_int((long long)t.steps, 10, "trace: 10 steps");
    is_int((long long)t.skipped, 1, "trace: the shared page is reported as skipped");
    ok(!memcmp(t.last, want, 48) && !memcmp(r.digest, want, 48),
       "trace: last running digest is the final digest");
    igk_igvm_free(m);

    m = tdx_model();
    memset(&t, 0, sizeof(t));
    is_int(igk_measure_trace(m, IGK_PLATFORM_TDX, NULL, on_step, &t, &r, &err), 0, "tdx trace");
    ok(!memcmp(t.last, r.digest, 48), "tdx trace: last running value is MRTD");
    is_int((long long)t.steps, 7, "tdx trace: 7 pages added");
    igk_igvm_free(m);
}

/* ---- VBS (docs/measure-vbs.md) ---- */

static void vbs_chunk(uint8_t d[32], uint64_t meta, uint64_t gpa, const uint8_t *page)
{
    uint8_t c[32 + 4096] = {0};

    c[0] = 0x20; /* 4128 = 0x1020 */
    c[1] = 0x10;
    c[4] = 2;
    for (int i = 0; i < 8; i++) {
        c[16 + i] = (uint8_t)(meta >> (8 * i));
        c[24 + i] = (uint8_t)((gpa / 4096) >> (8 * i));
    }
    if (page)
        memcpy(c + 32, page, 4096);
    sha(EVP_sha256(), d, 32, c, sizeof(c), d);
}

static void vbs_register(uint8_t d[32], uint8_t vtl, uint32_t name, const uint8_t value[16])
{
    uint8_t c[48] = {0};

    c[0] = 48;
    c[20] = vtl;
    for (int i = 0; i < 4; i++)
        c[28 + i] = (uint8_t)(name >> (8 * i));
    memcpy(c + 32, value, 16);
    sha(EVP_sha256(), d, 32, c, sizeof(c), d);
}

static void test_vbs(void)
{
    struct igk_igvm *m = igk_igvm_new(2, IGK_ARCH_X64);
    struct igk_header h = {.type = IGK_VHT_ERROR_RANGE};
    uint8_t regs[4 + 64] = {2}, want[32] = {0};
    struct igk_measurement r;

    regs[4] = 2; /* vtl, name 0x20010 (RIP), value */
    regs[5] = 0x10;
    regs[7] = 0x02;
    memset(regs + 20, 0xaa, 16);
    regs[36] = 2; /* vtl, name 0x40000 (CR0), value */
    regs[39] = 0x04;
    memset(regs + 52, 0x31, 1);
    add_platform(m, 0x1, IGK_PLATFORM_VSM);
    add_page(m, 0x1, 0x1000, page_a, 4096, 0, 0);
    add_page(m, 0x1, 0x2000, page_b, 4096, IGK_PAGE_FLAG_UNMEASURED, 0);
    add_page(m, 0x1, 0x3000, page_b, 4096, IGK_PAGE_FLAG_SHARED, 0);
    add_page(m, 0x1, 0x4000, short_data, sizeof(short_data), 0, 0);
    add_area(m, 1, 0x2000);
    add_insert(m, 0x1, 1, 0x10000);
    h.u.error_range.gpa = 0x20000;
    h.u.error_range.compatibility_mask = 1;
    h.u.error_range.size_bytes = 0x1001;
    add(m, &h);
    memset(&h, 0, sizeof(h));
    h.type = IGK_VHT_VP_CONTEXT;
    h.u.vp_context.compatibility_mask = 1;
    h.data = igk_igvm_keep(m, regs, sizeof(regs));
    h.data_size = sizeof(regs);
    add(m, &h);
    add_page(m, 0x1, 0x5000, NULL, 0, 0, 0); /* after the context: registers still last */

    vbs_chunk(want, 0, 0x1000, page_a);
    vbs_chunk(want, 4, 0x2000, NULL);
    vbs_chunk(want, 0, 0x4000, short_padded);
    vbs_chunk(want, 4, 0x10000, NULL);
    vbs_chunk(want, 4, 0x11000, NULL);
    vbs_chunk(want, 7, 0x20000, NULL);
    vbs_chunk(want, 7, 0x21000, NULL);
    vbs_chunk(want, 0, 0x5000, zero);
    vbs_register(want, 2, 0x20010, regs + 20);
    vbs_register(want, 2, 0x40000, regs + 52);
    is_int(igk_measure(m, IGK_PLATFORM_VSM, NULL, &r, &err), 0, "vbs measures");
    ok(!memcmp(r.digest, want, 32) && r.digest_len == 32,
       "vbs: page, unmeasured, insert, error-range and register chunks chain");
    add_page(m, 0x1, 0x6000, NULL, 0, 0, IGK_PAGE_DATA_SECRETS);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_VSM, NULL, &r, &err), IGK_E_UNSUPPORTED,
           "vbs: a SECRETS page is refused");
    is_str(err.message, "directive #10: VBS measures NORMAL pages only (data type 1)",
           "vbs: non-normal page message");
    igk_igvm_free(m);
}

/* ---- 2 MiB pages under each SNP profile (docs/measure-snp.md section 4) ---- */

static void test_snp_2mb(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);

    add_platform(m, 0x1, IGK_PLATFORM_SEV_SNP);
    add_policy(m, 0x1, 0x30000);
    add_page(m, 0x1, 0x200000, page_a, 4096, IGK_PAGE_FLAG_IS_2MB, 0);
    for (int l = 0; l < IGK_LOADER_MAX; l++) {
        struct igk_measure_options o = {.loader = (enum igk_loader)l};
        struct igk_measurement r;
        uint8_t want[48] = {0};

        snp_step(want, 1, 0x200000, page_a);
        if (l != IGK_LOADER_OPENVMM)
            for (unsigned i = 1; i < 512; i++)
                snp_step(want, l == IGK_LOADER_QEMU_CLASSIC ? 3 : 1, 0x200000 + i * 4096u,
                         l == IGK_LOADER_QEMU_CLASSIC ? NULL : zero);
        is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), 0, "2 MiB page, %s",
               igk_loader_name((enum igk_loader)l));
        ok(!memcmp(r.digest, want, 48), "2 MiB page, %s: %s", igk_loader_name((enum igk_loader)l),
           l == IGK_LOADER_OPENVMM ? "one 4 KiB step (the crate)" : "512 steps (QEMU)");
    }
    igk_igvm_free(m);
}

/* ---- walker refusals on built models ---- */

static void test_walker_errors(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);
    struct igk_measurement r;

    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    add_insert(m, 0x1, 4, 0x10000);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), IGK_E_INVALID,
           "insert of an undeclared area is invalid");
    is_str(err.message, "directive #1: parameter area 4 is not declared before its insert",
           "undeclared area message");
    igk_igvm_free(m);

    m = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(m, 0x1, IGK_PLATFORM_SEV_SNP);
    add_policy(m, 0x1, 0x30000);
    add_area(m, 0, 0x100001000ull);
    add_insert(m, 0x1, 0, 0x10000);
    igk_error_clear(&err);
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, NULL, &r, &err), IGK_E_UNSUPPORTED,
           "a parameter area over 4 GiB is refused");
    is_str(err.message,
           "directive #3: parameter area 0 of 4294971392 bytes is larger than the 4 GiB a "
           "loader can insert",
           "huge area message");
    igk_igvm_free(m);
}

/* ---- large files: the threaded paths (page pipeline, TDX stream thread) ---- */

#define LARGE_PAGES 2600 /* > 2 windows of 1024 pages; ~16 MB of TDX stream */

/* Page i of the large model: kind chosen by i, data distinct per page. */
static void large_page(unsigned i, uint8_t *page, size_t *len, uint32_t *flags)
{
    *flags = i % 97 == 5 ? IGK_PAGE_FLAG_UNMEASURED : 0;
    *len = i % 89 == 3 ? 0 : i % 101 == 7 ? 100 : 4096; /* data-less, short, full */
    memset(page, 0, 4096);
    for (size_t k = 0; k < *len; k++)
        page[k] = (uint8_t)(k * 31 + i * 7 + (k >> 8));
}

static struct igk_igvm *large_model(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);
    uint8_t page[4096];

    add_platform(m, 0x1, IGK_PLATFORM_SEV_SNP);
    add_platform(m, 0x2, IGK_PLATFORM_TDX);
    add_policy(m, 0x1, 0x30000);
    for (unsigned i = 0; i < LARGE_PAGES; i++) {
        size_t len;
        uint32_t flags;

        large_page(i, page, &len, &flags);
        add_page(m, 0x3, 0x100000 + (uint64_t)i * 4096, len ? page : NULL, len, flags, 0);
    }
    add_vmsa(m, 0x1, 0, vmsa0);
    return m;
}

static int count_steps(const struct igk_measure_step *step, void *user, struct igk_error *e)
{
    (void)step;
    (void)e;
    ++*(unsigned *)user;
    return 0;
}

/* What a progress callback saw (igk_measure_options.progress). */
struct progress_seen {
    atomic_int inside; /* a call is running: another one overlapping is a failure */
    unsigned calls;
    bool overlapped, went_back;
    uint64_t done, total;
};

static void on_progress(uint64_t done, uint64_t total, void *user)
{
    struct progress_seen *p = user;

    if (atomic_exchange(&p->inside, 1))
        p->overlapped = true;
    if (p->calls && (done < p->done || total != p->total))
        p->went_back = true;
    p->calls++;
    p->done = done;
    p->total = total;
    atomic_store(&p->inside, 0);
}

static void test_large(void)
{
    struct igk_igvm *m = large_model();
    const enum igk_platform_type both[2] = {IGK_PLATFORM_SEV_SNP, IGK_PLATFORM_TDX};
    struct igk_measurement r, rs[2];
    uint8_t ld[48] = {0}, mrtd[48], page[4096];
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned steps = 0;

    EVP_DigestInit_ex(c, EVP_sha384(), NULL);
    for (unsigned i = 0; i < LARGE_PAGES; i++) {
        uint64_t gpa = 0x100000 + (uint64_t)i * 4096;
        size_t len;
        uint32_t flags;

        large_page(i, page, &len, &flags);
        if (flags) {
            snp_step(ld, 4, gpa, NULL);
            tdx_add(c, gpa);
        } else {
            snp_step(ld, 1, gpa, page); /* qemu profile: data-less pages are normal zeros */
            tdx_add(c, gpa);
            tdx_extend(c, gpa, page);
        }
    }
    snp_step(ld, 2, GPA_VMSA, vmsa0);
    EVP_DigestFinal_ex(c, mrtd, NULL);
    EVP_MD_CTX_free(c);

    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, NULL, &r, &err), 0, "large: snp measures");
    ok(!memcmp(r.digest, ld, 48), "large: %u-page SNP chain matches the reference",
       LARGE_PAGES + 1);
    is_int(igk_measure(m, IGK_PLATFORM_TDX, NULL, &r, &err), 0, "large: tdx measures");
    ok(!memcmp(r.digest, mrtd, 48), "large: %u-page TDX stream matches the reference",
       LARGE_PAGES);

    /* The trace runs without threads and must end in the same digests. */
    is_int(igk_measure_trace(m, IGK_PLATFORM_SEV_SNP, NULL, count_steps, &steps, &r, &err), 0,
           "large: snp trace");
    ok(!memcmp(r.digest, ld, 48), "large: snp trace ends in the reference digest");
    is_int(steps, LARGE_PAGES + 1, "large: snp trace has one step per page and the VMSA");
    steps = 0;
    is_int(igk_measure_trace(m, IGK_PLATFORM_TDX, NULL, count_steps, &steps, &r, &err), 0,
           "large: tdx trace");
    ok(!memcmp(r.digest, mrtd, 48), "large: tdx trace ends in the reference digest");
    is_int(steps, LARGE_PAGES, "large: tdx trace has one step per page");

    /* Both at once, each on its own thread. */
    is_int(igk_measure_platforms(m, both, 2, NULL, rs, &err), 0, "large: both platforms at once");
    ok(rs[0].platform == IGK_PLATFORM_SEV_SNP && !memcmp(rs[0].digest, ld, 48),
       "large: platforms[0] is the SNP digest");
    ok(rs[1].platform == IGK_PLATFORM_TDX && !memcmp(rs[1].digest, mrtd, 48),
       "large: platforms[1] is the TDX digest");
    is_str(rs[0].algorithm, "sha384", "large: each result is filled like igk_measure()'s");

    /* Progress: the page data bytes of each walk, every 4 MiB and at the end;
     * for both platforms one sum, never two calls at once. */
    {
        struct igk_measure_options o = {.loader = IGK_LOADER_QEMU, .progress = on_progress};
        struct progress_seen seen = {.calls = 0};
        uint64_t bytes = 0;

        for (unsigned i = 0; i < LARGE_PAGES; i++) {
            size_t len;
            uint32_t flags;
            large_page(i, page, &len, &flags);
            bytes += len;
        }
        o.progress_user = &seen;
        is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &r, &err), 0, "large: snp with progress");
        ok(!memcmp(r.digest, ld, 48), "large: progress leaves the SNP digest alone");
        ok(seen.done == bytes && seen.total == bytes,
           "large: snp progress ends at the page data bytes (%llu of %llu, want %llu)",
           (unsigned long long)seen.done, (unsigned long long)seen.total,
           (unsigned long long)bytes);
        is_int(seen.calls, (int)(bytes / (4u << 20)) + 1,
               "large: snp progress every 4 MiB and at the end");
        ok(!seen.went_back, "large: snp progress never goes back");

        memset(&seen, 0, sizeof(seen));
        is_int(igk_measure_platforms(m, both, 2, &o, rs, &err), 0, "large: both with progress");
        ok(!memcmp(rs[0].digest, ld, 48) && !memcmp(rs[1].digest, mrtd, 48),
           "large: progress leaves both digests alone");
        ok(seen.done == 2 * bytes && seen.total == 2 * bytes,
           "large: progress of both ends at the sum (%llu of %llu, want %llu)",
           (unsigned long long)seen.done, (unsigned long long)seen.total,
           (unsigned long long)(2 * bytes));
        ok(!seen.overlapped, "large: progress calls of two threads never overlap");
        ok(!seen.went_back, "large: progress of both never goes back");
    }

    /* A duplicate GPA far into the stream: the worker thread is stopped cleanly. */
    add_page(m, 0x2, 0x100000 + 2000 * 4096ull, page_a, 4096, 0, 0);
    igk_error_clear(&err);
    is_int(igk_measure_platforms(m, both, 2, NULL, rs, &err), IGK_E_INVALID,
           "large: a TDX error after the SNP digest is returned");
    is_str(err.message,
           "GPA 0x8d0000 added twice (directives #2003 and #2604): the TDX module refuses a "
           "second TDH.MEM.PAGE.ADD",
           "large: the failing platform's own message");
    igk_igvm_free(m);
}

/*
 * The patched VMSA is the walker's one buffer: on a large file the SEV-SNP
 * page pipeline hashes on threads, so each patched VMSA must be hashed
 * before the next overwrites it.  Two different VMSAs and 38 copies, against
 * the same file written with the patched bytes.
 */
static void test_guest_features_large(void)
{
    struct igk_igvm *m = large_model(), *patched = large_model();
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU, .vcpus = 40};
    struct igk_measurement a, b;
    uint8_t p0[4096], p1[4096];

    add_vmsa(m, 0x1, 1, vmsa1);
    /* patched: the same pages, its VMSAs written with 0x21 */
    igk_igvm_free(patched);
    patched = igk_igvm_new(1, IGK_ARCH_X64);
    add_platform(patched, 0x1, IGK_PLATFORM_SEV_SNP);
    add_platform(patched, 0x2, IGK_PLATFORM_TDX);
    add_policy(patched, 0x1, 0x30000);
    for (unsigned i = 0; i < LARGE_PAGES; i++) {
        uint8_t page[4096];
        size_t len;
        uint32_t flags;

        large_page(i, page, &len, &flags);
        add_page(patched, 0x3, 0x100000 + (uint64_t)i * 4096, len ? page : NULL, len, flags, 0);
    }
    with_features(p0, vmsa0, 0x21);
    with_features(p1, vmsa1, 0x21);
    add_vmsa(patched, 0x1, 0, p0);
    add_vmsa(patched, 0x1, 1, p1);
    is_int(igk_measure(patched, IGK_PLATFORM_SEV_SNP, &o, &b, &err), 0,
           "large, VMSAs written with 0x21: measures");
    o.set_sev_features = true;
    o.sev_features = 0x21;
    is_int(igk_measure(m, IGK_PLATFORM_SEV_SNP, &o, &a, &err), 0,
           "large, guest features 0x21 set: measures");
    ok(!memcmp(a.digest, b.digest, 48) && a.vmsa_count == 40,
       "large: the option gives the digest of the file written with it (40 VMSAs)");
    igk_igvm_free(m);
    igk_igvm_free(patched);
}

static void test_platforms_errors(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);
    const enum igk_platform_type order1[2] = {IGK_PLATFORM_VSM, IGK_PLATFORM_TDX};
    const enum igk_platform_type order2[2] = {IGK_PLATFORM_TDX, IGK_PLATFORM_VSM};
    struct igk_measurement rs[2];

    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    add_page(m, 0x1, 0x1000, page_a, 4096, 0, 0);
    add_page(m, 0x1, 0x1000, page_b, 4096, 0, 0);
    igk_error_clear(&err);
    is_int(igk_measure_platforms(m, order1, 2, NULL, rs, &err), IGK_E_UNSUPPORTED,
           "platforms: the first failing platform in the order given decides (vbs first)");
    is_str(err.message, "the file does not declare platform vbs (it declares: tdx)",
           "platforms: its message");
    igk_error_clear(&err);
    is_int(igk_measure_platforms(m, order2, 2, NULL, rs, &err), IGK_E_INVALID,
           "platforms: the first failing platform in the order given decides (tdx first)");
    is_str(err.message,
           "GPA 0x1000 added twice (directives #1 and #2): the TDX module refuses a second "
           "TDH.MEM.PAGE.ADD",
           "platforms: its message");
    is_int(igk_measure_platforms(m, order2, 0, NULL, rs, &err), 0, "platforms: none is no error");
    igk_igvm_free(m);

    {
        enum igk_platform_type got[IGK_PLATFORM_MAX];
        size_t n = 99;

        m = igk_igvm_new(1, IGK_ARCH_X64);
        add_platform(m, 0x1, IGK_PLATFORM_NATIVE);
        add_platform(m, 0x2, IGK_PLATFORM_TDX);
        add_platform(m, 0x4, IGK_PLATFORM_SEV_SNP);
        is_int(igk_measure_declared_platforms(m, got, &n, &err), 0, "declared: measures");
        ok(n == 2 && got[0] == IGK_PLATFORM_TDX && got[1] == IGK_PLATFORM_SEV_SNP,
           "declared: the measurable ones in platform-header order (tdx, sev-snp)");
        igk_igvm_free(m);
        m = igk_igvm_new(1, IGK_ARCH_X64);
        add_platform(m, 0x1, IGK_PLATFORM_NATIVE);
        igk_error_clear(&err);
        is_int(igk_measure_declared_platforms(m, got, &n, &err), IGK_E_UNSUPPORTED,
               "declared: none measurable");
        is_str(err.message,
               "no platform the file declares has a launch measurement (it declares: native)",
               "declared: message names what the file declares");
        is_int((long long)n, 0, "declared: none");
        igk_igvm_free(m);
    }
}

/* ---- lean reading: PAGE_DATA left in the file (igk_igvm_read_buffer_lean) ---- */

/*
 * snp_model() (headers #0-#14) plus a second parameter area (#15), a page
 * for both platforms (#16) and its insert (#17), as file bytes.  Its kept
 * headers are #0-#2, #11, #12, #14, #15 and #17.
 */
static uint8_t *lean_sample(size_t *len)
{
    struct igk_igvm *m = snp_model(true);
    uint8_t *buf = NULL;

    add_area(m, 1, 0x1000);
    add_page(m, 0x3, 0x30000, page_b, 4096, 0, 0);
    add_insert(m, 0x1, 1, 0x40000);
    if (igk_igvm_write_buffer(m, &buf, len, &err) < 0)
        abort();
    igk_igvm_free(m);
    return buf;
}

/* Sets a u32 or u64 field of header #index's body and repairs the CRC. */
static void poke(uint8_t *buf, const struct igk_igvm *full, size_t index, uint32_t field,
                 uint64_t value, int width)
{
    uint8_t *p = buf + full->headers[index].file_offset + IGK_TLV_PREFIX_SIZE + field;
    uint32_t vh = igk_le32(buf + 8), vh_size = igk_le32(buf + 12);

    if (width == 8)
        igk_put_le64(p, value);
    else
        igk_put_le32(p, (uint32_t)value);
    igk_put_le32(buf + 20, igk_igvm_crc32(buf, 24, buf + vh, vh_size));
}

/* A digest of the trace: each step's directive number, GPA, kind and running value. */
struct trace_sum {
    EVP_MD_CTX *ctx;
    unsigned steps;
};

static int sum_step(const struct igk_measure_step *st, void *user, struct igk_error *e)
{
    struct trace_sum *t = user;
    const struct igk_page_event *ev = st->event;

    (void)e;
    EVP_DigestUpdate(t->ctx, &ev->directive_index, sizeof(ev->directive_index));
    EVP_DigestUpdate(t->ctx, &ev->gpa, sizeof(ev->gpa));
    EVP_DigestUpdate(t->ctx, &ev->kind, sizeof(ev->kind));
    EVP_DigestUpdate(t->ctx, st->running, st->running_len);
    t->steps++;
    return 0;
}

static void trace_sum(const struct igk_igvm *m, enum igk_platform_type p, enum igk_loader loader,
                      uint8_t out[48], unsigned *steps)
{
    struct igk_measure_options o = {.loader = loader};
    struct trace_sum t = {EVP_MD_CTX_new(), 0};
    struct igk_measurement r;

    EVP_DigestInit_ex(t.ctx, EVP_sha384(), NULL);
    if (igk_measure_trace(m, p, &o, sum_step, &t, &r, &err) < 0)
        diag("trace: %s", err.message);
    EVP_DigestUpdate(t.ctx, r.digest, r.digest_len);
    EVP_DigestFinal_ex(t.ctx, out, NULL);
    EVP_MD_CTX_free(t.ctx);
    *steps = t.steps;
}

static void test_lean_model(void)
{
    static const size_t kept[] = {0, 1, 2, 11, 12, 14, 15, 17};
    size_t len, number, bad = 0, n = 0;
    uint8_t *buf = lean_sample(&len);
    struct igk_igvm *full = NULL, *lean = NULL;
    struct igk_header_cursor cur = {0};
    const struct igk_header *h;
    struct igk_header scratch;
    uint8_t *out;

    is_int(igk_igvm_read_buffer(buf, len, NULL, &full, &err), 0, "lean: full read");
    is_int(igk_igvm_read_buffer_lean(buf, len, NULL, &lean, &err), 0, "lean: lean read");
    ok(igk_igvm_is_lean(lean) && !igk_igvm_is_lean(full), "lean: only the lean model says so");
    is_int((long long)lean->n_headers, 8, "lean: keeps the 8 headers that are not PAGE_DATA");
    for (size_t i = 0; i < 8; i++)
        bad += igk_igvm_header_number(lean, i) != kept[i] ||
               lean->headers[i].type == IGK_VHT_PAGE_DATA;
    is_int((long long)bad, 0, "lean: each kept header knows its file number");
    is_int((long long)igk_igvm_header_number(full, 13), 13, "lean: a full model numbers by index");

    /* The cursor gives back every header, decoded as the full read decoded it. */
    while ((h = igk_igvm_next_header(lean, &cur, &scratch, &number))) {
        const struct igk_header *want = &full->headers[n];
        bool same = number == n && !memcmp(h, want, sizeof(*h));
        if (h->type != IGK_VHT_PAGE_DATA)
            same = same && h == &lean->headers[cur.stored - 1];
        if (!same)
            diag("lean: header #%zu differs", n);
        bad += !same;
        n++;
    }
    is_int((long long)n, 18, "lean: the cursor visits all 18 headers");
    is_int((long long)bad, 0, "lean: each equals the full model's, with its number");
    ok(igk_igvm_next_header(lean, &cur, &scratch, &number) == NULL, "lean: the end stays the end");
    cur = (struct igk_header_cursor){0};
    n = 0;
    while ((h = igk_igvm_next_header(full, &cur, &scratch, &number)))
        bad += h != &full->headers[n] || number != n, n++;
    ok(n == 18 && !bad, "lean: on a full model the cursor walks headers[]");

    /* Every platform and profile: the same digest and the same trace. */
    for (int p = 0; p < 2; p++)
        for (int l = 0; l < IGK_LOADER_MAX; l++) {
            enum igk_platform_type pt = p ? IGK_PLATFORM_TDX : IGK_PLATFORM_SEV_SNP;
            uint8_t a[48], b[48];
            unsigned sa, sb;
            trace_sum(full, pt, (enum igk_loader)l, a, &sa);
            trace_sum(lean, pt, (enum igk_loader)l, b, &sb);
            ok(!memcmp(a, b, 48) && sa == sb && sa >= 3,
               "lean: %s / %s: same %u trace steps and digest", igk_platform_name(pt),
               igk_loader_name((enum igk_loader)l), sb);
        }

    /* What needs every header in headers[] refuses a lean model. */
    is_int(igk_igvm_write_buffer(lean, &out, &len, &err), IGK_E_USAGE, "lean: not written");
    is_str(err.message,
           "writing a file needs every header, but this model was read lean, without its "
           "PAGE_DATA headers",
           "lean: the writer says why");
    {
        struct igk_memory_image *img = NULL;
        is_int(igk_igvm_memory_image(lean, 0x1, &img, &err), IGK_E_USAGE,
               "lean: no memory image");
        ok(img == NULL && strstr(err.message, "a memory image needs every header"),
           "lean: the memory image says why");
    }
    is_int(igk_igvm_append(lean, &lean->headers[0], &err), IGK_E_USAGE, "lean: no append");
    is_int((long long)lean->n_headers, 8, "lean: nothing was appended");
    {
        struct igk_lint_report report;
        struct igk_dump_options dump = {0};
        char *text = NULL;
        size_t text_len;

        is_int(igk_lint(lean, IGK_LINT_QEMU, &report, &err), IGK_E_USAGE, "lean: no lint");
        is_str(err.message,
               "lint needs every header, but this model was read lean, without its PAGE_DATA "
               "headers",
               "lean: lint says why");
        is_int(igk_igvm_dump(lean, &dump, &text, &text_len, &err), IGK_E_USAGE,
               "lean: no dump");
        ok(text == NULL, "lean: no dump text");
    }
    is_int(igk_igvm_validate(lean, &err), 0, "lean: validates");

    /* A kept header moved by the caller: the cursor stops, inside the file. */
    lean->headers[2].file_offset += 8;
    cur = (struct igk_header_cursor){0};
    n = 0;
    while (igk_igvm_next_header(lean, &cur, &scratch, &number))
        n++;
    is_int((long long)n, 3, "lean: a changed model ends the walk where it no longer fits");
    igk_igvm_free(lean);
    igk_igvm_free(full);
    free(buf);
}

/* A mutation both readers must refuse alike; want_index/msg: the exact verdict (or NULL). */
static void lean_refusal(size_t index, uint32_t field, uint64_t value, int width,
                         size_t want_index, const char *want_msg, const char *name)
{
    size_t len;
    uint8_t *buf = lean_sample(&len);
    struct igk_igvm *full = NULL, *m = NULL;
    struct igk_error e_full, e_lean;
    int r_full, r_lean;

    if (igk_igvm_read_buffer(buf, len, NULL, &full, &err) < 0)
        abort();
    poke(buf, full, index, field, value, width);
    igk_igvm_free(full);
    r_full = igk_igvm_read_buffer(buf, len, NULL, &m, &e_full);
    igk_igvm_free(m);
    m = NULL;
    r_lean = igk_igvm_read_buffer_lean(buf, len, NULL, &m, &e_lean);
    ok(r_full == IGK_E_INVALID && r_lean == r_full && m == NULL, "lean: %s: both refuse", name);
    ok(!strcmp(e_full.message, e_lean.message) && e_full.header_index == e_lean.header_index &&
           e_full.offset == e_lean.offset,
       "lean: %s: same message, header and offset", name);
    if (want_msg) {
        is_str(e_lean.message, want_msg, "lean: %s: message", name);
        is_int(e_lean.header_index, (long long)want_index, "lean: %s: header number", name);
    }
    igk_igvm_free(m);
    free(buf);
}

/* A mutation both readers accept, whose TDX measurement must fail alike. */
static void lean_tdx_duplicate(void)
{
    size_t len;
    uint8_t *buf = lean_sample(&len);
    struct igk_igvm *full = NULL, *lean = NULL;
    struct igk_measurement r;
    struct igk_error e;
    uint64_t tlv16;

    if (igk_igvm_read_buffer(buf, len, NULL, &full, &err) < 0)
        abort();
    poke(buf, full, 16, 0, 0x8000, 8); /* #16 onto the TDX-only page #10 */
    tlv16 = full->headers[16].file_offset;
    igk_igvm_free(full);
    igk_error_clear(&e);
    is_int(igk_igvm_read_buffer_lean(buf, len, NULL, &lean, &err), 0, "lean: duplicate reads");
    is_int(igk_measure(lean, IGK_PLATFORM_TDX, NULL, &r, &e), IGK_E_INVALID,
           "lean: duplicate GPA refused");
    is_str(e.message,
           "GPA 0x8000 added twice (directives #10 and #16): the TDX module refuses a second "
           "TDH.MEM.PAGE.ADD",
           "lean: the walker numbers pages by their place in the file");
    is_int(e.header_index, 16, "lean: the error names header #16");
    is_int((long long)e.offset, (long long)tlv16, "lean: the offset of its TLV");
    igk_igvm_free(lean);
    free(buf);
}

static void test_lean_errors(void)
{
    /* Cross-header rules name kept headers by their file numbers. */
    lean_refusal(17, 12, 0, 4, 17, "parameter area index 0 was already inserted by header #12",
                 "second insert of area 0");
    lean_refusal(15, 8, 0, 4, 15, "parameter area index 0 was already declared by header #11",
                 "second area 0");
    lean_refusal(12, 12, 9, 4, 12, "parameter area index 9 is not declared", "undeclared area");
    /* Per-header rules on a PAGE_DATA header that the lean model leaves in the file. */
    lean_refusal(16, 12, 8, 4, 16, NULL, "page data outside the data section");
    lean_refusal(16, 0, 0x30001, 8, 16, NULL, "unaligned page");
    lean_tdx_duplicate();
}

/* ---- TDX duplicate pages in bounded memory (measure/tdx-gpa.h) ---- */

#define SPARSE_PAGES 3000

/* SPARSE_PAGES pages, each in a 2 MiB region of its own: one GPA-set chunk per page. */
static struct igk_igvm *sparse_model(void)
{
    struct igk_igvm *m = igk_igvm_new(1, IGK_ARCH_X64);

    add_platform(m, 0x1, IGK_PLATFORM_TDX);
    for (uint64_t p = 0; p < SPARSE_PAGES; p++)
        add_page(m, 0x1, 0x100000000ull + (p << 21), (p & 1) ? page_a : NULL, (p & 1) ? 4096 : 0,
                 (p % 3 == 0) ? IGK_PAGE_FLAG_UNMEASURED : 0, 0);
    return m;
}

/* Measures m for TDX with the GPA set bounded to max_slots (0: the default). */
static int tdx_bounded(const struct igk_igvm *m, size_t max_slots, struct igk_measurement *r,
                       struct igk_error *e)
{
    size_t saved = igk_tdx_gpa_max_slots;
    int ret;

    if (max_slots)
        igk_tdx_gpa_max_slots = max_slots;
    igk_error_clear(e);
    ret = igk_measure(m, IGK_PLATFORM_TDX, NULL, r, e);
    igk_tdx_gpa_max_slots = saved;
    return ret;
}

/* Bounded and unbounded tracking must agree: same result, digest or error. */
static void same_verdict(const struct igk_igvm *m, const char *name, int want_r,
                         const char *want_msg, uint32_t want_index)
{
    struct igk_measurement a, b;
    struct igk_error ea, eb;
    int ra = tdx_bounded(m, 0, &a, &ea), rb = tdx_bounded(m, 64, &b, &eb);

    is_int(ra, want_r, "sparse: %s: default bound", name);
    is_int(rb, want_r, "sparse: %s: 64 slots (32 chunks) a pass", name);
    if (want_r == 0) {
        ok(!memcmp(a.digest, b.digest, 48), "sparse: %s: the same MRTD", name);
        return;
    }
    is_str(ea.message, want_msg, "sparse: %s: message", name);
    is_str(eb.message, want_msg, "sparse: %s: the same message when searched", name);
    ok(ea.header_index == want_index && eb.header_index == want_index && ea.offset == eb.offset,
       "sparse: %s: both name header #%u", name, want_index);
}

static void test_tdx_sparse(void)
{
    struct igk_igvm *m = sparse_model();
    struct igk_measurement r;
    struct igk_error e;
    uint8_t want[48];
    EVP_MD_CTX *c = EVP_MD_CTX_new();

    /* The reference stream, spelled out. */
    EVP_DigestInit_ex(c, EVP_sha384(), NULL);
    for (uint64_t p = 0; p < SPARSE_PAGES; p++) {
        uint64_t gpa = 0x100000000ull + (p << 21);
        tdx_add(c, gpa);
        if (p % 3)
            tdx_extend(c, gpa, (p & 1) ? page_a : zero);
    }
    EVP_DigestFinal_ex(c, want, NULL);
    EVP_MD_CTX_free(c);
    is_int(tdx_bounded(m, 64, &r, &e), 0, "sparse: measures with a 64-slot set");
    ok(!memcmp(r.digest, want, 48), "sparse: %d pages in as many chunks match the reference",
       SPARSE_PAGES);
    same_verdict(m, "no duplicate", 0, NULL, 0);

    /* A late page onto an early one: found by the partitioned search. */
    add_page(m, 0x1, 0x100000000ull + (10ull << 21), page_b, 4096, 0, 0); /* #3001 */
    same_verdict(m, "duplicate", IGK_E_INVALID,
                 "GPA 0x101400000 added twice (directives #11 and #3001): the TDX module "
                 "refuses a second TDH.MEM.PAGE.ADD",
                 3001);
    /* An earlier duplicate wins over it, and over an error after both. */
    add_page(m, 0x1, 0x100000000ull + (20ull << 21), page_b, 4096, IGK_PAGE_FLAG_IS_2MB, 0);
    same_verdict(m, "duplicate before a 2 MiB page", IGK_E_INVALID,
                 "GPA 0x101400000 added twice (directives #11 and #3001): the TDX module "
                 "refuses a second TDH.MEM.PAGE.ADD",
                 3001);
    igk_igvm_free(m);

    /* An error that ends the walk before the duplicate is the one reported. */
    m = sparse_model();
    add_page(m, 0x1, 0x1000, page_b, 4096, IGK_PAGE_FLAG_IS_2MB, 0); /* #3001 */
    add_page(m, 0x1, 0x100000000ull + (10ull << 21), page_b, 4096, 0, 0);
    same_verdict(m, "2 MiB page before the duplicate", IGK_E_INVALID,
                 "directive #3001: IS_2MB_PAGE at GPA 0x1000 is not supported for TDX: "
                 "TDH.MEM.PAGE.ADD adds 4 KiB pages, write 512 4 KiB pages instead",
                 3001);
    igk_igvm_free(m);
}

int main(void)
{
    for (int i = 0; i < 4096; i++) {
        page_a[i] = (uint8_t)(i * 7 + 1);
        page_b[i] = (uint8_t)(i ^ 0x5a);
        vmsa0[i] = (uint8_t)(i < 0x670 ? i * 3 : 0);
        vmsa1[i] = (uint8_t)(i < 0x670 ? i * 5 + 1 : 0);
    }
    memcpy(short_padded, short_data, sizeof(short_data));
    test_walker();
    test_snp_profiles();
    test_snp_vcpus();
    test_snp_errors();
    test_tdx();
    test_sev_es();
    test_guest_features();
    test_trace();
    test_vbs();
    test_snp_2mb();
    test_walker_errors();
    test_large();
    test_guest_features_large();
    test_platforms_errors();
    test_lean_model();
    test_lean_errors();
    test_tdx_sparse();
    return tap_done();
}
