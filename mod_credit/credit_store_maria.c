/* credit_store_maria.c: the store on MariaDB. Prepared statements only:
 * SQL text is assembled from the constant fragments below, and every value
 * a person typed travels as a bound parameter. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_store.h"
#include "credit_db.h"
#include "credit_model.h"
#include "credit_validate.h"

typedef struct {
    credit_dbpool_t *pool;
    credit_conn_t *conn;
} maria_t;

/* The withdrawal rule (SPEC 3) as SQL; parameters: today, today.
 * credit_visibility() in credit_rules.c is the same rule for one record. */
#define PUBLIC_SQL                                                                                 \
    " r.status IN ('published','contested','corrected')"                                           \
    " AND r.disclosed_on <= ? AND r.withdraw_on > ?"

#define RECORD_COLS                                                                                \
    "SELECT r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title,"               \
    " r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.repair_from, r.withdraw_on,"     \
    " r.withdrawn_on, r.updated_at, r.amount, r.district AS district,"                             \
    " s.id AS subject_id, s.name AS subject_name, s.kind AS subject_kind,"                         \
    " s.credit_code, s.level AS subject_level, s.position, s.id_masked"

#define RECORD_DETAIL_COLS                                                                         \
    ", r.facts, r.legal_basis, r.rectification, r.rectify_due, r.rectified, r.correction_note,"    \
    " d.name AS department, e.id AS employer_id, e.name AS employer_name"

#define RECORD_JOINS                                                                               \
    " JOIN subjects s ON s.id = r.subject_id JOIN departments d ON d.id = r.department_id"          \
    " LEFT JOIN subjects e ON e.id = s.employer_id"

static apr_status_t release_conn(void *data)
{
    maria_t *m = data;
    if (m->conn) {
        credit_db_release(m->pool, m->conn);
        m->conn = NULL;
    }
    return APR_SUCCESS;
}

/* Runs one statement on the request's connection; a connection found dead
 * is replaced once, so a restarted database heals without an httpd restart. */
static credit_status_t run(credit_store_t *s, const char *sql, const credit_param_t *params, int n,
                           credit_rows_t **out)
{
    maria_t *m = s->impl;
    credit_status_t rv;
    int attempt;
    for (attempt = 0; attempt < 2; attempt++) {
        if (!m->conn) {
            rv = credit_db_acquire(m->pool, &m->conn);
            if (rv != CREDIT_OK)
                return rv;
        }
        rv = credit_db_query(m->conn, s->pool, sql, params, n, out);
        if (rv != CREDIT_EUNAVAIL)
            return rv;
        credit_db_release(m->pool, m->conn); /* broken: closed, not pooled */
        m->conn = NULL;
    }
    return rv;
}

static const char *today_str(credit_store_t *s)
{
    char buf[16];
    return apr_pstrdup(s->pool, credit_date_fmt(s->today, buf));
}

static int parse_date(const char *v, credit_date_t *d)
{
    if (v && credit_date_parse(v, d))
        return 1;
    d->y = d->m = d->d = 0;
    return 0;
}

static unsigned long long ull(const char *v)
{
    return v ? strtoull(v, NULL, 10) : 0;
}

static credit_record_t *record_from_row(credit_store_t *s, const credit_rows_t *rows, int i)
{
    credit_record_t *r = apr_pcalloc(s->pool, sizeof *r);
#define COL(name) credit_rows_get(rows, i, name)
    r->id = ull(COL("id"));
    r->record_no = COL("record_no");
    r->category = COL("category");
    r->domain = COL("domain");
    r->severity = COL("severity");
    r->status = COL("status");
    r->title = COL("title");
    r->decision_no = COL("decision_no");
    r->authority = COL("authority");
    r->decided_on = COL("decided_on");
    parse_date(COL("disclosed_on"), &r->clock.disclosed);
    parse_date(COL("repair_from"), &r->clock.repair_from);
    parse_date(COL("withdraw_on"), &r->clock.withdraw_on);
    r->withdrawn_on = COL("withdrawn_on");
    r->updated_at = COL("updated_at");
    r->amount = COL("amount");
    r->subject.id = ull(COL("subject_id"));
    r->subject.name = COL("subject_name");
    r->subject.kind = COL("subject_kind");
    r->subject.credit_code = COL("credit_code");
    r->subject.district = COL("district");
    r->subject.level = COL("subject_level");
    r->subject.position = COL("position");
    r->subject.id_masked = credit_mask_id(s->pool, COL("id_masked"));
    r->facts = COL("facts");
    r->legal_basis = COL("legal_basis");
    r->rectification = COL("rectification");
    r->rectify_due = COL("rectify_due");
    r->rectified = COL("rectified") && strcmp(COL("rectified"), "1") == 0;
    r->correction_note = COL("correction_note");
    r->department = COL("department");
    r->subject.employer_id = ull(COL("employer_id"));
    r->subject.employer_name = COL("employer_name");
#undef COL
    r->visibility = credit_visibility(r->status, &r->clock, s->today);
    return r;
}

static credit_status_t m_version(credit_store_t *s, credit_version_t *out)
{
    credit_rows_t *rows;
    credit_status_t rv =
        run(s, "SELECT version, changed_at FROM data_version WHERE id = 1", NULL, 0, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts != 1)
        return CREDIT_EINTERNAL;
    out->data_version = ull(credit_rows_get(rows, 0, "version"));
    out->changed_at = credit_rows_get(rows, 0, "changed_at");
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

/* WHERE clause of a filter: constant fragments into sql, values into params. */
typedef struct {
    apr_array_header_t *sql;    /* const char * fragments */
    apr_array_header_t *params; /* credit_param_t */
} query_t;

static void frag(query_t *q, const char *s)
{
    *(const char **)apr_array_push(q->sql) = s;
}

static void param(query_t *q, credit_param_t p)
{
    *(credit_param_t *)apr_array_push(q->params) = p;
}

/* Escapes LIKE's own metacharacters so a search is always a plain search. */
static const char *like_escape(apr_pool_t *p, const char *v)
{
    char *out = apr_palloc(p, strlen(v) * 2 + 1), *o = out;
    for (; *v; v++) {
        if (*v == '%' || *v == '_' || *v == '\\')
            *o++ = '\\';
        *o++ = *v;
    }
    *o = '\0';
    return out;
}

static void where(credit_store_t *s, query_t *q, const credit_filter_t *f)
{
    static const struct {
        size_t off;
        const char *sql;
    } eq[] = {
        {offsetof(credit_filter_t, district), " AND r.district = ?"},
        {offsetof(credit_filter_t, kind), " AND r.subject_kind = ?"},
        {offsetof(credit_filter_t, category), " AND r.category = ?"},
        {offsetof(credit_filter_t, domain), " AND r.domain = ?"},
        {offsetof(credit_filter_t, severity), " AND r.severity = ?"},
        {offsetof(credit_filter_t, status), " AND r.status = ?"},
    };
    const char *today = today_str(s);
    size_t i;
    char buf[16];

    frag(q, " WHERE" PUBLIC_SQL);
    param(q, CREDIT_PSTR(today));
    param(q, CREDIT_PSTR(today));
    for (i = 0; i < sizeof eq / sizeof eq[0]; i++) {
        const char *v = *(const char *const *)((const char *)f + eq[i].off);
        if (v) {
            frag(q, eq[i].sql);
            param(q, CREDIT_PSTR(v));
        }
    }
    if (f->from.y) {
        frag(q, " AND r.disclosed_on >= ?");
        param(q, CREDIT_PSTR(apr_pstrdup(s->pool, credit_date_fmt(f->from, buf))));
    }
    if (f->to.y) {
        frag(q, " AND r.disclosed_on <= ?");
        param(q, CREDIT_PSTR(apr_pstrdup(s->pool, credit_date_fmt(f->to, buf))));
    }
    if (f->q) {
        /* Interim plain substring search over the title and decision number;
         * issue 2/4 replaces it with the Mroonga full-text path. */
        const char *like = apr_pstrcat(s->pool, "%", like_escape(s->pool, f->q), "%", NULL);
        frag(q, " AND (r.title LIKE ? OR r.decision_no LIKE ?)");
        param(q, CREDIT_PSTR(like));
        param(q, CREDIT_PSTR(like));
    }
}

static query_t query_new(apr_pool_t *p)
{
    query_t q;
    q.sql = apr_array_make(p, 16, sizeof(const char *));
    q.params = apr_array_make(p, 16, sizeof(credit_param_t));
    return q;
}

static credit_status_t query_run(credit_store_t *s, query_t *q, credit_rows_t **rows)
{
    const char *sql = apr_array_pstrcat(s->pool, q->sql, 0);
    return run(s, sql, (const credit_param_t *)q->params->elts, q->params->nelts, rows);
}

static credit_status_t m_list_records(credit_store_t *s, const credit_filter_t *f,
                                      credit_record_page_t *out)
{
    query_t q = query_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    int desc = f->sort != CREDIT_SORT_OLDEST;
    int backward = f->has_cursor && f->cursor.backward;
    /* Walking backward reverses the order; the rows are flipped back below. */
    int scan_desc = backward ? !desc : desc;
    int i, n;
    char buf[16];

    frag(&q, RECORD_COLS RECORD_DETAIL_COLS " FROM records r" RECORD_JOINS);
    where(s, &q, f);
    if (f->has_cursor) {
        const char *d = apr_pstrdup(s->pool, credit_date_fmt(f->cursor.date, buf));
        frag(&q, scan_desc ? " AND r.disclosed_on <= ? AND (r.disclosed_on < ? OR r.id < ?)"
                           : " AND r.disclosed_on >= ? AND (r.disclosed_on > ? OR r.id > ?)");
        param(&q, CREDIT_PSTR(d));
        param(&q, CREDIT_PSTR(d));
        param(&q, CREDIT_PINT((long long)f->cursor.id));
    }
    frag(&q, scan_desc ? " ORDER BY r.disclosed_on DESC, r.id DESC LIMIT ?"
                       : " ORDER BY r.disclosed_on ASC, r.id ASC LIMIT ?");
    param(&q, CREDIT_PINT(f->limit + 1));
    rv = query_run(s, &q, &rows);
    if (rv != CREDIT_OK)
        return rv;
    n = rows->rows->nelts;
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
        out->has_prev = f->has_cursor;
    }
    return CREDIT_OK;
}

static credit_status_t m_count_records(credit_store_t *s, const credit_filter_t *f, long long *out)
{
    query_t q = query_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    frag(&q, "SELECT COUNT(*) AS n FROM records r");
    where(s, &q, f);
    rv = query_run(s, &q, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

static credit_status_t m_get_record(credit_store_t *s, const char *no, credit_record_t **out,
                                    apr_array_header_t **events)
{
    credit_param_t p[1] = {CREDIT_PSTR(no)};
    credit_rows_t *rows, *ev;
    credit_record_t *r;
    credit_status_t rv;
    int i;

    rv = run(s,
             RECORD_COLS RECORD_DETAIL_COLS " FROM records r" RECORD_JOINS " WHERE r.record_no = ?",
             p, 1, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0)
        return CREDIT_ENOTFOUND;
    r = record_from_row(s, rows, 0);
    *out = r;
    if (r->visibility == CREDIT_VIS_NOT_YET)
        return CREDIT_ENOTFOUND;
    if (!events)
        return CREDIT_OK;
    {
        credit_param_t ep[2] = {CREDIT_PINT((long long)r->id), CREDIT_PSTR(today_str(s))};
        rv = run(s,
                 "SELECT event, occurred_on, decision_no, note FROM record_events"
                 " WHERE record_id = ? AND occurred_on <= ? ORDER BY occurred_on, id",
                 ep, 2, &ev);
    }
    if (rv != CREDIT_OK)
        return rv;
    *events = apr_array_make(s->pool, ev->rows->nelts, sizeof(credit_event_t));
    for (i = 0; i < ev->rows->nelts; i++) {
        credit_event_t *e = apr_array_push(*events);
        e->event = credit_rows_get(ev, i, "event");
        e->occurred_on = credit_rows_get(ev, i, "occurred_on");
        e->decision_no = credit_rows_get(ev, i, "decision_no");
        e->note = credit_rows_get(ev, i, "note");
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
    sj->employer_id = ull(credit_rows_get(rows, 0, "employer_id"));
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
             RECORD_COLS " FROM records r JOIN subjects s ON s.id = r.subject_id WHERE" PUBLIC_SQL
                         " AND r.subject_id = ? ORDER BY r.disclosed_on DESC, r.id DESC LIMIT ?",
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
    credit_status_t rv = run(s,
                             "SELECT COUNT(DISTINCT r.subject_id) AS n FROM records r"
                             " WHERE" PUBLIC_SQL,
                             p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    *out = atoll(credit_rows_get(rows, 0, "n"));
    return CREDIT_OK;
}

static const credit_store_ops_t maria_ops = {
    "mariadb",    m_version,     m_schema_version,  m_list_records,   m_count_records,
    m_get_record, m_get_subject, m_subject_records, m_count_subjects,
};

credit_store_t *credit_store_maria_open(apr_pool_t *p, struct credit_dbpool *pool,
                                        credit_date_t today)
{
    credit_store_t *s = apr_pcalloc(p, sizeof *s);
    maria_t *m = apr_pcalloc(p, sizeof *m);
    m->pool = pool;
    s->ops = &maria_ops;
    s->pool = p;
    s->today = today;
    s->impl = m;
    apr_pool_cleanup_register(p, m, release_conn, apr_pool_cleanup_null);
    return s;
}
