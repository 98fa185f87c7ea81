/* credit_json.h: the JSON of the API: errors, records and subjects
 * (the pool-owned json-c helpers are credit_json_value.h's). */
#ifndef CREDIT_JSON_H
#define CREDIT_JSON_H

#include <json.h>
#include "credit.h"
#include "credit_json_value.h"
#include "credit_model.h"

/* {"error": {"code": code, "message": message}} as text. */
const char *credit_json_error(apr_pool_t *p, const char *code, const char *message,
                              apr_size_t *len);

/* A record as JSON: codes with their Chinese labels, the disclosure clock,
 * the subject (personal data masked as on the pages), the permanent URL
 * (url_base + "/records/" + number). detail = 1 adds the long fields.
 * The object is owned by the caller (add it to a container made with
 * credit_json_new, or release it with json_object_put). */
json_object *credit_json_record(apr_pool_t *p, const char *url_base, const credit_record_t *r,
                                int detail);

/* A subject as JSON (owned by the caller). */
json_object *credit_json_subject(apr_pool_t *p, const credit_subject_t *s);

#endif
