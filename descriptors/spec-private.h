/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers of the descriptor module (not installed): value parsers
 * shared by the loader and the packer's provenance writer, and name tables.
 */
#ifndef IGK_SPEC_PRIVATE_H
#define IGK_SPEC_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/descriptor.h>

/* The n-th known SEV-SNP vCPU model name, NULL past the end (for messages). */
const char *igk_snp_vcpu_type_name(size_t index);

/* Descriptor spellings of the enums ("ovmf", "raw", "none"; "qemu", "ec2", "gce"). */
const char *igk_firmware_type_to_string(enum igk_firmware_type type);
const char *igk_snp_vmm_to_string(enum igk_snp_vmm vmm);

#endif /* IGK_SPEC_PRIVATE_H */
