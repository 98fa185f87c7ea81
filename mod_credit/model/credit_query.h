/* credit_query.h: the search language of q= (SPEC 4, issue 2/4):
 * words are ANDed, "quoted phrases", -exclusion, OR between two terms.
 * User input is never passed to the search engine as syntax: every term is
 * re-written as an escaped, quoted Groonga term. */
#ifndef CREDIT_QUERY_H
#define CREDIT_QUERY_H

#include "credit.h"

#define CREDIT_QUERY_MAX_TERMS      10
#define CREDIT_QUERY_MAX_TERM_CHARS 50

typedef struct {
    const char *text; /* the term, unquoted, valid UTF-8, never empty */
    int phrase;       /* came from "quotes" */
    int negated;      /* -term: must not match */
    int or_next;      /* ORed with the following term (a OR b) */
} credit_qterm_t;

typedef enum {
    CREDIT_Q_TEXT = 0,    /* full-text search over the terms */
    CREDIT_Q_CREDIT_CODE, /* q is exactly one unified social credit code (valid check char) */
    CREDIT_Q_DECISION_NO  /* q looks like a decision document number: exact match path */
} credit_qkind_t;

typedef struct {
    credit_qkind_t kind;
    const char *exact;         /* for CREDIT_Q_CREDIT_CODE / DECISION_NO: the value to match */
    apr_array_header_t *terms; /* credit_qterm_t, in input order */
} credit_query_t;

/* Parses q (already trimmed, valid UTF-8, <= CREDIT_Q_MAX_CHARS characters).
 * Rules: terms are separated by ASCII white space or U+3000; "..." (or
 * “...”) is a phrase (an unterminated quote runs to the end; white space
 * inside is collapsed to one space); a quote inside a word is an ordinary
 * character; a leading '-' negates a term or phrase, a lone '-' and empty
 * phrases are ignored; a bare OR (upper case) between two terms joins them;
 * OR at the start or end, doubled, or next to a negated term is an ordinary
 * word; a query of only negated terms, or of no terms, is an error; more
 * than CREDIT_QUERY_MAX_TERMS terms or a term longer than
 * CREDIT_QUERY_MAX_TERM_CHARS characters is an error.
 * When q is one plain term: an upper-case 18-character string with a valid
 * GB 32100 check character is kind CREDIT_CODE; a string shaped like a
 * decision number (contains 〔 then 〕, or [ then ], and ends in 号) is kind
 * DECISION_NO; both also keep their terms. Returns CREDIT_OK, or CREDIT_EINVAL
 * with *err set to an English message (also for NULL, invalid UTF-8, too
 * long q or control characters other than white space); *out then holds
 * kind CREDIT_Q_TEXT and no terms. */
credit_status_t credit_query_parse(apr_pool_t *p, const char *q, credit_query_t *out,
                                   const char **err);

/* credit_query_parse, and on error also the message for people: *key is
 * its key in the language files (Lang.msg.<key>: "q_empty", "q_negated",
 * "q_terms", "q_term_long", "too_long", "utf8", "control") and *limit the
 * number it names (0: none). key and limit may be NULL. */
credit_status_t credit_query_parse_msg(apr_pool_t *p, const char *q, credit_query_t *out,
                                       const char **err, const char **key, int *limit);

/* The Mroonga boolean-mode string for the terms: each term as +"..." or
 * -"...", with '"' and '\' escaped by '\'; an OR group as +("a" OR "b");
 * positive terms and groups first, in input order, then the negated ones.
 * Returns NULL when there are no positive terms. */
const char *credit_query_groonga(apr_pool_t *p, const credit_query_t *q);

/* Returns a copy of text (plain, not escaped) split into segments where the
 * positive terms of q occur: an array of credit_qseg_t in order, so a view
 * can wrap the matches in <mark> while ClearSilver escapes every segment.
 * Matching is case-insensitive for ASCII, and a space of a phrase matches
 * any run of white space, also none (as Mroonga's phrase search does); at
 * each position the longest match wins; adjacent matches form one segment. An empty array for NULL
 * or empty text; one unmatched segment when q is NULL or has no positive terms. */
typedef struct {
    const char *text;
    int match;
} credit_qseg_t;
apr_array_header_t *credit_query_highlight(apr_pool_t *p, const credit_query_t *q,
                                           const char *text);

#endif
