/* credit_admin_html.h: what the staff's HTML pages share (internal to
 * credit_admin_html.c, credit_admin_queue.c and credit_admin_case.c):
 * rendering and error pages, the case forms' tokens, the clocks of due
 * dates, the departments list and the queues' names. */
#ifndef CREDIT_ADMIN_HTML_H
#define CREDIT_ADMIN_HTML_H

#include "credit_admin_queue.h"

/* A queue's URL segment and the kind of case it holds. */
typedef struct {
    const char *segment, *kind;
} credit_admin_queue_kind_t;

/* complaints, objections, repairs. */
extern const credit_admin_queue_kind_t credit_admin_queue_kinds[3];

credit_status_t credit_admin_plain_error(credit_req_t *rq, int status, const char *code,
                                         const char *message);

/* A view with the staff member and the language switch's query. */
credit_status_t credit_admin_open_view(credit_req_t *rq, const credit_staff_t *st,
                                       credit_view_t **v);

credit_status_t credit_admin_render(credit_req_t *rq, credit_view_t *v, const char *page,
                                    int status);

/* The error page of status (404, 400, 503, 500) with Admin.error.<code>. */
credit_status_t credit_admin_page_error(credit_req_t *rq, const credit_staff_t *st, int status,
                                        const char *code, const char *detail);

credit_status_t credit_admin_store_page_error(credit_req_t *rq, const credit_staff_t *st,
                                              credit_status_t rv);

/* The state of a case a form acts on: its status, and for the assign form
 * also its department ("accepted/12"; 0: none). */
const char *credit_admin_form_state(credit_req_t *rq, const char *action, const char *status,
                                    unsigned long long department_id);

/* What a case form's token is bound to: the case, the form (transition |
 * assign), the state of the case the form was shown for (form_state) and
 * the login. So a token serves its own form only, and once: after the case
 * moved on (or was assigned) it no longer matches the case. */
const char *credit_admin_token_form(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                    const char *action, const char *state);

/* A fresh token for a case form; NULL without keys. */
const char *credit_admin_form_token(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                    const char *action, const char *state);

/* The calendar from the earliest to the latest of today and the due dates
 * (credit_admin_calendar keeps today in it when that is too long a span). */
credit_status_t credit_admin_load_calendar(credit_req_t *rq, const char *const *dues, int n,
                                           credit_calendar_t *cal);

void credit_admin_set_clock(credit_req_t *rq, credit_view_t *v, const char *prefix,
                            const credit_calendar_t *cal, const char *due_on);

/* The departments under Departments.N (id, name, district_label); *deps
 * receives them. Errors as the store's. */
credit_status_t credit_admin_departments_view(credit_req_t *rq, credit_view_t *v,
                                              apr_array_header_t **deps);

#endif
