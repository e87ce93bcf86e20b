/* SPDX-License-Identifier: MIT */
/*
 * Signing keys for 'igvmkit sign': PEM private keys, public keys and
 * certificates, each checked to be EC P-384 with messages that name its
 * role ("ID key").  The AMD-layout key fields, signatures and their
 * conversions are the ID-block module's (idblock.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "file-input.h"
#include "sign-private.h"

/* Encrypted keys are refused instead of prompting on a terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return 0;
}

/*
 * A key file through the input module (file-input.h: a FIFO is refused, not
 * waited on; the size is bounded), copied into a memory BIO and wiped.
 */
static int open_pem(const char *path, const char *role, BIO **ret, struct igk_error *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int r;

    r = igk_read_file_limit(path, IGK_LIMIT_SMALL_FILE, role, &data, &len, err);
    if (r < 0) {
        /* Keep naming the role: "cannot open ID key: ..." */
        if (r == IGK_E_IO && !strncmp(err->message, "cannot open: ", 13)) {
            char reason[256];

            snprintf(reason, sizeof(reason), "%s", err->message + 13);
            igk_error_set(err, IGK_E_IO, "cannot open %s: %s", role, reason);
        }
        igk_error_set_path(err, path);
        return r;
    }
    *ret = BIO_new(BIO_s_mem());
    if (!*ret || (len && BIO_write(*ret, data, (int)len) != (int)len)) {
        BIO_free(*ret);
        *ret = NULL;
        r = igk_error_set(err, IGK_E_INTERNAL, "out of memory");
    } else {
        /* BIO_reset() rewinds (a second PEM read), instead of emptying the buffer. */
        BIO_set_flags(*ret, BIO_FLAGS_NONCLEAR_RST);
    }
    OPENSSL_cleanse(data, len);
    free(data);
    return r;
}

int igk_sign_check_p384(EVP_PKEY *key, const char *role, struct igk_error *err)
{
    char group[64] = "";
    size_t len = 0;

    if (!EVP_PKEY_is_a(key, "EC")) {
        const char *type = EVP_PKEY_get0_type_name(key);
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is a %s key; SEV-SNP ID blocks need an ECDSA P-384 key", role,
                             type ? type : "non-EC");
    }
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        &len))
        snprintf(group, sizeof(group), "an unnamed curve");
    if (strcmp(group, "secp384r1") != 0)
        return igk_error_set(err, IGK_E_INVALID,
                             "%s is on curve %s; SEV-SNP ID blocks need P-384 (secp384r1)", role,
                             group);
    return 0;
}

/*
 * The end of both key loaders: key is what PEM parsing gave (NULL when the
 * file did not hold what_expected); it must be a P-384 key.  Takes key.
 */
static int accept_p384_key(EVP_PKEY *key, const char *path, const char *role,
                           const char *what_expected, EVP_PKEY **ret_key, struct igk_error *err)
{
    int r;

    ERR_clear_error();
    igk_error_set_path(err, path);
    if (!key)
        return igk_error_set(err, IGK_E_INVALID, "%s is not %s", role, what_expected);
    r = igk_sign_check_p384(key, role, err);
    if (r < 0) {
        EVP_PKEY_free(key);
        return r;
    }
    igk_error_set_path(err, "");
    *ret_key = key;
    return 0;
}

int igk_sign_load_private_key(const char *path, const char *role, EVP_PKEY **ret_key,
                              struct igk_error *err)
{
    EVP_PKEY *key;
    BIO *bio;
    int r;

    *ret_key = NULL;
    r = open_pem(path, role, &bio, err);
    if (r < 0)
        return r;
    key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    return accept_p384_key(key, path, role, "an unencrypted PEM private key (PKCS#8 or SEC1)",
                           ret_key, err);
}

int igk_sign_load_public_key(const char *path, const char *role, EVP_PKEY **ret_key,
                             struct igk_error *err)
{
    EVP_PKEY *key;
    X509 *cert;
    BIO *bio;
    int r;

    *ret_key = NULL;
    r = open_pem(path, role, &bio, err);
    if (r < 0)
        return r;
    key = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    if (!key) {
        /* Also take a certificate (a VCEK, or a certified ID key). */
        (void)BIO_reset(bio);
        cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
        if (cert) {
            key = X509_get_pubkey(cert);
            X509_free(cert);
        }
    }
    BIO_free(bio);
    return accept_p384_key(key, path, role, "a PEM public key or certificate", ret_key, err);
}
