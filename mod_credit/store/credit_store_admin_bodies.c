/* credit_store_admin_bodies.c: ratings and commitments written by staff,
 * each with its audit row in the same transaction (see
 * credit_store_admin_bodies.h). Prepared statements only; decimals go to
 * MariaDB as their exact text ("87.35"). */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <json.h>

#include "credit_store_admin_bodies.h"
#include "credit_store_maria.h"

#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)

static long long hundredths(const char *v)
{
    long long x = 0;
    return v && credit_hundredths_parse(v, &x) ? x : 0;
}

#define fail      credit_admin_rollback
#define json_text credit_admin_json_text
#define audit     credit_admin_audit_write

#define SUBJECT_COLS "s.id AS subject_id, s.name AS subject_name, s.kind, s.district, s.level"

static void subject_in(const credit_rows_t *rows, credit_admin_subject_t *sj)
{
    sj->id = credit_maria_ull(credit_rows_get(rows, 0, "subject_id"));
    sj->name = credit_rows_get(rows, 0, "subject_name");
    sj->kind = credit_rows_get(rows, 0, "kind");
    sj->district = credit_rows_get(rows, 0, "district");
    sj->level = credit_rows_get(rows, 0, "level");
}

/* The district whose subjects the staff may act for: NULL for city level
 * (all); "" when the department is gone (none). */
static credit_status_t staff_district(credit_store_t *s, const credit_staff_t *st, const char **out)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)st->department_id)};
    credit_rows_t *rows;
    credit_status_t rv;
    *out = NULL;
    if (st->department_id == 0)
        return CREDIT_OK;
    if ((rv = A("SELECT district FROM departments WHERE id = ?", p, 1, &rows)) != CREDIT_OK)
        return rv;
    *out = rows->rows->nelts ? credit_rows_get(rows, 0, "district") : "";
    return CREDIT_OK;
}

static int district_in_scope(const char *scope, const char *district)
{
    return !scope || (district && !strcmp(scope, district));
}

/* ---- ratings ------------------------------------------------------------------- */

/* The rating row (id, score, grade, published_on) and its indicators into
 * r (subject_id and year already set). `lock` reads FOR UPDATE. */
static credit_status_t rating_load(credit_store_t *s, credit_rating_in_t *r, int lock, int *found)
{
    credit_param_t p[2] = {CREDIT_PINT((long long)r->subject_id), CREDIT_PINT(r->year)};
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    *found = 0;
    rv = A(lock ? "SELECT id, score, grade, published_on FROM ratings"
                  " WHERE subject_id = ? AND year = ? FOR UPDATE"
                : "SELECT id, score, grade, published_on FROM ratings"
                  " WHERE subject_id = ? AND year = ?",
           p, 2, &rows);
    if (rv != CREDIT_OK || rows->rows->nelts == 0)
        return rv;
    *found = 1;
    r->id = credit_maria_ull(credit_rows_get(rows, 0, "id"));
    r->score = hundredths(credit_rows_get(rows, 0, "score"));
    r->grade = credit_rows_get(rows, 0, "grade");
    r->published_on = credit_rows_get(rows, 0, "published_on");
    {
        credit_param_t q[1] = {CREDIT_PINT((long long)r->id)};
        if ((rv = A("SELECT code, name, weight, raw_value, score FROM rating_indicators"
                    " WHERE rating_id = ? ORDER BY weight DESC, code",
                    q, 1, &rows)) != CREDIT_OK)
            return rv;
    }
    r->indicators = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_indicator_in_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_indicator_in_t *x = apr_array_push(r->indicators);
        x->code = credit_rows_get(rows, i, "code");
        x->name = credit_rows_get(rows, i, "name");
        x->weight = hundredths(credit_rows_get(rows, i, "weight"));
        x->raw_value = hundredths(credit_rows_get(rows, i, "raw_value"));
        x->score = hundredths(credit_rows_get(rows, i, "score"));
    }
    return CREDIT_OK;
}

credit_status_t credit_admin_rating_read(credit_store_t *s, const credit_staff_t *st,
                                         unsigned long long subject_id, int year,
                                         credit_rating_in_t **out, credit_admin_subject_t *sj)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)subject_id)};
    credit_rows_t *rows;
    credit_rating_in_t *r;
    credit_status_t rv;
    int found;
    (void)st; /* ratings are public: every staff account may read them */
    if ((rv = A("SELECT " SUBJECT_COLS " FROM subjects s WHERE s.id = ?", p, 1, &rows)) !=
        CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    subject_in(rows, sj);
    r = apr_pcalloc(s->pool, sizeof *r);
    r->subject_id = subject_id;
    r->year = year;
    if ((rv = rating_load(s, r, 0, &found)) != CREDIT_OK)
        return rv;
    if (!found)
        return CREDIT_ENOTFOUND;
    *out = r;
    return CREDIT_OK;
}

credit_status_t credit_admin_rating_upsert(credit_store_t *s, const credit_staff_t *st,
                                           credit_rating_in_t *r, int *created,
                                           credit_admin_subject_t *sj, const char **why)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)r->subject_id)};
    credit_rows_t *rows;
    credit_rating_in_t old = {0};
    const char *before = NULL, *score = credit_hundredths_fmt(s->pool, r->score);
    credit_status_t rv;
    int found, i;

    *created = 0;
    *why = NULL;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    /* The subject's row lock serialises writers of its ratings: a second
     * PUT of a new year waits and then replaces instead of colliding. */
    if ((rv = A("SELECT " SUBJECT_COLS " FROM subjects s WHERE s.id = ? FOR UPDATE", p, 1,
                &rows)) != CREDIT_OK)
        return fail(s, rv);
    if (rows->rows->nelts == 0)
        return fail(s, CREDIT_ENOTFOUND);
    subject_in(rows, sj);
    if (!sj->kind || strcmp(sj->kind, "gov") != 0) {
        *why = "subject_id: only government bodies are rated, not officials";
        return fail(s, CREDIT_EINVAL);
    }
    if (!sj->level || (strcmp(sj->level, "city") != 0 && strcmp(sj->level, "district") != 0)) {
        *why = "subject_id: ratings are of governments and departments at city or district"
               " level; streets and townships make commitments instead";
        return fail(s, CREDIT_EINVAL);
    }
    old.subject_id = r->subject_id;
    old.year = r->year;
    if ((rv = rating_load(s, &old, 1, &found)) != CREDIT_OK)
        return fail(s, rv);
    if (found) {
        credit_param_t u[4] = {CREDIT_PSTR(score), CREDIT_PSTR(r->grade),
                               CREDIT_PSTR(r->published_on), CREDIT_PINT((long long)old.id)};
        credit_param_t d[1] = {CREDIT_PINT((long long)old.id)};
        before = json_text(s, credit_rating_json(s->pool, &old));
        r->id = old.id;
        if ((rv = A("UPDATE ratings SET score = ?, grade = ?, published_on = ? WHERE id = ?", u, 4,
                    NULL)) != CREDIT_OK ||
            (rv = A("DELETE FROM rating_indicators WHERE rating_id = ?", d, 1, NULL)) != CREDIT_OK)
            return fail(s, rv);
    } else {
        credit_param_t ins[5] = {CREDIT_PINT((long long)r->subject_id), CREDIT_PINT(r->year),
                                 CREDIT_PSTR(score), CREDIT_PSTR(r->grade),
                                 CREDIT_PSTR(r->published_on)};
        if ((rv = A("INSERT INTO ratings (subject_id, year, score, grade, published_on)"
                    " VALUES (?, ?, ?, ?, ?)",
                    ins, 5, NULL)) != CREDIT_OK ||
            (rv = A("SELECT LAST_INSERT_ID() AS id", NULL, 0, &rows)) != CREDIT_OK)
            return fail(s, rv);
        r->id = credit_maria_ull(credit_rows_get(rows, 0, "id"));
        if (!r->id)
            return fail(s, CREDIT_EINTERNAL);
        *created = 1;
    }
    for (i = 0; i < r->indicators->nelts; i++) {
        const credit_indicator_in_t *x = &APR_ARRAY_IDX(r->indicators, i, credit_indicator_in_t);
        credit_param_t q[6] = {CREDIT_PINT((long long)r->id),
                               CREDIT_PSTR(x->code),
                               CREDIT_PSTR(x->name),
                               CREDIT_PSTR(credit_hundredths_fmt(s->pool, x->weight)),
                               CREDIT_PSTR(credit_hundredths_fmt(s->pool, x->raw_value)),
                               CREDIT_PSTR(credit_hundredths_fmt(s->pool, x->score))};
        if ((rv = A("INSERT INTO rating_indicators (rating_id, code, name, weight, raw_value,"
                    " score) VALUES (?, ?, ?, ?, ?, ?)",
                    q, 6, NULL)) != CREDIT_OK)
            return fail(s, rv);
    }
    if ((rv = audit(s, st, "rating:upsert", "rating", r->id, before,
                    json_text(s, credit_rating_json(s->pool, r)))) != CREDIT_OK)
        return fail(s, rv);
    return A("COMMIT", NULL, 0, NULL);
}

/* ---- commitments --------------------------------------------------------------- */

#define COMMITMENT_SQL                                                                             \
    "SELECT c.id, c.area, c.text, c.promised_on, c.status, c.evidence, " SUBJECT_COLS              \
    " FROM commitments c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?"

static void commitment_in(const credit_rows_t *rows, credit_commitment_in_t *c)
{
    c->id = credit_maria_ull(credit_rows_get(rows, 0, "id"));
    c->subject_id = credit_maria_ull(credit_rows_get(rows, 0, "subject_id"));
    c->area = credit_rows_get(rows, 0, "area");
    c->text = credit_rows_get(rows, 0, "text");
    c->promised_on = credit_rows_get(rows, 0, "promised_on");
    c->status = credit_rows_get(rows, 0, "status");
    c->evidence = credit_rows_get(rows, 0, "evidence");
}

/* The commitment id (locked with `lock`) if in the staff's scope. */
static credit_status_t commitment_load(credit_store_t *s, const credit_staff_t *st,
                                       unsigned long long id, int lock,
                                       credit_commitment_in_t **out, credit_admin_subject_t *sj)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)id)};
    credit_rows_t *rows;
    const char *scope;
    credit_status_t rv;
    if ((rv = staff_district(s, st, &scope)) != CREDIT_OK)
        return rv;
    if ((rv = A(lock ? COMMITMENT_SQL " FOR UPDATE" : COMMITMENT_SQL, p, 1, &rows)) != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || !district_in_scope(scope, credit_rows_get(rows, 0, "district")))
        return CREDIT_ENOTFOUND;
    *out = apr_pcalloc(s->pool, sizeof **out);
    commitment_in(rows, *out);
    subject_in(rows, sj);
    return CREDIT_OK;
}

credit_status_t credit_admin_commitment_read(credit_store_t *s, const credit_staff_t *st,
                                             unsigned long long id, credit_commitment_in_t **out,
                                             credit_admin_subject_t *sj)
{
    return commitment_load(s, st, id, 0, out, sj);
}

credit_status_t credit_admin_commitment_create(credit_store_t *s, const credit_staff_t *st,
                                               credit_commitment_in_t *c,
                                               credit_admin_subject_t *sj, const char **why)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)c->subject_id)};
    credit_rows_t *rows;
    const char *scope;
    credit_status_t rv;

    *why = NULL;
    if ((rv = staff_district(s, st, &scope)) != CREDIT_OK)
        return rv;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = A("SELECT " SUBJECT_COLS " FROM subjects s WHERE s.id = ? LOCK IN SHARE MODE", p, 1,
                &rows)) != CREDIT_OK)
        return fail(s, rv);
    if (rows->rows->nelts == 0 || !district_in_scope(scope, credit_rows_get(rows, 0, "district"))) {
        *why = scope ? "subject_id: no such street or township in your department's district"
                     : "subject_id: no such subject";
        return fail(s, CREDIT_ENOTFOUND);
    }
    subject_in(rows, sj);
    if (!sj->kind || strcmp(sj->kind, "gov") != 0 || !sj->level ||
        strcmp(sj->level, "township") != 0) {
        *why = "subject_id: commitments are made by streets and townships (level township)";
        return fail(s, CREDIT_EINVAL);
    }
    {
        credit_param_t q[6] = {CREDIT_PINT((long long)c->subject_id),
                               CREDIT_PSTR(c->area),
                               CREDIT_PSTR(c->text),
                               CREDIT_PSTR(c->promised_on),
                               CREDIT_PSTR(c->status),
                               CREDIT_PSTR(c->evidence)};
        if ((rv = A("INSERT INTO commitments (subject_id, area, text, promised_on, status,"
                    " evidence) VALUES (?, ?, ?, ?, ?, ?)",
                    q, 6, NULL)) != CREDIT_OK ||
            (rv = A("SELECT LAST_INSERT_ID() AS id", NULL, 0, &rows)) != CREDIT_OK)
            return fail(s, rv);
    }
    c->id = credit_maria_ull(credit_rows_get(rows, 0, "id"));
    if (!c->id)
        return fail(s, CREDIT_EINTERNAL);
    if ((rv = audit(s, st, "commitment:create", "commitment", c->id, NULL,
                    json_text(s, credit_commitment_json(s->pool, c)))) != CREDIT_OK)
        return fail(s, rv);
    return A("COMMIT", NULL, 0, NULL);
}

credit_status_t credit_admin_commitment_update(credit_store_t *s, const credit_staff_t *st,
                                               unsigned long long id,
                                               const credit_commitment_in_t *change,
                                               credit_commitment_in_t **out,
                                               credit_admin_subject_t *sj, const char **why)
{
    credit_commitment_in_t *cur, *next = apr_pcalloc(s->pool, sizeof *next);
    credit_status_t rv;
    int verdict;

    *why = NULL;
    if ((rv = A("START TRANSACTION", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    if ((rv = commitment_load(s, st, id, 1, &cur, sj)) != CREDIT_OK)
        return fail(s, rv);
    verdict = credit_commitment_merge(s->pool, cur, change, next, why);
    if (verdict)
        return fail(s, verdict == 409 ? CREDIT_ECONFLICT : CREDIT_EINVAL);
    {
        credit_param_t u[6] = {CREDIT_PSTR(next->area),        CREDIT_PSTR(next->text),
                               CREDIT_PSTR(next->promised_on), CREDIT_PSTR(next->status),
                               CREDIT_PSTR(next->evidence),    CREDIT_PINT((long long)id)};
        if ((rv = A("UPDATE commitments SET area = ?, text = ?, promised_on = ?, status = ?,"
                    " evidence = ? WHERE id = ?",
                    u, 6, NULL)) != CREDIT_OK)
            return fail(s, rv);
    }
    if ((rv = audit(s, st, "commitment:update", "commitment", id,
                    json_text(s, credit_commitment_json(s->pool, cur)),
                    json_text(s, credit_commitment_json(s->pool, next)))) != CREDIT_OK)
        return fail(s, rv);
    if ((rv = A("COMMIT", NULL, 0, NULL)) != CREDIT_OK)
        return rv;
    *out = next;
    return CREDIT_OK;
}

/* ---- the audit trail ------------------------------------------------------------- */

credit_status_t credit_admin_public_audit(credit_store_t *s, const credit_staff_t *st,
                                          const char *entity, unsigned long long id_or_subject,
                                          int year, apr_array_header_t **out)
{
    credit_status_t rv;
    unsigned long long id;

    if (!strcmp(entity, "rating")) {
        credit_rating_in_t r = {0};
        int found;
        r.subject_id = id_or_subject;
        r.year = year;
        if ((rv = rating_load(s, &r, 0, &found)) != CREDIT_OK)
            return rv;
        if (!found)
            return CREDIT_ENOTFOUND;
        id = r.id;
    } else {
        credit_commitment_in_t *c;
        credit_admin_subject_t sj;
        if ((rv = commitment_load(s, st, id_or_subject, 0, &c, &sj)) != CREDIT_OK)
            return rv;
        id = c->id;
    }
    return credit_admin_audit_rows(s, entity, id, out);
}
