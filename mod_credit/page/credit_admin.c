/* credit_admin.c: the staff JSON API:
 *   GET  /api/v1/me                                who am I, which department
 *   POST /api/v1/records/{no}/events               contest uncontest correct revoke repair
 *   POST /api/v1/cases/{receipt}/transitions       move a complaint / objection / repair
 *   GET  /api/v1/audit/records/{no}                the audit trail of a record
 *   GET  /api/v1/audit/{complaint|objection|repair}/{receipt}
 * Errors: 400 naming the field, 403 for a user without a staff row (an HTML
 * page outside /api/), 404 (also for what is outside the staff's
 * department), 409 naming the states. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_admin.h"
#include "credit_admin_records_api.h"
#include "credit_admin_queue.h"
#include "credit_admin_bodies.h"
#include "credit_json.h"
#include "credit_route.h"
#include "credit_store_staff.h"
#include "credit_validate.h"
#include "credit_workflow.h"

#define FIELD_MAX 1000 /* characters of a reason or note (the columns hold 1000) */

credit_status_t credit_admin_reply(credit_req_t *rq, int status, json_object *o)
{
    rq->status = status;
    rq->content_type = "application/json; charset=utf-8";
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return status == 503 ? CREDIT_EUNAVAIL : status >= 500 ? CREDIT_EINTERNAL : CREDIT_OK;
}

json_object *credit_admin_error_object(const char *code, const char *field, const char *message)
{
    json_object *e = json_object_new_object();
    credit_json_str(e, "code", code);
    if (field)
        credit_json_str(e, "field", field);
    credit_json_str(e, "message", message);
    return e;
}

credit_status_t credit_admin_error(credit_req_t *rq, int status, const char *code,
                                   const char *field, const char *message)
{
    json_object *o = credit_json_new(rq->pool);
    json_object_object_add(o, "error", credit_admin_error_object(code, field, message));
    return credit_admin_reply(rq, status, o);
}

#define reply credit_admin_reply

static credit_status_t error(credit_req_t *rq, int status, const char *code, const char *message)
{
    return credit_admin_error(rq, status, code, NULL, message);
}

/* Fields of more than this many characters are texts (notes, reasons,
 * replies) that may hold line breaks and tabs; shorter ones are one line. */
#define LINE_FIELD_MAX 100

/* A string member: NULL when absent, null or empty; *bad names the field
 * when it is not a string, holds a NUL ("a\u0000b" would be cut short) or
 * another control character, is not valid UTF-8, or is longer than max
 * characters. */
const char *credit_admin_field(json_object *body, const char *name, int max, const char **bad)
{
    json_object *v;
    const char *s;
    size_t len;
    long n;
    if (!body || !json_object_object_get_ex(body, name, &v) ||
        json_object_is_type(v, json_type_null))
        return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        *bad = name;
        return NULL;
    }
    s = json_object_get_string(v);
    len = (size_t)json_object_get_string_len(v);
    n = strlen(s) == len && !credit_has_control(s, max > LINE_FIELD_MAX) ? credit_utf8_chars(s, len)
                                                                         : -1;
    if (n < 0 || n > max) {
        *bad = name;
        return NULL;
    }
    return n ? s : NULL;
}

/* Seconds a refused write is told to wait before it is sent again. */
#define RETRY_SECONDS "30"

credit_status_t credit_admin_unavailable(credit_req_t *rq, const char *unchanged)
{
    apr_table_setn(rq->headers, "Retry-After", RETRY_SECONDS);
    if (rq->store->admin->db_alive(rq->store) == CREDIT_OK)
        return error(rq, 503, "busy",
                     apr_pstrcat(rq->pool,
                                 "another staff write (such as a bulk import of records) "
                                 "held what this one needs for too long; ",
                                 unchanged, "; send it again in " RETRY_SECONDS " seconds", NULL));
    return error(rq, 503, "unavailable",
                 apr_pstrcat(rq->pool, "database unavailable, ", unchanged, NULL));
}

static credit_status_t store_error(credit_req_t *rq, credit_status_t rv, const char *what)
{
    switch (rv) {
    case CREDIT_ENOTFOUND:
        return error(rq, 404, "not_found", apr_pstrcat(rq->pool, what, " not found", NULL));
    case CREDIT_EUNAVAIL:
        return credit_admin_unavailable(rq, "nothing was changed");
    default:
        return error(rq, 500, "internal_error", "nothing was changed");
    }
}

static credit_status_t record_event(credit_req_t *rq, const credit_staff_t *st, const char *no,
                                    json_object *body)
{
    credit_record_event_in_t in = {0};
    const char *bad = NULL, *from, *to, *why;
    credit_status_t rv;
    json_object *o;

    in.event = credit_admin_field(body, "event", 32, &bad);
    in.decision_no = credit_admin_field(body, "decision_no", 100, &bad);
    in.reason = credit_admin_field(body, "reason", FIELD_MAX, &bad);
    in.note = credit_admin_field(body, "note", FIELD_MAX, &bad);
    if (bad)
        return error(rq, 400, "bad_field",
                     apr_pstrcat(rq->pool, bad,
                                 ": a string of limited length without control characters", NULL));
    if (!in.event || !in.decision_no || !in.reason)
        return error(rq, 400, "missing_field",
                     !in.event         ? "event: required (contest uncontest correct revoke repair)"
                     : !in.decision_no ? "decision_no: required"
                                       : "reason: required");
    if (!strcmp(in.event, "correct") && !in.note)
        return error(rq, 400, "missing_field", "note: a correction needs its note");
    rv = rq->store->admin->record_event(rq->store, st, no, &in, &from, &to, &why);
    if (rv == CREDIT_ECONFLICT)
        return error(rq, 409, "illegal_transition",
                     apr_psprintf(rq->pool, "%s is not allowed for a record that is %s", in.event,
                                  from ? from : "?"));
    if (rv == CREDIT_EINVAL)
        return error(rq, 400, "bad_field", apr_pstrcat(rq->pool, "event: ", why, NULL));
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "record");
    o = credit_json_new(rq->pool);
    credit_json_str(o, "no", no);
    credit_json_str(o, "from", from);
    credit_json_str(o, "status", to);
    return reply(rq, 200, o);
}

static credit_status_t case_transition(credit_req_t *rq, const credit_staff_t *st,
                                       const char *receipt, json_object *body)
{
    const char *bad = NULL, *to, *note, *answer, *correction, *from, *why;
    credit_status_t rv;
    json_object *o;

    to = credit_admin_field(body, "to", 32, &bad);
    note = credit_admin_field(body, "note", FIELD_MAX, &bad);
    answer = credit_admin_field(body, "reply", 5000, &bad);
    /* an objection decided `corrected`: the correction note for the public
     * (records.correction_note holds 1000 characters) */
    correction = credit_admin_field(body, "correction", FIELD_MAX, &bad);
    if (correction && !correction[strspn(correction, " \t\r\n")])
        correction = NULL; /* blank: none given */
    if (bad)
        return error(rq, 400, "bad_field",
                     apr_pstrcat(rq->pool, bad,
                                 ": a string of limited length without control characters", NULL));
    if (!to || !note)
        return error(rq, 400, "missing_field", !to ? "to: required" : "note: required");
    if (!strcmp(to, "corrected") && !correction)
        return error(rq, 400, "missing_field",
                     "correction: required with to = corrected (the correction note shown on "
                     "the public record; the note stays with the case)");
    if (strcmp(to, "corrected") && correction)
        return error(rq, 400, "bad_field",
                     "correction: only an objection decided as corrected takes one");
    rv = rq->store->admin->case_transition(rq->store, st, receipt, to, note, answer, correction,
                                           &from, &why);
    if (rv == CREDIT_EINVAL)
        return error(rq, 400, "bad_field", why ? why : "the request is not valid");
    if (rv == CREDIT_ECONFLICT)
        return error(rq, 409, "illegal_transition",
                     why ? why
                         : apr_psprintf(rq->pool, "a case that is %s cannot become %s",
                                        from ? from : "?", to));
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "case");
    o = credit_json_new(rq->pool);
    credit_json_str(o, "receipt", receipt);
    credit_json_str(o, "from", from);
    credit_json_str(o, "status", to);
    return reply(rq, 200, o);
}

static credit_status_t audit(credit_req_t *rq, const credit_staff_t *st, const char *entity,
                             const char *key)
{
    apr_array_header_t *rows;
    credit_status_t rv = rq->store->admin->audit(rq->store, st, entity, key, &rows);
    if (rv == CREDIT_EINVAL)
        return error(rq, 404, "not_found", "no such kind of entity");
    if (rv != CREDIT_OK)
        return store_error(rq, rv, entity);
    return credit_admin_audit_reply(rq, entity, key, rows);
}

credit_status_t credit_admin_audit_reply(credit_req_t *rq, const char *entity, const char *key,
                                         apr_array_header_t *rows)
{
    json_object *o = credit_json_new(rq->pool), *items = json_object_new_array();
    int i;
    for (i = 0; i < rows->nelts; i++) {
        credit_audit_t *a = &APR_ARRAY_IDX(rows, i, credit_audit_t);
        json_object *it = json_object_new_object();
        credit_json_str(it, "actor", a->actor);
        credit_json_str(it, "at", a->at);
        credit_json_str(it, "action", a->action);
        json_object_object_add(it, "before",
                               a->before_json ? json_tokener_parse(a->before_json) : NULL);
        json_object_object_add(it, "after",
                               a->after_json ? json_tokener_parse(a->after_json) : NULL);
        json_object_array_add(items, it);
    }
    credit_json_str(o, "entity", entity);
    credit_json_str(o, "key", key);
    json_object_object_add(o, "audit", items);
    return reply(rq, 200, o);
}

/* One admin route: method, path pattern ('*' stands for one path segment,
 * passed as key) and the function. */
typedef credit_status_t admin_fn(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                 const credit_admin_body_t *in);

static credit_status_t me(credit_req_t *rq, const credit_staff_t *st, const char *key,
                          const credit_admin_body_t *in)
{
    json_object *o = credit_json_new(rq->pool);
    (void)key;
    (void)in;
    credit_json_str(o, "user", st->username);
    credit_json_str(o, "name", st->name);
    json_object_object_add(o, "department_id",
                           st->department_id ? json_object_new_int64((int64_t)st->department_id)
                                             : NULL);
    json_object_object_add(o, "city_level", json_object_new_boolean(st->department_id == 0));
    return reply(rq, 200, o);
}

static credit_status_t get_record_audit(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    (void)in;
    return credit_record_no_valid(key) ? audit(rq, st, "record", key)
                                       : error(rq, 404, "not_found", "no such record");
}

static credit_status_t get_case_audit(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                      const credit_admin_body_t *in)
{
    /* key is "kind/receipt" (two segments, see the table). */
    const char *slash = strchr(key, '/');
    const char *kind = slash ? apr_pstrndup(rq->pool, key, (apr_size_t)(slash - key)) : key;
    (void)in;
    if (!slash || !credit_case_kind_of(slash + 1) || strcmp(kind, credit_case_kind_of(slash + 1)))
        return error(rq, 404, "not_found", "no such admin resource");
    return audit(rq, st, kind, slash + 1);
}

static credit_status_t post_record_event(credit_req_t *rq, const credit_staff_t *st,
                                         const char *key, const credit_admin_body_t *in)
{
    if (!credit_record_no_valid(key))
        return error(rq, 404, "not_found", "no such record");
    return record_event(rq, st, key, in->json);
}

static credit_status_t post_case_transition(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in)
{
    if (!credit_case_kind_of(key))
        return error(rq, 404, "not_found", "no such case");
    return case_transition(rq, st, key, in->json);
}

/* POST /api/v1/cases/{receipt}/assign {"department_id": N, "note": "..."}:
 * city-level staff give a complaint to a department. */
static credit_status_t post_case_assign(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    json_object *d = NULL, *o;
    const char *bad = NULL, *note, *before, *name, *why;
    long long dept = 0;
    credit_status_t rv;

    if (!credit_case_kind_of(key))
        return error(rq, 404, "not_found", "no such case");
    if (!json_object_object_get_ex(in->json, "department_id", &d) || !d)
        return error(rq, 400, "missing_field", "department_id: required");
    if (!json_object_is_type(d, json_type_int) || (dept = json_object_get_int64(d)) <= 0)
        return error(rq, 400, "bad_field", "department_id: a positive integer");
    note = credit_admin_field(in->json, "note", FIELD_MAX, &bad);
    if (bad)
        return error(rq, 400, "bad_field", "note: a string of limited length");
    if (!note)
        return error(rq, 400, "missing_field", "note: required");
    rv = rq->store->admin->case_assign(rq->store, st, key, (unsigned long long)dept, note, &before,
                                       &name, &why);
    if (rv == CREDIT_EINVAL)
        return strncmp(why, "department_id", 13) ? error(rq, 409, "not_assignable", why)
                                                 : error(rq, 400, "bad_field", why);
    if (rv == CREDIT_ECONFLICT)
        return error(rq, 409, "case_closed",
                     apr_pstrcat(rq->pool, "a complaint that is ", why ? why : "closed",
                                 " is not assigned any more", NULL));
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "case");
    o = credit_json_new(rq->pool);
    credit_json_str(o, "receipt", key);
    json_object_object_add(o, "department_id", json_object_new_int64(dept));
    credit_json_str(o, "department", name);
    json_object_object_add(o, "before", *before ? json_object_new_int64(atoll(before)) : NULL);
    return reply(rq, 200, o);
}

/* Body kinds a route takes. */
enum { BODY_NONE, BODY_JSON, BODY_LINES, BODY_FORM };

static const struct {
    const char *method;
    const char *pattern; /* '*' one segment; '**' the rest (at least two segments) */
    int body;
    admin_fn *fn;
} routes[] = {
    {"GET", "/api/v1/me", BODY_NONE, me},
    {"GET", "/api/v1/audit/records/*", BODY_NONE, get_record_audit},
    {"GET", "/api/v1/audit/ratings/**", BODY_NONE, credit_admin_get_rating_audit},
    {"GET", "/api/v1/audit/commitments/*", BODY_NONE, credit_admin_get_commitment_audit},
    {"GET", "/api/v1/audit/**", BODY_NONE, get_case_audit},
    {"POST", "/api/v1/records", BODY_JSON, credit_admin_post_record},
    {"POST", "/api/v1/records/import", BODY_LINES, credit_admin_import_records},
    {"GET", "/api/v1/records/*", BODY_NONE, credit_admin_get_record},
    {"PUT", "/api/v1/records/*", BODY_JSON, credit_admin_put_record},
    {"POST", "/api/v1/records/*/events", BODY_JSON, post_record_event},
    {"POST", "/api/v1/cases/*/transitions", BODY_JSON, post_case_transition},
    /* work queues and case pages (credit_admin_queue.c, credit_admin_case.c) */
    {"GET", "/", BODY_NONE, credit_admin_queues_page},
    {"GET", "/queues", BODY_NONE, credit_admin_queues_page},
    {"GET", "/queues/*", BODY_NONE, credit_admin_queue_page},
    {"GET", "/cases/*", BODY_NONE, credit_admin_case_page},
    {"POST", "/cases/*", BODY_FORM, credit_admin_case_post},
    {"POST", "/api/v1/cases/*/assign", BODY_JSON, post_case_assign},
    {"GET", "/api/v1/ratings/**", BODY_NONE, credit_admin_get_rating},
    {"PUT", "/api/v1/ratings/**", BODY_JSON, credit_admin_put_rating},
    {"POST", "/api/v1/commitments", BODY_JSON, credit_admin_post_commitment},
    {"GET", "/api/v1/commitments/*", BODY_NONE, credit_admin_get_commitment},
    {"PUT", "/api/v1/commitments/*", BODY_JSON, credit_admin_put_commitment},
};

credit_status_t credit_admin_dispatch(credit_req_t *rq, const char *method, const char *user,
                                      credit_status_t found, const credit_staff_t *st,
                                      const credit_admin_body_t *in)
{
    const char *key;
    size_t i;
    const char *allow = NULL;

    rq->route.api = 1;
    if (found == CREDIT_ENOTFOUND) /* the pages answer with a page, the API with JSON */
        return strcmp(rq->path, "/api") && strncmp(rq->path, "/api/", 5)
                   ? credit_admin_not_staff_page(rq, user)
                   : error(rq, 403, "not_staff", "this login has no staff account");
    if (found != CREDIT_OK || !st)
        return store_error(rq, found != CREDIT_OK ? found : CREDIT_EINTERNAL, "staff account");
    for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!credit_route_glob(rq->pool, routes[i].pattern, rq->path, &key))
            continue;
        if (strcmp(routes[i].method, method) != 0) {
            allow = allow ? apr_pstrcat(rq->pool, allow, ", ", routes[i].method, NULL)
                          : routes[i].method;
            continue;
        }
        if ((routes[i].body == BODY_JSON && (in->form || in->lines)) ||
            (routes[i].body == BODY_LINES && (in->form || in->json)) ||
            (routes[i].body == BODY_FORM && (in->json || in->lines)))
            return error(rq, 415, "bad_body",
                         routes[i].body == BODY_JSON ? "Content-Type must be application/json"
                         : routes[i].body == BODY_LINES
                             ? "Content-Type must be application/x-ndjson"
                             : "an HTML form is expected");
        if (routes[i].body == BODY_JSON &&
            (!in->json || !json_object_is_type(in->json, json_type_object)))
            return error(rq, 400, "bad_body", "a JSON object is expected");
        if ((routes[i].body == BODY_LINES && !in->lines) ||
            (routes[i].body == BODY_FORM && !in->form))
            return error(rq, 400, "bad_body", "the body is missing");
        return routes[i].fn(rq, st, key, in);
    }
    if (allow) {
        apr_table_setn(rq->headers, "Allow", allow);
        return error(rq, 405, "method_not_allowed",
                     apr_pstrcat(rq->pool, method, " is not allowed on ", rq->path, NULL));
    }
    return error(rq, 404, "not_found",
                 apr_pstrcat(rq->pool, "no such admin resource: ", rq->path, NULL));
}
