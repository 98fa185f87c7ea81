/* test_filter.c: query arguments -> filter -> canonical query, and cursors. */
#include <string.h>
#include <apr_strings.h>

#include "credit_filter.h"
#include "credit_model.h"
#include "unit.h"

#define DEF_LIMIT 20

static credit_filter_t f;
static credit_filter_error_t err;

/* Parses a raw (encoded) query string the way the glue does. */
static credit_status_t parse(const char *query)
{
    apr_table_t *t;

    ck_assert_msg(credit_args_parse(unit_pool, query, &t) == CREDIT_OK, "args %s", query);
    memset(&err, 0, sizeof(err));
    return credit_filter_parse(unit_pool, t, DEF_LIMIT, &f, &err);
}

static void expect_ok(const char *query)
{
    credit_status_t rv = parse(query);

    ck_assert_msg(rv == CREDIT_OK, "%s: %s: %s", query, err.param ? err.param : "-",
                  err.message ? err.message : "-");
}

static void expect_err(const char *query, const char *param)
{
    credit_status_t rv = parse(query);

    ck_assert_msg(rv == CREDIT_EINVAL, "accepted %s", query);
    ck_assert_ptr_nonnull(err.param);
    ck_assert_ptr_nonnull(err.message);
    ck_assert_msg(strcmp(err.param, param) == 0, "%s: error on %s, want %s (%s)", query, err.param,
                  param, err.message);
}

static void expect_defaults(const credit_filter_t *x, int limit)
{
    ck_assert_ptr_null(x->q);
    ck_assert_ptr_null(x->district);
    ck_assert_ptr_null(x->kind);
    ck_assert_ptr_null(x->category);
    ck_assert_ptr_null(x->domain);
    ck_assert_ptr_null(x->severity);
    ck_assert_ptr_null(x->status);
    ck_assert_int_eq(x->from.y, 0);
    ck_assert_int_eq(x->to.y, 0);
    ck_assert_int_eq(x->sort, CREDIT_SORT_NEWEST);
    ck_assert_int_eq(x->has_cursor, 0);
    ck_assert_int_eq(x->page, 1);
    ck_assert_int_eq(x->limit, limit);
}

static int str_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int date_same(credit_date_t a, credit_date_t b)
{
    return a.y == b.y && a.m == b.m && a.d == b.d;
}

static void assert_same_filter(const credit_filter_t *a, const credit_filter_t *b, int position)
{
    ck_assert(str_same(a->q, b->q));
    ck_assert(str_same(a->district, b->district));
    ck_assert(str_same(a->kind, b->kind));
    ck_assert(str_same(a->category, b->category));
    ck_assert(str_same(a->domain, b->domain));
    ck_assert(str_same(a->severity, b->severity));
    ck_assert(str_same(a->status, b->status));
    ck_assert(date_same(a->from, b->from));
    ck_assert(date_same(a->to, b->to));
    ck_assert_int_eq(a->sort, b->sort);
    ck_assert_int_eq(a->limit, b->limit);
    if (position) {
        ck_assert_int_eq(a->has_cursor, b->has_cursor);
        if (a->has_cursor) {
            ck_assert(date_same(a->cursor.date, b->cursor.date));
            ck_assert_uint_eq(a->cursor.id, b->cursor.id);
            ck_assert_int_eq(a->cursor.backward, b->cursor.backward);
        }
        ck_assert_int_eq(a->page, b->page);
    }
}

/* ---- credit_args_parse ---- */

START_TEST(args_decoding)
{
    apr_table_t *t;
    const apr_array_header_t *a;
    const apr_table_entry_t *e;

    ck_assert_int_eq(
        credit_args_parse(unit_pool, "q=%E4%B8%B2%E9%80%9A+%E6%8A%95%E6%A0%87&a+b=c%2Bd", &t),
        CREDIT_OK);
    ck_assert_str_eq(apr_table_get(t, "q"), "串通 投标");
    ck_assert_str_eq(apr_table_get(t, "a b"), "c+d");

    ck_assert_int_eq(credit_args_parse(unit_pool, "x=1&x=2&&flag&=orphan&y=", &t), CREDIT_OK);
    a = apr_table_elts(t);
    e = (const apr_table_entry_t *)a->elts;
    ck_assert_int_eq(a->nelts, 4);
    ck_assert_str_eq(e[0].key, "x");
    ck_assert_str_eq(e[0].val, "1");
    ck_assert_str_eq(e[1].key, "x");
    ck_assert_str_eq(e[1].val, "2");
    ck_assert_str_eq(e[2].key, "flag");
    ck_assert_str_eq(e[2].val, "");
    ck_assert_str_eq(e[3].key, "y");
    ck_assert_str_eq(e[3].val, "");

    ck_assert_int_eq(credit_args_parse(unit_pool, NULL, &t), CREDIT_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 0);
    ck_assert_int_eq(credit_args_parse(unit_pool, "", &t), CREDIT_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 0);
}
END_TEST

START_TEST(args_malformed)
{
    apr_table_t *t = (apr_table_t *)1;

    ck_assert_int_eq(credit_args_parse(unit_pool, "q=%zz", &t), CREDIT_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(credit_args_parse(unit_pool, "q=abc%2", &t), CREDIT_EINVAL);
    ck_assert_int_eq(credit_args_parse(unit_pool, "q=a%00b", &t), CREDIT_EINVAL);
    ck_assert_int_eq(credit_args_parse(unit_pool, "q%00=a", &t), CREDIT_EINVAL);
    ck_assert_int_eq(credit_args_parse(unit_pool, "ok=1&bad=%", &t), CREDIT_EINVAL);
}
END_TEST

/* ---- credit_filter_parse ---- */

START_TEST(defaults)
{
    expect_ok("");
    expect_defaults(&f, DEF_LIMIT);
    expect_ok("utm_source=weibo&foo=bar&lang=en");
    expect_defaults(&f, DEF_LIMIT);
    /* empty values count as absent */
    expect_ok("q=&district=&kind=&category=&domain=&severity=&status=&from=&to=&sort=&cursor=&page="
              "&limit=");
    expect_defaults(&f, DEF_LIMIT);

    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(credit_filter_parse(unit_pool, NULL, 50, &f, &err), CREDIT_OK);
    expect_defaults(&f, 50);
    /* a default limit out of range is clamped */
    ck_assert_int_eq(credit_filter_parse(unit_pool, NULL, 0, &f, &err), CREDIT_OK);
    ck_assert_int_eq(f.limit, 1);
    ck_assert_int_eq(credit_filter_parse(unit_pool, NULL, 1000, &f, &err), CREDIT_OK);
    ck_assert_int_eq(f.limit, CREDIT_PAGE_MAX);
}
END_TEST

START_TEST(enum_params)
{
    const credit_enum_t *all[] = {&credit_districts, &credit_kinds, &credit_categories,
                                  &credit_domains, &credit_severities};
    size_t e, i;

    for (e = 0; e < sizeof(all) / sizeof(all[0]); e++) {
        for (i = 0; i < all[e]->n; i++) {
            const char *code = all[e]->items[i].code;
            const char *got;

            expect_ok(apr_pstrcat(unit_pool, all[e]->name, "=", code, NULL));
            got = e == 0   ? f.district
                  : e == 1 ? f.kind
                  : e == 2 ? f.category
                  : e == 3 ? f.domain
                           : f.severity;
            /* the static code of the table, not the request's string */
            ck_assert_ptr_eq(got, code);
        }
        expect_err(apr_pstrcat(unit_pool, all[e]->name, "=nowhere", NULL), all[e]->name);
        expect_err(apr_pstrcat(unit_pool, all[e]->name, "=", all[e]->items[0].code, "+", NULL),
                   all[e]->name);
        expect_err(apr_pstrcat(unit_pool, all[e]->name, "=%E5%92%8C", NULL), all[e]->name);
    }
    expect_err("district=Heping", "district");
    expect_err("district=%E5%92%8C%E5%B9%B3%E5%8C%BA",
               "district"); /* 和平区: labels are not codes */
    expect_err("kind=township", "kind");
    expect_ok("district=binhai&kind=official&category=breach&domain=ppp&severity=serious");
    ck_assert_str_eq(f.district, "binhai");
    ck_assert_str_eq(f.kind, "official");
    ck_assert_str_eq(f.category, "breach");
    ck_assert_str_eq(f.domain, "ppp");
    ck_assert_str_eq(f.severity, "serious");
}
END_TEST

START_TEST(status_param)
{
    expect_ok("status=published");
    ck_assert_str_eq(f.status, "published");
    expect_ok("status=contested");
    ck_assert_str_eq(f.status, "contested");
    expect_ok("status=corrected");
    ck_assert_str_eq(f.status, "corrected");
    expect_err("status=repaired", "status");
    ck_assert_str_eq(err.message, "withdrawn records are never listed");
    expect_err("status=revoked", "status");
    ck_assert_str_eq(err.message, "withdrawn records are never listed");
    expect_err("status=expired", "status");
    ck_assert_str_eq(err.message, "withdrawn records are never listed");
    expect_err("status=deleted", "status");
    ck_assert_str_ne(err.message, "withdrawn records are never listed");
    expect_err("status=Published", "status");
}
END_TEST

START_TEST(unknown_values_name_the_accepted_ones)
{
    expect_err("severity=critical", "severity");
    ck_assert_str_eq(err.message, "severity must be one of: minor, general, serious");
    expect_err("kind=person", "kind");
    ck_assert_str_eq(err.message, "kind must be one of: gov, official");
    expect_err("district=tianjin", "district");
    ck_assert_str_eq(err.message, "district must be one of: city, heping, hedong, hexi, nankai, "
                                  "hebei, hongqiao, dongli, xiqing, jinnan, beichen, wuqing, "
                                  "baodi, binhai, ninghe, jinghai, jizhou");
}
END_TEST

START_TEST(date_params)
{
    expect_ok("from=2024-01-01&to=2024-12-31");
    ck_assert_int_eq(f.from.y, 2024);
    ck_assert_int_eq(f.from.m, 1);
    ck_assert_int_eq(f.to.m, 12);
    ck_assert_int_eq(f.to.d, 31);
    expect_ok("from=2024-02-29&to=2024-02-29");
    expect_ok("from=2024-02-29");
    ck_assert_int_eq(f.to.y, 0);
    expect_ok("to=2024-02-29");
    ck_assert_int_eq(f.from.y, 0);
    expect_err("from=2024-02-30", "from");
    expect_err("from=2024-1-1", "from");
    expect_err("from=yesterday", "from");
    expect_err("to=2023-02-29", "to");
    expect_err("to=2024-12-31T00:00", "to");
    expect_err("from=2024-03-01&to=2024-02-29", "to");
    expect_err("from=2025-01-01&to=2024-12-31", "to");
}
END_TEST

START_TEST(sort_param)
{
    expect_ok("sort=newest");
    ck_assert_int_eq(f.sort, CREDIT_SORT_NEWEST);
    expect_ok("sort=oldest");
    ck_assert_int_eq(f.sort, CREDIT_SORT_OLDEST);
    expect_ok("q=%E4%B8%B2%E9%80%9A&sort=relevance");
    ck_assert_int_eq(f.sort, CREDIT_SORT_RELEVANCE);
    expect_err("sort=relevance", "sort");
    expect_err("sort=relevance&q=+++", "sort"); /* spaces only: no q */
    expect_err("sort=NEWEST", "sort");
    expect_err("sort=random", "sort");
    expect_err("sort=newest%3B", "sort");
}
END_TEST

START_TEST(q_trimmed)
{
    expect_ok("q=++%E4%B8%B2%E9%80%9A++");
    ck_assert_str_eq(f.q, "串通");
    expect_ok("q=%E3%80%80%E4%B8%B2%E9%80%9A%E3%80%80%E3%80%80"); /* U+3000 */
    ck_assert_str_eq(f.q, "串通");
    expect_ok("q=%09%0D%0A%E4%B8%B2%E9%80%9A%0A"); /* tab, CR LF at the ends */
    ck_assert_str_eq(f.q, "串通");
    expect_ok("q=%E4%B8%B2%E9%80%9A++%E6%8A%95%E6%A0%87"); /* inner spaces kept */
    ck_assert_str_eq(f.q, "串通  投标");
    expect_ok("q=%E4%B8%B2%E9%80%9A%E3%80%80%E6%8A%95%E6%A0%87");
    ck_assert_str_eq(f.q, "串通\xE3\x80\x80投标");
    expect_ok("q=+++");
    ck_assert_ptr_null(f.q);
    expect_ok("q=%E3%80%80+%E3%80%80");
    ck_assert_ptr_null(f.q);
    expect_ok("q=91350100M000100Y43");
    ck_assert_str_eq(f.q, "91350100M000100Y43");
}
END_TEST

START_TEST(q_hostile)
{
    char *hundred, *many;
    int i;

    /* passed through verbatim: escaping is the store's and the template's job */
    expect_ok("q=%E4%B8%B2%E9%80%9A%28"); /* 串通( */
    ck_assert_str_eq(f.q, "串通(");
    expect_ok("q=%22%27%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    ck_assert_str_eq(f.q, "\"'<script>alert(1)</script>");
    expect_ok("q=%27+OR+1%3D1+--");
    ck_assert_str_eq(f.q, "' OR 1=1 --");
    expect_ok("q=%5C%25_*");
    ck_assert_str_eq(f.q, "\\%_*");

    /* 100 characters (300 bytes) pass, 101 do not, spaces around do not count */
    hundred = "";
    for (i = 0; i < CREDIT_Q_MAX_CHARS; i++) {
        hundred = apr_pstrcat(unit_pool, hundred, "%E4%B8%AD", NULL);
    }
    expect_ok(apr_pstrcat(unit_pool, "q=++", hundred, "%E3%80%80", NULL));
    ck_assert_uint_eq(strlen(f.q), 3 * CREDIT_Q_MAX_CHARS);
    expect_err(apr_pstrcat(unit_pool, "q=", hundred, "a", NULL), "q");
    many = apr_pstrcat(unit_pool, "q=", hundred, hundred, hundred, hundred, hundred, NULL);
    expect_err(many, "q");

    /* invalid UTF-8 */
    expect_err("q=%FF", "q");
    expect_err("q=%C0%AF", "q");       /* overlong '/' */
    expect_err("q=%ED%A0%80", "q");    /* surrogate */
    expect_err("q=%E4%B8", "q");       /* truncated */
    expect_err("q=%F4%90%80%80", "q"); /* > U+10FFFF */
    expect_err("q=abc%E4%B8+", "q");

    /* control characters inside */
    expect_err("q=a%01b", "q");
    expect_err("q=a%0Ab", "q");
    expect_err("q=a%09b", "q");
    expect_err("q=a%1Bb", "q");
    expect_err("q=a%7Fb", "q");
    expect_err("q=a%C2%85b", "q"); /* U+0085 NEL */
    expect_err("q=a%C2%9Fb", "q");
    expect_ok("q=a%C2%A0b"); /* U+00A0 is not a control character */
    expect_ok("q=%F0%9F%98%80");
}
END_TEST

START_TEST(page_and_limit)
{
    expect_ok("page=1");
    ck_assert_int_eq(f.page, 1);
    expect_ok("page=100000");
    ck_assert_int_eq(f.page, 100000);
    expect_ok("page=7&limit=100");
    ck_assert_int_eq(f.page, 7);
    ck_assert_int_eq(f.limit, 100);
    expect_ok("limit=1");
    ck_assert_int_eq(f.limit, 1);
    expect_err("page=0", "page");
    expect_err("page=100001", "page");
    expect_err("page=-1", "page");
    expect_err("page=%2B1", "page");
    expect_err("page=01", "page");
    expect_err("page=1.5", "page");
    expect_err("page=abc", "page");
    expect_err("page=+1", "page");
    expect_err("page=99999999999999999999", "page");
    expect_err("limit=0", "limit");
    expect_err("limit=101", "limit");
    expect_err("limit=-5", "limit");
    expect_err("limit=1e2", "limit");
    expect_err("limit=4294967297", "limit");
}
END_TEST

START_TEST(cursor_param)
{
    expect_ok("cursor=2026-04-01.123");
    ck_assert_int_eq(f.has_cursor, 1);
    ck_assert_int_eq(f.cursor.date.y, 2026);
    ck_assert_int_eq(f.cursor.date.m, 4);
    ck_assert_int_eq(f.cursor.date.d, 1);
    ck_assert_uint_eq(f.cursor.id, 123);
    ck_assert_int_eq(f.cursor.backward, 0);
    expect_ok("cursor=-2026-04-01.123");
    ck_assert_int_eq(f.cursor.backward, 1);
    expect_err("cursor=garbage", "cursor");
    expect_err("cursor=2026-04-01", "cursor");
    expect_err("cursor=2026-02-30.1", "cursor");
}
END_TEST

START_TEST(duplicates)
{
    expect_err("district=heping&district=hexi", "district");
    ck_assert_str_eq(err.message, "district is given more than once");
    expect_err("district=heping&district=heping", "district");
    expect_err("q=a&q=b", "q");
    expect_err("page=1&page=2", "page");
    expect_err("limit=10&limit=10", "limit");
    expect_err("status=published&status=contested", "status");
    expect_err("from=2024-01-01&from=2024-01-02", "from");
    expect_err("sort=oldest&sort=newest", "sort");
    expect_err("cursor=2026-04-01.1&cursor=2026-04-01.2", "cursor");
    /* APR tables fold the case of names */
    expect_err("District=heping&district=hexi", "district");
    /* an empty value aside is not a duplicate */
    expect_ok("district=&district=hexi&district=");
    ck_assert_str_eq(f.district, "hexi");
    /* unknown parameters may repeat */
    expect_ok("tag=1&tag=2");
}
END_TEST

START_TEST(first_error_and_state)
{
    /* errors come in the order of the fields: q district ... limit */
    expect_err("limit=0&district=nowhere", "district");
    expect_err("page=0&status=revoked&q=%FF", "q");
    expect_err("limit=0&page=0", "page");
    /* on error the filter holds the defaults, not half a filter */
    expect_err("district=heping&q=ok&limit=0", "limit");
    expect_defaults(&f, DEF_LIMIT);
    /* err may be NULL */
    {
        apr_table_t *t;
        ck_assert_int_eq(credit_args_parse(unit_pool, "limit=0", &t), CREDIT_OK);
        ck_assert_int_eq(credit_filter_parse(unit_pool, t, DEF_LIMIT, &f, NULL), CREDIT_EINVAL);
    }
}
END_TEST

/* ---- credit_filter_query ---- */

START_TEST(query_canonical)
{
    const char *q;

    expect_ok("");
    ck_assert_str_eq(credit_filter_query(unit_pool, &f, 1, DEF_LIMIT), "");
    ck_assert_str_eq(credit_filter_query(unit_pool, &f, 0, DEF_LIMIT), "");

    /* any order in, one order out */
    expect_ok("limit=50&page=3&cursor=-2026-04-01.77&sort=oldest&to=2024-12-31&from=2024-01-01"
              "&status=contested&severity=serious&domain=ppp&category=penalty&kind=gov"
              "&district=heping&q=abc&utm=1");
    q = credit_filter_query(unit_pool, &f, 1, DEF_LIMIT);
    ck_assert_str_eq(q,
                     "q=abc&district=heping&kind=gov&category=penalty&domain=ppp&severity=serious"
                     "&status=contested&from=2024-01-01&to=2024-12-31&sort=oldest"
                     "&cursor=-2026-04-01.77&page=3&limit=50");
    q = credit_filter_query(unit_pool, &f, 0, DEF_LIMIT);
    ck_assert_str_eq(q,
                     "q=abc&district=heping&kind=gov&category=penalty&domain=ppp&severity=serious"
                     "&status=contested&from=2024-01-01&to=2024-12-31&sort=oldest&limit=50");
    /* the limit only when it differs from the default */
    ck_assert_str_eq(credit_filter_query(unit_pool, &f, 0, 50),
                     "q=abc&district=heping&kind=gov&category=penalty&domain=ppp&severity=serious"
                     "&status=contested&from=2024-01-01&to=2024-12-31&sort=oldest");

    /* defaults are left out */
    expect_ok("sort=newest&page=1&limit=20");
    ck_assert_str_eq(credit_filter_query(unit_pool, &f, 1, DEF_LIMIT), "");
}
END_TEST

START_TEST(query_encodes)
{
    const char *q, *c;

    expect_ok("q=%E4%B8%B2%E9%80%9A+%E6%8A%95%E6%A0%87&sort=relevance");
    q = credit_filter_query(unit_pool, &f, 1, DEF_LIMIT);
    ck_assert_str_eq(q, "q=%e4%b8%b2%e9%80%9a+%e6%8a%95%e6%a0%87&sort=relevance");

    expect_ok("q=a%26b%3Dc%2Bd%23e%25f%2Fg%3Fh");
    ck_assert_str_eq(f.q, "a&b=c+d#e%f/g?h");
    q = credit_filter_query(unit_pool, &f, 1, DEF_LIMIT);
    ck_assert_str_eq(q, "q=a%26b%3dc%2bd%23e%25f%2fg%3fh");

    expect_ok("q=%22%27%3Cscript%3E%E4%B8%B2%E9%80%9A%28");
    q = credit_filter_query(unit_pool, &f, 1, DEF_LIMIT);
    for (c = q; *c; c++) {
        ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                          (*c >= '0' && *c <= '9') || strchr("%+=&-._*", *c),
                      "raw byte %02x in %s", (unsigned char)*c, q);
    }
}
END_TEST

/* parse -> query -> parse gives the same filter, and the query is a fixed point. */
START_TEST(query_round_trip)
{
    static const char *const inputs[] = {
        "",
        "q=%E4%B8%B2%E9%80%9A",
        "q=++%E4%B8%B2%E9%80%9A%28%E3%80%80&sort=relevance",
        "q=%22%27%3C%3E%26%3D%2B%23%25+x&district=jizhou",
        "q=a+++b&limit=7",
        "q=%F0%9F%98%80%C2%A0z&page=99999",
        "district=city&kind=official&category=judgment&domain=other&severity=minor&status="
        "published",
        "from=2024-02-29&to=2024-02-29&sort=oldest",
        "cursor=2026-04-01.9007199254740992&limit=100",
        "cursor=-1900-01-01.1&page=2&limit=1",
        "q=x&district=hexi&kind=gov&category=breach&domain=debt&severity=general&status=corrected"
        "&from=2020-01-31&to=2029-12-31&sort=relevance&cursor=-2025-12-31.5&page=100000&limit=99",
    };
    credit_filter_t first;
    const char *q1, *q0, *q2;
    size_t i;
    int with;

    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        for (with = 0; with <= 1; with++) {
            expect_ok(inputs[i]);
            first = f;
            q1 = credit_filter_query(unit_pool, &first, with, DEF_LIMIT);
            expect_ok(q1);
            assert_same_filter(&first, &f, with);
            if (!with) {
                ck_assert_int_eq(f.has_cursor, 0);
                ck_assert_int_eq(f.page, 1);
            }
            q2 = credit_filter_query(unit_pool, &f, with, DEF_LIMIT);
            ck_assert_str_eq(q1, q2);
        }
        /* leaving the position out never makes the query longer */
        expect_ok(inputs[i]);
        q0 = credit_filter_query(unit_pool, &f, 0, DEF_LIMIT);
        q1 = credit_filter_query(unit_pool, &f, 1, DEF_LIMIT);
        ck_assert_uint_le(strlen(q0), strlen(q1));
    }
}
END_TEST

/* ---- cursors ---- */

START_TEST(cursor_round_trip)
{
    credit_cursor_t c = {{2026, 4, 1}, 123, 0}, back;
    const char *s;

    s = credit_cursor_fmt(unit_pool, &c);
    ck_assert_str_eq(s, "2026-04-01.123");
    ck_assert(credit_cursor_parse(s, &back));
    ck_assert_int_eq(back.date.y, 2026);
    ck_assert_int_eq(back.date.m, 4);
    ck_assert_int_eq(back.date.d, 1);
    ck_assert_uint_eq(back.id, 123);
    ck_assert_int_eq(back.backward, 0);

    c.backward = 1;
    c.id = 9007199254740992ULL;
    c.date.y = 1999;
    c.date.m = 12;
    c.date.d = 31;
    s = credit_cursor_fmt(unit_pool, &c);
    ck_assert_str_eq(s, "-1999-12-31.9007199254740992");
    ck_assert(credit_cursor_parse(s, &back));
    ck_assert_uint_eq(back.id, 9007199254740992ULL);
    ck_assert_int_eq(back.backward, 1);
    ck_assert_int_eq(back.date.y, 1999);
    ck_assert(credit_cursor_parse("2024-02-29.1", NULL));

    c.id = 0;
    ck_assert_ptr_null(credit_cursor_fmt(unit_pool, &c));
    c.id = 1;
    c.date.y = 0;
    ck_assert_ptr_null(credit_cursor_fmt(unit_pool, &c));
    ck_assert_ptr_null(credit_cursor_fmt(unit_pool, NULL));
}
END_TEST

START_TEST(cursor_garbage)
{
    static const char *const bad[] = {
        "",
        "garbage",
        "2026-04-01",
        "2026-04-01.",
        "2026-04-01.0",
        "2026-04-01.01",
        "2026-04-01.-1",
        "2026-04-01.+1",
        "2026-04-01.1x",
        "2026-04-01.1 ",
        " 2026-04-01.1",
        "2026-04-01,1",
        "2026-04-01..1",
        "2026-04-01.9007199254740993",
        "2026-04-01.99999999999999999999999",
        "2026-02-30.1",
        "2026-4-01.1",
        "--2026-04-01.1",
        "+2026-04-01.1",
        "-",
        "-.1",
        ".1",
        "2026-04-01T00:00.1",
        "1899-12-31.1",
    };
    credit_cursor_t c = {{7, 7, 7}, 77, 7};
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!credit_cursor_parse(bad[i], &c), "accepted %s", bad[i]);
    }
    ck_assert(!credit_cursor_parse(NULL, &c));
    ck_assert_int_eq(c.date.y, 7);
    ck_assert_uint_eq(c.id, 77);
    ck_assert_int_eq(c.backward, 7);
}
END_TEST

Suite *filter_suite(void)
{
    Suite *s = suite_create("filter");
    TCase *args = tcase_create("args");
    TCase *parse_tc = tcase_create("parse");
    TCase *query = tcase_create("query");
    TCase *cursor = tcase_create("cursor");

    tcase_add_checked_fixture(args, unit_setup, unit_teardown);
    tcase_add_checked_fixture(parse_tc, unit_setup, unit_teardown);
    tcase_add_checked_fixture(query, unit_setup, unit_teardown);
    tcase_add_checked_fixture(cursor, unit_setup, unit_teardown);
    tcase_add_test(args, args_decoding);
    tcase_add_test(args, args_malformed);
    tcase_add_test(parse_tc, defaults);
    tcase_add_test(parse_tc, enum_params);
    tcase_add_test(parse_tc, status_param);
    tcase_add_test(parse_tc, unknown_values_name_the_accepted_ones);
    tcase_add_test(parse_tc, date_params);
    tcase_add_test(parse_tc, sort_param);
    tcase_add_test(parse_tc, q_trimmed);
    tcase_add_test(parse_tc, q_hostile);
    tcase_add_test(parse_tc, page_and_limit);
    tcase_add_test(parse_tc, cursor_param);
    tcase_add_test(parse_tc, duplicates);
    tcase_add_test(parse_tc, first_error_and_state);
    tcase_add_test(query, query_canonical);
    tcase_add_test(query, query_encodes);
    tcase_add_test(query, query_round_trip);
    tcase_add_test(cursor, cursor_round_trip);
    tcase_add_test(cursor, cursor_garbage);
    suite_add_tcase(s, args);
    suite_add_tcase(s, parse_tc);
    suite_add_tcase(s, query);
    suite_add_tcase(s, cursor);
    return s;
}
