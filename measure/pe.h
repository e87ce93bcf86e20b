/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF Authenticode image digest (internal).
 *
 * This is the digest UEFI firmware extends for an EFI application it loads
 * (EV_EFI_BOOT_SERVICES_APPLICATION; TDVF puts it in RTMR1 for the kernel in
 * a direct boot), computed over the image *file* bytes as the Authenticode
 * rules define it (Microsoft "Windows Authenticode Portable Executable
 * Signature Format", "Calculating the PE Image Hash"):
 *   1. the headers up to SizeOfHeaders, leaving out the 4-byte CheckSum of
 *      the optional header and the 8-byte Certificate Table data directory
 *      entry (IMAGE_DIRECTORY_ENTRY_SECURITY, index 4) when it exists;
 *   2. every section with SizeOfRawData > 0, in ascending PointerToRawData
 *      order (not table order);
 *   3. the bytes after the last hashed byte (SizeOfHeaders + the sum of the
 *      section sizes) up to the end of the file, minus the certificate
 *      table's size (the signature itself is never hashed).
 * Like edk2's measured-boot code (the code TDVF runs), no zero padding is
 * added at the end; dstack-mr pads to a multiple of 8 bytes, which only
 * differs for files whose size is not a multiple of 8 (signed images always
 * are: the certificate table is 8-byte aligned).
 *
 * The image is untrusted: every offset and size is bounds-checked, and an
 * image that does not satisfy the rules above is refused (IGK_E_INVALID)
 * rather than hashed partially.
 */
#ifndef IGK_PE_H
#define IGK_PE_H

#include <stddef.h>
#include <stdint.h>

#include <igvmkit/error.h>

enum igk_pe_hash {
    IGK_PE_SHA256 = 0,
    IGK_PE_SHA384 = 1,
};

/*
 * Writes the Authenticode digest (32 or 48 bytes) of image[0..len) to out.
 * Returns 0, IGK_E_INVALID for a malformed image (message names the field),
 * or IGK_E_INTERNAL when the digest cannot be computed.
 */
int igk_pe_authenticode(const uint8_t *image, size_t len, enum igk_pe_hash hash, uint8_t *out,
                        struct igk_error *err);

#endif /* IGK_PE_H */
