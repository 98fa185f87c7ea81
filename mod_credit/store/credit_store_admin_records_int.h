/* credit_store_admin_records_int.h: what the files of the staff's record
 * writes share (internal to credit_store_admin_records.c, _subjects.c,
 * _numbers.c and _import.c; the pages include credit_store_admin_records.h).
 * All run on the staff writer's connection (credit_maria_admin), inside
 * the caller's transaction. */
#ifndef CREDIT_STORE_ADMIN_RECORDS_INT_H
#define CREDIT_STORE_ADMIN_RECORDS_INT_H

#include "credit_store_admin.h"
#include "credit_store_admin_records.h"
#include "credit_store_maria.h"

/* Short names of these files: a statement on the staff writer's connection,
 * a refused field, and the helpers of credit_store_admin.h. */
#define A(sql, p, n, out) credit_maria_admin(s, sql, p, n, out)
#define bad               credit_admin_field_error
#define in_scope          credit_admin_in_scope
#define json_text         credit_admin_json_text
#define audit             credit_admin_audit_write

/* A record's subject as the checks found it (or will insert it). */
typedef struct {
    unsigned long long id; /* 0: a new one, to insert */
    const char *kind, *district, *name;
    const char *hash_hex; /* a new official: the keyed hash of the ID number */
} credit_admin_subject_row_t;

/* ---- Subjects (credit_store_admin_subjects.c). ---- */

/* The subject of a record: by id; an existing government body with the
 * inline subject's credit code (its name must agree: credit codes are
 * public); or a new one (sj->id = 0). An inline official is always a new
 * one; with lookup its number is looked up among the registered officials
 * (the caller took the login's budget first) and a registered one is
 * refused as official_exists naming it by subject id; without, it is not
 * looked up at all (an import's first checks). Found by plain reads (a
 * locking read of a missing key would hold a gap lock on subjects until
 * the end of the transaction); with lock, the existing subject's row is
 * then locked by id: records of one subject are created one at a time, so
 * the duplicate check holds. Two requests making the same new subject at
 * once meet on its unique key (a 409, send again). */
credit_status_t credit_admin_find_subject(credit_store_t *s, const credit_keys_t *keys,
                                          const credit_record_input_t *in, int lock, int lookup,
                                          credit_admin_subject_row_t *sj,
                                          credit_field_error_t *err);

credit_status_t credit_admin_insert_subject(credit_store_t *s, const credit_staff_t *st,
                                            const credit_subject_input_t *x,
                                            credit_admin_subject_row_t *sj,
                                            credit_field_error_t *err);

/* Who may give an inline official: city-level staff only. A department's
 * staff name an existing official by subject_id. Checked before anything
 * that reads the ID-card number, so the answer is the same whatever the
 * number is. */
credit_status_t credit_admin_official_allowed(credit_store_t *s, const credit_staff_t *st,
                                              const credit_record_input_t *in,
                                              credit_field_error_t *err);

/* Whether an inline official is to be looked up among the registered
 * officials: city-level staff giving one (a department's staff are
 * refused before, whatever the number). */
int credit_admin_needs_lookup(const credit_staff_t *st, const credit_record_input_t *in);

/* The official_exists error of a registered official: it names the
 * official by subject id, never the number. */
credit_status_t credit_admin_official_exists(credit_store_t *s, credit_field_error_t *err,
                                             unsigned long long id);

/* The registered official whose ID-card number is id_number, under every
 * key of the rotation (the same person under an older key): *found is its
 * id, 0 for none. Plain reads: a locking read of a missing key would hold
 * a gap lock on subjects until the end of the transaction. */
credit_status_t credit_admin_registered_official(credit_store_t *s, const credit_keys_t *keys,
                                                 const char *id_number, unsigned long long *found);

/* ---- Record numbers (credit_store_admin_numbers.c). ---- */

/* Locks the counter row of `year` (made on first use). Taken first, before
 * any other read or lock of a record's creation: creations of one year
 * queue here, so they never wait for each other in another order (no
 * deadlock), and each one's first read sees the one before committed. */
credit_status_t credit_admin_lock_year(credit_store_t *s, long long year);

/* The last number given in `year` (locked by lock_year): the counter, or
 * a higher number of that year in records and record_aliases (rows loaded
 * by other means, the demo's, renumbered records' old numbers), so a
 * number is never given twice. */
credit_status_t credit_admin_last_number(credit_store_t *s, long long year, long long *last);

/* Records n as the last number given in year. */
credit_status_t credit_admin_set_last_number(credit_store_t *s, long long year, long long n);

/* Number n of year, or the numbers_exhausted error of that year. */
credit_status_t credit_admin_format_number(credit_store_t *s, long long year, long long n,
                                           const char **out, credit_field_error_t *err);

/* The next number of `year` (locked by lock_year), taken. */
credit_status_t credit_admin_next_number(credit_store_t *s, long long year, const char **out,
                                         credit_field_error_t *err);

/* The disclosure year of a validated record (its number's year). */
long long credit_admin_year_of(const credit_record_input_t *in);

/* ---- One record (credit_store_admin_records.c). ---- */

/* The checks of one record before anything of it is written: who may give
 * its subject, its department, its subject, no record of the same subject
 * and decision yet. With lock (inside the write's transaction) an existing
 * subject's row is locked and the duplicate read shared; without (an
 * import's validation) they are plain reads. With lookup an inline
 * official's number is looked up among the registered officials (see
 * find_subject). Returns CREDIT_OK with *dept and *sj; CREDIT_EINVAL /
 * CREDIT_ECONFLICT with *err; database errors. */
credit_status_t credit_admin_check_record(credit_store_t *s, const credit_staff_t *st,
                                          const credit_keys_t *keys,
                                          const credit_record_input_t *in, int lock, int lookup,
                                          unsigned long long *dept, credit_admin_subject_row_t *sj,
                                          credit_field_error_t *err);

/* Checks and writes one record inside the caller's transaction, its
 * year's counter locked first; an inline official's number is looked up
 * within the budget, the login's look-up lock taken before the counter.
 * *keep is set when the transaction holds the audit row of a look-up that
 * found a registered official (CREDIT_ECONFLICT official_exists): the
 * caller commits it (nothing else was written). */
credit_status_t credit_admin_create_one(credit_store_t *s, const credit_staff_t *st,
                                        const credit_keys_t *keys, credit_lookup_budget_t *b,
                                        const credit_record_input_t *in, int line,
                                        const char **record_no, credit_field_error_t *err,
                                        int *keep);

/* Ends a creation's transaction: COMMIT when it succeeded or holds only
 * the audit row of a found look-up (keep), ROLLBACK otherwise. Returns
 * rv, or the COMMIT's error. */
credit_status_t credit_admin_finish(credit_store_t *s, credit_status_t rv, int keep);

/* Writes one checked record inside the caller's transaction: its new
 * subject, the record under number `no` (NULL: the next of its year, whose
 * counter the caller locked), its `listed` event and the audit rows. */
credit_status_t credit_admin_write_record(credit_store_t *s, const credit_staff_t *st,
                                          const credit_record_input_t *in, unsigned long long dept,
                                          credit_admin_subject_row_t *sj, const char *no,
                                          const char **record_no, credit_field_error_t *err);

#endif
