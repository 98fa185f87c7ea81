/* credit_store_admin_records.h: the transactions behind the staff's record
 * writes (create, update, bulk import). Each record's insert or update, its
 * timeline entry and its audit row (actor = the Apache user) are written in
 * one transaction; a failed write leaves none of them. Prepared statements
 * only, through credit_maria_admin. */
#ifndef CREDIT_STORE_ADMIN_RECORDS_H
#define CREDIT_STORE_ADMIN_RECORDS_H

#include "credit_admin_records.h"
#include "credit_store_admin.h"
#include "credit_token.h"

/* Creates a record from a validated input: the subject (an existing id, an
 * existing government body found by its credit code, or a new one: its own
 * audit row), the department (a department's staff: always their own), a
 * number TJZW-<disclosure year>-NNNNNN above every number of that year in
 * records and record_aliases (sql/009), the `listed` event, the audit row.
 * An inline official is always a new subject, given by city-level staff
 * only (a department's staff: CREDIT_EINVAL not_allowed, whatever the
 * number); an ID-card number already registered is CREDIT_ECONFLICT
 * official_exists, one answer naming no subject (the existing official is
 * given by subject_id). keys hash the number (never stored in clear).
 * Returns CREDIT_OK with *record_no; CREDIT_EINVAL with *err (a 400 naming
 * the field: unknown subject, department ...); CREDIT_ECONFLICT with *err
 * (a duplicate: that subject already has a record of that decision_no);
 * CREDIT_EUNAVAIL when the database failed, did not answer in time or a
 * lock was not granted in time (credit_admin_db_alive tells which);
 * CREDIT_EINTERNAL for other database errors (nothing stored). */
credit_status_t credit_admin_record_create(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys,
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
 * EACH: one short transaction per line. ALL: every line is first read and
 * checked without a lock; when one is bad nothing is locked or written
 * (*stored = 0, every line reported). Only when all are good does one
 * transaction lock the counters of the years, write the lines (checked
 * again under their locks) and commit: a record created meanwhile waits
 * for that step only.
 * Returns CREDIT_OK when the import ran (lines may have failed); database
 * errors as credit_admin_record_create (in ALL mode nothing stored; in
 * EACH mode the lines before stay stored, *stored says how many). */
credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, credit_date_t today,
                                           apr_array_header_t *lines, credit_import_mode_t mode,
                                           int *stored);

/* Shared by credit_store_admin_records*.c. */

/* Fills *err (message "<field>: what", or what without a field) and
 * returns rv. */
credit_status_t credit_admin_field_error(credit_store_t *s, credit_field_error_t *err,
                                         credit_status_t rv, const char *code, const char *field,
                                         const char *what);

/* Checks the clock the database computed (repair_from, withdraw_on as
 * stored) against credit_clock's c, the one rule of credit_rules.c: a
 * difference is a bug, logged (CR0912). */
void credit_admin_check_clock(credit_store_t *s, const credit_clock_t *c, const char *repair_from,
                              const char *withdraw_on);

#endif
