/* credit_store_maria.h: what the MariaDB store's files share (internal to
 * credit_store_maria*.c; pages never include it). */
#ifndef CREDIT_STORE_MARIA_H
#define CREDIT_STORE_MARIA_H

#include "credit_store.h"
#include "credit_db.h"

/* The withdrawal rule (SPEC 3) as SQL over alias r; parameters today, today.
 * credit_visibility() in credit_rules.c is the same rule for one record. */
#define CREDIT_PUBLIC_SQL                                                                          \
    " r.status IN ('published','contested','corrected')"                                           \
    " AND r.disclosed_on <= ? AND r.withdraw_on > ?"

/* Runs one read statement (the read-only user), replacing a dead
 * connection once. Errors as credit_db_query. */
credit_status_t credit_maria_read(credit_store_t *s, const char *sql, const credit_param_t *params,
                                  int n, credit_rows_t **out);

/* The staff writer's pool (CreditDBAdmin) for credit_maria_admin. */
void credit_maria_set_admin_pool(credit_store_t *s, credit_dbpool_t *pool);

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

/* The public pages' ops (credit_store_maria_public.c); contracts in
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
