/* SPDX-License-Identifier: MIT */
/* Internal to lint/: what the rule files (lint-*.c) share. */
#ifndef IGK_LINT_PRIVATE_H
#define IGK_LINT_PRIVATE_H

#include <igvmkit/lint.h>

void igk_lint_add(struct igk_lint_report *report, enum igk_lint_severity severity,
                  uint32_t index, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

void igk_lint_qemu(const struct igk_igvm *igvm, struct igk_lint_report *report);
void igk_lint_cloud_hypervisor(const struct igk_igvm *igvm, struct igk_lint_report *report);
void igk_lint_openvmm(const struct igk_igvm *igvm, struct igk_lint_report *report);

/* Shared rule: at most one SNP_ID_BLOCK per platform (QEMU refuses a second). */
void igk_lint_id_blocks(const struct igk_igvm *igvm, struct igk_lint_report *report,
                        const char *rule);
/* Shared rule: a file without any directive. */
void igk_lint_no_directives(const struct igk_igvm *igvm, struct igk_lint_report *report,
                            const char *rule);

#endif /* IGK_LINT_PRIVATE_H */
