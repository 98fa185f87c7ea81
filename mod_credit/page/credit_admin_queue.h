/* credit_admin_queue.h: the staff's work queues (HTML, no JavaScript) and
 * the assignment of complaints to departments (HTML form and JSON):
 *   GET  /queues                              open and overdue cases per queue and department
 *   GET  /queues/{complaints|objections|repairs}[?department=N|none][&page=N]
 *                                             open cases, overdue first, with their clocks,
 *                                             CREDIT_QUEUE_PAGE_SIZE a page (404 past the end)
 *   GET  /cases/{receipt}[?done=STATE]        one case: fields, timeline, audit, forms
 *   POST /cases/{receipt}                     the forms (action=transition | assign; CSRF token)
 *   POST /api/v1/cases/{receipt}/assign       {"department_id": N, "note": "..."}
 * Every function has the admin routes' signature (credit_admin.c) and
 * leaves the response in rq: an HTML page (Cache-Control: no-store), a 303
 * after a form did its work, or JSON for the API. They return CREDIT_OK, or
 * CREDIT_EUNAVAIL / CREDIT_EINTERNAL after answering 503 / 500. */
#ifndef CREDIT_ADMIN_QUEUE_H
#define CREDIT_ADMIN_QUEUE_H

#include "credit_admin.h"
#include "credit_store_staff.h"

/* Items one queue page lists (?page=N, 1-based, shows the next ones; the
 * page says which items of how many) and the highest page number taken. */
#define CREDIT_QUEUE_PAGE_SIZE 50
#define CREDIT_QUEUE_PAGES_MAX 100000

/* Seconds a case page's form stays valid. */
#define CREDIT_ADMIN_FORM_MAX_AGE (12 * 3600)

credit_status_t credit_admin_queues_page(credit_req_t *rq, const credit_staff_t *st,
                                         const char *key, const credit_admin_body_t *in);
credit_status_t credit_admin_queue_page(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in);
credit_status_t credit_admin_case_page(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                       const credit_admin_body_t *in);
credit_status_t credit_admin_case_post(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                       const credit_admin_body_t *in);

/* The HTML 403 page (admin layout, rq->lang) for a `user` Apache let in who
 * has no staff row; a JSON 403 when the page cannot be rendered. */
credit_status_t credit_admin_not_staff_page(credit_req_t *rq, const char *user);

#endif
