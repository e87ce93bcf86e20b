/* SPDX-License-Identifier: MIT */
/*
 * igvmkit sign: add or replace a signed SEV-SNP ID block (<igvmkit/sign.h>).
 *
 *   sign FILE -o OUT --id-key KEY [--author-key KEY] [IDS]     local keys
 *   sign FILE --emit-tbs TBS.bin [IDS]                         detached, step 1
 *   sign FILE -o OUT --attach SIG.der --id-pub PUB.pem [IDS]   detached, step 2
 *   sign FILE --qemu-blobs DIR                                 from the file's block
 * IDS = --family-id UUID --image-id UUID --version N --svn N --loader L.
 * --qemu-blobs DIR also combines with the signing forms.  Every output is
 * computed before the first one is written, and each is written atomically.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <uuid/uuid.h>

#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/sign.h>

#include "cli.h"
#include "file-input.h"
#include "file-output.h"
#include "load-model.h"
#include "options.h"
#include "sign-private.h"
#include "idblock.h"
#include "util.h"

enum {
    OPT_OUTPUT = 1,
    OPT_ID_KEY,
    OPT_AUTHOR_KEY,
    OPT_EMIT_TBS,
    OPT_ATTACH,
    OPT_ID_PUB,
    OPT_FAMILY_ID,
    OPT_IMAGE_ID,
    OPT_VERSION,
    OPT_SVN,
    OPT_LOADER,
    OPT_QEMU_BLOBS,
};

static const struct cli_option options[] = {
    {"output", 'o', "OUT", 0, OPT_OUTPUT, "write the signed file to OUT; - for standard output"},
    {"id-key", 0, "KEY", 0, OPT_ID_KEY, "ID key: PEM private key (PKCS#8 or SEC1), P-384"},
    {"author-key", 0, "KEY", 0, OPT_AUTHOR_KEY, "author key (signs the ID public key), P-384"},
    {"emit-tbs", 0, "FILE", 0, OPT_EMIT_TBS,
     "write the 96 bytes the ID key must sign, nothing else"},
    {"attach", 0, "SIG", 0, OPT_ATTACH, "embed an external DER signature of those bytes"},
    {"id-pub", 0, "PUB", 0, OPT_ID_PUB, "the ID public key (PEM) that made the --attach signature"},
    {"family-id", 0, "UUID", 0, OPT_FAMILY_ID, "FAMILY_ID (default all zero)"},
    {"image-id", 0, "UUID", 0, OPT_IMAGE_ID, "IMAGE_ID (default all zero)"},
    {"version", 0, "N", 0, OPT_VERSION,
     "ID block version (default 1, the only one firmware takes)"},
    {"svn", 0, "N", 0, OPT_SVN, "guest SVN (default 0)"},
    {"loader", 'l', "L", 0, OPT_LOADER, "digest profile: qemu (default), qemu-classic, openvmm"},
    {"qemu-blobs", 0, "DIR", 0, OPT_QEMU_BLOBS,
     "write DIR/id-block.b64 and DIR/id-auth.b64, the values of\n"
     "QEMU's sev-snp-guest id-block= and id-auth= properties"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "sign",
    .usage = "FILE -o OUT --id-key KEY.pem [--author-key KEY.pem] [OPTIONS]\n"
             "FILE --emit-tbs TBS.bin [OPTIONS]\n"
             "FILE -o OUT --attach SIG.der --id-pub PUB.pem [OPTIONS]\n"
             "FILE --qemu-blobs DIR",
    .about = "Add or replace the SEV-SNP ID block of an IGVM file, signed with ECDSA P-384.",
    .options = options,
    .exits = {"", NULL, NULL, "invalid file or key", "the signature does not match --id-pub",
              "", ""},
};

struct sign_args {
    const char *input, *output, *emit_tbs, *attach, *id_pub, *qemu_blobs;
    struct igk_snp_sign_options o;
};

/* FAMILY_ID / IMAGE_ID: uuid_parse() byte order (RFC 4122, as written). */
static int parse_uuid(const char *option, const char *text, uint8_t out[16])
{
    uuid_t u;

    if (uuid_parse(text, u) != 0)
        return cli_usage("sign", "%s: '%s' is not a UUID (like 01234567-89ab-cdef-0123-456789abcdef)",
                         option, text);
    memcpy(out, u, 16);
    return 0;
}

static int parse_u32(const char *option, const char *text, uint32_t *out)
{
    unsigned long long v;

    if (!cli_parse_u64(text, UINT32_MAX, &v))
        return cli_usage("sign", "%s: '%s' is not a number from 0 to 4294967295", option, text);
    *out = (uint32_t)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct sign_args *a)
{
    struct cli_parser p;
    int c, r;

    memset(a, 0, sizeof(*a));
    igk_snp_sign_options_init(&a->o);
    cli_parser_init(&p, &command, argc, argv);
    while ((c = cli_next(&p)) != CLI_END) {
        const char *optarg = p.value;

        r = 0;
        switch (c) {
        case CLI_STOP: return p.status ? p.status : -1; /* -1: --help printed */
        case OPT_OUTPUT: a->output = optarg; break;
        case OPT_ID_KEY: a->o.id_key = optarg; break;
        case OPT_AUTHOR_KEY: a->o.author_key = optarg; break;
        case OPT_EMIT_TBS: a->emit_tbs = optarg; break;
        case OPT_ATTACH: a->attach = optarg; break;
        case OPT_ID_PUB: a->id_pub = optarg; break;
        case OPT_QEMU_BLOBS: a->qemu_blobs = optarg; break;
        case OPT_FAMILY_ID: r = parse_uuid("--family-id", optarg, a->o.family_id); break;
        case OPT_IMAGE_ID: r = parse_uuid("--image-id", optarg, a->o.image_id); break;
        case OPT_VERSION: r = parse_u32("--version", optarg, &a->o.version); break;
        case OPT_SVN: r = parse_u32("--svn", optarg, &a->o.guest_svn); break;
        case OPT_LOADER: r = cli_parse_loader("sign", optarg, &a->o.loader); break;
        }
        if (r)
            return r;
    }
    if ((r = cli_operands(&p, 1, 1, "FILE")) != 0)
        return r;
    a->input = p.operands[0];
    if (a->output && !(a->output = cli_output_path("sign", a->output, true)))
        return IGK_EXIT_USAGE;

    /* Exactly one mode. */
    if (a->emit_tbs && (a->output || a->o.id_key || a->attach || a->qemu_blobs))
        return cli_usage("sign", "--emit-tbs writes only the bytes to sign; it takes no -o, "
                                 "--id-key, --attach or --qemu-blobs");
    if (a->attach && a->o.id_key)
        return cli_usage("sign", "--attach and --id-key exclude each other");
    if (a->attach && !a->id_pub)
        return cli_usage("sign", "--attach needs --id-pub PUB.pem (the key that signed)");
    if (a->id_pub && !a->attach)
        return cli_usage("sign", "--id-pub is only used with --attach");
    if ((a->o.id_key || a->attach) && !a->output)
        return cli_usage("sign", "no output file (-o OUT)");
    if (!a->o.id_key && !a->attach && !a->emit_tbs) {
        if (!a->qemu_blobs)
            return cli_usage("sign", "nothing to do: give --id-key, --emit-tbs, --attach or "
                                     "--qemu-blobs");
        if (a->output || a->o.author_key)
            return cli_usage("sign", "-o and --author-key need --id-key or --attach");
    }
    return 0;
}

/* base64 without newlines, as QEMU's properties take it. */
static char *base64(const uint8_t *data, size_t len, size_t *ret_len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);

    if (out)
        *ret_len = (size_t)EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

/* Adds DIR/id-block.b64 and DIR/id-auth.b64 to the run's output set. */
static int add_qemu_blobs(const struct igk_igvm *igvm, const char *dir, struct igk_output_set *set,
                          struct igk_error *err)
{
    uint8_t id_block[IGK_SNP_ID_BLOCK_TBS_SIZE], id_auth[IGK_SNP_ID_AUTH_SIZE];
    char *b64_block = NULL, *b64_auth = NULL, path[4096];
    size_t n_block = 0, n_auth = 0;
    int r;

    r = igk_snp_qemu_id_values(igvm, id_block, id_auth, err);
    if (r < 0)
        return r;
    b64_block = base64(id_block, sizeof(id_block), &n_block);
    b64_auth = base64(id_auth, sizeof(id_auth), &n_auth);
    if (!b64_block || !b64_auth) {
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        goto out;
    }
    snprintf(path, sizeof(path), "%s/id-block.b64", dir);
    r = igk_output_add_file(set, path, b64_block, n_block, err);
    if (r < 0)
        goto out;
    snprintf(path, sizeof(path), "%s/id-auth.b64", dir);
    r = igk_output_add_file(set, path, b64_auth, n_auth, err);
out:
    free(b64_block);
    free(b64_auth);
    return r;
}

/* Prints what a verifier pins: LD, policy, ids and the key digests. */
static void print_summary(const struct igk_igvm *igvm)
{
    struct igk_sign_target t;
    const struct igk_snp_id_block *b;
    char hex[2 * 48 + 1];
    uint8_t digest[48];

    if (igk_sign_find_target(igvm, &t, NULL) < 0 || t.id_block_index == SIZE_MAX)
        return;
    b = igvm->headers[t.id_block_index].u.snp_id_block;
    igk_hex_encode(b->ld, 48, hex);
    printf("launch digest: %s\n", hex);
    printf("policy: 0x%llx\n", (unsigned long long)t.policy);
    igk_hex_encode(b->family_id, 16, hex);
    printf("family id: %s\n", hex);
    igk_hex_encode(b->image_id, 16, hex);
    printf("image id: %s\n", hex);
    printf("version: %u\nguest svn: %u\n", b->version, b->guest_svn);
    igk_idblock_key_digest(&b->id_public_key, digest);
    igk_hex_encode(digest, 48, hex);
    printf("id key digest: %s\n", hex);
    if (b->author_key_enabled) {
        igk_idblock_key_digest(&b->author_public_key, digest);
        igk_hex_encode(digest, 48, hex);
        printf("author key digest: %s\n", hex);
    }
}

static int run_sign(struct sign_args *a)
{
    struct igk_igvm *igvm = NULL;
    struct igk_output_set set;
    struct igk_error err;
    uint8_t *sig = NULL, *image = NULL;
    size_t sig_len = 0, image_len = 0;
    int r;

    igk_error_clear(&err);
    /* A descriptor signs while packing (platforms.sev-snp.id-block), where
     * the output is checked against every input file the descriptor names;
     * signing one here would write an image no descriptor describes. */
    if (cli_is_descriptor(a->input))
        return cli_usage("sign",
                         "%s is a descriptor: add platforms.sev-snp.id-block to it and run "
                         "'igvmkit pack', or sign the packed IGVM file",
                         a->input);
    igk_output_set_init(&set);
    r = cli_load_model(a->input, 0, &igvm, &err);
    if (r < 0)
        return cli_fail(&err);

    if (a->emit_tbs) {
        uint8_t tbs[IGK_SNP_ID_BLOCK_TBS_SIZE];

        r = igk_snp_id_block_tbs(igvm, &a->o, tbs, &err);
        if (r == 0)
            r = igk_write_file_atomic(a->emit_tbs, tbs, sizeof(tbs), &err);
        goto out;
    }
    if (a->attach) {
        r = igk_read_file_limit(a->attach, IGK_LIMIT_SMALL_FILE, "--attach", &sig, &sig_len,
                                &err);
        if (r == 0)
            r = igk_snp_attach_signature(igvm, &a->o, sig, sig_len, a->id_pub, &err);
        if (r < 0 && !err.path[0] && r != IGK_E_MISMATCH)
            igk_error_set_path(&err, a->attach);
    } else if (a->o.id_key) {
        r = igk_snp_sign(igvm, &a->o, &err);
    }
    if (r < 0)
        goto out;
    /* Blobs are computed (and checked) before anything is written. */
    if (a->qemu_blobs) {
        uint8_t b[IGK_SNP_ID_BLOCK_TBS_SIZE], auth[IGK_SNP_ID_AUTH_SIZE];
        struct stat st;

        r = igk_snp_qemu_id_values(igvm, b, auth, &err);
        if (r < 0)
            goto out;
        /* Check the directory now: a failure must leave no output at all. */
        if (stat(a->qemu_blobs, &st) != 0 || !S_ISDIR(st.st_mode)) {
            igk_error_set_path(&err, a->qemu_blobs);
            r = igk_error_set(&err, IGK_E_IO, "--qemu-blobs needs an existing directory");
            goto out;
        }
    }
    /* One output set: the signed file and both blobs are published together or not at all. */
    if (a->output) {
        r = igk_igvm_write_buffer(igvm, &image, &image_len, &err);
        if (r == 0)
            r = igk_output_add_file(&set, a->output, image, image_len, &err);
        if (r < 0)
            goto out;
    }
    if (a->qemu_blobs) {
        r = add_qemu_blobs(igvm, a->qemu_blobs, &set, &err);
        if (r < 0)
            goto out;
    }
    if ((r = igk_output_commit(&set, &err)) < 0)
        goto out;
    print_summary(igvm);
    if (a->o.version != 1)
        fprintf(stderr, "igvmkit: warning: ID block version %u: SNP firmware takes version 1 "
                        "and QEMU always sends 1, so this signature will not verify at launch\n",
                a->o.version);
out:
    /* Errors about the file itself (not SEV-SNP, no room) name it. */
    if ((r == IGK_E_INVALID || r == IGK_E_UNSUPPORTED) && !err.path[0])
        igk_error_set_path(&err, a->input);
    igk_output_set_done(&set);
    free(image);
    free(sig);
    igk_igvm_free(igvm);
    return r < 0 ? cli_fail(&err) : IGK_EXIT_OK;
}

int verb_sign(int argc, char **argv)
{
    struct sign_args a;
    int r = parse_args(argc, argv, &a);

    if (r)
        return r < 0 ? IGK_EXIT_OK : r;
    return run_sign(&a);
}
