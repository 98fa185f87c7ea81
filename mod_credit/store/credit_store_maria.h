/* credit_store_maria.h: what the MariaDB store's files share (internal to
 * credit_store_maria*.c; pages never include it). */
#ifndef CREDIT_STORE_MARIA_H
#define CREDIT_STORE_MARIA_H

#include "credit_store.h"
#include "credit_db.h"
#include "credit_query.h"
#include "credit_model.h"

/* The withdrawal rule (SPEC 3) as SQL over alias r; parameters today, today.
 * credit_visibility() in credit_rules.c is the same rule for one record. */
#define CREDIT_PUBLIC_SQL                                                                          \
    " r.status IN ('published','contested','corrected')"                                           \
    " AND r.disclosed_on <= ? AND r.withdraw_on > ?"

#define PUBLIC_SQL CREDIT_PUBLIC_SQL

/* The columns of a record and its subject (the record queries'), with the
 * long fields and joins of a record page (RECORD_DETAIL_COLS, RECORD_JOINS)
 * or without (RECORD_SUBJECT_JOIN). */
#define RECORD_OWN_COLS                                                                            \
    "SELECT STRAIGHT_JOIN r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title," \
    " r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.repair_from, r.withdraw_on,"     \
    " r.withdrawn_on, r.updated_at, r.amount, r.district AS district"

#define RECORD_COLS                                                                                \
    RECORD_OWN_COLS ", s.id AS subject_id, s.name AS subject_name, s.kind AS subject_kind,"        \
                    " s.credit_code, s.level AS subject_level, s.position, s.id_masked"

#define RECORD_TEXT_COLS   ", r.facts, r.legal_basis"
#define RECORD_REMEDY_COLS ", r.rectification, r.rectify_due, r.rectified, r.correction_note"
#define RECORD_LONG_COLS   RECORD_TEXT_COLS RECORD_REMEDY_COLS
#define RECORD_NAMES_COLS  ", d.name AS department, e.id AS employer_id, e.name AS employer_name"
#define RECORD_DETAIL_COLS RECORD_LONG_COLS RECORD_NAMES_COLS

/* An export's own columns when its subjects and departments come from a
 * directory (credit_maria_dir_t), not from joins: no table but records r.
 * The long fields follow (RECORD_TEXT_COLS, RECORD_LONG_COLS). */
#define RECORD_DIR_COLS RECORD_OWN_COLS ", r.subject_id, r.department_id"

#define RECORD_SUBJECT_JOIN " JOIN subjects s ON s.id = r.subject_id"

#define RECORD_JOINS                                                                               \
    " JOIN subjects s ON s.id = r.subject_id JOIN departments d ON d.id = r.department_id"         \
    " LEFT JOIN subjects e ON e.id = s.employer_id"

/* A list's record columns at a detail level (CREDIT_DETAIL_*): the SELECT
 * list, and the joins that follow "records r". */
const char *credit_maria_detail_cols(int detail);
const char *credit_maria_detail_joins(int detail);

/* An export's at a detail level (CREDIT_DETAIL_FULL or _EXPORT): its
 * subjects and departments joined, or left to dir (an export's directory,
 * below) when there is one. */
typedef struct credit_maria_dir credit_maria_dir_t;
const char *credit_maria_export_cols(const credit_maria_dir_t *dir, int detail);
const char *credit_maria_export_joins(const credit_maria_dir_t *dir);

/* CREDIT_PAGE_MAX (100) placeholders: every page fetched by ids is one
 * statement text. */
#define IN_10 "?,?,?,?,?,?,?,?,?,?"
#define IN_PAGE_MAX                                                                                \
    IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10 "," IN_10
_Static_assert(CREDIT_PAGE_MAX == 100, "IN_PAGE_MAX holds CREDIT_PAGE_MAX placeholders");

/* ---- an export's directory (credit_store_maria_directory.c) ----
 * Every subject (with its employer) and every department, read once for an
 * export and looked up per row in memory, where the statement would join
 * them per row: tens of thousands of index lookups in MariaDB against a
 * few thousand rows read once (docs/BENCH.md, "The export's directory"). */

/* Before an export of about rows records (-1: not known): its snapshot,
 * unless the caller has one open (*own 0), and, where it pays (a large or
 * unknown number of rows, not more subjects than rows), the directory
 * (*dir; NULL: join). credit_maria_dir_end ends what this began and
 * returns rv, or the snapshot's error. */
credit_status_t credit_maria_dir_begin(credit_store_t *s, long long rows, credit_maria_dir_t **dir,
                                       int *own);
credit_status_t credit_maria_dir_end(credit_store_t *s, int own, credit_status_t rv);

/* r's subject (its id already read) and department from d: the columns of
 * RECORD_COLS and RECORD_DETAIL_COLS that RECORD_DIR_COLS leaves out. */
void credit_maria_dir_fill(const credit_maria_dir_t *d, unsigned long long department_id,
                           credit_record_t *r);

/* ---- the statements of the record lists (credit_store_maria_query.c) ----
 * SQL text is put together from constant fragments; every value travels as
 * a bound parameter. */
typedef struct {
    apr_array_header_t *sql;    /* const char * fragments */
    apr_array_header_t *params; /* credit_param_t */
} credit_mq_t;

/* A filter's conditions over one table: the constant fragments. */
typedef struct {
    const char *pub; /* the withdrawal rule; parameters today, today */
    const char *eq[6];
    const char *from, *to;
    const char *after[2]; /* keyset condition [desc, asc]; parameters date, date, id */
    const char *order[2]; /* [desc, asc], ending in LIMIT ? */
} credit_mq_dialect_t;

/* Over InnoDB's records, alias r. */
extern const credit_mq_dialect_t credit_mq_on_records;

credit_mq_t credit_mq_new(apr_pool_t *p);
void credit_mq_frag(credit_mq_t *q, const char *s);
void credit_mq_param(credit_mq_t *q, credit_param_t p);
/* A date as a parameter value ("YYYY-MM-DD", in the store's pool). */
const char *credit_mq_date(credit_store_t *s, credit_date_t d);
/* WHERE: the public rule of the store's day, the enumerated filters, from, to. */
void credit_mq_where(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                     const credit_filter_t *f);
/* " AND" f's from and to, when set (part of credit_mq_where). */
void credit_mq_dates(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                     const credit_filter_t *f);
/* The keyset position (cursor), the order and LIMIT limit + 1 (and a bounded
 * OFFSET for a page number); *backward when the rows come back reversed. */
void credit_mq_position(credit_store_t *s, credit_mq_t *q, const credit_mq_dialect_t *dl,
                        const credit_filter_t *f, int *backward);
/* Runs q on the read connection. Errors as credit_db_query. */
credit_status_t credit_mq_run(credit_store_t *s, credit_mq_t *q, credit_rows_t **rows);
/* The same through the child's gate of costly statements (CREDIT_EBUSY). */
credit_status_t credit_mq_gated(credit_store_t *s, credit_mq_t *q, credit_rows_t **rows);
credit_status_t credit_maria_gated(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **rows);

/* How q= is answered: no search, an exact lookup on InnoDB (credit code,
 * decision number), or full text (credit_store_maria_search.c). */
typedef struct {
    credit_query_t parsed;
    int fulltext;
} credit_mq_search_t;

/* Parses and plans f->q. CREDIT_EINVAL for a query that cannot be searched. */
credit_status_t credit_mq_plan(credit_store_t *s, const credit_filter_t *f,
                               credit_mq_search_t *out);
/* The exact lookups' conditions (nothing for full text or no q). */
void credit_mq_exact(credit_mq_t *q, const credit_mq_search_t *sr);

/* Runs q on the request's connection and passes each row, as a record, to
 * fn (each_record's callback), without keeping the rows: the caller's
 * memory does not grow with their number. Returns fn's or the database's
 * error; a lost connection is given back. */
credit_status_t credit_mq_stream(credit_store_t *s, credit_mq_t *q, credit_record_fn *fn,
                                 void *ctx);
/* The same for a statement of RECORD_DIR_COLS: each record's subject
 * and department from dir (NULL: credit_mq_stream). */
credit_status_t credit_mq_stream_dir(credit_store_t *s, credit_mq_t *q,
                                     const credit_maria_dir_t *dir, credit_record_fn *fn,
                                     void *ctx);

/* An export read in two steps in one statement: credit_mq_ids_begin
 * starts it with the records' columns and a derived table "(SELECT r.id,
 * r.disclosed_on", whose FROM and WHERE the caller writes (an index that
 * holds the public rule, so that no other row is read);
 * credit_mq_ids_stream ends it, joins only those ids' rows in the order of
 * f's sort and streams them as credit_mq_stream. */
void credit_mq_ids_begin(credit_mq_t *q, const credit_maria_dir_t *dir, int detail);
credit_status_t credit_mq_ids_stream(credit_store_t *s, credit_mq_t *q, const credit_filter_t *f,
                                     const credit_maria_dir_t *dir, credit_record_fn *fn,
                                     void *ctx);

/* The rows of a page (limit + 1 asked), flipped when walking backward,
 * into out with has_next / has_prev. */
void credit_mq_take_rows(credit_store_t *s, const credit_filter_t *f, credit_rows_t *rows,
                         int backward, credit_record_page_t *out);

/* ---- the ops of credit_store.h, one file per family; contracts there ---- */

/* Records and subjects (credit_store_maria_records.c). */
credit_status_t credit_maria_list_records(credit_store_t *s, const credit_filter_t *f, int detail,
                                          credit_record_page_t *out);
credit_status_t credit_maria_each_record(credit_store_t *s, const credit_filter_t *f,
                                         long long rows, int detail, credit_record_fn *fn,
                                         void *ctx);
credit_status_t credit_maria_count_records(credit_store_t *s, const credit_filter_t *f,
                                           long long bound, long long *out,
                                           credit_total_rel_t *rel);
credit_status_t credit_maria_get_record(credit_store_t *s, const char *no, credit_record_t **out,
                                        apr_array_header_t **events);
credit_status_t credit_maria_get_subject(credit_store_t *s, unsigned long long id,
                                         credit_subject_t **out);
credit_status_t credit_maria_subject_records(credit_store_t *s, unsigned long long id, int limit,
                                             apr_array_header_t **out, long long *total);
credit_status_t credit_maria_count_subjects(credit_store_t *s, long long *out);
credit_status_t credit_maria_resolve_alias(credit_store_t *s, const char *old_no, const char **no);

/* The change feed and snapshots (credit_store_maria_feed.c). */
credit_status_t credit_maria_changes(credit_store_t *s, unsigned long long after_seq, int limit,
                                     apr_array_header_t **out);
credit_status_t credit_maria_changes_seq_before(credit_store_t *s, const char *at,
                                                unsigned long long *seq);
credit_status_t credit_maria_feed_head(credit_store_t *s, credit_feed_head_t *out);
credit_status_t credit_maria_feed_catch_up(credit_store_t *s);
credit_status_t credit_maria_begin_snapshot(credit_store_t *s, credit_feed_head_t *head);
/* Starts a read-only transaction with a consistent snapshot on the
 * request's read connection (begin_snapshot without the head), unless one
 * is open (*opened says whether it started one): every statement until
 * credit_maria_end_snapshot sees the same data. One left open is rolled
 * back when the request ends. */
credit_status_t credit_maria_snapshot(credit_store_t *s, int *opened);
/* One statement of the snapshot: on its connection, no retry on another
 * (a transaction does not survive a new connection). */
credit_status_t credit_maria_snapshot_query(credit_store_t *s, const char *sql,
                                            const credit_param_t *params, int n,
                                            credit_rows_t **rows);
credit_status_t credit_maria_end_snapshot(credit_store_t *s);

/* The tally and the statistics (credit_store_maria_stats.c). */
credit_status_t credit_maria_tally(credit_store_t *s, credit_tally_t *t);
credit_status_t credit_maria_stats(credit_store_t *s, credit_stats_t *out);

/* Takes the data version read along with a record as the request's, when
 * the request has read none yet (credit_store_maria.c). */
void credit_maria_adopt_version(credit_store_t *s, unsigned long long data_version,
                                const char *changed_at);

/* A list page of enumerated filters read cell by cell of the tally when
 * that reads fewer rows than the narrowest filter's index would (a narrow
 * filter), else its ids from that index alone, or an empty page without a
 * read when no record matches (credit_store_maria_narrow.c). *done = 0
 * (no tally at hand, or no filter set): the caller reads it the ordinary
 * way. Errors as credit_db_query. */
credit_status_t credit_maria_list_narrow(credit_store_t *s, const credit_filter_t *f, int detail,
                                         credit_record_page_t *out, int *done);

/* The public records of f's enumerated filters (its words and dates
 * aside), from the tally; -1 when the tally is not at hand
 * (credit_store_maria_narrow.c). */
long long credit_maria_window_rows(credit_store_t *s, const credit_filter_t *f);

/* The cells (credit_tally_hit_t, records.combo) of f's enumerated filters
 * that hold public records, from the tally; NULL when the tally is not at
 * hand. *index_rows (when not NULL): the public records of the index
 * MariaDB would walk for f (credit_store_maria_narrow.c). */
apr_array_header_t *credit_maria_cells(credit_store_t *s, const credit_filter_t *f,
                                       long long *index_rows);

/* " FROM records r FORCE INDEX (ix_records_combo) WHERE" the record is in
 * one of cells (at most CREDIT_MARIA_CELLS_IN of them; none: no record),
 * public today and in f's dates: the public rule, the enumerated filters
 * and the dates read from the combo index alone
 * (credit_store_maria_narrow.c). */
#define CREDIT_MARIA_CELLS_IN 256
void credit_maria_from_cells(credit_store_t *s, credit_mq_t *q, const credit_filter_t *f,
                             const apr_array_header_t *cells);

/* ---- full-text search (credit_store_maria_search.c) ----
 * The list_records, each_record and count_records ops for a planned full
 * text search; contracts in credit_store.h. */
credit_status_t credit_maria_list_search(credit_store_t *s, const credit_filter_t *f,
                                         const credit_mq_search_t *sr, int detail,
                                         credit_record_page_t *out);
credit_status_t credit_maria_each_search(credit_store_t *s, const credit_filter_t *f,
                                         const credit_mq_search_t *sr, int detail,
                                         credit_record_fn *fn, void *ctx);
credit_status_t credit_maria_count_search(credit_store_t *s, const credit_filter_t *f,
                                          const credit_mq_search_t *sr, long long bound,
                                          long long *out, credit_total_rel_t *rel);

/* The read connection of the request (taken on first use). Errors as
 * credit_db_acquire. */
credit_status_t credit_maria_conn(credit_store_t *s, credit_conn_t **out);
/* Gives the read connection up when a statement found it dead (the next
 * one takes a fresh connection). */
void credit_maria_conn_lost(credit_store_t *s);

/* Runs one read statement (the read-only user), replacing a dead
 * connection once. Errors as credit_db_query. */
credit_status_t credit_maria_read(credit_store_t *s, const char *sql, const credit_param_t *params,
                                  int n, credit_rows_t **out);

/* Logs msg at level with id through the staff writer's pool (the admin
 * store's log); nothing without one. */
void credit_maria_admin_log(credit_store_t *s, int level, const char *id, const char *msg);

/* Runs one statement as the staff writer on one connection kept for the
 * request (transactions span calls; an open one is rolled back when the
 * request ends). No retry. Errors as credit_db_query. */
credit_status_t credit_maria_admin(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **out);

/* The subject columns of row i (subject_id, subject_name, subject_kind,
 * credit_code, district, subject_level, position, id_masked, employer_id,
 * employer_name; absent ones stay NULL) into sj, the ID masked. */
/* A DATE column's value into *d: 1, or 0 with *d all zero (NULL, bad). */
int credit_maria_date(const char *v, credit_date_t *d);

/* An unsigned integer column's value; 0 for NULL. */
unsigned long long credit_maria_ull(const char *v);

void credit_maria_subject(apr_pool_t *p, const credit_rows_t *rows, int i, credit_subject_t *sj);

/* A record from row i of rows (the columns of the record queries, with its
 * subject's), allocated from p, its visibility on the store's day. */
credit_record_t *credit_maria_record(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                     int i);

/* Where the columns of a record and its subject are in one result (-1:
 * absent): looked up once by name (credit_maria_cols), then every row is
 * read by index (credit_maria_record_at), not by a search of the column
 * names per field and row. */
#define CREDIT_MARIA_COLS 33
typedef struct {
    int at[CREDIT_MARIA_COLS];
} credit_maria_cols_t;
void credit_maria_cols(const credit_rows_t *rows, credit_maria_cols_t *out);
credit_record_t *credit_maria_record_at(credit_store_t *s, apr_pool_t *p, const credit_rows_t *rows,
                                        const credit_maria_cols_t *c, int i);
/* The subject columns of row i (as credit_maria_subject) by index. */
void credit_maria_subject_at(apr_pool_t *p, const credit_rows_t *rows, const credit_maria_cols_t *c,
                             int i, credit_subject_t *sj);

/* Runs one statement of a citizen's submission (the insert-only user),
 * sent again once on a fresh connection when the pooled one is dead (each
 * stands alone: autocommit). Errors as credit_db_query. */
credit_status_t credit_maria_write(credit_store_t *s, const char *sql, const credit_param_t *params,
                                   int n, credit_rows_t **out);

/* Logs msg at error level with id through the submissions' pool. */
void credit_maria_note(credit_store_t *s, const char *id, const char *msg);

/* The submit and lookup_case ops of credit_store.h
 * (credit_store_maria_cases.c). */
credit_status_t credit_maria_submit(credit_store_t *s, const credit_submission_t *sub,
                                    const char **receipt_no, int *replayed);
credit_status_t credit_maria_lookup_case(credit_store_t *s, const char *receipt_no,
                                         const char *const *hashes, int n, credit_case_t **out);

/* The request's today as "YYYY-MM-DD" (the one clock of the rules). */
const char *credit_maria_today(credit_store_t *s);

/* The public pages' ops (credit_store_maria_bodies.c); contracts in
 * credit_store.h. Errors as credit_maria_read. */
credit_status_t credit_maria_rating_years(credit_store_t *s, apr_array_header_t **out);
credit_status_t credit_maria_ratings(credit_store_t *s, int year, apr_array_header_t **out);
credit_status_t credit_maria_subject_ratings(credit_store_t *s, unsigned long long id,
                                             apr_array_header_t **out);
credit_status_t credit_maria_commitments(credit_store_t *s, const credit_commitment_filter_t *f,
                                         apr_array_header_t **out, int *has_next);
credit_status_t credit_maria_commitment_counts(credit_store_t *s,
                                               const credit_commitment_filter_t *f,
                                               apr_array_header_t **out);
credit_status_t credit_maria_complaint_stats(credit_store_t *s, credit_complaint_stats_t *out);
credit_status_t credit_maria_stamp(credit_store_t *s, credit_stamp_of_t of, const char **out);

#endif
