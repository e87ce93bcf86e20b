/* SPDX-License-Identifier: MIT */
/* Model loading for the verbs: see load-model.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/pack.h>

#include "file-input.h"
#include "load-model.h"
#include "util.h"

bool cli_is_descriptor(const char *path)
{
    size_t n = strlen(path);

    return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

int cli_pack_descriptor(const char *path, unsigned pack_flags, struct igk_spec **ret_spec,
                        struct igk_pack_result *ret_result, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    int r;

    r = igk_spec_load(path, &spec, err);
    if (r < 0)
        return r;
    r = igk_pack_ex(spec, pack_flags, ret_result, err);
    if (r < 0) {
        /* Packer errors name the input file; fall back to the descriptor. */
        if (!err->path[0])
            igk_error_set_path(err, path);
        igk_spec_free(spec);
        return r;
    }
    *ret_spec = spec;
    return 0;
}

int cli_load_model(const char *path, unsigned flags, struct igk_igvm **ret_igvm,
                   struct igk_error *err)
{
    int r;

    if ((flags & CLI_LOAD_DESCRIPTOR) && cli_is_descriptor(path)) {
        struct igk_pack_result result;
        struct igk_spec *spec = NULL;
        /* The model is only measured or inspected: no provenance digests;
         * lean when the caller only walks it with the cursor. */
        unsigned pack_flags = IGK_PACK_NO_INPUT_DIGESTS;

        if (flags & CLI_LOAD_PACK_LEAN)
            pack_flags |= IGK_PACK_LEAN;
        r = cli_pack_descriptor(path, pack_flags, &spec, &result, err);
        if (r < 0)
            return r;
        /* The result owns the model: take it over before releasing the rest. */
        *ret_igvm = result.igvm;
        result.igvm = NULL;
        igk_pack_result_done(&result);
        igk_spec_free(spec);
        return 0;
    }
    if (flags & CLI_LOAD_LEAN)
        r = igk_igvm_read_file_lean(path, NULL, ret_igvm, err);
    else
        r = igk_igvm_read_file(path, NULL, ret_igvm, err);
    if (r < 0)
        igk_error_set_path(err, path);
    return r;
}

int cli_load_model_as_file(const char *path, struct igk_igvm **ret_igvm, uint8_t **ret_buf,
                           struct igk_error *err)
{
    struct igk_igvm *packed = NULL;
    size_t len = 0;
    int r;

    *ret_buf = NULL;
    if (!cli_is_descriptor(path))
        return cli_load_model(path, 0, ret_igvm, err);
    if ((r = cli_load_model(path, CLI_LOAD_DESCRIPTOR, &packed, err)) < 0)
        return r;
    r = igk_igvm_write_buffer(packed, ret_buf, &len, err);
    igk_igvm_free(packed);
    if (r >= 0)
        r = igk_igvm_read_buffer(*ret_buf, len, NULL, ret_igvm, err);
    if (r < 0) {
        free(*ret_buf);
        *ret_buf = NULL;
        igk_error_set_path(err, path);
    }
    return r;
}

int cli_predict_descriptor_rtmr(const char *path, struct igk_rtmr_prediction *ret,
                                bool *ret_have, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    /* The kernel mapped (small); the initrd read in pieces with pread, not
     * through a mapping: no page faults, bounded memory, and a file that
     * shrinks meanwhile is an I/O error rather than SIGBUS. */
    struct igk_mapped_file kernel = {.fd = -1};
    uint64_t initrd_size = 0;
    int initrd_fd = -1;
    int r;

    *ret_have = false;
    r = igk_spec_load(path, &spec, err);
    if (r < 0)
        return r;
    /* TDVF measures kernel, initrd and command line at run time (docs/measure-tdx.md section 5). */
    if (!(spec->platforms & (1u << IGK_PLATFORM_TDX)) || spec->firmware_type != IGK_FIRMWARE_OVMF ||
        !spec->kernel.present)
        goto out;
    r = igk_map_file_limit(spec->kernel.open_path, IGK_LIMIT_KERNEL_SIZE, "kernel", &kernel, err);
    if (r >= 0 && spec->initrd.present) {
        r = igk_input_open(spec->initrd.open_path, IGK_LIMIT_INITRD_SIZE, "initrd", &initrd_size,
                           err);
        initrd_fd = r >= 0 ? r : -1;
    }
    if (r >= 0) {
        r = igk_tdx_predict_rtmr_fd(kernel.data, kernel.size, initrd_fd, initrd_size,
                                    spec->initrd.open_path,
                                    spec->has_cmdline ? spec->cmdline : NULL, spec->memory, ret,
                                    err);
        if (r < 0 && !err->path[0]) /* a failed initrd read names the initrd */
            igk_error_set_path(err, spec->kernel.open_path);
        else
            *ret_have = true;
    }
out:
    igk_unmap_file(&kernel);
    if (initrd_fd >= 0)
        close(initrd_fd);
    igk_spec_free(spec);
    return r < 0 ? r : 0;
}

int cli_descriptor_snp_seed(const char *path, uint8_t seed[48],
                            struct igk_measure_options *options, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    int r;

    if (!cli_is_descriptor(path))
        return 0;
    if ((r = igk_spec_load(path, &spec, err)) < 0)
        return r;
    if (spec->has_firmware_digest) {
        memcpy(seed, spec->firmware_digest, 48);
        options->snp_seed = seed;
    }
    igk_spec_free(spec);
    return 0;
}

/* The running SEV-SNP digest after step want (firmware_digest below). */
struct firmware_steps {
    unsigned long want;
    bool seen;
    uint8_t digest[48];
};

static int on_firmware_step(const struct igk_measure_step *step, void *user,
                            struct igk_error *err)
{
    struct firmware_steps *s = user;

    (void)err;
    if (step->step == s->want) {
        memcpy(s->digest, step->running, sizeof(s->digest));
        s->seen = true;
    }
    return 0;
}

int cli_spec_firmware_digest(struct igk_spec *spec, uint8_t out[48], bool *ret_have,
                             struct igk_error *err)
{
    const struct igk_measure_options options = {.loader = IGK_LOADER_QEMU_CLASSIC};
    struct igk_pack_result result = {0};
    struct firmware_steps steps = {0};
    struct igk_measurement m;
    uint64_t image = 0;
    int r;

    *ret_have = false;
    if (!(spec->platforms & (1u << IGK_PLATFORM_SEV_SNP)) ||
        spec->firmware_type != IGK_FIRMWARE_OVMF || spec->has_firmware_digest)
        return 0;
    /*
     * The firmware pages alone, as sev-snp-measure --mode snp:ovmf-hash hashes
     * them: the image (vars || code) as a raw blob for SEV-SNP, nothing else;
     * the digest after its last page is the firmware digest.  OVMF ends at
     * 4 GiB and comes first with an SVSM too (packer/pack-svsm.c), so the
     * SVSM is left out like the kernel.
     */
    spec->firmware_type = IGK_FIRMWARE_RAW;
    spec->platforms = 1u << IGK_PLATFORM_SEV_SNP;
    spec->kernel.present = spec->initrd.present = spec->has_cmdline = false;
    spec->snp.id_block.present = false;
    spec->snp.svsm.present = false;
    spec->vcpus = 1;
    r = igk_pack(spec, &result, err);
    for (size_t i = 0; r >= 0 && i < result.n_inputs; i++)
        if (!strcmp(result.inputs[i].role, "firmware") || !strcmp(result.inputs[i].role, "vars"))
            image += result.inputs[i].size;
    steps.want = (unsigned long)(image / IGK_PAGE_SIZE);
    if (r >= 0)
        r = igk_measure_trace(result.igvm, IGK_PLATFORM_SEV_SNP, &options, on_firmware_step,
                              &steps, &m, err);
    if (r >= 0 && steps.seen) {
        memcpy(out, steps.digest, 48);
        *ret_have = true;
    }
    igk_pack_result_done(&result);
    return r < 0 ? r : 0;
}

int cli_descriptor_firmware_digest(const char *path, uint8_t out[48], bool *ret_have,
                                   struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    int r;

    *ret_have = false;
    if (!cli_is_descriptor(path))
        return 0;
    if ((r = igk_spec_load(path, &spec, err)) < 0)
        return r;
    r = cli_spec_firmware_digest(spec, out, ret_have, err);
    igk_spec_free(spec);
    return r;
}
