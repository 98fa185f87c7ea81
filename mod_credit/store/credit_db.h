/* credit_db.h: a per-child pool of MariaDB connections (apr_reslist) and a
 * runner for prepared statements whose results come back as strings.
 * Statements are prepared once per connection and reused. */
#ifndef CREDIT_DB_H
#define CREDIT_DB_H

#include "credit.h"
#include "credit_dsn.h" /* credit_db_params_t */

typedef struct {
    int min, smax, max; /* apr_reslist sizes */
    int ttl;            /* seconds an idle connection above smax may live */
    int acquire_ms;     /* how long a request waits for a free connection */
} credit_pool_sizes_t;

typedef struct credit_dbpool credit_dbpool_t;
typedef struct credit_conn credit_conn_t;

/* Calls mysql_library_init; once per process, before threads start.
 * Returns CREDIT_EINTERNAL when the library cannot start. */
credit_status_t credit_db_library_init(void);

/* Creates the pool in p (destroyed with p). Connections are opened on demand,
 * so a database that is down at start-up is not an error.
 * Returns CREDIT_EINTERNAL when the reslist cannot be created. */
credit_status_t credit_dbpool_create(apr_pool_t *p, const credit_db_params_t *db,
                                     const credit_pool_sizes_t *sizes, credit_log_fn *log,
                                     void *baton, credit_dbpool_t **out);

/* MariaDB's max_connections, read over one connection opened and closed
 * here (the parent process checks the pools' sizes against it). Returns
 * CREDIT_OK, or CREDIT_EUNAVAIL when the database cannot be reached. */
credit_status_t credit_db_max_connections(const credit_db_params_t *db, long *out);

/* Takes a live connection. Returns CREDIT_EUNAVAIL when none can be opened
 * (database down, or the pool exhausted for longer than acquire_ms). */
credit_status_t credit_db_acquire(credit_dbpool_t *pool, credit_conn_t **out);

/* The same; *refused is set to 1 when the failure was the server refusing
 * or not answering a new connection (it is down), 0 otherwise (the pool
 * exhausted: the server is busy, not gone). */
credit_status_t credit_db_acquire_ex(credit_dbpool_t *pool, credit_conn_t **out, int *refused);

/* Gives the connection back; a connection marked broken is closed instead. */
void credit_db_release(credit_dbpool_t *pool, credit_conn_t *c);

typedef enum { CREDIT_P_STR = 0, CREDIT_P_INT, CREDIT_P_NULL } credit_ptype_t;

typedef struct {
    credit_ptype_t type;
    const char *s;
    long long i;
} credit_param_t;

#define CREDIT_PSTR(v) ((credit_param_t){CREDIT_P_STR, (v), 0})
#define CREDIT_PINT(v) ((credit_param_t){CREDIT_P_INT, NULL, (v)})

typedef struct {
    int ncols;
    const char **names;       /* column labels */
    apr_array_header_t *rows; /* of const char ** (ncols each; NULL for SQL NULL) */
    unsigned long long affected;
    unsigned long long insert_id;
    unsigned warnings; /* of the statement (e.g. 1931: LIMIT ROWS EXAMINED reached) */
} credit_rows_t;

/* Runs `sql` (constant text with ? placeholders) with params on c; rows and
 * strings are allocated from p. Returns CREDIT_OK; CREDIT_EUNAVAIL when the
 * connection is lost (c is then marked broken); CREDIT_ECONFLICT for a
 * duplicate key (expected, not logged as an error); CREDIT_EINTERNAL for any
 * other database error, which is logged with the statement's first words. */
credit_status_t credit_db_query(credit_conn_t *c, apr_pool_t *p, const char *sql,
                                const credit_param_t *params, int nparams, credit_rows_t **out);

/* Called for each row of credit_db_each with the row's values (NULL for SQL
 * NULL) allocated from a pool that is cleared after the call. Returns 0 to
 * go on, non-zero to stop (credit_db_each then returns CREDIT_OK). */
typedef int credit_row_fn(void *ctx, apr_pool_t *rowpool, const char *const *names,
                          const char *const *values, int ncols);

/* Runs `sql` like credit_db_query but streams: rows are fetched from the
 * server one at a time (nothing is buffered), so memory stays constant
 * however many rows there are. Errors as credit_db_query. */
credit_status_t credit_db_each(credit_conn_t *c, apr_pool_t *p, const char *sql,
                               const credit_param_t *params, int nparams, credit_row_fn *fn,
                               void *ctx);

/* A connection of its own to one server, for a checker thread: opened on
 * first use, closed after any failure and opened again on the next use. */
typedef struct credit_db_probe credit_db_probe_t;

/* A probe of the server of db (copied), nothing opened yet. */
credit_db_probe_t *credit_db_probe_create(apr_pool_t *p, const credit_db_params_t *db);

/* Runs sql (a constant statement answering one value) and copies the value
 * of its first row and column into buf (NULL becomes ""). Returns
 * CREDIT_OK, or CREDIT_EUNAVAIL when the server cannot be reached or the
 * statement fails; *err then says why (static or in the probe, valid until
 * the next call). */
credit_status_t credit_db_probe_value(credit_db_probe_t *pr, const char *sql, char *buf,
                                      size_t size, const char **err);

/* Closes the probe's connection (the next use opens it again). */
void credit_db_probe_close(credit_db_probe_t *pr);

/* MariaDB's error number of the last statement of c that failed (0: none). */
unsigned int credit_db_last_errno(const credit_conn_t *c);

/* Logs msg at error level with id through the pool's log (for conditions
 * the store finds odd that no statement reported). */
void credit_db_note(credit_conn_t *c, const char *id, const char *msg);

/* Logs msg at `level` (APLOG numbering: 3 error, 4 warning, 7 debug) with
 * id through pool's log; nothing when pool is NULL or has no log. */
void credit_db_pool_log(credit_dbpool_t *pool, int level, const char *id, const char *msg);

/* The value at row r, column named `col` of rows, or NULL. */
const char *credit_rows_get(const credit_rows_t *rows, int r, const char *col);

/* Column index of `col`, or -1. */
int credit_rows_col(const credit_rows_t *rows, const char *col);

#endif
