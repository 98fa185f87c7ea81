/* test_cache.c: the per-child cache of totals. */
#include <stdio.h>

#include "credit_cache.h"
#include "unit.h"

START_TEST(put_get)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 8);
    long long v = -1;
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 0);
    ck_assert_int_eq(v, -1);
    credit_cache_put(c, "7|20261127|district=heping", 62500);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 1);
    ck_assert_int_eq(v, 62500);
    /* Another data version is another key: a write makes old totals unreachable. */
    ck_assert_int_eq(credit_cache_get(c, "8|20261127|district=heping", &v), 0);
    credit_cache_put(c, "7|20261127|district=heping", 62499);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 1);
    ck_assert_int_eq(v, 62499);
}
END_TEST

START_TEST(bounded)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 4);
    char key[32];
    long long v;
    int i, present = 0;
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        credit_cache_put(c, key, i);
    }
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        present += credit_cache_get(c, key, &v);
    }
    ck_assert_int_le(present, 4);
    ck_assert_int_eq(credit_cache_get(c, "k99", &v), 1);
    ck_assert_int_eq(v, 99);
}
END_TEST

Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, put_get);
    tcase_add_test(tc, bounded);
    suite_add_tcase(s, tc);
    return s;
}
