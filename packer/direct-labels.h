/* SPDX-License-Identifier: MIT */
/*
 * Region names for direct-boot images (internal), for `igvmkit explain`.
 *
 * igk_direct_region_label() recognises a file igk_pack_direct() wrote -- by
 * its boot_params page at IGK_DIRECT_BOOT_PARAMS_GPA (setup header "HdrS",
 * type_of_loader 0xFF) among the first headers whose mask shares a bit with
 * mask (the platform being measured) -- and names the page at gpa, written
 * by a header of header_type, as direct boot laid it out: "kernel",
 * "initrd", "cmdline", "boot_params", "page tables", "gdt", "stack",
 * "cc blob", "bda", "mp table", "secrets", "cpuid", "reset rom",
 * "reset stub", "vmsa", "ram".  The kernel, initrd and command-line ranges
 * come from that boot_params page, so the answer depends on the file alone.
 * Stateless and cheap (it looks at no more than the first 128 headers), so it
 * can be called for every measurement step.  Lean models work too.  NULL for
 * other files and header types.
 */
#ifndef IGK_DIRECT_LABELS_H
#define IGK_DIRECT_LABELS_H

#include <stdint.h>

#include <igvmkit/igvm.h>

const char *igk_direct_region_label(const struct igk_igvm *igvm, uint32_t header_type,
                                    uint32_t mask, uint64_t gpa);

#endif /* IGK_DIRECT_LABELS_H */
