/* SPDX-License-Identifier: MIT */
/*
 * TD event logs: the TCG crypto-agile format of the ACPI CCEL area, parsed
 * from untrusted bytes and replayed into RTMR0..3 (format and limits in
 * <igvmkit/attest.h>; TCG PC Client Platform Firmware Profile 1.05,
 * sections 10.2.1 "TCG_PCClientPCREvent", 10.2.2 "TCG_PCR_EVENT2",
 * 10.4.5.1 "TCG_EfiSpecIDEvent"; the CCEL table in ACPI 6.5, 5.2.34).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>
#include "util.h"

#define EV_NO_ACTION 0x3u
#define SPEC_ID_SIGNATURE "Spec ID Event03"
/* TCG_PCClientPCREvent: PCR u32, type u32, SHA-1 digest (20), size u32. */
#define LEGACY_HEADER_SIZE 32u
/* TCG_EfiSpecIDEvent up to the algorithm count. */
#define SPEC_ID_FIXED_SIZE 28u
#define MAX_MR_INDEX 4u

static int bad(struct igk_error *err, size_t offset, const char *fmt, ...) IGK_PRINTF(3, 4);

static int bad(struct igk_error *err, size_t offset, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return igk_error_set(err, IGK_E_INVALID, "event log byte %zu: %s", offset, what);
}

/* A record whose first 8 bytes (or what is left of them) are all 0x00 or
 * all 0xFF: the unused area after the log. */
static bool is_end(const uint8_t *p, size_t left)
{
    bool zero = true, ones = true;

    for (size_t i = 0; i < 8 && i < left; i++) {
        zero &= p[i] == 0x00;
        ones &= p[i] == 0xFF;
    }
    return zero || ones;
}

static int parse_spec_id(const uint8_t *b, size_t len, struct igk_event_log *log, size_t *ret_end,
                         struct igk_error *err)
{
    uint32_t size, n_algs;
    const uint8_t *d;
    size_t off;

    if (len < LEGACY_HEADER_SIZE)
        return bad(err, 0, "the spec ID event is missing: the log has %zu bytes (%u needed)", len,
                   LEGACY_HEADER_SIZE);
    size = igk_le32(b + 28);
    d = b + LEGACY_HEADER_SIZE;
    if (igk_le32(b + 4) != EV_NO_ACTION || size < SPEC_ID_FIXED_SIZE || len - 32 < size ||
        memcmp(d, SPEC_ID_SIGNATURE, sizeof(SPEC_ID_SIGNATURE)))
        return bad(err, 0,
                   "the spec ID event is missing: the log does not begin with an "
                   "EV_NO_ACTION \"Spec ID Event03\" record");
    n_algs = igk_le32(d + 24);
    if (n_algs == 0 || n_algs > IGK_EVENTLOG_MAX_ALGS)
        return bad(err, LEGACY_HEADER_SIZE + 24,
                   "the spec ID event lists %u digest algorithms (1 to %u allowed)", n_algs,
                   IGK_EVENTLOG_MAX_ALGS);
    off = SPEC_ID_FIXED_SIZE;
    if ((size - off) / 4 < n_algs)
        return bad(err, LEGACY_HEADER_SIZE + off,
                   "the spec ID event's %u algorithms run past its %u bytes", n_algs, size);
    for (uint32_t i = 0; i < n_algs; i++, off += 4) {
        log->alg_ids[i] = igk_le16(d + off);
        log->alg_sizes[i] = igk_le16(d + off + 2);
        if (log->alg_sizes[i] == 0 || log->alg_sizes[i] > 64)
            return bad(err, LEGACY_HEADER_SIZE + off + 2,
                       "digest size %u of algorithm 0x%04x is not 1 to 64 bytes", log->alg_sizes[i],
                       log->alg_ids[i]);
        if (log->alg_ids[i] == IGK_TPM_ALG_SHA384 && log->alg_sizes[i] != 48)
            return bad(err, LEGACY_HEADER_SIZE + off + 2, "SHA-384 digest size is %u, not 48",
                       log->alg_sizes[i]);
    }
    log->n_algs = n_algs;
    *ret_end = LEGACY_HEADER_SIZE + size;
    return 0;
}

static int extend(uint8_t mr[48], const uint8_t digest[48])
{
    uint8_t buf[96];

    memcpy(buf, mr, 48);
    memcpy(buf + 48, digest, 48);
    return igk_sha384(buf, sizeof(buf), mr);
}

static int parse_all(const uint8_t *b, size_t len, struct igk_event_log *log, struct igk_error *err)
{
    size_t off = 0, cap = 0;
    int r;

    memset(log, 0, sizeof(*log));
    if (len > IGK_EVENTLOG_MAX_SIZE)
        return igk_error_set(err, IGK_E_INVALID,
                             "the event log has %zu bytes; igvmkit reads at most %u", len,
                             IGK_EVENTLOG_MAX_SIZE);
    r = parse_spec_id(b, len, log, &off, err);
    if (r < 0)
        return r;
    while (!is_end(b + off, len - off)) {
        struct igk_event ev = {.offset = off};
        size_t p = off + 12;
        uint32_t count;
        bool have_sha384 = false;

        if (len - off < 12)
            return bad(err, off, "record truncated: %zu bytes left, the header needs 12",
                       len - off);
        ev.mr_index = igk_le32(b + off);
        ev.type = igk_le32(b + off + 4);
        count = igk_le32(b + off + 8);
        if (ev.mr_index > MAX_MR_INDEX)
            return bad(err, off, "MR index %u is above %u (0 MRTD, 1..4 RTMR0..3)", ev.mr_index,
                       MAX_MR_INDEX);
        if (count == 0 || count > log->n_algs)
            return bad(err, off + 8, "digest count %u: the spec ID event lists %zu algorithms",
                       count, log->n_algs);
        for (uint32_t i = 0; i < count; i++) {
            size_t k;
            uint16_t alg;

            if (len - p < 2)
                return bad(err, p, "digest %u runs past the end of the log (%zu bytes)", i, len);
            alg = igk_le16(b + p);
            for (k = 0; k < log->n_algs && log->alg_ids[k] != alg; k++)
                ;
            if (k == log->n_algs)
                return bad(err, p,
                           "unknown digest algorithm 0x%04x (not in the spec ID "
                           "event)",
                           alg);
            if (len - p - 2 < log->alg_sizes[k])
                return bad(err, p, "digest %u of %u bytes runs past the end of the log", i,
                           log->alg_sizes[k]);
            if (alg == IGK_TPM_ALG_SHA384) {
                memcpy(ev.sha384, b + p + 2, 48);
                have_sha384 = true;
            }
            p += 2 + (size_t)log->alg_sizes[k];
        }
        if (!have_sha384)
            return bad(err, off, "the event has no SHA-384 digest (%u digests)", count);
        if (len - p < 4)
            return bad(err, p, "event size runs past the end of the log (%zu bytes)", len);
        ev.data_len = igk_le32(b + p);
        p += 4;
        if (len - p < ev.data_len)
            return bad(err, p - 4,
                       "event data of %u bytes runs past the end of the log (%zu "
                       "bytes left)",
                       ev.data_len, len - p);
        ev.data = b + p;
        p += ev.data_len;

        if (log->n_events == IGK_EVENTLOG_MAX_EVENTS)
            return bad(err, off, "more than %u events", IGK_EVENTLOG_MAX_EVENTS);
        if (log->n_events == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            struct igk_event *n = realloc(log->events, ncap * sizeof(*n));
            if (!n)
                return igk_error_set(err, IGK_E_INTERNAL, "out of memory");
            log->events = n;
            cap = ncap;
        }
        log->events[log->n_events++] = ev;
        if (ev.mr_index >= 1) {
            if (extend(log->rtmr[ev.mr_index - 1], ev.sha384) < 0)
                return igk_error_set(err, IGK_E_INTERNAL, "SHA-384 failed");
            log->rtmr_events[ev.mr_index - 1]++;
        }
        off = p;
    }
    log->length = off;
    return 0;
}

int igk_event_log_parse(const uint8_t *b, size_t len, struct igk_event_log *log,
                        struct igk_error *err)
{
    int r = parse_all(b, len, log, err);

    if (r < 0)
        igk_event_log_free(log);
    return r;
}

void igk_event_log_free(struct igk_event_log *log)
{
    if (!log)
        return;
    free(log->events);
    log->events = NULL;
    log->n_events = 0;
}

int igk_ccel_table_parse(const uint8_t *b, size_t len, uint64_t *ret_length, uint64_t *ret_address,
                         struct igk_error *err)
{
    uint8_t sum = 0;
    uint32_t table_len;

    if (len < 56 || memcmp(b, "CCEL", 4))
        return igk_error_set(err, IGK_E_INVALID,
                             "not an ACPI CCEL table (signature \"CCEL\", 56 bytes; this has %zu "
                             "bytes)",
                             len);
    table_len = igk_le32(b + 4);
    if (table_len < 56 || table_len > len)
        return igk_error_set(err, IGK_E_INVALID,
                             "CCEL table length %u does not fit the %zu bytes given", table_len,
                             len);
    for (uint32_t i = 0; i < table_len; i++)
        sum = (uint8_t)(sum + b[i]);
    if (sum != 0)
        return igk_error_set(err, IGK_E_INVALID, "CCEL table checksum is wrong (sum 0x%02x)", sum);
    *ret_length = igk_le64(b + 40);
    if (ret_address)
        *ret_address = igk_le64(b + 48);
    return 0;
}
