/* credit_search.h: the two ways a word search is answered, as text the
 * store sends (docs/SEARCH.md has the measurements behind them):
 *
 *  - the engine: one Groonga `select` over record_search (Mroonga's table,
 *    run through the mroonga_command UDF), with the public window, the
 *    filters, the order and the page inside the engine; it gives the ids
 *    and the exact number of matches. Cheap for rarer words.
 *  - the walk: InnoDB's record_text read in the list's own order (through
 *    the filter's index), testing each row's text for the terms' bytes,
 *    stopping after a budget of rows (LIMIT ROWS EXAMINED). Exact and cheap
 *    for frequent words (the newest matches come first); the matches found
 *    (those of the probe, or of the first page) are a lower bound of their
 *    number.
 *
 * Everything a person typed reaches the engine only inside quoted, escaped
 * string literals, and the walk only as bound parameters. */
#ifndef CREDIT_SEARCH_H
#define CREDIT_SEARCH_H

#include "credit.h"
#include "credit_filter.h"
#include "credit_query.h"

/* 1 when the walk answers q exactly as the engine would: every term is
 * made of CJK ideographs only (the engine's bigrams of such a term match
 * exactly where LIKE '%term%' does, and so does a term's UTF-8 as a
 * substring of the text's bytes, which the walk tests; Latin runs, digits
 * and phrases with spaces are tokenised differently and stay with the
 * engine). */
int credit_search_walkable(const credit_query_t *q);

/* What a Groonga select asks. */
typedef struct {
    const char *table;        /* "record_search" */
    const credit_query_t *q;  /* CREDIT_Q_TEXT with at least one positive term */
    const credit_filter_t *f; /* enumerated filters, from/to, sort, cursor */
    credit_date_t today;      /* the public window's day */
    int scan_desc;            /* newest first (also for a backward cursor of oldest) */
    int with_cursor;          /* keep to the far side of f->cursor */
    long long offset, limit;  /* limit -1: every match */
} credit_grn_select_t;

/* The command for mroonga_command(): ids in `_key`, sorted, and the number
 * of matches. NULL when q has no positive term. */
const char *credit_grn_select(apr_pool_t *p, const credit_grn_select_t *s);

/* Reads the answer of a select with --output_columns _key: *nhits (every
 * match, whatever the page) and the page's ids (unsigned long long) in
 * order. CREDIT_EINTERNAL when it is not such an answer. */
credit_status_t credit_grn_parse(apr_pool_t *p, const char *json, long long *nhits,
                                 apr_array_header_t **ids);

#endif
