/* SPDX-License-Identifier: MIT */
/*
 * read-validate FILE: read an IGVM file with the validating reader and list
 * its platforms.  A file the reference parser would refuse is refused here
 * too; the error names the byte offset (and header) of the defect.
 *
 *   cc read-validate.c $(pkg-config --cflags --libs igvmkit)
 */
#include <stdio.h>

#include <igvmkit/error.h>
#include <igvmkit/igvm.h>

int main(int argc, char **argv)
{
    struct igk_igvm *igvm = NULL;
    struct igk_error err;
    char line[1200];

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.igvm\n", argv[0]);
        return 2;
    }
    igk_error_clear(&err);
    if (igk_igvm_read_file(argv[1], NULL, &igvm, &err) < 0) {
        /* The library never prints: the caller formats the error value. */
        fprintf(stderr, "%s\n", igk_error_format(&err, line, sizeof(line)));
        return igk_err_exit_status(err.code);
    }
    printf("valid IGVM v%u, %zu headers, %llu bytes\n", igvm->format_version,
           igvm->n_headers, (unsigned long long)igvm->file_size);
    for (size_t i = 0; i < igvm->n_headers; i++) {
        const struct igk_header *h = &igvm->headers[i];

        if (h->type == IGK_VHT_SUPPORTED_PLATFORM)
            printf("platform %s, mask 0x%x\n",
                   igk_platform_name((enum igk_platform_type)h->u.platform.platform_type),
                   h->u.platform.compatibility_mask);
    }
    igk_igvm_free(igvm);
    return 0;
}
