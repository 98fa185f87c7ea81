/* credit_store_admin_records.c: staff record writes with their timeline
 * entry and audit row in the same transaction (see
 * credit_store_admin_records.h): the checks and the write of one record,
 * and credit_admin_record_create. Subjects are found or inserted by
 * credit_store_admin_subjects.c, numbers given by credit_store_admin_numbers.c,
 * imports run by credit_store_admin_import.c. Prepared statements only.
 *
 * Every check (department, subject, duplicate) runs before the first write
 * of a record, so a refused record rolls back nothing but reads. One thing
 * is not transactional: the Mroonga search table, written by the records'
 * triggers. When a transaction is rolled back (an all-or-nothing import
 * with a line refused at its write, a database error half-way), the search
 * rows it wrote are put back after the ROLLBACK (credit_maria_admin,
 * sql/022). */

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "credit_store_admin_records_int.h"
#include "credit_json_value.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

credit_status_t credit_admin_field_error(credit_store_t *s, credit_field_error_t *err,
                                         credit_status_t rv, const char *code, const char *field,
                                         const char *what)
{
    err->code = code;
    err->field = field;
    err->message = field ? apr_pstrcat(s->pool, field, ": ", what, NULL) : what;
    return rv;
}

/* The record's stored fields, for the audit row's "after". */
static const char *record_after(credit_store_t *s, const char *no, unsigned long long subject_id,
                                unsigned long long dept, const credit_record_input_t *in,
                                const char *repair_from, const char *withdraw_on)
{
    json_object *o = json_object_new_object();
    credit_json_str(o, "record_no", no);
    json_object_object_add(o, "subject_id", json_object_new_int64((int64_t)subject_id));
    json_object_object_add(o, "department_id", json_object_new_int64((int64_t)dept));
    credit_json_str(o, "category", in->category);
    credit_json_str(o, "domain", in->domain);
    credit_json_str(o, "severity", in->severity);
    credit_json_str(o, "status", "published");
    credit_json_str(o, "title", in->title);
    credit_json_str(o, "facts", in->facts);
    credit_json_str(o, "legal_basis", in->legal_basis);
    credit_json_str(o, "decision_no", in->decision_no);
    credit_json_str(o, "authority", in->authority);
    credit_json_str(o, "decided_on", in->decided_on);
    credit_json_str(o, "disclosed_on", in->disclosed_on);
    credit_json_str(o, "repair_from", repair_from);
    credit_json_str(o, "withdraw_on", withdraw_on);
    credit_json_str(o, "amount", in->amount);
    credit_json_str(o, "rectification", in->rectification);
    credit_json_str(o, "rectify_due", in->rectify_due);
    json_object_object_add(o, "rectified", json_object_new_boolean(in->rectified));
    return json_text(s, o);
}

void credit_admin_check_clock(credit_store_t *s, const credit_clock_t *c, const char *repair_from,
                              const char *withdraw_on)
{
    char a[16], b[16];
    const char *want_r = c->repair_from.y ? credit_date_fmt(c->repair_from, a) : NULL;
    const char *want_w = credit_date_fmt(c->withdraw_on, b);
    if ((want_r == NULL) != (repair_from == NULL) || (want_r && strcmp(want_r, repair_from) != 0) ||
        !withdraw_on || strcmp(want_w, withdraw_on) != 0)
        credit_maria_note(s, "CR0912",
                          "the database's disclosure clock differs from credit_clock(): check "
                          "the generated columns of records (sql/001)");
}

/* The checks of one record before anything of it is written: who may give
 * its subject, its department, its subject, no record of the same subject
 * and decision yet. With lock (inside the write's transaction) an existing
 * subject's row is locked and the duplicate read shared; without (an
 * import's validation) they are plain reads. With lookup an inline
 * official's number is looked up among the registered officials (see
 * find_subject). Returns CREDIT_OK with *dept and *sj; CREDIT_EINVAL /
 * CREDIT_ECONFLICT with *err; database errors. */
credit_status_t credit_admin_check_record(credit_store_t *s, const credit_staff_t *st,
                                          const credit_keys_t *keys,
                                          const credit_record_input_t *in, int lock, int lookup,
                                          unsigned long long *dept, credit_admin_subject_row_t *sj,
                                          credit_field_error_t *err)
{
    credit_rows_t *rows;
    credit_status_t rv;

    if ((rv = credit_admin_official_allowed(s, st, in, err)) != CREDIT_OK)
        return rv;
    if (st->department_id) {
        if (in->department_id && in->department_id != st->department_id)
            return bad(s, err, CREDIT_EINVAL, "bad_field", "department_id",
                       "a department's staff create records of their own department only");
        *dept = st->department_id;
    } else {
        credit_param_t p[1];
        if (!in->department_id)
            return bad(s, err, CREDIT_EINVAL, "missing_field", "department_id",
                       "required: city-level staff name the source department");
        p[0] = CREDIT_PINT((long long)in->department_id);
        if ((rv = A("SELECT id FROM departments WHERE id = ?", p, 1, &rows)) != CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            return bad(s, err, CREDIT_EINVAL, "unknown_department", "department_id",
                       "no such department");
        *dept = in->department_id;
    }
    if ((rv = credit_admin_find_subject(s, keys, in, lock, lookup, sj, err)) != CREDIT_OK)
        return rv;
    if (sj->id) {
        credit_param_t p[2] = {CREDIT_PINT((long long)sj->id), CREDIT_PSTR(in->decision_no)};
        rv = lock ? A("SELECT record_no FROM records WHERE subject_id = ? AND decision_no = ?"
                      " ORDER BY id LIMIT 1 LOCK IN SHARE MODE",
                      p, 2, &rows)
                  : A("SELECT record_no FROM records WHERE subject_id = ? AND decision_no = ?"
                      " ORDER BY id LIMIT 1",
                      p, 2, &rows);
        if (rv != CREDIT_OK)
            return rv;
        if (rows->rows->nelts > 0)
            return bad(s, err, CREDIT_ECONFLICT, "duplicate", "decision_no",
                       apr_pstrcat(s->pool, "this subject already has record ",
                                   credit_rows_get(rows, 0, "record_no"),
                                   " of this decision (nothing stored)", NULL));
    }
    return CREDIT_OK;
}

/* Writes one checked record inside the caller's transaction: its new
 * subject, the record under number `no` (NULL: the next of its year, whose
 * counter the caller locked), its `listed` event and the audit rows. */
credit_status_t credit_admin_write_record(credit_store_t *s, const credit_staff_t *st,
                                          const credit_record_input_t *in, unsigned long long dept,
                                          credit_admin_subject_row_t *sj, const char *no,
                                          const char **record_no, credit_field_error_t *err)
{
    credit_rows_t *rows;
    credit_status_t rv;
    const char *rid_s, *dept_s, *sid_s, *rf, *wo;
    unsigned long long rid;

    *record_no = NULL;
    if (!sj->id && (rv = credit_admin_insert_subject(s, st, &in->subject, sj, err)) != CREDIT_OK)
        return rv;
    if (!no && (rv = credit_admin_next_number(s, credit_admin_year_of(in), &no, err)) != CREDIT_OK)
        return rv;
    dept_s = apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)dept);
    sid_s = apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)sj->id);
    {
        credit_param_t p[19] = {CREDIT_PSTR(no),
                                CREDIT_PSTR(sid_s),
                                CREDIT_PSTR(sj->kind),
                                CREDIT_PSTR(sj->district),
                                CREDIT_PSTR(in->category),
                                CREDIT_PSTR(in->domain),
                                CREDIT_PSTR(in->severity),
                                CREDIT_PSTR(in->title),
                                CREDIT_PSTR(in->facts),
                                CREDIT_PSTR(in->legal_basis),
                                CREDIT_PSTR(in->decision_no),
                                CREDIT_PSTR(in->authority),
                                CREDIT_PSTR(in->decided_on),
                                CREDIT_PSTR(dept_s),
                                CREDIT_PSTR(in->amount),
                                CREDIT_PSTR(in->rectification),
                                CREDIT_PSTR(in->rectify_due),
                                CREDIT_PINT(in->rectified),
                                CREDIT_PSTR(in->disclosed_on)};
        rv = A("INSERT INTO records (record_no, subject_id, subject_kind, district, category,"
               " domain, severity, title, facts, legal_basis, decision_no, authority, decided_on,"
               " department_id, amount, rectification, rectify_due, rectified, disclosed_on)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               p, 19, &rows);
    }
    if (rv != CREDIT_OK)
        return rv;
    rid = rows->insert_id;
    rid_s = apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)rid);
    {
        credit_param_t p[3] = {CREDIT_PSTR(rid_s), CREDIT_PSTR(in->disclosed_on),
                               CREDIT_PSTR(in->decision_no)};
        if ((rv = A("INSERT INTO record_events (record_id, event, occurred_on, decision_no)"
                    " VALUES (?, 'listed', ?, ?)",
                    p, 3, NULL)) != CREDIT_OK)
            return rv;
    }
    {
        credit_param_t p[1] = {CREDIT_PSTR(rid_s)};
        if ((rv = A("SELECT repair_from, withdraw_on FROM records WHERE id = ?", p, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts != 1)
            return CREDIT_EINTERNAL;
        rf = credit_rows_get(rows, 0, "repair_from");
        wo = credit_rows_get(rows, 0, "withdraw_on");
        credit_admin_check_clock(s, &in->clock, rf, wo);
    }
    if ((rv = audit(s, st, "create", "record", rid, NULL,
                    record_after(s, no, sj->id, dept, in, rf, wo))) != CREDIT_OK)
        return rv;
    *record_no = no;
    return CREDIT_OK;
}

/* The lookup_limit error of a line the budget refused. */
static credit_status_t lookup_refused(credit_store_t *s, credit_field_error_t *err,
                                      const credit_lookup_budget_t *b)
{
    return bad(s, err, CREDIT_ELIMIT, "lookup_limit", "subject.id_number",
               apr_psprintf(s->pool,
                            "not looked up among the registered officials: this login was "
                            "told of %d registered ID-card numbers in the last %d seconds, the "
                            "most allowed; give the official as subject_id, or send it again "
                            "after Retry-After seconds",
                            b->used, b->window));
}

/* Checks and writes one record inside the caller's transaction, its
 * year's counter locked first; an inline official's number is looked up
 * within the budget, the login's look-up lock taken before the counter.
 * *keep is set when the transaction holds the audit row of a look-up that
 * found a registered official (CREDIT_ECONFLICT official_exists): the
 * caller commits it (nothing else was written). */
credit_status_t credit_admin_create_one(credit_store_t *s, const credit_staff_t *st,
                                        const credit_keys_t *keys, credit_lookup_budget_t *b,
                                        const credit_record_input_t *in, int line,
                                        const char **record_no, credit_field_error_t *err,
                                        int *keep)
{
    unsigned long long dept = 0;
    credit_admin_subject_row_t sj;
    credit_status_t rv;
    int lookup = credit_admin_needs_lookup(st, in);
    *record_no = NULL;
    *keep = 0;
    if (lookup && (rv = credit_admin_lookup_lock(s, st)) != CREDIT_OK)
        return rv;
    if ((rv = credit_admin_lock_year(s, credit_admin_year_of(in))) != CREDIT_OK)
        return rv;
    if (lookup && (rv = credit_admin_lookup_room(s, st, b)) != CREDIT_OK)
        return rv == CREDIT_ELIMIT ? lookup_refused(s, err, b) : rv;
    rv = credit_admin_check_record(s, st, keys, in, 1, lookup, &dept, &sj, err);
    if (rv == CREDIT_ECONFLICT && err->subject_id) {
        credit_status_t a = credit_admin_lookup_found(s, st, b, err->subject_id, line);
        if (a != CREDIT_OK)
            return a;
        *keep = 1;
        return rv;
    }
    if (rv != CREDIT_OK)
        return rv;
    return credit_admin_write_record(s, st, in, dept, &sj, NULL, record_no, err);
}

/* Ends a creation's transaction: COMMIT when it succeeded or holds only
 * the audit row of a found look-up (keep), ROLLBACK otherwise. Returns
 * rv, or the COMMIT's error. */
credit_status_t credit_admin_finish(credit_store_t *s, credit_status_t rv, int keep)
{
    if (rv == CREDIT_OK || keep) {
        credit_status_t c = A("COMMIT", NULL, 0, NULL);
        if (c == CREDIT_OK)
            return rv;
        rv = c;
    }
    return credit_admin_rollback(s, rv);
}

credit_status_t credit_admin_record_create(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           const credit_record_input_t *in, const char **record_no,
                                           credit_field_error_t *err)
{
    credit_status_t rv;
    int keep = 0;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    rv = credit_admin_create_one(s, st, keys, b, in, 0, record_no, err, &keep);
    return credit_admin_finish(s, rv, keep);
}
