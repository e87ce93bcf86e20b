/* SPDX-License-Identifier: MIT */
/*
 * Provenance statement (packer/provenance.c): the exact document for a
 * descriptor that uses every key, the secret-key filter, and the fallback
 * that hashes the spec's files when the pack result lists none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <igvmkit/descriptor.h>
#include <igvmkit/pack.h>

#include "provenance.h"
#include "tap.h"

static const char yaml[] =
    "version: 1\n"
    "firmware: {type: raw, path: /opt/fw/stage0.bin, gpa: 0xfffe0000}\n"
    "kernel: k/bzImage\n"
    "cmdline: \"console=ttyS0 \\\"quoted\\\"\"\n"
    "vcpus: 2\n"
    "memory: 1G\n"
    "platforms:\n"
    "  tdx: {policy: 0x10000000}\n"
    "  native:\n"
    "  sev-snp:\n"
    "    vcpu-sig: 0xa10f10\n"
    "    vmm: gce\n"
    "    guest-features: 0x21\n"
    "    id-block: {id-key: keys/id.pem, family-id: 00112233-4455-6677-8899-aabbccddeeff, "
    "svn: 9}\n";

/* SHA-256 and SHA-384 of the 3 bytes "abc" (FIPS 180-2 test vectors). */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC_SHA384                                                                             \
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1" \
    "34c825a7"

static const char want[] =
    "{\n"
    "  \"_type\": \"https://in-toto.io/Statement/v1\",\n"
    "  \"subject\": [\n"
    "    {\n"
    "      \"name\": \"guest.igvm\",\n"
    "      \"digest\": {\n"
    "        \"sha256\": \"" ABC_SHA256 "\",\n"
    "        \"sha384\": \"" ABC_SHA384 "\"\n"
    "      }\n"
    "    }\n"
    "  ],\n"
    "  \"predicateType\": \"https://slsa.dev/provenance/v1\",\n"
    "  \"predicate\": {\n"
    "    \"buildDefinition\": {\n"
    "      \"buildType\": \"https://igvmkit.dev/pack/v1\",\n"
    "      \"externalParameters\": {\n"
    "        \"descriptor\": \"guest.yaml\",\n"
    "        \"spec\": {\n"
    "          \"version\": 1,\n"
    "          \"firmware\": {\n"
    "            \"type\": \"raw\",\n"
    "            \"path\": \"/opt/fw/stage0.bin\",\n"
    "            \"gpa\": \"0xfffe0000\"\n"
    "          },\n"
    "          \"kernel\": \"k/bzImage\",\n"
    "          \"cmdline\": \"console=ttyS0 \\\"quoted\\\"\",\n"
    "          \"vcpus\": 2,\n"
    "          \"memory\": 1073741824,\n"
    "          \"platforms\": {\n"
    "            \"sev-snp\": {\n"
    "              \"policy\": \"0x30000\",\n"
    "              \"vcpu-sig\": \"0xa10f10\",\n"
    "              \"vmm\": \"gce\",\n"
    "              \"guest-features\": \"0x21\",\n"
    "              \"id-block\": {\n"
    "                \"family-id\": \"00112233-4455-6677-8899-aabbccddeeff\",\n"
    "                \"image-id\": \"00000000-0000-0000-0000-000000000000\",\n"
    "                \"version\": 1,\n"
    "                \"svn\": 9\n"
    "              }\n"
    "            },\n"
    "            \"native\": {},\n"
    "            \"tdx\": {\n"
    "              \"policy\": \"0x10000000\"\n"
    "            }\n"
    "          }\n"
    "        }\n"
    "      },\n"
    "      \"resolvedDependencies\": [\n"
    "        {\n"
    "          \"name\": \"/opt/fw/stage0.bin\",\n"
    "          \"digest\": {\n"
    "            \"sha256\": \"" ABC_SHA256 "\"\n"
    "          },\n"
    "          \"annotations\": {\n"
    "            \"role\": \"firmware\"\n"
    "          }\n"
    "        },\n"
    "        {\n"
    "          \"name\": \"k/bzImage\",\n"
    "          \"digest\": {\n"
    "            \"sha256\": \"" ABC_SHA256 "\"\n"
    "          },\n"
    "          \"annotations\": {\n"
    "            \"role\": \"kernel\"\n"
    "          }\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    \"runDetails\": {\n"
    "      \"builder\": {\n"
    "        \"id\": \"https://igvmkit.dev/igvmkit\",\n"
    "        \"version\": {\n"
    "          \"igvmkit\": \"" PACKAGE_VERSION "\"\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

static void show_diff(const char *got, const char *exp)
{
    size_t i = 0;

    while (got[i] && got[i] == exp[i])
        i++;
    diag("first difference at byte %zu: got '%.60s'", i, got + i);
    diag("                         want '%.60s'", exp + i);
}

static void test_statement(void)
{
    struct igk_spec *spec = NULL;
    struct igk_error err;
    struct igk_pack_input inputs[3] = {
        {.role = "firmware", .path = "/opt/fw/stage0.bin"},
        {.role = "id-key", .path = "keys/id.pem"}, /* a secret: must not be listed */
        {.role = "kernel", .path = "k/bzImage"},
    };
    struct igk_pack_result result = {.inputs = inputs, .n_inputs = 3};
    static const uint8_t abc256[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    char *json = NULL;
    size_t len = 0;

    for (size_t i = 0; i < 3; i++)
        memcpy(inputs[i].sha256, abc256, 32);
    igk_error_clear(&err);
    if (!ok(igk_spec_load_buffer(yaml, strlen(yaml), "/home/me/build/guest.yaml", "/home/me/build",
                                 false, &spec, &err) == 0,
            "descriptor with every kind of key loads"))
        return;
    is_int(igk_provenance_build(spec, &result, "/home/me/out/guest.igvm", (const uint8_t *)"abc", 3,
                                &json, &len, &err),
           0, "statement built");
    if (json) {
        if (!is_str(json, want, "exact statement: normalized descriptor, no key, no machine path"))
            show_diff(json, want);
        is_int((long long)len, (long long)strlen(want), "length");
        ok(!strstr(json, "/home/me"), "no build-machine path");
    }
    free(json);
    igk_spec_free(spec);
}

/* Without inputs in the result, the statement hashes the spec's files itself. */
static void test_fallback_hashing(void)
{
    char dir[] = "/tmp/igk-prov-XXXXXX", path[300];
    struct igk_spec *spec = NULL;
    struct igk_pack_result result = {0};
    struct igk_error err;
    char *json = NULL;
    size_t len = 0;
    FILE *f;
    static const char doc[] = "version: 1\nfirmware: {type: ovmf, path: fw.fd}\nplatforms: {native: {}}\n";

    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    snprintf(path, sizeof(path), "%s/fw.fd", dir);
    f = fopen(path, "w");
    if (f) {
        fputs("abc", f);
        fclose(f);
    }
    igk_error_clear(&err);
    ok(igk_spec_load_buffer(doc, strlen(doc), "g.yaml", dir, true, &spec, &err) == 0,
       "descriptor with a real file loads");
    if (spec) {
        is_int(igk_provenance_build(spec, &result, "x.igvm", (const uint8_t *)"abc", 3, &json, &len,
                                    &err),
               0, "statement built from the spec's files");
        ok(json && strstr(json, "\"name\": \"fw.fd\",\n          \"digest\": {\n            "
                                "\"sha256\": \"" ABC_SHA256 "\""),
           "firmware hashed from its file, named as written");
        free(json);

        unlink(path);
        igk_error_clear(&err);
        json = NULL;
        is_int(igk_provenance_build(spec, &result, "x.igvm", (const uint8_t *)"abc", 3, &json, &len,
                                    &err),
               IGK_E_IO, "a file gone missing is an I/O error");
        ok(json == NULL, "nothing handed over on failure");
    }
    igk_spec_free(spec);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    test_statement();
    test_fallback_hashing();
    return tap_done();
}
