/* SPDX-License-Identifier: MIT */
/*
 * Launch command lines in the CLI (see launch-hint.h): the printing that
 * `igvmkit launch` does, and the QEMU commands `measure` and `pack --measure`
 * show next to the digests they predict.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "launch-hint.h"
#include "load-model.h"

char *cli_launch_igvm_name_for(const char *descriptor)
{
    const char *dot = strrchr(descriptor, '.');
    size_t stem = dot ? (size_t)(dot - descriptor) : strlen(descriptor);
    char *s = malloc(stem + sizeof(".igvm"));

    if (s) {
        memcpy(s, descriptor, stem);
        memcpy(s + stem, ".igvm", sizeof(".igvm"));
    }
    return s;
}

void cli_launch_inputs_from_spec(const struct igk_spec *spec, struct igk_launch_inputs *in)
{
    bool ovmf = spec->firmware_type == IGK_FIRMWARE_OVMF;

    in->memory = spec->memory;
    in->memory_exact = spec->firmware_type == IGK_FIRMWARE_NONE;
    in->vcpus = spec->vcpus;
    in->firmware_path = spec->firmware.present ? spec->firmware.path : NULL;
    in->kernel_path = in->initrd_path = in->cmdline = NULL;
    /* With OVMF the kernel reaches the guest through -kernel: bound by the SNP
     * hash table, measured into RTMRs on TDX, unmeasured on native.  Direct
     * boot packs it into the file. */
    if (ovmf && spec->kernel.present) {
        in->kernel_path = spec->kernel.path;
        in->initrd_path = spec->initrd.present ? spec->initrd.path : NULL;
        in->cmdline = spec->has_cmdline ? spec->cmdline : NULL;
    }
}

/* Whether an argument needs shell quoting. */
static bool needs_quotes(const char *s)
{
    if (!*s)
        return true;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "-_=,./:+@%",
                    *s))
            return true;
    return false;
}

static void print_shell_word(FILE *out, const char *s)
{
    if (!needs_quotes(s)) {
        fputs(s, out);
        return;
    }
    fputc('\'', out);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", out);
        else
            fputc(*s, out);
    fputc('\'', out);
}

void cli_launch_print_text(FILE *out, const struct igk_launch_command *c)
{
    fprintf(out, "# %s, %s%s\n", igk_lint_loader_name(c->loader), igk_platform_name(c->platform),
            c->from_igvm ? "" : " (launched without the IGVM file)");
    print_shell_word(out, c->argv[0]);
    for (size_t i = 1; i < c->argc; i++) {
        bool is_value = c->argv[i][0] != '-';

        if (is_value)
            fputc(' ', out);
        else
            fputs(" \\\n    ", out);
        print_shell_word(out, c->argv[i]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < c->n_notes; i++)
        fprintf(out, "# note: %s\n", c->notes[i]);
}

void cli_launch_json(struct igk_json *j, const struct igk_launch_command *c)
{
    igk_json_begin_object(j);
    igk_json_key(j, "loader");
    igk_json_string(j, igk_lint_loader_name(c->loader));
    igk_json_key(j, "platform");
    igk_json_string(j, igk_platform_name(c->platform));
    igk_json_key(j, "from_igvm");
    igk_json_bool(j, c->from_igvm);
    igk_json_key(j, "argv");
    igk_json_begin_array(j);
    for (size_t i = 0; i < c->argc; i++)
        igk_json_string(j, c->argv[i]);
    igk_json_end_array(j);
    igk_json_key(j, "notes");
    igk_json_begin_array(j);
    for (size_t i = 0; i < c->n_notes; i++)
        igk_json_string(j, c->notes[i]);
    igk_json_end_array(j);
    igk_json_end_object(j);
}

int cli_launch_for_measure(const struct igk_igvm *igvm, const char *input, const char *igvm_path,
                           enum igk_loader loader, const enum igk_platform_type *platforms,
                           size_t n, struct cli_launch_set *set, struct igk_error *err)
{
    struct igk_spec *spec = NULL;
    char *default_name = NULL;
    int r = 0;

    set->n = 0;
    if (loader != IGK_LOADER_QEMU && loader != IGK_LOADER_QEMU8)
        return 0;
    if (cli_is_descriptor(input)) {
        if ((r = igk_spec_load(input, &spec, err)) < 0)
            return r;
        if (!igvm_path && !(igvm_path = default_name = cli_launch_igvm_name_for(input)))
            r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    } else if (!igvm_path) {
        igvm_path = input;
    }
    for (size_t i = 0; r == 0 && i < n && set->n < IGK_PLATFORM_MAX; i++) {
        struct igk_launch_inputs in = {0};
        enum igk_platform_type p = platforms[i];

        /* qemu-8 is a TDX page order; QEMU's SEV-SNP launch is the qemu profile. */
        if ((p != IGK_PLATFORM_SEV_SNP && p != IGK_PLATFORM_TDX) ||
            (p == IGK_PLATFORM_SEV_SNP && loader != IGK_LOADER_QEMU))
            continue;
        if (spec)
            cli_launch_inputs_from_spec(spec, &in);
        in.igvm_path = igvm_path;
        r = igk_launch_command(igvm, IGK_LINT_QEMU, p, &in, &set->cmds[set->n], err);
        if (r == 0)
            set->n++;
        else if (r == IGK_E_UNSUPPORTED) {
            igk_error_clear(err);
            r = 0;
        }
    }
    free(default_name);
    igk_spec_free(spec);
    if (r < 0)
        cli_launch_set_done(set);
    return r;
}

void cli_launch_set_done(struct cli_launch_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        igk_launch_command_done(&set->cmds[i]);
    set->n = 0;
}

void cli_launch_print_section(FILE *out, const struct cli_launch_set *set)
{
    if (!set->n)
        return;
    fprintf(out, "\nlaunch commands (as igvmkit launch prints them):\n");
    for (size_t i = 0; i < set->n; i++) {
        if (i)
            fputc('\n', out);
        cli_launch_print_text(out, &set->cmds[i]);
    }
}

void cli_launch_to_export(const struct cli_launch_set *set, struct igk_export_input *in)
{
    in->n_launch = 0;
    for (size_t i = 0; i < set->n && i < IGK_PLATFORM_MAX; i++) {
        const struct igk_launch_command *c = &set->cmds[i];
        struct igk_export_launch *l = &in->launch[in->n_launch++];

        l->loader = igk_lint_loader_name(c->loader);
        l->platform = igk_platform_name(c->platform);
        l->from_igvm = c->from_igvm;
        l->argc = c->argc < IGK_EXPORT_MAX_LAUNCH_ARGS ? c->argc : IGK_EXPORT_MAX_LAUNCH_ARGS;
        for (size_t k = 0; k < l->argc; k++)
            l->argv[k] = c->argv[k];
        l->n_notes =
            c->n_notes < IGK_EXPORT_MAX_LAUNCH_NOTES ? c->n_notes : IGK_EXPORT_MAX_LAUNCH_NOTES;
        for (size_t k = 0; k < l->n_notes; k++)
            l->notes[k] = c->notes[k];
    }
}
