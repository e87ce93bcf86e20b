/* SPDX-License-Identifier: MIT */
/* in-toto Statement v1 + SLSA provenance v1 for a packed image: see provenance.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file-input.h"
#include "json.h"
#include "provenance.h"
#include "spec-private.h"
#include "util.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static void json_file(struct igk_json *j, const char *key, const struct igk_spec_file *file)
{
    if (!file->present)
        return;
    igk_json_key(j, key);
    igk_json_string(j, file->path);
}

static void json_uuid(struct igk_json *j, const char *key, const uint8_t id[16])
{
    char text[37];

    snprintf(text, sizeof(text),
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", id[0],
             id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12],
             id[13], id[14], id[15]);
    igk_json_key(j, key);
    igk_json_string(j, text);
}

/*
 * Platform settings in the order the packer writes the platform headers
 * (SEV-SNP, native, TDX); policies, features and signatures as 0x-hex
 * strings (64-bit values do not survive JSON numbers in every reader).
 */
static void json_platforms(struct igk_json *j, const struct igk_spec *spec)
{
    const struct igk_spec_snp *snp = &spec->snp;

    igk_json_key(j, "platforms");
    igk_json_begin_object(j);
    if (spec->platforms & (1u << IGK_PLATFORM_SEV_SNP)) {
        igk_json_key(j, "sev-snp");
        igk_json_begin_object(j);
        igk_json_key(j, "policy");
        igk_json_hex_u64(j, snp->policy);
        if (snp->vcpu_type) {
            igk_json_key(j, "vcpu-type");
            igk_json_string(j, snp->vcpu_type);
        }
        igk_json_key(j, "vcpu-sig");
        igk_json_hex_u64(j, snp->vcpu_sig);
        igk_json_key(j, "vmm");
        igk_json_string(j, igk_snp_vmm_to_string(snp->vmm));
        igk_json_key(j, "guest-features");
        igk_json_hex_u64(j, snp->guest_features);
        if (snp->has_prevalidate) {
            igk_json_key(j, "prevalidate");
            igk_json_uint(j, snp->prevalidate);
        }
        if (snp->id_block.present) {
            const struct igk_spec_id_block *id = &snp->id_block;
            static const uint8_t zero[16];

            igk_json_key(j, "id-block");
            igk_json_begin_object(j);
            /* Keys are secrets: igvmkit-descriptor(5) promises their paths are not listed. */
            json_uuid(j, "family-id", id->has_family_id ? id->family_id : zero);
            json_uuid(j, "image-id", id->has_image_id ? id->image_id : zero);
            igk_json_key(j, "version");
            igk_json_uint(j, id->version);
            igk_json_key(j, "svn");
            igk_json_uint(j, id->svn);
            igk_json_end_object(j);
        }
        igk_json_end_object(j);
    }
    if (spec->platforms & (1u << IGK_PLATFORM_NATIVE)) {
        igk_json_key(j, "native");
        igk_json_begin_object(j);
        igk_json_end_object(j);
    }
    if (spec->platforms & (1u << IGK_PLATFORM_TDX)) {
        igk_json_key(j, "tdx");
        igk_json_begin_object(j);
        igk_json_key(j, "policy");
        igk_json_hex_u64(j, spec->tdx.policy);
        igk_json_end_object(j);
    }
    igk_json_end_object(j);
}

void igk_provenance_descriptor(struct igk_json *j, const struct igk_spec *spec)
{
    igk_json_begin_object(j);
    igk_json_key(j, "version");
    igk_json_uint(j, spec->version);
    igk_json_key(j, "firmware");
    igk_json_begin_object(j);
    igk_json_key(j, "type");
    igk_json_string(j, igk_firmware_type_to_string(spec->firmware_type));
    json_file(j, "path", &spec->firmware);
    json_file(j, "vars", &spec->vars);
    if (spec->has_firmware_gpa) {
        igk_json_key(j, "gpa");
        igk_json_hex_u64(j, spec->firmware_gpa);
    }
    igk_json_end_object(j);
    json_file(j, "kernel", &spec->kernel);
    json_file(j, "initrd", &spec->initrd);
    if (spec->has_cmdline) {
        igk_json_key(j, "cmdline");
        igk_json_string(j, spec->cmdline);
    }
    igk_json_key(j, "vcpus");
    igk_json_uint(j, spec->vcpus);
    igk_json_key(j, "memory");
    igk_json_uint(j, spec->memory);
    json_platforms(j, spec);
    igk_json_end_object(j);
}

static void json_dependency(struct igk_json *j, const char *role, const char *path,
                            const uint8_t sha256[32])
{
    igk_json_begin_object(j);
    igk_json_key(j, "name");
    igk_json_string(j, path);
    igk_json_key(j, "digest");
    igk_json_begin_object(j);
    igk_json_key(j, "sha256");
    igk_json_hex(j, sha256, IGK_SHA256_LEN);
    igk_json_end_object(j);
    igk_json_key(j, "annotations");
    igk_json_begin_object(j);
    igk_json_key(j, "role");
    igk_json_string(j, role);
    igk_json_end_object(j);
    igk_json_end_object(j);
}

/* Signing keys are secrets: their bytes (and digests of them) stay out of the statement. */
static bool is_secret_role(const char *role)
{
    size_t n = strlen(role);

    return n >= 3 && !strcmp(role + n - 3, "key");
}

static int json_dependencies(struct igk_json *j, const struct igk_spec *spec,
                             const struct igk_pack_result *result, struct igk_error *err)
{
    const struct {
        const char *role;
        const struct igk_spec_file *file;
        enum igk_limit_id limit;
    } files[] = {{"firmware", &spec->firmware, IGK_LIMIT_FIRMWARE_SIZE},
                 {"vars", &spec->vars, IGK_LIMIT_FIRMWARE_SIZE},
                 {"kernel", &spec->kernel, IGK_LIMIT_KERNEL_SIZE},
                 {"initrd", &spec->initrd, IGK_LIMIT_INITRD_SIZE}};
    int r = 0;

    igk_json_key(j, "resolvedDependencies");
    igk_json_begin_array(j);
    if (result && result->n_inputs) {
        for (size_t i = 0; i < result->n_inputs; i++)
            if (!is_secret_role(result->inputs[i].role))
                json_dependency(j, result->inputs[i].role, result->inputs[i].path,
                                result->inputs[i].sha256);
    } else {
        for (size_t i = 0; i < IGK_ARRAY_SIZE(files) && r == 0; i++) {
            uint8_t digest[IGK_SHA256_LEN];

            if (!files[i].file->present)
                continue;
            r = igk_sha256_file(files[i].file->open_path, files[i].limit, files[i].role, digest,
                                err);
            if (r == 0)
                json_dependency(j, files[i].role, files[i].file->path, digest);
        }
    }
    igk_json_end_array(j);
    return r;
}

int igk_provenance_build(const struct igk_spec *spec, const struct igk_pack_result *result,
                         const char *subject_name, const uint8_t *image, size_t image_len,
                         char **ret_json, size_t *ret_len, struct igk_error *err)
{
    uint8_t sha256[IGK_SHA256_LEN], sha384[IGK_SHA384_LEN];

    if (!image)
        return igk_error_set(err, IGK_E_USAGE, "igk_provenance_build: NULL argument");
    if (igk_sha256(image, image_len, sha256) < 0 || igk_sha384(image, image_len, sha384) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "hashing the image failed");
    return igk_provenance_build_digests(spec, result, subject_name, sha256, sha384, ret_json,
                                        ret_len, err);
}

int igk_provenance_build_digests(const struct igk_spec *spec,
                                 const struct igk_pack_result *result, const char *subject_name,
                                 const uint8_t sha256[32],
                                 const uint8_t sha384[48], char **ret_json,
                                 size_t *ret_len, struct igk_error *err)
{
    struct igk_json j;
    int r;

    if (!spec || !subject_name || !ret_json || !ret_len)
        return igk_error_set(err, IGK_E_USAGE, "igk_provenance_build: NULL argument");

    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "_type");
    igk_json_string(&j, IGK_INTOTO_STATEMENT_TYPE);
    igk_json_key(&j, "subject");
    igk_json_begin_array(&j);
    igk_json_begin_object(&j);
    igk_json_key(&j, "name");
    igk_json_string(&j, base_name(subject_name));
    igk_json_key(&j, "digest");
    igk_json_begin_object(&j);
    igk_json_key(&j, "sha256");
    igk_json_hex(&j, sha256, 32);
    igk_json_key(&j, "sha384");
    igk_json_hex(&j, sha384, 48);
    igk_json_end_object(&j);
    igk_json_end_object(&j);
    igk_json_end_array(&j);
    igk_json_key(&j, "predicateType");
    igk_json_string(&j, IGK_SLSA_PROVENANCE_TYPE);

    igk_json_key(&j, "predicate");
    igk_json_begin_object(&j);
    igk_json_key(&j, "buildDefinition");
    igk_json_begin_object(&j);
    igk_json_key(&j, "buildType");
    igk_json_string(&j, IGK_PACK_BUILD_TYPE);
    igk_json_key(&j, "externalParameters");
    igk_json_begin_object(&j);
    igk_json_key(&j, "descriptor");
    igk_json_string(&j, base_name(spec->descriptor_path));
    igk_json_key(&j, "spec");
    igk_provenance_descriptor(&j, spec);
    igk_json_end_object(&j);
    r = json_dependencies(&j, spec, result, err);
    igk_json_end_object(&j);
    igk_json_key(&j, "runDetails");
    igk_json_begin_object(&j);
    igk_json_key(&j, "builder");
    igk_json_begin_object(&j);
    igk_json_key(&j, "id");
    igk_json_string(&j, IGK_BUILDER_ID);
    igk_json_key(&j, "version");
    igk_json_begin_object(&j);
    igk_json_key(&j, "igvmkit");
    igk_json_string(&j, PACKAGE_VERSION);
    igk_json_end_object(&j);
    igk_json_end_object(&j);
    igk_json_end_object(&j);
    igk_json_end_object(&j);
    igk_json_end_object(&j);

    if (r < 0) {
        igk_json_discard(&j);
        return r;
    }
    if (igk_json_finish(&j, ret_json, ret_len) < 0)
        return igk_error_set(err, IGK_E_INTERNAL, "building the provenance JSON failed");
    return 0;
}
