/* SPDX-License-Identifier: MIT */
/*
 * igk_measure(): looks up the platform, picks the algorithm and fills the
 * fields every measurement shares.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <igvmkit/measure.h>

#include "measure-private.h"
#include "util.h"

/* SHA-384 of 4096 zero bytes (docs/measure-snp.md section 1). */
const uint8_t igk_zero_page_sha384[48] = {
    0xc0, 0xe5, 0x9a, 0x3e, 0x3f, 0xfb, 0xd3, 0xb5, 0xc7, 0x54, 0x28, 0xfb,
    0x36, 0x43, 0x2f, 0xac, 0xab, 0xc7, 0x45, 0x94, 0x42, 0x96, 0xff, 0x51,
    0x5f, 0x73, 0x7c, 0x4f, 0xef, 0x4e, 0xfc, 0x64, 0x58, 0x68, 0x09, 0xf7,
    0xa1, 0x6f, 0x56, 0x35, 0x4a, 0x1e, 0xae, 0xcf, 0x2a, 0xa8, 0xd7, 0x74,
};

struct algorithm {
    enum igk_platform_type platform;
    const char *name;
    size_t digest_len;
    igk_measure_algorithm_fn fn;
};

static const struct algorithm algorithms[] = {
    {IGK_PLATFORM_SEV_SNP, "sha384", 48, igk_measure_snp},
    {IGK_PLATFORM_TDX, "sha384", 48, igk_measure_tdx},
    {IGK_PLATFORM_SEV_ES, "sha256", 32, igk_measure_sev_es},
    {IGK_PLATFORM_SEV, "sha256", 32, igk_measure_sev},
    {IGK_PLATFORM_VSM, "sha256", 32, igk_measure_vbs},
};

static const struct algorithm *find_algorithm(enum igk_platform_type platform)
{
    for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
        if (algorithms[i].platform == platform)
            return &algorithms[i];
    return NULL;
}

IGK_PUBLIC bool igk_measure_supports(enum igk_platform_type platform)
{
    return find_algorithm(platform) != NULL;
}

const struct igk_guest_policy *igk_measure_find_policy(const struct igk_igvm *igvm,
                                                       uint32_t mask)
{
    const struct igk_guest_policy *found = NULL;

    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        if (h->type == IGK_VHT_GUEST_POLICY && igk_header_applies(h, mask))
            found = &h->u.guest_policy;
    }
    return found;
}

static int measure_one(const struct igk_igvm *igvm, enum igk_platform_type platform,
                       const struct igk_measure_options *options, unsigned flags,
                       igk_measure_step_fn fn, void *user, struct igk_measurement *ret,
                       struct igk_error *err)
{
    static const struct igk_measure_options defaults = {.loader = IGK_LOADER_QEMU};
    const struct algorithm *a;
    uint32_t mask;
    int r;

    memset(ret, 0, sizeof(*ret));
    if (!options)
        options = &defaults;
    if ((unsigned)options->loader >= IGK_LOADER_MAX)
        return igk_error_set(err, IGK_E_USAGE, "unknown loader profile %d", (int)options->loader);
    r = igk_igvm_platform_mask(igvm, platform, &mask, err);
    if (r < 0)
        return r;
    a = find_algorithm(platform);
    if (!a)
        return igk_error_set(err, IGK_E_UNSUPPORTED, "no launch measurement is defined for %s",
                             igk_platform_name(platform));
    ret->platform = platform;
    ret->loader = options->loader;
    ret->algorithm = a->name;
    ret->digest_len = a->digest_len;
    return a->fn(igvm, mask, options, flags, fn, user, ret, err);
}

IGK_PUBLIC int igk_measure_trace(const struct igk_igvm *igvm, enum igk_platform_type platform,
                                 const struct igk_measure_options *options,
                                 igk_measure_step_fn fn, void *user,
                                 struct igk_measurement *ret, struct igk_error *err)
{
    return measure_one(igvm, platform, options, 0, fn, user, ret, err);
}

IGK_PUBLIC int igk_measure(const struct igk_igvm *igvm, enum igk_platform_type platform,
                           const struct igk_measure_options *options,
                           struct igk_measurement *ret, struct igk_error *err)
{
    return igk_measure_trace(igvm, platform, options, NULL, NULL, ret, err);
}

IGK_PUBLIC int igk_measure_declared_platforms(const struct igk_igvm *igvm,
                                              enum igk_platform_type ret[IGK_PLATFORM_MAX],
                                              size_t *n, struct igk_error *err)
{
    char have[256];

    *n = 0;
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];
        enum igk_platform_type p;
        bool seen = false;

        if (h->type != IGK_VHT_SUPPORTED_PLATFORM)
            continue;
        p = (enum igk_platform_type)h->u.platform.platform_type;
        for (size_t k = 0; k < *n; k++)
            seen = seen || ret[k] == p; /* an unvalidated model may repeat one */
        if (igk_measure_supports(p) && !seen && *n < IGK_PLATFORM_MAX)
            ret[(*n)++] = p;
    }
    if (!*n)
        return igk_error_set(err, IGK_E_UNSUPPORTED,
                             "no platform the file declares has a launch measurement "
                             "(it declares: %s)",
                             igk_igvm_declared_names(igvm, have, sizeof(have)));
    return 0;
}

/* The progress of igk_measure_platforms(): each platform's bytes, added up under a lock. */
struct shared_progress {
    pthread_mutex_t lock;
    igk_progress_fn fn;
    void *user;
    uint64_t total; /* every platform's */
};

struct platform_job {
    const struct igk_igvm *igvm;
    enum igk_platform_type platform;
    const struct igk_measure_options *options;
    struct igk_measure_options own; /* options with progress through the job */
    struct shared_progress *shared;
    struct platform_job *jobs;
    size_t n_jobs;
    uint64_t done; /* under shared->lock */
    unsigned flags;
    struct igk_measurement *ret;
    struct igk_error err;
    int result;
    pthread_t thread;
    bool started;
};

static void *measure_thread(void *arg)
{
    struct platform_job *job = arg;

    job->result = measure_one(job->igvm, job->platform, job->options, job->flags, NULL, NULL,
                              job->ret, &job->err);
    return NULL;
}

static void job_progress(uint64_t done, uint64_t total, void *user)
{
    struct platform_job *job = user;
    struct shared_progress *sp = job->shared;
    uint64_t sum = 0;

    (void)total;
    pthread_mutex_lock(&sp->lock);
    job->done = done;
    for (size_t i = 0; i < job->n_jobs; i++)
        sum += job->jobs[i].done;
    sp->fn(sum, sp->total, sp->user);
    pthread_mutex_unlock(&sp->lock);
}

IGK_PUBLIC int igk_measure_platforms(const struct igk_igvm *igvm,
                                     const enum igk_platform_type *platforms, size_t n,
                                     const struct igk_measure_options *options,
                                     struct igk_measurement *ret, struct igk_error *err)
{
    struct platform_job *jobs = calloc(n ? n : 1, sizeof(*jobs));
    struct shared_progress sp = {.fn = options ? options->progress : NULL,
                                 .user = options ? options->progress_user : NULL};
    int r = 0;

    if (!jobs)
        return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    if (sp.fn) {
        pthread_mutex_init(&sp.lock, NULL);
        for (size_t i = 0; i < n; i++) {
            uint32_t mask;
            if (igk_igvm_platform_mask(igvm, platforms[i], &mask, NULL) == 0)
                sp.total += igk_walk_page_bytes(igvm, mask);
        }
    }
    /* The last platform runs on the calling thread, and so does any whose
     * thread cannot start: the result is the same, only slower. */
    for (size_t i = 0; i < n; i++) {
        /* With others walking the same file, SEV-SNP need not read it apart. */
        jobs[i] = (struct platform_job){.igvm = igvm, .platform = platforms[i],
                                        .options = options,
                                        .flags = n > 1 ? IGK_MEASURE_SHARED_FILE : 0,
                                        .ret = &ret[i]};
        if (sp.fn) {
            jobs[i].own = *options;
            jobs[i].own.progress = job_progress;
            jobs[i].own.progress_user = &jobs[i];
            jobs[i].options = &jobs[i].own;
            jobs[i].shared = &sp;
            jobs[i].jobs = jobs;
            jobs[i].n_jobs = n;
        }
        igk_error_clear(&jobs[i].err);
    }
    /* Started once every job is set up: job_progress() reads them all. */
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && pthread_create(&jobs[i].thread, NULL, measure_thread, &jobs[i]) == 0)
            jobs[i].started = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].started)
            measure_thread(&jobs[i]);
    for (size_t i = 0; i < n; i++)
        if (jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
    if (sp.fn)
        pthread_mutex_destroy(&sp.lock);
    for (size_t i = 0; i < n && r == 0; i++)
        if (jobs[i].result < 0) {
            r = jobs[i].result;
            if (err)
                *err = jobs[i].err;
        }
    free(jobs);
    return r;
}

int igk_measure_stream_step(struct igk_measure_step *step, EVP_MD_CTX *ctx,
                            const uint8_t *page, size_t len, igk_measure_step_fn fn, void *user,
                            struct igk_error *err)
{
    const EVP_MD *md = EVP_MD_CTX_get0_md(ctx);
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    unsigned int contents_len = 0, running_len = 0;
    bool ok = copy && md;

    if (ok && page)
        ok = EVP_Digest(page, len, step->contents, &contents_len, md, NULL) == 1;
    ok = ok && EVP_MD_CTX_copy_ex(copy, ctx) == 1 &&
         EVP_DigestFinal_ex(copy, step->running, &running_len) == 1;
    EVP_MD_CTX_free(copy);
    if (!ok)
        return igk_error_set(err, IGK_E_INTERNAL, "%s failed", md ? EVP_MD_get0_name(md) : "digest");
    step->contents_len = contents_len;
    step->running_len = running_len;
    return fn(step, user, err);
}
