/* credit_store_admin.h: staff writes (admin handler). Every write and its
 * before/after goes into audit_log in the same transaction, with the
 * Apache-authenticated user; a failed write leaves no audit row. */
#ifndef CREDIT_STORE_ADMIN_H
#define CREDIT_STORE_ADMIN_H

#include "credit_store.h"

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
 * change their record in the same transaction. Errors as above; *from is
 * the case's state on CREDIT_ECONFLICT. */
credit_status_t credit_admin_case_transition(credit_store_t *s, const credit_staff_t *st,
                                             const char *receipt, const char *to, const char *note,
                                             const char *reply, const char **from,
                                             const char **why);

typedef struct {
    const char *actor, *at, *action, *before_json, *after_json;
} credit_audit_t;

/* The audit rows of one entity (record id or case receipt), oldest first. */
credit_status_t credit_admin_audit(credit_store_t *s, const credit_staff_t *st, const char *entity,
                                   const char *key, apr_array_header_t **out);

#endif
