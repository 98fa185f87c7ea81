/* credit_json_value.h: json-c helpers. Objects made through
 * credit_json_new are released by a cleanup on the pool, so error paths
 * just return. */
#ifndef CREDIT_JSON_VALUE_H
#define CREDIT_JSON_VALUE_H

#include <json.h>
#include "credit.h"

/* A new empty object owned by p (json_object_put at cleanup). */
json_object *credit_json_new(apr_pool_t *p);

/* Adds key: string, or null when value is NULL. */
void credit_json_str(json_object *o, const char *key, const char *value);

/* Serialises o into memory of p. Slashes stay escaped (JSON may land in HTML). */
const char *credit_json_text(apr_pool_t *p, json_object *o, apr_size_t *len);

#endif
