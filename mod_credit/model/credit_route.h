/* credit_route.h: request path (below the <Location>) -> route, table-driven. */
#ifndef CREDIT_ROUTE_H
#define CREDIT_ROUTE_H

#include "credit.h"

typedef enum {
    CREDIT_ROUTE_NONE = 0,
    CREDIT_ROUTE_HOME,          /* /                 */
    CREDIT_ROUTE_RECORDS,       /* /records          */
    CREDIT_ROUTE_RECORD,        /* /records/{no}     */
    CREDIT_ROUTE_SUBJECT,       /* /subjects/{id}    */
    CREDIT_ROUTE_API_HEALTH,    /* /api/v1/health    */
    CREDIT_ROUTE_CSV,           /* /records.csv      */
    CREDIT_ROUTE_FEED,          /* /feed.atom        */
    CREDIT_ROUTE_API_RECORDS,   /* /api/v1/records        */
    CREDIT_ROUTE_API_RECORD,    /* /api/v1/records/{no}   */
    CREDIT_ROUTE_API_SUBJECT,   /* /api/v1/subjects/{id}  */
    CREDIT_ROUTE_API_SEARCH,    /* /api/v1/search         */
    CREDIT_ROUTE_API_STATS,     /* /api/v1/stats          */
    CREDIT_ROUTE_API_CHANGES,   /* /api/v1/changes        */
    CREDIT_ROUTE_API_OPENAPI,   /* /api/v1/openapi.json   */
    CREDIT_ROUTE_API_DUMPS,     /* /api/v1/dumps          */
    CREDIT_ROUTE_COMPLAINT_NEW, /* /complaints/new          */
    CREDIT_ROUTE_COMPLAINTS,    /* /complaints (POST)       */
    CREDIT_ROUTE_CASE_STATUS,   /* /complaints/status       */
    CREDIT_ROUTE_OBJECTION,     /* /records/{no}/objection  */
    CREDIT_ROUTE_REPAIR,        /* /records/{no}/repair     */
    CREDIT_ROUTE_RATINGS,       /* /ratings                 */
    CREDIT_ROUTE_COMMITMENTS,   /* /commitments             */
    CREDIT_ROUTE_STATS,         /* /stats                   */
    CREDIT_ROUTE_XLSX,          /* /records.xlsx            */
    CREDIT_ROUTE_COUNT
} credit_route_id_t;

#define CREDIT_M_GET  1 /* GET and HEAD */
#define CREDIT_M_POST 2

typedef struct {
    credit_route_id_t id;
    const char *name;  /* stable name for logs and templates, e.g. "record" */
    const char *param; /* the {} segment, already validated; NULL when none */
    int methods;       /* CREDIT_M_* the route accepts */
    int api;           /* 1 for /api/ routes: errors are JSON */
} credit_route_match_t;

/* Matches `path`, the part of the URI after the base path ("" or "/" is the
 * home page; one trailing slash after a non-root path is ignored). A {no}
 * segment must be a valid record number and an {id} a valid decimal id,
 * otherwise the path does not match. Returns CREDIT_OK and fills `out`, or
 * CREDIT_ENOTFOUND (out->api still tells whether the path is under /api/). */
credit_status_t credit_route_match(apr_pool_t *p, const char *path, credit_route_match_t *out);

/* 1 when the route's answer is in the visitor's language (pages, feeds);
 * 0 for the JSON API and the CSV export, the same for everyone (codes and
 * Chinese labels), whose validators and cache keys leave the language out.
 * Error pages of the latter are still in the visitor's language. */
int credit_route_localized(const credit_route_match_t *m);

/* The staff handler's patterns (credit_admin.c): a literal path, or one
 * with a single '*' (exactly one non-empty segment) or '**' (the rest: a
 * value with at least one '/' inside) and literal text on either side.
 * Returns 1 when path matches pattern, with *key what the star stood for
 * (from p; NULL for a literal pattern); 0 otherwise (*key NULL). */
int credit_route_glob(apr_pool_t *p, const char *pattern, const char *path, const char **key);

#endif
