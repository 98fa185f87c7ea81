/* mod_credit_handler.h: the "credit" handler. */
#ifndef MOD_CREDIT_HANDLER_H
#define MOD_CREDIT_HANDLER_H

#include <httpd.h>
#include "mod_credit_config.h"

#define CREDIT_VERSION "0.1.0"

/* Forgets the template directories of the previous configuration (pre_config). */
void credit_handler_pre_config(apr_pool_t *pconf);

/* Notes a template directory to load at post_config (CreditTemplateDir). */
void credit_templates_register(const char *dir);

/* Reads every registered template directory into ptemp (configtest):
 * OK, or HTTP_INTERNAL_SERVER_ERROR after logging which one cannot be read
 * or parsed, naming CreditTemplateDir. */
int credit_handler_check(apr_pool_t *ptemp, server_rec *s);

/* Loads every registered template directory and makes the build id of
 * ETags. A directory that cannot be read now (it could at configtest) is
 * logged and left out: its <Location>s answer 500, the rest serve. */
void credit_handler_init(apr_pool_t *pconf, server_rec *s);

struct credit_req;

/* Fills rq for r: everything but the route, arguments, store and form. */
void credit_request_setup(request_rec *r, credit_dir_conf_t *dc, const char *path,
                          struct credit_req *rq);

/* Sets rq->lang from ?lang=, the language cookie or Accept-Language (and
 * the cookie when the query named one). Returns 1 when the query chose it. */
int credit_choose_lang(request_rec *r, struct credit_req *rq);

/* Reads an application/x-www-form-urlencoded body with ap_parse_form_data
 * under the form limits (CREDIT_FORM_MAX_BYTES, CREDIT_FORM_MAX_FIELDS).
 * Returns OK with the decoded fields, or the HTTP status to answer (415,
 * 411, 413, 400). */
int credit_read_form(request_rec *r, apr_table_t **out);

/* Sends rq's response (status, headers, body) on r. Returns OK. */
int credit_send(request_rec *r, struct credit_req *rq);

/* The headers every response carries, errors included. */
void credit_security_headers(request_rec *r);

/* The admin handler hook (mod_credit_admin.c): DECLINED unless r->handler
 * is "credit-admin". */
int credit_admin_handler(request_rec *r);

/* The handler hook: DECLINED unless r->handler is "credit". */
int credit_handler(request_rec *r);

#endif
