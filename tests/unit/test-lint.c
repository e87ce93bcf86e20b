/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the loader lint (lint/lint*.c): every rule fires on a
 * model crafted to break it, at the right header index and severity, and a
 * clean QEMU-style SNP model gives no finding.
 */
#include <stdlib.h>
#include <string.h>

#include <igvmkit/igvm.h>

#include "le.h"
#include <igvmkit/lint.h>
#include "tap.h"

static struct igk_igvm *model(void)
{
    return igk_igvm_new(1, IGK_ARCH_X64);
}

static void add(struct igk_igvm *m, const struct igk_header *h)
{
    if (igk_igvm_append(m, h, NULL) < 0)
        abort();
}

static void add_platform(struct igk_igvm *m, uint8_t type, uint32_t mask)
{
    struct igk_header h = {.type = IGK_VHT_SUPPORTED_PLATFORM};

    h.u.platform.platform_type = type;
    h.u.platform.compatibility_mask = mask;
    h.u.platform.platform_version = 1;
    add(m, &h);
}

static void add_policy(struct igk_igvm *m, uint32_t mask)
{
    struct igk_header h = {.type = IGK_VHT_GUEST_POLICY};

    h.u.guest_policy.policy = 0x30000;
    h.u.guest_policy.compatibility_mask = mask;
    add(m, &h);
}

static void add_page(struct igk_igvm *m, uint64_t gpa, uint32_t mask, uint32_t flags,
                     uint16_t data_type)
{
    static const uint8_t page[4096] = {0x90};
    struct igk_header h = {.type = IGK_VHT_PAGE_DATA};

    h.u.page_data.gpa = gpa;
    h.u.page_data.compatibility_mask = mask;
    h.u.page_data.flags = flags;
    h.u.page_data.data_type = data_type;
    h.data = page;
    h.data_size = sizeof(page);
    add(m, &h);
}

/* A VMSA QEMU accepts: a few allowed registers set, sev_features as given. */
static void add_vmsa(struct igk_igvm *m, uint64_t gpa, uint32_t mask, uint64_t features,
                     unsigned poke_offset)
{
    uint8_t v[4096] = {0};
    struct igk_header h = {.type = IGK_VHT_VP_CONTEXT};

    igk_put_le16(v + 0x10, 0xf000);            /* CS selector */
    igk_put_le64(v + 0x158, 0x31);             /* CR0 */
    igk_put_le64(v + 0x178, 0xfff0);           /* RIP */
    igk_put_le64(v + 0x310, 0xa00f11);         /* RDX */
    igk_put_le64(v + 0x3b0, features);         /* SEV_FEATURES */
    igk_put_le32(v + 0x408, 0x1f80);           /* MXCSR */
    if (poke_offset)
        v[poke_offset] = 1;
    h.u.vp_context.gpa = gpa;
    h.u.vp_context.compatibility_mask = mask;
    h.data = igk_igvm_keep(m, v, sizeof(v));
    h.data_size = sizeof(v);
    add(m, &h);
}

static void add_simple(struct igk_igvm *m, uint32_t type)
{
    struct igk_header h = {.type = type};

    add(m, &h);
}

static void add_id_block(struct igk_igvm *m, uint32_t mask, uint32_t version)
{
    struct igk_snp_id_block b;
    struct igk_header h = {.type = IGK_VHT_SNP_ID_BLOCK};

    memset(&b, 0, sizeof(b));
    b.compatibility_mask = mask;
    b.version = version;
    h.u.snp_id_block = (const void *)igk_igvm_keep(m, &b, sizeof(b));
    add(m, &h);
}

/* A clean QEMU SNP file: platform, policy, page, VMSA last, ID block. */
static struct igk_igvm *clean_snp(void)
{
    struct igk_igvm *m = model();

    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_policy(m, 1);
    add_page(m, 0x1000, 1, 0, IGK_PAGE_DATA_NORMAL);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 1, 0);
    add_id_block(m, 1, 1);
    return m;
}

static struct igk_lint_report run(struct igk_igvm *m, enum igk_lint_loader loader)
{
    struct igk_lint_report r;

    if (igk_lint(m, loader, &r, NULL) < 0)
        abort();
    for (size_t i = 0; i < r.n_findings; i++)
        diag("%s #%d %s: %s", igk_lint_severity_name(r.findings[i].severity),
             (int)r.findings[i].header_index, r.findings[i].rule, r.findings[i].message);
    return r;
}

/* Exactly one finding with this rule, at this index, with this severity. */
static void expect_one(struct igk_igvm *m, enum igk_lint_loader loader, const char *rule,
                       uint32_t index, enum igk_lint_severity sev, const char *what)
{
    struct igk_lint_report r = run(m, loader);
    size_t hits = 0;
    bool where = false;

    for (size_t i = 0; i < r.n_findings; i++)
        if (!strcmp(r.findings[i].rule, rule)) {
            hits++;
            where = r.findings[i].header_index == index && r.findings[i].severity == sev;
        }
    ok(hits == 1 && where, "%s: %s fires once at #%d as %s", what, rule, (int)index,
       igk_lint_severity_name(sev));
    igk_lint_report_done(&r);
    igk_igvm_free(m);
}

static void test_clean(void)
{
    struct igk_igvm *m = clean_snp();
    struct igk_lint_report r = run(m, IGK_LINT_QEMU);

    is_int((long long)r.n_findings, 0, "clean SNP model: no QEMU finding");
    igk_lint_report_done(&r);
    r = run(m, IGK_LINT_CLOUD_HYPERVISOR);
    is_int((long long)r.n_findings, 0, "clean SNP model: no cloud-hypervisor finding");
    igk_lint_report_done(&r);
    r = run(m, IGK_LINT_OPENVMM);
    ok(r.n_errors == 0 && r.n_warnings == 1 && igk_lint_has(&r, "openvmm-id-block-kvm", 4),
       "clean SNP model: OpenVMM only warns about the ID block on KVM");
    igk_lint_report_done(&r);
    igk_igvm_free(m);
}

static void test_qemu_rules(void)
{
    struct igk_igvm *m;
    struct igk_lint_report r;

    m = clean_snp();
    m->headers[3].u.vp_context.gpa = 0x800000; /* header 3 is the VMSA */
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-gpa", 3, IGK_LINT_ERROR, "VMSA in guest RAM");

    m = clean_snp();
    add_page(m, 0x2000, 1, 0, IGK_PAGE_DATA_NORMAL);
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-last", 5, IGK_LINT_ERROR, "page after the VMSA");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_policy(m, 1);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 1, 0x3c8); /* VIRTUAL_TOM: not settable */
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-fields", 2, IGK_LINT_ERROR, "VIRTUAL_TOM set");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 1, 0x800);
    add_policy(m, 1); /* order does not matter to the model */
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-tail", 1, IGK_LINT_ERROR, "byte 0x800 set");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 0, 0);
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-sev-features", 1, IGK_LINT_ERROR,
               "SNP VMSA without SNPActive");
    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 0x21, 0);
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-sev-features", 1, IGK_LINT_WARNING,
               "DebugSwap on top of SNPActive");
    m = model();
    add_platform(m, IGK_PLATFORM_SEV_ES, 1);
    add_vmsa(m, 0xFFFFFFFFF000ull, 1, 1, 0);
    expect_one(m, IGK_LINT_QEMU, "qemu-vmsa-sev-features", 1, IGK_LINT_ERROR,
               "SEV-ES VMSA with SNPActive");

    m = clean_snp();
    add_id_block(m, 1, 1);
    expect_one(m, IGK_LINT_QEMU, "qemu-id-block-count", 5, IGK_LINT_ERROR, "two ID blocks");
    m = clean_snp();
    add_id_block(m, 2, 1); /* another platform's bit: not the SNP block */
    add_platform(m, IGK_PLATFORM_NATIVE, 2);
    r = run(m, IGK_LINT_QEMU);
    ok(!igk_lint_has(&r, "qemu-id-block-count", IGK_NO_INDEX),
       "an ID block for another platform is not a second SNP ID block");
    igk_lint_report_done(&r);
    igk_igvm_free(m);

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_policy(m, 1);
    add_page(m, 0, 1, 0, 0);
    add_id_block(m, 1, 2);
    expect_one(m, IGK_LINT_QEMU, "qemu-id-block-version", 3, IGK_LINT_ERROR,
               "ID block version 2");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_policy(m, 1);
    expect_one(m, IGK_LINT_QEMU, "qemu-no-directives", IGK_NO_INDEX, IGK_LINT_ERROR,
               "zero directives");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_page(m, 0, 1, IGK_PAGE_FLAG_IS_2MB, 0);
    expect_one(m, IGK_LINT_QEMU, "qemu-page-2mb", 1, IGK_LINT_WARNING, "IS_2MB_PAGE");
    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_page(m, 0, 1, 0, 7);
    expect_one(m, IGK_LINT_QEMU, "qemu-page-type", 1, IGK_LINT_ERROR, "data type 7");
    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_page(m, 0, 1, 0, 0);
    expect_one(m, IGK_LINT_QEMU, "qemu-policy-missing", IGK_NO_INDEX, IGK_LINT_WARNING,
               "SNP without GUEST_POLICY");

    m = clean_snp();
    {
        static const uint8_t init[4096] = {1};
        struct igk_header h = {.type = IGK_VHT_PARAMETER_AREA};
        h.u.parameter_area.number_of_bytes = 4096;
        h.data = init;
        h.data_size = 4096;
        add(m, &h);
    }
    expect_one(m, IGK_LINT_QEMU, "qemu-parameter-area-data", 5, IGK_LINT_WARNING,
               "parameter area with initial data");

    /* Every header type QEMU has no handler for, and MADT (2026 only). */
    static const uint32_t refused[] = {
        IGK_VHT_SRAT, IGK_VHT_SLIT, IGK_VHT_PPTT, IGK_VHT_MMIO_RANGES, IGK_VHT_COMMAND_LINE,
        IGK_VHT_DEVICE_TREE, IGK_VHT_ERROR_RANGE, IGK_VHT_RELOCATABLE_REGION,
        IGK_VHT_PAGE_TABLE_RELOCATION_REGION, IGK_VHT_CCA_POLICY};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        m = clean_snp();
        add_simple(m, refused[i]);
        expect_one(m, IGK_LINT_QEMU, "qemu-header-type", 5, IGK_LINT_ERROR,
                   igk_header_type_name(refused[i]));
    }
    m = clean_snp();
    add_simple(m, IGK_VHT_MADT);
    expect_one(m, IGK_LINT_QEMU, "qemu-madt", 5, IGK_LINT_WARNING, "MADT");

    /* TDX: a warning next to SNP, an error alone. */
    m = clean_snp();
    add_platform(m, IGK_PLATFORM_TDX, 2);
    expect_one(m, IGK_LINT_QEMU, "qemu-tdx", 5, IGK_LINT_WARNING, "TDX next to SNP");
    m = model();
    add_platform(m, IGK_PLATFORM_TDX, 1);
    add_page(m, 0, 1, 0, 0);
    r = run(m, IGK_LINT_QEMU);
    ok(igk_lint_has(&r, "qemu-no-platform", IGK_NO_INDEX) && r.n_errors == 2 &&
           r.findings[1].severity == IGK_LINT_ERROR && !strcmp(r.findings[1].rule, "qemu-tdx"),
       "TDX alone: no usable platform, and the TDX finding is an error");
    igk_lint_report_done(&r);
    igk_igvm_free(m);
}

static void test_other_loaders(void)
{
    struct igk_igvm *m;

    m = model();
    add_platform(m, IGK_PLATFORM_TDX, 1);
    add_platform(m, IGK_PLATFORM_SEV_SNP, 2);
    add_page(m, 0, 3, 0, 0);
    expect_one(m, IGK_LINT_CLOUD_HYPERVISOR, "ch-snp-first", 0, IGK_LINT_ERROR,
               "TDX listed before SNP");
    m = model();
    add_platform(m, IGK_PLATFORM_SEV_SNP, 1);
    add_platform(m, IGK_PLATFORM_TDX, 2);
    add_page(m, 0, 3, 0, 0);
    expect_one(m, IGK_LINT_CLOUD_HYPERVISOR, "ch-tdx", 1, IGK_LINT_WARNING, "TDX after SNP");
    m = clean_snp();
    add_simple(m, IGK_VHT_MMIO_RANGES);
    expect_one(m, IGK_LINT_CLOUD_HYPERVISOR, "ch-header-type", 5, IGK_LINT_ERROR, "MMIO_RANGES");
    m = clean_snp();
    add_simple(m, IGK_VHT_COMMAND_LINE);
    expect_one(m, IGK_LINT_CLOUD_HYPERVISOR, "ch-command-line", 5, IGK_LINT_WARNING,
               "COMMAND_LINE");
    m = clean_snp();
    add_id_block(m, 1, 1);
    expect_one(m, IGK_LINT_CLOUD_HYPERVISOR, "ch-id-block-count", 5, IGK_LINT_ERROR,
               "two ID blocks");

    m = model();
    add_platform(m, IGK_PLATFORM_SEV_ES, 1);
    add_page(m, 0, 1, 0, 0);
    expect_one(m, IGK_LINT_OPENVMM, "openvmm-no-platform", IGK_NO_INDEX, IGK_LINT_ERROR,
               "SEV-ES only");
}

int main(void)
{
    is_int(igk_lint_loader_from_name("cloud-hypervisor"), IGK_LINT_CLOUD_HYPERVISOR,
           "loader name");
    is_int(igk_lint_loader_from_name("xen"), -1, "unknown loader name");
    test_clean();
    test_qemu_rules();
    test_other_loaders();
    return tap_done();
}
