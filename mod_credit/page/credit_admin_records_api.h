/* credit_admin_records_api.h: the staff API's record routes (see
 * credit_record_input.h for the paths), called through the routes[] table
 * of credit_admin.c with its admin_fn signature. Each fills rq with the
 * JSON answer (errors as {"error": {"code", "field", "message"}}) and
 * returns the outcome for the glue's log line. */
#ifndef CREDIT_ADMIN_RECORDS_API_H
#define CREDIT_ADMIN_RECORDS_API_H

#include "credit_admin.h"
#include "credit_store_staff.h"

credit_status_t credit_admin_post_record(credit_req_t *rq, const credit_staff_t *st,
                                         const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_get_record(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in);
credit_status_t credit_admin_put_record(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in);
credit_status_t credit_admin_import_records(credit_req_t *rq, const credit_staff_t *st,
                                            const char *key, const credit_admin_body_t *in);

#endif
