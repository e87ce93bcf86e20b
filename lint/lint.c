/* SPDX-License-Identifier: MIT */
/* Loader lint: the finding list and the rules every loader shares (see lint.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint-private.h"
#include "util.h"

static const char *const loader_names[IGK_LINT_LOADER_MAX] = {
    [IGK_LINT_QEMU] = "qemu",
    [IGK_LINT_CLOUD_HYPERVISOR] = "cloud-hypervisor",
    [IGK_LINT_OPENVMM] = "openvmm",
};

int igk_lint_loader_from_name(const char *name)
{
    for (int i = 0; i < IGK_LINT_LOADER_MAX; i++)
        if (!strcmp(name, loader_names[i]))
            return i;
    return -1;
}

const char *igk_lint_loader_name(enum igk_lint_loader loader)
{
    return (unsigned)loader < IGK_LINT_LOADER_MAX ? loader_names[loader] : "unknown";
}

const char *igk_lint_severity_name(enum igk_lint_severity severity)
{
    return severity == IGK_LINT_ERROR ? "error" : "warning";
}

void igk_lint_add(struct igk_lint_report *report, enum igk_lint_severity severity,
                  uint32_t index, const char *rule, const char *fmt, ...)
{
    struct igk_lint_finding *f;
    va_list ap;

    if (report->failed)
        return;
    if (report->n_findings == report->cap) {
        size_t cap = report->cap ? 2 * report->cap : 16;
        void *p = realloc(report->findings, cap * sizeof(*report->findings));
        if (!p) {
            report->failed = true;
            return;
        }
        report->findings = p;
        report->cap = cap;
    }
    f = &report->findings[report->n_findings++];
    f->severity = severity;
    f->header_index = index;
    f->rule = rule;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof(f->message), fmt, ap);
    va_end(ap);
    if (severity == IGK_LINT_ERROR)
        report->n_errors++;
    else
        report->n_warnings++;
}

bool igk_lint_has(const struct igk_lint_report *report, const char *rule, uint32_t index)
{
    for (size_t i = 0; i < report->n_findings; i++)
        if (!strcmp(report->findings[i].rule, rule) &&
            (index == IGK_NO_INDEX || report->findings[i].header_index == index))
            return true;
    return false;
}

void igk_lint_id_blocks(const struct igk_igvm *igvm, struct igk_lint_report *report,
                        const char *rule)
{
    for (size_t p = 0; p < igvm->n_headers; p++) {
        const struct igk_header *ph = &igvm->headers[p];
        uint32_t first = IGK_NO_INDEX, mask;

        if (ph->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        for (size_t i = 0; i < igvm->n_headers; i++) {
            const struct igk_header *h = &igvm->headers[i];
            if (h->type != IGK_VHT_SNP_ID_BLOCK || !igk_header_mask(h, &mask) ||
                !(mask & ph->u.platform.compatibility_mask))
                continue;
            if (first == IGK_NO_INDEX)
                first = (uint32_t)i;
            else
                igk_lint_add(report, IGK_LINT_ERROR, (uint32_t)i, rule,
                             "second SNP_ID_BLOCK for platform %s (the first is header #%u); "
                             "the loader accepts one ID block per platform",
                             igk_platform_name(ph->u.platform.platform_type), first);
        }
    }
}

void igk_lint_no_directives(const struct igk_igvm *igvm, struct igk_lint_report *report,
                            const char *rule)
{
    for (size_t i = 0; i < igvm->n_headers; i++)
        if (igk_header_section(igvm->headers[i].type) == 3)
            return;
    igk_lint_add(report, IGK_LINT_ERROR, IGK_NO_INDEX, rule,
                 "the file has no directives: nothing would be loaded");
}

/*
 * Policy values every loader passes through unchanged to the platform
 * (igk_policy_check(): reserved, debug and unknown bits), one warning each
 * at the GUEST_POLICY header.
 */
static void lint_policies(const struct igk_igvm *igvm, struct igk_lint_report *report)
{
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        struct igk_policy_issue issues[IGK_POLICY_MAX_ISSUES];
        size_t n;

        if (h->type != IGK_VHT_GUEST_POLICY)
            continue;
        for (size_t p = 0; p < igvm->n_headers; p++) {
            const struct igk_header *ph = &igvm->headers[p];
            if (ph->type != IGK_VHT_SUPPORTED_PLATFORM ||
                !(ph->u.platform.compatibility_mask & h->u.guest_policy.compatibility_mask))
                continue;
            n = igk_policy_check(ph->u.platform.platform_type, h->u.guest_policy.policy, issues);
            for (size_t k = 0; k < n; k++)
                igk_lint_add(report, IGK_LINT_WARNING, (uint32_t)i, issues[k].rule, "%s",
                             issues[k].message);
        }
    }
}

/* Sort key: file-wide findings first, then by header index. */
static uint64_t sort_key(const struct igk_lint_finding *f)
{
    return f->header_index == IGK_NO_INDEX ? 0 : (uint64_t)f->header_index + 1;
}

/* Stable insertion sort: findings are few, and equal keys keep rule order. */
static void sort_findings(struct igk_lint_report *r)
{
    for (size_t i = 1; i < r->n_findings; i++) {
        struct igk_lint_finding f = r->findings[i];
        size_t j = i;

        while (j > 0 && sort_key(&r->findings[j - 1]) > sort_key(&f)) {
            r->findings[j] = r->findings[j - 1];
            j--;
        }
        r->findings[j] = f;
    }
}

int igk_lint(const struct igk_igvm *igvm, enum igk_lint_loader loader,
             struct igk_lint_report *ret, struct igk_error *err)
{
    int r;

    memset(ret, 0, sizeof(*ret));
    ret->loader = loader;
    r = igk_igvm_require_full(igvm, "lint", err);
    if (r < 0)
        return r;
    switch (loader) {
    case IGK_LINT_QEMU:
        igk_lint_qemu(igvm, ret);
        break;
    case IGK_LINT_CLOUD_HYPERVISOR:
        igk_lint_cloud_hypervisor(igvm, ret);
        break;
    case IGK_LINT_OPENVMM:
        igk_lint_openvmm(igvm, ret);
        break;
    default:
        return igk_error_set(err, IGK_E_USAGE, "unknown loader %d", (int)loader);
    }
    lint_policies(igvm, ret);
    if (ret->failed) {
        igk_lint_report_done(ret);
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    }
    sort_findings(ret);
    return 0;
}

void igk_lint_report_done(struct igk_lint_report *report)
{
    if (!report)
        return;
    free(report->findings);
    memset(report, 0, sizeof(*report));
}
