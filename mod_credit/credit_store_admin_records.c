/* credit_store_admin_records.c: staff record writes with their timeline
 * entry and audit row in the same transaction (see
 * credit_store_admin_records.h). Prepared statements only.
 *
 * Every check (department, subject, duplicate) runs before the first write
 * of a record, so a refused record rolls back nothing but reads. One thing
 * is not transactional: the Mroonga search table, filled by the records'
 * insert trigger (sql/003). When a transaction that inserted records is
 * rolled back (an all-or-nothing import with a bad line, a database error
 * half-way), their search rows are deleted after the ROLLBACK. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "credit_store_admin_records.h"
#include "credit_store_maria.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)

static credit_status_t bad(credit_store_t *s, credit_field_error_t *err, credit_status_t rv,
                           const char *code, const char *field, const char *what)
{
    err->code = code;
    err->field = field;
    err->message = field ? apr_pstrcat(s->pool, field, ": ", what, NULL) : what;
    return rv;
}

#define in_scope  credit_admin_in_scope
#define json_text credit_admin_json_text
#define audit     credit_admin_audit_write

static void jstr(json_object *o, const char *k, const char *v)
{
    json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

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

/* The subject of a record: by id, or an existing one with the inline
 * subject's credit code or ID-card hash (its name must agree), or a new one
 * (sj->id = 0). Found by plain reads (a locking read of a missing key would
 * hold a gap lock on subjects until the end of the transaction); then the
 * existing subject's row is locked by id: records of one subject are
 * created one at a time, so the duplicate check holds. Two requests making
 * the same new subject at once meet on its unique key (a 409, send again). */
static credit_status_t find_subject(credit_store_t *s, const credit_keys_t *keys,
                                    const credit_record_input_t *in, subject_t *sj,
                                    credit_field_error_t *err)
{
    const credit_subject_input_t *x = &in->subject;
    credit_rows_t *rows = NULL;
    credit_status_t rv;
    int k;

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
        credit_param_t p[2] = {CREDIT_PINT((long long)x->employer_id)};
        unsigned char h[32];
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
        rows = NULL;
        /* Every key of the rotation: the same person under an older key. */
        for (k = 0; k < keys->n; k++) {
            const char *hex;
            credit_token_hash(keys, k, "idcard", x->id_number, h);
            hex = credit_hex(s->pool, h, sizeof h);
            if (k == 0)
                sj->hash_hex = hex;
            p[0] = CREDIT_PSTR(hex);
            if ((rv = A("SELECT id, kind, district, name FROM subjects WHERE id_hash = UNHEX(?)", p,
                        1, &rows)) != CREDIT_OK)
                return rv;
            if (rows->rows->nelts > 0)
                break;
        }
    }
    if (rows && rows->rows->nelts > 0) {
        credit_param_t l[1] = {CREDIT_PSTR(credit_rows_get(rows, 0, "id"))};
        credit_rows_t *locked;
        /* Locked by its primary key only (no gap lock for a missing one). */
        if ((rv = A("SELECT id FROM subjects WHERE id = ? FOR UPDATE", l, 1, &locked)) != CREDIT_OK)
            return rv;
        sj->id = strtoull(credit_rows_get(rows, 0, "id"), NULL, 10);
        sj->kind = credit_rows_get(rows, 0, "kind");
        sj->district = credit_rows_get(rows, 0, "district");
        sj->name = credit_rows_get(rows, 0, "name");
        if (!in->subject_id && strcmp(sj->name, x->name) != 0)
            return bad(s, err, CREDIT_EINVAL, "subject_mismatch", "subject.name",
                       apr_psprintf(s->pool,
                                    "the %s belongs to subject %" APR_UINT64_T_FMT
                                    " named \"%s\" (give "
                                    "subject_id to use it)",
                                    !strcmp(x->kind, "gov") ? "credit code" : "ID-card number",
                                    (apr_uint64_t)sj->id, sj->name));
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
    jstr(after, "kind", x->kind);
    jstr(after, "name", x->name);
    jstr(after, "credit_code", x->credit_code);
    jstr(after, "district", x->district);
    jstr(after, "level", x->level);
    json_object_object_add(after, "employer_id",
                           official ? json_object_new_int64((int64_t)x->employer_id) : NULL);
    jstr(after, "position", official ? x->position : NULL);
    jstr(after, "id_masked", masked);
    return audit(s, st, "create", "subject", sj->id, NULL, json_text(s, after));
}

/* ---- record numbers ------------------------------------------------------ */

/* Locks the counter row of `year` (made on first use). Taken first, before
 * any other read or lock of a record's creation: creations of one year
 * queue here, so they never wait for each other in another order (no
 * deadlock), and each one's first read sees the one before committed. */
static credit_status_t lock_year(credit_store_t *s, const char *year)
{
    credit_param_t y[1] = {CREDIT_PINT(atoll(year))};
    return A("INSERT INTO record_numbers (year, last_no) VALUES (?, 0)"
             " ON DUPLICATE KEY UPDATE last_no = last_no",
             y, 1, NULL);
}

/* The next number of `year` (locked by lock_year): above the counter and
 * above every number of that year in records and record_aliases (rows
 * loaded by other means, the demo's, renumbered records' old numbers), so a
 * number is never given twice. */
static credit_status_t next_number(credit_store_t *s, const char *year, const char **out,
                                   credit_field_error_t *err)
{
    const char *lo = apr_pstrcat(s->pool, "TJZW-", year, "-000000", NULL);
    const char *hi = apr_pstrcat(s->pool, "TJZW-", year, "-999999", NULL);
    credit_param_t y[1] = {CREDIT_PINT(atoll(year))};
    credit_param_t r[4] = {CREDIT_PSTR(lo), CREDIT_PSTR(hi), CREDIT_PSTR(lo), CREDIT_PSTR(hi)};
    credit_rows_t *rows;
    credit_status_t rv;
    long long last, n;
    const char *m;

    if ((rv = A("SELECT last_no FROM record_numbers WHERE year = ? FOR UPDATE", y, 1, &rows)) !=
        CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    last = atoll(credit_rows_get(rows, 0, "last_no"));
    if ((rv = A("SELECT (SELECT MAX(record_no) FROM records WHERE record_no BETWEEN ? AND ?) AS r,"
                " (SELECT MAX(old_no) FROM record_aliases WHERE old_no BETWEEN ? AND ?) AS a",
                r, 4, &rows)) != CREDIT_OK)
        return rv;
    if ((m = credit_rows_get(rows, 0, "r")) && credit_record_no_valid(m) && atoll(m + 10) > last)
        last = atoll(m + 10);
    if ((m = credit_rows_get(rows, 0, "a")) && credit_record_no_valid(m) && atoll(m + 10) > last)
        last = atoll(m + 10);
    n = last + 1;
    if (n > 999999)
        return bad(s, err, CREDIT_ECONFLICT, "numbers_exhausted", "disclosed_on",
                   apr_pstrcat(s->pool, "every record number of ", year, " is taken", NULL));
    {
        credit_param_t u[2] = {CREDIT_PINT(n), CREDIT_PINT(atoll(year))};
        if ((rv = A("UPDATE record_numbers SET last_no = ? WHERE year = ?", u, 2, NULL)) !=
            CREDIT_OK)
            return rv;
    }
    *out = apr_psprintf(s->pool, "TJZW-%s-%06" APR_INT64_T_FMT, year, (apr_int64_t)n);
    return CREDIT_OK;
}

/* ---- create -------------------------------------------------------------- */

/* The record's stored fields, for the audit row's "after". */
static const char *record_after(credit_store_t *s, const char *no, unsigned long long subject_id,
                                unsigned long long dept, const credit_record_input_t *in,
                                const char *repair_from, const char *withdraw_on)
{
    json_object *o = json_object_new_object();
    jstr(o, "record_no", no);
    json_object_object_add(o, "subject_id", json_object_new_int64((int64_t)subject_id));
    json_object_object_add(o, "department_id", json_object_new_int64((int64_t)dept));
    jstr(o, "category", in->category);
    jstr(o, "domain", in->domain);
    jstr(o, "severity", in->severity);
    jstr(o, "status", "published");
    jstr(o, "title", in->title);
    jstr(o, "facts", in->facts);
    jstr(o, "legal_basis", in->legal_basis);
    jstr(o, "decision_no", in->decision_no);
    jstr(o, "authority", in->authority);
    jstr(o, "decided_on", in->decided_on);
    jstr(o, "disclosed_on", in->disclosed_on);
    jstr(o, "repair_from", repair_from);
    jstr(o, "withdraw_on", withdraw_on);
    jstr(o, "amount", in->amount);
    jstr(o, "rectification", in->rectification);
    jstr(o, "rectify_due", in->rectify_due);
    json_object_object_add(o, "rectified", json_object_new_boolean(in->rectified));
    return json_text(s, o);
}

/* The clock the database computed, checked against credit_clock (the one
 * rule of credit_rules.c): a difference is a bug, logged. */
static void check_clock(credit_store_t *s, const credit_clock_t *c, const char *repair_from,
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

/* Checks and (unless dry) writes one record inside the caller's
 * transaction; the id of an inserted record is pushed on `inserted`. */
static credit_status_t create_one(credit_store_t *s, const credit_staff_t *st,
                                  const credit_keys_t *keys, const credit_record_input_t *in,
                                  int dry, apr_array_header_t *inserted, const char **record_no,
                                  credit_field_error_t *err)
{
    unsigned long long dept;
    subject_t sj;
    credit_rows_t *rows;
    credit_status_t rv;
    const char *no, *rid_s, *dept_s, *sid_s, *rf, *wo;
    unsigned long long rid;

    *record_no = NULL;
    if (!dry && (rv = lock_year(s, apr_pstrndup(s->pool, in->disclosed_on, 4))) != CREDIT_OK)
        return rv;
    if (st->department_id) {
        if (in->department_id && in->department_id != st->department_id)
            return bad(s, err, CREDIT_EINVAL, "bad_field", "department_id",
                       "a department's staff create records of their own department only");
        dept = st->department_id;
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
        dept = in->department_id;
    }
    if ((rv = find_subject(s, keys, in, &sj, err)) != CREDIT_OK)
        return rv;
    if (sj.id) {
        credit_param_t p[2] = {CREDIT_PINT((long long)sj.id), CREDIT_PSTR(in->decision_no)};
        if ((rv = A("SELECT record_no FROM records WHERE subject_id = ? AND decision_no = ?"
                    " ORDER BY id LIMIT 1 LOCK IN SHARE MODE",
                    p, 2, &rows)) != CREDIT_OK)
            return rv;
        if (rows->rows->nelts > 0)
            return bad(s, err, CREDIT_ECONFLICT, "duplicate", "decision_no",
                       apr_pstrcat(s->pool, "this subject already has record ",
                                   credit_rows_get(rows, 0, "record_no"),
                                   " of this decision (nothing stored)", NULL));
    }
    if (dry)
        return CREDIT_OK;
    if (!sj.id && (rv = insert_subject(s, st, &in->subject, &sj, err)) != CREDIT_OK)
        return rv;
    if ((rv = next_number(s, apr_pstrndup(s->pool, in->disclosed_on, 4), &no, err)) != CREDIT_OK)
        return rv;
    dept_s = apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)dept);
    sid_s = apr_psprintf(s->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)sj.id);
    {
        credit_param_t p[19] = {CREDIT_PSTR(no),
                                CREDIT_PSTR(sid_s),
                                CREDIT_PSTR(sj.kind),
                                CREDIT_PSTR(sj.district),
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
        check_clock(s, &in->clock, rf, wo);
    }
    if ((rv = audit(s, st, "create", "record", rid, NULL,
                    record_after(s, no, sj.id, dept, in, rf, wo))) != CREDIT_OK)
        return rv;
    *record_no = no;
    return CREDIT_OK;
}

credit_status_t credit_admin_record_create(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys,
                                           const credit_record_input_t *in, const char **record_no,
                                           credit_field_error_t *err)
{
    apr_array_header_t *inserted = apr_array_make(s->pool, 1, sizeof(long long));
    credit_status_t rv;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    rv = create_one(s, st, keys, in, 0, inserted, record_no, err);
    if (rv == CREDIT_OK)
        rv = A("COMMIT", NULL, 0, NULL);
    if (rv != CREDIT_OK)
        rollback(s, inserted);
    return rv;
}

/* ---- import -------------------------------------------------------------- */

/* Who the line is about, for finding a repeated line within the file. */
static const char *subject_key(apr_pool_t *p, const credit_record_input_t *in)
{
    if (in->subject_id)
        return apr_psprintf(p, "id:%" APR_UINT64_T_FMT, (apr_uint64_t)in->subject_id);
    if (!strcmp(in->subject.kind, "gov"))
        return apr_pstrcat(p, "code:", in->subject.credit_code, NULL);
    return apr_pstrcat(p, "idcard:", in->subject.id_number, NULL);
}

credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, apr_array_header_t *lines,
                                           credit_import_mode_t mode, const char **record_nos,
                                           int *stored)
{
    apr_array_header_t *inserted = apr_array_make(s->pool, 16, sizeof(long long));
    apr_hash_t *seen = apr_hash_make(s->pool); /* subject + decision_no -> line */
    credit_status_t rv;
    int i, failed = 0, all = mode == CREDIT_IMPORT_ALL;

    *stored = 0;
    if (all && (rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    for (i = 0; i < lines->nelts; i++) {
        credit_import_line_t *ln = &APR_ARRAY_IDX(lines, i, credit_import_line_t);
        const char *key, *first;
        record_nos[i] = NULL;
        if (ln->blank)
            continue;
        if (!ln->ok) {
            failed++;
            continue;
        }
        key = apr_pstrcat(s->pool, subject_key(s->pool, &ln->input), "\n", ln->input.decision_no,
                          NULL);
        if ((first = apr_hash_get(seen, key, APR_HASH_KEY_STRING)) != NULL) {
            ln->ok = 0;
            bad(s, &ln->err, CREDIT_ECONFLICT, "duplicate", "decision_no",
                apr_pstrcat(s->pool, "the same subject and decision_no as line ", first,
                            " (nothing stored for this line)", NULL));
            failed++;
            continue;
        }
        if (!all && (rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
            return rv;
        rv = create_one(s, st, keys, &ln->input, all && failed > 0, inserted, &record_nos[i],
                        &ln->err);
        if (rv == CREDIT_OK && !all)
            rv = A("COMMIT", NULL, 0, NULL);
        if (rv == CREDIT_EINVAL || rv == CREDIT_ECONFLICT) {
            ln->ok = 0;
            failed++;
            if (!all)
                rollback(s, inserted);
            continue;
        }
        if (rv != CREDIT_OK) {
            rollback(s, inserted);
            if (all)
                *stored = 0;
            return rv;
        }
        apr_hash_set(seen, key, APR_HASH_KEY_STRING, apr_psprintf(s->pool, "%d", ln->line));
        if (!all) {
            apr_array_clear(inserted);
            (*stored)++;
        }
    }
    if (!all)
        return CREDIT_OK;
    if (failed) {
        rollback(s, inserted);
        for (i = 0; i < lines->nelts; i++)
            record_nos[i] = NULL;
        return CREDIT_OK;
    }
    if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK) {
        rollback(s, inserted);
        return rv;
    }
    for (i = 0; i < lines->nelts; i++)
        if (record_nos[i])
            (*stored)++;
    return CREDIT_OK;
}

/* ---- read and update ----------------------------------------------------- */

#define ADMIN_RECORD_SQL                                                                           \
    "SELECT r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title,"               \
    " r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.repair_from, r.withdraw_on,"     \
    " r.withdrawn_on, r.updated_at, r.amount, r.district AS district, r.department_id,"            \
    " r.subject_id, r.facts, r.legal_basis, r.rectification, r.rectify_due, r.rectified,"          \
    " r.correction_note, d.name AS department,"                                                    \
    " s.name AS subject_name, s.kind AS subject_kind, s.credit_code, s.level AS subject_level,"    \
    " s.position, s.id_masked, e.id AS employer_id, e.name AS employer_name"                       \
    " FROM records r JOIN subjects s ON s.id = r.subject_id"                                       \
    " JOIN departments d ON d.id = r.department_id LEFT JOIN subjects e ON e.id = s.employer_id"   \
    " WHERE r.record_no = ?"

static void date_of(const char *v, credit_date_t *d)
{
    if (!v || !credit_date_parse(v, d))
        d->y = d->m = d->d = 0;
}

credit_status_t credit_admin_record_get(credit_store_t *s, const credit_staff_t *st, const char *no,
                                        credit_record_t **out, unsigned long long *department_id)
{
    credit_param_t p[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_status_t rv = A(ADMIN_RECORD_SQL, p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || !in_scope(st, credit_rows_get(rows, 0, "department_id")))
        return CREDIT_ENOTFOUND;
    *out = credit_maria_record(s, s->pool, rows, 0);
    *department_id = strtoull(credit_rows_get(rows, 0, "department_id"), NULL, 10);
    return CREDIT_OK;
}

/* Compares one field: records its before and after when it changes. */
static void change(apr_array_header_t *changed, json_object *before, json_object *after,
                   const char *name, const char *old, const char *now)
{
    if ((old == NULL) == (now == NULL) && (!old || !strcmp(old, now)))
        return;
    APR_ARRAY_PUSH(changed, const char *) = name;
    jstr(before, name, old);
    jstr(after, name, now);
}

credit_status_t credit_admin_record_update(credit_store_t *s, const credit_staff_t *st,
                                           const char *no, const credit_record_input_t *in,
                                           apr_array_header_t **changed, credit_field_error_t *err)
{
    credit_param_t p[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_status_t rv;
    credit_date_t today, ds;
    credit_clock_t clock;
    json_object *before, *after;
    const char *id, *status, *rf, *wo;
    /* merged values */
    const char *category, *domain, *severity, *title, *facts, *legal, *decision, *authority,
        *decided, *disclosed, *amount, *rect, *rect_due, *rectified;

    *changed = apr_array_make(s->pool, 8, sizeof(const char *));
    credit_date_parse(credit_maria_today(s), &today);
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A("SELECT id, status, department_id, subject_id, category, domain, severity, title,"
                " facts, legal_basis, decision_no, authority, decided_on, disclosed_on, amount,"
                " rectification, rectify_due, rectified, repair_from, withdraw_on"
                " FROM records WHERE record_no = ? FOR UPDATE",
                p, 1, &rows)) != CREDIT_OK)
        goto out;
    if (rows->rows->nelts == 0 || !in_scope(st, credit_rows_get(rows, 0, "department_id"))) {
        rv = CREDIT_ENOTFOUND;
        goto out;
    }
#define OLD(name)            credit_rows_get(rows, 0, name)
#define PICK(bit, mine, col) ((in->set & (bit)) ? (mine) : OLD(col))
    id = OLD("id");
    status = OLD("status");
    date_of(OLD("disclosed_on"), &clock.disclosed);
    date_of(OLD("repair_from"), &clock.repair_from);
    date_of(OLD("withdraw_on"), &clock.withdraw_on);
    if (credit_visibility(status, &clock, today) == CREDIT_VIS_WITHDRAWN) {
        rv = bad(s, err, CREDIT_ECONFLICT, "withdrawn", NULL,
                 apr_psprintf(s->pool,
                              "record %s is withdrawn (%s): a withdrawn record cannot be edited",
                              no, credit_withdrawn_state(status)));
        goto out;
    }
    category = PICK(CREDIT_RF_CATEGORY, in->category, "category");
    domain = PICK(CREDIT_RF_DOMAIN, in->domain, "domain");
    severity = PICK(CREDIT_RF_SEVERITY, in->severity, "severity");
    title = PICK(CREDIT_RF_TITLE, in->title, "title");
    facts = PICK(CREDIT_RF_FACTS, in->facts, "facts");
    legal = PICK(CREDIT_RF_LEGAL, in->legal_basis, "legal_basis");
    decision = PICK(CREDIT_RF_DECISION, in->decision_no, "decision_no");
    authority = PICK(CREDIT_RF_AUTHORITY, in->authority, "authority");
    decided = PICK(CREDIT_RF_DECIDED, in->decided_on, "decided_on");
    disclosed = PICK(CREDIT_RF_DISCLOSED, in->disclosed_on, "disclosed_on");
    amount = PICK(CREDIT_RF_AMOUNT, in->amount, "amount");
    rect = PICK(CREDIT_RF_RECT_TEXT, in->rectification, "rectification");
    rect_due = PICK(CREDIT_RF_RECT_DUE, in->rectify_due, "rectify_due");
    rectified = PICK(CREDIT_RF_RECT_DONE, in->rectified ? "1" : "0", "rectified");
    before = json_object_new_object();
    after = json_object_new_object();
    change(*changed, before, after, "category", OLD("category"), category);
    change(*changed, before, after, "domain", OLD("domain"), domain);
    change(*changed, before, after, "severity", OLD("severity"), severity);
    change(*changed, before, after, "title", OLD("title"), title);
    change(*changed, before, after, "facts", OLD("facts"), facts);
    change(*changed, before, after, "legal_basis", OLD("legal_basis"), legal);
    change(*changed, before, after, "decision_no", OLD("decision_no"), decision);
    change(*changed, before, after, "authority", OLD("authority"), authority);
    change(*changed, before, after, "decided_on", OLD("decided_on"), decided);
    change(*changed, before, after, "disclosed_on", OLD("disclosed_on"), disclosed);
    change(*changed, before, after, "amount", OLD("amount"), amount);
    change(*changed, before, after, "rectification", OLD("rectification"), rect);
    change(*changed, before, after, "rectify_due", OLD("rectify_due"), rect_due);
    change(*changed, before, after, "rectified", OLD("rectified"), rectified);
    if (json_object_object_get_ex(after, "rectified", NULL)) { /* a flag: true / false */
        json_object_object_add(before, "rectified",
                               json_object_new_boolean(!strcmp(OLD("rectified"), "1")));
        json_object_object_add(after, "rectified",
                               json_object_new_boolean(!strcmp(rectified, "1")));
    }
    if ((*changed)->nelts == 0) {
        json_object_put(before);
        json_object_put(after);
        rv = CREDIT_OK; /* nothing to write: no audit row */
        goto out;
    }
    if (((in->set & (CREDIT_RF_DECIDED | CREDIT_RF_DISCLOSED)) &&
         !credit_admin_record_dates(s->pool, decided, disclosed, today, err)) ||
        !credit_date_parse(disclosed, &ds) || credit_clock(severity, ds, &clock) != CREDIT_OK) {
        json_object_put(before);
        json_object_put(after);
        rv = err->code ? CREDIT_EINVAL : CREDIT_EINTERNAL;
        goto out;
    }
    if (strcmp(decision, OLD("decision_no")) != 0) {
        credit_param_t q[3] = {CREDIT_PSTR(OLD("subject_id")), CREDIT_PSTR(decision),
                               CREDIT_PSTR(id)};
        credit_rows_t *dup;
        if ((rv = A("SELECT record_no FROM records WHERE subject_id = ? AND decision_no = ?"
                    " AND id <> ? ORDER BY id LIMIT 1 LOCK IN SHARE MODE",
                    q, 3, &dup)) != CREDIT_OK ||
            dup->rows->nelts > 0) {
            if (rv == CREDIT_OK)
                rv = bad(s, err, CREDIT_ECONFLICT, "duplicate", "decision_no",
                         apr_pstrcat(s->pool, "the subject already has record ",
                                     credit_rows_get(dup, 0, "record_no"), " of this decision",
                                     NULL));
            json_object_put(before);
            json_object_put(after);
            goto out;
        }
    }
    {
        credit_param_t u[15] = {CREDIT_PSTR(category), CREDIT_PSTR(domain),
                                CREDIT_PSTR(severity), CREDIT_PSTR(title),
                                CREDIT_PSTR(facts),    CREDIT_PSTR(legal),
                                CREDIT_PSTR(decision), CREDIT_PSTR(authority),
                                CREDIT_PSTR(decided),  CREDIT_PSTR(disclosed),
                                CREDIT_PSTR(amount),   CREDIT_PSTR(rect),
                                CREDIT_PSTR(rect_due), CREDIT_PINT(atoll(rectified)),
                                CREDIT_PSTR(id)};
        credit_param_t q[1] = {CREDIT_PSTR(id)};
        credit_rows_t *now;
        rv = A("UPDATE records SET category = ?, domain = ?, severity = ?, title = ?, facts = ?,"
               " legal_basis = ?, decision_no = ?, authority = ?, decided_on = ?, disclosed_on = ?,"
               " amount = ?, rectification = ?, rectify_due = ?, rectified = ? WHERE id = ?",
               u, 15, NULL);
        if (rv == CREDIT_OK)
            rv = A("SELECT repair_from, withdraw_on FROM records WHERE id = ?", q, 1, &now);
        if (rv != CREDIT_OK) {
            json_object_put(before);
            json_object_put(after);
            goto out;
        }
        rf = credit_rows_get(now, 0, "repair_from");
        wo = credit_rows_get(now, 0, "withdraw_on");
        check_clock(s, &clock, rf, wo);
        /* The clock follows severity and the disclosure date: its change
         * is part of the before/after. */
        change(*changed, before, after, "repair_from", OLD("repair_from"), rf);
        change(*changed, before, after, "withdraw_on", OLD("withdraw_on"), wo);
    }
#undef PICK
#undef OLD
    if ((rv = audit(s, st, "update", "record", strtoull(id, NULL, 10), json_text(s, before),
                    json_text(s, after))) != CREDIT_OK)
        goto out;
    return A("COMMIT", NULL, 0, NULL);
out:
    A("ROLLBACK", NULL, 0, NULL);
    return rv;
}
