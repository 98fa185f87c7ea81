/* fuzz_query.c: libFuzzer target for the search language of q=.
 * The input is "q" or "q\0text": q goes through credit_filter_parse (as the
 * glue gets it) and, raw, through credit_query_parse, which must refuse or
 * parse anything; the Groonga string must be well-formed with every term
 * quoted and escaped, and the highlight of text must give the text back.
 * Any violation abort()s. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "fuzz.h"
#include "credit_filter.h"
#include "credit_model.h"
#include "credit_query.h"
#include "credit_validate.h"

/* Reads one quoted Groonga string at *s into out (unescaped); 0 when malformed. */
static int read_quoted(const char **s, char *out)
{
    const char *p = *s;

    if (*p != '"') {
        return 0;
    }
    for (p++; *p != '"'; p++) {
        if (*p == '\0') {
            return 0;
        }
        if (*p == '\\') {
            p++;
            if (*p != '"' && *p != '\\') {
                return 0;
            }
        }
        *out++ = *p;
    }
    *out = '\0';
    *s = p + 1;
    return 1;
}

/* The Groonga string is item (' ' item)*, item = [+-] (quoted | '('
 * quoted (' OR ' quoted)+ ')'), positive items first, and unescapes to the
 * terms in that order. */
static void check_groonga(const credit_query_t *q, const char *g)
{
    const credit_qterm_t *t = (const credit_qterm_t *)q->terms->elts;
    int n = q->terms->nelts, pass, i, j, k, first = 1;
    const char *s = g;
    char buf[512];

    CHECK(g != NULL && g[0] == '+');
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n; i = j) {
            for (j = i + 1; j < n && t[j - 1].or_next; j++) {
            }
            if (t[i].negated != pass) {
                continue;
            }
            if (!first) {
                CHECK(*s++ == ' ');
            }
            first = 0;
            CHECK(*s++ == (pass ? '-' : '+'));
            if (j - i > 1) {
                CHECK(*s++ == '(');
            }
            for (k = i; k < j; k++) {
                if (k > i) {
                    CHECK(strncmp(s, " OR ", 4) == 0);
                    s += 4;
                }
                CHECK(strlen(s) < sizeof(buf));
                CHECK(read_quoted(&s, buf));
                CHECK(strcmp(buf, t[k].text) == 0);
            }
            if (j - i > 1) {
                CHECK(*s++ == ')');
            }
        }
    }
    CHECK(*s == '\0');
}

static int separator_at(const char *s)
{
    return *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f' ||
           strncmp(s, "\xE3\x80\x80", 3) == 0;
}

static void check_query(apr_pool_t *p, const char *q, const char *text)
{
    credit_query_t x;
    const char *err = NULL;
    apr_array_header_t *segs;
    int i, positive = 0;
    size_t len, off = 0;

    if (credit_query_parse(p, q, &x, &err) != CREDIT_OK) {
        CHECK(err != NULL && x.terms == NULL && x.kind == CREDIT_Q_TEXT && x.exact == NULL);
        return;
    }
    CHECK(err == NULL && x.terms != NULL);
    CHECK(x.terms->nelts >= 1 && x.terms->nelts <= CREDIT_QUERY_MAX_TERMS);
    for (i = 0; i < x.terms->nelts; i++) {
        const credit_qterm_t *t = &APR_ARRAY_IDX(x.terms, i, credit_qterm_t);

        len = strlen(t->text);
        CHECK(len > 0);
        CHECK(credit_utf8_chars(t->text, len) >= 1);
        CHECK(credit_utf8_chars(t->text, len) <= CREDIT_QUERY_MAX_TERM_CHARS);
        CHECK(!separator_at(t->text));
        CHECK(!t->or_next || (i + 1 < x.terms->nelts && !t->negated &&
                              !APR_ARRAY_IDX(x.terms, i + 1, credit_qterm_t).negated));
        positive += !t->negated;
    }
    CHECK(positive > 0);
    if (x.kind == CREDIT_Q_CREDIT_CODE) {
        CHECK(credit_code_valid(x.exact) && x.terms->nelts == 1);
    } else if (x.kind == CREDIT_Q_DECISION_NO) {
        CHECK(x.exact != NULL && x.terms->nelts == 1);
    } else {
        CHECK(x.kind == CREDIT_Q_TEXT && x.exact == NULL);
    }
    check_groonga(&x, credit_query_groonga(p, &x));

    segs = credit_query_highlight(p, &x, text);
    CHECK(segs != NULL);
    for (i = 0; i < segs->nelts; i++) {
        const credit_qseg_t *s = &APR_ARRAY_IDX(segs, i, credit_qseg_t);

        len = strlen(s->text);
        CHECK(len > 0);
        CHECK(i == 0 || s->match != APR_ARRAY_IDX(segs, i - 1, credit_qseg_t).match);
        CHECK(strncmp(text + off, s->text, len) == 0);
        off += len;
    }
    CHECK(off == strlen(text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_table_t *args;
    credit_filter_t f;
    credit_filter_error_t ferr;
    const char *q, *text;
    size_t qlen;

    if (size > 4096) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    qlen = strnlen((const char *)data, size);
    q = apr_pstrmemdup(p, (const char *)data, qlen);
    text = qlen < size ? apr_pstrmemdup(p, (const char *)data + qlen + 1, size - qlen - 1) : q;

    /* raw: the parser defends itself */
    check_query(p, q, text);

    /* as the glue gets it: validated, trimmed and bounded by the filter */
    args = apr_table_make(p, 1);
    apr_table_setn(args, "q", q);
    if (credit_filter_parse(p, args, 20, &f, &ferr) == CREDIT_OK && f.q != NULL) {
        CHECK(credit_utf8_valid(f.q, strlen(f.q)));
        CHECK(credit_utf8_chars(f.q, strlen(f.q)) <= CREDIT_Q_MAX_CHARS);
        check_query(p, f.q, text);
    }
    apr_pool_destroy(p);
    return 0;
}
