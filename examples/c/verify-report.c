/* SPDX-License-Identifier: MIT */
/*
 * verify-report FILE.igvm REPORT.bin: compare an SEV-SNP attestation report
 * with the values an IGVM file predicts (launch digest under the qemu
 * profile, policy, ID-block fields), field by field.  Exit 0 when every
 * field matches, 4 when one does not, 3 for a malformed report.
 *
 * This compares values only: it does not authenticate the report (see
 * igk_snp_authenticate() and docs/snp-trust.md for the chain of trust).
 *
 *   cc verify-report.c $(pkg-config --cflags --libs igvmkit)
 */
#include <stdio.h>
#include <stdlib.h>

#include <igvmkit/attest.h>
#include <igvmkit/error.h>
#include <igvmkit/igvm.h>
#include <igvmkit/measure.h>

/* Reads a whole (small) file into memory; NULL on failure. */
static unsigned char *slurp(const char *path, size_t *len)
{
    unsigned char *buf = NULL;
    FILE *f = fopen(path, "rb");
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
        *len = (size_t)size;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    struct igk_igvm *igvm = NULL;
    struct igk_snp_expected expected;
    struct igk_snp_report report;
    struct igk_verify_table table = {0};
    struct igk_error err;
    unsigned char *buf;
    size_t len = 0;
    char line[1200];
    int r;

    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE.igvm REPORT.bin\n", argv[0]);
        return 2;
    }
    buf = slurp(argv[2], &len);
    if (!buf) {
        perror(argv[2]);
        return 6;
    }
    igk_error_clear(&err);
    r = igk_snp_report_parse(buf, len, &report, &err); /* untrusted bytes: size, version */
    if (r == 0)
        r = igk_igvm_read_file(argv[1], NULL, &igvm, &err);
    if (r == 0)
        r = igk_snp_expected_from_igvm(igvm, IGK_LOADER_QEMU, &expected, &err);
    free(buf);
    igk_igvm_free(igvm);
    if (r < 0) {
        fprintf(stderr, "%s\n", igk_error_format(&err, line, sizeof(line)));
        return igk_err_exit_status(r);
    }
    igk_snp_compare(&expected, &report, igk_snp_report_product(&report), &table);
    for (size_t i = 0; i < table.n_rows; i++)
        printf("%-17s %s\n", table.rows[i].field, table.rows[i].match ? "match" : "MISMATCH");
    printf("%zu of %zu fields differ\n", table.n_mismatches, table.n_rows);
    return table.n_mismatches ? igk_err_exit_status(IGK_E_MISMATCH) : 0;
}
