/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for descriptor + firmware + kernel together (issue 12):
 * the input is split into a descriptor, a firmware image and a kernel, the
 * two images are written to files the descriptor names, and the whole
 * pack runs on them.  It must succeed or fail with an error value (never a
 * crash, a leak or unbounded memory: the resource limits bound every size),
 * and a packed image must write and read back.
 *
 * Input: u16 descriptor length (LE), descriptor, u32 firmware length (LE),
 * firmware, kernel (the rest).  The descriptor may say "fw.fd", "vmlinuz" and
 * "initrd.img" (a fixed 4 KiB file) to reach the packer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/igvm.h>
#include <igvmkit/pack.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/igvmkit-fuzz-pack-XXXXXX";

static void put(const char *name, const uint8_t *bytes, size_t len)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(bytes, 1, len, f) != len)
        abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct igk_pack_result result;
    struct igk_spec *spec = NULL;
    struct igk_igvm *back = NULL;
    struct igk_error err;
    uint8_t *image = NULL;
    size_t yaml_len, fw_len, image_len = 0;
    int r;

    if (!ready) {
        static uint8_t initrd[4096];

        if (!mkdtemp(dir))
            abort();
        memset(initrd, 'I', sizeof(initrd));
        put("initrd.img", initrd, sizeof(initrd));
        ready = 1;
    }
    if (size < 2)
        return 0;
    yaml_len = (size_t)data[0] | (size_t)data[1] << 8;
    data += 2, size -= 2;
    if (yaml_len > size)
        yaml_len = size;
    const char *yaml = (const char *)data;
    data += yaml_len, size -= yaml_len;
    fw_len = 0;
    if (size >= 4) {
        fw_len =
            (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
        data += 4, size -= 4;
    }
    if (fw_len > size)
        fw_len = size;
    put("fw.fd", data, fw_len);
    put("vmlinuz", data + fw_len, size - fw_len);

    igk_error_clear(&err);
    r = igk_spec_load_buffer(yaml, yaml_len, "fuzz.yaml", dir, true, &spec, &err);
    if (r < 0) {
        if (r != IGK_E_INVALID && r != IGK_E_INTERNAL)
            abort();
        return 0;
    }
    r = igk_pack(spec, &result, &err);
    if (r == 0) {
        if (igk_igvm_write_buffer(result.igvm, &image, &image_len, &err) < 0)
            abort(); /* a packed, validated model always serializes */
        if (igk_igvm_read_buffer(image, image_len, NULL, &back, &err) < 0)
            abort(); /* and reads back */
        igk_igvm_free(back);
        free(image);
        igk_pack_result_done(&result);
    } else if (!err.message[0]) {
        abort(); /* every failure says why */
    }
    igk_spec_free(spec);
    return 0;
}
