/* credit_filter.h: the one filter language of every list (HTML, JSON, CSV,
 * Atom): q district kind category domain severity status from to sort
 * cursor page limit. */
#ifndef CREDIT_FILTER_H
#define CREDIT_FILTER_H

#include "credit.h"

typedef enum { CREDIT_SORT_NEWEST = 0, CREDIT_SORT_OLDEST, CREDIT_SORT_RELEVANCE } credit_sort_t;

/* A keyset position: the (disclosed_on, id) of the last row shown.
 * backward = 1 asks for the page before that row. */
typedef struct {
    credit_date_t date;
    unsigned long long id;
    int backward;
} credit_cursor_t;

typedef struct {
    const char *q;        /* trimmed search words, NULL when absent */
    const char *district; /* validated enumeration codes, NULL when absent */
    const char *kind;
    const char *category;
    const char *domain;
    const char *severity;
    const char *status; /* only the public statuses: published contested corrected */
    credit_date_t from; /* disclosed on or after; y = 0 when absent */
    credit_date_t to;   /* disclosed on or before; y = 0 when absent */
    credit_sort_t sort; /* default newest; relevance only with q */
    int has_cursor;
    credit_cursor_t cursor;
    int page;  /* 1-based page number shown to people; 1 .. 100000 */
    int limit; /* 1 .. CREDIT_PAGE_MAX */
} credit_filter_t;

typedef struct {
    const char *param;   /* the offending parameter, e.g. "district" */
    const char *message; /* English, for logs */
    /* The message for people, in their language: its key in the language
     * files (Lang.msg.<key>: "twice", "choice", "withdrawn", "utf8",
     * "control", "too_long", "date", "to_before_from", "relevance_q",
     * "cursor", "range"), the numbers it names ({min}, {max}) and, for
     * "choice" and "withdrawn", the accepted codes (const char *; their
     * labels are Lang.enum.<param>.<code>). */
    const char *key;
    long min, max;
    apr_array_header_t *choices;
} credit_filter_error_t;

/* Splits a raw query string (r->args: no '?', still encoded) into a table of
 * decoded arguments that keeps every occurrence ('+' is a space, %XX is
 * decoded; a name without '=' gets ""). Use it, not ap_args_to_table: that
 * one keeps only the last of repeated names (apr_table_set) and leaves '+'
 * undecoded, so duplicates could not be refused and the '+' written by
 * credit_filter_query would come back as a literal '+'. NULL or "" gives an
 * empty table. Returns CREDIT_OK, or CREDIT_EINVAL (with *out NULL) when an
 * escape is malformed or decodes to NUL. */
credit_status_t credit_args_parse(apr_pool_t *p, const char *query, apr_table_t **out);

/* Reads a filter from decoded query arguments, as credit_args_parse makes
 * them. Parameter names are matched as APR tables match them (ASCII case
 * folded). Unknown parameters are ignored; a known parameter given twice,
 * empty values aside, is an error. Empty values count as absent. Returns
 * CREDIT_OK, or CREDIT_EINVAL with err naming the first bad parameter (in
 * the order of credit_filter_t's fields); *f then holds the defaults. */
credit_status_t credit_filter_parse(apr_pool_t *p, const apr_table_t *args, int default_limit,
                                    credit_filter_t *f, credit_filter_error_t *err);

/* The canonical, URL-encoded query string of f in a fixed parameter order,
 * absent values left out, without leading '?'; "" when nothing is set.
 * With with_position = 0 the cursor and page are left out (links to other
 * pages, cache keys of totals). The limit is included only when it differs
 * from default_limit. */
const char *credit_filter_query(apr_pool_t *p, const credit_filter_t *f, int with_position,
                                int default_limit);

/* "YYYY-MM-DD.ID" for forward cursors, "-YYYY-MM-DD.ID" for backward ones. */
const char *credit_cursor_fmt(apr_pool_t *p, const credit_cursor_t *c);

/* Parses what credit_cursor_fmt writes. Returns 1 on success, 0 otherwise. */
int credit_cursor_parse(const char *s, credit_cursor_t *out);

#endif
