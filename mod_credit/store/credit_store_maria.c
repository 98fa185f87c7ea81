/* credit_store_maria.c: the store on MariaDB. Prepared statements only:
 * SQL text is assembled from the constant fragments below, and every value
 * a person typed travels as a bound parameter. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_time.h>

#include "credit_store.h"
#include "credit_db.h"
#include "credit_store_maria.h"
#include "credit_model.h"
#include "credit_validate.h"
#include "credit_query.h"
#include "credit_cache.h"
#include "credit_gate.h"
#include "credit_tally.h"
#include "credit_copies.h"

typedef struct {
    /* Reads: the copies of the database (the primary and its replicas);
     * a request reads from one of them (credit_copies_pick), chosen on its
     * first statement. */
    credit_copies_t *copies;
    int copy;       /* the copy of conn, or the one read from; -1: none yet */
    unsigned tried; /* copies this request found unreachable (bit i: copy i) */
    int have_read;  /* a statement has answered on `copy` */
    int lost;       /* the copy went away after answering: start the request again */
    credit_conn_t *conn;
    credit_dbpool_t *wpool; /* the insert-only user: submissions, case look-ups */
    credit_conn_t *wconn;
    credit_dbpool_t *apool; /* the staff writer (admin handler) */
    credit_conn_t *aconn;
    apr_pool_t *apool_scratch;
    credit_version_t version; /* read once per request */
    int have_version;
} maria_t;

static apr_status_t release_conn(void *data)
{
    maria_t *m = data;
    if (m->conn) {
        credit_db_release(credit_copies_pool(m->copies, m->copy), m->conn);
        m->conn = NULL;
    }
    if (m->wconn) {
        credit_db_release(m->wpool, m->wconn);
        m->wconn = NULL;
    }
    if (m->aconn) {
        /* A transaction left open by an error path is rolled back. */
        credit_rows_t *ignored;
        credit_db_query(m->aconn, m->apool_scratch, "ROLLBACK", NULL, 0, &ignored);
        credit_db_release(m->apool, m->aconn);
        m->aconn = NULL;
    }
    return APR_SUCCESS;
}

/* The request's read connection: of the copy it has read from, or of a
 * copy picked now. A copy that cannot be reached is marked down and
 * another one is taken, unless the request has read from a copy already
 * (its answers would come from two copies): then only the primary may take
 * over (it holds at least what any replica holds); otherwise m->lost tells
 * the caller to start the request again. */
static credit_status_t read_conn(credit_store_t *s)
{
    maria_t *m = s->impl;
    int guard;
    if (m->conn)
        return CREDIT_OK;
    if (!m->copies)
        return CREDIT_EUNAVAIL;
    for (guard = 0; guard <= CREDIT_COPIES_MAX; guard++) {
        credit_dbpool_t *pool;
        credit_status_t rv;
        int i, refused = 1;
        if (m->copy >= 0 && !(m->tried & (1u << m->copy))) {
            i = m->copy;
        } else {
            i = credit_copies_pick(m->copies, (long long)(apr_time_now() / 1000), m->tried);
            if (i < 0)
                return CREDIT_EUNAVAIL;
            if (m->have_read && i != 0) {
                m->lost = 1;
                return CREDIT_EUNAVAIL;
            }
        }
        pool = credit_copies_pool(m->copies, i);
        rv = pool ? credit_db_acquire_ex(pool, &m->conn, &refused) : CREDIT_EUNAVAIL;
        if (rv == CREDIT_OK) {
            m->copy = i;
            credit_copies_mark_up(m->copies, i);
            return CREDIT_OK;
        }
        if (!refused)
            return rv; /* the child's pool of that copy is exhausted: busy, not gone */
        credit_copies_mark_down(m->copies, i);
        m->tried |= 1u << i;
    }
    return CREDIT_EUNAVAIL;
}

/* Runs one statement on the request's connection. A connection found dead
 * is replaced: from the same copy when it answers again (a restarted
 * database heals without an httpd restart), else from another copy as
 * read_conn allows. */
static credit_status_t run(credit_store_t *s, const char *sql, const credit_param_t *params, int n,
                           credit_rows_t **out)
{
    maria_t *m = s->impl;
    credit_status_t rv = CREDIT_EUNAVAIL;
    int attempt;
    for (attempt = 0; attempt < 2 + CREDIT_COPIES_MAX; attempt++) {
        if ((rv = read_conn(s)) != CREDIT_OK)
            return rv;
        rv = credit_db_query(m->conn, s->pool, sql, params, n, out);
        if (rv != CREDIT_EUNAVAIL) {
            if (rv == CREDIT_OK)
                m->have_read = 1;
            return rv;
        }
        credit_maria_conn_lost(s); /* broken: closed, not pooled */
    }
    return rv;
}

credit_status_t credit_maria_read(credit_store_t *s, const char *sql, const credit_param_t *params,
                                  int n, credit_rows_t **out)
{
    return run(s, sql, params, n, out);
}

credit_status_t credit_maria_conn(credit_store_t *s, credit_conn_t **out)
{
    maria_t *m = s->impl;
    credit_status_t rv = read_conn(s);
    if (rv == CREDIT_OK) {
        *out = m->conn;
        /* The caller reads from it (a stream): it counts as read. */
        m->have_read = 1;
    }
    return rv;
}

void credit_maria_conn_lost(credit_store_t *s)
{
    maria_t *m = s->impl;
    if (m->conn) {
        credit_db_release(credit_copies_pool(m->copies, m->copy), m->conn);
        m->conn = NULL;
    }
}

int credit_store_maria_lost(const credit_store_t *s)
{
    const maria_t *m = s->impl;
    return m->lost;
}

/* Which copy answered this request's reads, and the state of each. */
static credit_status_t m_copies(credit_store_t *s, const char **answered, long long *lag_ms,
                                apr_array_header_t **all)
{
    maria_t *m = s->impl;
    long long now = (long long)(apr_time_now() / 1000), lag;
    int i, n = m->copies ? credit_copies_count(m->copies) : 0;
    *all = apr_array_make(s->pool, n, sizeof(credit_store_copy_t));
    *answered = NULL;
    *lag_ms = -1;
    for (i = 0; i < n; i++) {
        credit_store_copy_t *k = apr_array_push(*all);
        credit_copy_state_t st = credit_copies_state(m->copies, i, now, &lag);
        k->name = credit_copies_name(m->copies, i);
        k->role = i == 0 ? "primary" : "replica";
        k->state = credit_copy_state_name(st);
        k->lag_ms = lag;
        if (m->have_read && i == m->copy) {
            *answered = k->name;
            *lag_ms = lag;
        }
    }
    return CREDIT_OK;
}

void credit_maria_set_admin_pool(credit_store_t *s, credit_dbpool_t *pool)
{
    maria_t *m = s->impl;
    m->apool = pool;
    m->apool_scratch = s->pool;
}

void credit_maria_admin_log(credit_store_t *s, int level, const char *id, const char *msg)
{
    maria_t *m = s->impl;
    credit_db_pool_log(m->apool, level, id, msg);
}

credit_status_t credit_maria_admin(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **out)
{
    maria_t *m = s->impl;
    credit_rows_t *ignored;
    credit_status_t rv;
    if (!m->apool)
        return CREDIT_EUNAVAIL;
    if (!m->aconn && (rv = credit_db_acquire(m->apool, &m->aconn)) != CREDIT_OK)
        return rv;
    rv = credit_db_query(m->aconn, s->pool, sql, params, n, out ? out : &ignored);
    if (rv == CREDIT_EUNAVAIL) {
        credit_db_release(m->apool, m->aconn);
        m->aconn = NULL;
    }
    return rv;
}

static const char *today_str(credit_store_t *s)
{
    char buf[16];
    return apr_pstrdup(s->pool, credit_date_fmt(s->today, buf));
}

const char *credit_maria_today(credit_store_t *s)
{
    return today_str(s);
}

int credit_maria_date(const char *v, credit_date_t *d)
{
    if (v && credit_date_parse(v, d))
        return 1;
    d->y = d->m = d->d = 0;
    return 0;
}

unsigned long long credit_maria_ull(const char *v)
{
    return v ? strtoull(v, NULL, 10) : 0;
}

void credit_maria_subject(apr_pool_t *p, const credit_rows_t *rows, int i, credit_subject_t *sj)
{
    const char *v;
    sj->id = credit_maria_ull(credit_rows_get(rows, i, "subject_id"));
    sj->name = credit_rows_get(rows, i, "subject_name");
    sj->kind = credit_rows_get(rows, i, "subject_kind");
    sj->credit_code = credit_rows_get(rows, i, "credit_code");
    sj->district = credit_rows_get(rows, i, "district");
    sj->level = credit_rows_get(rows, i, "subject_level");
    sj->position = credit_rows_get(rows, i, "position");
    /* Masked again on the way out, whatever the column holds. */
    sj->id_masked = credit_mask_id(p, credit_rows_get(rows, i, "id_masked"));
    v = credit_rows_get(rows, i, "employer_id");
    sj->employer_id = credit_maria_ull(v);
    sj->employer_name = credit_rows_get(rows, i, "employer_name");
}

credit_record_t *credit_maria_record(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                     int i)
{
    credit_record_t *r = apr_pcalloc(p, sizeof *r);
#define COL(name) credit_rows_get(rows, i, name)
    r->id = credit_maria_ull(COL("id"));
    r->record_no = COL("record_no");
    r->category = COL("category");
    r->domain = COL("domain");
    r->severity = COL("severity");
    r->status = COL("status");
    r->title = COL("title");
    r->decision_no = COL("decision_no");
    r->authority = COL("authority");
    r->decided_on = COL("decided_on");
    credit_maria_date(COL("disclosed_on"), &r->clock.disclosed);
    credit_maria_date(COL("repair_from"), &r->clock.repair_from);
    credit_maria_date(COL("withdraw_on"), &r->clock.withdraw_on);
    r->withdrawn_on = COL("withdrawn_on");
    r->updated_at = COL("updated_at");
    r->amount = COL("amount");
    credit_maria_subject(p, rows, i, &r->subject);
    r->facts = COL("facts");
    r->legal_basis = COL("legal_basis");
    r->rectification = COL("rectification");
    r->rectify_due = COL("rectify_due");
    r->rectified = COL("rectified") && strcmp(COL("rectified"), "1") == 0;
    r->correction_note = COL("correction_note");
    r->department = COL("department");
#undef COL
    r->visibility = credit_visibility(r->status, &r->clock, s->today);
    return r;
}

static credit_record_t *record_from_row(credit_store_t *s, const credit_rows_t *rows, int i)
{
    return credit_maria_record(s, s->pool, rows, i);
}

/* The data version is read once per request: every answer of one request
 * describes the same version of the data. */
static credit_status_t m_version(credit_store_t *s, credit_version_t *out)
{
    maria_t *m = s->impl;
    credit_rows_t *rows;
    credit_status_t rv;
    if (!m->have_version) {
        rv = run(s, "SELECT version, changed_at FROM data_version WHERE id = 1", NULL, 0, &rows);
        if (rv != CREDIT_OK)
            return rv;
        if (rows->rows->nelts != 1)
            return CREDIT_EINTERNAL;
        m->version.data_version = credit_maria_ull(credit_rows_get(rows, 0, "version"));
        m->version.changed_at = credit_rows_get(rows, 0, "changed_at");
        m->have_version = 1;
    }
    *out = m->version;
    return CREDIT_OK;
}

static credit_status_t m_schema_version(credit_store_t *s, int *out)
{
    credit_rows_t *rows;
    credit_status_t rv =
        run(s, "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations", NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = atoi(credit_rows_get(rows, 0, "v"));
    return CREDIT_OK;
}

static credit_status_t m_calendar_end(credit_store_t *s, credit_date_t *out)
{
    credit_rows_t *rows;
    credit_status_t rv = run(s, "SELECT MAX(day) AS d FROM calendar_days", NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    credit_maria_date(credit_rows_get(rows, 0, "d"), out);
    return CREDIT_OK;
}

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
    const char *today = today_str(s);
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
    return run(s, sql, (const credit_param_t *)q->params->elts, q->params->nelts, rows);
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
    rv = run(s, sql, params, n, rows);
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
        const char *today = today_str(s);
        credit_param_t p[3] = {CREDIT_PSTR(today), CREDIT_PSTR(today),
                               CREDIT_PSTR(out->parsed.exact)};
        credit_rows_t *rows;
        credit_status_t rv =
            run(s, "SELECT 1 FROM records r WHERE" PUBLIC_SQL " AND r.decision_no = ? LIMIT 1", p,
                3, &rows);
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
    out->items = apr_array_make(s->pool, n, sizeof(credit_record_t *));
    if (n > f->limit)
        n = f->limit;
    for (i = 0; i < n; i++) {
        int row = backward ? n - 1 - i : i;
        *(credit_record_t **)apr_array_push(out->items) = record_from_row(s, rows, row);
    }
    if (backward) {
        out->has_prev = rows->rows->nelts > f->limit;
        out->has_next = 1;
    } else {
        out->has_next = rows->rows->nelts > f->limit;
        out->has_prev = f->has_cursor || f->page > 1;
    }
}

static credit_status_t m_list_records(credit_store_t *s, const credit_filter_t *f, int detail,
                                      credit_record_page_t *out)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    credit_mq_search_t sr;
    int backward;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_list_search(s, f, &sr, detail, out);
    if (!f->q) {
        int done = 0;
        if ((rv = credit_maria_list_narrow(s, f, detail, out, &done)) != CREDIT_OK || done)
            return rv;
    }
    credit_mq_frag(&q, detail ? RECORD_COLS RECORD_DETAIL_COLS " FROM records r" RECORD_JOINS
                              : RECORD_COLS " FROM records r" RECORD_SUBJECT_JOIN);
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_exact(&q, &sr);
    credit_mq_position(s, &q, &credit_mq_on_records, f, &backward);
    if ((rv = credit_mq_run(s, &q, &rows)) != CREDIT_OK)
        return rv;
    credit_mq_take_rows(s, f, rows, backward, out);
    return CREDIT_OK;
}

/* Streaming rows into records for each_record's callback. */
typedef struct {
    credit_store_t *s;
    credit_record_fn *fn;
    void *ctx;
} each_t;

static int each_row(void *ctx, apr_pool_t *rowpool, const char *const *names,
                    const char *const *values, int ncols)
{
    each_t *e = ctx;
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
    return e->fn(e->ctx, credit_maria_record(e->s, rowpool, &one, 0));
}

credit_status_t credit_mq_stream(credit_store_t *s, credit_mq_t *q, credit_record_fn *fn, void *ctx)
{
    each_t e = {s, fn, ctx};
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

/* Every public record matching f in the order of its sort (relevance reads
 * as newest), streamed: the caller's memory does not grow with the count. */
static credit_status_t m_each_record(credit_store_t *s, const credit_filter_t *f,
                                     credit_record_fn *fn, void *ctx)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_status_t rv;
    credit_mq_search_t sr;
    int desc = f->sort != CREDIT_SORT_OLDEST;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_each_search(s, f, &sr, fn, ctx);
    credit_mq_frag(&q, RECORD_COLS RECORD_DETAIL_COLS " FROM records r" RECORD_JOINS);
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_exact(&q, &sr);
    credit_mq_frag(&q, desc ? " ORDER BY r.disclosed_on DESC, r.id DESC"
                            : " ORDER BY r.disclosed_on, r.id");
    return credit_mq_stream(s, &q, fn, ctx);
}

static credit_status_t m_count_records(credit_store_t *s, const credit_filter_t *f, long long bound,
                                       long long *out, credit_total_rel_t *rel)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    credit_mq_search_t sr;

    if ((rv = credit_mq_plan(s, f, &sr)) != CREDIT_OK)
        return rv;
    if (sr.fulltext)
        return credit_maria_count_search(s, f, &sr, bound, out, rel);
    /* Counts stop after bound + 1 rows: exact up to the bound, "more than
     * bound" beyond it, at the cost of bound rows at most. */
    credit_mq_frag(&q, "SELECT COUNT(*) AS n FROM (SELECT 1 FROM records r");
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_exact(&q, &sr);
    credit_mq_frag(&q, " LIMIT ?) t");
    credit_mq_param(&q, CREDIT_PINT(bound + 1));
    if ((rv = credit_mq_gated(s, &q, &rows)) != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    *rel = *out <= bound ? CREDIT_TOTAL_EQ : CREDIT_TOTAL_GT;
    if (*out > bound)
        *out = bound;
    return CREDIT_OK;
}

/* The kept numbers of sql/011_counts.sql for today T in one statement (one
 * snapshot): every combination's number on as_of, the deltas between as_of
 * and T, and a row of the state alone (there may be no other row). */
#define TALLY_COMBO "district, subject_kind, category, domain, severity, status"
credit_status_t credit_maria_tally(credit_store_t *s, credit_tally_t *t)
{
    const char *today = today_str(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_rows_t *rows;
    credit_date_t as_of, keep_from;
    credit_status_t rv;
    int i, sign;
    rv = run(s,
             "SELECT 0 AS part, c.district, c.subject_kind, c.category, c.domain, c.severity,"
             " c.status, c.n, s.as_of, s.keep_from"
             " FROM record_counts_state s JOIN record_counts c WHERE s.id = 1"
             " UNION ALL SELECT 1, d.district, d.subject_kind, d.category, d.domain, d.severity,"
             " d.status, d.delta, s.as_of, s.keep_from"
             " FROM record_counts_state s JOIN record_count_deltas d"
             " ON d.day > LEAST(s.as_of, ?) AND d.day <= GREATEST(s.as_of, ?) WHERE s.id = 1"
             " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, 0, s.as_of, s.keep_from"
             " FROM record_counts_state s WHERE s.id = 1",
             p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || rows->ncols != 10 ||
        !credit_maria_date(APR_ARRAY_IDX(rows->rows, 0, const char **)[8], &as_of) ||
        !credit_maria_date(APR_ARRAY_IDX(rows->rows, 0, const char **)[9], &keep_from))
        return CREDIT_EINTERNAL;
    if (credit_date_cmp(s->today, keep_from) < 0)
        return CREDIT_ENOTFOUND;
    memset(t->n, 0, sizeof t->n);
    t->day = s->today;
    sign = credit_date_cmp(s->today, as_of) >= 0 ? 1 : -1;
    for (i = 0; i < rows->rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows->rows, i, const char **);
        long long n = r[7] ? atoll(r[7]) : 0;
        if (r[0][0] == '2')
            continue;
        if (credit_tally_add(t, r[1], r[2], r[3], r[4], r[5], r[6], r[0][0] == '1' ? sign * n : n))
            return CREDIT_EINTERNAL; /* a code the module does not know */
    }
    return CREDIT_OK;
}

/* One record in one statement: its row, the data version of the same
 * snapshot (the request's ETag then needs no statement of its own) and,
 * for pages that show it, its public timeline (events up to today, in
 * order): one result row per event, the record's columns repeated. */
#define RECORD_ONE_VERSION ", dv.version AS dv_version, dv.changed_at AS dv_changed_at"
#define RECORD_ONE_JOINS   RECORD_JOINS " JOIN data_version dv ON dv.id = 1"
#define RECORD_ONE_EVENTS                                                                          \
    ", ev.event AS ev_event, ev.occurred_on AS ev_on, ev.decision_no AS ev_decision_no,"           \
    " ev.note AS ev_note"

static credit_status_t m_get_record(credit_store_t *s, const char *no, credit_record_t **out,
                                    apr_array_header_t **events)
{
    maria_t *m = s->impl;
    credit_param_t with[2] = {CREDIT_PSTR(today_str(s)), CREDIT_PSTR(no)};
    credit_param_t without[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows;
    credit_record_t *r;
    credit_status_t rv;
    int i;

    if (events)
        rv = run(s,
                 RECORD_COLS RECORD_DETAIL_COLS RECORD_ONE_VERSION RECORD_ONE_EVENTS
                 " FROM records r" RECORD_ONE_JOINS
                 " LEFT JOIN record_events ev ON ev.record_id = r.id AND ev.occurred_on <= ?"
                 " WHERE r.record_no = ? ORDER BY ev.occurred_on, ev.id",
                 with, 2, &rows);
    else
        rv = run(s,
                 RECORD_COLS RECORD_DETAIL_COLS RECORD_ONE_VERSION
                 " FROM records r" RECORD_ONE_JOINS " WHERE r.record_no = ?",
                 without, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    if (!m->have_version) {
        m->version.data_version = credit_maria_ull(credit_rows_get(rows, 0, "dv_version"));
        m->version.changed_at = credit_rows_get(rows, 0, "dv_changed_at");
        m->have_version = 1;
    }
    r = record_from_row(s, rows, 0);
    *out = r;
    if (r->visibility == CREDIT_VIS_NOT_YET)
        return CREDIT_ENOTFOUND;
    if (!events)
        return CREDIT_OK;
    *events = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_event_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_event_t *e;
        if (!credit_rows_get(rows, i, "ev_event"))
            continue; /* no event yet: the one row is the record's */
        e = apr_array_push(*events);
        e->event = credit_rows_get(rows, i, "ev_event");
        e->occurred_on = credit_rows_get(rows, i, "ev_on");
        e->decision_no = credit_rows_get(rows, i, "ev_decision_no");
        e->note = credit_rows_get(rows, i, "ev_note");
    }
    return CREDIT_OK;
}

static credit_status_t m_get_subject(credit_store_t *s, unsigned long long id,
                                     credit_subject_t **out)
{
    credit_param_t p[1] = {CREDIT_PINT((long long)id)};
    credit_rows_t *rows;
    credit_subject_t *sj;
    credit_status_t rv =
        run(s,
            "SELECT s.id, s.name, s.kind, s.credit_code, s.district, s.level, s.position,"
            " s.id_masked, e.id AS employer_id, e.name AS employer_name"
            " FROM subjects s LEFT JOIN subjects e ON e.id = s.employer_id WHERE s.id = ?",
            p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    sj = apr_pcalloc(s->pool, sizeof *sj);
    sj->id = id;
    sj->name = credit_rows_get(rows, 0, "name");
    sj->kind = credit_rows_get(rows, 0, "kind");
    sj->credit_code = credit_rows_get(rows, 0, "credit_code");
    sj->district = credit_rows_get(rows, 0, "district");
    sj->level = credit_rows_get(rows, 0, "level");
    sj->position = credit_rows_get(rows, 0, "position");
    sj->id_masked = credit_mask_id(s->pool, credit_rows_get(rows, 0, "id_masked"));
    sj->employer_id = credit_maria_ull(credit_rows_get(rows, 0, "employer_id"));
    sj->employer_name = credit_rows_get(rows, 0, "employer_name");
    *out = sj;
    return CREDIT_OK;
}

static credit_status_t m_subject_records(credit_store_t *s, unsigned long long id, int limit,
                                         apr_array_header_t **out, long long *total)
{
    const char *today = today_str(s);
    credit_param_t p[4] = {CREDIT_PSTR(today), CREDIT_PSTR(today), CREDIT_PINT((long long)id),
                           CREDIT_PINT(limit)};
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    rv = run(s,
             RECORD_COLS RECORD_DETAIL_COLS " FROM records r" RECORD_JOINS " WHERE" PUBLIC_SQL
                                            " AND r.subject_id = ? ORDER BY r.disclosed_on DESC,"
                                            " r.id DESC LIMIT ?",
             p, 4, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_record_t *));
    for (i = 0; i < rows->rows->nelts; i++)
        *(credit_record_t **)apr_array_push(*out) = record_from_row(s, rows, i);
    rv = run(s, "SELECT COUNT(*) AS n FROM records r WHERE" PUBLIC_SQL " AND r.subject_id = ?", p,
             3, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *total = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

static credit_status_t m_count_subjects(credit_store_t *s, long long *out)
{
    const char *today = today_str(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_rows_t *rows;
    credit_status_t rv =
        credit_maria_gated(s,
                           "SELECT COUNT(DISTINCT r.subject_id) AS n FROM records r"
                           " WHERE" PUBLIC_SQL,
                           p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

static credit_status_t m_resolve_alias(credit_store_t *s, const char *old_no, const char **no)
{
    credit_param_t p[1] = {CREDIT_PSTR(old_no)};
    credit_rows_t *rows;
    credit_status_t rv = run(s,
                             "SELECT r.record_no FROM record_aliases a"
                             " JOIN records r ON r.id = a.record_id WHERE a.old_no = ?",
                             p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    *no = credit_rows_get(rows, 0, "record_no");
    return CREDIT_OK;
}

/* A BIGINT UNSIGNED column as 16 lowercase hex digits (NULL stays NULL). */
#define HEX64(col) "LPAD(LOWER(HEX(" col ")), 16, '0')"

static credit_status_t m_changes(credit_store_t *s, unsigned long long after_seq, int limit,
                                 apr_array_header_t **out)
{
    credit_param_t p[2] = {CREDIT_PINT((long long)after_seq), CREDIT_PINT(limit)};
    credit_rows_t *rows;
    int i;
    credit_status_t rv =
        run(s,
            "SELECT seq, op, reason, record_no, changed_at, tomb_state, tomb_on, records,"
            " IF(op = 'DEL', NULL, " HEX64("digest") ") AS digest, " HEX64(
                "checksum") " AS checksum"
                            " FROM record_changes WHERE seq > ? ORDER BY seq LIMIT ?",
            p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_change_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_change_t *c = apr_array_push(*out);
        const char *n = credit_rows_get(rows, i, "records");
        c->seq = credit_maria_ull(credit_rows_get(rows, i, "seq"));
        c->op = credit_rows_get(rows, i, "op");
        c->reason = credit_rows_get(rows, i, "reason");
        c->record_no = credit_rows_get(rows, i, "record_no");
        c->at = credit_rows_get(rows, i, "changed_at");
        c->digest = credit_rows_get(rows, i, "digest");
        c->tomb_state = credit_rows_get(rows, i, "tomb_state");
        c->tomb_on = credit_rows_get(rows, i, "tomb_on");
        c->records = n ? atoll(n) : -1;
        c->checksum = credit_rows_get(rows, i, "checksum");
    }
    return CREDIT_OK;
}

static credit_status_t feed_head_from(credit_rows_t *rows, credit_feed_head_t *out)
{
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    out->seq = credit_maria_ull(credit_rows_get(rows, 0, "seq"));
    out->records = atoll(credit_rows_get(rows, 0, "records"));
    out->checksum = credit_rows_get(rows, 0, "checksum");
    out->changed_at = credit_rows_get(rows, 0, "changed_at");
    return CREDIT_OK;
}

#define FEED_HEAD_SQL                                                                              \
    "SELECT seq, records, " HEX64("checksum") " AS checksum, changed_at FROM feed_state"           \
                                              " WHERE id = 1"

static credit_status_t m_feed_head(credit_store_t *s, credit_feed_head_t *out)
{
    credit_rows_t *rows;
    credit_status_t rv = run(s, FEED_HEAD_SQL, NULL, 0, &rows);
    return rv == CREDIT_OK ? feed_head_from(rows, out) : rv;
}

static credit_status_t m_feed_catch_up(credit_store_t *s)
{
    credit_rows_t *rows;
    return run(s, "CALL record_expiries()", NULL, 0, &rows);
}

/* The statements of a snapshot go to the one connection without the
 * retry of run(): a transaction does not survive a new connection. */
static credit_status_t snapshot_query(credit_store_t *s, const char *sql, credit_rows_t **rows)
{
    credit_conn_t *c;
    credit_status_t rv;
    if ((rv = credit_maria_conn(s, &c)) != CREDIT_OK)
        return rv;
    rv = credit_db_query(c, s->pool, sql, NULL, 0, rows);
    if (rv == CREDIT_EUNAVAIL)
        credit_maria_conn_lost(s);
    return rv;
}

static credit_status_t m_begin_snapshot(credit_store_t *s, credit_feed_head_t *head)
{
    credit_rows_t *rows;
    credit_status_t rv;
    if ((rv = snapshot_query(s, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                             &rows)) != CREDIT_OK ||
        (rv = snapshot_query(s, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", &rows)) !=
            CREDIT_OK ||
        (rv = snapshot_query(s, FEED_HEAD_SQL, &rows)) != CREDIT_OK)
        return rv;
    return feed_head_from(rows, head);
}

static credit_status_t m_end_snapshot(credit_store_t *s)
{
    credit_rows_t *rows;
    return snapshot_query(s, "COMMIT", &rows);
}

static credit_status_t m_changes_seq_before(credit_store_t *s, const char *at,
                                            unsigned long long *seq)
{
    credit_param_t p[1] = {CREDIT_PSTR(at)};
    credit_rows_t *rows;
    credit_status_t rv = run(s,
                             "SELECT COALESCE(MAX(seq), 0) AS seq FROM record_changes"
                             " WHERE changed_at < ?",
                             p, 1, &rows);
    if (rv == CREDIT_OK)
        *seq = credit_maria_ull(credit_rows_get(rows, 0, "seq"));
    return rv;
}

/* The counts per value of one enumeration, from the tally. */
static apr_array_header_t *tally_counts(credit_store_t *s, const credit_tally_t *t, const char *dim,
                                        const credit_enum_t *e, size_t n)
{
    apr_array_header_t *out = apr_array_make(s->pool, (int)n, sizeof(credit_count_t));
    credit_filter_t all = {0};
    size_t i;
    for (i = 0; i < n && i < e->n; i++) {
        long long v = credit_tally_total_by(t, &all, dim, e->items[i].code);
        if (v > 0) {
            credit_count_t *c = apr_array_push(out);
            c->key = e->items[i].code;
            c->n = v;
        }
    }
    return out;
}

/* The numbers per district, domain, category and severity come from the
 * tally (no counting); the months of disclosure are one GROUP BY over the
 * public records (the covering index serves it), which the pages cache. */
static credit_status_t m_stats(credit_store_t *s, credit_stats_t *out)
{
    const char *today = today_str(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_tally_t *t = apr_palloc(s->pool, sizeof *t);
    credit_filter_t all = {0};
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    if ((rv = credit_maria_tally(s, t)) != CREDIT_OK)
        return rv == CREDIT_ENOTFOUND ? CREDIT_EUNAVAIL : rv;
    out->total = credit_tally_total(t, &all);
    out->by_district = tally_counts(s, t, "district", &credit_districts, credit_districts.n);
    out->by_domain = tally_counts(s, t, "domain", &credit_domains, credit_domains.n);
    out->by_category = tally_counts(s, t, "category", &credit_categories, credit_categories.n);
    out->by_severity = tally_counts(s, t, "severity", &credit_severities, credit_severities.n);
    rv = credit_maria_gated(
        s,
        "SELECT DATE_FORMAT(r.disclosed_on, '%Y-%m') AS k, COUNT(*) AS n FROM records r"
        " WHERE" PUBLIC_SQL " GROUP BY k ORDER BY k",
        p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    out->by_month = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_count_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_count_t *c = apr_array_push(out->by_month);
        c->key = credit_rows_get(rows, i, "k");
        c->n = atoll(credit_rows_get(rows, i, "n"));
    }
    return CREDIT_OK;
}

/* Writes of citizens' submissions: one statement on the write connection. */
void credit_maria_note(credit_store_t *s, const char *id, const char *msg)
{
    credit_db_note(((maria_t *)s->impl)->wconn, id, msg);
}

credit_status_t credit_maria_write(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **out)
{
    maria_t *m = s->impl;
    credit_rows_t *ignored;
    credit_status_t rv;
    int attempt;
    if (!m->wpool)
        return CREDIT_EUNAVAIL;
    /* Every write statement stands alone (autocommit): one found on a dead
     * connection is sent again on a fresh one. An INSERT that did commit
     * before the connection died comes back as a duplicate idempotency key,
     * which the caller turns into the first receipt. */
    for (attempt = 0; attempt < 2; attempt++) {
        if (!m->wconn && (rv = credit_db_acquire(m->wpool, &m->wconn)) != CREDIT_OK)
            return rv;
        rv = credit_db_query(m->wconn, s->pool, sql, params, n, out ? out : &ignored);
        if (rv != CREDIT_EUNAVAIL)
            return rv;
        credit_db_release(m->wpool, m->wconn);
        m->wconn = NULL;
    }
    return rv;
}

static const credit_store_ops_t maria_ops = {
    .name = "mariadb",
    .version = m_version,
    .schema_version = m_schema_version,
    .calendar_end = m_calendar_end,
    .list_records = m_list_records,
    .count_records = m_count_records,
    .tally = credit_maria_tally,
    .get_record = m_get_record,
    .get_subject = m_get_subject,
    .subject_records = m_subject_records,
    .count_subjects = m_count_subjects,
    .each_record = m_each_record,
    .resolve_alias = m_resolve_alias,
    .changes = m_changes,
    .changes_seq_before = m_changes_seq_before,
    .feed_head = m_feed_head,
    .feed_catch_up = m_feed_catch_up,
    .begin_snapshot = m_begin_snapshot,
    .end_snapshot = m_end_snapshot,
    .stats = m_stats,
    .submit = credit_maria_submit,
    .lookup_case = credit_maria_lookup_case,
    .rating_years = credit_maria_rating_years,
    .ratings = credit_maria_ratings,
    .subject_ratings = credit_maria_subject_ratings,
    .commitments = credit_maria_commitments,
    .commitment_counts = credit_maria_commitment_counts,
    .complaint_stats = credit_maria_complaint_stats,
    .stamp = credit_maria_stamp,
    .copies = m_copies,
};

credit_store_t *credit_store_maria_open(apr_pool_t *p, struct credit_copies *copies,
                                        struct credit_dbpool *write_pool, credit_date_t today)
{
    credit_store_t *s = apr_pcalloc(p, sizeof *s);
    maria_t *m = apr_pcalloc(p, sizeof *m);
    m->copies = copies;
    m->copy = -1;
    m->wpool = write_pool;
    s->ops = &maria_ops;
    s->pool = p;
    s->today = today;
    s->impl = m;
    apr_pool_cleanup_register(p, m, release_conn, apr_pool_cleanup_null);
    return s;
}
