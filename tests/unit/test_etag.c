/* test_etag.c: entity tags that a compressing filter changed, as they come
 * back in If-None-Match and If-Match (credit_etag.c). */
#include <string.h>

#include "credit_etag.h"
#include "unit.h"

START_TEST(gzip_suffix_is_removed)
{
    ck_assert_str_eq(credit_etag_uncode(unit_pool, "W/\"42-20260520-zh-CN-0.1.0.ab12-gzip\""),
                     "W/\"42-20260520-zh-CN-0.1.0.ab12\"");
    ck_assert_str_eq(credit_etag_uncode(unit_pool, "\"5f3-1a2b3c4d-gzip\""), "\"5f3-1a2b3c4d\"");
}
END_TEST

START_TEST(brotli_and_lists)
{
    ck_assert_str_eq(credit_etag_uncode(
                         unit_pool, "\"abc-br\", W/\"41-20260519-zh-CN-0.1.0.ab12-gzip\" ,W/\"x\""),
                     "\"abc\", W/\"41-20260519-zh-CN-0.1.0.ab12\" ,W/\"x\"");
    ck_assert_str_eq(credit_etag_uncode(unit_pool, "W/\"a\",\"b-gzip\""), "W/\"a\",\"b\"");
}
END_TEST

START_TEST(other_values_are_kept)
{
    const char *in[] = {"*",
                        "W/\"42-20260520-zh-CN-0.1.0.ab12\"",
                        "W/\"1-2-3\"",
                        "\"gzip\"",
                        "\"-gzip\"",
                        "garbage, \"a-gzip",
                        "W/\"unterminated-gzip",
                        "",
                        "\"a-gzipped\"",
                        "W/\"a-br-x\""};
    size_t i;
    for (i = 0; i < sizeof in / sizeof in[0]; i++) {
        const char *v = credit_etag_uncode(unit_pool, in[i]);
        ck_assert_msg(v == in[i], "changed: %s -> %s", in[i], v);
    }
    ck_assert_ptr_null(credit_etag_uncode(unit_pool, NULL));
}
END_TEST

Suite *etag_suite(void)
{
    Suite *s = suite_create("etag");
    TCase *tc = tcase_create("etag");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, gzip_suffix_is_removed);
    tcase_add_test(tc, brotli_and_lists);
    tcase_add_test(tc, other_values_are_kept);
    suite_add_tcase(s, tc);
    return s;
}
