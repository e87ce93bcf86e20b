/* SPDX-License-Identifier: MIT */
/*
 * igvmkit extract FILE --platform P -o DIR
 *
 * Writes the guest memory image the platform's loader would build
 * (igk_igvm_memory_image()): one raw file per contiguous region, named by
 * GPA, VP context blobs, parameter-area initial data, and DIR/regions.json
 * describing them.  Everything is written into a temporary directory beside
 * DIR and renamed into place at the end, so a failure leaves nothing behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <igvmkit/igvm.h>

#include "cli.h"
#include "file-output.h"
#include "json.h"
#include "load-model.h"
#include "options.h"
#include "progress.h"
#include "sparse-file.h"

enum { OPT_PLATFORM = 1, OPT_OUTPUT, OPT_QUIET };

static const struct cli_option options[] = {
    {"platform", 'p', "P", 0, OPT_PLATFORM, "sev-snp, tdx, native, sev-es, sev, vbs or cca"},
    {"output", 'o', "DIR", 0, OPT_OUTPUT, "output directory"},
    {"quiet", 'q', NULL, 0, OPT_QUIET, "no progress line"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = "extract",
    .usage = "FILE --platform P -o DIR",
    .about = "Write the guest memory image that platform P's loader would build from an\n"
             "IGVM file: contiguous regions of pages as raw files named by GPA\n"
             "(DIR/0x00000000fffff000.bin), VP contexts (DIR/vp-context-N.bin, N = header\n"
             "index), parameter-area initial data (DIR/parameter-area-N.bin), and\n"
             "DIR/regions.json describing them (GPA, size, kind measured/zero/unmeasured/\n"
             "shared, page data type, source header indices, parameter insert GPAs).\n"
             "DIR is created (its parent must exist); an existing DIR must be empty.\n"
             "Pages of zeros are left as holes (sparse files); a line on stdout reports\n"
             "the region bytes, the bytes written and the bytes in holes.",
    .options = options,
    .exits = {"", NULL, NULL, "invalid file", NULL, "platform not declared", ""},
};

/* dir/name into buf; false when it does not fit. */
static bool join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < size;
}

static int io_fail(struct igk_error *err, const char *path, const char *what, int errnum)
{
    igk_error_clear(err);
    igk_error_set_path(err, path);
    return igk_error_set(err, IGK_E_IO, "%s: %s", what, strerror(errnum));
}

struct writer {
    const char *tmpdir;
    const char *outdir; /* for error messages */
    struct igk_error *err;
    /* What was written, for the report. */
    size_t files;
    uint64_t region_bytes, region_written;
    /* The progress line: region bytes done out of all regions' bytes. */
    struct cli_progress progress;
    uint64_t progress_total;
};

/* Opens DIR/name for writing (exclusive). */
static FILE *open_out(struct writer *w, const char *name)
{
    char path[4096];
    FILE *f;

    f = join(path, sizeof(path), w->tmpdir, name) ? fopen(path, "wbx") : NULL;
    if (!f) {
        char shown[4096];
        int e = errno;
        if (!join(shown, sizeof(shown), w->outdir, name))
            snprintf(shown, sizeof(shown), "%s", name);
        io_fail(w->err, shown, "cannot create", e ? e : ENAMETOOLONG);
    }
    return f;
}

static int close_out(struct writer *w, FILE *f, const char *name, bool write_failed)
{
    int e = write_failed ? (errno ? errno : EIO) : 0;

    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        char shown[4096];
        if (!join(shown, sizeof(shown), w->outdir, name))
            snprintf(shown, sizeof(shown), "%s", name);
        return io_fail(w->err, shown, "cannot write", e);
    }
    return 0;
}

/*
 * Writes bytes that may lie in the input's mapping through a copy: a file
 * truncated meanwhile then faults here, where the SIGBUS handler
 * (cli/signals.c) reports the input, instead of failing write(2) with EFAULT
 * and blaming the output.
 */
static bool write_copied(FILE *f, const uint8_t *data, size_t size)
{
    uint8_t page[IGK_PAGE_SIZE];

    for (size_t off = 0; off < size; off += sizeof(page)) {
        size_t n = size - off < sizeof(page) ? size - off : sizeof(page);

        memcpy(page, data + off, n);
        if (fwrite(page, 1, n, f) != n)
            return false;
    }
    return true;
}

static int write_blob(struct writer *w, const char *name, const uint8_t *data, size_t size)
{
    FILE *f = open_out(w, name);
    bool failed;

    if (!f)
        return IGK_E_IO;
    failed = !write_copied(f, data, size);
    return close_out(w, f, name, failed);
}

/*
 * A region file with a hole for every page of zeros: data-less pages (most
 * of a direct-boot guest's pre-validated RAM) cost no disk space and no
 * write time.
 */
static int write_region(struct writer *w, const struct igk_igvm *igvm,
                        const struct igk_memory_region *r, const char *name)
{
    struct sparse_file f;
    char path[4096], shown[4096];
    int e;

    if (!join(shown, sizeof(shown), w->outdir, name))
        snprintf(shown, sizeof(shown), "%s", name);
    errno = 0;
    if (!join(path, sizeof(path), w->tmpdir, name) || !sparse_open(&f, path))
        return io_fail(w->err, shown, "cannot create", errno ? errno : ENAMETOOLONG);
    for (size_t k = 0; k < r->n_pages && !f.error; k++) {
        const struct igk_header *h = &igvm->headers[r->pages[k]];
        size_t n = h->data ? h->data_size : 0;

        /* A page is its data zero padded to 4 KiB, or zeros (section 6.2). */
        /* Copied through a buffer: a truncated input faults on its own mapping
         * (named by the input module), never while writing the output. */
        uint8_t page[IGK_PAGE_SIZE] = {0};

        if (n > IGK_PAGE_SIZE)
            n = IGK_PAGE_SIZE;
        if (n)
            memcpy(page, h->data, n);
        sparse_append(&f, n ? page : NULL, IGK_PAGE_SIZE);
        /* Every MiB: the line itself is rate-limited (cli/progress.c). */
        if ((k + 1) % 256 == 0)
            cli_progress_update(w->region_bytes + f.size, w->progress_total, &w->progress);
    }
    e = sparse_close(&f);
    w->region_bytes += f.size;
    w->region_written += f.written;
    w->files++;
    cli_progress_update(w->region_bytes, w->progress_total, &w->progress);
    if (e)
        return io_fail(w->err, shown, "cannot write", e);
    return 0;
}

static int cmp_u64_index(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/*
 * Region file names: the GPA; regions sharing a start GPA (a later page at
 * the same GPA overrides an earlier one at load time) get "-N" with N the
 * region number.  Returns a malloc()ed array of flags "needs suffix".
 */
static bool *duplicate_gpas(const struct igk_memory_image *img)
{
    uint64_t(*keys)[2] = calloc(img->n_regions + 1, sizeof(*keys));
    bool *dup = calloc(img->n_regions + 1, sizeof(*dup));

    if (!keys || !dup) {
        free(keys);
        free(dup);
        return NULL;
    }
    for (size_t i = 0; i < img->n_regions; i++) {
        keys[i][0] = img->regions[i].gpa;
        keys[i][1] = i;
    }
    qsort(keys, img->n_regions, sizeof(*keys), cmp_u64_index);
    for (size_t i = 1; i < img->n_regions; i++)
        if (keys[i][0] == keys[i - 1][0])
            dup[keys[i][1]] = true;
    free(keys);
    return dup;
}

static void region_name(char *buf, size_t size, const struct igk_memory_region *r, size_t i,
                        bool dup)
{
    if (dup)
        snprintf(buf, size, "0x%016llx-%zu.bin", (unsigned long long)r->gpa, i);
    else
        snprintf(buf, size, "0x%016llx.bin", (unsigned long long)r->gpa);
}

static void json_hex_key(struct igk_json *j, const char *key, uint64_t v)
{
    igk_json_key(j, key);
    igk_json_hex_u64(j, v);
}

static void json_uint_key(struct igk_json *j, const char *key, uint64_t v)
{
    igk_json_key(j, key);
    igk_json_uint(j, v);
}

static int write_image(struct writer *w, const struct igk_igvm *igvm,
                       const struct igk_memory_image *img, const char *platform)
{
    struct igk_json j;
    char name[128], *text = NULL;
    size_t len = 0;
    bool *dup = duplicate_gpas(img);
    const char *bios = NULL;
    char bios_name[128];
    int r = 0;

    if (!dup)
        return igk_error_set(w->err, IGK_E_INTERNAL, "out of memory");
    igk_json_init(&j, true);
    igk_json_begin_object(&j);
    igk_json_key(&j, "platform");
    igk_json_string(&j, platform);
    json_uint_key(&j, "platform_mask", img->platform_mask);
    igk_json_key(&j, "regions");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < img->n_regions && r == 0; i++) {
        const struct igk_memory_region *reg = &img->regions[i];
        region_name(name, sizeof(name), reg, i, dup[i]);
        r = write_region(w, igvm, reg, name);
        /* The region ending at 4 GiB is what QEMU takes as -bios. */
        if (reg->gpa + reg->size == 0x100000000ull) {
            snprintf(bios_name, sizeof(bios_name), "%s", name);
            bios = bios_name;
        }
        igk_json_begin_object(&j);
        json_uint_key(&j, "gpa", reg->gpa);
        json_hex_key(&j, "gpa_hex", reg->gpa);
        json_uint_key(&j, "size", reg->size);
        igk_json_key(&j, "kind");
        igk_json_string(&j, igk_region_kind_name(reg->kind));
        igk_json_key(&j, "data_type");
        igk_json_string(&j, igk_page_data_type_name(reg->data_type));
        igk_json_key(&j, "file");
        igk_json_string(&j, name);
        json_uint_key(&j, "first_header", reg->pages[0]);
        json_uint_key(&j, "last_header", reg->pages[reg->n_pages - 1]);
        json_uint_key(&j, "header_count", reg->n_pages);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_key(&j, "bios_region");
    if (bios)
        igk_json_string(&j, bios);
    else
        igk_json_null(&j);

    igk_json_key(&j, "parameter_areas");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < img->n_areas && r == 0; i++) {
        const struct igk_memory_parameter_area *a = &img->areas[i];
        igk_json_begin_object(&j);
        json_uint_key(&j, "index", a->area_index);
        json_uint_key(&j, "size", a->size);
        json_uint_key(&j, "header", a->area_header);
        igk_json_key(&j, "insert_gpa");
        if (a->inserted)
            igk_json_uint(&j, a->insert_gpa);
        else
            igk_json_null(&j);
        igk_json_key(&j, "insert_header");
        if (a->inserted)
            igk_json_uint(&j, a->insert_header);
        else
            igk_json_null(&j);
        igk_json_key(&j, "file");
        if (a->initial_data) {
            snprintf(name, sizeof(name), "parameter-area-%zu.bin", a->area_header);
            r = write_blob(w, name, a->initial_data, (size_t)a->size);
            igk_json_string(&j, name);
        } else {
            igk_json_null(&j);
        }
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);

    igk_json_key(&j, "vp_contexts");
    igk_json_begin_array(&j);
    for (size_t i = 0; i < img->n_vp_contexts && r == 0; i++) {
        const struct igk_memory_vp_context *v = &img->vp_contexts[i];
        snprintf(name, sizeof(name), "vp-context-%zu.bin", v->header);
        r = write_blob(w, name, v->data, v->data_size);
        igk_json_begin_object(&j);
        json_uint_key(&j, "header", v->header);
        json_uint_key(&j, "vp_index", v->vp_index);
        json_uint_key(&j, "gpa", v->gpa);
        json_hex_key(&j, "gpa_hex", v->gpa);
        json_uint_key(&j, "size", v->data_size);
        igk_json_key(&j, "file");
        igk_json_string(&j, name);
        igk_json_end_object(&j);
    }
    igk_json_end_array(&j);
    igk_json_end_object(&j);
    free(dup);
    if (r < 0) {
        igk_json_discard(&j);
        return r;
    }
    if (igk_json_finish(&j, &text, &len) < 0)
        return igk_error_set(w->err, IGK_E_INTERNAL, "out of memory");
    r = write_blob(w, "regions.json", (const uint8_t *)text, len);
    free(text);
    return r;
}


int verb_extract(int argc, char **argv)
{
    const char *path = NULL, *platform = NULL, *outdir = NULL;
    struct igk_memory_image *img = NULL;
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    struct igk_output_set set;
    struct writer w;
    const char *tmpdir = NULL;
    uint32_t mask = 0;
    bool quiet = false;
    int p, r, c;
    struct cli_parser pa;

    cli_parser_init(&pa, &command, argc, argv);
    while ((c = cli_next(&pa)) != CLI_END) {
        switch (c) {
        case CLI_STOP:
            return pa.status;
        case OPT_PLATFORM:
            platform = pa.value;
            break;
        case OPT_OUTPUT:
            outdir = pa.value;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        }
    }
    if (pa.n_operands > 1)
        return cli_usage("extract", "only one FILE may be given");
    if (!pa.n_operands)
        return cli_usage("extract", "missing FILE");
    path = pa.operands[0];
    if (!platform)
        return cli_usage("extract", "missing --platform");
    if (!outdir || !*outdir)
        return cli_usage("extract", "missing -o DIR");
    if ((r = cli_parse_platform_in("extract", platform, CLI_PLATFORMS_ANY, &p)) != 0)
        return r;

    /* A descriptor is packed in memory: its image is extracted without a file. */
    r = cli_load_model(path, CLI_LOAD_DESCRIPTOR, &igvm, &err);
    if (r == 0) {
        r = igk_igvm_platform_mask(igvm, (enum igk_platform_type)p, &mask, &err);
        if (r < 0)
            igk_error_set_path(&err, path);
    }
    if (r == 0)
        r = igk_igvm_memory_image(igvm, mask, &img, &err);
    if (r < 0) {
        igk_igvm_free(igvm);
        return cli_fail(&err);
    }

    /* A temporary directory beside DIR (file-output.h), renamed into place at
     * the end; it gets 0777 & ~umask, or the mode of the empty DIR it replaces. */
    memset(&w, 0, sizeof(w));
    igk_output_set_init(&set);
    igk_error_clear(&err);
    r = igk_output_add_dir(&set, outdir, &tmpdir, &err);
    if (r == 0) {
        w.tmpdir = tmpdir;
        w.outdir = outdir;
        w.err = &err;
        for (size_t i = 0; i < img->n_regions; i++)
            w.progress_total += (uint64_t)img->regions[i].n_pages * IGK_PAGE_SIZE;
        cli_progress_start(&w.progress, "extracting", quiet);
        r = write_image(&w, igvm, img, igk_platform_name((enum igk_platform_type)p));
        cli_progress_end(&w.progress);
    }
    if (r == 0)
        r = igk_output_commit(&set, &err);
    igk_output_set_done(&set);
    igk_memory_image_free(img);
    igk_igvm_free(igvm);
    if (err.code)
        return cli_fail(&err);
    /* Region bytes are what a loader places; holes are zero pages left unwritten. */
    printf("%s: %zu region files, %llu bytes (%llu written, %llu in holes)\n", outdir, w.files,
           (unsigned long long)w.region_bytes, (unsigned long long)w.region_written,
           (unsigned long long)(w.region_bytes - w.region_written));
    return IGK_EXIT_OK;
}
