/* fuzz_search.c: libFuzzer target for the search's Groonga command and
 * answer (credit_search.c). The input is "args\0answer": args a raw query
 * string (r->args) read as the store reads it (credit_args_parse,
 * credit_filter_parse, credit_query_parse of q), answer the text
 * mroonga_command() gave back.
 *
 * The command of every query with a positive term, for both scan
 * directions, with and without a page limit, is read back as Groonga reads
 * it (a model below: grn_text_unesc_tok for the command line, the script
 * lexer's string literals for --filter). Checked (any violation abort()s):
 *  - the command line is exactly the 14 tokens of a select (table, filter,
 *    sort keys, offset, limit, output columns, cache), every character
 *    whole UTF-8, and every backslash escape of a quoted argument escapes a
 *    quote or a backslash (so no \n \t ... is read as a control character);
 *  - in the filter every string literal's escapes are \" or \\ only, and
 *    the literals are, in order, the positive terms, the negated terms, the
 *    public window's day (twice), the filter's codes, its from and to dates
 *    and the cursor's date (twice): what a person typed is never outside a
 *    literal;
 *  - outside the literals the filter is printable ASCII without quote or
 *    backslash, and is the same text whatever the words and codes are (the
 *    command of the same query with every word and code replaced by "x");
 * the LIKE pattern of each term is %term% with only % _ \ escaped; a
 * walkable query has only CJK ideographs in its terms.
 *
 * The answer: credit_grn_parse never fails on anything but a
 * CREDIT_EINTERNAL; what it accepts has a count >= 0, and the canonical
 * answer written from the count and the ids parses to the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "fuzz.h"
#include "credit_filter.h"
#include "credit_query.h"
#include "credit_rules.h"
#include "credit_search.h"

static const credit_date_t today = {2026, 5, 20};

/* ---- a model of how Groonga reads the command ---------------------------- */

/* Bytes of the character at p as Groonga's UTF-8 reader counts them: 0 for
 * NUL, a bad lead byte, a truncated or malformed sequence. */
static size_t grn_char(const char *s, const char *e)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, i;

    if (s >= e || *p == 0) {
        return 0;
    }
    if (*p < 0x80) {
        return 1;
    }
    for (n = 0; n < 8 && (*p & (0x80 >> n)); n++) {
    }
    if (n < 2 || n > 4 || s + n > e) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* The next token of a command line from *s (grn_text_unesc_tok): spaces
 * skipped; "..." or '...' with backslash escapes; ( and ) alone; else a
 * run up to a space, quote or parenthesis. NULL at the end of the line.
 * Every character must be whole, and every escape must escape a quote or a
 * backslash (Groonga would turn \n \t \r \b \f into control characters). */
static char *command_token(apr_pool_t *p, const char **s, const char *e)
{
    char *out = apr_palloc(p, (size_t)(e - *s) + 1), *o = out;
    const char *c = *s;
    char quote = 0;
    size_t n;

    while (c < e && *c == ' ') {
        c++;
    }
    if (c == e) {
        *s = c;
        return NULL;
    }
    if (*c == '(' || *c == ')') {
        *o++ = *c++;
    } else {
        if (*c == '"' || *c == '\'') {
            quote = *c++;
        }
        for (;;) {
            if (c == e) {
                CHECK(!quote); /* a quote that is not closed */
                break;
            }
            n = grn_char(c, e);
            CHECK(n > 0);
            if (quote && *c == quote) {
                c++;
                break;
            }
            if (!quote && (*c == ' ' || *c == '"' || *c == '\'' || *c == '(' || *c == ')')) {
                break;
            }
            if (*c == '\\') {
                c++;
                CHECK(c < e && (*c == '\\' || *c == '\'' || *c == '"'));
                n = 1;
            }
            memcpy(o, c, n);
            o += n;
            c += n;
        }
    }
    *o = '\0';
    *s = c;
    return out;
}

/* Splits a --filter script into its string literals (unescaped, in order)
 * and the text around them, each literal written there as "". */
static const char *script_split(apr_pool_t *p, const char *f, apr_array_header_t *lits)
{
    const char *e = f + strlen(f);
    char *skel = apr_palloc(p, strlen(f) + 1), *k = skel;
    size_t n;

    while (f < e) {
        if (*f == '"') {
            char *lit = apr_palloc(p, (size_t)(e - f)), *l = lit;
            for (f++;; f += n) {
                CHECK(f < e); /* the literal is closed */
                n = grn_char(f, e);
                CHECK(n > 0);
                if (*f == '"') {
                    f++;
                    break;
                }
                if (*f == '\\') {
                    f++;
                    CHECK(f < e && (*f == '"' || *f == '\\'));
                    n = 1;
                }
                memcpy(l, f, n);
                l += n;
            }
            *l = '\0';
            *(const char **)apr_array_push(lits) = lit;
            *k++ = '"';
            *k++ = '"';
            continue;
        }
        CHECK(*f >= 0x20 && *f < 0x7F && *f != '\'' && *f != '\\');
        *k++ = *f++;
    }
    *k = '\0';
    return skel;
}

/* Reads a command back: checks its tokens, returns the filter's skeleton
 * and puts its literals into lits. */
static const char *read_command(apr_pool_t *p, const char *cmd, long long offset, long long limit,
                                apr_array_header_t *lits)
{
    const char *s = cmd, *e = cmd + strlen(cmd), *tok[16], *keys;
    int n = 0;

    CHECK(grn_char(cmd, e) > 0);
    while ((tok[n] = command_token(p, &s, e)) != NULL) {
        CHECK(++n < 16);
    }
    CHECK(n == 14);
    CHECK(!strcmp(tok[0], "select") && !strcmp(tok[1], "record_search") &&
          !strcmp(tok[2], "--filter") && !strcmp(tok[4], "--sort_keys") &&
          !strcmp(tok[6], "--offset") && !strcmp(tok[8], "--limit") &&
          !strcmp(tok[10], "--output_columns") && !strcmp(tok[11], "_key") &&
          !strcmp(tok[12], "--cache") && !strcmp(tok[13], "no"));
    keys = tok[5];
    CHECK(!strcmp(keys, "-_score,-_key") || !strcmp(keys, "-disclosed_on,-_key") ||
          !strcmp(keys, "disclosed_on,_key"));
    CHECK(!strcmp(tok[7], apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)offset)));
    CHECK(!strcmp(tok[9], apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)limit)));
    return script_split(p, tok[3], lits);
}

/* ---- what the command must hold ------------------------------------------ */

static const char *day(apr_pool_t *p, credit_date_t d)
{
    char buf[16];
    return apr_pstrcat(p, credit_date_fmt(d, buf), " 00:00:00", NULL);
}

/* The literals in the order the filter must hold them; x: every word and
 * code as "x" (for the skeleton's query). */
static apr_array_header_t *expected(apr_pool_t *p, const credit_query_t *q,
                                    const credit_filter_t *f, int with_cursor)
{
    apr_array_header_t *a = apr_array_make(p, 16, sizeof(const char *));
    const char *const vals[6] = {f->district, f->kind,     f->category,
                                 f->domain,   f->severity, f->status};
    int i, pass;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < q->terms->nelts; i++) {
            const credit_qterm_t *t = &APR_ARRAY_IDX(q->terms, i, credit_qterm_t);
            if (t->negated == pass) {
                *(const char **)apr_array_push(a) = t->text;
            }
        }
    }
    *(const char **)apr_array_push(a) = day(p, today);
    *(const char **)apr_array_push(a) = day(p, today);
    for (i = 0; i < 6; i++) {
        if (vals[i]) {
            *(const char **)apr_array_push(a) = vals[i];
        }
    }
    if (f->from.y) {
        *(const char **)apr_array_push(a) = day(p, f->from);
    }
    if (f->to.y) {
        *(const char **)apr_array_push(a) = day(p, f->to);
    }
    if (with_cursor) {
        *(const char **)apr_array_push(a) = day(p, f->cursor.date);
        *(const char **)apr_array_push(a) = day(p, f->cursor.date);
    }
    return a;
}

/* The column the terms must be matched in: a domain's own text, else a
 * category's, when the value can name one (lower-case letters, 16 at
 * most), else every record's (sql/023). */
static const char *text_column(apr_pool_t *p, const credit_filter_t *f)
{
    const char *const vals[2] = {f->domain, f->category};
    int i;
    for (i = 0; i < 2; i++) {
        const char *v = vals[i];
        size_t n = v ? strlen(v) : 0;
        if (n > 0 && n <= 16 && strspn(v, "abcdefghijklmnopqrstuvwxyz") == n) {
            return apr_pstrcat(p, "body_", v, NULL);
        }
    }
    return "body";
}

/* Whether every " @ " of the skeleton has col just before it. */
static int matched_in(const char *skel, const char *col)
{
    const char *at = skel;
    size_t n = strlen(col);
    while ((at = strstr(at, " @ ")) != NULL) {
        const char *b = at;
        while (b > skel && (b[-1] == '_' || (b[-1] >= 'a' && b[-1] <= 'z'))) {
            b--;
        }
        if ((size_t)(at - b) != n || strncmp(b, col, n) != 0) {
            return 0;
        }
        at += 3;
    }
    return 1;
}

/* q and f with every word and code replaced by "x" (but the domain and
 * the category, which choose the column: checked by text_column). */
static void placeholders(apr_pool_t *p, const credit_query_t *q, const credit_filter_t *f,
                         credit_query_t *qx, credit_filter_t *fx)
{
    int i;

    *qx = *q;
    qx->terms = apr_array_copy(p, q->terms);
    for (i = 0; i < qx->terms->nelts; i++) {
        APR_ARRAY_IDX(qx->terms, i, credit_qterm_t).text = "x";
    }
    *fx = *f;
    fx->district = f->district ? "x" : NULL;
    fx->kind = f->kind ? "x" : NULL;

    fx->severity = f->severity ? "x" : NULL;
    fx->status = f->status ? "x" : NULL;
}

static void check_command(apr_pool_t *p, const credit_query_t *q, const credit_filter_t *f,
                          int scan_desc, int with_cursor, long long offset, long long limit)
{
    credit_grn_select_t s = {"record_search", q, f, today, scan_desc, with_cursor, offset, limit};
    credit_query_t qx;
    credit_filter_t fx;
    apr_array_header_t *lits = apr_array_make(p, 16, sizeof(const char *)), *want, *xl;
    const char *cmd = credit_grn_select(p, &s), *skel;
    int i, positive = 0;

    for (i = 0; i < q->terms->nelts; i++) {
        positive += !APR_ARRAY_IDX(q->terms, i, credit_qterm_t).negated;
    }
    CHECK((cmd != NULL) == (positive > 0));
    if (cmd == NULL) {
        return;
    }
    skel = read_command(p, cmd, offset, limit, lits);
    want = expected(p, q, f, with_cursor);
    CHECK(lits->nelts == want->nelts);
    for (i = 0; i < lits->nelts; i++) {
        CHECK(strcmp(APR_ARRAY_IDX(lits, i, const char *), APR_ARRAY_IDX(want, i, const char *)) ==
              0);
    }
    /* every term in the column the filter chooses, and in no other */
    CHECK(strstr(skel, " @ ") != NULL && matched_in(skel, text_column(p, f)));
    /* the same text around the literals whatever was typed */
    placeholders(p, q, f, &qx, &fx);
    s.q = &qx;
    s.f = &fx;
    xl = apr_array_make(p, 16, sizeof(const char *));
    CHECK(strcmp(read_command(p, credit_grn_select(p, &s), offset, limit, xl), skel) == 0);
    CHECK(xl->nelts == lits->nelts);
}

static int cjk_term(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;

    for (; *u; u += 3) {
        if (u[0] < 0xE0 || u[0] > 0xEF || u[1] == 0 || u[2] == 0) {
            return 0;
        }
        cp = ((unsigned long)(u[0] & 0x0F) << 12) | ((unsigned long)(u[1] & 0x3F) << 6) |
             (u[2] & 0x3F);
        if (!((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF))) {
            return 0;
        }
    }
    return s[0] != '\0';
}

static void check_query(apr_pool_t *p, const char *args)
{
    apr_table_t *t;
    credit_filter_t f;
    credit_filter_error_t ferr;
    credit_query_t q;
    const char *err;
    int i, walkable;
    long long offset;

    if (credit_args_parse(p, args, &t) != CREDIT_OK ||
        credit_filter_parse(p, t, 20, &f, &ferr) != CREDIT_OK || f.q == NULL ||
        credit_query_parse(p, f.q, &q, &err) != CREDIT_OK) {
        return;
    }
    walkable = credit_search_walkable(&q);
    for (i = 0; i < q.terms->nelts; i++) {
        const char *text = APR_ARRAY_IDX(q.terms, i, credit_qterm_t).text;
        CHECK(!walkable || cjk_term(text));
    }
    CHECK(!walkable || q.kind == CREDIT_Q_TEXT);
    offset = (long long)(f.page - 1) * f.limit;
    check_command(p, &q, &f, 1, f.has_cursor, offset, f.limit + 1);
    check_command(p, &q, &f, 0, f.has_cursor, 0, -1);
}

/* ---- the answer ---------------------------------------------------------- */

static void check_answer(apr_pool_t *p, const char *json)
{
    long long n = -7, n2 = -7;
    apr_array_header_t *ids = NULL, *ids2 = NULL;
    credit_status_t rv = credit_grn_parse(p, json, &n, &ids);
    const char *again;
    int i;

    CHECK(rv == CREDIT_OK || rv == CREDIT_EINTERNAL);
    if (rv != CREDIT_OK) {
        return;
    }
    CHECK(n >= 0 && ids != NULL);
    again = apr_psprintf(p, "[[[%" APR_INT64_T_FMT "],[[\"_key\",\"UInt64\"]]", (apr_int64_t)n);
    for (i = 0; i < ids->nelts; i++) {
        again = apr_psprintf(p, "%s,[%" APR_UINT64_T_FMT "]", again,
                             (apr_uint64_t)APR_ARRAY_IDX(ids, i, unsigned long long));
    }
    again = apr_pstrcat(p, again, "]]", NULL);
    CHECK(credit_grn_parse(p, again, &n2, &ids2) == CREDIT_OK);
    CHECK(n2 == n && ids2->nelts == ids->nelts);
    for (i = 0; i < ids->nelts; i++) {
        CHECK(APR_ARRAY_IDX(ids, i, unsigned long long) ==
              APR_ARRAY_IDX(ids2, i, unsigned long long));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    size_t alen;
    const char *args, *answer;

    if (size > 16 * 1024) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    alen = strnlen((const char *)data, size);
    args = apr_pstrmemdup(p, (const char *)data, alen);
    answer = alen < size ? apr_pstrmemdup(p, (const char *)data + alen + 1, size - alen - 1) : "";
    check_query(p, args);
    check_answer(p, answer);
    CHECK(credit_grn_parse(p, NULL, &(long long){0}, &(apr_array_header_t *){NULL}) ==
          CREDIT_EINTERNAL);
    apr_pool_destroy(p);
    return 0;
}
