/* credit_page.h: the public page families and what they share. The
 * request is credit_req.h's: the glue (mod_credit_handler.c) fills a
 * credit_req_t from request_rec, calls credit_page_dispatch() and sends
 * the response. */
#ifndef CREDIT_PAGE_H
#define CREDIT_PAGE_H

#include "credit_req.h"
#include "credit_lines.h"

/* Runs the page of rq->route. On any failure the response is the error page
 * (HTML or JSON for /api/) with the right status; the return value is the
 * page's own status for the caller's log. */
credit_status_t credit_page_dispatch(credit_req_t *rq);

/* Fills the response with the error page for `status` (400 404 410 500 503),
 * JSON for API routes. `message` is shown to the person (may be NULL). */
void credit_page_error(credit_req_t *rq, int status, const char *code, const char *message);

/* A message to a person about a request they made (a bad parameter, a
 * year without ratings), in their language: Lang.msg.<key> of the
 * language files with its placeholders filled ({label} the parameter's
 * name for people, {min} {max} {value} {values}), after the parameter as
 * it is written in the address (Lang.msg.detail: "{param}: {text}"). */
typedef struct {
    const char *param;     /* "district"; NULL: the message names no parameter */
    const char *label_key; /* the parameter's name for people; NULL: Lang.msg.param.<param> */
    const char *key;       /* Lang.msg.<key> */
    long min, max;         /* {min}, {max} */
    const char *value;     /* {value}, as it is */
    /* {values}: the accepted codes (const char *), each with its label
     * Lang.enum.<kind>.<code> (kind NULL: param) */
    const apr_array_header_t *choices;
    const char *kind;
} credit_msg_t;

/* The text of m in language lang ("zh-CN", "en"); with_param = 1 puts the
 * parameter before it (Lang.msg.detail). A key missing from lang is taken
 * from English, then written as the key itself. Never NULL. */
const char *credit_page_msg(credit_req_t *rq, const char *lang, const credit_msg_t *m,
                            int with_param);

/* The error page `status` (400, 404) with m, parameter first, as its
 * detail in the request's language (the JSON API's message: in English).
 * Returns CREDIT_EINVAL for 400, CREDIT_ENOTFOUND for 404. */
credit_status_t credit_page_bad(credit_req_t *rq, int status, const char *code,
                                const credit_msg_t *m);

/* Page families (credit_page_*.c), called through the dispatch table. */
credit_status_t credit_page_home(credit_req_t *rq);
credit_status_t credit_page_records(credit_req_t *rq);
credit_status_t credit_page_record(credit_req_t *rq);
credit_status_t credit_page_subject(credit_req_t *rq);
credit_status_t credit_page_api_health(credit_req_t *rq);
credit_status_t credit_page_api_records(credit_req_t *rq);
credit_status_t credit_page_api_record(credit_req_t *rq);
credit_status_t credit_page_api_subject(credit_req_t *rq);
credit_status_t credit_page_api_changes(credit_req_t *rq);
credit_status_t credit_page_api_stats(credit_req_t *rq);
credit_status_t credit_page_api_openapi(credit_req_t *rq);
credit_status_t credit_page_api_dumps(credit_req_t *rq);
credit_status_t credit_page_csv(credit_req_t *rq);
credit_status_t credit_page_xlsx(credit_req_t *rq);
credit_status_t credit_page_submit(credit_req_t *rq);
credit_status_t credit_page_case_status(credit_req_t *rq);
credit_status_t credit_page_feed(credit_req_t *rq);
credit_status_t credit_page_ratings(credit_req_t *rq);
credit_status_t credit_page_commitments(credit_req_t *rq);
credit_status_t credit_page_stats(credit_req_t *rq);

/* Shared by the pages (credit_page.c). */

/* The page's <title> and <meta name="description"> (Page.Title,
 * Page.Description): the patterns Lang.head.<family>.title and
 * .description of the request's language with their {placeholders} filled
 * from pairs (name, value, ..., NULL; see credit_text_fill), the title
 * inside Lang.head.title (the site's name), the description clipped to
 * CREDIT_HEAD_DESCRIPTION_MAX characters (an ellipsis included). A family without a pattern
 * leaves the layout's default. */
#define CREDIT_HEAD_DESCRIPTION_MAX 200
void credit_page_head(credit_req_t *rq, credit_view_t *v, const char *family,
                      const char *const *pairs);

/* The string of language key `key` in the request's language (English
 * when the request's language has none), or "" when neither has it. */
const char *credit_page_say(credit_req_t *rq, const char *key);

/* Renders `tpl` into the response as text/html with status 200. */
credit_status_t credit_page_render(credit_req_t *rq, credit_view_t *v, const char *tpl);

/* Reads the data version, sets ETag and Last-Modified, and asks the glue
 * whether the client's copy is current. Returns CREDIT_OK with *fresh = 1
 * when the response is a 304 already; errors as the store's. */
credit_status_t credit_page_validators(credit_req_t *rq, int *fresh);

/* A data version's last change ("YYYY-MM-DD HH:MM:SS", Beijing) as Unix
 * seconds; 0 when NULL or not such a time. */
long long credit_page_changed_unix(const char *changed_at);

/* The same with the caller's ETag and last change ("YYYY-MM-DD HH:MM:SS",
 * Beijing; NULL: unknown); daily = 1 when the answer also changes at
 * midnight (the disclosure clock). Never fails. */
credit_status_t credit_page_validators_for(credit_req_t *rq, const char *etag,
                                           const char *changed_at, int daily, int *fresh);

/* Permanent links: when rv is CREDIT_ENOTFOUND and the route's {no} is the
 * old number of a renumbered or merged record, the response becomes a 301
 * to base + prefix + new number and CREDIT_OK is returned; otherwise rv. */
credit_status_t credit_page_moved(credit_req_t *rq, const char *prefix, credit_status_t rv);

/* The date a withdrawn record's tombstone shows: the decision that withdrew
 * it, or the end of its window; never after today. Allocated from p. */
const char *credit_tombstone_date(apr_pool_t *p, const credit_record_t *r, credit_date_t today);

/* The subject of the route's {id} with up to limit of its public records.
 * CREDIT_ENOTFOUND also for an official with no public record (the
 * profile of a civil servant exists only through a disclosed record). */
credit_status_t credit_page_subject_load(credit_req_t *rq, int limit, credit_subject_t **s,
                                         apr_array_header_t **records, long long *total);

/* Parses the request's filter (the one filter language of every list).
 * On a bad value the response is already the 400 page (JSON for /api/)
 * naming the parameter, and CREDIT_EINVAL is returned. */
credit_status_t credit_page_filter(credit_req_t *rq, credit_filter_t *f);

/* The cache key of `what` for this request's data version and day
 * ("what|version|YYYYMMDD"): a write or a new day makes it another key.
 * Errors as the store's version. */
credit_status_t credit_page_cache_key(credit_req_t *rq, const char *what, const char **key);

/* Computes one number for credit_page_cached_count. */
typedef credit_status_t credit_count_fn(credit_req_t *rq, const void *ctx, long long *out);

/* The number cached under key, computed by count once per child however
 * many requests miss it together (single flight per key). Errors as count. */
credit_status_t credit_page_cached_count(credit_req_t *rq, const char *key, credit_count_fn *count,
                                         const void *ctx, long long *out);

/* The number of public records matching f. Without words and dates it is
 * exact, summed from the tally (no counting); otherwise the store counts,
 * up to rq->count_bound or a frequent word's budget (*rel GT, GTE), cached
 * per data version and day. */
credit_status_t credit_page_total(credit_req_t *rq, const credit_filter_t *f, long long *out,
                                  credit_total_rel_t *rel);

/* Every public record of f to fn, as the exports (CSV, workbook) read
 * them: the fields they show, and the number the tally knows without
 * counting (enumerated filters only) as the rows the store can expect.
 * Holds a place among the exports streaming (CreditExports) in
 * rq->export_hold until the last row, or CREDIT_EBUSY before any when none
 * came free. A writer marks its writes to the client on the hold
 * (credit_gate_hold_writing): one that waits over a quarter of a second
 * (the client reads less than a 64 KB chunk in that time, or stopped) gives
 * the place to the next export, and the export goes on at its client's
 * pace. Two slow readers would otherwise hold every place of a server. */
credit_status_t credit_page_each_export(credit_req_t *rq, const credit_filter_t *f,
                                        credit_record_fn *fn, void *ctx);

/* credit_page_each_export in its three steps, for an export that may read
 * its rows elsewhere (the CSV: credit_page_lines): the place is taken (or
 * CREDIT_EBUSY), the rows read from the store, the place given back (also
 * when not taken). */
credit_status_t credit_page_export_begin(credit_req_t *rq);
credit_status_t credit_page_export_records(credit_req_t *rq, const credit_filter_t *f,
                                           credit_record_fn *fn, void *ctx);
void credit_page_export_end(credit_req_t *rq);

/* The district's rendered lines that answer the CSV export of f
 * (CreditExportLines; credit_lines.h), made now when the current data version
 * and day have none yet: one request of a child makes them, the others of
 * the same key wait for it. CREDIT_OK with *out, or CREDIT_ENOTFOUND when the
 * export reads the store instead: no directory set, a filter the lines do
 * not answer (words, no district), data changed less than
 * rq->lines_settle seconds ago (a burst of writes would make a file each),
 * or the file could not be made (logged). Other errors as the store's. */
credit_status_t credit_page_lines(credit_req_t *rq, const credit_filter_t *f, credit_lines_t **out);

/* "eq", "gt" or "gte": the JSON name of a total's relation. */
const char *credit_total_rel_name(credit_total_rel_t rel);

#endif
