/* credit_store_admin.h: staff writes (admin handler). Every write and its
 * before/after goes into audit_log in the same transaction, with the
 * Apache-authenticated user; a failed write leaves no audit row. */
#ifndef CREDIT_STORE_ADMIN_H
#define CREDIT_STORE_ADMIN_H

#include <json.h>
#include "credit_store.h"
#include "credit_workflow.h"

typedef struct {
    const char *username;
    const char *name;
    unsigned long long department_id; /* 0: city level, every department */
} credit_staff_t;

/* The staff account of an authenticated user; CREDIT_ENOTFOUND when the
 * user has none (authenticated by Apache but not staff: refused). */
credit_status_t credit_admin_staff(credit_store_t *s, const char *user, credit_staff_t **out);

typedef struct {
    const char *event;       /* contest uncontest correct revoke repair */
    const char *decision_no; /* required */
    const char *reason;      /* required */
    const char *note;        /* correct: the correction note (required) */
} credit_record_event_in_t;

/* Applies a record event. CREDIT_ENOTFOUND: no such record or not in the
 * staff's department; CREDIT_ECONFLICT: not allowed from the record's
 * status (*from says which); CREDIT_EINVAL: unknown event or a repair
 * before the earliest repair date (*why says so). On success *to is the new
 * status. */
credit_status_t credit_admin_record_event(credit_store_t *s, const credit_staff_t *st,
                                          const char *record_no, const credit_record_event_in_t *in,
                                          const char **from, const char **to, const char **why);

/* Moves a complaint, objection or repair (by receipt number) to `to` with a
 * note (and the official reply when given). Accepting sets the due date in
 * working days from the calendar; decisions on objections and repairs
 * change their record in the same transaction, its public timeline showing
 * the decision only: the note (the applicant's to read with receipt and
 * code) and the receipt stay with the case and in the audit log. An
 * objection decided `corrected` needs `correction`, the correction note for
 * the public (the record's correction_note and its timeline's note); any
 * other decision takes none (CREDIT_EINVAL, *why names the field).
 * Approving a repair application follows credit_repair_refusal
 * (CREDIT_ECONFLICT with *why). Other errors as above; *from is the case's
 * state on CREDIT_ECONFLICT. */
credit_status_t credit_admin_case_transition(credit_store_t *s, const credit_staff_t *st,
                                             const char *receipt, const char *to, const char *note,
                                             const char *reply, const char *correction,
                                             const char **from, const char **why);

/* The working days of the due dates this store sets are s->case_days
 * (CreditCaseDays of the request's <Location>, given to the store's open
 * function; the SPEC values unless set). */

/* Assigns a complaint (by receipt number) to a department, or to another
 * one (city-level staff only; the before/after departments and the note go
 * into the audit log in the same transaction). CREDIT_ENOTFOUND: no such
 * complaint, or st is not city level; CREDIT_EINVAL: no such department,
 * or the receipt is no complaint's (*why says which); CREDIT_ECONFLICT: the
 * complaint is closed (*why says its state). On success *before is the
 * previous department's id ("" for none) and *name the new one's name. */
credit_status_t credit_admin_case_assign(credit_store_t *s, const credit_staff_t *st,
                                         const char *receipt, unsigned long long department_id,
                                         const char *note, const char **before, const char **name,
                                         const char **why);

typedef struct {
    const char *actor, *at, *action, *before_json, *after_json;
} credit_audit_t;

/* Shared by the staff store files (credit_store_admin*.c). */

/* 1 when the staff member may act on what belongs to department_id (a
 * city-level account on everything; NULL: no department). */
int credit_admin_in_scope(const credit_staff_t *st, const char *department_id);

/* Writes one audit row (actor = the staff login) in the open transaction. */
credit_status_t credit_admin_audit_write(credit_store_t *s, const credit_staff_t *st,
                                         const char *action, const char *entity,
                                         unsigned long long id, const char *before,
                                         const char *after);

/* The audit rows of entity id, oldest first. */
credit_status_t credit_admin_audit_rows(credit_store_t *s, const char *entity,
                                        unsigned long long id, apr_array_header_t **out);

/* CREDIT_OK when the database answers a trivial query: after a write
 * failed with CREDIT_EUNAVAIL, it tells a lock wait that timed out (another
 * staff write held the rows) from a database that is down. */
credit_status_t credit_admin_db_alive(credit_store_t *s);

/* ROLLBACK of the open transaction; returns rv. */
credit_status_t credit_admin_rollback(credit_store_t *s, credit_status_t rv);

/* o's JSON text copied into s->pool (NULL for NULL); o is released. */
const char *credit_admin_json_text(credit_store_t *s, json_object *o);

/* The audit rows of one entity (record id or case receipt), oldest first. */
credit_status_t credit_admin_audit(credit_store_t *s, const credit_staff_t *st, const char *entity,
                                   const char *key, apr_array_header_t **out);

/* ---- work queues (credit_store_admin_queue.c) ---- */

typedef struct {
    unsigned long long id;
    const char *name, *district;
} credit_department_t;

/* Every department, by id. Errors as the database's. */
credit_status_t credit_admin_departments(credit_store_t *s, apr_array_header_t **out);

/* The calendar_days rows from `from` to `to` (at most ~10 years) as a
 * credit_calendar_t (days missing from the table count Mon-Fri). */
credit_status_t credit_admin_calendar(credit_store_t *s, credit_date_t from, credit_date_t to,
                                      credit_calendar_t *out);

/* Which open cases a queue shows: every department (department_id 0 and
 * unassigned 0), one department, or the complaints with none (unassigned
 * 1). Staff of a department always see only theirs. */
typedef struct {
    unsigned long long department_id;
    int unassigned;
    int limit;        /* rows at most */
    long long offset; /* rows of the order skipped before them (paging) */
} credit_queue_filter_t;

typedef struct {
    const char *receipt, *status, *title, *record_no;
    const char *received_on;          /* YYYY-MM-DD: when the citizen sent it */
    const char *due_on;               /* the decision's due date, NULL before acceptance */
    const char *reply_due_on;         /* repairs: feedback to the applicant */
    unsigned long long department_id; /* 0: none (complaints not yet assigned) */
    const char *department;
} credit_queue_item_t;

/* The open cases (credit_case_open_states) of kind in st's scope and f,
 * overdue first, then by due date, then the ones without a due date by
 * arrival, the id last (a total order: pages never overlap or skip); *total
 * counts them all (the list skips f->offset and stops at f->limit).
 * CREDIT_EINVAL for an unknown kind. */
credit_status_t credit_admin_queue(credit_store_t *s, const credit_staff_t *st, const char *kind,
                                   const credit_queue_filter_t *f, apr_array_header_t **items,
                                   long long *total);

/* Open and overdue cases of one kind and department (0: unassigned). */
typedef struct {
    const char *kind;
    unsigned long long department_id;
    long long open, overdue;
} credit_queue_count_t;

/* The counts of every kind per department in st's scope, kinds in the
 * order complaint objection repair, departments by id. */
credit_status_t credit_admin_queue_counts(credit_store_t *s, const credit_staff_t *st,
                                          apr_array_header_t **out);

typedef struct {
    const char *status, *note, *at;
} credit_case_event_row_t;

typedef struct {
    const char *name, *value;
} credit_case_field_t;

/* One case with everything staff need: the common fields and, in
 * `fields`, the kind's own columns in display order (name, value; the
 * complainant's or applicant's contact data among them). */
typedef struct {
    const char *kind, *receipt, *status, *created_at, *due_on, *reply_due_on, *accepted_on;
    const char *reply, *title, *record_no, *record_title, *department;
    unsigned long long department_id;
    apr_array_header_t *fields; /* of credit_case_field_t */
    apr_array_header_t *events; /* of credit_case_event_row_t, oldest first */
} credit_admin_case_t;

/* The case of a receipt number in st's scope; CREDIT_ENOTFOUND otherwise. */
credit_status_t credit_admin_case_get(credit_store_t *s, const credit_staff_t *st,
                                      const char *receipt, credit_admin_case_t **out);

#endif
