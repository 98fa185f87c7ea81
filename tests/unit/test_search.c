/* test_search.c: the engine's command and answer, the walk's patterns. */
#include <string.h>

#include "credit_search.h"
#include "unit.h"

static credit_query_t parse(const char *q)
{
    credit_query_t out;
    const char *err;
    ck_assert_int_eq(credit_query_parse(unit_pool, q, &out, &err), CREDIT_OK);
    return out;
}

START_TEST(walkable_queries)
{
    credit_query_t q;
    q = parse("采购");
    ck_assert(credit_search_walkable(&q));
    q = parse("采购 工程 -拖欠");
    ck_assert(credit_search_walkable(&q));
    q = parse("采购 OR 招标");
    ck_assert(credit_search_walkable(&q));
    /* Latin runs and digits are words to the engine, substrings to LIKE. */
    q = parse("采购2025");
    ck_assert(!credit_search_walkable(&q));
    q = parse("TJZW");
    ck_assert(!credit_search_walkable(&q));
    /* a phrase's space matches any white space, or none, in the engine */
    q = parse("\"天津 采购\"");
    ck_assert(!credit_search_walkable(&q));
    q = parse("采购（二）");
    ck_assert(!credit_search_walkable(&q));
    /* a rare ideograph of extension A walks; a compatibility ideograph
     * (U+F967, which NormalizerAuto folds into 不) goes to the engine */
    q = parse("\xe3\x90\x80采购");
    ck_assert(credit_search_walkable(&q));
    q = parse("\xef\xa5\xa7公开");
    ck_assert(!credit_search_walkable(&q));
    ck_assert(!credit_search_walkable(NULL));
}
END_TEST

START_TEST(select_command)
{
    credit_query_t q = parse("采购 -拖欠");
    credit_filter_t f = {0};
    credit_grn_select_t s = {"record_search", &q, &f, {2026, 12, 5}, 1, 0, 0, 21};
    f.district = "heping";
    f.limit = 20;
    ck_assert_str_eq(credit_grn_select(unit_pool, &s),
                     "select record_search --filter '(((body @ \"采购\")) &! body @ \"拖欠\")"
                     " && listed == 1 && disclosed_on <= \"2026-12-05 00:00:00\""
                     " && withdraw_on > \"2026-12-05 00:00:00\" && district == \"heping\"'"
                     " --sort_keys -disclosed_on,-_key --offset 0 --limit 21"
                     " --output_columns _key --cache no");
    /* oldest first, past a cursor, dates, OR groups, a count only */
    q = parse("采购 OR 招标 工程");
    f.district = NULL;
    f.from = (credit_date_t){2025, 1, 1};
    f.cursor = (credit_cursor_t){{2026, 3, 4}, 77, 0};
    s.scan_desc = 0;
    s.with_cursor = 1;
    s.limit = 0;
    ck_assert_str_eq(credit_grn_select(unit_pool, &s),
                     "select record_search --filter '(((body @ \"采购\" || body @ \"招标\")"
                     " && (body @ \"工程\"))) && listed == 1"
                     " && disclosed_on <= \"2026-12-05 00:00:00\""
                     " && withdraw_on > \"2026-12-05 00:00:00\""
                     " && disclosed_on >= \"2025-01-01 00:00:00\""
                     " && (disclosed_on > \"2026-03-04 00:00:00\" || (disclosed_on =="
                     " \"2026-03-04 00:00:00\" && _key > 77))'"
                     " --sort_keys disclosed_on,_key --offset 0 --limit 0"
                     " --output_columns _key --cache no");
    f.sort = CREDIT_SORT_RELEVANCE;
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "--sort_keys -_score,-_key"));
}
END_TEST

START_TEST(select_reads_a_domains_own_text)
{
    /* a domain filter: its own column's index, for every term (sql/023) */
    credit_query_t q = parse("采购 OR 招标 -拖欠");
    credit_filter_t f = {0};
    credit_grn_select_t s = {"record_search", &q, &f, {2026, 12, 5}, 1, 0, 0, 21};
    f.domain = "debt";
    ck_assert_str_eq(credit_grn_select(unit_pool, &s),
                     "select record_search --filter '(((body_debt @ \"采购\""
                     " || body_debt @ \"招标\")) &! body_debt @ \"拖欠\")"
                     " && listed == 1 && disclosed_on <= \"2026-12-05 00:00:00\""
                     " && withdraw_on > \"2026-12-05 00:00:00\" && domain == \"debt\"'"
                     " --sort_keys -disclosed_on,-_key --offset 0 --limit 21"
                     " --output_columns _key --cache no");
    /* a name that is not a plain identifier never becomes a column's */
    f.domain = "debt\" || _key > 0 || body_x";
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "((body @ \"采购\""));
    f.domain = "Debt";
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "((body @ \"采购\""));
    /* a category's, when no domain is asked (sql/023) */
    f.domain = NULL;
    f.category = "breach";
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "((body_breach @ \"采购\""));
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "&! body_breach @ \"拖欠\""));
    f.domain = "ppp";
    ck_assert_ptr_nonnull(strstr(credit_grn_select(unit_pool, &s), "((body_ppp @ \"采购\""));
}
END_TEST

START_TEST(select_escapes_what_was_typed)
{
    /* a quote ends nothing: inside the script string " and \ are escaped,
     * and the whole script is one quoted argument with ' and \ escaped */
    credit_query_t q = parse("a\"b'c\\d");
    credit_filter_t f = {0};
    credit_grn_select_t s = {"record_search", &q, &f, {2026, 12, 5}, 1, 0, 0, 21};
    const char *cmd = credit_grn_select(unit_pool, &s);
    ck_assert_ptr_nonnull(strstr(cmd, "body @ \"a\\\\\"b\\'c\\\\\\\\d\""));
    ck_assert_ptr_eq(strstr(cmd, "--filter '") + 9, strstr(cmd, "'"));
    /* no positive term: no command */
    q = parse("采购");
    APR_ARRAY_IDX(q.terms, 0, credit_qterm_t).negated = 1;
    ck_assert_ptr_null(credit_grn_select(unit_pool, &s));
}
END_TEST

START_TEST(answers)
{
    long long n = -1;
    apr_array_header_t *ids = NULL;
    ck_assert_int_eq(credit_grn_parse(unit_pool,
                                      "[[[68146],[[\"_key\",\"UInt64\"]],[999998],[999995]]]", &n,
                                      &ids),
                     CREDIT_OK);
    ck_assert_int_eq(n, 68146);
    ck_assert_int_eq(ids->nelts, 2);
    ck_assert_uint_eq(APR_ARRAY_IDX(ids, 0, unsigned long long), 999998);
    ck_assert_uint_eq(APR_ARRAY_IDX(ids, 1, unsigned long long), 999995);
    ck_assert_int_eq(credit_grn_parse(unit_pool, "[[[0],[[\"_key\",\"UInt64\"]]]]", &n, &ids),
                     CREDIT_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(ids->nelts, 0);
    static const char *const bad[] = {NULL,
                                      "",
                                      "[",
                                      "{}",
                                      "[]",
                                      "[[]]",
                                      "[[[\"x\"],[]]]",
                                      "[[[-1],[]]]",
                                      "[[[3],[[\"_key\",\"UInt64\"]],[\"12\"]]]",
                                      "[[[3],[[\"_key\",\"UInt64\"]],[-5]]]",
                                      "[[[3],[[\"_key\",\"UInt64\"]],7]]",
                                      NULL};
    int i;
    for (i = 1; bad[i]; i++)
        ck_assert_msg(credit_grn_parse(unit_pool, bad[i], &n, &ids) == CREDIT_EINTERNAL,
                      "accepted %s", bad[i]);
    ck_assert_int_eq(credit_grn_parse(unit_pool, NULL, &n, &ids), CREDIT_EINTERNAL);
}
END_TEST

Suite *search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("search");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, walkable_queries);
    tcase_add_test(tc, select_command);
    tcase_add_test(tc, select_reads_a_domains_own_text);
    tcase_add_test(tc, select_escapes_what_was_typed);
    tcase_add_test(tc, answers);
    suite_add_tcase(s, tc);
    return s;
}
