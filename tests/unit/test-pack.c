/* SPDX-License-Identifier: MIT */
/*
 * igk_pack(): golden digests of OVMF / TDVF layouts (tests/data/REFERENCE.md),
 * the cross-platform merge, determinism, write/read-back equality and every
 * refusal with its exact message.
 *
 * Digests are computed twice: by an independent fold written here from
 * docs/measure-snp.md section 1 and docs/measure-tdx.md section 1 (so the
 * layout is checked without trusting the measure module), and by
 * igk_measure() with the qemu-classic and qemu profiles.
 *
 * The Debian firmware files (package ovmf 2022.11-6+deb12u2) are used when
 * installed with the expected sha256, else their tests are skipped.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

#include "le.h"
#include "ovmf.h"
#include "pack-private.h"
#include "tap.h"
#include "util.h"
#include "vmsa.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS.fd"
#define OVMF_COMBINED "/usr/share/ovmf/OVMF.fd"

#define SIG_EPYC_V4 0x800F12u
#define SIG_EPYC_MILAN 0xA00F11u

#define P(x) (1u << (x))

static char tmpdir[256];
static char srcdir[2048];

/* ---- an independent fold of the SNP chain and TDX MRTD ---- */

static void sha384(const void *d, size_t n, uint8_t out[48])
{
    igk_sha384(d, n, out);
}

/* Launch digest of the SNP-masked directives; classic: data-less NORMAL = ZERO. */
static void fold_snp(const struct igk_igvm *igvm, uint32_t mask, bool classic, char hex[97])
{
    static const uint8_t zero[4096];
    uint8_t ld[48] = {0}, info[0x70];

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t type = 0, contents[48] = {0};
        uint64_t gpa;

        if (h->type == IGK_VHT_PAGE_DATA && (h->u.page_data.compatibility_mask & mask)) {
            const struct igk_page_data *pd = &h->u.page_data;

            gpa = pd->gpa;
            if (pd->flags & IGK_PAGE_FLAG_UNMEASURED)
                type = 4;
            else if (pd->data_type == IGK_PAGE_DATA_SECRETS)
                type = 5;
            else if (pd->data_type == IGK_PAGE_DATA_CPUID_DATA)
                type = 6;
            else if (!h->data && classic)
                type = 3;
            else {
                type = 1;
                sha384(h->data ? h->data : zero, 4096, contents);
            }
        } else if (h->type == IGK_VHT_VP_CONTEXT && (h->u.vp_context.compatibility_mask & mask)) {
            gpa = h->u.vp_context.gpa;
            type = 2;
            sha384(h->data, 4096, contents);
        } else {
            continue;
        }
        memset(info, 0, sizeof(info));
        memcpy(info, ld, 48);
        memcpy(info + 0x30, contents, 48);
        igk_put_le16(info + 0x60, 0x70);
        info[0x62] = type;
        igk_put_le64(info + 0x68, gpa);
        sha384(info, sizeof(info), ld);
    }
    igk_hex_encode(ld, 48, hex);
}

static void fold_mrtd(const struct igk_igvm *igvm, uint32_t mask, char hex[97])
{
    static const uint8_t zero[4096];
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t out[48];
    unsigned len;

    EVP_DigestInit_ex(md, EVP_sha384(), NULL);
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        const uint8_t *data;
        uint8_t rec[128];

        if (h->type != IGK_VHT_PAGE_DATA || !(h->u.page_data.compatibility_mask & mask) ||
            (h->u.page_data.flags & IGK_PAGE_FLAG_SHARED))
            continue;
        memset(rec, 0, sizeof(rec));
        memcpy(rec, "MEM.PAGE.ADD", 12);
        igk_put_le64(rec + 16, h->u.page_data.gpa);
        EVP_DigestUpdate(md, rec, sizeof(rec));
        if (h->u.page_data.flags & IGK_PAGE_FLAG_UNMEASURED)
            continue;
        data = h->data ? h->data : zero;
        for (unsigned c = 0; c < 16; c++) {
            memset(rec, 0, sizeof(rec));
            memcpy(rec, "MR.EXTEND", 9);
            igk_put_le64(rec + 16, h->u.page_data.gpa + 256u * c);
            EVP_DigestUpdate(md, rec, sizeof(rec));
            EVP_DigestUpdate(md, data + 256u * c, 256);
        }
    }
    EVP_DigestFinal_ex(md, out, &len);
    EVP_MD_CTX_free(md);
    igk_hex_encode(out, 48, hex);
}

static void measured(const struct igk_igvm *igvm, enum igk_platform_type p, enum igk_loader l,
                     char hex[97])
{
    struct igk_measure_options o = {.loader = l};
    struct igk_measurement m;
    struct igk_error err;

    igk_error_clear(&err);
    if (igk_measure(igvm, p, &o, &m, &err) < 0) {
        diag("igk_measure: %s", err.message);
        strcpy(hex, "error");
        return;
    }
    igk_hex_encode(m.digest, m.digest_len, hex);
}

/* ---- specs ---- */

static void set_file(struct igk_spec_file *f, const char *path)
{
    f->present = path != NULL;
    f->path = (char *)path;
    f->open_path = (char *)path;
}

static struct igk_spec base_spec(const char *fw, uint32_t platforms)
{
    struct igk_spec s;

    memset(&s, 0, sizeof(s));
    s.version = 1;
    s.firmware_type = IGK_FIRMWARE_OVMF;
    set_file(&s.firmware, fw);
    s.vcpus = 1;
    s.memory = 2ull << 30;
    s.platforms = platforms;
    s.snp.policy = 0x30000;
    s.snp.vcpu_sig = SIG_EPYC_V4;
    s.snp.vmm = IGK_SNP_VMM_QEMU;
    s.snp.guest_features = 0x1;
    return s;
}

static bool reference(const char *path, const char *sha256_hex)
{
    struct igk_mapped_file m;
    uint8_t sha[32];
    char hex[65];

    if (igk_map_file(path, &m, NULL) < 0)
        return false;
    igk_sha256(m.data, m.size, sha);
    igk_unmap_file(&m);
    igk_hex_encode(sha, 32, hex);
    return strcmp(hex, sha256_hex) == 0;
}

static bool have_code, have_vars, have_combined;

static void skip(const char *what)
{
    ok(true, "# SKIP %s: Debian ovmf 2022.11-6+deb12u2 firmware not installed", what);
}

/* ---- golden SNP digests on OVMF_CODE.fd ---- */

static void test_snp_ovmf_code(void)
{
    static const struct {
        unsigned vcpus;
        uint32_t sig;
        const char *name, *classic, *qemu;
    } v[] = {
        {1, SIG_EPYC_V4, "EPYC-v4",
         "a479327cbb0b50e876024c2dac7412d4e5e95c7315c1f8b0446f6d3be69fefba50766285475926737e4a70b155252f88",
         "09b205e997eb513b5cbaf3cb5b668e70d0e3b6c3b888b53ce73f933dede34041e3d5bb201da11b04d726e8eb07fe67b9"},
        {4, SIG_EPYC_V4, "EPYC-v4",
         "022a949083cab59e19c5ca3f5f7ddb9c991874f49f76f72ea3f8cee1aa411e70c0a92766729328069f00b3053fc8ea6f",
         "d7c1884f3e4bae807d8c7b8949b97337e153397195957f2029be2ea5688c92cd485eeb58a49a252f3497e06e3f72b750"},
        {1, SIG_EPYC_MILAN, "EPYC-Milan",
         "836d70ef6fb294660c2227b0f535c07f814a965442bccfa75a240f478a9f4abd1a63dd0c796f3a75d7f16b02b1d3b8ee",
         "26d2191318dd6b7d93c4bf24dc0cdc721286d4d93fbe22ea8de36505da9ffbc4a3d48aafaefb3201823657b7636d6847"},
        {4, SIG_EPYC_MILAN, "EPYC-Milan",
         "cc2b38913550ecd41aadbcf2a5d309ae9d3cb0455c9e1f72892f6b18cfaea3f2e4f46a28b61ca0353724ee707c73177c",
         "a298d7debff0185841adb64fc04203de78410edbebe28acf218eb18440a14a9acb4be552662c5ef3d1d2374a7f4444b5"},
    };

    if (!have_code) {
        skip("OVMF_CODE.fd SNP digests");
        return;
    }
    for (size_t i = 0; i < IGK_ARRAY_SIZE(v); i++) {
        struct igk_spec s = base_spec(OVMF_CODE, P(IGK_PLATFORM_SEV_SNP));
        struct igk_pack_result res;
        struct igk_error err;
        char hex[97];

        s.vcpus = v[i].vcpus;
        s.snp.vcpu_sig = v[i].sig;
        igk_error_clear(&err);
        if (!is_int(igk_pack(&s, &res, &err), 0, "pack OVMF_CODE.fd SNP %u x %s", v[i].vcpus,
                    v[i].name)) {
            diag("%s", err.message);
            continue;
        }
        fold_snp(res.igvm, 0x1, true, hex);
        is_str(hex, v[i].classic, "%u x %s: own fold, native-zero = sev-snp-measure", v[i].vcpus,
               v[i].name);
        fold_snp(res.igvm, 0x1, false, hex);
        is_str(hex, v[i].qemu, "%u x %s: own fold, qemu", v[i].vcpus, v[i].name);
        measured(res.igvm, IGK_PLATFORM_SEV_SNP, IGK_LOADER_QEMU_CLASSIC, hex);
        is_str(hex, v[i].classic, "%u x %s: igk_measure qemu-classic", v[i].vcpus, v[i].name);
        measured(res.igvm, IGK_PLATFORM_SEV_SNP, IGK_LOADER_QEMU, hex);
        is_str(hex, v[i].qemu, "%u x %s: igk_measure qemu", v[i].vcpus, v[i].name);
        igk_pack_result_done(&res);
    }
}

/* ---- kernel hashes on snp_fw_kh.fd ---- */

static int map_data(const char *rel, struct igk_mapped_file *m)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/tests/data/%s", srcdir, rel);
    return igk_map_file(path, m, NULL);
}

/*
 * snp_kernel.bin is the sev-snp-measure fixture, not a bzImage, so igk_pack()
 * rightly refuses it; its golden digest is reproduced through igk_pack_build()
 * with the inputs loaded here (the layout does not look inside the kernel).
 */
static void test_snp_kernel_hashes(void)
{
    struct igk_mapped_file fw, kernel, initrd;
    struct igk_ovmf_info info;
    struct igk_spec s = base_spec("snp_fw_kh.fd", P(IGK_PLATFORM_SEV_SNP));
    static const uint8_t zero[4096];
    char hex[97];

    if (!ok(map_data("snp/snp_fw_kh.fd", &fw) == 0 && map_data("snp/snp_kernel.bin", &kernel) == 0 &&
                map_data("snp/snp_initrd.bin", &initrd) == 0,
            "kernel-hashes fixtures map"))
        return;
    is_int(igk_ovmf_parse(fw.data, fw.size, "snp_fw_kh.fd", &info, NULL), 0, "fixture parses");

    for (int with = 0; with < 2; with++) {
        struct igk_pack_ctx ctx = {.spec = &s, .fw_path = "snp_fw_kh.fd", .is_ovmf = true};
        struct igk_error err;

        ctx.igvm = igk_igvm_new(1, IGK_ARCH_X64);
        ctx.image = fw.data;
        ctx.image_size = fw.size;
        ctx.image_gpa = 0x100000000ull - fw.size;
        ctx.ovmf = info;
        ctx.zero_page = zero;
        if (with) {
            ctx.kernel = kernel.data;
            ctx.kernel_size = kernel.size;
            ctx.initrd = initrd.data;
            ctx.initrd_size = initrd.size;
            ctx.cmdline = "console=ttyS0 loglevel=7";
        }
        igk_error_clear(&err);
        is_int(igk_pack_build(&ctx, &err), 0, "build snp_fw_kh.fd %s", with ? "with kernel" : "alone");
        fold_snp(ctx.igvm, 0x1, true, hex);
        is_str(hex,
               with ? "3cfb2812fc9bfc111d7d7383eb0e5f6241e13122f3e0fa74b948f5f43e76a0f77b6317dc345f1e5241680bda7e08bd39"
                    : "455e67149fc7f7b71c19bb8e27cc1fbbbe5df51b94f53ee59f6b1d3c0f21ca0193179caa084100243e36d148c2f8de9d",
               "snp_fw_kh.fd %s: own fold = sev-snp-measure", with ? "+ kernel/initrd/cmdline" : "alone");
        measured(ctx.igvm, IGK_PLATFORM_SEV_SNP, IGK_LOADER_QEMU_CLASSIC, hex);
        is_str(hex,
               with ? "3cfb2812fc9bfc111d7d7383eb0e5f6241e13122f3e0fa74b948f5f43e76a0f77b6317dc345f1e5241680bda7e08bd39"
                    : "455e67149fc7f7b71c19bb8e27cc1fbbbe5df51b94f53ee59f6b1d3c0f21ca0193179caa084100243e36d148c2f8de9d",
               "snp_fw_kh.fd %s: igk_measure qemu-classic", with ? "+ kernel/initrd/cmdline" : "alone");
        igk_igvm_free(ctx.igvm);
    }
    igk_unmap_file(&fw);
    igk_unmap_file(&kernel);
    igk_unmap_file(&initrd);
}

/* ---- TDX MRTD ---- */

#define MRTD_SINGLE_PASS                                                                        \
    "4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb" \
    "231c47"
/* The two-pass order of QEMU 8.x TDX stacks (dstack-mr @312dc60, tests/data/REFERENCE.md). */
#define MRTD_TWO_PASS                                                                           \
    "acccbcc870a381adab0d3919d90a7f268ac3b0364771f202ed4bb4e892d045b33db3b32e6924cba830a724eed4" \
    "43f7e1"

static void test_tdx(void)
{
    struct igk_pack_result res;
    struct igk_error err;
    char hex[97];

    if (have_combined) {
        struct igk_spec s = base_spec(OVMF_COMBINED, P(IGK_PLATFORM_TDX));

        is_int(igk_pack(&s, &res, NULL), 0, "pack OVMF.fd for TDX");
        fold_mrtd(res.igvm, 0x4, hex);
        is_str(hex, MRTD_SINGLE_PASS, "OVMF.fd MRTD (own fold) = single pass");
        measured(res.igvm, IGK_PLATFORM_TDX, IGK_LOADER_QEMU, hex);
        is_str(hex, MRTD_SINGLE_PASS, "OVMF.fd MRTD (igk_measure) = single pass");
        measured(res.igvm, IGK_PLATFORM_TDX, IGK_LOADER_OPENVMM, hex);
        is_str(hex, MRTD_SINGLE_PASS, "OVMF.fd MRTD, openvmm profile = single pass");
        measured(res.igvm, IGK_PLATFORM_TDX, IGK_LOADER_QEMU8, hex);
        is_str(hex, MRTD_TWO_PASS, "OVMF.fd MRTD, qemu-8 profile = two pass (QEMU 8.x)");
        igk_pack_result_done(&res);
    } else {
        skip("OVMF.fd MRTD");
    }
    if (have_code && have_vars) {
        struct igk_spec s = base_spec(OVMF_CODE, P(IGK_PLATFORM_TDX));

        set_file(&s.vars, OVMF_VARS);
        is_int(igk_pack(&s, &res, NULL), 0, "pack OVMF_CODE.fd + vars OVMF_VARS.fd for TDX");
        fold_mrtd(res.igvm, 0x4, hex);
        is_str(hex, MRTD_SINGLE_PASS, "CODE + VARS MRTD (own fold) = single pass");
        measured(res.igvm, IGK_PLATFORM_TDX, IGK_LOADER_QEMU, hex);
        is_str(hex, MRTD_SINGLE_PASS, "CODE + VARS MRTD (igk_measure) = single pass");
        is_int(res.n_inputs, 2, "two inputs recorded");
        is_str(res.inputs[1].role, "vars", "second input is the vars");
        is_int(res.inputs[1].size, 131072, "vars size");
        igk_pack_result_done(&res);

        s = base_spec(OVMF_CODE, P(IGK_PLATFORM_TDX));
        igk_error_clear(&err);
        is_int(igk_pack(&s, &res, &err), IGK_E_INVALID, "OVMF_CODE.fd alone refused for TDX");
        is_str(err.message,
               "TDVF metadata section 0 (BFV) claims file offset 0x20000 size 0x1e0000, which "
               "ends past the end of the 1966080-byte firmware image; this is a split OVMF_CODE "
               "image written for VARS + CODE: add 'vars: OVMF_VARS.fd' to place the variable "
               "store in front",
               "split OVMF_CODE.fd: message");
        is_str(err.path, OVMF_CODE, "split OVMF_CODE.fd: path");
        is_int(err.offset, 1966080 - 0x840 + 16, "split OVMF_CODE.fd: offset of the BFV entry");
        ok(res.igvm == NULL, "no model on failure");
    } else {
        skip("OVMF_CODE.fd + OVMF_VARS.fd MRTD");
    }
}

/* ---- merge, determinism, read back ---- */

/* The directives of a model that apply to mask, as comparable text lines. */
static char *view(const struct igk_igvm *igvm, uint32_t mask)
{
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);

    out[0] = 0;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        uint8_t sha[32] = {0};
        char hex[65];
        uint32_t m;

        if (igk_header_section(h->type) != 3 || !igk_header_mask(h, &m) || !(m & mask))
            continue;
        if (h->data)
            igk_sha256(h->data, h->data_size, sha);
        igk_hex_encode(sha, 8, hex);
        if (len + 200 > cap)
            out = realloc(out, cap *= 2);
        len += (size_t)snprintf(
            out + len, cap - len, "%x %llx %x %x %u %s\n", h->type,
            (unsigned long long)(h->type == IGK_VHT_PAGE_DATA ? h->u.page_data.gpa
                                 : h->type == IGK_VHT_VP_CONTEXT ? h->u.vp_context.gpa
                                                                 : h->u.required_memory.gpa),
            h->type == IGK_VHT_PAGE_DATA ? h->u.page_data.flags : 0,
            h->type == IGK_VHT_PAGE_DATA ? h->u.page_data.data_type : 0,
            h->type == IGK_VHT_VP_CONTEXT ? h->u.vp_context.vp_index : 0, h->data ? hex : "-");
    }
    return out;
}

static void test_merge(void)
{
    const uint32_t all = P(IGK_PLATFORM_SEV_SNP) | P(IGK_PLATFORM_NATIVE) | P(IGK_PLATFORM_TDX);
    static const struct {
        enum igk_platform_type p;
        uint32_t mask;
        const char *name;
    } plat[] = {{IGK_PLATFORM_SEV_SNP, 0x1, "sev-snp"},
                {IGK_PLATFORM_NATIVE, 0x2, "native"},
                {IGK_PLATFORM_TDX, 0x4, "tdx"}};
    struct igk_spec s;
    struct igk_pack_result res, again, single;
    uint8_t *buf = NULL, *buf2 = NULL;
    size_t len = 0, len2 = 0, shared = 0;
    struct igk_igvm *back = NULL;
    struct igk_error err;
    char a[97], b[97];

    if (!have_combined) {
        skip("SNP + native + TDX merge on OVMF.fd");
        return;
    }
    s = base_spec(OVMF_COMBINED, all);
    s.vcpus = 2;
    igk_error_clear(&err);
    if (!is_int(igk_pack(&s, &res, &err), 0, "pack OVMF.fd for sev-snp + native + tdx")) {
        diag("%s", err.message);
        return;
    }
    /* Header order: platforms SNP, native, TDX; policies SNP, TDX. */
    ok(res.igvm->headers[0].u.platform.platform_type == IGK_PLATFORM_SEV_SNP &&
           res.igvm->headers[0].u.platform.compatibility_mask == 0x1 &&
           res.igvm->headers[1].u.platform.platform_type == IGK_PLATFORM_NATIVE &&
           res.igvm->headers[1].u.platform.compatibility_mask == 0x2 &&
           res.igvm->headers[2].u.platform.platform_type == IGK_PLATFORM_TDX &&
           res.igvm->headers[2].u.platform.compatibility_mask == 0x4,
       "platform headers SNP 0x1, native 0x2, TDX 0x4");
    ok(res.igvm->headers[3].type == IGK_VHT_GUEST_POLICY &&
           res.igvm->headers[3].u.guest_policy.policy == 0x30000 &&
           res.igvm->headers[3].u.guest_policy.compatibility_mask == 0x1 &&
           res.igvm->headers[4].type == IGK_VHT_GUEST_POLICY &&
           res.igvm->headers[4].u.guest_policy.compatibility_mask == 0x4,
       "guest policies SNP then TDX");

    for (size_t i = 0; i < IGK_ARRAY_SIZE(plat); i++) {
        struct igk_spec one = s;
        char *v1, *v2;

        one.platforms = P(plat[i].p);
        is_int(igk_pack(&one, &single, NULL), 0, "pack %s alone", plat[i].name);
        v1 = view(res.igvm, plat[i].mask);
        v2 = view(single.igvm, plat[i].mask);
        ok(strcmp(v1, v2) == 0, "%s view of the merged model equals its own layout",
           plat[i].name);
        free(v1);
        free(v2);
        if (plat[i].p != IGK_PLATFORM_NATIVE) {
            measured(res.igvm, plat[i].p, IGK_LOADER_QEMU, a);
            measured(single.igvm, plat[i].p, IGK_LOADER_QEMU, b);
            is_str(a, b, "%s digest unchanged by the merge", plat[i].name);
        }
        igk_pack_result_done(&single);
    }
    fold_mrtd(res.igvm, 0x4, a);
    is_str(a, MRTD_SINGLE_PASS, "merged model keeps the single-pass MRTD");
    for (size_t i = 0; i < res.igvm->n_headers; i++)
        if (res.igvm->headers[i].type == IGK_VHT_PAGE_DATA &&
            res.igvm->headers[i].u.page_data.compatibility_mask == 0x7)
            shared++;
    is_int(shared, 480, "the 480 BFV pages are one directive for all three platforms");

    /* Write + read back measures the same; packing twice gives the same bytes. */
    is_int(igk_igvm_write_buffer(res.igvm, &buf, &len, NULL), 0, "merged model serializes");
    is_int(igk_igvm_read_buffer(buf, len, NULL, &back, &err), 0, "and reads back");
    if (back) {
        for (size_t i = 0; i < 2; i++) {
            enum igk_loader l = i ? IGK_LOADER_QEMU_CLASSIC : IGK_LOADER_QEMU;

            measured(res.igvm, IGK_PLATFORM_SEV_SNP, l, a);
            measured(back, IGK_PLATFORM_SEV_SNP, l, b);
            is_str(b, a, "SNP %s digest after write + read back", igk_loader_name(l));
        }
        measured(res.igvm, IGK_PLATFORM_TDX, IGK_LOADER_QEMU, a);
        measured(back, IGK_PLATFORM_TDX, IGK_LOADER_QEMU, b);
        is_str(b, a, "TDX MRTD after write + read back");
    }
    is_int(igk_pack(&s, &again, NULL), 0, "pack again");
    is_int(igk_igvm_write_buffer(again.igvm, &buf2, &len2, NULL), 0, "serializes again");
    ok(len == len2 && memcmp(buf, buf2, len) == 0, "two packs are byte-identical (%zu bytes)",
       len);
    igk_igvm_free(back);
    free(buf);
    free(buf2);
    igk_pack_result_done(&again);
    igk_pack_result_done(&res);
}

/* ---- VMM flavours and raw firmware ---- */

static void test_flavours_and_raw(void)
{
    struct igk_pack_result res;
    struct igk_spec s;
    size_t unmeasured = 0, cpuid_last = 0, n_vmsa = 0;

    if (!have_code) {
        skip("VMM flavours on OVMF_CODE.fd");
        return;
    }
    s = base_spec(OVMF_CODE, P(IGK_PLATFORM_SEV_SNP));
    s.snp.vmm = IGK_SNP_VMM_GCE;
    is_int(igk_pack(&s, &res, NULL), 0, "pack for gce");
    for (size_t i = 0; i < res.igvm->n_headers; i++)
        if (res.igvm->headers[i].type == IGK_VHT_PAGE_DATA &&
            (res.igvm->headers[i].u.page_data.flags & IGK_PAGE_FLAG_UNMEASURED))
            unmeasured++;
    is_int(unmeasured, 29, "gce: the 29 SEC_MEM pages are unmeasured");
    igk_pack_result_done(&res);

    s.snp.vmm = IGK_SNP_VMM_EC2;
    is_int(igk_pack(&s, &res, NULL), 0, "pack for ec2");
    for (size_t i = 0; i < res.igvm->n_headers; i++) {
        const struct igk_header *h = &res.igvm->headers[i];

        if (h->type == IGK_VHT_PAGE_DATA && h->u.page_data.data_type == IGK_PAGE_DATA_CPUID_DATA)
            cpuid_last = i;
    }
    ok(res.igvm->headers[cpuid_last + 1].type == IGK_VHT_VP_CONTEXT,
       "ec2: the CPUID page is the last page, just before the VMSA");
    igk_pack_result_done(&res);

    /* Raw: the same bytes at 4 GiB - size, every vCPU at the reset vector. */
    s = base_spec(OVMF_CODE, P(IGK_PLATFORM_SEV_SNP) | P(IGK_PLATFORM_TDX) | P(IGK_PLATFORM_NATIVE));
    s.firmware_type = IGK_FIRMWARE_RAW;
    s.vcpus = 3;
    is_int(igk_pack(&s, &res, NULL), 0, "pack raw for all platforms");
    for (size_t i = 0; i < res.igvm->n_headers; i++) {
        const struct igk_header *h = &res.igvm->headers[i];

        if (h->type == IGK_VHT_VP_CONTEXT) {
            n_vmsa++;
            is_int(igk_le64(h->data + IGK_VMSA_RIP), 0xFFF0, "raw vCPU %u RIP", h->u.vp_context.vp_index);
            is_int(igk_le64(h->data + IGK_VMSA_CS + 8), 0xFFFF0000, "raw vCPU %u CS base",
                   h->u.vp_context.vp_index);
        }
    }
    is_int(n_vmsa, 3, "raw: one VMSA per vCPU");
    is_int(res.igvm->n_headers, 3 + 2 + 480 + 3, "raw: 480 shared pages + 3 VMSAs");
    ok(res.igvm->headers[5].u.page_data.compatibility_mask == 0x7 &&
           res.igvm->headers[5].u.page_data.gpa == 0xFFE20000,
       "raw: first page at 4 GiB - size, shared by all platforms");
    igk_pack_result_done(&res);
}

/* ---- TDVF sections laid out from metadata (synthetic) ---- */

static int tdvf_build(struct igk_tdvf_section *secs, size_t n, struct igk_igvm **ret_igvm,
                      struct igk_error *err)
{
    static uint8_t image[0x4000];
    static const uint8_t zero[4096];
    struct igk_spec s = base_spec("tdvf.fd", P(IGK_PLATFORM_TDX));
    struct igk_pack_ctx ctx = {.spec = &s, .fw_path = "tdvf.fd", .is_ovmf = true};
    int r;

    for (size_t i = 0; i < sizeof(image); i++)
        image[i] = (uint8_t)(i / 4096 + 1);
    ctx.igvm = igk_igvm_new(1, IGK_ARCH_X64);
    ctx.image = image;
    ctx.image_size = sizeof(image);
    ctx.image_gpa = 0x100000000ull - sizeof(image);
    ctx.zero_page = zero;
    ctx.ovmf.has_tdvf = true;
    ctx.ovmf.n_tdvf = n;
    for (size_t i = 0; i < n; i++) {
        ctx.ovmf.tdvf[i] = secs[i];
        ctx.ovmf.tdvf[i].file_offset = 0x100 + 32 * i;
    }
    igk_error_clear(err);
    r = igk_pack_build(&ctx, err);
    if (ret_igvm)
        *ret_igvm = ctx.igvm;
    else
        igk_igvm_free(ctx.igvm);
    return r;
}

static void tdvf_refuse(struct igk_tdvf_section *secs, size_t n, const char *message,
                        const char *name)
{
    struct igk_error err;

    is_int(tdvf_build(secs, n, NULL, &err), IGK_E_INVALID, "%s: refused", name);
    is_str(err.message, message, "%s: message", name);
    is_str(err.path, "tdvf.fd", "%s: path", name);
}

static void test_tdvf_sections(void)
{
    struct igk_tdvf_section secs[4] = {
        /* data_offset, raw, gpa, memory, type, attributes */
        {0, 0x4000, 0xFFFFC000, 0x4000, IGK_TDVF_BFV, IGK_TDVF_ATTR_MR_EXTEND, 0},
        {0x1000, 0x1800, 0x900000, 0x3000, IGK_TDVF_CFV, 0, 0},
        {0, 0, 0x800000, 0x2000, IGK_TDVF_TEMP_MEM, 0, 0},
        {0, 0, 0x100000000ull, 0x100000000ull, IGK_TDVF_PERM_MEM, IGK_TDVF_ATTR_PAGE_AUG, 0},
    };
    struct igk_tdvf_section bad[2];
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    const struct igk_header *h;

    is_int(tdvf_build(secs, 4, &igvm, &err), 0, "synthetic TDVF layout builds");
    /* 2 init headers, then BFV 4, CFV 3, TempMem 2 pages, 2 REQUIRED_MEMORY. */
    is_int(igvm->n_headers, 2 + 4 + 3 + 2 + 2, "one directive per page, two memory ranges");
    h = &igvm->headers[2];
    ok(h->u.page_data.gpa == 0xFFFFC000 && h->u.page_data.flags == 0 && h->data &&
           h->data[0] == 1 && h[3].data[4095] == 4,
       "BFV pages measured with the image bytes, in order");
    h = &igvm->headers[6];
    ok(h->u.page_data.gpa == 0x900000 && h->u.page_data.flags == IGK_PAGE_FLAG_UNMEASURED &&
           h->data && h->data[0] == 2,
       "CFV page 0: unmeasured, image bytes from its data offset");
    ok(h[1].data && h[1].data[0] == 3 && h[1].data[0x7FF] == 3 && h[1].data[0x800] == 0,
       "CFV page 1: the partial raw page is zero-filled");
    ok(h[2].data == NULL && h[2].u.page_data.flags == IGK_PAGE_FLAG_UNMEASURED,
       "CFV page 2: past the raw data, data-less and unmeasured");
    h = &igvm->headers[9];
    ok(h->data == NULL && h->u.page_data.gpa == 0x800000 &&
           h->u.page_data.flags == IGK_PAGE_FLAG_UNMEASURED,
       "TempMem: data-less unmeasured pages");
    h = &igvm->headers[11];
    ok(h->type == IGK_VHT_REQUIRED_MEMORY && h->u.required_memory.gpa == 0x100000000ull &&
           h->u.required_memory.number_of_bytes == 0x80000000u &&
           h[1].u.required_memory.gpa == 0x180000000ull &&
           h[1].u.required_memory.compatibility_mask == 0x4,
       "PAGE.AUG PermMem: REQUIRED_MEMORY in 2 GiB pieces");
    igk_igvm_free(igvm);

    memcpy(bad, secs, sizeof(bad));
    bad[1].raw_size = 0x4000;
    tdvf_refuse(bad, 2, "TDVF metadata section 1 (CFV): raw data size exceeds the memory size",
                "raw > memory");
    memcpy(bad, secs, sizeof(bad));
    bad[1].gpa = 0x900800;
    tdvf_refuse(bad, 2,
                "TDVF metadata section 1 (CFV): memory address and size must be 4 KiB aligned "
                "and non-zero",
                "unaligned gpa");
    memcpy(bad, secs, sizeof(bad));
    bad[1].attributes = 3;
    tdvf_refuse(bad, 2, "TDVF metadata section 1 (CFV): MR.EXTEND and PAGE.AUG exclude each other",
                "MR.EXTEND + PAGE.AUG");
    bad[1].attributes = 4;
    tdvf_refuse(bad, 2, "TDVF metadata section 1 (CFV): reserved attribute bits are set",
                "reserved attribute");
    bad[1].attributes = 0;
    bad[1].type = 9;
    tdvf_refuse(bad, 2, "TDVF metadata section 1 (unknown): unknown section type",
                "unknown type");
    memcpy(bad, secs, sizeof(bad));
    bad[1].memory_size = 0x100001000ull;
    bad[1].raw_size = 0;
    tdvf_refuse(bad, 2,
                "TDVF metadata section 1 (CFV): memory size exceeds the 4 GiB a section may add",
                "huge added section");
    memcpy(bad, secs, sizeof(bad));
    bad[1].gpa = 0xFFFFFFFFFFFFF000ull;
    tdvf_refuse(bad, 2,
                "TDVF metadata section 1 (CFV): memory range runs past the 52-bit physical space",
                "range wrapping past 2^64");
    memcpy(bad, secs, sizeof(bad));
    bad[1].data_offset = 0xFFFFF000u;
    tdvf_refuse(bad, 2,
                "TDVF metadata section 1 (CFV) claims file offset 0xfffff000 size 0x1800, which "
                "ends past the end of the 16384-byte firmware image; this is a split OVMF_CODE "
                "image written for VARS + CODE: add 'vars: OVMF_VARS.fd' to place the variable "
                "store in front",
                "data offset past the end");
    memcpy(bad, secs, sizeof(bad));
    bad[1] = secs[2];
    bad[1].gpa = 0xFFFFD000;
    tdvf_refuse(bad, 2, "TDVF metadata: sections overlap at GPA 0xffffd000 (TDX adds a page once)",
                "overlapping sections");
}

/* ---- SEV-SNP ID block through the sign module ---- */

static void test_id_block(void)
{
    char fw[4096], key[600];
    struct igk_spec s;
    struct igk_pack_result res;
    struct igk_measure_options o = {.loader = IGK_LOADER_QEMU};
    struct igk_measurement m;
    struct igk_error err;
    const struct igk_header *last;
    EVP_PKEY *pkey = EVP_EC_gen("P-384");
    FILE *f;

    snprintf(key, sizeof(key), "%s/id.pem", tmpdir);
    f = fopen(key, "w");
    if (!ok(pkey && f && PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1,
            "P-384 id key written")) {
        if (f)
            fclose(f);
        EVP_PKEY_free(pkey);
        return;
    }
    fclose(f);
    EVP_PKEY_free(pkey);
    snprintf(fw, sizeof(fw), "%s/tests/data/snp/snp_fw_kh.fd", srcdir);
    s = base_spec(fw, P(IGK_PLATFORM_SEV_SNP) | P(IGK_PLATFORM_NATIVE));
    s.snp.id_block.present = true;
    set_file(&s.snp.id_block.id_key, key);
    s.snp.id_block.version = 1;
    s.snp.id_block.svn = 7;
    igk_error_clear(&err);
    if (!is_int(igk_pack(&s, &res, &err), 0, "pack with an id-block")) {
        diag("%s", err.message);
        return;
    }
    last = &res.igvm->headers[res.igvm->n_headers - 1];
    ok(last->type == IGK_VHT_SNP_ID_BLOCK && last->u.snp_id_block->compatibility_mask == 0x1,
       "the ID block is the last directive, SNP mask only");
    is_int(last->u.snp_id_block->guest_svn, 7, "ID block carries the descriptor's svn");
    is_int(igk_measure(res.igvm, IGK_PLATFORM_SEV_SNP, &o, &m, NULL), 0, "measure the signed model");
    is_int(m.idblock, IGK_IDBLOCK_OK, "ID block LD and signature check out");
    is_int(res.n_inputs, 1, "key files are not recorded as inputs");
    igk_pack_result_done(&res);
}

/* ---- refusals ---- */

static char *write_tmp(const char *name, const void *data, size_t len)
{
    static char path[8][512];
    static int slot;
    char *p = path[slot++ % 8];
    FILE *f;

    snprintf(p, 512, "%s/%s", tmpdir, name);
    f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

static void expect(struct igk_spec *s, int code, const char *path, const char *message,
                   const char *name)
{
    struct igk_pack_result res;
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_pack(s, &res, &err), code, "%s: refused", name);
    is_str(err.message, message, "%s: message", name);
    if (path)
        is_str(err.path, path, "%s: path", name);
    ok(res.igvm == NULL && res.n_inputs == 0, "%s: no result", name);
}

static void put_footer_entry(uint8_t *img, size_t size, size_t *top, const uint8_t guid[16],
                             uint32_t value)
{
    *top -= 22;
    igk_put_le32(img + *top, value);
    igk_put_le16(img + *top + 4, 22);
    memcpy(img + *top + 6, guid, 16);
    (void)size;
}

static void test_refusals(void)
{
    static const uint8_t g_footer[16] =
        IGK_EFI_GUID(0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
    static const uint8_t g_reset[16] =
        IGK_EFI_GUID(0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e);
    enum { SZ = 0x4000 };
    static uint8_t img[SZ], kernel[0x1000], notkernel[0x1000];
    char longline[5000];
    size_t top = SZ - 50;
    struct igk_spec s;
    char *fw, *plain, *kpath, *npath, msg[512];

    /* A firmware with a footer table holding only a reset block. */
    memcpy(img + SZ - 48, g_footer, 16);
    put_footer_entry(img, SZ, &top, g_reset, 0x80B004);
    igk_put_le16(img + SZ - 50, (uint16_t)(SZ - 50 - top + 18));
    fw = write_tmp("reset-only.fd", img, SZ);
    memset(img, 0, SZ);
    plain = write_tmp("plain.fd", img, SZ);

    s = base_spec(fw, P(IGK_PLATFORM_SEV_SNP));
    expect(&s, IGK_E_INVALID, fw,
           "SEV-SNP needs SEV metadata (GUID dc886566-984a-4798-a75e-5585a7bf67cc) in the OVMF "
           "footer table; this firmware has none",
           "SNP without SEV metadata");
    s = base_spec(fw, P(IGK_PLATFORM_TDX));
    expect(&s, IGK_E_INVALID, fw,
           "TDX needs TDVF metadata (GUID e47a6535-984a-4798-865e-4685a7bf8ec2) in the OVMF "
           "footer table; this firmware has none",
           "TDX without TDVF metadata");
    s = base_spec(plain, P(IGK_PLATFORM_NATIVE));
    expect(&s, IGK_E_INVALID, plain,
           "no OVMF footer table (GUID 96b582de-1fb2-45f7-baea-a366c55a082d expected 32 bytes "
           "before the end of the image)",
           "ovmf without footer table");

    /* Kernels: a minimal bzImage header with a 16-byte command-line limit. */
    memcpy(kernel + 0x202, "HdrS", 4);
    igk_put_le16(kernel + 0x206, 0x20F);
    igk_put_le32(kernel + 0x238, 16);
    kpath = write_tmp("bzImage", kernel, sizeof(kernel));
    npath = write_tmp("vmlinux", notkernel, sizeof(notkernel));

    s = base_spec(plain, P(IGK_PLATFORM_NATIVE));
    s.firmware_type = IGK_FIRMWARE_RAW;
    set_file(&s.kernel, npath);
    expect(&s, IGK_E_INVALID, npath,
           "not an x86 bzImage (no \"HdrS\" setup header magic at offset 0x202)",
           "kernel that is not a bzImage");
    set_file(&s.kernel, kpath);
    s.has_cmdline = true;
    s.cmdline = "console=ttyS0 loglevel=7";
    expect(&s, IGK_E_INVALID, kpath,
           "command line is 24 bytes; the kernel accepts at most 16 (cmdline_size in its setup "
           "header)",
           "command line longer than the kernel accepts");
    igk_put_le32(kernel + 0x238, 0x10000);
    kpath = write_tmp("bzImage-big", kernel, sizeof(kernel));
    set_file(&s.kernel, kpath);
    memset(longline, 'a', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = 0;
    s.cmdline = longline;
    expect(&s, IGK_E_INVALID, NULL,
           "command line is 4999 bytes; the firmware path accepts at most 4095",
           "command line longer than the firmware accepts");
    s.kernel.present = false;
    s.cmdline = "quiet";
    expect(&s, IGK_E_INVALID, NULL,
           "initrd and cmdline need a kernel: the firmware loads them only together with one",
           "cmdline without kernel");

    if (have_code) {
        s = base_spec(OVMF_CODE, P(IGK_PLATFORM_SEV_SNP));
        set_file(&s.kernel, kpath);
        expect(&s, IGK_E_INVALID, OVMF_CODE,
               "kernel specified but the OVMF metadata of " OVMF_CODE " has no "
               "SNP_KERNEL_HASHES section, so SEV-SNP cannot measure it; use a firmware with "
               "the kernel-hashes table (edk2 OvmfPkg/AmdSev/AmdSevX64.dsc), firmware: {type: "
               "none} for direct boot, or drop sev-snp from platforms",
               "kernel with a firmware without SNP_KERNEL_HASHES");
        /* From a descriptor: the error points at its kernel key. */
        {
            struct igk_pack_result res;
            struct igk_error err;

            s.descriptor_path = (char *)"guest.yaml";
            s.kernel.mark = (struct igk_spec_mark){5, 9};
            igk_error_clear(&err);
            is_int(igk_pack(&s, &res, &err), IGK_E_INVALID, "kernel refusal from a descriptor");
            ok(!strcmp(err.path, "guest.yaml") && err.line == 5 && err.column == 9,
               "kernel refusal names guest.yaml:5:9 (got %s:%u:%u)", err.path, err.line,
               err.column);
        }
    } else {
        skip("kernel with OVMF_CODE.fd");
    }

    /* Raw blobs. */
    s = base_spec(plain, P(IGK_PLATFORM_NATIVE));
    s.firmware_type = IGK_FIRMWARE_RAW;
    s.has_firmware_gpa = true;
    s.firmware_gpa = 0xFFFFE000;
    snprintf(msg, sizeof(msg),
             "firmware at gpa 0xffffe000 (%d bytes) does not fit below 4 GiB", SZ);
    expect(&s, IGK_E_INVALID, plain, msg, "raw blob past 4 GiB");
    s.firmware_gpa = 0xFFFF0800;
    expect(&s, IGK_E_INVALID, plain, "firmware gpa 0xffff0800 is not 4 KiB aligned",
           "raw blob at an unaligned gpa");
    s.firmware_gpa = 0x100000;
    s.platforms = P(IGK_PLATFORM_TDX);
    snprintf(msg, sizeof(msg),
             "firmware at gpa 0x100000 (%d bytes) does not cover the reset vector page "
             "0xfffff000 that SEV-SNP and TDX vCPUs start in",
             SZ);
    expect(&s, IGK_E_INVALID, plain, msg, "raw blob for TDX without the reset page");
    s.has_firmware_gpa = false;
    set_file(&s.firmware, write_tmp("odd.fd", img, 5000));
    expect(&s, IGK_E_INVALID, s.firmware.path,
           "firmware image is 5000 bytes, not a multiple of 4 KiB", "raw blob of 5000 bytes");
    set_file(&s.firmware, "/nonexistent/fw.fd");
    {
        struct igk_pack_result res;
        struct igk_error err;

        igk_error_clear(&err);
        is_int(igk_pack(&s, &res, &err), IGK_E_IO, "missing firmware: I/O error");
        is_str(err.path, "/nonexistent/fw.fd", "missing firmware: path");
        ok(strncmp(err.message, "firmware: ", 10) == 0, "missing firmware: role prefix (%s)",
           err.message);
    }
}

int main(void)
{
    const char *top = getenv("top_srcdir");

    snprintf(srcdir, sizeof(srcdir), "%s", top ? top : ".");
    snprintf(tmpdir, sizeof(tmpdir), "%s/test-pack.XXXXXX", getenv("TMPDIR") ?: "/tmp");
    if (!mkdtemp(tmpdir))
        return 99;
    have_code = reference(OVMF_CODE,
                          "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106");
    have_vars = reference(OVMF_VARS,
                          "6ed987af3a3c155be71665f510eae3e007eda9b8b94afd59d45e91c4a11565cc");
    have_combined = reference(OVMF_COMBINED,
                              "7b456907dd0786d415999e801a1ac4637b8ed4d7cf5378cfc6edbe5e574dd773");

    test_snp_ovmf_code();
    test_snp_kernel_hashes();
    test_tdx();
    test_merge();
    test_flavours_and_raw();
    test_tdvf_sections();
    test_id_block();
    test_refusals();

    {
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            diag("could not remove %s", tmpdir);
    }
    return tap_done();
}
