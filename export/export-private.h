/* SPDX-License-Identifier: MIT */
/* Internal pieces of the exporters (export/export*.c). */
#ifndef IGK_EXPORT_PRIVATE_H
#define IGK_EXPORT_PRIVATE_H

#include <igvmkit/export.h>

#include "json.h"

/* Writes the measurement document as one JSON object value. */
void igk_export_write_document(struct igk_json *j, const struct igk_export_input *in);

int igk_export_json(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                    struct igk_error *err);
int igk_export_intoto(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                      struct igk_error *err);
int igk_export_rvps(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                    struct igk_error *err);
int igk_export_corim(const struct igk_export_input *in, uint8_t **ret_data, size_t *ret_len,
                     struct igk_error *err);

#endif /* IGK_EXPORT_PRIVATE_H */
