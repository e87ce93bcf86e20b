/* SPDX-License-Identifier: MIT */
/*
 * igvmkit measure --ovmf FILE --mode MODE [...]: the option interface of
 * sev-snp-measure (same names, defaults and output), on top of the packer
 * and the walker.  The options become a YAML descriptor in memory (shown by
 * --print-descriptor), which is packed like any descriptor and measured
 * under the qemu-classic loader profile, the launch sev-snp-measure models.
 *
 *   snp            SEV-SNP launch digest (SHA-384)
 *   seves, sev     SEV-ES / SEV launch digest (SHA-256)
 *   snp:ovmf-hash  the SEV-SNP digest after the firmware pages alone
 *   snp:svsm       SEV-SNP with a COCONUT-SVSM image in front of OVMF
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

#include "cli.h"
#include "file-input.h"
#include "file-output.h"
#include "load-model.h"
#include "options.h"
#include "util.h"

#define VERB "measure"

enum compat_mode { MODE_NONE, MODE_SNP, MODE_SEVES, MODE_SEV, MODE_OVMF_HASH, MODE_SVSM };

struct compat {
    enum compat_mode mode;
    const char *ovmf, *kernel, *initrd, *append, *svsm, *vars_file;
    const char *vcpu_type, *vmm_name, *snp_ovmf_hash, *dump_dir;
    bool has_vcpus, has_sig, has_family, has_model, has_stepping, has_vars_size, has_gf;
    unsigned long long vcpus, sig, family, model, stepping, vars_size, gf;
    bool base64, verbose, print_descriptor, dump_vmsa;
    enum igk_snp_vmm vmm;
    uint32_t vcpu_sig;
    uint8_t seed[48];
    /* Temporary regular copies of non-regular inputs (/dev/null, pipes). */
    char *tmp_kernel, *tmp_initrd;
};

static const char *const compat_options[] = {
    "--ovmf", "--mode", "--kernel", "--initrd", "--append", "--vcpu-type", "--vcpu-sig",
    "--vcpu-family", "--vcpu-model", "--vcpu-stepping", "--vmm-type", "--guest-features",
    "--snp-ovmf-hash", "--svsm", "--vars-size", "--vars-file", "--output-format", "--dump-vmsa",
    "--print-descriptor", "--verbose", NULL};

/* --ovmf or --mode select the sev-snp-measure interface (it requires both). */
bool cli_measure_is_compat(int argc, char **argv)
{
    static const char *const selectors[] = {"--ovmf", "--mode", NULL};

    for (int i = 1; i < argc; i++)
        for (size_t k = 0; selectors[k]; k++) {
            size_t n = strlen(selectors[k]);
            if (!strncmp(argv[i], selectors[k], n) && (argv[i][n] == 0 || argv[i][n] == '='))
                return true;
        }
    return false;
}

bool cli_measure_is_compat_option(const char *arg)
{
    for (size_t k = 0; compat_options[k]; k++) {
        size_t n = strlen(compat_options[k]);
        if (!strncmp(arg, compat_options[k], n) && (arg[n] == 0 || arg[n] == '='))
            return true;
    }
    return false;
}

enum {
    OPT_MODE = 1,
    OPT_OVMF,
    OPT_KERNEL,
    OPT_INITRD,
    OPT_APPEND,
    OPT_VCPUS,
    OPT_VCPU_TYPE,
    OPT_VCPU_SIG,
    OPT_VCPU_FAMILY,
    OPT_VCPU_MODEL,
    OPT_VCPU_STEPPING,
    OPT_VMM_TYPE,
    OPT_GUEST_FEATURES,
    OPT_SNP_OVMF_HASH,
    OPT_SVSM,
    OPT_VARS_SIZE,
    OPT_VARS_FILE,
    OPT_OUTPUT_FORMAT,
    OPT_DUMP_VMSA,
    OPT_PRINT_DESCRIPTOR,
    OPT_VERBOSE,
};

/* sev-snp-measure's option names, letter for letter (its -v included). */
static const struct cli_option compat_option_table[] = {
    {"mode", 0, "M", 0, OPT_MODE, "snp, seves, sev, snp:ovmf-hash or snp:svsm"},
    {"ovmf", 0, "FILE", 0, OPT_OVMF, "OVMF image (mapped to end at 4 GiB)"},
    {"kernel", 0, "K", 0, OPT_KERNEL, "kernel, hashed into OVMF's kernel-hashes table (any file)"},
    {"initrd", 0, "I", 0, OPT_INITRD, "initrd (with --kernel)"},
    {"append", 0, "C", 0, OPT_APPEND, "kernel command line (with --kernel)"},
    {"vcpus", 0, "N", 0, OPT_VCPUS, "number of vCPUs (required except for sev)"},
    {"vcpu-type", 0, "T", 0, OPT_VCPU_TYPE, "vCPU model, e.g. EPYC-v4, EPYC-Milan"},
    {"vcpu-sig", 0, "S", 0, OPT_VCPU_SIG, "CPUID 1 EAX signature"},
    {"vcpu-family", 0, "F", 0, OPT_VCPU_FAMILY, "CPU family (with --vcpu-model, --vcpu-stepping)"},
    {"vcpu-model", 0, "M", 0, OPT_VCPU_MODEL, "CPU model"},
    {"vcpu-stepping", 0, "S", 0, OPT_VCPU_STEPPING, "CPU stepping"},
    {"vmm-type", 0, "V", 0, OPT_VMM_TYPE, "QEMU (default), ec2 or gce"},
    {"guest-features", 0, "F", 0, OPT_GUEST_FEATURES,
     "SEV_FEATURES of the SNP VMSAs (default 0x21)"},
    {"snp-ovmf-hash", 0, "HEX", 0, OPT_SNP_OVMF_HASH,
     "start the SNP chain from this firmware digest"},
    {"svsm", 0, "FILE", 0, OPT_SVSM, "COCONUT-SVSM image (snp:svsm)"},
    {"vars-size", 0, "N", 0, OPT_VARS_SIZE, "size of the OVMF vars area (snp:svsm)"},
    {"vars-file", 0, "F", 0, OPT_VARS_FILE, "OVMF vars file giving that size (snp:svsm)"},
    {"output-format", 0, "F", 0, OPT_OUTPUT_FORMAT, "hex (default) or base64"},
    {"dump-vmsa", 0, "DIR", CLI_OPTIONAL_VALUE, OPT_DUMP_VMSA,
     "write the measured VMSAs to DIR/vmsa<N>.bin (default .)"},
    {"print-descriptor", 0, NULL, 0, OPT_PRINT_DESCRIPTOR,
     "print the equivalent YAML descriptor and stop"},
    {"verbose", 'v', NULL, 0, OPT_VERBOSE, "say which measurement is printed"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const struct cli_command command = {
    .verb = VERB,
    .usage = "--ovmf FILE --mode MODE [OPTIONS]",
    .about = "Compute a launch digest the way sev-snp-measure does, from the firmware and\n"
             "boot files (a classic QEMU launch, loader profile qemu-classic).",
    .options = compat_option_table,
    .exits = {"", NULL, NULL, "", NULL, NULL, ""},
};

static int number(const char *name, const char *s, unsigned long long max, unsigned long long *ret)
{
    if (!cli_parse_u64(s, max, ret))
        return cli_usage(VERB, "%s needs a number (decimal or 0x hex) up to %llu, not '%s'", name,
                         max, s);
    return 0;
}

/* YAML double-quoted scalar: every byte a YAML reader gives back unchanged. */
static void yaml_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* The descriptor the options stand for (igvmkit-descriptor(5)). */
static char *build_descriptor(const struct compat *c, const char *kernel, const char *initrd)
{
    char *text = NULL, hex[97];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *vmm = c->vmm == IGK_SNP_VMM_EC2 ? "ec2" : c->vmm == IGK_SNP_VMM_GCE ? "gce" : "qemu";

    if (!f)
        return NULL;
    fputs("version: 1\nfirmware:\n", f);
    fputs("  type: ovmf\n  path: ", f);
    yaml_quoted(f, c->ovmf);
    fputc('\n', f);
    if (c->snp_ovmf_hash) {
        igk_hex_encode(c->seed, 48, hex);
        fprintf(f, "  digest: %s\n", hex);
    }
    if (kernel) {
        fputs("kernel: ", f);
        yaml_quoted(f, kernel);
        fputs("\nkernel-format: any\n", f);
    }
    if (initrd) {
        fputs("initrd: ", f);
        yaml_quoted(f, initrd);
        fputc('\n', f);
    }
    if (c->append) {
        fputs("cmdline: ", f);
        yaml_quoted(f, c->append);
        fputc('\n', f);
    }
    fprintf(f, "vcpus: %llu\nplatforms:\n", c->has_vcpus && c->vcpus ? c->vcpus : 1);
    switch (c->mode) {
    case MODE_OVMF_HASH:
        /* The firmware digest is a property of the firmware alone: measure
         * --json reports it as firmware_digest, export as well. */
        fputs("  sev-snp: {}\n", f);
        break;
    case MODE_SNP:
    case MODE_SVSM:
        fputs("  sev-snp:\n", f);
        if (c->vcpu_type && !c->has_family && !c->has_sig)
            fprintf(f, "    vcpu-type: %s\n", c->vcpu_type);
        else
            fprintf(f, "    vcpu-sig: 0x%x\n", c->vcpu_sig);
        /* sev-snp-measure's SVSM VMSAs carry SEV_FEATURES 0x1 whatever
         * --guest-features says (check() warns). */
        fprintf(f, "    vmm: %s\n    guest-features: 0x%llx\n", vmm,
                c->mode == MODE_SVSM ? 0x1ull : c->gf);
        if (c->mode == MODE_SVSM) {
            fputs("    svsm:\n      path: ", f);
            yaml_quoted(f, c->svsm);
            fprintf(f, "\n      vars-size: %llu\n", c->vars_size);
        }
        break;
    case MODE_SEVES:
        fputs("  sev-es:\n", f);
        if (c->vcpu_type && !c->has_family && !c->has_sig)
            fprintf(f, "    vcpu-type: %s\n", c->vcpu_type);
        else
            fprintf(f, "    vcpu-sig: 0x%x\n", c->vcpu_sig);
        fprintf(f, "    vmm: %s\n", vmm);
        break;
    default:
        fputs("  sev: {}\n", f);
        break;
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/*
 * A kernel or initrd named by an option.  It goes through the input module
 * (igvm/file-input.h): open(O_NONBLOCK) and fstat() before any read, regular
 * files only, the kernel or initrd size limit checked first; so a FIFO is
 * refused at once instead of blocking.  One documented exception: the null
 * character device (/dev/null, major 1 minor 3), which sev-snp-measure's own
 * test suite passes for "no bytes", is an empty input.  It is never opened:
 * the packer gets an empty temporary file in its place, removed afterwards.
 * *ret_setup_header tells whether the bytes start a Linux kernel.
 */
static int compat_input(const char *path, const char *role, enum igk_limit_id limit,
                        char **ret_tmp, const char **ret_path, bool *ret_setup_header)
{
    unsigned char magic[4] = {0};
    const char *dir = getenv("TMPDIR");
    struct igk_error err;
    struct stat st;
    uint64_t size = 0;
    int fd;

    *ret_path = path;
    *ret_setup_header = false;
    igk_error_clear(&err);
    if (stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
        minor(st.st_rdev) == 3) {
        if (asprintf(ret_tmp, "%s/igvmkit-%s-XXXXXX", dir && *dir ? dir : "/tmp", role) < 0) {
            *ret_tmp = NULL;
            return cli_error(IGK_EXIT_INTERNAL, "out of memory");
        }
        if ((fd = mkstemp(*ret_tmp)) < 0) {
            int e = errno;

            free(*ret_tmp);
            *ret_tmp = NULL;
            return cli_error(IGK_EXIT_IO, "empty stand-in for %s '%s': %s", role, path,
                             strerror(e));
        }
        close(fd);
        *ret_path = *ret_tmp;
        return 0;
    }
    if ((fd = igk_input_open(path, limit, role, &size, &err)) < 0)
        return cli_fail(&err);
    /* The x86 boot protocol's setup header magic "HdrS" at 0x202. */
    if (size >= 0x206 && igk_input_pread(fd, magic, sizeof(magic), 0x202, path, &err) < 0) {
        close(fd);
        return cli_fail(&err);
    }
    close(fd);
    *ret_setup_header = !memcmp(magic, "HdrS", 4);
    return 0;
}

static void base64(const uint8_t *in, size_t n, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? abc[v & 63] : '=';
    }
    out[o] = 0;
}

static int print_digest(const struct compat *c, const uint8_t *d, size_t n)
{
    static const char *const names[] = {[MODE_SNP] = "SEV_SNP", [MODE_SEVES] = "SEV_ES",
                                        [MODE_SEV] = "SEV", [MODE_OVMF_HASH] = "SEV_SNP",
                                        [MODE_SVSM] = "SEV_SNP_SVSM"};
    char text[160];

    if (c->base64)
        base64(d, n, text);
    else
        igk_hex_encode(d, n, text);
    if (c->verbose)
        printf("Calculated %s guest measurement: %s\n", names[c->mode], text);
    else
        printf("%s\n", text);
    return fflush(stdout) == 0 ? IGK_EXIT_OK : cli_error(IGK_EXIT_IO, "writing the digest failed");
}

/*
 * --dump-vmsa: DIR/vmsa<N>.bin for every VMSA event, in measurement order,
 * through the output module (igvm/file-output.h): collected during the walk,
 * then written to temporaries and published together, or not at all.
 */
struct dump_state {
    uint8_t *pages;
    unsigned n, cap;
};

static int on_dump(const struct igk_page_event *ev, void *user, struct igk_error *err)
{
    struct dump_state *d = user;

    if (ev->kind != IGK_EVENT_VMSA)
        return 0;
    if (d->n == d->cap) {
        unsigned cap = d->cap ? 2 * d->cap : 8;
        uint8_t *p = realloc(d->pages, (size_t)cap * IGK_PAGE_SIZE);

        if (!p)
            return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
        d->pages = p;
        d->cap = cap;
    }
    memcpy(d->pages + (size_t)d->n++ * IGK_PAGE_SIZE, ev->data, IGK_PAGE_SIZE);
    return 0;
}

static int publish_dump(const char *dir, const struct dump_state *d, struct igk_output_set *set,
                        struct igk_error *err)
{
    char path[4200];
    int r;

    for (unsigned i = 0; i < d->n; i++) {
        snprintf(path, sizeof(path), "%s/vmsa%u.bin", dir, i);
        if ((r = igk_output_add_file(set, path, d->pages + (size_t)i * IGK_PAGE_SIZE,
                                     IGK_PAGE_SIZE, err)) < 0)
            return r;
    }
    return igk_output_commit(set, err);
}

/*
 * Before any work: DIR must be a directory, and each vmsa<N>.bin in it
 * missing or a regular file.  The output module would write through a FIFO
 * or a device and replace the file behind a symbolic link; a dump of VMSA
 * pages is meant as plain files, so those are refused here.
 */
static int check_dump_dir(const char *dir, unsigned long long n)
{
    struct stat st;
    char path[4200];

    if (stat(dir, &st) < 0)
        return cli_error(IGK_EXIT_IO, "%s: --dump-vmsa directory: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cli_error(IGK_EXIT_IO, "%s: --dump-vmsa needs a directory", dir);
    for (unsigned long long i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/vmsa%llu.bin", dir, i);
        if (lstat(path, &st) < 0) {
            if (errno == ENOENT)
                continue;
            return cli_error(IGK_EXIT_IO, "%s: %s", path, strerror(errno));
        }
        if (!S_ISREG(st.st_mode))
            return cli_error(IGK_EXIT_IO, "%s: is %s: refusing to write a VMSA dump there", path,
                             S_ISLNK(st.st_mode)    ? "a symbolic link"
                             : S_ISFIFO(st.st_mode) ? "a FIFO"
                             : S_ISCHR(st.st_mode)  ? "a character device"
                             : S_ISBLK(st.st_mode)  ? "a block device"
                             : S_ISDIR(st.st_mode)  ? "a directory"
                                                    : "not a regular file");
    }
    return 0;
}

static int parse(int argc, char **argv, struct compat *c)
{
    struct cli_parser p;
    int status = 0, id;

    cli_parser_init(&p, &command, argc, argv);
    while (!status && (id = cli_next(&p)) != CLI_END) {
        const char *v = p.value;

        switch (id) {
        case CLI_STOP:
            return p.status ? p.status : -1; /* -1: --help printed */
        case OPT_MODE:
            if (!strcmp(v, "snp"))
                c->mode = MODE_SNP;
            else if (!strcmp(v, "seves"))
                c->mode = MODE_SEVES;
            else if (!strcmp(v, "sev"))
                c->mode = MODE_SEV;
            else if (!strcmp(v, "snp:ovmf-hash"))
                c->mode = MODE_OVMF_HASH;
            else if (!strcmp(v, "snp:svsm"))
                c->mode = MODE_SVSM;
            else
                status = cli_usage(VERB, "unknown --mode '%s' (expected snp, seves, sev, "
                                         "snp:ovmf-hash or snp:svsm)", v);
            break;
        case OPT_OVMF: c->ovmf = v; break;
        case OPT_KERNEL: c->kernel = v; break;
        case OPT_INITRD: c->initrd = v; break;
        case OPT_APPEND: c->append = v; break;
        case OPT_SVSM: c->svsm = v; break;
        case OPT_VARS_FILE: c->vars_file = v; break;
        case OPT_VMM_TYPE: c->vmm_name = v; break;
        case OPT_SNP_OVMF_HASH: c->snp_ovmf_hash = v; break;
        case OPT_VCPU_TYPE:
            if (!igk_snp_vcpu_signature(v))
                status = cli_usage(VERB, "unknown --vcpu-type '%s'", v);
            c->vcpu_type = v;
            break;
        case OPT_VCPUS:
            if (!(status = number("--vcpus", v, 512, &c->vcpus)))
                c->has_vcpus = true;
            break;
        case OPT_VCPU_SIG:
            if (!(status = number("--vcpu-sig", v, UINT32_MAX, &c->sig)))
                c->has_sig = true;
            break;
        case OPT_VCPU_FAMILY:
            if (!(status = number("--vcpu-family", v, 0xFF + 0xF, &c->family)))
                c->has_family = true;
            break;
        case OPT_VCPU_MODEL:
            if (!(status = number("--vcpu-model", v, 0xFF, &c->model)))
                c->has_model = true;
            break;
        case OPT_VCPU_STEPPING:
            if (!(status = number("--vcpu-stepping", v, 0xF, &c->stepping)))
                c->has_stepping = true;
            break;
        case OPT_GUEST_FEATURES:
            if (!(status = number("--guest-features", v, UINT64_MAX, &c->gf)))
                c->has_gf = true;
            break;
        case OPT_VARS_SIZE:
            if (!(status = number("--vars-size", v, 0xFFFFF000ull, &c->vars_size)))
                c->has_vars_size = true;
            break;
        case OPT_OUTPUT_FORMAT:
            if (!strcmp(v, "base64"))
                c->base64 = true;
            else if (strcmp(v, "hex"))
                status = cli_usage(VERB, "unknown --output-format '%s' (expected hex or base64)",
                                   v);
            break;
        case OPT_DUMP_VMSA:
            c->dump_vmsa = true;
            c->dump_dir = v ? v : ".";
            break;
        case OPT_PRINT_DESCRIPTOR:
            c->print_descriptor = true;
            break;
        case OPT_VERBOSE:
            c->verbose = true;
            break;
        }
    }
    if (!status && p.n_operands)
        status = cli_usage(VERB, "unexpected argument '%s' (sev-snp-measure takes no operands)",
                           p.operands[0]);
    return status;
}

/* The cross-option rules of sev-snp-measure's command line. */
static int check(struct compat *c)
{
    if (!c->mode)
        return cli_usage(VERB, "missing --mode (snp, seves, sev, snp:ovmf-hash or snp:svsm)");
    if (!c->ovmf)
        return cli_usage(VERB, "missing --ovmf FILE");
    if (c->mode == MODE_OVMF_HASH)
        return 0;
    if ((c->initrd || c->append) && !c->kernel)
        return cli_usage(VERB, "--kernel required when using --%s", c->initrd ? "initrd" : "append");
    if (c->mode != MODE_SEV && !c->has_vcpus)
        return cli_usage(VERB, "missing --vcpus N in guest mode '%s'",
                         c->mode == MODE_SNP ? "snp" : c->mode == MODE_SEVES ? "seves" : "snp:svsm");
    if (c->has_vcpus && c->vcpus == 0 && c->mode != MODE_SEV)
        return cli_usage(VERB, "--vcpus must be at least 1 (a launch without a VMSA does not "
                               "boot)");
    if (!c->vmm_name || !strcmp(c->vmm_name, "QEMU"))
        c->vmm = IGK_SNP_VMM_QEMU;
    else if (!strcmp(c->vmm_name, "ec2"))
        c->vmm = IGK_SNP_VMM_EC2;
    else if (!strcmp(c->vmm_name, "gce"))
        c->vmm = IGK_SNP_VMM_GCE;
    else
        return cli_usage(VERB, "unknown VMM type '%s' (expected QEMU, ec2 or gce)", c->vmm_name);
    if (c->has_family) {
        unsigned fam = (unsigned)c->family, model = (unsigned)c->model;
        unsigned base = fam > 0xF ? 0xF : fam, ext = fam > 0xF ? fam - 0xF : 0;

        c->vcpu_sig = (ext << 20) | ((model >> 4) << 16) | (base << 8) | ((model & 0xF) << 4) |
                      ((unsigned)c->stepping & 0xF);
    } else if (c->has_sig && c->sig) {
        c->vcpu_sig = (uint32_t)c->sig;
    } else if (c->vcpu_type) {
        c->vcpu_sig = igk_snp_vcpu_signature(c->vcpu_type);
    } else if (c->mode != MODE_SEV && c->vmm == IGK_SNP_VMM_QEMU) {
        return cli_usage(VERB, "missing --vcpu-type or --vcpu-sig or --vcpu-family in guest mode "
                               "'%s'", c->mode == MODE_SEVES ? "seves" : "snp");
    }
    if (!c->has_gf)
        c->gf = 0x21;
    if (c->snp_ovmf_hash) {
        /* snp:svsm too (sev-snp-measure refuses it there): the OVMF pages come
         * first in that launch, so their digest seeds the chain the same way. */
        if (c->mode != MODE_SNP && c->mode != MODE_SVSM)
            return cli_usage(VERB, "--snp-ovmf-hash works with --mode snp or snp:svsm only");
        if (igk_hex_decode(c->snp_ovmf_hash, c->seed, sizeof(c->seed)) < 0)
            return cli_usage(VERB, "--snp-ovmf-hash must be 96 hex digits (a SHA-384 digest), "
                                   "not '%s'", c->snp_ovmf_hash);
    }
    if (c->mode == MODE_SVSM) {
        if (!c->svsm)
            return cli_usage(VERB, "snp:svsm mode requires --svsm FILE");
        if (c->vmm != IGK_SNP_VMM_QEMU)
            return cli_usage(VERB, "snp:svsm mode is only defined for --vmm-type QEMU");
        if (c->vars_file && c->has_vars_size)
            return cli_usage(VERB, "give --vars-size or --vars-file, not both");
        if (c->vars_file) {
            /* Only its size is used; opened like every input (no FIFO, within the limit). */
            struct igk_error err;
            uint64_t size = 0;
            int fd;

            igk_error_clear(&err);
            if ((fd = igk_input_open(c->vars_file, IGK_LIMIT_FIRMWARE_SIZE, "vars", &size,
                                     &err)) < 0)
                return cli_fail(&err);
            close(fd);
            c->vars_size = size;
        } else if (!c->has_vars_size) {
            return cli_usage(VERB, "snp:svsm mode requires --vars-size or --vars-file");
        }
        if (c->has_gf && c->gf != 0x1)
            fprintf(stderr, "igvmkit: warning: --mode snp:svsm measures SEV_FEATURES 0x1, as "
                            "sev-snp-measure does; --guest-features 0x%llx is not used\n",
                    c->gf);
    } else if (c->svsm || c->vars_file || c->has_vars_size) {
        return cli_usage(VERB, "--svsm, --vars-size and --vars-file belong to --mode snp:svsm");
    }
    if (c->dump_vmsa && c->mode == MODE_SEV)
        return cli_usage(VERB, "--dump-vmsa is not available in the selected mode");
    return 0;
}

/* Warns when the kernel has no x86 setup header: hashed fine, but QEMU will not boot it. */
static void warn_kernel(const char *name)
{
    fprintf(stderr,
            "igvmkit: warning: kernel '%s' has no Linux setup header (\"HdrS\" at 0x202): "
            "its hash is measured, but QEMU will not boot it\n",
            name);
}

static int measure(struct compat *c, const char *yaml)
{
    enum igk_platform_type platform = c->mode == MODE_SEVES ? IGK_PLATFORM_SEV_ES
                                      : c->mode == MODE_SEV ? IGK_PLATFORM_SEV
                                                            : IGK_PLATFORM_SEV_SNP;
    struct igk_measure_options options = {.loader = IGK_LOADER_QEMU_CLASSIC};
    struct igk_pack_result result = {0};
    struct igk_output_set set;
    struct igk_measurement m;
    struct igk_spec *spec = NULL;
    struct igk_error err;
    int r, status;

    igk_output_set_init(&set);
    igk_error_clear(&err);
    /* Files are checked by the packer as it reads them (a descriptor in memory names no directory). */
    r = igk_spec_load_buffer(yaml, strlen(yaml), "(options)", ".", false, &spec, &err);
    if (r >= 0 && c->mode != MODE_OVMF_HASH)
        r = igk_pack(spec, &result, &err);
    if (r < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (c->snp_ovmf_hash)
        options.snp_seed = c->seed;
    /* The firmware pages alone, the same code as measure's and export's firmware_digest. */
    if (c->mode == MODE_OVMF_HASH) {
        uint8_t digest[48];
        bool have = false;

        if (cli_spec_firmware_digest(spec, digest, &have, &err) < 0) {
            status = cli_fail(&err);
            goto out;
        }
        status = have ? print_digest(c, digest, 48)
                      : cli_error(IGK_EXIT_INTERNAL, "no firmware digest for '%s'", c->ovmf);
        goto out;
    }
    r = igk_measure(result.igvm, platform, &options, &m, &err);
    if (r < 0) {
        status = cli_fail(&err);
        goto out;
    }
    if (c->dump_vmsa) {
        struct dump_state d = {0};

        r = igk_walk(result.igvm, platform, &options, on_dump, &d, &err);
        if (r >= 0)
            r = publish_dump(c->dump_dir, &d, &set, &err);
        free(d.pages);
        if (r < 0) {
            status = cli_fail(&err);
            goto out;
        }
    }
    status = print_digest(c, m.digest, m.digest_len);
out:
    igk_output_set_done(&set);
    igk_pack_result_done(&result);
    igk_spec_free(spec);
    return status;
}

int cli_measure_compat(int argc, char **argv)
{
    struct compat c = {0};
    const char *kernel = NULL, *initrd = NULL;
    char *yaml = NULL;
    int status = parse(argc, argv, &c);

    if (status < 0)
        return IGK_EXIT_OK; /* --help */
    if (status || (status = check(&c)))
        return status;
    if (c.dump_vmsa && !c.print_descriptor &&
        (status = check_dump_dir(c.dump_dir, c.has_vcpus ? c.vcpus : 1)))
        return status;
    if (c.kernel && !c.print_descriptor && c.mode != MODE_OVMF_HASH) {
        bool linux_kernel = false, unused;

        if ((status = compat_input(c.kernel, "kernel", IGK_LIMIT_KERNEL_SIZE, &c.tmp_kernel,
                                   &kernel, &linux_kernel)) ||
            (c.initrd && (status = compat_input(c.initrd, "initrd", IGK_LIMIT_INITRD_SIZE,
                                                &c.tmp_initrd, &initrd, &unused))))
            goto out;
        if (!linux_kernel)
            warn_kernel(c.kernel);
    } else if (c.mode != MODE_OVMF_HASH) {
        kernel = c.kernel;
        initrd = c.initrd;
    }
    if (c.mode == MODE_OVMF_HASH)
        c.append = NULL;
    if (!(yaml = build_descriptor(&c, kernel, initrd))) {
        status = cli_error(IGK_EXIT_INTERNAL, "out of memory");
        goto out;
    }
    if (c.print_descriptor) {
        status = cli_write_stdout(yaml, strlen(yaml));
        goto out;
    }
    status = measure(&c, yaml);
out:
    free(yaml);
    if (c.tmp_kernel)
        unlink(c.tmp_kernel);
    if (c.tmp_initrd)
        unlink(c.tmp_initrd);
    free(c.tmp_kernel);
    free(c.tmp_initrd);
    return status;
}
