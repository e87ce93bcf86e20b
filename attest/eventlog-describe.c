/* SPDX-License-Identifier: MIT */
/*
 * One-line decodings of TD event log entries (see <igvmkit/attest.h>).
 * Event types and data structures: TCG PC Client Platform Firmware
 * Profile 1.05, section 10.4 (UEFI_VARIABLE_DATA, UEFI_IMAGE_LOAD_EVENT,
 * UEFI_GPT_DATA, UEFI_PLATFORM_FIRMWARE_BLOB2, UEFI_HANDOFF_TABLE_POINTERS2,
 * TCG_PCClientTaggedEvent); the Linux EFI stub's tags in Linux
 * drivers/firmware/efi/libstub/efistub.h; the UEFI device path file node
 * (type 4, subtype 4) in the UEFI specification, section 10.3.5.4.
 * Everything is read from untrusted bytes: every length is checked against
 * the event's data before use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "le.h"
#include <igvmkit/attest.h>

#define INITRD_EVENT_TAG_ID 0x8F3B22ECu
#define LOAD_OPTIONS_EVENT_TAG_ID 0x8F3B22EDu
#define HEX_SHOWN 64u

static const struct {
    uint32_t type;
    const char *name;
} names[] = {
    {0x0, "EV_PREBOOT_CERT"},
    {0x1, "EV_POST_CODE"},
    {0x2, "EV_UNUSED"},
    {0x3, "EV_NO_ACTION"},
    {0x4, "EV_SEPARATOR"},
    {0x5, "EV_ACTION"},
    {0x6, "EV_EVENT_TAG"},
    {0x7, "EV_S_CRTM_CONTENTS"},
    {0x8, "EV_S_CRTM_VERSION"},
    {0x9, "EV_CPU_MICROCODE"},
    {0xA, "EV_PLATFORM_CONFIG_FLAGS"},
    {0xB, "EV_TABLE_OF_DEVICES"},
    {0xC, "EV_COMPACT_HASH"},
    {0xD, "EV_IPL"},
    {0xE, "EV_IPL_PARTITION_DATA"},
    {0xF, "EV_NONHOST_CODE"},
    {0x10, "EV_NONHOST_CONFIG"},
    {0x11, "EV_NONHOST_INFO"},
    {0x12, "EV_OMIT_BOOT_DEVICE_EVENTS"},
    {0x13, "EV_POST_CODE2"},
    {0x80000001, "EV_EFI_VARIABLE_DRIVER_CONFIG"},
    {0x80000002, "EV_EFI_VARIABLE_BOOT"},
    {0x80000003, "EV_EFI_BOOT_SERVICES_APPLICATION"},
    {0x80000004, "EV_EFI_BOOT_SERVICES_DRIVER"},
    {0x80000005, "EV_EFI_RUNTIME_SERVICES_DRIVER"},
    {0x80000006, "EV_EFI_GPT_EVENT"},
    {0x80000007, "EV_EFI_ACTION"},
    {0x80000008, "EV_EFI_PLATFORM_FIRMWARE_BLOB"},
    {0x80000009, "EV_EFI_HANDOFF_TABLES"},
    {0x8000000A, "EV_EFI_PLATFORM_FIRMWARE_BLOB2"},
    {0x8000000B, "EV_EFI_HANDOFF_TABLES2"},
    {0x8000000C, "EV_EFI_VARIABLE_BOOT2"},
    {0x8000000D, "EV_EFI_GPT_EVENT2"},
    {0x80000010, "EV_EFI_HCRTM_EVENT"},
    {0x800000E0, "EV_EFI_VARIABLE_AUTHORITY"},
    {0x800000E1, "EV_EFI_SPDM_FIRMWARE_BLOB"},
    {0x800000E2, "EV_EFI_SPDM_FIRMWARE_CONFIG"},
};

const char *igk_event_type_name(uint32_t type)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return names[i].name;
    return NULL;
}

/* An output buffer that never overflows: text past the end is dropped. */
struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) IGK_PRINTF(2, 3);

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len + 1 >= o->size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len = o->len + (size_t)n >= o->size ? o->size - 1 : o->len + (size_t)n;
}

/* Printable ASCII as is, other bytes as \xNN; stops at a NUL. */
static void put_text(struct out *o, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && p[i]; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            put(o, "%c", p[i]);
        else if (p[i] == '\n')
            put(o, "\\n");
        else
            put(o, "\\x%02x", p[i]);
    }
}

/* UTF-16LE of n code units: ASCII shown, others as \uNNNN; stops at a NUL. */
static void put_utf16(struct out *o, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t c = igk_le16(p + 2 * i);
        if (!c)
            break;
        if (c >= 0x20 && c < 0x7f)
            put(o, "%c", (char)c);
        else
            put(o, "\\u%04x", c);
    }
}

static void put_hex(struct out *o, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && i < HEX_SHOWN; i++)
        put(o, "%02x", p[i]);
    if (n > HEX_SHOWN)
        put(o, "... (%zu bytes)", n);
}

static void put_guid(struct out *o, const uint8_t *g)
{
    put(o, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", igk_le32(g), igk_le16(g + 4),
        igk_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static bool is_text(const uint8_t *p, size_t n)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n && p[i]; i++)
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t')
            return false;
        else if (p[i] >= 0x7f)
            return false;
    for (; i < n; i++) /* only NULs may follow the text */
        if (p[i])
            return false;
    return true;
}

/* UEFI_VARIABLE_DATA: GUID, name length (u64, chars), data length (u64), name, data. */
static bool describe_variable(struct out *o, const uint8_t *d, size_t n)
{
    uint64_t name_len, data_len;
    const uint8_t *name, *data;

    if (n < 32)
        return false;
    name_len = igk_le64(d + 16);
    data_len = igk_le64(d + 24);
    if (name_len > (n - 32) / 2 || data_len > n - 32 - 2 * name_len)
        return false;
    name = d + 32;
    data = name + 2 * name_len;
    put(o, "variable ");
    put_guid(o, d);
    put(o, ":");
    put_utf16(o, name, (size_t)name_len);
    put(o, " (%llu bytes)", (unsigned long long)data_len);
    /* Boot####: EFI_LOAD_OPTION attributes u32, path length u16, description. */
    if (name_len == 8 && data_len >= 6 && !memcmp(name, "B\0o\0o\0t\0", 8)) {
        put(o, " \"");
        put_utf16(o, data + 6, (size_t)(data_len - 6) / 2);
        put(o, "\"");
    } else if (name_len == 9 && !memcmp(name, "B\0o\0o\0t\0O\0r\0d\0e\0r\0", 18)) {
        put(o, " =");
        for (uint64_t i = 0; i + 1 < data_len; i += 2)
            put(o, " %04X", igk_le16(data + i));
    } else if (data_len == 1) {
        put(o, " = %u", data[0]);
    } else if (data_len > 0 && is_text(data, (size_t)data_len)) {
        put(o, " \"");
        put_text(o, data, (size_t)data_len);
        put(o, "\"");
    }
    return true;
}

/* UEFI_IMAGE_LOAD_EVENT: address, length, link-time address, path length, device path. */
static bool describe_image(struct out *o, const uint8_t *d, size_t n)
{
    uint64_t path_len;
    const uint8_t *p, *end;
    bool named = false;

    if (n < 32)
        return false;
    path_len = igk_le64(d + 24);
    if (path_len > n - 32)
        return false;
    put(o, "PE image of %llu bytes at 0x%llx", (unsigned long long)igk_le64(d + 8),
        (unsigned long long)igk_le64(d));
    p = d + 32;
    end = p + path_len;
    /* Device path nodes: type u8, subtype u8, length u16 (>= 4). */
    while (end - p >= 4) {
        uint16_t len = igk_le16(p + 2);
        if (len < 4 || len > end - p)
            break;
        if (p[0] == 4 && p[1] == 4) { /* media, file path */
            put(o, named ? "" : " file ");
            put_utf16(o, p + 4, (size_t)(len - 4) / 2);
            named = true;
        }
        if (p[0] == 0x7f)
            break;
        p += len;
    }
    return true;
}

/* UEFI_GPT_DATA: the 92-byte partition table header, u64 count, entries. */
static bool describe_gpt(struct out *o, const uint8_t *d, size_t n)
{
    uint32_t hdr_size, entry_size;
    uint64_t count;

    if (n < 8 || memcmp(d, "EFI PART", 8) || n < 92)
        return false;
    hdr_size = igk_le32(d + 12);
    entry_size = igk_le32(d + 84);
    if (hdr_size < 92 || hdr_size > n - 8)
        return false;
    count = igk_le64(d + hdr_size);
    put(o, "GPT disk ");
    put_guid(o, d + 56);
    put(o, ", %llu partitions", (unsigned long long)count);
    if (entry_size >= 128 && count <= (n - hdr_size - 8) / entry_size) {
        const uint8_t *e = d + hdr_size + 8;
        for (uint64_t i = 0; i < count; i++, e += entry_size) {
            put(o, i ? ", " : ": ");
            put_utf16(o, e + 56, 36);
        }
    }
    return true;
}

/* UEFI_PLATFORM_FIRMWARE_BLOB2 / UEFI_HANDOFF_TABLE_POINTERS2: u8 size, description, ... */
static bool describe_blob2(struct out *o, const uint8_t *d, size_t n, bool blob)
{
    size_t len;

    if (n < 1 || (size_t)d[0] > n - 1)
        return false;
    len = d[0];
    put(o, "\"");
    put_text(o, d + 1, len);
    put(o, "\"");
    if (blob && n - 1 - len >= 16)
        put(o, " at 0x%llx, %llu bytes", (unsigned long long)igk_le64(d + 1 + len),
            (unsigned long long)igk_le64(d + 9 + len));
    else if (!blob && n - 1 - len >= 8)
        put(o, ", %llu tables", (unsigned long long)igk_le64(d + 1 + len));
    return true;
}

/* TCG_PCClientTaggedEvent: tag u32, size u32, data. */
static bool describe_tag(struct out *o, const uint8_t *d, size_t n)
{
    uint32_t id, size;

    if (n < 8)
        return false;
    id = igk_le32(d);
    size = igk_le32(d + 4);
    if (size > n - 8)
        return false;
    if (id == INITRD_EVENT_TAG_ID)
        put(o, "Linux initrd (tag 0x%08x)", id);
    else if (id == LOAD_OPTIONS_EVENT_TAG_ID)
        put(o, "Linux kernel command line, LoadOptions (tag 0x%08x)", id);
    else
        put(o, "tag 0x%08x", id);
    if (size) {
        put(o, is_text(d + 8, size) ? ": \"" : ": ");
        if (is_text(d + 8, size)) {
            put_text(o, d + 8, size);
            put(o, "\"");
        } else {
            put_hex(o, d + 8, size);
        }
    }
    return true;
}

const char *igk_event_describe(const struct igk_event *ev, char *buf, size_t size)
{
    struct out o = {.buf = buf, .size = size, .len = 0};
    const uint8_t *d = ev->data;
    size_t n = ev->data_len;
    bool done = false;

    if (size == 0)
        return buf;
    buf[0] = 0;
    switch (ev->type) {
    case 0x4: /* EV_SEPARATOR */
        if (n == 4) {
            uint32_t v = igk_le32(d);
            put(&o, v == 0 ? "separator" : v == 1 ? "separator (error)" : "separator 0x%x", v);
            done = true;
        }
        break;
    case 0x6:
        done = describe_tag(&o, d, n);
        break;
    case 0x80000001:
    case 0x80000002:
    case 0x8000000C:
    case 0x800000E0:
        done = describe_variable(&o, d, n);
        break;
    case 0x80000003:
    case 0x80000004:
    case 0x80000005:
        done = describe_image(&o, d, n);
        break;
    case 0x80000006:
        done = describe_gpt(&o, d, n);
        break;
    case 0x80000008:
        if (n == 16) {
            put(&o, "firmware blob at 0x%llx, %llu bytes", (unsigned long long)igk_le64(d),
                (unsigned long long)igk_le64(d + 8));
            done = true;
        }
        break;
    case 0x8000000A:
        done = describe_blob2(&o, d, n, true);
        break;
    case 0x8000000B:
        done = describe_blob2(&o, d, n, false);
        break;
    default:
        break;
    }
    /* Text events: EV_IPL (GRUB, systemd-boot), EV_*ACTION, platform config flags, ... */
    if (!done && is_text(d, n)) {
        put(&o, "\"");
        put_text(&o, d, n);
        put(&o, "\"");
        done = true;
    }
    if (!done) {
        o.len = 0;
        buf[0] = 0;
        if (n)
            put_hex(&o, d, n);
        else
            put(&o, "(no data)");
    }
    return buf;
}
