/* credit_query.c: the search language of q= and its translation into a
 * Mroonga boolean-mode string. The engine never sees user syntax: every term
 * becomes one double-quoted Groonga phrase with '"' and '\' escaped, joined
 * only by operators written here (+, -, OR, parentheses). The string always
 * starts with '+', so a Groonga pragma (*D+, *W...) can never lead it. */
#include <string.h>
#include <apr_strings.h>

#include "credit_query.h"
#include "credit_model.h"
#include "credit_validate.h"

#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */
#define LDQUOTE    "\xE2\x80\x9C" /* U+201C “ */
#define RDQUOTE    "\xE2\x80\x9D" /* U+201D ” */
#define HAO        "\xE5\x8F\xB7" /* 号 */
#define LBRACKET   "\xE3\x80\x94" /* 〔 */
#define RBRACKET   "\xE3\x80\x95" /* 〕 */

/* One item of q before OR is resolved: a span of q (words) or a copy with
 * white space collapsed (phrases). */
typedef struct {
    const char *text;
    size_t len;
    int phrase;
    int negated;
    int bare_or; /* an unquoted, un-negated OR */
} item_t;

/* Length of the separator (ASCII white space or U+3000) at s, 0 when none. */
static size_t sep_at(const char *s, const char *end)
{
    if (s < end && credit_ascii_space((unsigned char)*s)) {
        return 1;
    }
    if (end - s >= 3 && memcmp(s, IDEO_SPACE, 3) == 0) {
        return 3;
    }
    return 0;
}

/* Length of an opening quote at s (" or “) and its closing quote; 0 when none. */
static size_t quote_at(const char *s, const char *end, const char **close)
{
    if (s < end && *s == '"') {
        *close = "\"";
        return 1;
    }
    if (end - s >= 3 && memcmp(s, LDQUOTE, 3) == 0) {
        *close = RDQUOTE;
        return 3;
    }
    return 0;
}

/* First occurrence of the NUL-terminated needle in [s, end), or end. */
static const char *find(const char *s, const char *end, const char *needle)
{
    size_t n = strlen(needle);

    for (; (size_t)(end - s) >= n; s++) {
        if (memcmp(s, needle, n) == 0) {
            return s;
        }
    }
    return end;
}

/* Copies [s, end) with every run of separators made one ASCII space and the
 * ends trimmed. Sets *len; the copy may be empty. */
static const char *collapse(apr_pool_t *p, const char *s, const char *end, size_t *len)
{
    char *out = apr_palloc(p, (size_t)(end - s) + 1), *o = out;
    size_t n;
    int pending = 0;

    while (s < end) {
        if ((n = sep_at(s, end)) != 0) {
            pending = o > out;
            s += n;
            continue;
        }
        if (pending) {
            *o++ = ' ';
            pending = 0;
        }
        *o++ = *s++;
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/* Returns 1 when q contains C0 controls other than ASCII white space, DEL or
 * C1 controls (U+0080..U+009F). */
static int has_controls(const char *q)
{
    const unsigned char *u;

    for (u = (const unsigned char *)q; *u; u++) {
        if ((*u < 0x20 && !credit_ascii_space(*u)) || *u == 0x7F ||
            (*u == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)) {
            return 1;
        }
    }
    return 0;
}

/* Splits q into items; lone '-' and empty phrases are dropped. */
static apr_array_header_t *split_items(apr_pool_t *p, const char *q)
{
    apr_array_header_t *items = apr_array_make(p, 8, sizeof(item_t));
    const char *s = q, *end = q + strlen(q), *close, *start, *stop;
    item_t it;
    size_t n;

    while (s < end) {
        if ((n = sep_at(s, end)) != 0) {
            s += n;
            continue;
        }
        memset(&it, 0, sizeof(it));
        if (*s == '-') {
            s++;
            if (s == end || sep_at(s, end)) {
                continue; /* a lone '-' negates nothing */
            }
            it.negated = 1;
        }
        if ((n = quote_at(s, end, &close)) != 0) {
            start = s + n;
            stop = find(start, end, close);
            it.text = collapse(p, start, stop, &it.len);
            it.phrase = 1;
            s = stop == end ? end : stop + strlen(close);
        } else {
            start = s;
            while (s < end && !sep_at(s, end)) {
                s++;
            }
            it.text = start;
            it.len = (size_t)(s - start);
            it.bare_or = !it.negated && it.len == 2 && memcmp(start, "OR", 2) == 0;
        }
        if (it.len > 0) {
            APR_ARRAY_PUSH(items, item_t) = it;
        }
    }
    return items;
}

/* Returns 1 when items[i] is an OR operator: a bare OR between two terms
 * that are neither bare ORs nor negated. */
static int or_operator(const apr_array_header_t *items, int i)
{
    const item_t *it = (const item_t *)items->elts;

    return it[i].bare_or && i > 0 && i + 1 < items->nelts && !it[i - 1].bare_or &&
           !it[i + 1].bare_or && !it[i - 1].negated && !it[i + 1].negated;
}

/* Returns 1 when s has the shape of a decision document number: 〔...〕 or
 * [...] (the opening bracket first), ending in 号 after the closing bracket. */
static int decision_shaped(const char *s)
{
    size_t len = strlen(s);
    const char *end = s + len, *open;

    if (len < 3 || memcmp(end - 3, HAO, 3) != 0) {
        return 0;
    }
    end -= 3;
    open = find(s, end, LBRACKET);
    if (open < end && find(open + 3, end, RBRACKET) < end) {
        return 1;
    }
    open = find(s, end, "[");
    return open < end && find(open + 1, end, "]") < end;
}

/* Where an error goes: the English message, the key of the language
 * files and the limit it names (each may be NULL). */
typedef struct {
    const char **err;
    const char **key;
    int *limit;
} qfail_t;

static credit_status_t fail(const qfail_t *f, const char *key, int limit, const char *message)
{
    if (f->err) {
        *f->err = message;
    }
    if (f->key) {
        *f->key = key;
    }
    if (f->limit) {
        *f->limit = limit;
    }
    return CREDIT_EINVAL;
}

credit_status_t credit_query_parse(apr_pool_t *p, const char *q, credit_query_t *out,
                                   const char **err)
{
    return credit_query_parse_msg(p, q, out, err, NULL, NULL);
}

credit_status_t credit_query_parse_msg(apr_pool_t *p, const char *q, credit_query_t *out,
                                       const char **err, const char **key, int *limit)
{
    const qfail_t e = {err, key, limit};
    apr_array_header_t *items, *terms;
    const item_t *it;
    credit_qterm_t *t;
    long chars;
    int i, positive = 0;

    memset(out, 0, sizeof(*out));
    out->kind = CREDIT_Q_TEXT;
    fail(&e, NULL, 0, NULL);
    if (q == NULL) {
        return fail(&e, "q_empty", 0, "q has no search words");
    }
    chars = credit_utf8_chars(q, strlen(q));
    if (chars < 0) {
        return fail(&e, "utf8", 0, "q is not valid UTF-8");
    }
    if (chars > CREDIT_Q_MAX_CHARS) {
        return fail(&e, "too_long", CREDIT_Q_MAX_CHARS,
                    apr_psprintf(p, "q is longer than %d characters", CREDIT_Q_MAX_CHARS));
    }
    if (has_controls(q)) {
        return fail(&e, "control", 0, "q contains control characters");
    }

    items = split_items(p, q);
    it = (const item_t *)items->elts;
    terms = apr_array_make(p, items->nelts > 0 ? items->nelts : 1, sizeof(credit_qterm_t));
    for (i = 0; i < items->nelts; i++) {
        if (or_operator(items, i)) {
            APR_ARRAY_IDX(terms, terms->nelts - 1, credit_qterm_t).or_next = 1;
            continue;
        }
        if (terms->nelts == CREDIT_QUERY_MAX_TERMS) {
            return fail(&e, "q_terms", CREDIT_QUERY_MAX_TERMS,
                        apr_psprintf(p, "q has more than %d words", CREDIT_QUERY_MAX_TERMS));
        }
        if (credit_utf8_chars(it[i].text, it[i].len) > CREDIT_QUERY_MAX_TERM_CHARS) {
            return fail(&e, "q_term_long", CREDIT_QUERY_MAX_TERM_CHARS,
                        apr_psprintf(p, "a word of q is longer than %d characters",
                                     CREDIT_QUERY_MAX_TERM_CHARS));
        }
        t = &APR_ARRAY_PUSH(terms, credit_qterm_t);
        t->text = apr_pstrmemdup(p, it[i].text, it[i].len);
        t->phrase = it[i].phrase;
        t->negated = it[i].negated;
        t->or_next = 0;
        positive += !t->negated;
    }
    if (terms->nelts == 0) {
        return fail(&e, "q_empty", 0, "q has no search words");
    }
    if (positive == 0) {
        return fail(&e, "q_negated", 0, "q has only excluded words");
    }

    t = &APR_ARRAY_IDX(terms, 0, credit_qterm_t);
    if (terms->nelts == 1 && !t->phrase) {
        if (credit_code_valid(t->text)) {
            out->kind = CREDIT_Q_CREDIT_CODE;
            out->exact = t->text;
        } else if (decision_shaped(t->text)) {
            out->kind = CREDIT_Q_DECISION_NO;
            out->exact = t->text;
        }
    }
    out->terms = terms;
    return CREDIT_OK;
}

/* Writes "text" with '"' and '\' escaped at o; returns the end. */
static char *put_quoted(char *o, const char *text)
{
    *o++ = '"';
    for (; *text; text++) {
        if (*text == '"' || *text == '\\') {
            *o++ = '\\';
        }
        *o++ = *text;
    }
    *o++ = '"';
    return o;
}

const char *credit_query_groonga(apr_pool_t *p, const credit_query_t *q)
{
    const credit_qterm_t *t;
    size_t size = 1;
    char *buf, *o;
    int i, j, k, n, positive = 0, pass;

    if (q == NULL || q->terms == NULL) {
        return NULL;
    }
    t = (const credit_qterm_t *)q->terms->elts;
    n = q->terms->nelts;
    for (i = 0; i < n; i++) {
        if (t[i].text == NULL) {
            return NULL;
        }
        /* at most: ' ' '+' '(' '"' text escaped '"' " OR " ')' */
        size += 2 * strlen(t[i].text) + 10;
        /* a group is negated when its first term is */
        positive += !t[i].negated && (i == 0 || !t[i - 1].or_next);
    }
    if (positive == 0) {
        return NULL;
    }
    o = buf = apr_palloc(p, size);
    /* the positive terms and groups first, in input order, then the negated
     * ones: the string always starts with '+' */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n; i = j) {
            /* the group [i, j): terms joined by or_next */
            for (j = i + 1; j < n && t[j - 1].or_next; j++) {
            }
            if (!!t[i].negated != pass) {
                continue;
            }
            if (o > buf) {
                *o++ = ' ';
            }
            *o++ = pass ? '-' : '+';
            if (j - i > 1) {
                *o++ = '(';
            }
            for (k = i; k < j; k++) {
                if (k > i) {
                    memcpy(o, " OR ", 4);
                    o += 4;
                }
                o = put_quoted(o, t[k].text);
            }
            if (j - i > 1) {
                *o++ = ')';
            }
        }
    }
    *o = '\0';
    return buf;
}

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Length of the match of term at text[i..len), 0 when none. ASCII letters
 * match case-insensitively; a space of the term (phrases) matches any run of
 * separators, also none, as Mroonga's phrase search does. */
static size_t match_at(const char *text, size_t len, size_t i, const char *term)
{
    size_t j = i, n;

    for (; *term; term++) {
        if (*term == ' ') {
            while ((n = sep_at(text + j, text + len)) != 0) {
                j += n;
            }
        } else if (j < len &&
                   ascii_lower((unsigned char)text[j]) == ascii_lower((unsigned char)*term)) {
            j++;
        } else {
            return 0;
        }
    }
    return j - i;
}

static void push_seg(apr_array_header_t *segs, const char *s, size_t len, int match)
{
    credit_qseg_t *seg;

    if (len == 0) {
        return;
    }
    seg = &APR_ARRAY_PUSH(segs, credit_qseg_t);
    seg->text = apr_pstrmemdup(segs->pool, s, len);
    seg->match = match;
}

apr_array_header_t *credit_query_highlight(apr_pool_t *p, const credit_query_t *q, const char *text)
{
    apr_array_header_t *segs = apr_array_make(p, 4, sizeof(credit_qseg_t));
    const credit_qterm_t *t = NULL;
    size_t len, i, run = 0, m, best;
    int n = 0, k, run_match = 0;

    if (text == NULL || text[0] == '\0') {
        return segs;
    }
    len = strlen(text);
    if (q != NULL && q->terms != NULL) {
        t = (const credit_qterm_t *)q->terms->elts;
        n = q->terms->nelts;
    }
    /* leftmost, then longest: a match can only start on a character's first
     * byte, and the terms are whole characters, so matches never split one */
    for (i = 0; i < len;) {
        best = 0;
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            for (k = 0; k < n; k++) {
                if (!t[k].negated && t[k].text != NULL && t[k].text[0] != '\0' &&
                    (m = match_at(text, len, i, t[k].text)) > best) {
                    best = m;
                }
            }
        }
        if ((best > 0) != run_match) {
            push_seg(segs, text + run, i - run, run_match);
            run = i;
            run_match = best > 0;
        }
        i += best > 0 ? best : 1;
    }
    push_seg(segs, text + run, len - run, run_match);
    return segs;
}
