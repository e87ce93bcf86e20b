/* SPDX-License-Identifier: MIT */
/*
 * measure FILE [PLATFORM [LOADER]]: the launch measurement of one platform
 * ("sev-snp" by default) under a loader profile ("qemu" by default), the
 * value the platform's attestation report will carry.
 *
 *   cc measure.c $(pkg-config --cflags --libs igvmkit)
 */
#include <stdio.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>

int main(int argc, char **argv)
{
    struct igk_measure_options options = {.loader = IGK_LOADER_QEMU};
    struct igk_measurement m;
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    char line[1200];
    int platform, loader, r;

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s FILE.igvm [PLATFORM [LOADER]]\n", argv[0]);
        return 2;
    }
    platform = igk_platform_from_name(argc > 2 ? argv[2] : "sev-snp");
    loader = igk_loader_from_name(argc > 3 ? argv[3] : "qemu");
    if (platform < 0 || loader < 0) {
        fprintf(stderr, "unknown platform or loader\n");
        return 2;
    }
    options.loader = (enum igk_loader)loader;

    igk_error_clear(&err);
    /* The lean reader keeps page headers in the mapped file: memory stays
     * small whatever the file size, and igk_measure() walks it all the same. */
    r = igk_igvm_read_file_lean(argv[1], NULL, &igvm, &err);
    if (r == 0)
        r = igk_measure(igvm, (enum igk_platform_type)platform, &options, &m, &err);
    if (r < 0) {
        fprintf(stderr, "%s\n", igk_error_format(&err, line, sizeof(line)));
        igk_igvm_free(igvm);
        return igk_err_exit_status(r);
    }
    printf("%s %s %s ", igk_platform_name(m.platform), igk_loader_name(m.loader), m.algorithm);
    for (size_t i = 0; i < m.digest_len; i++)
        printf("%02x", m.digest[i]);
    printf("\n");
    /* An ID block that does not match is a result, not an error. */
    if (m.idblock == IGK_IDBLOCK_LD_MISMATCH || m.idblock == IGK_IDBLOCK_BAD_SIGNATURE)
        printf("the file's SNP ID block does not match\n");
    igk_igvm_free(igvm);
    return 0;
}
