/* SPDX-License-Identifier: MIT */
/*
 * TDX RTMR1/RTMR2 prediction against tests/data/REFERENCE.md ("TDX RTMR1 /
 * RTMR2 for OVMF direct kernel boot", values from dstack-mr @312dc60).
 *
 * Part 1 needs no download: a small synthetic bzImage/PE kernel checks
 * QEMU's setup-header patch field by field, the four fixed RTMR1 events and
 * all of RTMR2 (which does not depend on the kernel).  Part 2 fetches the
 * Debian kernel the reference values were computed for
 * (tests/lib/fetch-kernel.sh) and checks RTMR1 event 1 and RTMR1 for 1, 2
 * and 4 GiB; it is a TAP skip when the kernel cannot be fetched.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <igvmkit/measure.h>

#include "le.h"
#include "rtmr-internal.h"
#include "tap.h"
#include "util.h"

#define GIB (1024ull * 1024 * 1024)
#define CMDLINE "console=ttyS0 root=/dev/vda1 ro"

static const char *const fixed_events[4] = {
    "77a0dab2312b4e1e57a84d865a21e5b2ee8d677a21012ada819d0a98988078d3d740f6346bfe0abaa938ca20439a8d71",
    "394341b7182cd227c5c6b07ef8000cdfd86136c4292b8e576573ad7ed9ae41019f5818b4b971c9effc60e1ad9f1289f0",
    "214b0bef1379756011344877743fdc2a5382bac6e70362d624ccf3f654407c1b4badf7d8f9295dd3dabdef65b27677e0",
    "0a2e01c85deae718a530ad8c6d20a84009babe6c8989269e950d8cf440c6e997695e64d455c4174a652cd080f6230b74",
};
#define RTMR2_CMDLINE_EVENT                                                                        \
    "68f7f5ce56b52054ea6be4e8136608cdf0b3b29a2c0ea6fff2f32910c1e87118dc21e7e7b9d8b42ebd085e8c029cbf2c"
#define RTMR2_INITRD_EVENT                                                                         \
    "3260f82b5aa8d3fab11a57dd3090a76f5acf12593452e64757f28b58cb3f61a3e8ac71a60ef090f5ba5a0d6b963d4e6f"
#define RTMR2_VALUE                                                                                \
    "fe42f5cbb4cc0609cbe5e3822cb83134d1e474e0c8f010753c719b3de0f23473c9b7b80b0cda657f859e3ee5ef50d36d"

/* A 4 KiB image that is both a Linux bzImage header (boot protocol 2.15,
 * LOADED_HIGH, XLF_CAN_BE_LOADED_ABOVE_4G) and a PE32+ image. */
#define SYN_LEN 0x1000
static void synthetic_kernel(uint8_t *k)
{
    memset(k, 0, SYN_LEN);
    k[0] = 'M';
    k[1] = 'Z';
    igk_put_le32(k + 0x3c, 0x300);
    memcpy(k + 0x202, "HdrS", 4);
    igk_put_le16(k + 0x206, 0x20f);
    k[0x211] = 0x01;
    igk_put_le16(k + 0x236, 0x7f);
    memcpy(k + 0x300, "PE\0\0", 4);
    igk_put_le16(k + 0x304 + 2, 1);         /* one section        */
    igk_put_le16(k + 0x304 + 16, 240);      /* SizeOfOptionalHeader */
    igk_put_le16(k + 0x318, 0x20b);         /* PE32+              */
    igk_put_le32(k + 0x318 + 60, 0x600);    /* SizeOfHeaders      */
    igk_put_le32(k + 0x318 + 108, 16);      /* NumberOfRvaAndSizes */
    igk_put_le32(k + 0x408 + 16, 0xa00);    /* section raw size   */
    igk_put_le32(k + 0x408 + 20, 0x600);    /* section raw offset */
}

static void test_patch(const uint8_t *kernel, size_t initrd_len)
{
    static const struct {
        uint64_t memory;
        uint32_t address;
    } cases[] = {
        {1 * GIB, 0x3ffc7000},          /* below_4g = 1 GiB                   */
        {2 * GIB, 0x7ffc7000},          /* below_4g = 2 GiB                   */
        {0xa0000000, 0x9ffc7000},       /* under 0xB0000000: all of it        */
        {0xb0000000, 0x7ffc7000},       /* from 0xB0000000 q35 splits at 2 GiB */
        {4 * GIB, 0x7ffc7000},
    };
    struct igk_qemu_kernel_patch patch;
    struct igk_error err;
    uint8_t *img = NULL;

    for (size_t i = 0; i < IGK_ARRAY_SIZE(cases); i++) {
        igk_error_clear(&err);
        int r = igk_qemu_patch_kernel(kernel, SYN_LEN, initrd_len, cases[i].memory,
                                      IGK_TDX_ACPI_DATA_SIZE, &img, &patch, &err);
        is_int(r, 0, "patch for memory %#llx", (unsigned long long)cases[i].memory);
        if (r < 0)
            continue;
        is_int(patch.initrd_address, cases[i].address, "ramdisk_image for memory %#llx",
               (unsigned long long)cases[i].memory);
        is_int(igk_le32(img + 0x218), cases[i].address, "ramdisk_image written at 0x218");
        is_int(igk_le32(img + 0x21c), (long long)initrd_len, "ramdisk_size written at 0x21c");
        if (i == 0) {
            is_int(img[0x210], 0xb0, "type_of_loader = QEMU");
            is_int(img[0x211], 0x81, "loadflags |= CAN_USE_HEAP");
            is_int(igk_le16(img + 0x224), 0xfe00, "heap_end_ptr = 0x20000 - 0x10000 - 0x200");
            is_int(igk_le32(img + 0x228), 0x20000, "cmd_line_ptr = 0x20000");
            ok(!memcmp(img + 0x300, kernel + 0x300, SYN_LEN - 0x300), "rest of image untouched");
        }
        free(img);
        img = NULL;
    }
}

/* A temporary file holding len bytes of data, open for reading; -1 on failure. */
static int temp_file(const uint8_t *data, size_t len)
{
    char path[] = "/tmp/igk-test-rtmr.XXXXXX";
    int fd = mkstemp(path);

    if (fd < 0)
        return -1;
    unlink(path);
    if (write(fd, data, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * igk_tdx_predict_rtmr_fd(): the same prediction as from memory, for the
 * tests/data/REFERENCE.md initrd and for one of several 1 MiB pieces; no initrd with
 * fd -1; a file shorter than said is an I/O error naming it.
 */
static void test_fd(const uint8_t *kernel, const uint8_t *initrd, size_t initrd_len)
{
    struct igk_rtmr_prediction mem, fd_p;
    const size_t big_len = 3 * 1024 * 1024 + 5;
    uint8_t *big = malloc(big_len);
    struct igk_error err;
    int fd;

    igk_error_clear(&err);
    fd = temp_file(initrd, initrd_len);
    ok(fd >= 0, "fd: initrd file");
    is_int(igk_tdx_predict_rtmr_fd(kernel, SYN_LEN, fd, initrd_len, "initrd.img", CMDLINE, GIB,
                                   &fd_p, &err),
           0, "fd: prediction");
    is_hex(fd_p.rtmr2.value, 48, RTMR2_VALUE, "fd: RTMR2 as from memory (tests/data/REFERENCE.md)");
    is_int(igk_tdx_predict_rtmr_fd(kernel, SYN_LEN, fd, initrd_len + 4096, "initrd.img", CMDLINE,
                                   GIB, &fd_p, &err),
           IGK_E_IO, "fd: file shorter than said: I/O error");
    is_str(err.message, "changed while being read (it became shorter)", "fd: shorter: message");
    is_str(err.path, "initrd.img", "fd: shorter: names the initrd");
    if (fd >= 0)
        close(fd);

    for (size_t i = 0; big && i < big_len; i++)
        big[i] = (uint8_t)(i * 131 + (i >> 20));
    fd = big ? temp_file(big, big_len) : -1;
    igk_error_clear(&err);
    is_int(igk_tdx_predict_rtmr(kernel, SYN_LEN, big, big_len, CMDLINE, GIB, &mem, &err), 0,
           "fd: 3 MiB + 5 initrd from memory");
    is_int(igk_tdx_predict_rtmr_fd(kernel, SYN_LEN, fd, big_len, "big", CMDLINE, GIB, &fd_p, &err),
           0, "fd: 3 MiB + 5 initrd in 1 MiB pieces");
    ok(!memcmp(mem.rtmr2.value, fd_p.rtmr2.value, 48) &&
           !memcmp(mem.rtmr1.value, fd_p.rtmr1.value, 48),
       "fd: pieces give the digests of the whole");
    if (fd >= 0)
        close(fd);
    free(big);

    is_int(igk_tdx_predict_rtmr(kernel, SYN_LEN, NULL, 0, CMDLINE, GIB, &mem, &err), 0,
           "fd: no initrd from memory");
    is_int(igk_tdx_predict_rtmr_fd(kernel, SYN_LEN, -1, 12345, NULL, CMDLINE, GIB, &fd_p, &err), 0,
           "fd: no initrd (-1)");
    ok(!memcmp(mem.rtmr2.value, fd_p.rtmr2.value, 48) && fd_p.rtmr2.n_events == 1,
       "fd: -1 is no initrd (only the command line in RTMR2)");
}

static void test_synthetic(const uint8_t *kernel, const uint8_t *initrd, size_t initrd_len)
{
    struct igk_rtmr_prediction p;
    struct igk_error err;

    igk_error_clear(&err);
    is_int(igk_tdx_predict_rtmr(kernel, SYN_LEN, initrd, initrd_len, CMDLINE, 1 * GIB, &p, &err),
           0, "prediction with a synthetic kernel");
    is_int(p.rtmr1.n_events, 5, "RTMR1 has 5 events");
    for (int i = 0; i < 4; i++)
        is_hex(p.rtmr1.events[i + 1].digest, 48, fixed_events[i], "RTMR1 event %d (%s)", i + 2,
               p.rtmr1.events[i + 1].description);
    /* RTMR1 is the fold of its log. */
    uint8_t fold[48] = {0}, buf[96];
    for (unsigned i = 0; i < p.rtmr1.n_events; i++) {
        memcpy(buf, fold, 48);
        memcpy(buf + 48, p.rtmr1.events[i].digest, 48);
        igk_sha384(buf, 96, fold);
    }
    ok(!memcmp(fold, p.rtmr1.value, 48), "RTMR1 = fold of SHA-384(old || event) from zero");
    is_int(p.rtmr2.n_events, 2, "RTMR2 has 2 events");
    is_hex(p.rtmr2.events[0].digest, 48, RTMR2_CMDLINE_EVENT,
           "RTMR2 event 1: UTF-16LE of '" CMDLINE " initrd=initrd' + NUL");
    is_hex(p.rtmr2.events[1].digest, 48, RTMR2_INITRD_EVENT, "RTMR2 event 2: initrd");
    is_hex(p.rtmr2.value, 48, RTMR2_VALUE, "RTMR2 (tests/data/REFERENCE.md)");
    is_int(p.initrd_address, 0x3ffc7000, "initrd address reported");
    is_int(p.boot_protocol, 0x20f, "boot protocol reported");

    char *m = igk_tdx_measured_cmdline(CMDLINE, 1);
    is_str(m, CMDLINE " initrd=initrd", "measured command line gets the initrd suffix");
    free(m);
    m = igk_tdx_measured_cmdline(NULL, 1);
    is_str(m, " initrd=initrd", "initrd without -append: only the suffix");
    free(m);

    /* Without an initrd: no suffix, no ramdisk fields, one RTMR2 event. */
    is_int(igk_tdx_predict_rtmr(kernel, SYN_LEN, NULL, 0, CMDLINE, 1 * GIB, &p, &err), 0,
           "prediction without initrd");
    is_int(p.rtmr2.n_events, 1, "RTMR2 without initrd: command line only");
    uint8_t want[48];
    const char *plain = CMDLINE;
    uint8_t utf16[2 * sizeof(CMDLINE)] = {0};
    for (size_t i = 0; plain[i]; i++)
        utf16[2 * i] = (uint8_t)plain[i];
    igk_sha384(utf16, sizeof(utf16), want);
    ok(!memcmp(p.rtmr2.events[0].digest, want, 48), "command line measured without suffix");
    is_int(p.initrd_address, 0, "no initrd address without initrd");

    is_int(igk_tdx_predict_rtmr(kernel, SYN_LEN, NULL, 0, "", 1 * GIB, &p, &err), 0,
           "prediction with nothing in RTMR2");
    is_int(p.rtmr2.n_events, 0, "empty command line and no initrd: no RTMR2 event");
    static const uint8_t zero[48];
    ok(!memcmp(p.rtmr2.value, zero, 48), "RTMR2 stays zero");
}

static void expect_error(int r, int code, struct igk_error *err, const char *msg, const char *name)
{
    is_int(r, code, "%s: code", name);
    is_str(err->message, msg, "%s: message", name);
}

static void test_refusals(uint8_t *kernel, const uint8_t *initrd, size_t initrd_len)
{
    struct igk_rtmr_prediction p;
    struct igk_error err;
    int r;

    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, initrd, initrd_len, CMDLINE, 0, &p, &err);
    expect_error(r, IGK_E_USAGE, &err, "guest memory size must not be zero", "zero memory");

    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, NULL, 0, "caf\xc3\xa9", GIB, &p, &err);
    expect_error(r, IGK_E_INVALID, &err, "kernel command line is not 7-bit ASCII (byte 3)",
                 "non-ASCII command line");

    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, 0x800, NULL, 0, CMDLINE, GIB, &p, &err);
    expect_error(r, IGK_E_INVALID, &err, "kernel image is too short (2048 bytes)", "short kernel");

    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, initrd, 0x8000, CMDLINE, 0x30000, &p, &err);
    expect_error(r, IGK_E_INVALID, &err,
                 "initrd (32768 bytes) does not fit below 0x7fff with 0x30000 bytes of guest "
                 "memory",
                 "initrd too large for memory");

    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, initrd, 0x1000, CMDLINE, 0x28000, &p, &err);
    expect_error(r, IGK_E_INVALID, &err, "guest memory 0x28000 is too small for the ACPI data",
                 "memory smaller than the ACPI data");

    kernel[0x202] = 'X'; /* no "HdrS": protocol 0 */
    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, initrd, initrd_len, CMDLINE, GIB, &p, &err);
    expect_error(r, IGK_E_INVALID, &err, "kernel boot protocol 0 is too old to load an initrd",
                 "old protocol with initrd");
    kernel[0x202] = 'H';

    kernel[0] = 'X';
    igk_error_clear(&err);
    r = igk_tdx_predict_rtmr(kernel, SYN_LEN, NULL, 0, CMDLINE, GIB, &p, &err);
    expect_error(r, IGK_E_INVALID, &err, "kernel: not a PE/COFF image: no MZ header",
                 "kernel without PE header");
    /* The packer's check-only call refuses the same, without the initrd's bytes. */
    igk_error_clear(&err);
    r = igk_tdx_check_rtmr_inputs(kernel, SYN_LEN, 0, CMDLINE, GIB, &err);
    expect_error(r, IGK_E_INVALID, &err, "kernel: not a PE/COFF image: no MZ header",
                 "check only: kernel without PE header");
    kernel[0] = 'M';

    igk_error_clear(&err);
    r = igk_tdx_check_rtmr_inputs(kernel, SYN_LEN, 0x8000, CMDLINE, 0x30000, &err);
    expect_error(r, IGK_E_INVALID, &err,
                 "initrd (32768 bytes) does not fit below 0x7fff with 0x30000 bytes of guest "
                 "memory",
                 "check only: initrd size too large for memory");
    igk_error_clear(&err);
    is_int(igk_tdx_check_rtmr_inputs(kernel, SYN_LEN, initrd_len, CMDLINE, GIB, &err), 0,
           "check only: a good kernel and initrd size pass");
}

/* Runs tests/lib/fetch-kernel.sh; returns the kernel path or NULL (skip). */
static char *fetch_kernel(void)
{
    const char *src = getenv("top_srcdir"), *build = getenv("top_builddir");
    char cmd[4096], path[4096];
    FILE *f;

    if (!src || !build)
        return NULL;
    snprintf(cmd, sizeof(cmd), "sh '%s/tests/lib/fetch-kernel.sh' '%s/tests/cache' 2>&1", src,
             build);
    f = popen(cmd, "r");
    if (!f)
        return NULL;
    if (!fgets(path, sizeof(path), f))
        path[0] = '\0';
    int status = pclose(f);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        diag("fetch-kernel.sh: %s", path);
        return NULL;
    }
    path[strcspn(path, "\n")] = '\0';
    return strdup(path);
}

static void test_debian_kernel(const uint8_t *initrd, size_t initrd_len)
{
    static const struct {
        uint64_t memory;
        const char *event1, *rtmr1;
    } cases[] = {
        {1 * GIB,
         "86a81acec74a5b2ede0e7ebe80c54e7fe52489d8c67d203c9e77827d88ca651fbee20d17170f4e6685ebf768ab3430e0",
         "884eec1957beb9236cbfc41f5451c76b1002ececffd78559de8a7c713819f4ac067678f7b2b048c22957c3bfac49a98f"},
        {2 * GIB,
         "02680411180cc89acf64e570ab2adf17f08221ea89d93af8c90ac79b5eb4d74dc4169bd508c816746f441f6f080bd1a5",
         "b638476f4ba1724fd30602f7489d3f795326a466a0d814bd5ac58d2c39e72aa6c5fceef0706705af2a4ae510cc3001a0"},
        {4 * GIB,
         "02680411180cc89acf64e570ab2adf17f08221ea89d93af8c90ac79b5eb4d74dc4169bd508c816746f441f6f080bd1a5",
         "b638476f4ba1724fd30602f7489d3f795326a466a0d814bd5ac58d2c39e72aa6c5fceef0706705af2a4ae510cc3001a0"},
    };
    char *path = fetch_kernel();
    uint8_t *kernel = NULL;
    size_t kernel_len = 0;
    struct igk_error err;

    if (!path || igk_read_file(path, &kernel, &kernel_len, &err) < 0) {
        for (size_t i = 0; i < IGK_ARRAY_SIZE(cases); i++)
            ok(true, "Debian kernel golden values # SKIP kernel not available");
        free(path);
        return;
    }
    for (size_t i = 0; i < IGK_ARRAY_SIZE(cases); i++) {
        struct igk_rtmr_prediction p;
        unsigned gib = (unsigned)(cases[i].memory / GIB);
        igk_error_clear(&err);
        if (!is_int(igk_tdx_predict_rtmr(kernel, kernel_len, initrd, initrd_len, CMDLINE,
                                         cases[i].memory, &p, &err),
                    0, "Debian kernel, %u GiB: predicted", gib)) {
            diag("%s", err.message);
            continue;
        }
        is_hex(p.rtmr1.events[0].digest, 48, cases[i].event1,
               "Debian kernel, %u GiB: RTMR1 event 1 (patched kernel Authenticode)", gib);
        is_hex(p.rtmr1.value, 48, cases[i].rtmr1, "Debian kernel, %u GiB: RTMR1", gib);
        is_hex(p.rtmr2.value, 48, RTMR2_VALUE, "Debian kernel, %u GiB: RTMR2", gib);
    }
    free(kernel);
    free(path);
}

int main(void)
{
    const char *src = getenv("top_srcdir");
    char initrd_path[4096];
    uint8_t kernel[SYN_LEN];
    uint8_t *initrd = NULL;
    size_t initrd_len = 0;
    struct igk_error err;

    snprintf(initrd_path, sizeof(initrd_path), "%s/tests/data/tdx/tdx_initrd.bin",
             src ? src : ".");
    if (igk_read_file(initrd_path, &initrd, &initrd_len, &err) < 0) {
        printf("1..0 # SKIP %s not found (run through make check)\n", initrd_path);
        return 0;
    }
    synthetic_kernel(kernel);
    test_patch(kernel, initrd_len);
    test_synthetic(kernel, initrd, initrd_len);
    test_fd(kernel, initrd, initrd_len);
    test_refusals(kernel, initrd, initrd_len);
    test_debian_kernel(initrd, initrd_len);
    free(initrd);
    return tap_done();
}
