/* credit_store_maria.c: the store on MariaDB: the request's connections
 * (which copy it reads from, the insert-only and staff writers), the data
 * version, and the ops table. The ops themselves are in
 * credit_store_maria_records.c (records and subjects),
 * credit_store_maria_feed.c (the change feed and snapshots),
 * credit_store_maria_stats.c (tally and statistics), credit_store_maria_bodies.c,
 * credit_store_maria_cases.c, credit_store_maria_narrow.c and
 * credit_store_maria_search.c; statements are put together by
 * credit_store_maria_query.c and rows read by credit_store_maria_rows.c.
 * Prepared statements only: every value a person typed travels as a bound
 * parameter. */
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
#include "credit_store_staff.h"

/* Mroonga's record_search takes no part in transactions: a rolled-back
 * write leaves it as the write made it. The triggers note each record they
 * write there (sql/022); a ROLLBACK puts the noted rows back as InnoDB kept
 * them (record_search_mend, which forgets them), a COMMIT forgets them. */
/* ROLLBACK on the staff writer's connection, then the engine's rows the
 * transaction wrote put back; *mended = 0 when that failed. */
static credit_status_t roll_back(credit_conn_t *c, apr_pool_t *pool, int *mended)
{
    credit_rows_t *ignored;
    credit_status_t rv = credit_db_query(c, pool, "ROLLBACK", NULL, 0, &ignored);
    *mended = rv == CREDIT_OK &&
              credit_db_query(c, pool, "CALL record_search_mend()", NULL, 0, &ignored) == CREDIT_OK;
    return rv;
}

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
    int snapshot; /* a read-only transaction is open on conn (credit_maria_snapshot) */
} maria_t;

static apr_status_t release_conn(void *data)
{
    maria_t *m = data;
    if (m->conn) {
        if (m->snapshot) {
            /* An error path left the snapshot open: the next request on
             * this connection would read the data of this one's start. */
            credit_rows_t *ignored;
            credit_db_query(m->conn, m->apool_scratch, "ROLLBACK", NULL, 0, &ignored);
            m->snapshot = 0;
        }
        credit_db_release(credit_copies_pool(m->copies, m->copy), m->conn);
        m->conn = NULL;
    }
    if (m->wconn) {
        credit_db_release(m->wpool, m->wconn);
        m->wconn = NULL;
    }
    if (m->aconn) {
        /* A transaction left open by an error path is rolled back. */
        int mended;
        roll_back(m->aconn, m->apool_scratch, &mended);
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

/* The statements of a snapshot go to the one connection without the
 * retry of credit_maria_read: a transaction does not survive a new connection. */
credit_status_t credit_maria_snapshot_query(credit_store_t *s, const char *sql,
                                            const credit_param_t *params, int n,
                                            credit_rows_t **rows)
{
    credit_conn_t *c;
    credit_status_t rv;
    if ((rv = credit_maria_conn(s, &c)) != CREDIT_OK)
        return rv;
    rv = credit_db_query(c, s->pool, sql, params, n, rows);
    if (rv == CREDIT_EUNAVAIL)
        credit_maria_conn_lost(s);
    return rv;
}

credit_status_t credit_maria_snapshot(credit_store_t *s, int *opened)
{
    maria_t *m = s->impl;
    credit_rows_t *rows;
    credit_status_t rv;
    *opened = 0;
    if (m->snapshot)
        return CREDIT_OK;
    if ((rv = credit_maria_snapshot_query(s,
                                          "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                                          NULL, 0, &rows)) != CREDIT_OK ||
        (rv =
             credit_maria_snapshot_query(s, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
                                         NULL, 0, &rows)) != CREDIT_OK)
        return rv;
    m->snapshot = *opened = 1;
    return CREDIT_OK;
}

credit_status_t credit_maria_end_snapshot(credit_store_t *s)
{
    maria_t *m = s->impl;
    credit_rows_t *rows;
    m->snapshot = 0;
    return credit_maria_snapshot_query(s, "COMMIT", NULL, 0, &rows);
}

void credit_maria_conn_lost(credit_store_t *s)
{
    maria_t *m = s->impl;
    m->snapshot = 0; /* (a closed connection's transaction ends with it) */
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
    if (strcmp(sql, "ROLLBACK") == 0) {
        int mended;
        if ((rv = roll_back(m->aconn, s->pool, &mended)) == CREDIT_OK && !mended)
            credit_maria_note(
                s, "CR0911",
                "the search rows of a rolled-back write stayed (make reindex mends them)");
    } else {
        rv = credit_db_query(m->aconn, s->pool, sql, params, n, out ? out : &ignored);
        if (rv == CREDIT_OK && strcmp(sql, "COMMIT") == 0)
            /* What was written stays: nothing for a later ROLLBACK to mend
             * (the one that ends every request would put the rows again). */
            rv =
                credit_db_query(m->aconn, s->pool, "SET @credit_touched = NULL", NULL, 0, &ignored);
    }
    if (rv == CREDIT_EUNAVAIL) {
        credit_db_release(m->apool, m->aconn);
        m->aconn = NULL;
    }
    return rv;
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

void credit_maria_adopt_version(credit_store_t *s, unsigned long long data_version,
                                const char *changed_at)
{
    maria_t *m = s->impl;
    if (!m->have_version) {
        m->version.data_version = data_version;
        m->version.changed_at = changed_at;
        m->have_version = 1;
    }
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
    .list_records = credit_maria_list_records,
    .count_records = credit_maria_count_records,
    .tally = credit_maria_tally,
    .get_record = credit_maria_get_record,
    .get_subject = credit_maria_get_subject,
    .subject_records = credit_maria_subject_records,
    .count_subjects = credit_maria_count_subjects,
    .each_record = credit_maria_each_record,
    .resolve_alias = credit_maria_resolve_alias,
    .changes = credit_maria_changes,
    .changes_seq_before = credit_maria_changes_seq_before,
    .feed_head = credit_maria_feed_head,
    .feed_catch_up = credit_maria_feed_catch_up,
    .begin_snapshot = credit_maria_begin_snapshot,
    .end_snapshot = credit_maria_end_snapshot,
    .stats = credit_maria_stats,
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

/* The staff's reads and writes (credit_store_admin*.c), on the staff
 * writer's connection (credit_maria_admin). */
static const credit_store_admin_ops_t maria_admin_ops = {
    .staff = credit_admin_staff,
    .record_event = credit_admin_record_event,
    .case_transition = credit_admin_case_transition,
    .case_assign = credit_admin_case_assign,
    .audit = credit_admin_audit,
    .db_alive = credit_admin_db_alive,
    .departments = credit_admin_departments,
    .calendar = credit_admin_calendar,
    .queue = credit_admin_queue,
    .queue_counts = credit_admin_queue_counts,
    .case_get = credit_admin_case_get,
    .record_create = credit_admin_record_create,
    .record_update = credit_admin_record_update,
    .record_get = credit_admin_record_get,
    .record_import = credit_admin_record_import,
    .rating_read = credit_admin_rating_read,
    .rating_upsert = credit_admin_rating_upsert,
    .commitment_read = credit_admin_commitment_read,
    .commitment_create = credit_admin_commitment_create,
    .commitment_update = credit_admin_commitment_update,
    .public_audit = credit_admin_public_audit,
};

credit_store_t *credit_store_maria_open(const credit_store_open_t *o)
{
    apr_pool_t *p = o->pool;
    credit_store_t *s = apr_pcalloc(p, sizeof *s);
    maria_t *m = apr_pcalloc(p, sizeof *m);
    m->copies = o->copies;
    m->copy = -1;
    m->wpool = o->write_pool;
    m->apool = o->admin_pool;
    m->apool_scratch = p;
    credit_store_init(s, o);
    s->ops = &maria_ops;
    s->admin = &maria_admin_ops;
    s->impl = m;
    apr_pool_cleanup_register(p, m, release_conn, apr_pool_cleanup_null);
    return s;
}
