/* credit_store_admin_records.h: the transactions behind the staff's record
 * writes (create, update, bulk import). Each record's insert or update, its
 * timeline entry and its audit row (actor = the Apache user) are written in
 * one transaction; a failed write leaves none of them. Prepared statements
 * only, through credit_maria_admin. */
#ifndef CREDIT_STORE_ADMIN_RECORDS_H
#define CREDIT_STORE_ADMIN_RECORDS_H

#include "credit_record_input.h"
#include "credit_store_admin.h"
#include "credit_token.h"

/* The budget of answers that tell whether an ID-card number is registered
 * (issue 11 point 3). Whether an inline official's number belongs to a
 * registered official decides an answer (official_exists or not); with
 * the public masked form (120101********6022) a few thousand candidates
 * cover every birth date, so each look-up that finds a registered
 * official is counted per staff login: at most `limit` in any `window`
 * seconds (CreditOfficialLookupLimit), each one an audit row (action
 * official_exists, entity subject, the official's id; never the number).
 * The count is the audit log's, read under a lock of the login's staff
 * row that every transaction looking a number up takes first: exact
 * across httpd children, restarts and concurrent requests. With the budget
 * used up nothing is looked up: the answer is the same whatever the
 * number. */
typedef struct {
    int limit, window; /* in (credit_admin_set_lookup_limit): found look-ups per window */
    int used;          /* out: found look-ups in the window, this request's included */
    int retry_after;   /* out, when refused: seconds until the budget has room again */
    int refused;       /* out: look-ups refused by the budget (the request, or lines) */
    int found;         /* out: registered officials this request found (audited) */
} credit_lookup_budget_t;

/* The budget's limit and window are the store's (lookup_limit,
 * lookup_window: CreditOfficialLookupLimit, given to its open function);
 * credit_admin_lookup_budget_init (credit_store_staff.h) starts one. */

/* Creates a record from a validated input: the subject (an existing id, an
 * existing government body found by its credit code, or a new one: its own
 * audit row), the department (a department's staff: always their own), a
 * number TJZW-<disclosure year>-NNNNNN above every number of that year in
 * records and record_aliases (sql/009), the `listed` event, the audit row.
 * An inline official is always a new subject, given by city-level staff
 * only (a department's staff: CREDIT_EINVAL not_allowed, whatever the
 * number, nothing looked up). Its ID-card number is looked up among the
 * registered officials only within the login's budget b (see
 * credit_lookup_budget_t): used up, the answer is CREDIT_ELIMIT before
 * anything is looked up. A number already registered is CREDIT_ECONFLICT
 * official_exists naming the official by err->subject_id (never the
 * number), counted in the budget and audited (the audit row is committed,
 * nothing else). keys hash the number (never stored in clear).
 * Returns CREDIT_OK with *record_no; CREDIT_EINVAL with *err (a 400 naming
 * the field: unknown subject, department ...); CREDIT_ECONFLICT with *err
 * (a duplicate: that subject already has a record of that decision_no;
 * official_exists); CREDIT_ELIMIT with b->retry_after; CREDIT_EUNAVAIL
 * when the database failed, did not answer in time or a lock was not
 * granted in time (credit_admin_db_alive tells which); CREDIT_EINTERNAL
 * for other database errors (nothing stored). */
credit_status_t credit_admin_record_create(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           const credit_record_input_t *in, const char **record_no,
                                           credit_field_error_t *err);

/* Updates the fields of in->set of record `no` (merged with what is
 * stored, the dates checked again, the clock recomputed by the database's
 * rule, which is credit_clock's). *changed lists the names of the fields
 * whose value changed (none: nothing written, no audit row). Returns
 * CREDIT_ENOTFOUND (no such record, or another department's);
 * CREDIT_ECONFLICT with *err for a withdrawn record or a duplicate
 * decision_no; CREDIT_EINVAL with *err; database errors as above. */
credit_status_t credit_admin_record_update(credit_store_t *s, const credit_staff_t *st,
                                           const char *no, const credit_record_input_t *in,
                                           apr_array_header_t **changed, credit_field_error_t *err);

/* Reads record `no` as stored, whatever its status (staff see withdrawn and
 * not yet disclosed ones), with *department_id. CREDIT_ENOTFOUND also for
 * another department's record. */
credit_status_t credit_admin_record_get(credit_store_t *s, const credit_staff_t *st, const char *no,
                                        credit_record_t **out, unsigned long long *department_id);

typedef enum {
    CREDIT_IMPORT_EACH = 0, /* every good line stored (one transaction per line) */
    CREDIT_IMPORT_ALL       /* all lines in one transaction, or none */
} credit_import_mode_t;

/* Imports the lines of credit_admin_import_split, one at a time in a pool
 * of their own (memory does not grow with the lines: only each line's
 * outcome is kept, in s->pool). Each valid line is stored as
 * credit_admin_record_create would; a line repeating an earlier line's
 * subject and decision_no (or an existing record's) is a duplicate. On
 * return each non-blank line has ok = 1 (with record_no when stored) or
 * ok = 0 and its err.
 * EACH: one short transaction per line, each inline official's number
 * looked up within the budget b as by credit_admin_record_create; a line
 * the budget refuses fails with lookup_limit (nothing looked up), the
 * other lines go on.
 * ALL: every line is first read and checked without a lock and without
 * looking any ID-card number up; when one is bad nothing is looked up,
 * locked or written (*stored = 0, every line reported, the valid lines
 * with an inline official unchecked = 1). Only when all are good does one
 * transaction take the login's look-up lock, lock the counters of the
 * years, look the inline officials' numbers up within the budget (used up
 * before the first: CREDIT_ELIMIT; a registered number fails its line with
 * official_exists, counted and audited, and once the budget is used the
 * lines after are left unchecked), and, when none is registered, write
 * the lines (checked again under their locks) and commit: a record
 * created meanwhile waits for that step only.
 * Returns CREDIT_OK when the import ran (lines may have failed);
 * CREDIT_ELIMIT (ALL only) with b->retry_after; database errors as
 * credit_admin_record_create (in ALL mode nothing stored; in EACH mode the
 * lines before stay stored, *stored says how many). */
credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_lookup_budget_t *b,
                                           credit_date_t today, apr_array_header_t *lines,
                                           credit_import_mode_t mode, int *stored);

/* Shared by credit_store_admin_records*.c. */

/* Fills *err (message "<field>: what", or what without a field) and
 * returns rv. */
credit_status_t credit_admin_field_error(credit_store_t *s, credit_field_error_t *err,
                                         credit_status_t rv, const char *code, const char *field,
                                         const char *what);

/* The look-up budget's steps (credit_store_admin_lookups.c), in the
 * order a transaction that may look an ID-card number up takes them:
 *   credit_admin_lookup_lock   first of all: the login's staff row FOR
 *                              UPDATE (look-ups of one login queue here);
 *   (the year counters: lock_year, credit_store_admin_numbers.c)
 *   credit_admin_lookup_room   the found look-ups of the window, by a
 *                              plain read after the locks (the
 *                              transaction's snapshot is taken here, so it
 *                              sees every earlier one of the login):
 *                              CREDIT_ELIMIT with b->retry_after when
 *                              none is left, before anything is looked up;
 *   credit_admin_lookup_found  a look-up found a registered official: its
 *                              audit row, counted in b (the caller commits
 *                              it, nothing else).
 * Each returns CREDIT_OK or the database's error. */
credit_status_t credit_admin_lookup_lock(credit_store_t *s, const credit_staff_t *st);
credit_status_t credit_admin_lookup_room(credit_store_t *s, const credit_staff_t *st,
                                         credit_lookup_budget_t *b);
credit_status_t credit_admin_lookup_found(credit_store_t *s, const credit_staff_t *st,
                                          credit_lookup_budget_t *b, unsigned long long subject_id,
                                          int line);

/* Checks the clock the database computed (repair_from, withdraw_on as
 * stored) against credit_clock's c, the one rule of credit_rules.c: a
 * difference is a bug, logged (CR0912). */
void credit_admin_check_clock(credit_store_t *s, const credit_clock_t *c, const char *repair_from,
                              const char *withdraw_on);

#endif
