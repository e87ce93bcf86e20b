/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/descriptor.h> -- the YAML guest descriptor, parsed and validated.
 *
 * A descriptor names the firmware, kernel, initrd, command line, vCPUs,
 * memory and per-platform settings of one confidential guest; igvmkit(5)
 * documents every key.  igk_spec_load() turns it into a struct igk_spec whose
 * every field is checked: unknown keys, wrong types, out-of-range numbers and
 * missing or unreadable files are IGK_E_INVALID errors carrying
 * PATH:LINE:COLUMN of the offending node.
 *
 * File paths in the descriptor are relative to the descriptor's directory.
 * The spec keeps both the path as written (for provenance, which must not
 * depend on where the descriptor lives) and the path to open.
 */
#ifndef IGVMKIT_DESCRIPTOR_H
#define IGVMKIT_DESCRIPTOR_H

#include <stdbool.h>
#include <stdint.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

#ifdef __cplusplus
extern "C" {
#endif

enum igk_firmware_type {
    IGK_FIRMWARE_OVMF = 0, /* EDK2 OVMF/TDVF image with a GUID footer table */
    IGK_FIRMWARE_RAW = 1,  /* any blob, placed at firmware.gpa              */
    IGK_FIRMWARE_NONE = 2, /* direct Linux boot: kernel/initrd as pages     */
};

/* SEV-SNP VMSA flavours, as sev-snp-measure models them. */
enum igk_snp_vmm {
    IGK_SNP_VMM_QEMU = 0,
    IGK_SNP_VMM_EC2 = 1,
    IGK_SNP_VMM_GCE = 2,
};

/* Where a value came from in the YAML (1-based; 0 when defaulted). */
struct igk_spec_mark {
    unsigned line, column;
};

/* An input file named by the descriptor. */
struct igk_spec_file {
    bool present;
    char *path;      /* as written in the descriptor (relative or absolute) */
    char *open_path; /* path to open: joined with the descriptor directory  */
    struct igk_spec_mark mark;
};

struct igk_spec_id_block {
    bool present;
    struct igk_spec_file id_key;     /* PEM, P-384 private key */
    struct igk_spec_file author_key; /* optional                */
    bool has_family_id, has_image_id;
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t version; /* default 1 */
    uint32_t svn;     /* default 0 */
};

/*
 * SEV-SNP with a COCONUT-SVSM image in front of OVMF (platforms.sev-snp.svsm):
 * QEMU places the SVSM image so that it ends where the OVMF vars area
 * (vars_size bytes below the firmware) begins, and the vCPUs start in it.
 */
struct igk_spec_svsm {
    bool present;
    struct igk_spec_file image;
    uint64_t vars_size; /* bytes of the OVMF vars area between the SVSM and OVMF */
    struct igk_spec_mark mark, vars_size_mark; /* where svsm and vars-size were given */
};

struct igk_spec_snp {
    uint64_t policy;         /* default 0x30000 */
    char *vcpu_type;         /* e.g. "EPYC-v4"; NULL when vcpu_sig was given */
    uint32_t vcpu_sig;       /* CPUID 1 EAX; resolved from vcpu_type if needed */
    enum igk_snp_vmm vmm;    /* default qemu */
    uint64_t guest_features; /* SEV_FEATURES, default 0x1 */
    uint64_t prevalidate;    /* direct boot: bytes of RAM pre-validated; 0 = default */
    bool has_prevalidate;
    struct igk_spec_id_block id_block;
    struct igk_spec_svsm svsm;
    struct igk_spec_mark policy_mark; /* where policy was given */
    struct igk_spec_mark prevalidate_mark;
};

struct igk_spec_tdx {
    uint64_t policy; /* default 0 */
    struct igk_spec_mark policy_mark;
};

/* SEV-ES (platforms.sev-es): the reset-state VMSA's vCPU signature and flavour. */
struct igk_spec_sev_es {
    char *vcpu_type;      /* NULL when vcpu_sig was given */
    uint32_t vcpu_sig;    /* CPUID 1 EAX */
    enum igk_snp_vmm vmm; /* qemu, ec2 or gce: the VMSA flavour */
};

/* How the packer treats the kernel file (kernel-format). */
enum igk_kernel_format {
    IGK_KERNEL_BZIMAGE = 0, /* default: an x86 bzImage with a setup header     */
    IGK_KERNEL_ANY = 1,     /* any bytes: only hashed into the kernel-hashes table */
};

struct igk_spec {
    char *descriptor_path; /* as given to igk_spec_load */
    char *base_dir;        /* directory relative paths are resolved against */
    unsigned version;      /* 1 */

    enum igk_firmware_type firmware_type;
    struct igk_spec_file firmware; /* absent for IGK_FIRMWARE_NONE */
    struct igk_spec_file vars;     /* optional: VARS image placed in front */
    bool has_firmware_gpa;
    uint64_t firmware_gpa;         /* raw only */
    /*
     * firmware.digest (ovmf only): the SEV-SNP launch digest after the
     * firmware pages, as a cloud publishes it.  SEV-SNP then starts its chain
     * from it instead of hashing the firmware pages; the image is still read
     * for its metadata.  Other platforms lay out the image as usual.
     */
    bool has_firmware_digest;
    uint8_t firmware_digest[48];
    enum igk_kernel_format kernel_format;

    struct igk_spec_file kernel;
    struct igk_spec_file initrd;
    bool has_cmdline;
    char *cmdline;

    unsigned vcpus;  /* >= 1, default 1 */
    uint64_t memory; /* bytes; default 2 GiB */

    /* Requested platforms: bit (1u << enum igk_platform_type). */
    uint32_t platforms;
    struct igk_spec_mark platform_mark[IGK_PLATFORM_MAX]; /* where each was named */
    struct igk_spec_snp snp;
    struct igk_spec_tdx tdx;
    struct igk_spec_sev_es sev_es;
    struct igk_spec_mark cmdline_mark, vcpus_mark; /* where given; 0 when defaulted */
    struct igk_spec_mark memory_mark;
};

/* Parses and validates a descriptor file.  *ret_spec is freed with igk_spec_free(). */
IGK_PUBLIC int igk_spec_load(const char *path, struct igk_spec **ret_spec, struct igk_error *err);

/*
 * Same, from memory (used by tests and the fuzzer).  name is used in error
 * messages; base_dir resolves relative file paths.  When check_files is
 * false, input files are not opened (only the YAML is validated).
 */
IGK_PUBLIC int igk_spec_load_buffer(const char *yaml, size_t len, const char *name,
                                    const char *base_dir, bool check_files,
                                    struct igk_spec **ret_spec, struct igk_error *err);

/* Accepts NULL; returns NULL. */
IGK_PUBLIC struct igk_spec *igk_spec_free(struct igk_spec *spec);

/* CPUID signature of a vCPU model name accepted by sev-snp-measure; 0 if unknown. */
IGK_PUBLIC uint32_t igk_snp_vcpu_signature(const char *vcpu_type);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_DESCRIPTOR_H */
