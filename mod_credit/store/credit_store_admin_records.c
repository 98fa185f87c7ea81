/* credit_store_admin_records.c: staff record writes with their timeline
 * entry and audit row in the same transaction (see
 * credit_store_admin_records.h). Prepared statements only.
 *
 * Every check (department, subject, duplicate) runs before the first write
 * of a record, so a refused record rolls back nothing but reads. One thing
 * is not transactional: the Mroonga search table, filled by the records'
 * insert trigger (sql/003). When a transaction that inserted records is
 * rolled back (an all-or-nothing import with a line refused at its write,
 * a database error half-way), their search rows are deleted after the
 * ROLLBACK. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "credit_store_admin_records.h"
#include "credit_json.h"
#include "credit_store_maria.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)

credit_status_t credit_admin_field_error(credit_store_t *s, credit_field_error_t *err,
                                         credit_status_t rv, const char *code, const char *field,
                                         const char *what)
{
    err->code = code;
    err->field = field;
    err->message = field ? apr_pstrcat(s->pool, field, ": ", what, NULL) : what;
    return rv;
}

#define bad       credit_admin_field_error
#define in_scope  credit_admin_in_scope
#define json_text credit_admin_json_text
#define audit     credit_admin_audit_write

/* Rolls back and deletes the search rows of the records the transaction
 * had inserted (Mroonga keeps them through a ROLLBACK). */
static void rollback(credit_store_t *s, apr_array_header_t *inserted)
{
    int i;
    A("ROLLBACK", NULL, 0, NULL);
    for (i = 0; inserted && i < inserted->nelts; i++) {
        credit_param_t p[1] = {CREDIT_PINT(APR_ARRAY_IDX(inserted, i, long long))};
        if (A("DELETE FROM record_search WHERE record_id = ?", p, 1, NULL) != CREDIT_OK)
            credit_maria_note(s, "CR0911",
                              "a rolled-back record's search row stayed (make reindex removes it)");
    }
    if (inserted)
        apr_array_clear(inserted);
}

/* ---- subjects ------------------------------------------------------------ */

typedef struct {
    unsigned long long id; /* 0: a new one, to insert */
    const char *kind, *district, *name;
    const char *hash_hex; /* a new official: the keyed hash of the ID number */
} subject_t;

/* Who may give an inline official: city-level staff only. A department's
 * staff name an existing official by subject_id. Checked before anything
 * that reads the ID-card number, so the answer is the same whatever the
 * number is. */
static credit_status_t official_allowed(credit_store_t *s, const credit_staff_t *st,
                                        const credit_record_input_t *in, credit_field_error_t *err)
{
    if (in->subject_id || strcmp(in->subject.kind, "official") != 0 || !st->department_id)
        return CREDIT_OK;
    return bad(s, err, CREDIT_EINVAL, "not_allowed", "subject",
               "a department's staff give an existing official as subject_id; new officials "
               "are registered by city-level staff");
}

/* Whether an inline official is to be looked up among the registered
 * officials: city-level staff giving one (a department's staff are
 * refused before, whatever the number). */
static int needs_lookup(const credit_staff_t *st, const credit_record_input_t *in)
{
    return !in->subject_id && !strcmp(in->subject.kind, "official") && !st->department_id;
}

/* The registered official whose ID-card number is id_number, under every
 * key of the rotation (the same person under an older key): *found is its
 * id, 0 for none. Plain reads: a locking read of a missing key would hold
 * a gap lock on subjects until the end of the transaction. */
static credit_status_t registered_official(credit_store_t *s, const credit_keys_t *keys,
                                           const char *id_number, unsigned long long *found)
{
    unsigned char h[32];
    credit_rows_t *rows;
    credit_status_t rv;
    int k;
    *found = 0;
    for (k = 0; k < keys->n; k++) {
        credit_param_t p[1];
        credit_token_hash(keys, k, "idcard", id_number, h);
        p[0] = CREDIT_PSTR(credit_hex(s->pool, h, sizeof h));
        if ((rv = A("SELECT id FROM subjects WHERE id_hash = UNHEX(?)", p, 1, &rows)) != CREDIT_OK)
            return rv;
        if (rows->rows->nelts > 0) {
            *found = strtoull(credit_rows_get(rows, 0, "id"), NULL, 10);
            return CREDIT_OK;
        }
    }
    return CREDIT_OK;
}

/* The official_exists error of a registered official: it names the
 * official by subject id, never the number. */
static credit_status_t official_exists(credit_store_t *s, credit_field_error_t *err,
                                       unsigned long long id)
{
    bad(s, err, CREDIT_ECONFLICT, "official_exists", "subject.id_number",
        apr_psprintf(s->pool,
                     "an official with this ID-card number is already registered as subject "
                     "%" APR_UINT64_T_FMT ": give subject_id %" APR_UINT64_T_FMT
                     " (an inline subject registers a new official)",
                     (apr_uint64_t)id, (apr_uint64_t)id));
    err->subject_id = id;
    return CREDIT_ECONFLICT;
}

/* The subject of a record: by id; an existing government body with the
 * inline subject's credit code (its name must agree: credit codes are
 * public); or a new one (sj->id = 0). An inline official is always a new
 * one; with lookup its number is looked up among the registered officials
 * (the caller took the login's budget first) and a registered one is
 * refused as official_exists naming it by subject id; without, it is not
 * looked up at all (an import's first checks). Found by plain reads (a
 * locking read of a missing key would hold a gap lock on subjects until
 * the end of the transaction); with lock, the existing subject's row is
 * then locked by id: records of one subject are created one at a time, so
 * the duplicate check holds. Two requests making the same new subject at
 * once meet on its unique key (a 409, send again). */
static credit_status_t find_subject(credit_store_t *s, const credit_keys_t *keys,
                                    const credit_record_input_t *in, int lock, int lookup,
                                    subject_t *sj, credit_field_error_t *err)
{
    const credit_subject_input_t *x = &in->subject;
    credit_rows_t *rows = NULL;
    credit_status_t rv;

    memset(sj, 0, sizeof *sj);
    if (in->subject_id) {
        credit_param_t p[1] = {CREDIT_PINT((long long)in->subject_id)};
        if ((rv = A("SELECT id, kind, district, name FROM subjects WHERE id = ?", p, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            return bad(s, err, CREDIT_EINVAL, "unknown_subject", "subject_id", "no such subject");
    } else if (!strcmp(x->kind, "gov")) {
        credit_param_t p[1] = {CREDIT_PSTR(x->credit_code)};
        if ((rv = A("SELECT id, kind, district, name FROM subjects WHERE credit_code = ?", p, 1,
                    &rows)) != CREDIT_OK)
            return rv;
    } else {
        credit_param_t p[1] = {CREDIT_PINT((long long)x->employer_id)};
        unsigned char h[32];
        unsigned long long found;
        if (!keys || keys->n < 1) {
            credit_maria_note(s, "CR0910",
                              "an official's ID-card number cannot be stored without a key: set "
                              "CreditSecretFile");
            return CREDIT_EINTERNAL;
        }
        if ((rv = A("SELECT id FROM subjects WHERE id = ? AND kind = 'gov'", p, 1, &rows)) !=
            CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            return bad(s, err, CREDIT_EINVAL, "unknown_subject", "subject.employer_id",
                       "no such government subject");
        credit_token_hash(keys, 0, "idcard", x->id_number, h);
        sj->hash_hex = credit_hex(s->pool, h, sizeof h);
        if (lookup) {
            if ((rv = registered_official(s, keys, x->id_number, &found)) != CREDIT_OK)
                return rv;
            if (found)
                return official_exists(s, err, found);
        }
        rows = NULL;
    }
    if (rows && rows->rows->nelts > 0) {
        sj->id = strtoull(credit_rows_get(rows, 0, "id"), NULL, 10);
        sj->kind = credit_rows_get(rows, 0, "kind");
        sj->district = credit_rows_get(rows, 0, "district");
        sj->name = credit_rows_get(rows, 0, "name");
        if (!in->subject_id && strcmp(sj->name, x->name) != 0)
            return bad(s, err, CREDIT_EINVAL, "subject_mismatch", "subject.name",
                       apr_psprintf(s->pool,
                                    "the credit code belongs to subject %" APR_UINT64_T_FMT
                                    " named \"%s\" (give subject_id to use it)",
                                    (apr_uint64_t)sj->id, sj->name));
        if (lock) {
            credit_param_t l[1] = {CREDIT_PSTR(credit_rows_get(rows, 0, "id"))};
            credit_rows_t *locked;
            /* Locked by its primary key only (no gap lock for a missing one). */
            if ((rv = A("SELECT id FROM subjects WHERE id = ? FOR UPDATE", l, 1, &locked)) !=
                CREDIT_OK)
                return rv;
        }
        return CREDIT_OK;
    }
    sj->kind = x->kind;
    sj->district = x->district;
    sj->name = x->name;
    return CREDIT_OK;
}

static credit_status_t insert_subject(credit_store_t *s, const credit_staff_t *st,
                                      const credit_subject_input_t *x, subject_t *sj,
                                      credit_field_error_t *err)
{
    int official = !strcmp(x->kind, "official");
    const char *masked = official ? credit_mask_id(s->pool, x->id_number) : NULL;
    const char *employer =
        official ? apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)x->employer_id) : NULL;
    credit_param_t p[9] = {CREDIT_PSTR(x->kind),
                           CREDIT_PSTR(x->name),
                           CREDIT_PSTR(x->credit_code),
                           CREDIT_PSTR(x->district),
                           CREDIT_PSTR(x->level),
                           CREDIT_PSTR(employer),
                           CREDIT_PSTR(official ? x->position : NULL),
                           CREDIT_PSTR(official ? sj->hash_hex : NULL),
                           CREDIT_PSTR(masked)};
    credit_rows_t *rows;
    credit_status_t rv;
    json_object *after;

    rv = A("INSERT INTO subjects (kind, name, credit_code, district, level, employer_id, position,"
           " id_hash, id_masked) VALUES (?, ?, ?, ?, ?, ?, ?, UNHEX(?), ?)",
           p, 9, &rows);
    if (rv == CREDIT_ECONFLICT)
        return bad(s, err, CREDIT_ECONFLICT, "conflict",
                   official ? "subject.id_number" : "subject.credit_code",
                   "the same subject was created by another request at the same moment; send "
                   "again");
    if (rv != CREDIT_OK)
        return rv;
    sj->id = rows->insert_id;
    /* The audit row never holds the ID-card number: only its masked form. */
    after = json_object_new_object();
    credit_json_str(after, "kind", x->kind);
    credit_json_str(after, "name", x->name);
    credit_json_str(after, "credit_code", x->credit_code);
    credit_json_str(after, "district", x->district);
    credit_json_str(after, "level", x->level);
    json_object_object_add(after, "employer_id",
                           official ? json_object_new_int64((int64_t)x->employer_id) : NULL);
    credit_json_str(after, "position", official ? x->position : NULL);
    credit_json_str(after, "id_masked", masked);
    return audit(s, st, "create", "subject", sj->id, NULL, json_text(s, after));
}

/* ---- record numbers ------------------------------------------------------ */

/* Locks the counter row of `year` (made on first use). Taken first, before
 * any other read or lock of a record's creation: creations of one year
 * queue here, so they never wait for each other in another order (no
 * deadlock), and each one's first read sees the one before committed. */
static credit_status_t lock_year(credit_store_t *s, long long year)
{
    credit_param_t y[1] = {CREDIT_PINT(year)};
    return A("INSERT INTO record_numbers (year, last_no) VALUES (?, 0)"
             " ON DUPLICATE KEY UPDATE last_no = last_no",
             y, 1, NULL);
}

/* The last number given in `year` (locked by lock_year): the counter, or
 * a higher number of that year in records and record_aliases (rows loaded
 * by other means, the demo's, renumbered records' old numbers), so a
 * number is never given twice. */
static credit_status_t last_number(credit_store_t *s, long long year, long long *last)
{
    char ys[16];
    const char *lo, *hi, *m;
    credit_param_t y[1] = {CREDIT_PINT(year)};
    credit_param_t r[4];
    credit_rows_t *rows;
    credit_status_t rv;

    snprintf(ys, sizeof ys, "%04lld", year);
    lo = apr_pstrcat(s->pool, "TJZW-", ys, "-000000", NULL);
    hi = apr_pstrcat(s->pool, "TJZW-", ys, "-999999", NULL);
    r[0] = r[2] = CREDIT_PSTR(lo);
    r[1] = r[3] = CREDIT_PSTR(hi);
    if ((rv = A("SELECT last_no FROM record_numbers WHERE year = ? FOR UPDATE", y, 1, &rows)) !=
        CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    *last = atoll(credit_rows_get(rows, 0, "last_no"));
    if ((rv = A("SELECT (SELECT MAX(record_no) FROM records WHERE record_no BETWEEN ? AND ?) AS r,"
                " (SELECT MAX(old_no) FROM record_aliases WHERE old_no BETWEEN ? AND ?) AS a",
                r, 4, &rows)) != CREDIT_OK)
        return rv;
    if ((m = credit_rows_get(rows, 0, "r")) && credit_record_no_valid(m) && atoll(m + 10) > *last)
        *last = atoll(m + 10);
    if ((m = credit_rows_get(rows, 0, "a")) && credit_record_no_valid(m) && atoll(m + 10) > *last)
        *last = atoll(m + 10);
    return CREDIT_OK;
}

/* Records n as the last number given in year. */
static credit_status_t set_last_number(credit_store_t *s, long long year, long long n)
{
    credit_param_t u[2] = {CREDIT_PINT(n), CREDIT_PINT(year)};
    return A("UPDATE record_numbers SET last_no = ? WHERE year = ?", u, 2, NULL);
}

/* Number n of year, or the numbers_exhausted error of that year. */
static credit_status_t format_number(credit_store_t *s, long long year, long long n,
                                     const char **out, credit_field_error_t *err)
{
    if (n > 999999)
        return bad(s, err, CREDIT_ECONFLICT, "numbers_exhausted", "disclosed_on",
                   apr_psprintf(s->pool, "every record number of %04" APR_INT64_T_FMT " is taken",
                                (apr_int64_t)year));
    *out = apr_psprintf(s->pool, "TJZW-%04" APR_INT64_T_FMT "-%06" APR_INT64_T_FMT,
                        (apr_int64_t)year, (apr_int64_t)n);
    return CREDIT_OK;
}

/* The next number of `year` (locked by lock_year), taken. */
static credit_status_t next_number(credit_store_t *s, long long year, const char **out,
                                   credit_field_error_t *err)
{
    long long last;
    credit_status_t rv;
    if ((rv = last_number(s, year, &last)) != CREDIT_OK ||
        (rv = format_number(s, year, last + 1, out, err)) != CREDIT_OK)
        return rv;
    return set_last_number(s, year, last + 1);
}

/* The disclosure year of a validated record (its number's year). */
static long long year_of(const credit_record_input_t *in)
{
    return atoll(in->disclosed_on); /* YYYY-MM-DD: the digits before the first '-' */
}

/* ---- create -------------------------------------------------------------- */

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
static credit_status_t check_record(credit_store_t *s, const credit_staff_t *st,
                                    const credit_keys_t *keys, const credit_record_input_t *in,
                                    int lock, int lookup, unsigned long long *dept, subject_t *sj,
                                    credit_field_error_t *err)
{
    credit_rows_t *rows;
    credit_status_t rv;

    if ((rv = official_allowed(s, st, in, err)) != CREDIT_OK)
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
    if ((rv = find_subject(s, keys, in, lock, lookup, sj, err)) != CREDIT_OK)
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
 * counter the caller locked), its `listed` event and the audit rows. The
 * id of the inserted record is pushed on `inserted`. */
static credit_status_t write_record(credit_store_t *s, const credit_staff_t *st,
                                    const credit_record_input_t *in, unsigned long long dept,
                                    subject_t *sj, const char *no, apr_array_header_t *inserted,
                                    const char **record_no, credit_field_error_t *err)
{
    credit_rows_t *rows;
    credit_status_t rv;
    const char *rid_s, *dept_s, *sid_s, *rf, *wo;
    unsigned long long rid;

    *record_no = NULL;
    if (!sj->id && (rv = insert_subject(s, st, &in->subject, sj, err)) != CREDIT_OK)
        return rv;
    if (!no && (rv = next_number(s, year_of(in), &no, err)) != CREDIT_OK)
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
    *(long long *)apr_array_push(inserted) = (long long)rid;
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
static credit_status_t create_one(credit_store_t *s, const credit_staff_t *st,
                                  const credit_keys_t *keys, credit_lookup_budget_t *b,
                                  const credit_record_input_t *in, int line,
                                  apr_array_header_t *inserted, const char **record_no,
                                  credit_field_error_t *err, int *keep)
{
    unsigned long long dept = 0;
    subject_t sj;
    credit_status_t rv;
    int lookup = needs_lookup(st, in);
    *record_no = NULL;
    *keep = 0;
    if (lookup && (rv = credit_admin_lookup_lock(s, st)) != CREDIT_OK)
        return rv;
    if ((rv = lock_year(s, year_of(in))) != CREDIT_OK)
        return rv;
    if (lookup && (rv = credit_admin_lookup_room(s, st, b)) != CREDIT_OK)
        return rv == CREDIT_ELIMIT ? lookup_refused(s, err, b) : rv;
    rv = check_record(s, st, keys, in, 1, lookup, &dept, &sj, err);
    if (rv == CREDIT_ECONFLICT && err->subject_id) {
        credit_status_t a = credit_admin_lookup_found(s, st, b, err->subject_id, line);
        if (a != CREDIT_OK)
            return a;
        *keep = 1;
        return rv;
    }
    if (rv != CREDIT_OK)
        return rv;
    return write_record(s, st, in, dept, &sj, NULL, inserted, record_no, err);
}

/* Ends a creation's transaction: COMMIT when it succeeded or holds only
 * the audit row of a found look-up (keep), ROLLBACK otherwise. Returns
 * rv, or the COMMIT's error. */
static credit_status_t finish(credit_store_t *s, credit_status_t rv, int keep,
                              apr_array_header_t *inserted)
{
    if (rv == CREDIT_OK || keep) {
        credit_status_t c = A("COMMIT", NULL, 0, NULL);
        if (c == CREDIT_OK)
            return rv;
        rv = c;
    }
    rollback(s, inserted);
    return rv;
}

credit_status_t credit_admin_record_create(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           const credit_record_input_t *in, const char **record_no,
                                           credit_field_error_t *err)
{
    apr_array_header_t *inserted = apr_array_make(s->pool, 1, sizeof(long long));
    credit_status_t rv;
    int keep = 0;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    rv = create_one(s, st, keys, b, in, 0, inserted, record_no, err, &keep);
    return finish(s, rv, keep, inserted);
}

/* ---- import -------------------------------------------------------------- */

/* Who the line is about and which decision, for finding a line repeating
 * an earlier one of the same file. */
static const char *line_key(apr_pool_t *p, const credit_record_input_t *in)
{
    const char *who;
    if (in->subject_id)
        who = apr_psprintf(p, "id:%" APR_UINT64_T_FMT, (apr_uint64_t)in->subject_id);
    else if (!strcmp(in->subject.kind, "gov"))
        who = apr_pstrcat(p, "code:", in->subject.credit_code, NULL);
    else
        who = apr_pstrcat(p, "idcard:", in->subject.id_number, NULL);
    return apr_pstrcat(p, who, "\n", in->decision_no, NULL);
}

/* An import works on one line at a time in a pool of its own: s->pool
 * points to it while the line is read, checked and written (every row the
 * database returns lands there) and it is cleared before the next line.
 * What a line leaves (its number or its error, the key of a stored line)
 * is copied to the request's pool. */
typedef struct {
    credit_store_t *s;
    const credit_staff_t *st;
    const credit_keys_t *keys;
    credit_lookup_budget_t *budget;
    credit_date_t today;
    int lookups;                  /* mode=all: valid lines whose number is to be looked up */
    apr_pool_t *req;              /* the request's pool (s->pool outside a line) */
    apr_pool_t *line;             /* the line's pool */
    apr_hash_t *seen;             /* line_key -> "N" of the line that has it */
    apr_array_header_t *years;    /* mode=all: the disclosure years (long long), each once */
    apr_array_header_t *inserted; /* ids of records inserted by the open transaction */
} import_t;

static void line_begin(import_t *im)
{
    apr_pool_clear(im->line);
    im->s->pool = im->line;
}

static void line_end(import_t *im)
{
    im->s->pool = im->req;
}

static void line_failed(import_t *im, credit_import_line_t *ln, const credit_field_error_t *e)
{
    ln->ok = 0;
    ln->record_no = NULL;
    credit_field_error_copy(im->req, &ln->err, e);
}

/* Reads line ln into *in and finds a repeated line; 0 when the line failed
 * (its error is kept). */
static int line_read(import_t *im, credit_import_line_t *ln, credit_record_input_t *in,
                     const char **key)
{
    credit_field_error_t e;
    const char *first;
    if (!credit_admin_import_line(im->line, ln, im->today, in, &e)) {
        line_failed(im, ln, &e);
        return 0;
    }
    *key = line_key(im->line, in);
    if ((first = apr_hash_get(im->seen, *key, APR_HASH_KEY_STRING)) != NULL) {
        bad(im->s, &e, CREDIT_ECONFLICT, "duplicate", "decision_no",
            apr_pstrcat(im->line, "the same subject and decision_no as line ", first,
                        " (nothing stored for this line)", NULL));
        line_failed(im, ln, &e);
        return 0;
    }
    return 1;
}

static void line_seen(import_t *im, const credit_import_line_t *ln, const char *key)
{
    apr_hash_set(im->seen, apr_pstrdup(im->req, key), APR_HASH_KEY_STRING,
                 apr_psprintf(im->req, "%d", ln->line));
}

/* mode=each: every line in its own transaction. */
static credit_status_t import_each(import_t *im, apr_array_header_t *lines, int *stored)
{
    credit_store_t *s = im->s;
    int i;
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        const char *key, *no;
        credit_status_t rv;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!line_read(im, ln, &in, &key)) {
            line_end(im);
            continue;
        }
        if ((rv = A("START TRANSACTION", NULL, 0, NULL)) == CREDIT_OK) {
            int keep = 0;
            rv = create_one(s, im->st, im->keys, im->budget, &in, ln->line, im->inserted, &no, &e,
                            &keep);
            rv = finish(s, rv, keep, im->inserted);
        }
        if (rv == CREDIT_EINVAL || ((rv == CREDIT_ECONFLICT || rv == CREDIT_ELIMIT) && e.code)) {
            line_failed(im, ln, &e);
            line_end(im);
            continue;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            return rv;
        }
        ln->ok = 1;
        ln->record_no = apr_pstrdup(im->req, no);
        line_seen(im, ln, key);
        apr_array_clear(im->inserted);
        (*stored)++;
        line_end(im);
    }
    return CREDIT_OK;
}

static int cmp_year(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* mode=all, first step: every line read and checked by plain reads,
 * nothing locked, nothing written, no ID-card number looked up (the lines
 * of inline officials stay unchecked); *failed counts the lines that
 * failed.
 * Returns CREDIT_OK, or a database error. */
static credit_status_t import_check(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_status_t rv;
    int i, j;
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long dept;
        subject_t sj;
        const char *key;
        long long year;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!line_read(im, ln, &in, &key)) {
            (*failed)++;
            line_end(im);
            continue;
        }
        /* Nothing is looked up among the registered officials here: a
         * refused import must not tell whose number is registered. */
        rv = check_record(im->s, im->st, im->keys, &in, 0, 0, &dept, &sj, &e);
        if (rv == CREDIT_EINVAL || (rv == CREDIT_ECONFLICT && e.code)) {
            line_failed(im, ln, &e);
            (*failed)++;
            line_end(im);
            continue;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            return rv;
        }
        ln->ok = 1;
        if ((ln->unchecked = needs_lookup(im->st, &in)) != 0)
            im->lookups++;
        line_seen(im, ln, key);
        year = year_of(&in);
        for (j = 0; j < im->years->nelts && APR_ARRAY_IDX(im->years, j, long long) != year; j++)
            ;
        if (j == im->years->nelts)
            APR_ARRAY_PUSH(im->years, long long) = year;
        line_end(im);
    }
    return CREDIT_OK;
}

/* mode=all, inside import_write's transaction after its locks: the
 * numbers of the inline officials looked up in line order while the
 * budget has room; a registered one fails its line (official_exists, its
 * audit row written); once the budget is used the lines after stay
 * unchecked. *failed counts the registered ones. */
static credit_status_t import_lookups(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_store_t *s = im->s;
    credit_lookup_budget_t *b = im->budget;
    int i;
    for (i = 0; i < lines->nelts && b->used < b->limit; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long found = 0;
        credit_status_t rv;
        if (ln->blank || !ln->ok || !ln->unchecked)
            continue;
        line_begin(im);
        if (!credit_admin_import_line(im->line, ln, im->today, &in, &e)) {
            line_end(im); /* it was valid a moment ago: a bug */
            return CREDIT_EINTERNAL;
        }
        rv = registered_official(s, im->keys, in.subject.id_number, &found);
        if (rv == CREDIT_OK && found &&
            (rv = credit_admin_lookup_found(s, im->st, b, found, ln->line)) == CREDIT_OK) {
            official_exists(s, &e, found);
            line_failed(im, ln, &e);
            (*failed)++;
        }
        if (rv == CREDIT_OK)
            ln->unchecked = 0;
        line_end(im);
        if (rv != CREDIT_OK)
            return rv;
    }
    return CREDIT_OK;
}

/* mode=all, second step, when every line passed the first: one
 * transaction takes the login's look-up lock (when a line gives an inline
 * official), locks the years' counters (in year order, as every creation
 * takes them first: no deadlock), looks the inline officials' numbers up
 * within the budget (import_lookups; a registered one fails the import,
 * and only the audit rows of the look-ups are committed), checks each
 * line again under its locks (a concurrent write may have come first),
 * writes it with the next number of its year and sets the counters at the
 * end. The counters are held from the start of this step to its COMMIT
 * only: a record created meanwhile waits at most that long. A line
 * failing here fails the import (*failed). Returns CREDIT_ELIMIT when the
 * budget was used up before the first look-up (nothing looked up). */
static credit_status_t import_write(import_t *im, apr_array_header_t *lines, int *failed)
{
    credit_store_t *s = im->s;
    int nyears = im->years->nelts, i, j;
    long long *last = apr_pcalloc(im->req, sizeof(long long) * (apr_size_t)(nyears ? nyears : 1));
    long long *years = (long long *)im->years->elts;
    credit_status_t rv;

    qsort(years, (size_t)nyears, sizeof(long long), cmp_year);
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if (im->lookups && (rv = credit_admin_lookup_lock(s, im->st)) != CREDIT_OK)
        goto fail;
    for (j = 0; j < nyears; j++)
        if ((rv = lock_year(s, years[j])) != CREDIT_OK ||
            (rv = last_number(s, years[j], &last[j])) != CREDIT_OK)
            goto fail;
    if (im->lookups) {
        if ((rv = credit_admin_lookup_room(s, im->st, im->budget)) != CREDIT_OK ||
            (rv = import_lookups(im, lines, failed)) != CREDIT_OK)
            goto fail;
        if (*failed) {
            /* Nothing written but the look-ups' audit rows (and the
             * counters' rows, unchanged). */
            if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK)
                goto fail;
            return CREDIT_OK;
        }
    }
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        credit_record_input_t in;
        credit_field_error_t e = {0};
        unsigned long long dept = 0;
        subject_t sj;
        const char *no = NULL, *rno = NULL;
        if (ln->blank)
            continue;
        line_begin(im);
        if (!credit_admin_import_line(im->line, ln, im->today, &in, &e)) {
            line_end(im); /* it was valid a moment ago: a bug */
            rv = CREDIT_EINTERNAL;
            goto fail;
        }
        for (j = 0; j < nyears && years[j] != year_of(&in); j++)
            ;
        if (j == nyears) {
            line_end(im);
            rv = CREDIT_EINTERNAL;
            goto fail;
        }
        /* The numbers were looked up above, in this transaction's
         * snapshot; one registered since meets its unique key at the
         * insert (a conflict, nothing stored). */
        if ((rv = check_record(s, im->st, im->keys, &in, 1, 0, &dept, &sj, &e)) == CREDIT_OK &&
            (rv = format_number(s, years[j], last[j] + 1, &no, &e)) == CREDIT_OK)
            rv = write_record(s, im->st, &in, dept, &sj, no, im->inserted, &rno, &e);
        if (rv == CREDIT_EINVAL || (rv == CREDIT_ECONFLICT && e.code)) {
            line_failed(im, ln, &e);
            line_end(im);
            (*failed)++;
            rollback(s, im->inserted);
            for (i = 0; i < lines->nelts; i++)
                APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no = NULL;
            return CREDIT_OK;
        }
        if (rv != CREDIT_OK) {
            line_end(im);
            goto fail;
        }
        last[j]++;
        ln->record_no = apr_pstrdup(im->req, rno);
        line_end(im);
    }
    for (j = 0; j < nyears; j++)
        if ((rv = set_last_number(s, years[j], last[j])) != CREDIT_OK)
            goto fail;
    if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK)
        goto fail;
    return CREDIT_OK;
fail:
    rollback(s, im->inserted);
    for (i = 0; i < lines->nelts; i++)
        APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no = NULL;
    return rv;
}

credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           credit_date_t today, apr_array_header_t *lines,
                                           credit_import_mode_t mode, int *stored)
{
    import_t im;
    credit_status_t rv = CREDIT_OK;
    int i, failed = 0;

    *stored = 0;
    memset(&im, 0, sizeof im);
    im.s = s;
    im.st = st;
    im.keys = keys;
    im.budget = b;
    im.today = today;
    im.req = s->pool;
    if (apr_pool_create(&im.line, im.req) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    im.seen = apr_hash_make(im.req);
    im.years = apr_array_make(im.req, 4, sizeof(long long));
    im.inserted = apr_array_make(im.req, 16, sizeof(long long));
    if (mode == CREDIT_IMPORT_EACH) {
        rv = import_each(&im, lines, stored);
    } else if ((rv = import_check(&im, lines, &failed)) == CREDIT_OK && failed == 0 &&
               (rv = import_write(&im, lines, &failed)) == CREDIT_OK && failed == 0) {
        for (i = 0; i < lines->nelts; i++)
            if (APR_ARRAY_IDX(lines, i, credit_import_line_t).record_no)
                (*stored)++;
    }
    apr_pool_destroy(im.line);
    return rv;
}
