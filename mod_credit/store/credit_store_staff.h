/* credit_store_staff.h: the staff's reads and writes as the second ops
 * table of a store (s->admin), beside the public reads of credit_store.h
 * (s->ops): the staff pages call s->admin->..., never an implementation's
 * function. The MariaDB implementation and each op's contract are in
 * credit_store_admin.h (staff, events, cases, queues, audit),
 * credit_store_admin_records.h (records) and credit_store_admin_bodies.h
 * (ratings and commitments), whose types the ops take. */
#ifndef CREDIT_STORE_STAFF_H
#define CREDIT_STORE_STAFF_H

#include "credit_store.h"
#include "credit_store_admin.h"
#include "credit_store_admin_records.h"
#include "credit_store_admin_bodies.h"

typedef struct credit_store_admin_ops {
    /* Staff, record events, cases, queues and audit (credit_store_admin.h). */
    credit_status_t (*staff)(credit_store_t *s, const char *user, credit_staff_t **out);
    credit_status_t (*record_event)(credit_store_t *s, const credit_staff_t *st,
                                    const char *record_no, const credit_record_event_in_t *in,
                                    const char **from, const char **to, const char **why);
    credit_status_t (*case_transition)(credit_store_t *s, const credit_staff_t *st,
                                       const char *receipt, const char *to, const char *note,
                                       const char *reply, const char *correction, const char **from,
                                       const char **why);
    credit_status_t (*case_assign)(credit_store_t *s, const credit_staff_t *st, const char *receipt,
                                   unsigned long long department_id, const char *note,
                                   const char **before, const char **name, const char **why);
    credit_status_t (*audit)(credit_store_t *s, const credit_staff_t *st, const char *entity,
                             const char *key, apr_array_header_t **out);
    credit_status_t (*db_alive)(credit_store_t *s);
    credit_status_t (*departments)(credit_store_t *s, apr_array_header_t **out);
    credit_status_t (*calendar)(credit_store_t *s, credit_date_t from, credit_date_t to,
                                credit_calendar_t *out);
    credit_status_t (*queue)(credit_store_t *s, const credit_staff_t *st, const char *kind,
                             const credit_queue_filter_t *f, apr_array_header_t **items,
                             long long *total);
    credit_status_t (*queue_counts)(credit_store_t *s, const credit_staff_t *st,
                                    apr_array_header_t **out);
    credit_status_t (*case_get)(credit_store_t *s, const credit_staff_t *st, const char *receipt,
                                credit_admin_case_t **out);
    /* Records (credit_store_admin_records.h). */
    credit_status_t (*record_create)(credit_store_t *s, const credit_staff_t *st,
                                     const credit_keys_t *keys, credit_lookup_budget_t *b,
                                     const credit_record_input_t *in, const char **record_no,
                                     credit_field_error_t *err);
    credit_status_t (*record_update)(credit_store_t *s, const credit_staff_t *st, const char *no,
                                     const credit_record_input_t *in, apr_array_header_t **changed,
                                     credit_field_error_t *err);
    credit_status_t (*record_get)(credit_store_t *s, const credit_staff_t *st, const char *no,
                                  credit_record_t **out, unsigned long long *department_id);
    credit_status_t (*record_import)(credit_store_t *s, const credit_staff_t *st,
                                     const credit_keys_t *keys, credit_lookup_budget_t *b,
                                     credit_date_t today, apr_array_header_t *lines,
                                     credit_import_mode_t mode, int *stored);
    /* Ratings and commitments (credit_store_admin_bodies.h). */
    credit_status_t (*rating_read)(credit_store_t *s, const credit_staff_t *st,
                                   unsigned long long subject_id, int year,
                                   credit_rating_in_t **out, credit_admin_subject_t *sj);
    credit_status_t (*rating_upsert)(credit_store_t *s, const credit_staff_t *st,
                                     credit_rating_in_t *r, int *created,
                                     credit_admin_subject_t *sj, const char **why);
    credit_status_t (*commitment_read)(credit_store_t *s, const credit_staff_t *st,
                                       unsigned long long id, credit_commitment_in_t **out,
                                       credit_admin_subject_t *sj);
    credit_status_t (*commitment_create)(credit_store_t *s, const credit_staff_t *st,
                                         credit_commitment_in_t *c, credit_admin_subject_t *sj,
                                         const char **why);
    credit_status_t (*commitment_update)(credit_store_t *s, const credit_staff_t *st,
                                         unsigned long long id,
                                         const credit_commitment_in_t *change,
                                         credit_commitment_in_t **out, credit_admin_subject_t *sj,
                                         const char **why);
    credit_status_t (*public_audit)(credit_store_t *s, const credit_staff_t *st, const char *entity,
                                    unsigned long long id_or_subject, int year,
                                    apr_array_header_t **out);
} credit_store_admin_ops_t;

/* The look-up budget of s's staff requests (credit_lookup_budget_t): the
 * limit and window the store was opened with, the out fields zeroed. */
void credit_admin_lookup_budget_init(credit_store_t *s, credit_lookup_budget_t *b);

#endif
