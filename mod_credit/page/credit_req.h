/* credit_req.h: a request as the pages see it, public or staff, without
 * httpd types: what was asked, the services it may use (the store, the
 * templates, caches, keys, the glue's callbacks), and the response. The
 * glue fills it (mod_credit_handler.c, mod_credit_admin.c); the public
 * pages take it through credit_page.h, the staff's through credit_admin.h. */
#ifndef CREDIT_REQ_H
#define CREDIT_REQ_H

#include "credit.h"
#include "credit_route.h"
#include "credit_store.h"
#include "credit_view.h"
#include "credit_cache.h"
#include "credit_token.h"

typedef struct credit_req credit_req_t;

struct credit_req {
    /* request */
    apr_pool_t *pool;
    int post;           /* the method is POST (rq->form holds its fields) */
    int head;           /* HEAD: the headers only, no body is made (exports skip their rows) */
    const char *base;   /* the <Location> path, without trailing '/': "/credit" */
    const char *origin; /* scheme://host:port of this request, for absolute links */
    const char *path;   /* below base */
    const apr_table_t *args;
    const char *lang;
    credit_route_match_t route;
    credit_date_t today;
    int page_size;
    int count_bound;      /* totals that must be counted stop above it (CreditCountBound) */
    const char *dump_dir; /* CreditDumpDir: the daily dumps and their index.json; NULL: none */
    const char
        *dump_url; /* where the files are served ("/credit/dumps/"); NULL: base + "/dumps/" */
    /* CreditExportLines: the directory of the districts' rendered CSV lines
     * (credit_page_lines; NULL: exports read the store), and the seconds
     * the data must stay unchanged before they are made. */
    const char *lines_dir;
    int lines_settle;
    const char *build_id; /* part of every ETag: module version and templates' digest */
    credit_store_t *store;
    credit_templates_t *templates;
    credit_cache_t *totals;
    credit_tallies_t *tallies;   /* the child's tallies of the enumerated filters; NULL: none */
    credit_cache_t *pages;       /* rendered responses by data version and day; NULL: none */
    struct credit_gate *exports; /* the places of exports streaming (CreditExports); NULL: no
                                    bound */
    struct credit_gate_hold *export_hold; /* this request's export's place; NULL: none */
    struct credit_gate *lists;            /* the places of list, search and feed pages being built
                                             (CreditListPages); NULL: no bound */
    credit_log_fn *log;
    void *log_baton;
    long long now; /* Unix time of the request */
    /* Citizens' forms. */
    const apr_table_t *form;   /* decoded POST fields; NULL for other methods */
    const credit_keys_t *keys; /* NULL when CreditSecretFile is not set */
    const char *client_ip;     /* only ever hashed */
    /* Where a POST comes from: Sec-Fetch-Site and Origin as the browser
     * sent them (NULL when absent), and this request's own origin from its
     * Host (rq->origin may be CreditPublicOrigin instead). */
    const char *fetch_site, *sent_origin, *self_origin;
    int min_fill, max_age; /* seconds (CreditFormMinSeconds, CreditFormMaxAge) */
    /* Counts one hit of bucket ("submit", "lookup") for this client, once
     * per `once` when given (the same form sent again is not counted twice);
     * returns 1 within the limit, 0 over it (the glue's mod_socache limiter). */
    int (*limit)(credit_req_t *rq, const char *bucket, const char *once);
    /* The glue's conditional-request check (If-None-Match, If-Modified-Since)
     * against the validators the page is about to send. Returns 1 when the
     * client's copy is current: the page answers 304 without rendering. */
    int (*not_modified)(credit_req_t *rq, const char *etag, long long mtime_sec);
    /* Set by a page whose validators have no time of their own (a stamp,
     * credit_public_validators): not_modified is given mtime_sec 0, and
     * no Last-Modified is sent. */
    int undated;
    void *glue;
    /* Streaming (exports): the first call sends rq->status, content_type and
     * headers, every call sends body bytes at once. Returns 0, non-zero when
     * the client has gone. After it, the response is the stream. */
    int (*stream)(credit_req_t *rq, const char *buf, apr_size_t len);
    /* Sends the file at path as the whole body (with its length), after
     * rq->status, content_type and headers; the file is removed from the
     * directory once open. Returns 0; non-zero when the file cannot be
     * opened (rq->streaming still 0: an error page may follow) or the client
     * has gone (rq->streaming 1). */
    int (*send_file)(credit_req_t *rq, const char *path);
    int streaming;
    void *stream_state; /* the glue's */

    /* response */
    int status;
    const char *content_type;
    apr_table_t *headers; /* added to the response */
    const char *body;
    apr_size_t body_len;
};

/* Opens a view with the request's language and the common page nodes set
 * (Page.Base, Page.Path, Page.Today). Returns as credit_view_open. */
credit_status_t credit_req_view(credit_req_t *rq, credit_view_t **out);

/* Logs through the core's callback. */
void credit_req_log(credit_req_t *rq, int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
