/* SPDX-License-Identifier: MIT */
/*
 * <igvmkit/igvm.h> -- the IGVM file format: an in-memory model, a validating
 * reader and a deterministic writer.
 *
 * IGVM ("Independent Guest Virtual Machine") files describe the initial state
 * of a confidential guest as a list of headers: platform headers (which
 * isolation architectures the file supports), initialization headers (guest
 * policy, relocation) and directives (pages, VP contexts, parameter areas),
 * plus a data section the headers point into.  The reference implementation
 * is the microsoft/igvm Rust crate; this module accepts exactly the files it
 * accepts (its rules are listed in docs/igvm-format.md section 7), except that
 * inputs which crash the crate are plain errors here.
 *
 * The model (struct igk_igvm) is the same whether it was read from a file or
 * built by the packer, so everything downstream -- measurement, inspection,
 * writing -- works on either.  Fields are decoded into host-order integers;
 * nothing is ever cast over file bytes.
 *
 * Ownership: a model owns its header array and any blobs given to
 * igk_igvm_keep().  A model read from a file owns the file mapping; a model
 * read from a caller's buffer borrows it (the buffer must outlive the model).
 * Header data pointers point into the mapping, the borrowed buffer, or kept
 * blobs, and stay valid until igk_igvm_free().
 */
#ifndef IGVMKIT_IGVM_H
#define IGVMKIT_IGVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IGK_IGVM_MAGIC 0x4D564749u /* "IGVM" little endian */
#define IGK_PAGE_SIZE 4096u
#define IGK_FIXED_HEADER_V1_SIZE 24u
#define IGK_FIXED_HEADER_V2_SIZE 32u

/* Architecture word of a v2 fixed header (v1 files are always X64). */
enum igk_arch {
    IGK_ARCH_X64 = 0,
    IGK_ARCH_AARCH64 = 1,
};

/* SUPPORTED_PLATFORM.platform_type values (docs/igvm-format.md section 4.1). */
enum igk_platform_type {
    IGK_PLATFORM_NATIVE = 0,
    IGK_PLATFORM_VSM = 1, /* VSM_ISOLATION, Hyper-V VBS; CLI name "vbs" */
    IGK_PLATFORM_SEV_SNP = 2,
    IGK_PLATFORM_TDX = 3,
    IGK_PLATFORM_SEV = 4,
    IGK_PLATFORM_SEV_ES = 5,
    IGK_PLATFORM_CCA = 6,
    IGK_PLATFORM_MAX
};

/* Variable header type codes (docs/igvm-format.md section 3.3). */
enum igk_header_type {
    IGK_VHT_SUPPORTED_PLATFORM = 0x001,
    IGK_VHT_GUEST_POLICY = 0x101,
    IGK_VHT_RELOCATABLE_REGION = 0x102,
    IGK_VHT_PAGE_TABLE_RELOCATION_REGION = 0x103,
    IGK_VHT_CORIM_DOCUMENT = 0x104,
    IGK_VHT_CORIM_SIGNATURE = 0x105,
    IGK_VHT_CCA_POLICY = 0x106,
    IGK_VHT_PARAMETER_AREA = 0x301,
    IGK_VHT_PAGE_DATA = 0x302,
    IGK_VHT_PARAMETER_INSERT = 0x303,
    IGK_VHT_VP_CONTEXT = 0x304,
    IGK_VHT_REQUIRED_MEMORY = 0x305,
    IGK_VHT_RESERVED_306 = 0x306,
    IGK_VHT_VP_COUNT_PARAMETER = 0x307,
    IGK_VHT_SRAT = 0x308,
    IGK_VHT_MADT = 0x309,
    IGK_VHT_MMIO_RANGES = 0x30A,
    IGK_VHT_SNP_ID_BLOCK = 0x30B,
    IGK_VHT_MEMORY_MAP = 0x30C,
    IGK_VHT_ERROR_RANGE = 0x30D,
    IGK_VHT_COMMAND_LINE = 0x30E,
    IGK_VHT_SLIT = 0x30F,
    IGK_VHT_PPTT = 0x310,
    IGK_VHT_VBS_MEASUREMENT = 0x311,
    IGK_VHT_DEVICE_TREE = 0x312,
    IGK_VHT_ENVIRONMENT_INFO_PARAMETER = 0x313,
};

/* PAGE_DATA flags and data types (section 6.2). */
#define IGK_PAGE_FLAG_IS_2MB 0x1u
#define IGK_PAGE_FLAG_UNMEASURED 0x2u
#define IGK_PAGE_FLAG_SHARED 0x4u

enum igk_page_data_type {
    IGK_PAGE_DATA_NORMAL = 0,
    IGK_PAGE_DATA_SECRETS = 1,
    IGK_PAGE_DATA_CPUID_DATA = 2,
    IGK_PAGE_DATA_CPUID_XF = 3,
};

/* ---- decoded header bodies: one struct per on-disk layout ---- */

struct igk_supported_platform { /* 0x001, 16 bytes */
    uint32_t compatibility_mask;
    uint8_t highest_vtl;
    uint8_t platform_type; /* enum igk_platform_type */
    uint16_t platform_version;
    uint64_t shared_gpa_boundary;
};

struct igk_guest_policy { /* 0x101, 16 bytes */
    uint64_t policy;
    uint32_t compatibility_mask;
    uint32_t reserved;
};

struct igk_relocatable_region { /* 0x102, 48 bytes */
    uint32_t compatibility_mask;
    uint16_t vp_index;
    uint8_t vtl;
    uint8_t flags; /* 0x1 IS_VTL2, 0x2 APPLY_RIP, 0x4 APPLY_GDTR */
    uint64_t relocation_alignment;
    uint64_t relocation_region_gpa;
    uint64_t relocation_region_size;
    uint64_t minimum_relocation_gpa;
    uint64_t maximum_relocation_gpa;
};

struct igk_page_table_relocation { /* 0x103, 32 bytes */
    uint32_t compatibility_mask;
    uint16_t vp_index;
    uint8_t vtl;
    uint8_t reserved;
    uint64_t gpa;
    uint64_t size;
    uint64_t used_size;
};

struct igk_corim { /* 0x104 / 0x105, 16 bytes */
    uint32_t compatibility_mask;
    uint32_t file_offset;
    uint32_t size_bytes;
    uint32_t reserved;
};

struct igk_cca_policy { /* 0x106, 32 bytes */
    uint32_t compatibility_mask;
    uint32_t reserved;
    uint64_t attributes_required_zeroes;
    uint64_t attributes_required_ones;
    uint8_t hash_algorithm;
    uint8_t lfa_policy;
    uint8_t reserved2[6];
};

struct igk_parameter_area { /* 0x301, 16 bytes */
    uint64_t number_of_bytes;
    uint32_t parameter_area_index;
    uint32_t file_offset; /* 0: starts zeroed */
};

struct igk_page_data { /* 0x302, 24 bytes */
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t file_offset; /* 0: a page of zeros */
    uint32_t flags;       /* IGK_PAGE_FLAG_* */
    uint16_t data_type;   /* enum igk_page_data_type */
    uint16_t reserved;
};

struct igk_parameter_insert { /* 0x303, 16 bytes */
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t parameter_area_index;
};

struct igk_vp_context { /* 0x304, 20 bytes + 4 padding */
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t file_offset;
    uint16_t vp_index;
    uint16_t reserved;
};

struct igk_required_memory { /* 0x305, 24 bytes */
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t number_of_bytes;
    uint32_t flags; /* 0x1 VTL2_PROTECTABLE */
    uint32_t reserved;
};

struct igk_parameter { /* 0x307..0x313 parameter usages, 8 bytes */
    uint32_t parameter_area_index;
    uint32_t byte_offset;
};

struct igk_error_range { /* 0x30D, 16 bytes */
    uint64_t gpa;
    uint32_t compatibility_mask;
    uint32_t size_bytes;
};

struct igk_snp_signature {
    uint8_t r[72]; /* little endian, zero extended */
    uint8_t s[72];
};

struct igk_snp_public_key {
    uint32_t curve; /* 2 = P-384 */
    uint32_t reserved;
    uint8_t qx[72]; /* little endian, zero extended */
    uint8_t qy[72];
};

struct igk_snp_id_block { /* 0x30B, 696 bytes */
    uint32_t compatibility_mask;
    uint8_t author_key_enabled;
    uint8_t reserved[3];
    uint8_t ld[48];
    uint8_t family_id[16];
    uint8_t image_id[16];
    uint32_t version;
    uint32_t guest_svn;
    uint32_t id_key_algorithm;
    uint32_t author_key_algorithm;
    struct igk_snp_signature id_key_signature;
    struct igk_snp_public_key id_public_key;
    struct igk_snp_signature author_key_signature;
    struct igk_snp_public_key author_public_key;
};

struct igk_vbs_measurement { /* 0x311, 864 bytes */
    uint32_t compatibility_mask;
    uint32_t version;
    uint32_t product_id;
    uint32_t module_id;
    uint32_t security_version;
    uint32_t policy_flags;
    uint32_t boot_digest_algo;
    uint32_t signing_algo;
    uint8_t boot_measurement_digest[64];
    uint8_t signature[256];
    uint8_t public_key[512];
};

/*
 * One variable header.  `type` selects the member of `u` that is valid
 * (parameter usages 0x307..0x313 all use u.parameter).  Bodies larger than
 * a PAGE_DATA body (RELOCATABLE_REGION, PAGE_TABLE_RELOCATION_REGION,
 * CCA_POLICY, SNP_ID_BLOCK, VBS_MEASUREMENT) are pointers to bodies stored
 * with igk_igvm_keep(): a file carries one header per 4 KiB page, so a
 * header is kept at 48 bytes.
 *
 * `data`/`data_size` is the file data the header references, resolved:
 *   PAGE_DATA       4096 bytes, or NULL for a zero page (file_offset 0)
 *   PARAMETER_AREA  number_of_bytes bytes, or NULL when it starts zeroed
 *   VP_CONTEXT      the context blob (4096 bytes for VMSA / native / CCA,
 *                   4 + 32*count for VBS register lists)
 *   CORIM_*         size_bytes bytes
 * When building a model, set data/data_size and leave file_offset 0: the
 * writer assigns offsets (and pads PAGE_DATA shorter than a page).
 */
struct igk_header {
    uint32_t type;        /* enum igk_header_type */
    uint32_t data_size;
    uint64_t file_offset; /* where the TLV starts in the file; 0 if built */
    union {
        struct igk_supported_platform platform;
        struct igk_guest_policy guest_policy;
        struct igk_corim corim;
        struct igk_parameter_area parameter_area;
        struct igk_page_data page_data;
        struct igk_parameter_insert parameter_insert;
        struct igk_vp_context vp_context;
        struct igk_required_memory required_memory;
        struct igk_parameter parameter;
        struct igk_error_range error_range;
        /* Out of line, in the model's storage (see above). */
        const struct igk_relocatable_region *relocatable_region;
        const struct igk_page_table_relocation *page_table_relocation;
        const struct igk_cca_policy *cca_policy;
        const struct igk_snp_id_block *snp_id_block;
        const struct igk_vbs_measurement *vbs_measurement;
    } u;
    const uint8_t *data;
};

/* An IGVM file, read or under construction. */
struct igk_igvm {
    uint32_t format_version; /* 1 or 2 */
    uint32_t arch;           /* enum igk_arch (X64 for v1) */
    uint32_t page_size;      /* 4096 */

    struct igk_header *headers; /* in file (= measurement) order */
    size_t n_headers;

    /* Set by the reader only (0 / NULL for built models). */
    const uint8_t *file;             /* whole file bytes */
    uint64_t file_size;
    uint32_t variable_header_offset;
    uint32_t variable_header_size;
    uint32_t data_section_offset;    /* = offset + size of the headers */
    uint32_t checksum;

    struct igk_igvm_private *priv;   /* storage; not for callers */
};

/* ---- names ---- */

/* "PAGE_DATA", ...; "UNKNOWN" for other codes. */
IGK_PUBLIC const char *igk_header_type_name(uint32_t type);

/*
 * CLI / JSON platform names: "native", "vbs", "sev-snp", "tdx", "sev",
 * "sev-es", "cca".  igk_platform_from_name() also accepts "snp" and
 * "vsm"; returns -1 for unknown names.
 */
IGK_PUBLIC const char *igk_platform_name(enum igk_platform_type type);
IGK_PUBLIC int igk_platform_from_name(const char *name);

/*
 * Guest policy checks (GUEST_POLICY values a launch should not carry):
 * SEV-SNP bit 17 clear ("snp-policy-reserved"), DEBUG ("snp-policy-debug"),
 * reserved bits 63:26 ("snp-policy-unknown-bits"); TDX debug
 * ("tdx-policy-debug") and bits IGVM does not define ("tdx-policy-unknown-bits").
 * Fills up to IGK_POLICY_MAX_ISSUES entries and returns their number; other
 * platforms have none.  Used by the packer (warnings) and lint.
 */
#define IGK_POLICY_MAX_ISSUES 4
struct igk_policy_issue {
    const char *rule; /* stable id, static storage */
    char message[200];
};
IGK_PUBLIC size_t igk_policy_check(enum igk_platform_type platform, uint64_t policy,
                                   struct igk_policy_issue out[IGK_POLICY_MAX_ISSUES]);

/*
 * A guest policy as every verb prints it in text: 0x-hex, then for SEV-SNP
 * and TDX the decoded fields, e.g. "0x30000 (abi 0.0, smt allowed,
 * migrate_ma off, debug off, single_socket off)" and "0x2 (debug off,
 * sept_ve_disable on)"; SEV-SNP bits 21-25 are named when set ("rapl_dis
 * on"), a clear bit 17 and set reserved bits are said ("reserved bits
 * 0x4"); other platforms the hex alone.  IGK_POLICY_TEXT_MAX bytes always
 * suffice.  In JSON every verb writes the
 * hex alone as a string (igk_policy_hex()): 64-bit values do not survive
 * JSON numbers, which many readers hold as doubles.  Returns buf.
 */
#define IGK_POLICY_TEXT_MAX 256
IGK_PUBLIC const char *igk_policy_format(enum igk_platform_type platform, uint64_t policy,
                                         char *buf, size_t size);
/* The policy's JSON form: "0x30000" (lower-case hex, no padding).  Returns buf. */
IGK_PUBLIC const char *igk_policy_hex(uint64_t policy, char *buf, size_t size);

/* PAGE_DATA data type: "normal", "secrets", "cpuid_data", "cpuid_xf"; "unknown". */
IGK_PUBLIC const char *igk_page_data_type_name(uint16_t type);

/* ---- reading ---- */

/* Limits against hostile input; the defaults are generous for real files. */
struct igk_read_limits {
    uint64_t max_file_size; /* default 4 GiB - 1 (the format's 32-bit limit) */
    size_t max_headers;     /* default 4 Mi headers                          */
};
IGK_PUBLIC void igk_read_limits_default(struct igk_read_limits *limits);

/*
 * Parses and fully validates an IGVM file held in buf (borrowed: keep it
 * alive and unchanged until the model is freed).  limits may be NULL.
 * On success stores a new model in *ret_igvm.  On failure returns
 * IGK_E_INVALID (or IGK_E_UNSUPPORTED / IGK_E_INTERNAL) with err carrying the
 * byte offset and the index/type of the offending header.  err->path is left
 * empty; callers that know a file name set it.
 */
IGK_PUBLIC int igk_igvm_read_buffer(const uint8_t *buf, size_t len,
                                    const struct igk_read_limits *limits,
                                    struct igk_igvm **ret_igvm, struct igk_error *err);

/* Same, for a path; the file is mapped, not copied.  I/O errors: IGK_E_IO. */
IGK_PUBLIC int igk_igvm_read_file(const char *path, const struct igk_read_limits *limits,
                                  struct igk_igvm **ret_igvm, struct igk_error *err);

/*
 * Lean reading, for callers that visit the directives once, in file order:
 * measurement, explain, export.  The file is validated exactly as the plain
 * readers do -- same verdict, same messages, same header numbers -- but
 * PAGE_DATA headers are checked and then left in the file instead of being
 * copied to headers[].  A file carries one PAGE_DATA header per 4 KiB page,
 * so a full model of 4 GiB of pages takes 48 MiB; a lean model grows only
 * with the other headers (a few dozen in real files).
 *
 * Visit every header, PAGE_DATA included, with igk_igvm_next_header(); name
 * headers[i] in messages by igk_igvm_header_number().  Functions that need
 * every header in headers[] (writer, memory image) refuse a lean
 * model with IGK_E_USAGE, and igk_igvm_append() does not extend one.
 */
IGK_PUBLIC int igk_igvm_read_buffer_lean(const uint8_t *buf, size_t len,
                                         const struct igk_read_limits *limits,
                                         struct igk_igvm **ret_igvm, struct igk_error *err);
IGK_PUBLIC int igk_igvm_read_file_lean(const char *path, const struct igk_read_limits *limits,
                                       struct igk_igvm **ret_igvm, struct igk_error *err);

/* A position in a model's headers; start from {0}. */
struct igk_header_cursor {
    size_t stored;   /* next entry of headers[] */
    size_t number;   /* file index of the next header */
    uint64_t offset; /* lean models: file offset of the next TLV (0: the first);
                        lean packed models: where the last PAGE_DATA came from */
};

/*
 * The next header of the model in file order, or NULL after the last.  For
 * a header of headers[] returns a pointer to it; a PAGE_DATA header of a lean
 * model is decoded from the file into *scratch (data resolved as the reader
 * does), or for a lean model the packer built (igk_pack_ex() with
 * IGK_PACK_LEAN) generated into *scratch, and scratch is returned.  *ret_number gets the header's index in the
 * file, the "#N" that messages use.  Costs O(1) per header.  A lean model
 * whose headers[] was changed after reading may end the walk early; the
 * cursor never reads outside the file.
 */
IGK_PUBLIC const struct igk_header *igk_igvm_next_header(const struct igk_igvm *igvm,
                                                         struct igk_header_cursor *cursor,
                                                         struct igk_header *scratch,
                                                         size_t *ret_number);

/* The file index ("#N") of headers[i], i < n_headers: i itself unless the model is lean. */
IGK_PUBLIC size_t igk_igvm_header_number(const struct igk_igvm *igvm, size_t i);

/* Whether the model was read (or packed) lean: headers[] then lacks the PAGE_DATA headers. */
IGK_PUBLIC bool igk_igvm_is_lean(const struct igk_igvm *igvm);

/* ---- building ---- */

/* An empty model (format_version 1 or 2; arch ignored for v1). NULL on ENOMEM. */
IGK_PUBLIC struct igk_igvm *igk_igvm_new(uint32_t format_version, enum igk_arch arch);

/* Frees the model and everything it owns.  Accepts NULL; returns NULL. */
IGK_PUBLIC struct igk_igvm *igk_igvm_free(struct igk_igvm *igvm);

/*
 * Copies len bytes into storage owned by the model and returns a pointer that
 * stays valid until igk_igvm_free().  Identical 4 KiB pages may share storage.
 * Returns NULL on allocation failure.
 */
IGK_PUBLIC const uint8_t *igk_igvm_keep(struct igk_igvm *igvm, const void *data, size_t len);

/*
 * Appends a copy of *header (its data pointer is taken as is: it must be
 * kept, borrowed from the caller for the model's lifetime, or NULL).
 * Returns 0, IGK_E_INTERNAL on allocation failure, or IGK_E_USAGE for a
 * lean model.
 */
IGK_PUBLIC int igk_igvm_append(struct igk_igvm *igvm, const struct igk_header *header,
                               struct igk_error *err);

/*
 * Runs every validation rule of the reader on a model (section 7 rules that
 * do not concern bytes on disk).  The packer calls it before writing, so it
 * never produces a file the reference parser would reject.
 */
IGK_PUBLIC int igk_igvm_validate(const struct igk_igvm *igvm, struct igk_error *err);

/* ---- writing ---- */

/*
 * Serializes the model: fixed header, headers in model order (each padded to
 * 8 bytes), then the data section with identical 4 KiB blobs stored once, in
 * order of first reference; CRC32 last.  Never emits an empty data section.
 * The output is a pure function of the model.  *ret_buf is malloc()ed.
 */
IGK_PUBLIC int igk_igvm_write_buffer(const struct igk_igvm *igvm, uint8_t **ret_buf,
                                     size_t *ret_len, struct igk_error *err);

/*
 * Writes the serialized model to path atomically: a temporary file in the
 * same directory, fsync, rename.  On failure nothing is left at path (an
 * existing file there is untouched).
 */
IGK_PUBLIC int igk_igvm_write_file(const struct igk_igvm *igvm, const char *path,
                                   struct igk_error *err);

/* Called as a file is written: bytes written so far and the file size. */
typedef void (*igk_progress_fn)(uint64_t done, uint64_t total, void *user);

struct igk_write_info {
    bool digests;       /* in: hash the file as it is written */
    uint64_t size;      /* out: bytes written */
    uint8_t sha256[32]; /* out, when digests */
    uint8_t sha384[48];
};

/*
 * igk_igvm_write_file() with what a caller reporting on the file needs: its
 * size and (info->digests) SHA-256 / SHA-384, computed while writing, and
 * progress calls (may be NULL).  Both stream: memory stays bounded (4 bytes
 * per header, 16 per distinct page, a few MiB of buffers) whatever the page
 * data, and page data that refers to a packer input is read from that file
 * with pread() -- an input that changed while being packed (size, contents
 * time stamps) fails with IGK_E_IO naming it.  A failure, including a full
 * disk, leaves nothing at path.
 */
IGK_PUBLIC int igk_igvm_write_file_info(const struct igk_igvm *igvm, const char *path,
                                        struct igk_write_info *info, igk_progress_fn progress,
                                        void *user, struct igk_error *err);

/* ---- per-platform view (section 4.2) ---- */

/*
 * The compatibility mask of the SUPPORTED_PLATFORM header of the given type.
 * Returns 0 and sets *ret_mask, or IGK_E_UNSUPPORTED when the file does not
 * declare that platform (err names the platforms it has).
 */
IGK_PUBLIC int igk_igvm_platform_mask(const struct igk_igvm *igvm, enum igk_platform_type type,
                                      uint32_t *ret_mask, struct igk_error *err);

/* The SUPPORTED_PLATFORM header for a type, or NULL. */
IGK_PUBLIC const struct igk_supported_platform *
igk_igvm_find_platform(const struct igk_igvm *igvm, enum igk_platform_type type);

/* Whether the header carries a compatibility mask; if so stores it. */
IGK_PUBLIC bool igk_header_mask(const struct igk_header *header, uint32_t *ret_mask);

/*
 * Whether a header is selected for a platform, by the measurement rule:
 * headers without a mask always; others when (mask & platform_mask) ==
 * platform_mask.
 */
IGK_PUBLIC bool igk_header_applies(const struct igk_header *header, uint32_t platform_mask);

/* Section of a type code: 1 platform, 2 initialization, 3 directive, 0 none. */
IGK_PUBLIC int igk_header_section(uint32_t type);

/* On-disk structure size of a known type (without the 8-byte TLV prefix), 0 if unknown. */
IGK_PUBLIC uint32_t igk_header_struct_size(uint32_t type);

/* ---- guest memory image (what one platform's loader places) ---- */

/* How a region's pages are imported (section 6.2). */
enum igk_region_kind {
    IGK_REGION_MEASURED = 0,   /* PAGE_DATA with data, measured             */
    IGK_REGION_ZERO = 1,       /* data-less PAGE_DATA: a measured zero page */
    IGK_REGION_UNMEASURED = 2, /* UNMEASURED flag                            */
    IGK_REGION_SHARED = 3,     /* SHARED flag: host visible, not measured    */
};

/* "measured", "zero", "unmeasured", "shared". */
IGK_PUBLIC const char *igk_region_kind_name(enum igk_region_kind kind);

/*
 * A run of PAGE_DATA directives, consecutive in directive order (among the
 * headers that apply to the platform), with contiguous GPAs and equal kind
 * and data type.  Its pages are pages[0..n_pages), header indices into the
 * model; a page's bytes are that header's data (zero padded) or zeros.
 */
struct igk_memory_region {
    uint64_t gpa;
    uint64_t size; /* n_pages * 4096 */
    enum igk_region_kind kind;
    uint16_t data_type; /* enum igk_page_data_type */
    const size_t *pages;
    size_t n_pages;
};

/* A parameter area and where it is inserted (sections 6.3-6.4). */
struct igk_memory_parameter_area {
    uint32_t area_index;
    uint64_t size;
    size_t area_header;
    bool inserted;
    uint64_t insert_gpa;  /* valid when inserted */
    size_t insert_header; /* valid when inserted */
    const uint8_t *initial_data; /* NULL: starts zeroed */
};

/* A VP context for the platform (section 6.5). */
struct igk_memory_vp_context {
    size_t header;
    uint16_t vp_index;
    uint64_t gpa;
    const uint8_t *data;
    uint32_t data_size;
};

struct igk_memory_image {
    uint32_t platform_mask;
    struct igk_memory_region *regions;
    size_t n_regions;
    struct igk_memory_parameter_area *areas;
    size_t n_areas;
    struct igk_memory_vp_context *vp_contexts;
    size_t n_vp_contexts;
    size_t *page_storage; /* backs regions[].pages */
};

/*
 * The memory image a loader for the platform with mask bit platform_mask
 * builds: the directives whose mask has that bit (and the mask-less parameter
 * headers), in file order.  Returns 0 or IGK_E_INTERNAL.
 */
IGK_PUBLIC int igk_igvm_memory_image(const struct igk_igvm *igvm, uint32_t platform_mask,
                                     struct igk_memory_image **ret_image,
                                     struct igk_error *err);
IGK_PUBLIC void igk_memory_image_free(struct igk_memory_image *image);

#ifdef __cplusplus
}
#endif
#endif /* IGVMKIT_IGVM_H */
