/* credit_store.h: the store interface the pages use. One implementation
 * today (credit_store_maria.c); pages never see SQL. A store handle lives
 * for one request: it takes a pooled connection on first use and gives it
 * back when the request pool is cleared. */
#ifndef CREDIT_STORE_H
#define CREDIT_STORE_H

#include "credit.h"
#include "credit_dsn.h"
#include "credit_model.h"
#include "credit_filter.h"
#include "credit_rules.h"
#include "credit_tally.h"
#include "credit_workflow.h"

/* A copy of the database as the health page shows it. */
typedef struct {
    const char *name;  /* "primary", "replica 1" ... */
    const char *role;  /* "primary" or "replica" */
    const char *state; /* current, behind, down, unknown (credit_copies.h) */
    long long lag_ms;  /* how far behind the primary it may be; -1: unknown */
} credit_store_copy_t;

/* Tables whose changes do not move data_version. */
typedef enum {
    CREDIT_STAMP_RATINGS = 0,
    CREDIT_STAMP_COMMITMENTS,
    CREDIT_STAMP_COMPLAINTS
} credit_stamp_of_t;

/* How a total relates to the number of matches. */
typedef enum {
    CREDIT_TOTAL_EQ = 0, /* it is the number */
    CREDIT_TOTAL_GT,     /* there are more (counting stopped at a bound) */
    CREDIT_TOTAL_GTE     /* there are at least that many (the matches a budget of rows met) */
} credit_total_rel_t;

/* How much of each record a list or an export reads (list_records' and
 * each_record's detail). */
enum {
    CREDIT_DETAIL_BRIEF = 0, /* without the long fields (facts, legal basis,
                                rectification, correction, department, employer) */
    CREDIT_DETAIL_FULL = 1,  /* every field */
    CREDIT_DETAIL_FACTS = 2, /* brief and the facts: what a feed entry shows */
    CREDIT_DETAIL_EXPORT = 3 /* what the CSV and the workbook show: every field
                                but the rectification and the correction note */
};

typedef struct credit_store credit_store_t;

/* Called once per record by each_record; r lives until the call returns.
 * Returns 0 to go on, non-zero to stop. */
typedef int credit_record_fn(void *ctx, const credit_record_t *r);

typedef struct {
    const char *name;
    credit_status_t (*version)(credit_store_t *s, credit_version_t *out);
    credit_status_t (*schema_version)(credit_store_t *s, int *out);
    /* The last day of the working-day calendar (calendar_days); y = 0 when
     * it has no rows. */
    credit_status_t (*calendar_end)(credit_store_t *s, credit_date_t *out);
    /* One page of public records, each read at a detail level
     * (CREDIT_DETAIL_*). */
    credit_status_t (*list_records)(credit_store_t *s, const credit_filter_t *f, int detail,
                                    credit_record_page_t *out);
    /* The number of public records matching f (*rel EQ); or, where
     * counting would cost too much, a bound: counts stop above bound (GT,
     * *out = bound), a frequent word's matches are counted as far as a
     * budget of rows goes (GTE: at least *out). */
    credit_status_t (*count_records)(credit_store_t *s, const credit_filter_t *f, long long bound,
                                     long long *out, credit_total_rel_t *rel);
    /* The number of public records of every combination of the enumerated
     * filters on the store's today (t->day set, t->n filled; data_version is
     * the caller's). CREDIT_ENOTFOUND when the kept numbers cannot say (a
     * today more than a week before the database's). */
    credit_status_t (*tally)(credit_store_t *s, credit_tally_t *t);
    /* A record by number, with its events when asked; the data version it
     * was read at becomes the request's version when none was read before (in the same
     * statement: the page cache stamps a record page with it). */
    credit_status_t (*get_record)(credit_store_t *s, const char *no, credit_record_t **out,
                                  apr_array_header_t **events);
    credit_status_t (*get_subject)(credit_store_t *s, unsigned long long id,
                                   credit_subject_t **out);
    credit_status_t (*subject_records)(credit_store_t *s, unsigned long long id, int limit,
                                       apr_array_header_t **out, long long *total);
    credit_status_t (*count_subjects)(credit_store_t *s, long long *out);
    /* Every public record matching f, in its sort, to fn, each read at a
     * detail level (CREDIT_DETAIL_FULL or _EXPORT). rows is how many the
     * caller expects (-1: it does not know): the store may read a large
     * export differently (the MariaDB store: its subjects and departments
     * once, not joined per row). */
    credit_status_t (*each_record)(credit_store_t *s, const credit_filter_t *f, long long rows,
                                   int detail, credit_record_fn *fn, void *ctx);
    /* The current number of a renumbered or merged record's old number;
     * CREDIT_ENOTFOUND when old_no is nobody's alias. */
    credit_status_t (*resolve_alias)(credit_store_t *s, const char *old_no, const char **no);
    /* Changes after seq (0: from the start), oldest first, at most limit. */
    credit_status_t (*changes)(credit_store_t *s, unsigned long long after_seq, int limit,
                               apr_array_header_t **out);
    /* The last seq changed before `at` ("YYYY-MM-DD[ HH:MM:SS]"), 0 when none. */
    credit_status_t (*changes_seq_before)(credit_store_t *s, const char *at,
                                          unsigned long long *seq);
    /* The end of the change feed (one row: cheap). */
    credit_status_t (*feed_head)(credit_store_t *s, credit_feed_head_t *out);
    /* Dumps (credit-dump.c): brings the feed up to date with the clock
     * (the daily bookkeeping, record_expiries); CREDIT_EINTERNAL when the
     * database refuses (no EXECUTE grant). */
    credit_status_t (*feed_catch_up)(credit_store_t *s);
    /* Starts one consistent snapshot on the store's connection (REPEATABLE
     * READ, read only): every later read of this store sees the data as
     * of *head, until end_snapshot. Errors as the store's. */
    credit_status_t (*begin_snapshot)(credit_store_t *s, credit_feed_head_t *head);
    credit_status_t (*end_snapshot)(credit_store_t *s);
    /* Counts of public records by district, domain, category, severity, month. */
    credit_status_t (*stats)(credit_store_t *s, credit_stats_t *out);
    /* Stores a submission in one transaction and gives its receipt number
     * only after COMMIT. The same idempotency key again gives the first
     * receipt and no second row: *replayed = 1 when it comes from the same
     * client (sub->client_hex) within CREDIT_REPLAY_SAME_CLIENT_SECONDS (a
     * double click, a retry: the query code may be shown again), 2 for any
     * other resend (the code was shown once and is not shown again). CREDIT_ENOTFOUND / EGONE when
     * the record of an objection or repair is unknown / not public,
     * CREDIT_EINVAL when a repair is not possible yet, CREDIT_EUNAVAIL when
     * the database cannot be reached (nothing was stored, or the first
     * receipt will be found by resubmitting). */
    credit_status_t (*submit)(credit_store_t *s, const credit_submission_t *sub,
                              const char **receipt_no, int *replayed);
    /* The case with this receipt number whose code hash is one of
     * code_hashes_hex (one per key). CREDIT_ENOTFOUND alike for an unknown
     * receipt and a wrong code. */
    credit_status_t (*lookup_case)(credit_store_t *s, const char *receipt_no,
                                   const char *const *code_hashes_hex, int n, credit_case_t **out);
    /* Public pages (credit_store_maria_bodies.c). Years with published
     * ratings, newest first (int). */
    credit_status_t (*rating_years)(credit_store_t *s, apr_array_header_t **out);
    /* The published ratings of one year (credit_rating_t *), best score
     * first, each with its indicators. */
    credit_status_t (*ratings)(credit_store_t *s, int year, apr_array_header_t **out);
    /* One subject's published ratings (credit_rating_t *), newest first,
     * without indicators. */
    credit_status_t (*subject_ratings)(credit_store_t *s, unsigned long long id,
                                       apr_array_header_t **out);
    /* One page of commitments (credit_commitment_t *), newest promise
     * first; *has_next when more follow. */
    credit_status_t (*commitments)(credit_store_t *s, const credit_commitment_filter_t *f,
                                   apr_array_header_t **out, int *has_next);
    /* pending / kept / broken per street or township for f (page ignored),
     * by district then name (credit_commitment_count_t). */
    credit_status_t (*commitment_counts)(credit_store_t *s, const credit_commitment_filter_t *f,
                                         apr_array_header_t **out);
    /* Complaint outcomes and handling time per department. */
    credit_status_t (*complaint_stats)(credit_store_t *s, credit_complaint_stats_t *out);
    /* A short tag ([0-9-]) that changes whenever the rows of `of` change. */
    credit_status_t (*stamp)(credit_store_t *s, credit_stamp_of_t of, const char **out);
    /* The copy of the database this request's reads were answered by
     * (*answered NULL before the first read) and how far behind the
     * primary it may be (ms, -1 unknown); every copy (credit_store_copy_t)
     * as this child knows it. */
    credit_status_t (*copies)(credit_store_t *s, const char **answered, long long *lag_ms,
                              apr_array_header_t **all);
} credit_store_ops_t;

struct credit_cache;
struct credit_gate;
struct credit_tallies;
struct credit_dbpool;
struct credit_copies;
struct credit_store_admin_ops; /* the staff's reads and writes: credit_store_admin.h */

/* The budget of found ID-card look-ups per staff login
 * (CreditOfficialLookupLimit, credit_store_admin_records.h) unless set. */
#define CREDIT_LOOKUP_LIMIT_DEFAULT  5
#define CREDIT_LOOKUP_WINDOW_DEFAULT 3600
/* Rows a search walk may read in record_text (~0.6 us each unfiltered,
 * up to 9 us through a filter's index) before the engine answers, and the
 * rows of its first probe: a word met at most once there is asked of the
 * engine at once instead of walking the whole budget to find it rare
 * (about half the words people search for are). Chosen by the search
 * mixes of make bench (docs/SEARCH.md); CreditSearchWalk. */
#define CREDIT_WALK_ROWS_DEFAULT  3000
#define CREDIT_PROBE_ROWS_DEFAULT 250
/* The statement each new connection of the readers' pools runs first
 * (credit_db_params_t.first_sql). The first statement to open a table
 * after the server started also reads the table's statistics, and those
 * rows count against its LIMIT ROWS EXAMINED: a walk that opened
 * record_text read 32 rows fewer than its budget and met fewer matches,
 * and its number ("at least 136" against 148) stayed in that child's
 * cache. Opened here first, the walks always read their whole budget. It
 * never waits for a lock: a new connection is not held up by a table
 * someone locked (it fails at once, and its error is ignored). */
#define CREDIT_STORE_READER_FIRST_SQL                                                              \
    "SET STATEMENT lock_wait_timeout = 0 FOR SELECT 1 FROM record_text LIMIT 1"

/* A copy of db in p for the readers' pools (the primary's and the
 * replicas'): their connections first run CREDIT_STORE_READER_FIRST_SQL. */
const credit_db_params_t *credit_store_reader_params(apr_pool_t *p, const credit_db_params_t *db);

/* What a store is opened with: everything a request's store needs from the
 * child and the request's configuration. Unused members are NULL / 0. */
typedef struct {
    apr_pool_t *pool;                 /* the request pool: results live here, connections go back
                                         to their pools when it is cleared */
    credit_date_t today;              /* "now" of the request, the one clock of the rules */
    struct credit_copies *copies;     /* reads: the primary and its replicas (credit_copies.h) */
    struct credit_dbpool *write_pool; /* the insert-only user: submissions, case look-ups (NULL:
                                         those answer CREDIT_EUNAVAIL) */
    struct credit_dbpool *admin_pool; /* the staff writer (CreditDBAdmin; NULL: the staff ops
                                         answer CREDIT_EUNAVAIL) */
    struct credit_cache *cache;       /* per-child cache of search ids (NULL: none) */
    struct credit_gate *gate;         /* bounds the expensive statements of a child (NULL: none) */
    struct credit_tallies *tallies;   /* the child's tallies (plans of narrow lists; NULL: none) */
    const credit_case_days_t *case_days; /* CreditCaseDays of the staff's <Location> (NULL: the
                                            SPEC values); lives as long as pool */
    int lookup_limit, lookup_window;     /* CreditOfficialLookupLimit (0: the defaults) */
    int walk_rows, probe_rows;           /* CreditSearchWalk (0: the defaults) */
} credit_store_open_t;

/* A store as opened; the pages use ops (the public reads and the
 * citizens' submissions) and admin (the staff's reads and writes), and read
 * the other members, which only the store's open function sets. */
struct credit_store {
    const credit_store_ops_t *ops;
    const struct credit_store_admin_ops *admin; /* credit_store_staff.h */
    struct credit_cache *cache;
    struct credit_gate *gate;
    struct credit_tallies *tallies;
    apr_pool_t *pool;
    credit_date_t today;
    const credit_case_days_t *case_days; /* never NULL */
    int lookup_limit, lookup_window;     /* never 0 */
    int walk_rows, probe_rows;           /* never 0 */
    void *impl;
};

/* Fills what every store takes from o (ops and impl are the
 * implementation's): the defaults where o leaves them unset. */
void credit_store_init(credit_store_t *s, const credit_store_open_t *o);

/* Opens a MariaDB-backed store for one request: reads from one of
 * o->copies (the read-only user on the primary or a replica), submissions
 * and case look-ups through o->write_pool, the staff's reads and writes
 * through o->admin_pool (on the primary: staff see their own writes at
 * once). Never fails: a database that cannot be reached shows up as
 * CREDIT_EUNAVAIL. */
credit_store_t *credit_store_maria_open(const credit_store_open_t *o);

/* 1 when the copy this request read from went away in the middle of it and
 * no copy could go on with the same answers: a read-only request may be
 * run again from the start on a fresh store (another copy answers). */
int credit_store_maria_lost(const credit_store_t *s);

#endif
