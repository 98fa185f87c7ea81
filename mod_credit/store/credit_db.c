/* credit_db.c: connection pool and prepared-statement runner (see
 * credit_db.h); a result's columns are read by credit_db_result.c. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <mysql.h>
#include <errmsg.h>
#include <apr_reslist.h>
#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "credit_db.h"
#include "credit_db_result.h"

struct credit_dbpool {
    apr_reslist_t *rl;
    /* Bumped whenever a connection is found lost: connections older than the
     * current generation are pinged before use, so after a database restart
     * the dead ones are weeded out at once instead of failing requests. */
    volatile apr_uint32_t generation;
    int max;
    credit_db_params_t db;
    credit_log_fn *log;
    void *baton;
};

/* A prepared statement of a connection, in its least-recently-used list.
 * Entries are malloc'd (a long-lived connection prepares and evicts many;
 * its pool would only grow). */
typedef struct stmt_entry {
    char *sql;
    MYSQL_STMT *st;
    struct stmt_entry *prev, *next; /* prev: more recently used */
} stmt_entry_t;

struct credit_conn {
    MYSQL *mysql;
    apr_pool_t *pool;  /* lives as long as the connection */
    apr_hash_t *stmts; /* sql text -> stmt_entry_t */
    stmt_entry_t *newest, *oldest;
    int nstmts;
    credit_dbpool_t *owner;
    apr_uint32_t generation; /* of the pool when last known alive */
    int broken;
    unsigned int last_errno; /* of the last statement that failed */
};

/* Statements a connection keeps prepared; the least recently used one is
 * closed beyond it, so the server's max_prepared_stmt_count (16382 for all
 * users together) is never reached however many different filters people
 * ask for: connections x CREDIT_STMT_CACHE at most. */
#define CREDIT_STMT_CACHE 32

static void dblog(credit_dbpool_t *pool, int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void dblog(credit_dbpool_t *pool, int level, const char *id, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (!pool || !pool->log)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pool->log(pool->baton, level, id, buf);
}

credit_status_t credit_db_library_init(void)
{
    return mysql_library_init(0, NULL, NULL) == 0 ? CREDIT_OK : CREDIT_EINTERNAL;
}

/* Unlinks e from the LRU list (it stays in the hash). */
static void lru_unlink(credit_conn_t *c, stmt_entry_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->newest = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->oldest = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(credit_conn_t *c, stmt_entry_t *e)
{
    e->next = c->newest;
    e->prev = NULL;
    if (c->newest)
        c->newest->prev = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

/* Closes the statement of e and forgets it. */
static void stmt_drop(credit_conn_t *c, stmt_entry_t *e)
{
    lru_unlink(c, e);
    apr_hash_set(c->stmts, e->sql, APR_HASH_KEY_STRING, NULL);
    mysql_stmt_close(e->st);
    free(e->sql);
    free(e);
    c->nstmts--;
}

/* A statement that failed is not used again: closed, and out of the
 * cache when it came from there (Connector/C keeps its error state). */
static void forget_statement(credit_conn_t *c, const char *sql, MYSQL_STMT *st)
{
    stmt_entry_t *e;
    if (!st)
        return;
    e = apr_hash_get(c->stmts, sql, APR_HASH_KEY_STRING);
    if (e && e->st == st)
        stmt_drop(c, e);
    else
        mysql_stmt_close(st);
}

static apr_status_t conn_close(void *data)
{
    credit_conn_t *c = data;
    while (c->newest)
        stmt_drop(c, c->newest);
    if (c->mysql) {
        mysql_close(c->mysql);
        c->mysql = NULL;
    }
    return APR_SUCCESS;
}

static apr_status_t conn_construct(void **res, void *params, apr_pool_t *p)
{
    credit_dbpool_t *pool = params;
    const credit_db_params_t *db = &pool->db;
    apr_pool_t *cp;
    credit_conn_t *c;
    unsigned int ct = db->connect_timeout ? db->connect_timeout : 1;
    unsigned int rt = db->rw_timeout ? db->rw_timeout : 10;
    my_bool off = 0;
    const char *host = db->host && *db->host ? db->host : NULL;

    if (apr_pool_create(&cp, p) != APR_SUCCESS)
        return APR_ENOMEM;
    c = apr_pcalloc(cp, sizeof *c);
    c->pool = cp;
    c->owner = pool;
    c->generation = apr_atomic_read32(&pool->generation);
    c->stmts = apr_hash_make(cp);
    c->mysql = mysql_init(NULL);
    if (!c->mysql) {
        apr_pool_destroy(cp);
        return APR_ENOMEM;
    }
    mysql_options(c->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
    mysql_options(c->mysql, MYSQL_OPT_READ_TIMEOUT, &rt);
    mysql_options(c->mysql, MYSQL_OPT_WRITE_TIMEOUT, &rt);
    mysql_options(c->mysql, MYSQL_OPT_RECONNECT, &off);
    mysql_options(c->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    /* A lock wait ends (error 1205) before the read timeout would drop the
     * connection: a write waiting for rows another transaction holds (a
     * bulk import) is told so, not "database unavailable". */
    mysql_options(c->mysql, MYSQL_INIT_COMMAND,
                  apr_psprintf(cp,
                               "SET time_zone = '+08:00', collation_connection = "
                               "'utf8mb4_unicode_ci', innodb_lock_wait_timeout = %u",
                               rt > 3 ? rt - 2 : 1));
    if (!mysql_real_connect(c->mysql, host, db->user, db->password, db->name, host ? db->port : 0,
                            host ? NULL : db->socket, 0)) {
        dblog(pool, 3, "CR0201", "cannot connect to MariaDB %s:%u as %s: %s",
              host ? host : (db->socket ? db->socket : "localhost"), db->port,
              db->user ? db->user : "?", mysql_error(c->mysql));
        mysql_close(c->mysql);
        apr_pool_destroy(cp);
        return APR_ECONNREFUSED;
    }
    apr_pool_cleanup_register(cp, c, conn_close, apr_pool_cleanup_null);
    dblog(pool, 7, "CR0202", "opened MariaDB connection %lu", mysql_thread_id(c->mysql));
    if (db->first_sql) {
        MYSQL_RES *r = NULL;
        if (mysql_real_query(c->mysql, db->first_sql, strlen(db->first_sql)) != 0 ||
            ((r = mysql_store_result(c->mysql)) == NULL && mysql_field_count(c->mysql) != 0))
            dblog(pool, 7, "CR0211", "connection %lu: its first statement failed: %s",
                  mysql_thread_id(c->mysql), mysql_error(c->mysql));
        if (r)
            mysql_free_result(r);
    }
    *res = c;
    return APR_SUCCESS;
}

static apr_status_t conn_destruct(void *res, void *params, apr_pool_t *p)
{
    credit_conn_t *c = res;
    (void)params;
    (void)p;
    apr_pool_destroy(c->pool); /* runs conn_close */
    return APR_SUCCESS;
}

credit_status_t credit_dbpool_create(apr_pool_t *p, const credit_db_params_t *db,
                                     const credit_pool_sizes_t *sizes, credit_log_fn *log,
                                     void *baton, credit_dbpool_t **out)
{
    credit_dbpool_t *pool;
    apr_pool_t *own;
    apr_status_t rv;
    /* The list's own pool (its connections' pools are made in it): the
     * list touches it under its lock only, while the other lists of the
     * child (the writer's, the staff's, the replicas') grow in theirs. */
    if (apr_pool_create(&own, p) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    pool = apr_pcalloc(own, sizeof *pool);
    pool->db = *db;
    pool->max = sizes->max;
    pool->log = log;
    pool->baton = baton;
    rv =
        apr_reslist_create(&pool->rl, sizes->min, sizes->smax, sizes->max,
                           apr_time_from_sec(sizes->ttl), conn_construct, conn_destruct, pool, own);
    if (rv != APR_SUCCESS && sizes->min > 0) {
        /* The database may be down at start-up: open connections on demand. */
        dblog(pool, 4, "CR0203", "could not open %d connections at start; opening on demand",
              sizes->min);
        rv =
            apr_reslist_create(&pool->rl, 0, sizes->smax, sizes->max, apr_time_from_sec(sizes->ttl),
                               conn_construct, conn_destruct, pool, own);
    }
    if (rv != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    apr_reslist_timeout_set(pool->rl, apr_time_from_msec(sizes->acquire_ms));
    apr_reslist_cleanup_order_set(pool->rl, APR_RESLIST_CLEANUP_FIRST);
    *out = pool;
    return CREDIT_OK;
}

credit_status_t credit_db_max_connections(const credit_db_params_t *db, long *out)
{
    MYSQL *m = mysql_init(NULL);
    MYSQL_RES *res;
    MYSQL_ROW row;
    unsigned int ct = db->connect_timeout ? db->connect_timeout : 1;
    const char *host = db->host && *db->host ? db->host : NULL;
    credit_status_t rv = CREDIT_EUNAVAIL;
    if (!m)
        return rv;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
    if (mysql_real_connect(m, host, db->user, db->password, db->name, host ? db->port : 0,
                           host ? NULL : db->socket, 0) &&
        mysql_query(m, "SELECT @@max_connections") == 0 && (res = mysql_store_result(m))) {
        if ((row = mysql_fetch_row(res)) && row[0]) {
            *out = atol(row[0]);
            rv = CREDIT_OK;
        }
        mysql_free_result(res);
    }
    mysql_close(m);
    return rv;
}

credit_status_t credit_db_acquire(credit_dbpool_t *pool, credit_conn_t **out)
{
    int refused;
    return credit_db_acquire_ex(pool, out, &refused);
}

credit_status_t credit_db_acquire_ex(credit_dbpool_t *pool, credit_conn_t **out, int *refused)
{
    int tries;
    *refused = 0;
    /* At most every pooled connection plus one fresh one. */
    for (tries = 0; tries <= pool->max; tries++) {
        void *res;
        credit_conn_t *c;
        apr_uint32_t gen = apr_atomic_read32(&pool->generation);
        apr_status_t rv = apr_reslist_acquire(pool->rl, &res);
        if (rv != APR_SUCCESS) {
            /* A timeout waits for the pool; anything else is the constructor's. */
            *refused = !APR_STATUS_IS_TIMEUP(rv);
            return CREDIT_EUNAVAIL;
        }
        c = res;
        c->broken = 0;
        if (c->generation == gen) {
            *out = c;
            return CREDIT_OK;
        }
        if (mysql_ping(c->mysql) == 0) {
            c->generation = gen;
            *out = c;
            return CREDIT_OK;
        }
        dblog(pool, 7, "CR0206", "dropped a pooled connection that died (%u)",
              mysql_errno(c->mysql));
        apr_reslist_invalidate(pool->rl, c);
    }
    *refused = 1;
    return CREDIT_EUNAVAIL;
}

void credit_db_release(credit_dbpool_t *pool, credit_conn_t *c)
{
    if (c->broken)
        apr_reslist_invalidate(pool->rl, c);
    else
        apr_reslist_release(pool->rl, c);
}

static int lost(unsigned int err)
{
    return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST || err == CR_CONNECTION_ERROR ||
           err == CR_CONN_HOST_ERROR || err == 1927 /* ER_CONNECTION_KILLED */ ||
           err == 1053 /* ER_SERVER_SHUTDOWN */;
}

/* Logs a failed statement, marks a lost connection broken and forgets a
 * statement that failed (it may be in an odd state). */
static credit_status_t stmt_fail(credit_conn_t *c, MYSQL_STMT *st, const char *sql)
{
    unsigned int err = st ? mysql_stmt_errno(st) : mysql_errno(c->mysql);
    const char *msg = st ? mysql_stmt_error(st) : mysql_error(c->mysql);
    if (err == 0 && st) {
        /* Connector/C leaves some errors of a streamed fetch (the server's
         * error packet in the middle of the rows) on the connection only. */
        err = mysql_errno(c->mysql);
        msg = mysql_error(c->mysql);
    }
    credit_status_t rv = CREDIT_EINTERNAL;
    c->last_errno = err;
    if (err == 1028 /* ER_FILSORT_ABORT: a sort stopped by LIMIT ROWS EXAMINED */) {
        /* An expected outcome of a bounded read (the caller asked for it). */
        dblog(c->owner, 7, "CR0210", "sort stopped at its row budget in [%.48s]", sql);
        forget_statement(c, sql, st);
        return CREDIT_EINTERNAL;
    }
    if (err == 1062 /* ER_DUP_ENTRY */) {
        /* An expected outcome (a resubmitted form), logged at debug only. The
         * statement is forgotten like any failed one: Connector/C keeps its
         * error state, and a later execution would report it again. */
        dblog(c->owner, 7, "CR0207", "duplicate key in [%.48s]", sql);
        rv = CREDIT_ECONFLICT;
    } else if (lost(err) || err == 0) {
        c->broken = 1;
        rv = CREDIT_EUNAVAIL;
        apr_atomic_inc32(&c->owner->generation);
    } else if (err == 1205 /* ER_LOCK_WAIT_TIMEOUT */ || err == 1213 /* ER_LOCK_DEADLOCK */) {
        /* Busy, not broken: send again later. The connection is closed, not
         * pooled: a lock wait timeout leaves its transaction open. */
        c->broken = 1;
        rv = CREDIT_EUNAVAIL;
    }
    if (rv != CREDIT_ECONFLICT)
        dblog(c->owner, rv == CREDIT_EUNAVAIL ? 4 : 3, "CR0204", "MariaDB error %u (%s) in [%.48s]",
              err, msg, sql);
    forget_statement(c, sql, st);
    return rv;
}

/* The prepared statement of sql on c: kept from an earlier use (and made
 * the most recently used), or prepared now, closing the least recently used
 * one when CREDIT_STMT_CACHE are kept. NULL when out of memory. */
static MYSQL_STMT *prepare(credit_conn_t *c, const char *sql)
{
    stmt_entry_t *e = apr_hash_get(c->stmts, sql, APR_HASH_KEY_STRING);
    MYSQL_STMT *st;
    my_bool on = 1;
    if (e) {
        lru_unlink(c, e);
        lru_front(c, e);
        return e->st;
    }
    while (c->nstmts >= CREDIT_STMT_CACHE && c->oldest)
        stmt_drop(c, c->oldest);
    st = mysql_stmt_init(c->mysql);
    if (!st)
        return NULL;
    e = calloc(1, sizeof *e);
    if (!e || !(e->sql = strdup(sql))) {
        free(e);
        mysql_stmt_close(st);
        return NULL;
    }
    e->st = st;
    apr_hash_set(c->stmts, e->sql, APR_HASH_KEY_STRING, e);
    lru_front(c, e);
    c->nstmts++;
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0)
        return st; /* the caller sees the error on st */
    mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
    return st;
}

/* Prepares (once per connection), binds and executes sql. Returns the
 * statement ready for its results, or an error as credit_db_query. */
static credit_status_t execute(credit_conn_t *c, apr_pool_t *p, const char *sql,
                               const credit_param_t *params, int nparams, MYSQL_STMT **out)
{
    MYSQL_STMT *st = prepare(c, sql);
    MYSQL_BIND *pb;
    int i;

    if (!st)
        return stmt_fail(c, NULL, sql);
    if (mysql_stmt_errno(st))
        return stmt_fail(c, st, sql);
    if ((int)mysql_stmt_param_count(st) != nparams) {
        dblog(c->owner, 3, "CR0205", "statement wants %lu parameters, %d given [%.48s]",
              mysql_stmt_param_count(st), nparams, sql);
        return CREDIT_EINTERNAL;
    }
    if (nparams) {
        pb = apr_pcalloc(p, sizeof *pb * nparams);
        for (i = 0; i < nparams; i++) {
            switch (params[i].type) {
            case CREDIT_P_STR:
                pb[i].buffer_type = params[i].s ? MYSQL_TYPE_STRING : MYSQL_TYPE_NULL;
                pb[i].buffer = (void *)params[i].s;
                pb[i].buffer_length = params[i].s ? strlen(params[i].s) : 0;
                break;
            case CREDIT_P_INT:
                pb[i].buffer_type = MYSQL_TYPE_LONGLONG;
                pb[i].buffer = (void *)&params[i].i;
                break;
            default:
                pb[i].buffer_type = MYSQL_TYPE_NULL;
            }
        }
        if (mysql_stmt_bind_param(st, pb))
            return stmt_fail(c, st, sql);
    }
    if (mysql_stmt_execute(st))
        return stmt_fail(c, st, sql);
    *out = st;
    return CREDIT_OK;
}

credit_status_t credit_db_query(credit_conn_t *c, apr_pool_t *p, const char *sql,
                                const credit_param_t *params, int nparams, credit_rows_t **out)
{
    MYSQL_STMT *st;
    MYSQL_RES *meta;
    credit_rows_t *rows = apr_pcalloc(p, sizeof *rows);
    credit_db_result_t res;
    credit_status_t rv;
    int rc;

    if ((rv = execute(c, p, sql, params, nparams, &st)) != CREDIT_OK)
        return rv;
    rows->affected = mysql_stmt_affected_rows(st);
    rows->insert_id = mysql_stmt_insert_id(st);
    rows->rows = apr_array_make(p, 0, sizeof(const char **));
    meta = mysql_stmt_result_metadata(st);
    if (!meta) {
        *out = rows;
        return CREDIT_OK;
    }
    if (mysql_stmt_store_result(st)) {
        mysql_free_result(meta);
        return stmt_fail(c, st, sql);
    }
    credit_db_result_bind(p, meta, 1, &res);
    mysql_free_result(meta);
    rows->ncols = res.ncols;
    rows->names = res.names;
    if (mysql_stmt_bind_result(st, res.bind))
        return stmt_fail(c, st, sql); /* closes st, and with it the result */
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED)
        *(const char ***)apr_array_push(rows->rows) = credit_db_result_row(st, p, &res);
    /* A fetch error is read before anything resets it (free_result does):
     * stmt_fail closes the statement, which frees its result too. */
    if (rc != MYSQL_NO_DATA)
        return stmt_fail(c, st, sql);
    mysql_stmt_free_result(st);
    rows->warnings = mysql_warning_count(c->mysql);
    *out = rows;
    return CREDIT_OK;
}

credit_status_t credit_db_each(credit_conn_t *c, apr_pool_t *p, const char *sql,
                               const credit_param_t *params, int nparams, credit_row_fn *fn,
                               void *ctx)
{
    MYSQL_STMT *st;
    MYSQL_RES *meta;
    apr_pool_t *rowpool;
    credit_db_result_t res;
    credit_status_t rv;
    int rc, stop = 0;

    if ((rv = execute(c, p, sql, params, nparams, &st)) != CREDIT_OK)
        return rv;
    meta = mysql_stmt_result_metadata(st);
    if (!meta)
        return CREDIT_OK;
    credit_db_result_bind(p, meta, 0, &res);
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(st, res.bind))
        return stmt_fail(c, st, sql); /* closes st, and with it the result */
    apr_pool_create(&rowpool, p);
    while (!stop && ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED)) {
        const char **row = credit_db_result_row(st, rowpool, &res);
        stop = fn(ctx, rowpool, res.names, row, res.ncols);
        apr_pool_clear(rowpool);
    }
    apr_pool_destroy(rowpool);
    if (stop) {
        /* Reset the statement: the rest of the result is discarded. */
        mysql_stmt_reset(st);
        return CREDIT_OK;
    }
    if (rc != MYSQL_NO_DATA) /* read the error first: free_result resets it */
        return stmt_fail(c, st, sql);
    mysql_stmt_free_result(st);
    return CREDIT_OK;
}

int credit_rows_col(const credit_rows_t *rows, const char *col)
{
    int i;
    for (i = 0; i < rows->ncols; i++)
        if (strcmp(rows->names[i], col) == 0)
            return i;
    return -1;
}

const char *credit_rows_get(const credit_rows_t *rows, int r, const char *col)
{
    int i = credit_rows_col(rows, col);
    if (i < 0 || r < 0 || r >= rows->rows->nelts)
        return NULL;
    return APR_ARRAY_IDX(rows->rows, r, const char **)[i];
}

struct credit_db_probe {
    credit_db_params_t db;
    MYSQL *mysql;
    char err[256];
};

static apr_status_t probe_cleanup(void *data)
{
    credit_db_probe_close(data);
    return APR_SUCCESS;
}

credit_db_probe_t *credit_db_probe_create(apr_pool_t *p, const credit_db_params_t *db)
{
    credit_db_probe_t *pr = apr_pcalloc(p, sizeof *pr);
    pr->db = *db;
    apr_pool_cleanup_register(p, pr, probe_cleanup, apr_pool_cleanup_null);
    return pr;
}

void credit_db_probe_close(credit_db_probe_t *pr)
{
    if (pr->mysql) {
        mysql_close(pr->mysql);
        pr->mysql = NULL;
    }
}

/* Copies the connection's error into the probe, closes it, returns EUNAVAIL. */
static credit_status_t probe_fail(credit_db_probe_t *pr, const char **err)
{
    snprintf(pr->err, sizeof pr->err, "%u %s", mysql_errno(pr->mysql), mysql_error(pr->mysql));
    credit_db_probe_close(pr);
    *err = pr->err;
    return CREDIT_EUNAVAIL;
}

credit_status_t credit_db_probe_value(credit_db_probe_t *pr, const char *sql, char *buf,
                                      size_t size, const char **err)
{
    const credit_db_params_t *db = &pr->db;
    const char *host = db->host && *db->host ? db->host : NULL;
    unsigned int ct = db->connect_timeout ? db->connect_timeout : 1, rt = 2;
    my_bool off = 0;
    MYSQL_RES *res;
    MYSQL_ROW row;
    *err = "";
    if (!pr->mysql) {
        if (!(pr->mysql = mysql_init(NULL))) {
            *err = "out of memory";
            return CREDIT_EUNAVAIL;
        }
        /* A check must not hang on a server that stopped answering. */
        mysql_options(pr->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
        mysql_options(pr->mysql, MYSQL_OPT_READ_TIMEOUT, &rt);
        mysql_options(pr->mysql, MYSQL_OPT_WRITE_TIMEOUT, &rt);
        mysql_options(pr->mysql, MYSQL_OPT_RECONNECT, &off);
        if (!mysql_real_connect(pr->mysql, host, db->user, db->password, db->name,
                                host ? db->port : 0, host ? NULL : db->socket, 0))
            return probe_fail(pr, err);
    }
    if (mysql_query(pr->mysql, sql) != 0 || !(res = mysql_store_result(pr->mysql)))
        return probe_fail(pr, err);
    row = mysql_fetch_row(res);
    if (!row || mysql_num_fields(res) < 1) {
        mysql_free_result(res);
        *err = "no row";
        credit_db_probe_close(pr);
        return CREDIT_EUNAVAIL;
    }
    snprintf(buf, size, "%s", row[0] ? row[0] : "");
    mysql_free_result(res);
    return CREDIT_OK;
}

unsigned int credit_db_last_errno(const credit_conn_t *c)
{
    return c ? c->last_errno : 0;
}

void credit_db_note(credit_conn_t *c, const char *id, const char *msg)
{
    if (c)
        dblog(c->owner, 3, id, "%s", msg);
}

void credit_db_pool_log(credit_dbpool_t *pool, int level, const char *id, const char *msg)
{
    dblog(pool, level, id, "%s", msg);
}
