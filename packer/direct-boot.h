/* SPDX-License-Identifier: MIT */
/*
 * Direct Linux boot without firmware (descriptor firmware type "none",
 * internal).  igk_pack() hands the whole job to igk_pack_direct(): it reads
 * the kernel (bzImage), initrd and command line named by the spec and builds
 * the complete model -- platform headers, policies, measured pages,
 * VP contexts -- for the native and SEV-SNP platforms.  TDX is refused with
 * IGK_E_UNSUPPORTED.
 */
#ifndef IGK_DIRECT_BOOT_H
#define IGK_DIRECT_BOOT_H

#include <igvmkit/descriptor.h>
#include <igvmkit/pack.h>

int igk_pack_direct(const struct igk_spec *spec, struct igk_pack_result *ret,
                    struct igk_error *err);
/* The same with IGK_PACK_* flags (igk_pack_ex()). */
int igk_pack_direct_ex(const struct igk_spec *spec, unsigned flags, struct igk_pack_result *ret,
                       struct igk_error *err);

#endif /* IGK_DIRECT_BOOT_H */
