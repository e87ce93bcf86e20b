/* SPDX-License-Identifier: MIT */
/*
 * Descriptor loader: every validation error with its exact text and
 * line:column, defaults, path resolution and the vCPU signature table.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>

#include "tap.h"

/* Loads yaml (files not opened unless base_dir is given) and returns the formatted error. */
static const char *load_error(const char *yaml, const char *base_dir)
{
    static char buf[1200];
    struct igk_spec *spec = NULL;
    struct igk_error err;
    int r;

    igk_error_clear(&err);
    r = igk_spec_load_buffer(yaml, strlen(yaml), "t.yaml", base_dir, base_dir != NULL, &spec,
                             &err);
    if (r == 0) {
        igk_spec_free(spec);
        return "(loaded)";
    }
    if (r != IGK_E_INVALID)
        snprintf(buf, sizeof(buf), "(code %d) %s", r, err.message);
    else
        igk_error_format(&err, buf, sizeof(buf));
    return buf;
}

static struct igk_spec *load_ok(const char *yaml, const char *base_dir)
{
    struct igk_spec *spec = NULL;
    struct igk_error err;

    igk_error_clear(&err);
    if (igk_spec_load_buffer(yaml, strlen(yaml), "t.yaml", base_dir, base_dir != NULL, &spec,
                             &err) < 0) {
        char buf[1200];
        diag("unexpected error: %s", igk_error_format(&err, buf, sizeof(buf)));
        return NULL;
    }
    return spec;
}

#define FW "version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\n"
#define NATIVE "platforms:\n  native: {}\n"

static void test_errors(void)
{
    static const struct {
        const char *yaml, *want;
    } cases[] = {
        /* unknown keys, each level */
        {FW "vcpu: 4\n" NATIVE,
         "t.yaml:5:1: unknown key 'vcpu' (allowed: version, firmware, kernel, initrd, cmdline, "
         "vcpus, memory, platforms, kernel-format); did you mean 'vcpus'?"},
        {"version: 1\nfirmware:\n  type: ovmf\n  pth: OVMF.fd\n" NATIVE,
         "t.yaml:4:3: unknown key 'pth' in firmware (allowed: type, path, vars, gpa, digest); did you mean 'path'?"},
        {FW "platforms:\n  sev-snp:\n    polcy: 0x30000\n",
         "t.yaml:7:5: unknown key 'polcy' in platforms.sev-snp (allowed: policy, vcpu-type, "
         "vcpu-sig, vmm, guest-features, prevalidate, id-block, svsm); did you mean 'policy'?"},
        {FW "platforms:\n  sev-tio: {}\n",
         "t.yaml:6:3: unknown key 'sev-tio' in platforms (allowed: sev-snp, tdx, native, sev-es, "
         "sev)"},
        {FW "platforms:\n  tdx: {policy: 0, debug: true}\n",
         "t.yaml:6:20: unknown key 'debug' in platforms.tdx (allowed: policy)"},
        {FW "platforms:\n  native: {vcpus: 2}\n",
         "t.yaml:6:12: platforms.native takes no settings (write 'native: {}')"},
        /* wrong types */
        {FW "vcpus: {count: 4}\n" NATIVE,
         "t.yaml:5:8: 'vcpus' must be an integer, not a mapping"},
        {"version: 1\nfirmware: OVMF.fd\n" NATIVE,
         "t.yaml:2:11: firmware must be a mapping of keys (type, path, vars, gpa, digest), not a scalar"},
        {FW "kernel: [a, b]\n" NATIVE, "t.yaml:5:9: 'kernel' must be a file path, not a sequence"},
        {FW "cmdline: {a: b}\n" NATIVE, "t.yaml:5:10: 'cmdline' must be a string, not a mapping"},
        {"- version: 1\n",
         "t.yaml:1:1: the descriptor must be a mapping of keys (version, firmware, kernel, "
         "initrd, cmdline, vcpus, memory, platforms, kernel-format), not a sequence"},
        {FW "platforms: [native]\n",
         "t.yaml:5:12: platforms must be a mapping of keys (sev-snp, tdx, native, sev-es, sev), not a sequence"},
        {FW "? [a]\n: 1\n" NATIVE, "t.yaml:5:3: keys must be plain names, not a sequence"},
        /* numbers out of range or malformed */
        {FW "vcpus: 0\n" NATIVE, "t.yaml:5:8: 'vcpus' 0 is out of range (1..512)"},
        {FW "vcpus: 513\n" NATIVE, "t.yaml:5:8: 'vcpus' 513 is out of range (1..512)"},
        {FW "vcpus: four\n" NATIVE,
         "t.yaml:5:8: 'vcpus' must be an integer (decimal or 0x-hex, 1..512), not 'four'"},
        {FW "vcpus: -1\n" NATIVE,
         "t.yaml:5:8: 'vcpus' must be an integer (decimal or 0x-hex, 1..512), not '-1'"},
        {FW "memory: 16385K\n" NATIVE, "t.yaml:5:9: 'memory' 16385K is not a multiple of 4 KiB"},
        {FW "memory: 16777217b\n" NATIVE, "t.yaml:5:9: 'memory' 16777217b is not a multiple of 4 KiB"},
        {FW "memory: 15\n" NATIVE, "t.yaml:5:9: 'memory' 15 is below the minimum of 16 MiB"},
        {FW "memory: 8M\n" NATIVE, "t.yaml:5:9: 'memory' 8M is below the minimum of 16 MiB"},
        {FW "memory: 2GB\n" NATIVE,
         "t.yaml:5:9: 'memory' must be a size: a number of MiB, or a number with unit B, K, M, G "
         "or T (e.g. 2G), not '2GB'"},
        {FW "memory: 99999999999T\n" NATIVE,
         "t.yaml:5:9: 'memory' must be a size: a number of MiB, or a number with unit B, K, M, G "
         "or T (e.g. 2G), not '99999999999T'"},
        {FW "platforms:\n  sev-snp:\n    policy: 0x10000000000000000\n",
         "t.yaml:7:13: 'policy' must be an integer (decimal or 0x-hex, a 64-bit value), not "
         "'0x10000000000000000'"},
        {FW "platforms:\n  sev-snp:\n    guest-features: yes\n",
         "t.yaml:7:21: 'guest-features' must be an integer (decimal or 0x-hex, a 64-bit "
         "SEV_FEATURES value), not 'yes'"},
        {FW "platforms:\n  sev-snp:\n    vcpu-sig: 0x100000000\n",
         "t.yaml:7:15: 'vcpu-sig' 0x100000000 is out of range (a 32-bit CPUID signature)"},
        {FW "platforms:\n  tdx:\n    policy: 0x\n",
         "t.yaml:7:13: 'policy' must be an integer (decimal or 0x-hex, a 64-bit value), not '0x'"},
        /* vCPU model and VMM names */
        {FW "platforms:\n  sev-snp:\n    vcpu-type: EPYC-v5\n",
         "t.yaml:7:16: unknown vcpu-type 'EPYC-v5' (allowed: EPYC, EPYC-v1, EPYC-v2, EPYC-v3, "
         "EPYC-v4, EPYC-IBPB, EPYC-Rome, EPYC-Rome-v1, EPYC-Rome-v2, EPYC-Rome-v3, EPYC-Milan, "
         "EPYC-Milan-v1, EPYC-Milan-v2, EPYC-Genoa, EPYC-Genoa-v1, EPYC-Turin; or give "
         "vcpu-sig)"},
        {FW "platforms:\n  sev-snp:\n    vcpu-type: EPYC-v4\n    vcpu-sig: 0x800f12\n",
         "t.yaml:8:5: give either vcpu-type or vcpu-sig, not both (vcpu-type names a model "
         "whose signature is known)"},
        {FW "platforms:\n  sev-snp:\n    vmm: kvm\n",
         "t.yaml:7:10: unknown vmm 'kvm' (allowed: qemu, ec2, gce)"},
        {FW "platforms:\n  sev-snp:\n    vmm: qemm\n",
         "t.yaml:7:10: unknown vmm 'qemm' (allowed: qemu, ec2, gce); did you mean 'qemu'?"},
        {FW "platforms:\n  sev-es:\n    vmm: ce2\n",
         "t.yaml:7:10: unknown vmm 'ce2' for sev-es (allowed: qemu, ec2, gce); did you mean 'ec2'?"},
        {FW "kernel-format: bzimg\nplatforms: {native: {}}\n",
         "t.yaml:5:16: unknown kernel-format 'bzimg' (allowed: bzimage, any); did you mean "
         "'bzimage'?"},
        {FW "platforms:\n  sev-snp:\n    vcpu-type: EPYC-Miln\n",
         "t.yaml:7:16: unknown vcpu-type 'EPYC-Miln' (allowed: EPYC, EPYC-v1, EPYC-v2, EPYC-v3, "
         "EPYC-v4, EPYC-IBPB, EPYC-Rome, EPYC-Rome-v1, EPYC-Rome-v2, EPYC-Rome-v3, EPYC-Milan, "
         "EPYC-Milan-v1, EPYC-Milan-v2, EPYC-Genoa, EPYC-Genoa-v1, EPYC-Turin; or give "
         "vcpu-sig); did you mean 'EPYC-Milan'?"},
        {FW "platforms:\n  sev-snp:\n    vcpus: 2\n",
         "t.yaml:7:5: unknown key 'vcpus' in platforms.sev-snp (allowed: policy, vcpu-type, "
         "vcpu-sig, vmm, guest-features, prevalidate, id-block, svsm); did you mean the "
         "top-level key 'vcpus'?"},
        {FW "platforms:\n  sev_snp: {}\n",
         "t.yaml:6:3: unknown key 'sev_snp' in platforms (allowed: sev-snp, tdx, native, sev-es, "
         "sev); did you mean 'sev-snp'?"},
        {FW "platforms:\n  sev-snp: {}\n  snp: {}\n",
         "t.yaml:7:3: 'snp' is another name of 'sev-snp' (first given at line 6)"},
        {FW "platforms:\n  vbs: {}\n",
         "t.yaml:6:3: platform 'vbs' is not packed by igvmkit (it packs sev-snp, tdx, native, "
         "sev-es, sev)"},
        {FW "platforms:\n  cca: {}\n",
         "t.yaml:6:3: platform 'cca' is not packed by igvmkit (it packs sev-snp, tdx, native, "
         "sev-es, sev)"},
        /* platforms */
        {FW "platforms: {}\n",
         "t.yaml:5:12: 'platforms' must name at least one platform (sev-snp, tdx, native, sev-es, sev)"},
        {FW "platforms:\n",
         "t.yaml:5:11: 'platforms' must name at least one platform (sev-snp, tdx, native, sev-es, sev)"},
        /* duplicates and missing keys */
        {FW "vcpus: 2\nvcpus: 4\n" NATIVE,
         "t.yaml:6:1: duplicate key 'vcpus' (first given at line 5)"},
        {FW "platforms:\n  tdx: {}\n  tdx: {}\n",
         "t.yaml:7:3: duplicate key 'tdx' (first given at line 6)"},
        {"firmware:\n  type: ovmf\n  path: OVMF.fd\n" NATIVE,
         "t.yaml:1:1: missing required key 'version' (this igvmkit reads version: 1)"},
        {"version: 2\nfirmware:\n  type: ovmf\n  path: OVMF.fd\n" NATIVE,
         "t.yaml:1:10: unsupported descriptor version 2 (this igvmkit reads version: 1)"},
        {"version: 1\n" NATIVE,
         "t.yaml:1:1: missing required key 'firmware' (a mapping with at least 'type': ovmf, "
         "raw or none)"},
        {"version: 1\nfirmware:\n  path: OVMF.fd\n" NATIVE,
         "t.yaml:3:3: missing required key 'type' in firmware (ovmf, raw or none)"},
        {"version: 1\nfirmware:\n  type: uefi\n  path: OVMF.fd\n" NATIVE,
         "t.yaml:3:9: unknown firmware type 'uefi' (allowed: ovmf, raw, none)"},
        {"version: 1\nfirmware:\n  type: omvf\n  path: OVMF.fd\n" NATIVE,
         "t.yaml:3:9: unknown firmware type 'omvf' (allowed: ovmf, raw, none); did you mean "
         "'ovmf'?"},
        {"version: 1\nfirmware:\n  type: ovmf\n" NATIVE,
         "t.yaml:3:3: missing required key 'path' in firmware (required unless type is none)"},
        {"version: 1\nfirmware: {type: none}\n" NATIVE,
         "t.yaml:2:18: firmware type none (direct Linux boot) needs a 'kernel'"},
        {"version: 1\nfirmware: {type: none, path: x.fd}\nkernel: k\n" NATIVE,
         "t.yaml:2:24: 'path' is not allowed with firmware type none (direct Linux boot has no "
         "firmware image)"},
        {FW "kernel: k\n",
         "t.yaml:1:1: missing required key 'platforms' (a mapping naming any of sev-snp, tdx, "
         "native, sev-es, sev)"},
        {FW "kernel:\n" NATIVE, "t.yaml:5:8: 'kernel' needs a file path"},
        /* keys that belong to another firmware type */
        {"version: 1\nfirmware:\n  type: raw\n  path: fw.bin\n  vars: VARS.fd\n" NATIVE,
         "t.yaml:5:3: 'vars' is only allowed with firmware type ovmf, not raw"},
        {FW "  gpa: 0xffe00000\n" NATIVE,
         "t.yaml:5:3: 'gpa' is only allowed with firmware type raw, not ovmf"},
        {"version: 1\nfirmware:\n  type: raw\n  path: fw.bin\n  gpa: 0xffe00800\n" NATIVE,
         "t.yaml:5:8: 'gpa' 0xffe00800 is not 4 KiB aligned"},
        {"version: 1\nfirmware:\n  type: raw\n  path: fw.bin\n  gpa: 0x100000000\n" NATIVE,
         "t.yaml:5:8: 'gpa' 0x100000000 is out of range (a 4 KiB aligned address below 4 GiB)"},
        /* issue 12: values packing would drop or misread */
        {FW "platforms:\n  sev-snp: {prevalidate: 512M}\n",
         "t.yaml:6:13: 'prevalidate' applies to direct boot (firmware type none) only; with "
         "firmware type ovmf the firmware validates memory"},
        {FW "platforms:\n  sev-snp:\n    id-block: {id-key: k.pem, version: 2}\n",
         "t.yaml:7:40: 'version' 2 is out of range (1, the only version SEV-SNP firmware takes)"},
        {FW "platforms:\n  sev-snp:\n    id-block: {id-key: k.pem, version: 0}\n",
         "t.yaml:7:40: 'version' 0 is out of range (1, the only version SEV-SNP firmware takes)"},
        {FW "\"vcpus\\0hidden\": 3\n" NATIVE, "t.yaml:5:1: keys must not contain a NUL character"},
        {FW "memory: 32T\n" NATIVE,
         "t.yaml:5:9: 'memory' 32T is more than the limit 'memory' of 16 TiB"},
        {FW "cmdline: [[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]\n" NATIVE,
         "t.yaml:5:25: YAML nested more than 16 levels deep (limit 'yaml-depth')"},
        /* ID block */
        {FW "platforms:\n  sev-snp:\n    id-block:\n      id-key: id.pem\n"
            "      family-id: 1234\n",
         "t.yaml:9:18: 'family-id' must be a UUID like 01234567-89ab-cdef-0123-456789abcdef, not "
         "'1234'"},
        {FW "platforms:\n  sev-snp:\n    id-block:\n      image-id: "
            "01234567-89ab-cdef-0123-456789abcdef\n",
         "t.yaml:8:7: missing required key 'id-key' in platforms.sev-snp.id-block (the P-384 "
         "private key that signs the ID block)"},
        {FW "platforms:\n  sev-snp:\n    id-block: {id-key: k.pem, svn: 0x1ffffffff}\n",
         "t.yaml:7:36: 'svn' 0x1ffffffff is out of range (0..0xffffffff)"},
        /* YAML itself */
        {"version: 1\nfirmware: {type: ovmf, path: x\n",
         "t.yaml:3:1: invalid YAML: did not find expected ',' or '}' while parsing a flow "
         "mapping"},
        {"version: 1\n  bad: indent\n",
         "t.yaml:2:6: invalid YAML: mapping values are not allowed in this context"},
        {"", "t.yaml:1:1: empty descriptor (expected a mapping starting with 'version: 1')"},
        {FW NATIVE "---\nversion: 1\n",
         "t.yaml:8:1: a descriptor holds one YAML document; found a second one"},
        {FW "cmdline: \"a\\0b\"\n" NATIVE, "t.yaml:5:10: 'cmdline' must not contain a NUL character"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        is_str(load_error(cases[i].yaml, NULL), cases[i].want, "error case %zu: %.40s", i,
               cases[i].want + 7);
}

static void test_defaults(void)
{
    struct igk_spec *spec = load_ok(FW "platforms:\n  sev-snp:\n  tdx:\n  native: {}\n", NULL);

    if (!ok(spec != NULL, "minimal descriptor loads"))
        return;
    is_int(spec->version, 1, "version");
    is_int(spec->firmware_type, IGK_FIRMWARE_OVMF, "firmware type");
    is_str(spec->firmware.path, "OVMF.fd", "firmware path as written");
    ok(!spec->vars.present && !spec->kernel.present && !spec->initrd.present, "no optional files");
    ok(!spec->has_cmdline && !spec->has_firmware_gpa, "no cmdline, no gpa");
    is_int(spec->vcpus, 1, "vcpus default 1");
    is_int((long long)spec->memory, 2ll << 30, "memory default 2 GiB");
    is_int(spec->platforms,
           (1 << IGK_PLATFORM_SEV_SNP) | (1 << IGK_PLATFORM_TDX) | (1 << IGK_PLATFORM_NATIVE),
           "platform bits");
    is_int(spec->platform_mark[IGK_PLATFORM_SEV_SNP].line, 6, "sev-snp named on line 6");
    is_int(spec->platform_mark[IGK_PLATFORM_NATIVE].line, 8, "native named on line 8");
    is_int(spec->platform_mark[IGK_PLATFORM_NATIVE].column, 3, "native at column 3");
    is_int((long long)spec->snp.policy, 0x30000, "snp policy default 0x30000");
    is_int((long long)spec->snp.guest_features, 1, "guest features default 0x1");
    is_int(spec->snp.vmm, IGK_SNP_VMM_QEMU, "vmm default qemu");
    is_str(spec->snp.vcpu_type, "EPYC-v4", "vcpu type default EPYC-v4");
    is_int(spec->snp.vcpu_sig, 0x800F12, "vcpu sig default 0x800f12");
    ok(!spec->snp.has_prevalidate && !spec->snp.id_block.present, "no prevalidate, no id block");
    is_int((long long)spec->tdx.policy, 0, "tdx policy default 0");
    is_str(spec->descriptor_path, "t.yaml", "descriptor name kept");
    igk_spec_free(spec);
}

static void test_full(void)
{
    static const char yaml[] =
        "version: 1\n"
        "firmware:\n  type: raw\n  path: /abs/fw.bin\n  gpa: 0xffe00000\n"
        "kernel: boot/vmlinuz\ninitrd: initrd.img\ncmdline: \"console=ttyS0 quiet\"\n"
        "vcpus: 0x4\nmemory: 16M\n"
        "platforms:\n"
        "  sev-snp:\n    policy: 0x30001\n    vcpu-sig: 0xa00f11\n    vmm: ec2\n"
        "    guest-features: 0x21\n"
        "    id-block:\n      id-key: keys/id.pem\n      author-key: keys/author.pem\n"
        "      family-id: 01234567-89ab-cdef-0123-456789abcdef\n"
        "      image-id: ffffffff-0000-0000-0000-000000000001\n      version: 01\n      svn: 010\n"
        "  native: {}\n";
    static const uint8_t family[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                       0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    struct igk_spec *spec = load_ok(yaml, NULL);

    if (!ok(spec != NULL, "full descriptor loads"))
        return;
    is_int(spec->firmware_type, IGK_FIRMWARE_RAW, "raw firmware");
    is_str(spec->firmware.open_path, "/abs/fw.bin", "absolute path opened as is");
    ok(spec->has_firmware_gpa && spec->firmware_gpa == 0xffe00000, "gpa");
    is_str(spec->kernel.path, "boot/vmlinuz", "kernel as written");
    is_str(spec->kernel.open_path, "boot/vmlinuz", "no base dir: opened as written");
    is_int(spec->kernel.mark.line, 6, "kernel mark line");
    is_int(spec->kernel.mark.column, 9, "kernel mark column");
    is_str(spec->cmdline, "console=ttyS0 quiet", "cmdline");
    is_int(spec->vcpus, 4, "hex vcpus");
    is_int((long long)spec->memory, 16 << 20, "16M");
    is_int(spec->platforms, (1 << IGK_PLATFORM_SEV_SNP) | (1 << IGK_PLATFORM_NATIVE), "platforms");
    is_int((long long)spec->snp.policy, 0x30001, "policy");
    ok(spec->snp.vcpu_type == NULL, "vcpu-sig given: no vcpu type");
    is_int(spec->snp.vcpu_sig, 0xa00f11, "vcpu sig");
    is_int(spec->snp.vmm, IGK_SNP_VMM_EC2, "vmm ec2");
    is_int((long long)spec->snp.guest_features, 0x21, "guest features");
    ok(!spec->snp.has_prevalidate, "no prevalidate with firmware");
    ok(spec->snp.id_block.present, "id block");
    is_str(spec->snp.id_block.id_key.path, "keys/id.pem", "id key");
    is_str(spec->snp.id_block.author_key.path, "keys/author.pem", "author key");
    ok(spec->snp.id_block.has_family_id && spec->snp.id_block.has_image_id, "ids given");
    is_mem(spec->snp.id_block.family_id, family, 16, "family id bytes (RFC 4122 order)");
    is_int(spec->snp.id_block.image_id[15], 1, "image id last byte");
    is_int(spec->snp.id_block.version, 1, "id block version");
    is_int(spec->snp.id_block.svn, 10, "id block svn 010 is decimal ten, not octal");
    igk_spec_free(spec);

    spec = load_ok(FW "platforms:\n  sev-snp: {id-block: {id-key: k.pem}}\n", NULL);
    if (ok(spec != NULL, "id block with only a key")) {
        is_int(spec->snp.id_block.version, 1, "id block version default 1");
        is_int(spec->snp.id_block.svn, 0, "id block svn default 0");
        ok(!spec->snp.id_block.author_key.present && !spec->snp.id_block.has_family_id,
           "no author key, no family id");
    }
    igk_spec_free(spec);

    spec = load_ok("version: 1\nfirmware: {type: none}\nkernel: k\nmemory: 1T\n" NATIVE, NULL);
    if (ok(spec != NULL, "type none with a kernel")) {
        is_int(spec->firmware_type, IGK_FIRMWARE_NONE, "type none");
        ok(!spec->firmware.present, "no firmware file");
        is_int((long long)spec->memory, 1ll << 40, "1T");
    }
    igk_spec_free(spec);

    /* QEMU's -m rule: a bare number is MiB, for memory and prevalidate. */
    spec = load_ok("version: 1\nfirmware: {type: none}\nkernel: k\nmemory: 2048\n"
                   "platforms:\n  snp: {prevalidate: 512}\n", NULL);
    if (ok(spec != NULL, "memory: 2048, prevalidate: 512, platform alias snp")) {
        is_int((long long)spec->memory, 2ll << 30, "memory: 2048 is 2 GiB");
        is_int((long long)spec->snp.prevalidate, 512ll << 20, "prevalidate: 512 is 512 MiB");
        is_int(spec->platforms, 1 << IGK_PLATFORM_SEV_SNP, "snp is sev-snp");
        is_int(spec->platform_mark[IGK_PLATFORM_SEV_SNP].line, 6, "snp named on line 6");
    }
    igk_spec_free(spec);
    /* svsm vars-size: bytes when bare, as sev-snp-measure's --vars-size. */
    static const char *const vars_sizes[] = {"540672", "528K", "528k", "528KiB", "0x84000",
                                             "540672B"};
    for (size_t i = 0; i < sizeof(vars_sizes) / sizeof(vars_sizes[0]); i++) {
        char doc[200];

        snprintf(doc, sizeof(doc),
                 FW "platforms:\n  sev-snp: {svsm: {path: s.bin, vars-size: %s}}\n",
                 vars_sizes[i]);
        spec = load_ok(doc, NULL);
        if (ok(spec != NULL, "vars-size: %s loads", vars_sizes[i]))
            is_int((long long)spec->snp.svsm.vars_size, 540672, "vars-size: %s is 540672 bytes",
                   vars_sizes[i]);
        igk_spec_free(spec);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_files(void)
{
    char dir[] = "/tmp/igk-descriptor-XXXXXX", path[300], want[600];
    struct igk_spec *spec;

    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    snprintf(path, sizeof(path), "%s/OVMF.fd", dir);
    write_file(path, "fw");
    snprintf(path, sizeof(path), "%s/boot", dir);
    mkdir(path, 0700);

    spec = load_ok(FW "kernel: boot/../OVMF.fd\n" NATIVE, dir);
    if (ok(spec != NULL, "files exist under the base dir")) {
        snprintf(want, sizeof(want), "%s/OVMF.fd", dir);
        is_str(spec->firmware.open_path, want, "relative path joined with the base dir");
        is_str(spec->firmware.path, "OVMF.fd", "path as written kept");
        is_str(spec->base_dir, dir, "base dir kept");
    }
    igk_spec_free(spec);

    snprintf(want, sizeof(want),
             "t.yaml:5:9: cannot open kernel 'vmlinuz' (resolved to '%s/vmlinuz'): No such file "
             "or directory",
             dir);
    is_str(load_error(FW "kernel: vmlinuz\n" NATIVE, dir), want, "missing kernel");
    snprintf(want, sizeof(want),
             "t.yaml:5:9: initrd 'boot' (resolved to '%s/boot') is a directory, not a file", dir);
    is_str(load_error(FW "initrd: boot\n" NATIVE, dir), want, "initrd is a directory");
    is_str(load_error(FW "initrd: /dev/null\n" NATIVE, dir),
           "t.yaml:5:9: initrd '/dev/null' is not a regular file", "initrd is a device");
    snprintf(want, sizeof(want),
             "t.yaml:6:32: cannot open id-key 'nokey.pem' (resolved to '%s/nokey.pem'): No such "
             "file or directory",
             dir);
    is_str(load_error(FW "platforms:\n  sev-snp: {id-block: {id-key: nokey.pem}}\n", dir), want,
           "missing id key");
    snprintf(want, sizeof(want),
             "t.yaml:5:9: cannot open vars 'VARS.fd' (resolved to '%s/VARS.fd'): No such file or "
             "directory",
             dir);
    is_str(load_error("version: 1\nfirmware:\n  type: ovmf\n  path: OVMF.fd\n  vars: VARS.fd\n" NATIVE,
                      dir),
           want, "missing vars");

    /* igk_spec_load: the base dir is the descriptor's directory, errors name the file. */
    snprintf(path, sizeof(path), "%s/guest.yaml", dir);
    write_file(path, FW NATIVE);
    {
        struct igk_error err;
        char buf[1200];

        igk_error_clear(&err);
        spec = NULL;
        ok(igk_spec_load(path, &spec, &err) == 0, "igk_spec_load from a file");
        if (spec) {
            snprintf(want, sizeof(want), "%s/OVMF.fd", dir);
            is_str(spec->firmware.open_path, want, "resolved against the descriptor's directory");
            is_str(spec->descriptor_path, path, "descriptor path kept");
        }
        igk_spec_free(spec);

        write_file(path, FW "vcpus: 1000\n" NATIVE);
        igk_error_clear(&err);
        is_int(igk_spec_load(path, &spec, &err), IGK_E_INVALID, "bad descriptor file");
        snprintf(want, sizeof(want), "%s:5:8: 'vcpus' 1000 is out of range (1..512)", path);
        is_str(igk_error_format(&err, buf, sizeof(buf)), want, "error names the descriptor file");

        snprintf(path, sizeof(path), "%s/none.yaml", dir);
        igk_error_clear(&err);
        is_int(igk_spec_load(path, &spec, &err), IGK_E_IO, "missing descriptor is an I/O error");
        is_str(err.path, path, "I/O error names the descriptor");
    }

    snprintf(path, sizeof(path), "%s/guest.yaml", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/OVMF.fd", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/boot", dir);
    rmdir(path);
    rmdir(dir);
}

static void test_vcpu_signatures(void)
{
    static const struct {
        const char *name;
        uint32_t sig;
    } sigs[] = {
        {"EPYC", 0x800F12},          {"EPYC-v1", 0x800F12},       {"EPYC-v2", 0x800F12},
        {"EPYC-v3", 0x800F12},       {"EPYC-v4", 0x800F12},       {"EPYC-IBPB", 0x800F12},
        {"EPYC-Rome", 0x830F10},     {"EPYC-Rome-v1", 0x830F10},  {"EPYC-Rome-v2", 0x830F10},
        {"EPYC-Rome-v3", 0x830F10},  {"EPYC-Milan", 0xA00F11},    {"EPYC-Milan-v1", 0xA00F11},
        {"EPYC-Milan-v2", 0xA00F11}, {"EPYC-Genoa", 0xA10F10},    {"EPYC-Genoa-v1", 0xA10F10},
        {"EPYC-Turin", 0xB00F00},    {"EPYC-Turin-v1", 0},        {"epyc-v4", 0},
        {"", 0},
    };

    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        is_int(igk_snp_vcpu_signature(sigs[i].name), sigs[i].sig, "signature of '%s'",
               sigs[i].name);
    is_int(igk_snp_vcpu_signature(NULL), 0, "NULL name");
}

/* issue 12: the document size is checked before libyaml sees a byte. */
static void test_size_limit(void)
{
    size_t n = (1u << 20) + 1;
    char *yaml = malloc(n);
    struct igk_spec *spec = NULL;
    struct igk_error err;
    char buf[1200];

    if (!ok(yaml != NULL, "allocate a 1 MiB + 1 descriptor"))
        return;
    memset(yaml, '#', n);
    igk_error_clear(&err);
    is_int(igk_spec_load_buffer(yaml, n, "big.yaml", NULL, false, &spec, &err), IGK_E_INVALID,
           "descriptor over the size limit: invalid");
    is_str(igk_error_format(&err, buf, sizeof(buf)),
           "big.yaml:1:1: descriptor (1048577 bytes) exceeds the limit 'descriptor-size' of 1048576 "
           "bytes",
           "descriptor over the size limit: message names the limit");
    ok(spec == NULL, "descriptor over the size limit: nothing returned");
    free(yaml);
}

int main(void)
{
    test_size_limit();
    test_errors();
    test_defaults();
    test_full();
    test_files();
    test_vcpu_signatures();
    return tap_done();
}
