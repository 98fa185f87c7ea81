/* credit_admin_records_api.c: the staff API's record routes (create, read,
 * update, JSON Lines import). Validation is credit_record_input.c's, the
 * transactions credit_store_admin_records.c's; this file maps them to HTTP. */
#include <string.h>
#include <apr_strings.h>

#include "credit_admin_records_api.h"
#include "credit_admin.h"
#include "credit_record_input.h"
#include "credit_store_staff.h"
#include "credit_json.h"
#include "credit_validate.h"

#define reply        credit_admin_reply
#define error        credit_admin_error
#define error_object credit_admin_error_object

/* {"code", "field", "message"} of e, and "subject_id" when it names the
 * registered official of an ID-card number (official_exists). */
static json_object *field_error_object(const credit_field_error_t *e)
{
    json_object *o = error_object(e->code, e->field, e->message);
    if (e->subject_id)
        json_object_object_add(o, "subject_id", json_object_new_int64((int64_t)e->subject_id));
    return o;
}

static credit_status_t field_error(credit_req_t *rq, int status, const credit_field_error_t *e)
{
    json_object *o = credit_json_new(rq->pool);
    json_object_object_add(o, "error", field_error_object(e));
    return reply(rq, status, o);
}

/* A database failure: CREDIT_EUNAVAIL is a database that is down or a
 * write that waited too long for rows another write holds (a bulk import
 * holds its years' record counters until it commits); the answer says which. */
static credit_status_t store_error(credit_req_t *rq, credit_status_t rv, const char *unchanged)
{
    if (rv == CREDIT_ENOTFOUND)
        return error(rq, 404, "not_found", NULL, "no such record");
    if (rv == CREDIT_EUNAVAIL)
        return credit_admin_unavailable(rq, unchanged);
    return error(rq, 500, "internal_error", NULL, unchanged);
}

/* A look-up that found a registered official (audited by the store): a
 * warning naming the login and the official, never the number. */
static void log_lookup_found(credit_req_t *rq, const credit_staff_t *st,
                             const credit_lookup_budget_t *b, const credit_field_error_t *e,
                             int line)
{
    credit_req_log(
        rq, 4, "CR0930",
        "staff login %s gave the ID-card number of registered official %" APR_UINT64_T_FMT
        " as a new official%s; such answers to this login with this request's: %d of %d in "
        "%d s",
        st->username ? st->username : "?", (apr_uint64_t)e->subject_id,
        line ? apr_psprintf(rq->pool, " (import line %d)", line) : "", b->used, b->limit,
        b->window);
}

/* Retry-After and the warning of a request the look-up budget refused
 * (wholly or some of its lines). */
static void lookup_refused(credit_req_t *rq, const credit_staff_t *st,
                           const credit_lookup_budget_t *b)
{
    apr_table_setn(rq->headers, "Retry-After", apr_psprintf(rq->pool, "%d", b->retry_after));
    credit_req_log(rq, 4, "CR0931",
                   "staff login %s refused: %d answers about registered officials' ID-card "
                   "numbers in %d s, the most allowed (CreditOfficialLookupLimit); nothing was "
                   "looked up",
                   st->username ? st->username : "?", b->used, b->window);
}

/* The 429 of a request whose inline officials the budget refused before
 * any look-up: the same answer whatever the numbers. */
static credit_status_t lookup_limit(credit_req_t *rq, const credit_staff_t *st,
                                    const credit_lookup_budget_t *b)
{
    lookup_refused(rq, st, b);
    return error(rq, 429, "lookup_limit", NULL,
                 apr_psprintf(rq->pool,
                              "this login was told of %d registered officials' ID-card numbers "
                              "in the last %d seconds, the most allowed: no number was looked "
                              "up and nothing was stored; give registered officials as "
                              "subject_id, or send it again after Retry-After seconds",
                              b->used, b->window));
}

/* Where the staff API serves a record. */
static const char *api_base(credit_req_t *rq)
{
    return apr_pstrcat(rq->pool, rq->origin ? rq->origin : "", rq->base, "/api/v1", NULL);
}

/* {"record": {...as the public API shows it, plus department_id and public}}. */
static credit_status_t record_reply(credit_req_t *rq, const credit_staff_t *st, const char *no,
                                    int status, apr_array_header_t *changed)
{
    credit_record_t *r;
    unsigned long long dept;
    json_object *o, *j;
    credit_status_t rv = rq->store->admin->record_get(rq->store, st, no, &r, &dept);
    int i;
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "nothing was changed");
    o = credit_json_new(rq->pool);
    j = credit_json_record(rq->pool, api_base(rq), r, 1);
    json_object_object_add(j, "department_id", json_object_new_int64((int64_t)dept));
    json_object_object_add(j, "public",
                           json_object_new_boolean(r->visibility == CREDIT_VIS_PUBLIC));
    json_object_object_add(o, "record", j);
    if (changed) {
        json_object *a = json_object_new_array();
        for (i = 0; i < changed->nelts; i++)
            json_object_array_add(a,
                                  json_object_new_string(APR_ARRAY_IDX(changed, i, const char *)));
        json_object_object_add(o, "changed", a);
    }
    if (status == 201)
        apr_table_setn(rq->headers, "Location",
                       apr_pstrcat(rq->pool, api_base(rq), "/records/", no, NULL));
    return reply(rq, status, o);
}

credit_status_t credit_admin_post_record(credit_req_t *rq, const credit_staff_t *st,
                                         const char *key, const credit_admin_body_t *in)
{
    credit_record_input_t rec;
    credit_field_error_t err = {0};
    credit_lookup_budget_t budget;
    const char *no = NULL;
    credit_status_t rv;
    (void)key;
    if (!credit_admin_record_parse(rq->pool, in->json, CREDIT_REC_CREATE, rq->today, &rec, &err))
        return field_error(rq, 400, &err);
    credit_admin_lookup_budget_init(rq->store, &budget);
    rv = rq->store->admin->record_create(rq->store, st, rq->keys, &budget, &rec, &no, &err);
    if (rv == CREDIT_ELIMIT)
        return lookup_limit(rq, st, &budget);
    if (rv == CREDIT_EINVAL && err.code)
        return field_error(rq, 400, &err);
    if (rv == CREDIT_ECONFLICT && err.code) {
        if (err.subject_id)
            log_lookup_found(rq, st, &budget, &err, 0);
        return field_error(rq, 409, &err);
    }
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "nothing was stored");
    return record_reply(rq, st, no, 201, NULL);
}

credit_status_t credit_admin_get_record(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    (void)in;
    if (!credit_record_no_valid(key))
        return error(rq, 404, "not_found", NULL, "no such record");
    return record_reply(rq, st, key, 200, NULL);
}

credit_status_t credit_admin_put_record(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    credit_record_input_t rec;
    credit_field_error_t err = {0};
    apr_array_header_t *changed;
    credit_status_t rv;
    if (!credit_record_no_valid(key))
        return error(rq, 404, "not_found", NULL, "no such record");
    if (!credit_admin_record_parse(rq->pool, in->json, CREDIT_REC_UPDATE, rq->today, &rec, &err))
        return field_error(rq, 400, &err);
    rv = rq->store->admin->record_update(rq->store, st, key, &rec, &changed, &err);
    if (rv == CREDIT_EINVAL && err.code)
        return field_error(rq, 400, &err);
    if (rv == CREDIT_ECONFLICT && err.code)
        return field_error(rq, 409, &err);
    if (rv != CREDIT_OK)
        return store_error(rq, rv, "nothing was changed");
    return record_reply(rq, st, key, 200, changed);
}

credit_status_t credit_admin_import_records(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in)
{
    const char *mode_s = rq->args ? apr_table_get(rq->args, "mode") : NULL;
    credit_import_mode_t mode = CREDIT_IMPORT_EACH;
    apr_array_header_t *lines;
    json_object *report, *results;
    credit_lookup_budget_t budget;
    credit_status_t rv;
    int i, stored = 0, blank = 0, failed = 0, records = 0, unchecked = 0;
    (void)key;

    if (mode_s && !strcmp(mode_s, "all"))
        mode = CREDIT_IMPORT_ALL;
    else if (mode_s && strcmp(mode_s, "each") != 0)
        return error(rq, 400, "bad_field", "mode",
                     "mode: each (every good line stored, the default) or all (all or nothing)");
    if (!credit_admin_import_split(rq->pool, in->lines, in->lines_len, &lines))
        return error(rq, 413, "too_many_lines", NULL,
                     apr_psprintf(rq->pool, "an import holds at most %d lines; split the file",
                                  CREDIT_IMPORT_LINES_MAX));
    for (i = 0; i < lines->nelts; i++)
        if (!APR_ARRAY_IDX(lines, i, credit_import_line_t).blank)
            records++;
    if (records == 0)
        return error(rq, 400, "bad_body", NULL,
                     "the body holds no record (one JSON object a line)");
    credit_admin_lookup_budget_init(rq->store, &budget);
    rv = rq->store->admin->record_import(rq->store, st, rq->keys, &budget, rq->today, lines, mode,
                                         &stored);
    if (rv == CREDIT_ELIMIT)
        return lookup_limit(rq, st, &budget);
    if (rv != CREDIT_OK)
        return store_error(rq, rv,
                           mode == CREDIT_IMPORT_ALL
                               ? "nothing was stored"
                               : apr_psprintf(rq->pool,
                                              "%d lines were stored, the rest was not (a "
                                              "repeated line is reported as a duplicate)",
                                              stored));
    report = credit_json_new(rq->pool);
    results = json_object_new_array();
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        json_object *it;
        if (ln->blank) {
            blank++;
            continue;
        }
        it = json_object_new_object();
        json_object_object_add(it, "line", json_object_new_int(ln->line));
        if (!ln->ok) {
            failed++;
            if (ln->err.subject_id)
                log_lookup_found(rq, st, &budget, &ln->err, ln->line);
            credit_json_str(it, "status", "error");
            json_object_object_add(it, "error", field_error_object(&ln->err));
        } else if (ln->record_no) {
            credit_json_str(it, "status", "created");
            credit_json_str(it, "no", ln->record_no);
        } else {
            credit_json_str(it, "status", "valid"); /* mode=all with bad lines elsewhere */
            if (ln->unchecked) {
                json_object *nc = error_object(
                    "not_checked", "subject.id_number",
                    "subject.id_number: not looked up among the registered officials (that is "
                    "done only when every line of the import is otherwise valid, within the "
                    "login's budget of such answers)");
                json_object_object_add(it, "not_checked", nc);
                unchecked++;
            }
        }
        json_object_array_add(results, it);
    }
    if (budget.refused)
        lookup_refused(rq, st, &budget); /* mode=each: lines refused (lookup_limit) */
    credit_json_str(report, "mode", mode == CREDIT_IMPORT_ALL ? "all" : "each");
    json_object_object_add(report, "lines", json_object_new_int(lines->nelts));
    json_object_object_add(report, "blank", json_object_new_int(blank));
    json_object_object_add(report, "records", json_object_new_int(records));
    json_object_object_add(report, "created", json_object_new_int(stored));
    json_object_object_add(report, "failed", json_object_new_int(failed));
    json_object_object_add(report, "results", results);
    if (mode == CREDIT_IMPORT_ALL && failed) {
        json_object *o = credit_json_new(rq->pool);
        json_object *e = error_object(
            "import_rejected", NULL,
            apr_psprintf(rq->pool, "%d of %d records have errors; nothing was stored%s", failed,
                         records,
                         unchecked ? apr_psprintf(rq->pool,
                                                  "; the ID-card numbers of %d inline officials "
                                                  "were not looked up among the registered "
                                                  "officials (not_checked)",
                                                  unchecked)
                                   : ""));
        json_object_object_add(e, "report", json_object_get(report));
        json_object_object_add(o, "error", e);
        return reply(rq, 422, o);
    }
    return reply(rq, 200, report);
}
