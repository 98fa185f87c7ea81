/* credit_admin_records_api.c: the staff API's record routes (create, read,
 * update, JSON Lines import). Validation is credit_admin_records.c's, the
 * transactions credit_store_admin_records.c's; this file maps them to HTTP. */
#include <string.h>
#include <apr_strings.h>

#include "credit_admin_records_api.h"
#include "credit_admin.h"
#include "credit_admin_records.h"
#include "credit_store_admin_records.h"
#include "credit_json.h"
#include "credit_validate.h"

#define reply        credit_admin_reply
#define error        credit_admin_error
#define error_object credit_admin_error_object

static credit_status_t field_error(credit_req_t *rq, int status, const credit_field_error_t *e)
{
    return error(rq, status, e->code, e->field, e->message);
}

static credit_status_t store_error(credit_req_t *rq, credit_status_t rv)
{
    if (rv == CREDIT_ENOTFOUND)
        return error(rq, 404, "not_found", NULL, "no such record");
    if (rv == CREDIT_EUNAVAIL)
        return error(rq, 503, "unavailable", NULL, "database unavailable, nothing was changed");
    return error(rq, 500, "internal_error", NULL, "nothing was changed");
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
    credit_status_t rv = credit_admin_record_get(rq->store, st, no, &r, &dept);
    int i;
    if (rv != CREDIT_OK)
        return store_error(rq, rv);
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
    const char *no = NULL;
    credit_status_t rv;
    (void)key;
    if (!credit_admin_record_parse(rq->pool, in->json, CREDIT_REC_CREATE, rq->today, &rec, &err))
        return field_error(rq, 400, &err);
    rv = credit_admin_record_create(rq->store, st, rq->keys, &rec, &no, &err);
    if (rv == CREDIT_EINVAL)
        return field_error(rq, 400, &err);
    if (rv == CREDIT_ECONFLICT)
        return field_error(rq, 409, &err);
    if (rv != CREDIT_OK)
        return store_error(rq, rv);
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
    rv = credit_admin_record_update(rq->store, st, key, &rec, &changed, &err);
    if (rv == CREDIT_EINVAL)
        return field_error(rq, 400, &err);
    if (rv == CREDIT_ECONFLICT)
        return field_error(rq, 409, &err);
    if (rv != CREDIT_OK)
        return store_error(rq, rv);
    return record_reply(rq, st, key, 200, changed);
}

credit_status_t credit_admin_import_records(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in)
{
    const char *mode_s = rq->args ? apr_table_get(rq->args, "mode") : NULL;
    credit_import_mode_t mode = CREDIT_IMPORT_EACH;
    apr_array_header_t *lines;
    const char **nos;
    json_object *report, *results;
    credit_status_t rv;
    int i, stored = 0, blank = 0, failed = 0, records = 0;
    (void)key;

    if (mode_s && !strcmp(mode_s, "all"))
        mode = CREDIT_IMPORT_ALL;
    else if (mode_s && strcmp(mode_s, "each") != 0)
        return error(rq, 400, "bad_field", "mode",
                     "mode: each (every good line stored, the default) or all (all or nothing)");
    if (!credit_admin_import_parse(rq->pool, in->lines, in->lines_len, rq->today, &lines))
        return error(rq, 413, "too_many_lines", NULL,
                     apr_psprintf(rq->pool, "an import holds at most %d lines; split the file",
                                  CREDIT_IMPORT_LINES_MAX));
    for (i = 0; i < lines->nelts; i++)
        if (!APR_ARRAY_IDX(lines, i, credit_import_line_t).blank)
            records++;
    if (records == 0)
        return error(rq, 400, "bad_body", NULL,
                     "the body holds no record (one JSON object a line)");
    nos = apr_pcalloc(rq->pool, sizeof(const char *) * (apr_size_t)lines->nelts);
    rv = credit_admin_record_import(rq->store, st, rq->keys, lines, mode, nos, &stored);
    if (rv != CREDIT_OK) {
        if (rv == CREDIT_EUNAVAIL)
            return error(rq, 503, "unavailable", NULL,
                         mode == CREDIT_IMPORT_ALL
                             ? "database unavailable, nothing was stored"
                             : apr_psprintf(rq->pool,
                                            "database unavailable after %d stored lines; the "
                                            "rest was not stored",
                                            stored));
        return error(
            rq, 500, "internal_error", NULL,
            mode == CREDIT_IMPORT_ALL
                ? "nothing was stored"
                : apr_psprintf(rq->pool, "%d lines were stored, the rest was not", stored));
    }
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
            credit_json_str(it, "status", "error");
            json_object_object_add(it, "error",
                                   error_object(ln->err.code, ln->err.field, ln->err.message));
        } else if (nos[i]) {
            credit_json_str(it, "status", "created");
            credit_json_str(it, "no", nos[i]);
        } else {
            credit_json_str(it, "status", "valid"); /* mode=all with bad lines elsewhere */
        }
        json_object_array_add(results, it);
    }
    credit_json_str(report, "mode", mode == CREDIT_IMPORT_ALL ? "all" : "each");
    json_object_object_add(report, "lines", json_object_new_int(lines->nelts));
    json_object_object_add(report, "blank", json_object_new_int(blank));
    json_object_object_add(report, "records", json_object_new_int(records));
    json_object_object_add(report, "created", json_object_new_int(stored));
    json_object_object_add(report, "failed", json_object_new_int(failed));
    json_object_object_add(report, "results", results);
    if (mode == CREDIT_IMPORT_ALL && failed) {
        json_object *o = credit_json_new(rq->pool);
        json_object *e =
            error_object("import_rejected", NULL,
                         apr_psprintf(rq->pool, "%d of %d records have errors; nothing was stored",
                                      failed, records));
        json_object_object_add(e, "report", json_object_get(report));
        json_object_object_add(o, "error", e);
        return reply(rq, 422, o);
    }
    return reply(rq, 200, report);
}
