/* credit_store_maria_query.c: the statements of the record lists put
 * together from constant fragments (credit_mq_t: the filters' conditions,
 * the keyset position), the search planner (exact number, or full text),
 * gated runs, and rows streamed into records. */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_gate.h"
#include "credit_rules.h"

void credit_mq_frag(credit_mq_t *q, const char *s)
{
    *(const char **)apr_array_push(q->sql) = s;
}

void credit_mq_param(credit_mq_t *q, credit_param_t p)
{
    *(credit_param_t *)apr_array_push(q->params) = p;
}

const credit_mq_dialect_t credit_mq_on_records = {
    " WHERE" PUBLIC_SQL,
    {" AND r.district = ?", " AND r.subject_kind = ?", " AND r.category = ?", " AND r.domain = ?",
     " AND r.severity = ?", " AND r.status = ?"},
    " AND r.disclosed_on >= ?",
    " AND r.disclosed_on <= ?",
    {" AND r.disclosed_on <= ? AND (r.disclosed_on < ? OR r.id < ?)",
     " AND r.disclosed_on >= ? AND (r.disclosed_on > ? OR r.id > ?)"},
    {" ORDER BY r.disclosed_on DESC, r.id DESC LIMIT ?",
     " ORDER BY r.disclosed_on ASC, r.id ASC LIMIT ?"},
};

const char *credit_mq_date(credit_store_t *s, credit_date_t d)
{
    char buf[16];
    return apr_pstrdup(s->pool, credit_date_fmt(d, buf));
}

void credit_mq_where(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                     const credit_filter_t *f)
{
    const char *const values[6] = {f->district, f->kind,     f->category,
                                   f->domain,   f->severity, f->status};
    const char *today = credit_maria_today(s);
    size_t i;

    credit_mq_frag(q, dl->pub);
    credit_mq_param(q, CREDIT_PSTR(today));
    credit_mq_param(q, CREDIT_PSTR(today));
    for (i = 0; i < 6; i++) {
        if (values[i]) {
            credit_mq_frag(q, dl->eq[i]);
            credit_mq_param(q, CREDIT_PSTR(values[i]));
        }
    }
    credit_mq_dates(s, q, dl, f);
}

void credit_mq_dates(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                     const credit_filter_t *f)
{
    if (f->from.y) {
        credit_mq_frag(q, dl->from);
        credit_mq_param(q, CREDIT_PSTR(credit_mq_date(s, f->from)));
    }
    if (f->to.y) {
        credit_mq_frag(q, dl->to);
        credit_mq_param(q, CREDIT_PSTR(credit_mq_date(s, f->to)));
    }
}

/* The keyset position and order of a page; *backward tells the caller to
 * flip the rows it gets back. */
void credit_mq_position(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                        const credit_filter_t *f, int *backward)
{
    int desc = f->sort != CREDIT_SORT_OLDEST;
    int scan_desc;
    *backward = f->has_cursor && f->cursor.backward;
    scan_desc = *backward ? !desc : desc;
    if (f->has_cursor) {
        const char *d = credit_mq_date(s, f->cursor.date);
        credit_mq_frag(q, dl->after[scan_desc ? 0 : 1]);
        credit_mq_param(q, CREDIT_PSTR(d));
        credit_mq_param(q, CREDIT_PSTR(d));
        credit_mq_param(q, CREDIT_PINT((long long)f->cursor.id));
    }
    credit_mq_frag(q, dl->order[scan_desc ? 0 : 1]);
    credit_mq_param(q, CREDIT_PINT(f->limit + 1));
    if (!f->has_cursor && f->page > 1) {
        /* A page number typed by hand: a bounded offset (credit_page_filter
         * allows CREDIT_PAGE_JUMP_MAX pages); links carry cursors instead. */
        credit_mq_frag(q, " OFFSET ?");
        credit_mq_param(q, CREDIT_PINT((long long)(f->page - 1) * f->limit));
    }
}

credit_mq_t credit_mq_new(apr_pool_t *p)
{
    credit_mq_t q;
    q.sql = apr_array_make(p, 16, sizeof(const char *));
    q.params = apr_array_make(p, 16, sizeof(credit_param_t));
    return q;
}

credit_status_t credit_mq_run(credit_store_t *s, credit_mq_t *q, credit_rows_t **rows)
{
    const char *sql = apr_array_pstrcat(s->pool, q->sql, 0);
    return credit_maria_read(s, sql, (const credit_param_t *)q->params->elts, q->params->nelts,
                             rows);
}

/* query_run for the statements whose cost grows with the data (searches,
 * counts, statistics): at most the gate's number of them at a time in this
 * child; CREDIT_EBUSY when no place came free in time. */
credit_status_t credit_mq_gated(credit_store_t *s, credit_mq_t *q, credit_rows_t **rows)
{
    credit_status_t rv = credit_gate_enter(s->gate);
    if (rv != CREDIT_OK)
        return rv;
    rv = credit_mq_run(s, q, rows);
    credit_gate_leave(s->gate);
    return rv;
}

credit_status_t credit_maria_gated(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **rows)
{
    credit_status_t rv = credit_gate_enter(s->gate);
    if (rv != CREDIT_OK)
        return rv;
    rv = credit_maria_read(s, sql, params, n, rows);
    credit_gate_leave(s->gate);
    return rv;
}

credit_status_t credit_mq_plan(credit_store_t *s, const credit_filter_t *f, credit_mq_search_t *out)
{
    const char *err;
    memset(out, 0, sizeof *out);
    if (!f->q)
        return CREDIT_OK;
    if (credit_query_parse(s->pool, f->q, &out->parsed, &err) != CREDIT_OK)
        return CREDIT_EINVAL;
    if (out->parsed.kind == CREDIT_Q_DECISION_NO) {
        /* Not an exact public number (other brackets, part of one): full
         * text, decided here so that every output asks the same question. */
        const char *today = credit_maria_today(s);
        credit_param_t p[3] = {CREDIT_PSTR(today), CREDIT_PSTR(today),
                               CREDIT_PSTR(out->parsed.exact)};
        credit_rows_t *rows;
        credit_status_t rv = credit_maria_read(
            s, "SELECT 1 FROM records r WHERE" PUBLIC_SQL " AND r.decision_no = ? LIMIT 1", p, 3,
            &rows);
        if (rv != CREDIT_OK)
            return rv;
        if (rows->rows->nelts == 0)
            out->parsed.kind = CREDIT_Q_TEXT;
    }
    if (out->parsed.kind == CREDIT_Q_TEXT) {
        if (!credit_query_groonga(s->pool, &out->parsed))
            return CREDIT_EINVAL; /* no positive term */
        out->fulltext = 1;
    }
    return CREDIT_OK;
}

/* Exact lookups keep to InnoDB: credit codes and decision numbers are
 * matched whole, which the bigram index cannot do for Latin runs. */
void credit_mq_exact(credit_mq_t *q, const credit_mq_search_t *sr)
{
    if (sr->parsed.kind == CREDIT_Q_CREDIT_CODE) {
        credit_mq_frag(q, " AND r.subject_id IN (SELECT id FROM subjects WHERE credit_code = ?)");
        credit_mq_param(q, CREDIT_PSTR(sr->parsed.exact));
    } else if (sr->parsed.kind == CREDIT_Q_DECISION_NO) {
        credit_mq_frag(q, " AND r.decision_no = ?");
        credit_mq_param(q, CREDIT_PSTR(sr->parsed.exact));
    }
}

/* Fills out->items from rows, in order, flipped when walking backward. */
void credit_mq_take_rows(credit_store_t *s, const credit_filter_t *f, credit_rows_t *rows,
                         int backward, credit_record_page_t *out)
{
    int i, n = rows->rows->nelts;
    credit_maria_cols_t cols;
    credit_maria_cols(rows, &cols);
    out->items = apr_array_make(s->pool, n, sizeof(credit_record_t *));
    if (n > f->limit)
        n = f->limit;
    for (i = 0; i < n; i++) {
        int row = backward ? n - 1 - i : i;
        *(credit_record_t **)apr_array_push(out->items) =
            credit_maria_record_at(s, s->pool, rows, &cols, row);
    }
    if (backward) {
        out->has_prev = rows->rows->nelts > f->limit;
        out->has_next = 1;
    } else {
        out->has_next = rows->rows->nelts > f->limit;
        out->has_prev = f->has_cursor || f->page > 1;
    }
}

/* Streaming rows into records for each_record's callback. */
typedef struct {
    credit_store_t *s;
    credit_record_fn *fn;
    void *ctx;
    const char *const *names; /* the statement's columns, looked up once into cols */
    credit_maria_cols_t cols;
    const credit_maria_dir_t *dir; /* subjects and departments, when not joined */
    int department_col;            /* RECORD_DIR_COLS' department_id */
} each_t;

static int each_row(void *ctx, apr_pool_t *rowpool, const char *const *names,
                    const char *const *values, int ncols)
{
    each_t *e = ctx;
    credit_record_t *r;
    credit_rows_t one = {0};
    apr_array_header_t arr = {0};
    const char **row = (const char **)values;
    one.ncols = ncols;
    one.names = (const char **)names;
    arr.pool = rowpool;
    arr.elt_size = sizeof(const char **);
    arr.nelts = arr.nalloc = 1;
    arr.elts = (char *)&row;
    one.rows = &arr;
    if (e->names != names) {
        credit_maria_cols(&one, &e->cols);
        e->department_col = credit_rows_col(&one, "department_id");
        e->names = names;
    }
    r = credit_maria_record_at(e->s, rowpool, &one, &e->cols, 0);
    if (e->dir)
        credit_maria_dir_fill(
            e->dir, e->department_col >= 0 ? credit_maria_ull(values[e->department_col]) : 0, r);
    return e->fn(e->ctx, r);
}

void credit_mq_ids_begin(credit_mq_t *q, const credit_maria_dir_t *dir, int detail)
{
    credit_mq_frag(q, credit_maria_export_cols(dir, detail));
    credit_mq_frag(q, " FROM (SELECT r.id, r.disclosed_on");
}

credit_status_t credit_mq_ids_stream(credit_store_t *s, credit_mq_t *q, const credit_filter_t *f,
                                     const credit_maria_dir_t *dir, credit_record_fn *fn, void *ctx)
{
    /* The LIMIT keeps the ids a table of their own (not merged into the
     * join), which MariaDB sorts by the outer ORDER BY, small rows, before
     * it joins the records' rows. */
    credit_mq_frag(q, " LIMIT 18446744073709551615) v JOIN records r ON r.id = v.id");
    credit_mq_frag(q, credit_maria_export_joins(dir));
    credit_mq_frag(q, f->sort != CREDIT_SORT_OLDEST ? " ORDER BY v.disclosed_on DESC, v.id DESC"
                                                    : " ORDER BY v.disclosed_on, v.id");
    return credit_mq_stream_dir(s, q, dir, fn, ctx);
}

credit_status_t credit_mq_stream(credit_store_t *s, credit_mq_t *q, credit_record_fn *fn, void *ctx)
{
    return credit_mq_stream_dir(s, q, NULL, fn, ctx);
}

credit_status_t credit_mq_stream_dir(credit_store_t *s, credit_mq_t *q,
                                     const credit_maria_dir_t *dir, credit_record_fn *fn, void *ctx)
{
    each_t e = {s, fn, ctx, NULL, {{0}}, dir, -1};
    credit_conn_t *c;
    credit_status_t rv;
    if ((rv = credit_maria_conn(s, &c)) != CREDIT_OK)
        return rv;
    rv = credit_db_each(c, s->pool, apr_array_pstrcat(s->pool, q->sql, 0),
                        (const credit_param_t *)q->params->elts, q->params->nelts, each_row, &e);
    if (rv == CREDIT_EUNAVAIL)
        credit_maria_conn_lost(s);
    return rv;
}
