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
 * existing one found by credit code or ID-card hash, or a new one: its own
 * audit row), the department (a department's staff: always their own), a
 * number TJZW-<disclosure year>-NNNNNN above every number of that year in
 * records and record_aliases (sql/009), the `listed` event, the audit row.
 * keys hash an official's ID-card number (never stored in clear).
 * Returns CREDIT_OK with *record_no; CREDIT_EINVAL with *err (a 400 naming
 * the field: unknown subject, department ...); CREDIT_ECONFLICT with *err
 * (a duplicate: that subject already has a record of that decision_no);
 * CREDIT_EUNAVAIL / CREDIT_EINTERNAL when the database failed (nothing
 * stored). */
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

/* Imports the parsed lines (credit_admin_import_parse): each valid line as
 * credit_admin_record_create would, a line repeating an earlier line's
 * subject and decision_no (or an existing record's) reported as a
 * duplicate. On return each line has ok = 1 and its number in
 * record_nos[line - 1], or ok = 0 and its err. In ALL mode, one bad line
 * means nothing was stored (*stored = 0) and every line is still checked
 * for the report. Returns CREDIT_OK when the import ran (lines may have
 * failed); database errors as above (in ALL mode nothing stored; in EACH
 * mode the lines before stay stored, *stored says how many). */
credit_status_t credit_admin_record_import(credit_store_t *s, const credit_staff_t *st,
                                           const credit_keys_t *keys, apr_array_header_t *lines,
                                           credit_import_mode_t mode, const char **record_nos,
                                           int *stored);

#endif
