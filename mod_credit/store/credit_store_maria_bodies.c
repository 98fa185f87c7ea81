/* credit_store_maria_bodies.c: the store ops of the public ratings,
 * commitments and statistics pages on MariaDB. Read-only user; prepared
 * statements whose text is assembled from the constant fragments below,
 * every value a bound parameter. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>

#include "credit_store_maria.h"

static long long ll(const char *v)
{
    return v ? atoll(v) : 0;
}

/* A rating from row i (the columns of RATING_COLS). */
static credit_rating_t *rating_in(apr_pool_t *p, const credit_rows_t *rows, int i)
{
    credit_rating_t *r = apr_pcalloc(p, sizeof *r);
#define COL(name) credit_rows_get(rows, i, name)
    r->id = credit_maria_ull(COL("id"));
    r->year = atoi(COL("year") ? COL("year") : "0");
    r->score = COL("score");
    r->score_value = r->score ? strtod(r->score, NULL) : 0;
    r->grade = COL("grade");
    r->published_on = COL("published_on");
    credit_maria_subject(p, rows, i, &r->subject);
#undef COL
    return r;
}

/* Only government bodies are rated or make commitments; a row that names
 * anyone else (an official) is never shown: a civil servant's name is
 * public only through a disclosed record. */
#define GOV_ONLY       " AND s.kind = 'gov'"
#define GOV_ONLY_FIRST " s.kind = 'gov'"

#define RATING_COLS                                                                                \
    "SELECT r.id, r.year, r.score, r.grade, r.published_on, s.id AS subject_id,"                   \
    " s.name AS subject_name, s.kind AS subject_kind, s.credit_code, s.district,"                  \
    " s.level AS subject_level FROM ratings r JOIN subjects s ON s.id = r.subject_id"

credit_status_t credit_maria_rating_years(credit_store_t *s, apr_array_header_t **out)
{
    credit_param_t p[1] = {CREDIT_PSTR(credit_maria_today(s))};
    credit_rows_t *rows;
    int i;
    credit_status_t rv =
        credit_maria_read(s,
                          "SELECT DISTINCT r.year FROM ratings r"
                          " JOIN subjects s ON s.id = r.subject_id"
                          " WHERE r.published_on <= ?" GOV_ONLY " ORDER BY r.year DESC",
                          p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(int));
    for (i = 0; i < rows->rows->nelts; i++)
        APR_ARRAY_PUSH(*out, int) = atoi(credit_rows_get(rows, i, "year"));
    return CREDIT_OK;
}

credit_status_t credit_maria_ratings(credit_store_t *s, int year, apr_array_header_t **out)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[2] = {CREDIT_PINT(year), CREDIT_PSTR(today)};
    credit_rows_t *rows, *ind;
    apr_hash_t *by_id;
    int i;
    credit_status_t rv =
        credit_maria_read(s,
                          RATING_COLS " WHERE r.year = ? AND r.published_on <= ?" GOV_ONLY
                                      " ORDER BY r.score DESC, s.name, r.id",
                          p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    rv = credit_maria_read(s,
                           "SELECT i.rating_id, i.code, i.name, i.weight, i.raw_value, i.score"
                           " FROM ratings r JOIN rating_indicators i ON i.rating_id = r.id"
                           " JOIN subjects s ON s.id = r.subject_id"
                           " WHERE r.year = ? AND r.published_on <= ?" GOV_ONLY
                           " ORDER BY i.rating_id, i.weight DESC, i.code",
                           p, 2, &ind);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_rating_t *));
    by_id = apr_hash_make(s->pool);
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_rating_t *r = rating_in(s->pool, rows, i);
        r->indicators = apr_array_make(s->pool, 6, sizeof(credit_indicator_t));
        apr_hash_set(by_id, credit_rows_get(rows, i, "id"), APR_HASH_KEY_STRING, r);
        APR_ARRAY_PUSH(*out, credit_rating_t *) = r;
    }
    for (i = 0; i < ind->rows->nelts; i++) {
        credit_rating_t *r =
            apr_hash_get(by_id, credit_rows_get(ind, i, "rating_id"), APR_HASH_KEY_STRING);
        credit_indicator_t *x;
        if (!r)
            continue;
        x = apr_array_push(r->indicators);
        x->code = credit_rows_get(ind, i, "code");
        x->name = credit_rows_get(ind, i, "name");
        x->weight = credit_rows_get(ind, i, "weight");
        x->raw_value = credit_rows_get(ind, i, "raw_value");
        x->score = credit_rows_get(ind, i, "score");
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_subject_ratings(credit_store_t *s, unsigned long long id,
                                             apr_array_header_t **out)
{
    credit_param_t p[2] = {CREDIT_PINT((long long)id), CREDIT_PSTR(credit_maria_today(s))};
    credit_rows_t *rows;
    int i;
    credit_status_t rv =
        credit_maria_read(s,
                          RATING_COLS " WHERE r.subject_id = ? AND r.published_on <= ?" GOV_ONLY
                                      " ORDER BY r.year DESC",
                          p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_rating_t *));
    for (i = 0; i < rows->rows->nelts; i++)
        APR_ARRAY_PUSH(*out, credit_rating_t *) = rating_in(s->pool, rows, i);
    return CREDIT_OK;
}

/* The WHERE clause of a commitment filter: constant fragments into the
 * text, values into params (at most 4). */
static const char *cwhere(apr_pool_t *p, const credit_commitment_filter_t *f,
                          credit_param_t *params, int *n)
{
    const char *sql = " WHERE" GOV_ONLY_FIRST;
    *n = 0;
    if (f->district) {
        sql = apr_pstrcat(p, sql, " AND s.district = ?", NULL);
        params[(*n)++] = CREDIT_PSTR(f->district);
    }
    if (f->area) {
        sql = apr_pstrcat(p, sql, " AND c.area = ?", NULL);
        params[(*n)++] = CREDIT_PSTR(f->area);
    }
    if (f->status) {
        sql = apr_pstrcat(p, sql, " AND c.status = ?", NULL);
        params[(*n)++] = CREDIT_PSTR(f->status);
    }
    if (f->subject_id) {
        sql = apr_pstrcat(p, sql, " AND c.subject_id = ?", NULL);
        params[(*n)++] = CREDIT_PINT((long long)f->subject_id);
    }
    return sql;
}

credit_status_t credit_maria_commitments(credit_store_t *s, const credit_commitment_filter_t *f,
                                         apr_array_header_t **out, int *has_next)
{
    credit_param_t p[8];
    credit_rows_t *rows;
    int n, i, limit = f->limit > 0 ? f->limit : 50, page = f->page > 0 ? f->page : 1;
    const char *where = cwhere(s->pool, f, p, &n);
    credit_status_t rv;
    p[n++] = CREDIT_PINT(limit + 1);
    p[n++] = CREDIT_PINT((long long)(page - 1) * limit);
    rv = credit_maria_read(
        s,
        apr_pstrcat(s->pool,
                    "SELECT c.id, c.area, c.text, c.promised_on, c.status, c.evidence,"
                    " s.id AS subject_id, s.name AS subject_name, s.district,"
                    " s.level AS subject_level"
                    " FROM commitments c JOIN subjects s ON s.id = c.subject_id",
                    where, " ORDER BY c.promised_on DESC, c.id DESC LIMIT ? OFFSET ?", NULL),
        p, n, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *has_next = rows->rows->nelts > limit;
    *out = apr_array_make(s->pool, limit, sizeof(credit_commitment_t *));
    for (i = 0; i < rows->rows->nelts && i < limit; i++) {
        credit_commitment_t *c = apr_pcalloc(s->pool, sizeof *c);
#define COL(name) credit_rows_get(rows, i, name)
        c->id = credit_maria_ull(COL("id"));
        c->area = COL("area");
        c->text = COL("text");
        c->promised_on = COL("promised_on");
        c->status = COL("status");
        c->evidence = COL("evidence");
        c->subject.id = credit_maria_ull(COL("subject_id"));
        c->subject.name = COL("subject_name");
        c->subject.district = COL("district");
        c->subject.level = COL("subject_level");
#undef COL
        APR_ARRAY_PUSH(*out, credit_commitment_t *) = c;
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_commitment_counts(credit_store_t *s,
                                               const credit_commitment_filter_t *f,
                                               apr_array_header_t **out)
{
    credit_param_t p[8];
    credit_rows_t *rows;
    int n, i;
    const char *where = cwhere(s->pool, f, p, &n);
    credit_status_t rv = credit_maria_read(
        s,
        apr_pstrcat(s->pool,
                    "SELECT s.id AS subject_id, s.name AS subject_name, s.district,"
                    " SUM(c.status = 'pending') AS pending, SUM(c.status = 'kept') AS kept,"
                    " SUM(c.status = 'broken') AS broken"
                    " FROM commitments c JOIN subjects s ON s.id = c.subject_id"
                    " JOIN districts d ON d.code = s.district",
                    where, " GROUP BY s.id, s.name, s.district, d.sort_order",
                    " ORDER BY d.sort_order, s.name, s.id", NULL),
        p, n, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_commitment_count_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_commitment_count_t *c = apr_array_push(*out);
        memset(c, 0, sizeof *c);
        c->subject.id = credit_maria_ull(credit_rows_get(rows, i, "subject_id"));
        c->subject.name = credit_rows_get(rows, i, "subject_name");
        c->subject.district = credit_rows_get(rows, i, "district");
        c->pending = ll(credit_rows_get(rows, i, "pending"));
        c->kept = ll(credit_rows_get(rows, i, "kept"));
        c->broken = ll(credit_rows_get(rows, i, "broken"));
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_complaint_stats(credit_store_t *s, credit_complaint_stats_t *out)
{
    credit_rows_t *rows;
    int i;
    credit_status_t rv = credit_maria_read(
        s, "SELECT status AS k, COUNT(*) AS n FROM complaints GROUP BY status ORDER BY status",
        NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    out->by_status = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_count_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_count_t *c = apr_array_push(out->by_status);
        c->key = credit_rows_get(rows, i, "k");
        c->n = ll(credit_rows_get(rows, i, "n"));
    }
    /* Handling time: from the complaint's creation to its first
     * 'concluded' timeline entry (never negative). */
    rv = credit_maria_read(
        s,
        "SELECT d.id, d.name, d.district, COUNT(*) AS total,"
        " SUM(c.status = 'received') AS received, SUM(c.status = 'accepted') AS accepted,"
        " SUM(c.status = 'rejected') AS rejected, SUM(c.status = 'processing') AS processing,"
        " SUM(c.status = 'concluded') AS concluded, COUNT(e.done_at) AS timed,"
        " AVG(GREATEST(0, TIMESTAMPDIFF(SECOND, c.created_at, e.done_at))) AS avg_seconds"
        " FROM complaints c JOIN departments d ON d.id = c.department_id"
        " LEFT JOIN (SELECT case_id, MIN(occurred_at) AS done_at FROM case_events"
        "  WHERE case_type = 'complaint' AND status = 'concluded' GROUP BY case_id) e"
        " ON e.case_id = c.id"
        " GROUP BY d.id, d.name, d.district ORDER BY d.id",
        NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    out->departments =
        apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_department_cases_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_department_cases_t *d = apr_array_push(out->departments);
        const char *avg = credit_rows_get(rows, i, "avg_seconds");
#define COL(name) credit_rows_get(rows, i, name)
        d->id = credit_maria_ull(COL("id"));
        d->name = COL("name");
        d->district = COL("district");
        d->total = ll(COL("total"));
        d->received = ll(COL("received"));
        d->accepted = ll(COL("accepted"));
        d->rejected = ll(COL("rejected"));
        d->processing = ll(COL("processing"));
        d->concluded = ll(COL("concluded"));
        d->timed = ll(COL("timed"));
#undef COL
        d->avg_days = avg ? strtod(avg, NULL) / 86400.0 : 0;
    }
    return CREDIT_OK;
}

credit_status_t credit_maria_stamp(credit_store_t *s, credit_stamp_of_t of, const char **out)
{
    /* Each statement gives one column `t`, made only of what the pages
     * show, so that a validator tells nothing a page does not (a checksum
     * over hidden rows could be inverted: an unpublished score was once
     * recovered from it). Ratings: the published ones (published_on up to
     * today), with their indicators; commitments: all are public;
     * complaints: the numbers /stats shows (per status, and per department
     * with the handling time to the tenth of a day it prints). */
    static const char *const sql[] = {
        [CREDIT_STAMP_RATINGS] =
            "SELECT CONCAT_WS('-',"
            " (SELECT COUNT(*) FROM ratings r JOIN subjects s ON s.id = r.subject_id"
            "   WHERE r.published_on <= ?" GOV_ONLY "),"
            " (SELECT COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', r.id, r.subject_id, r.year, r.score,"
            "   r.grade, r.published_on))), 0) FROM ratings r JOIN subjects s ON s.id = "
            "r.subject_id"
            "   WHERE r.published_on <= ?" GOV_ONLY "),"
            " (SELECT COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', i.rating_id, i.code, i.name, i.weight,"
            "   i.raw_value, i.score))), 0) FROM rating_indicators i"
            "   JOIN ratings r ON r.id = i.rating_id JOIN subjects s ON s.id = r.subject_id"
            "   WHERE r.published_on <= ?" GOV_ONLY ")) AS t",
        [CREDIT_STAMP_COMMITMENTS] =
            "SELECT CONCAT_WS('-', COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', id,"
            " subject_id, area, text, promised_on, status, COALESCE(evidence, '')))), 0)) AS t"
            " FROM commitments",
        [CREDIT_STAMP_COMPLAINTS] =
            "SELECT CONCAT_WS('-',"
            " (SELECT COALESCE(BIT_XOR(CRC32(CONCAT_WS(':', status, n))), 0)"
            "   FROM (SELECT status, COUNT(*) AS n FROM complaints GROUP BY status) a),"
            " (SELECT COALESCE(BIT_XOR(CRC32(CONCAT_WS(':', id, total, received, accepted,"
            "   rejected, processing, concluded, timed, days))), 0)"
            "   FROM (SELECT d.id, COUNT(*) AS total, SUM(c.status = 'received') AS received,"
            "   SUM(c.status = 'accepted') AS accepted, SUM(c.status = 'rejected') AS rejected,"
            "   SUM(c.status = 'processing') AS processing,"
            "   SUM(c.status = 'concluded') AS concluded, COUNT(e.done_at) AS timed,"
            "   ROUND(AVG(GREATEST(0, TIMESTAMPDIFF(SECOND, c.created_at, e.done_at))) / 8640)"
            "   AS days"
            "   FROM complaints c JOIN departments d ON d.id = c.department_id"
            "   LEFT JOIN (SELECT case_id, MIN(occurred_at) AS done_at FROM case_events"
            "   WHERE case_type = 'complaint' AND status = 'concluded' GROUP BY case_id) e"
            "   ON e.case_id = c.id GROUP BY d.id) b)) AS t",
    };
    static const int nparams[sizeof sql / sizeof sql[0]] = {[CREDIT_STAMP_RATINGS] = 3};
    const char *today = credit_maria_today(s);
    credit_param_t p[3] = {CREDIT_PSTR(today), CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_rows_t *rows;
    credit_status_t rv;
    if ((unsigned)of >= sizeof sql / sizeof sql[0])
        return CREDIT_EINTERNAL;
    rv = credit_maria_read(s, sql[of], p, nparams[of], &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1 || !credit_rows_get(rows, 0, "t"))
        return CREDIT_EINTERNAL;
    *out = credit_rows_get(rows, 0, "t");
    return CREDIT_OK;
}
