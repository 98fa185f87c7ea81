/* credit_store_admin_bodies.h: staff writes of ratings and commitments.
 * Each write and its before/after goes into audit_log in the same
 * transaction as the write, with the staff's login; a write that fails
 * anywhere is rolled back whole (no rating, indicator, commitment or audit
 * row of it remains). Prepared statements only. */
#ifndef CREDIT_STORE_ADMIN_BODIES_H
#define CREDIT_STORE_ADMIN_BODIES_H

#include "credit_store_admin.h"
#include "credit_bodies_input.h"

typedef struct {
    unsigned long long id;
    const char *name, *kind, *district, *level;
} credit_admin_subject_t;

/* The rating of subject_id for year with its indicators (published or
 * not) and its subject. CREDIT_ENOTFOUND when there is none. */
credit_status_t credit_admin_rating_read(credit_store_t *s, const credit_staff_t *st,
                                         unsigned long long subject_id, int year,
                                         credit_rating_in_t **out, credit_admin_subject_t *sj);

/* Creates (*created = 1) or replaces the rating r->subject_id / r->year:
 * the row, then its indicators (the old ones deleted), then the audit row
 * "rating:upsert" (before: the old rating and indicators, or null). Sets
 * r->id. CREDIT_ENOTFOUND: no such subject; CREDIT_EINVAL: the subject is
 * not a government body at city or district level (*why names subject_id).
 * Other errors as credit_maria_admin; nothing is left of a failed write. */
credit_status_t credit_admin_rating_upsert(credit_store_t *s, const credit_staff_t *st,
                                           credit_rating_in_t *r, int *created,
                                           credit_admin_subject_t *sj, const char **why);

/* The commitment `id` if the staff may see it (city level: all; a
 * department: subjects of its district). CREDIT_ENOTFOUND otherwise. */
credit_status_t credit_admin_commitment_read(credit_store_t *s, const credit_staff_t *st,
                                             unsigned long long id, credit_commitment_in_t **out,
                                             credit_admin_subject_t *sj);

/* Creates the commitment c (already merged and checked) with its audit
 * row "commitment:create"; sets c->id. CREDIT_ENOTFOUND: no such subject
 * or one outside the staff's district (*why says so); CREDIT_EINVAL: the
 * subject is not a street or township. */
credit_status_t credit_admin_commitment_create(credit_store_t *s, const credit_staff_t *st,
                                               credit_commitment_in_t *c,
                                               credit_admin_subject_t *sj, const char **why);

/* Applies `change` to commitment `id` under a row lock
 * (credit_commitment_merge decides) with its audit row
 * "commitment:update". CREDIT_ENOTFOUND: none the staff may see;
 * CREDIT_EINVAL / CREDIT_ECONFLICT with *why from the merge. */
credit_status_t credit_admin_commitment_update(credit_store_t *s, const credit_staff_t *st,
                                               unsigned long long id,
                                               const credit_commitment_in_t *change,
                                               credit_commitment_in_t **out,
                                               credit_admin_subject_t *sj, const char **why);

/* The audit rows (credit_audit_t) of the rating id_or_subject / year
 * (entity "rating") or of the commitment id_or_subject ("commitment"),
 * oldest first. CREDIT_ENOTFOUND when there is no such rating or
 * commitment the staff may see. */
credit_status_t credit_admin_public_audit(credit_store_t *s, const credit_staff_t *st,
                                          const char *entity, unsigned long long id_or_subject,
                                          int year, apr_array_header_t **out);

#endif
