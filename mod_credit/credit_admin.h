/* credit_admin.h: the staff JSON API (handler credit-admin). The request
 * is the public one's credit_req_t; the user comes from Apache's authn/authz
 * and must have a staff row. */
#ifndef CREDIT_ADMIN_H
#define CREDIT_ADMIN_H

#include <json.h>
#include "credit_page.h"

/* Runs the admin route of rq->path for `user` with the parsed JSON body
 * (NULL for GET). The response (JSON, errors as {"error":...}) is in rq.
 * Returns the outcome for the glue's log line. */
credit_status_t credit_admin_dispatch(credit_req_t *rq, const char *user, json_object *body);

#endif
