/* fuzz_filter.c: libFuzzer target for the one filter language. The input
 * is a raw query string (r->args). Whatever credit_args_parse and
 * credit_filter_parse accept must survive the round trip through the
 * canonical query string: parse(query(parse(x))) == parse(x), and the
 * canonical string is a fixed point. Any violation abort()s. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "fuzz.h"
#include "credit_filter.h"
#include "credit_model.h"
#include "credit_query.h"

#define DEF_LIMIT 20

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_date(credit_date_t a, credit_date_t b)
{
    return a.y == b.y && a.m == b.m && a.d == b.d;
}

/* position = 0 leaves the cursor and page out of the comparison. */
static int same_filter(const credit_filter_t *a, const credit_filter_t *b, int position)
{
    if (!same_str(a->q, b->q) || !same_str(a->district, b->district) ||
        !same_str(a->kind, b->kind) || !same_str(a->category, b->category) ||
        !same_str(a->domain, b->domain) || !same_str(a->severity, b->severity) ||
        !same_str(a->status, b->status) || !same_date(a->from, b->from) ||
        !same_date(a->to, b->to) || a->sort != b->sort || a->limit != b->limit) {
        return 0;
    }
    if (!position) {
        return 1;
    }
    if (a->has_cursor != b->has_cursor || a->page != b->page) {
        return 0;
    }
    return !a->has_cursor ||
           (same_date(a->cursor.date, b->cursor.date) && a->cursor.id == b->cursor.id &&
            a->cursor.backward == b->cursor.backward);
}

/* Parses a raw query string; returns 1 when both steps accept it. */
static int parse(apr_pool_t *p, const char *raw, credit_filter_t *f)
{
    apr_table_t *args;
    credit_filter_error_t err;
    credit_status_t rv;

    if (credit_args_parse(p, raw, &args) != CREDIT_OK) {
        CHECK(args == NULL);
        return 0;
    }
    CHECK(args != NULL);
    rv = credit_filter_parse(p, args, DEF_LIMIT, f, &err);
    if (rv != CREDIT_OK) {
        CHECK(rv == CREDIT_EINVAL && err.param != NULL && err.message != NULL);
        return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    credit_filter_t f, g, h;
    credit_query_t q;
    const char *raw, *canon, *canon2, *nopos, *err;

    if (size > 4096) {
        return 0;
    }
    apr_pool_create(&p, NULL);
    raw = apr_pstrmemdup(p, (const char *)data, strnlen((const char *)data, size));
    if (parse(p, raw, &f)) {
        canon = credit_filter_query(p, &f, 1, DEF_LIMIT);
        CHECK(canon != NULL);
        CHECK(parse(p, canon, &g));
        CHECK(same_filter(&f, &g, 1));
        canon2 = credit_filter_query(p, &g, 1, DEF_LIMIT);
        CHECK(strcmp(canon, canon2) == 0);

        nopos = credit_filter_query(p, &f, 0, DEF_LIMIT);
        CHECK(parse(p, nopos, &h));
        CHECK(same_filter(&f, &h, 0));
        CHECK(!h.has_cursor && h.page == 1);

        if (f.q != NULL) {
            if (credit_query_parse(p, f.q, &q, &err) == CREDIT_OK) {
                CHECK(credit_query_groonga(p, &q) != NULL);
            }
        } else {
            CHECK(f.sort != CREDIT_SORT_RELEVANCE);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
