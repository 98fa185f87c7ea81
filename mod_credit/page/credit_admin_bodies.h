/* credit_admin_bodies.h: the staff API of the public bodies' ratings and
 * commitments (SPEC 3, issue 5 point 2):
 *   GET/PUT /api/v1/ratings/{subject_id}/{year}   a rating with its indicators
 *   POST    /api/v1/commitments                   a street's or township's commitment
 *   GET/PUT /api/v1/commitments/{id}
 *   GET     /api/v1/audit/ratings/{subject_id}/{year}, /api/v1/audit/commitments/{id}
 * The validation (JSON -> the structs) is credit_bodies_input.h's; the
 * writes are in credit_store_admin_bodies.c.
 * The conventions of the stored ratings are there too. */
#ifndef CREDIT_ADMIN_BODIES_H
#define CREDIT_ADMIN_BODIES_H

#include <json.h>
#include "credit_admin.h"
#include "credit_bodies_input.h"
#include "credit_store_staff.h"

/* Route functions of credit_admin.c's table (key: what the '*' stood for). */
credit_status_t credit_admin_get_rating(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in);
credit_status_t credit_admin_put_rating(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in);
credit_status_t credit_admin_post_commitment(credit_req_t *rq, const credit_staff_t *st,
                                             const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_get_commitment(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_put_commitment(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_get_rating_audit(credit_req_t *rq, const credit_staff_t *st,
                                              const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_get_commitment_audit(credit_req_t *rq, const credit_staff_t *st,
                                                  const char *key, const credit_admin_body_t *in);

#endif
