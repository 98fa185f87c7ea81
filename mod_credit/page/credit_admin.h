/* credit_admin.h: the staff JSON API (handler credit-admin). The request
 * is a credit_req_t (credit_req.h, shared with the public pages); the user
 * comes from Apache's authn/authz and must have a staff row. */
#ifndef CREDIT_ADMIN_H
#define CREDIT_ADMIN_H

#include <json.h>
#include "credit_req.h"
#include "credit_store_staff.h" /* credit_staff_t */

#define CREDIT_ADMIN_JSON_MAX  (1024 * 1024)      /* one JSON value */
#define CREDIT_ADMIN_LINES_MAX (32 * 1024 * 1024) /* a JSON Lines import */

/* The body of a request, by its media type; all NULL for GET. */
typedef struct {
    json_object *json; /* application/json: the parsed value (owned by the glue) */
    const char *lines; /* application/x-ndjson: the raw text, NUL-terminated */
    apr_size_t lines_len;
    apr_table_t *form; /* application/x-www-form-urlencoded: the decoded fields */
} credit_admin_body_t;

/* Runs the admin route of rq->path for `method` ("GET" "POST" "PUT") with
 * the request body, for Apache's login `user` whose staff row the glue
 * looked up (credit_admin_staff) before reading any body: `found` is that
 * look-up's outcome and st the row when it is CREDIT_OK. CREDIT_ENOTFOUND
 * answers 403 (an HTML page outside /api/, JSON under it), another error
 * 503/500; for those the glue reads no body and `in` is empty. The
 * response (JSON, errors as {"error":...}; HTML for the work queues) is in
 * rq. Returns the outcome for the glue's log line. */
credit_status_t credit_admin_dispatch(credit_req_t *rq, const char *method, const char *user,
                                      credit_status_t found, const credit_staff_t *st,
                                      const credit_admin_body_t *in);

/* Shared by the API's route files (credit_admin*.c). */

/* Answers o as JSON with `status` and Cache-Control: no-store. Returns
 * CREDIT_OK, CREDIT_EUNAVAIL for 503, CREDIT_EINTERNAL for other 5xx. */
credit_status_t credit_admin_reply(credit_req_t *rq, int status, json_object *o);

/* {"code", "field" (when not NULL), "message"}: one error, also as an item
 * of an import's report. */
json_object *credit_admin_error_object(const char *code, const char *field, const char *message);

/* Answers {"error": credit_admin_error_object(...)} with `status`. Returns
 * as credit_admin_reply. */
credit_status_t credit_admin_error(credit_req_t *rq, int status, const char *code,
                                   const char *field, const char *message);

/* Answers an audit trail (credit_audit_t rows) of entity `key` as JSON:
 * {"entity", "key", "audit": [{actor, at, action, before, after}]}. */
credit_status_t credit_admin_audit_reply(credit_req_t *rq, const char *entity, const char *key,
                                         apr_array_header_t *rows);

/* The 503 of a write that failed with CREDIT_EUNAVAIL, with Retry-After:
 * "busy" when the database answers (a lock wait timed out behind another
 * staff write), "unavailable" when it does not. `unchanged` says what was
 * not done ("nothing was changed"). */
credit_status_t credit_admin_unavailable(credit_req_t *rq, const char *unchanged);

/* A string member of body: NULL when absent, null or empty; *bad names the
 * field when it is not a string, not valid UTF-8, or longer than max
 * characters. */
const char *credit_admin_field(json_object *body, const char *name, int max, const char **bad);

#endif
