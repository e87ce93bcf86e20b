/* SPDX-License-Identifier: MIT */
/*
 * pack DESCRIPTOR.yaml OUT.igvm: load and validate a guest descriptor (see
 * igvmkit-descriptor(5)), lay it out as an IGVM model, write the file
 * atomically and print the SEV-SNP digest of what was packed under the
 * qemu-classic profile, the value sev-snp-measure computes for the same
 * firmware.
 *
 *   cc pack.c $(pkg-config --cflags --libs igvmkit)
 */
#include <stdio.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>
#include <igvmkit/pack.h>

int main(int argc, char **argv)
{
    struct igk_measure_options options = {.loader = IGK_LOADER_QEMU_CLASSIC};
    struct igk_pack_result packed = {0};
    struct igk_spec *spec = NULL;
    struct igk_measurement m;
    struct igk_error err;
    char line[1200];
    int r;

    if (argc != 3) {
        fprintf(stderr, "usage: %s DESCRIPTOR.yaml OUT.igvm\n", argv[0]);
        return 2;
    }
    igk_error_clear(&err);
    r = igk_spec_load(argv[1], &spec, &err); /* errors carry FILE:LINE:COLUMN */
    if (r == 0)
        r = igk_pack(spec, &packed, &err);
    if (r == 0)
        r = igk_igvm_write_file(packed.igvm, argv[2], &err); /* nothing left on failure */
    if (r == 0)
        r = igk_measure(packed.igvm, IGK_PLATFORM_SEV_SNP, &options, &m, &err);
    if (r == 0) {
        for (size_t i = 0; i < packed.n_inputs; i++)
            printf("input %s %s (%llu bytes)\n", packed.inputs[i].role, packed.inputs[i].path,
                   (unsigned long long)packed.inputs[i].size);
        printf("sev-snp %s ", igk_loader_name(m.loader));
        for (size_t i = 0; i < m.digest_len; i++)
            printf("%02x", m.digest[i]);
        printf("\n");
    } else {
        fprintf(stderr, "%s\n", igk_error_format(&err, line, sizeof(line)));
    }
    igk_pack_result_done(&packed);
    igk_spec_free(spec);
    return r < 0 ? igk_err_exit_status(r) : 0;
}
