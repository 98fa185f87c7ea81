/* test_text.c: amounts with thousands separators, texts clipped on a
 * character boundary, messages with their placeholders filled. */
#include <stdio.h>
#include <string.h>

#include "credit_text.h"
#include "credit_validate.h"
#include "unit.h"

static void amount_is(const char *in, const char *want)
{
    const char *got = credit_amount_fmt(unit_pool, in);
    ck_assert_msg(got && strcmp(got, want) == 0, "%s: got %s, want %s", in, got ? got : "NULL",
                  want);
}

START_TEST(amount_examples)
{
    amount_is("2164541.27", "2,164,541.27");
    amount_is("12000.00", "12,000.00");
    amount_is("12000", "12,000.00");
    amount_is("12000.5", "12,000.50");
    amount_is("0", "0.00");
    amount_is("0.00", "0.00");
    amount_is("0.5", "0.50");
    amount_is(".5", "0.50");
    amount_is("7", "7.00");
    amount_is("999", "999.00");
    amount_is("1000", "1,000.00");
    amount_is("100000", "100,000.00");
    amount_is("1000000", "1,000,000.00");
    amount_is("007.10", "7.10");
    amount_is("0001000", "1,000.00");
    /* DECIMAL(15,2): the largest value the column holds */
    amount_is("9999999999999.99", "9,999,999,999,999.99");
}
END_TEST

START_TEST(amount_refused)
{
    static const char *const bad[] = {"",   "-1",  "+1",  "1.234", "1.",   ".",    "1,000", " 1",
                                      "1 ", "1e5", "abc", "1.2.3", "１２", "0x10", "1.-2",  "..5"};
    size_t i;
    ck_assert_ptr_null(credit_amount_fmt(unit_pool, NULL));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(credit_amount_fmt(unit_pool, bad[i]) == NULL, "accepted %s", bad[i]);
    /* 30 digits are fine, 31 are not */
    ck_assert_ptr_nonnull(credit_amount_fmt(unit_pool, "123456789012345678901234567890"));
    ck_assert_ptr_null(credit_amount_fmt(unit_pool, "1234567890123456789012345678901"));
}
END_TEST

/* Every amount from 0.00 to 1,234,567.89 in big steps, against the same
 * number written by printf and grouped from the right by hand. */
START_TEST(amount_against_printf)
{
    unsigned long long cents;
    for (cents = 0; cents < 123456789ULL; cents = cents * 3 + 7) {
        char raw[40], digits[32], want[48];
        size_t n, i, o = 0;
        snprintf(raw, sizeof raw, "%llu.%02llu", cents / 100, cents % 100);
        n = (size_t)snprintf(digits, sizeof digits, "%llu", cents / 100);
        for (i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                want[o++] = ',';
            want[o++] = digits[i];
        }
        snprintf(want + o, sizeof want - o, ".%02llu", cents % 100);
        amount_is(raw, want);
    }
}
END_TEST

static void clip_is(const char *in, long max, const char *want)
{
    const char *got = credit_text_clip(unit_pool, in, max, "…");
    ck_assert_msg(got && strcmp(got, want) == 0, "%s/%ld: got [%s], want [%s]", in, max,
                  got ? got : "NULL", want);
    ck_assert(credit_utf8_valid(got, strlen(got)));
}

START_TEST(clip_examples)
{
    clip_is("未按合同约定支付款项", 20, "未按合同约定支付款项");
    clip_is("未按合同约定支付款项", 10, "未按合同约定支付款项");
    clip_is("未按合同约定支付款项", 9, "未按合同约定支付款…");
    clip_is("未按合同约定支付款项", 1, "未…");
    clip_is("abc", 3, "abc");
    clip_is("abcd", 3, "abc…");
    /* white space runs become one space, the ends are trimmed */
    clip_is("  a\n\n b\t\tc  ", 10, "a b c");
    clip_is("甲\xE3\x80\x80\xE3\x80\x80乙\r\n丙", 10, "甲 乙 丙");
    /* never a space before the ellipsis */
    clip_is("ab cd", 3, "ab…");
    clip_is("ab cd", 4, "ab c…");
    clip_is("ab cd", 2, "ab…");
    /* four-byte characters are never split */
    clip_is("\xF0\x9F\x98\x80\xF0\x9F\x98\x80x", 2, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80…");
    clip_is("", 5, "");
    clip_is("   ", 5, "");
    ck_assert_str_eq(credit_text_clip(unit_pool, NULL, 5, "…"), "");
    ck_assert_ptr_null(credit_text_clip(unit_pool, "\xE6\x9C", 5, "…")); /* cut UTF-8 */
    ck_assert_ptr_null(credit_text_clip(unit_pool, "abc", 0, "…"));
    ck_assert_str_eq(credit_text_clip(unit_pool, "abcd", 2, NULL), "ab");
}
END_TEST

/* Every cut of a text of 1-, 2-, 3- and 4-byte characters is valid UTF-8
 * and keeps exactly max characters before the ellipsis. */
START_TEST(clip_every_length)
{
    const char *text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80z\xE6\x96\x87\xC3\xBC"
                       "b";
    long n = credit_utf8_chars(text, strlen(text)), max;
    for (max = 1; max <= n + 1; max++) {
        const char *got = credit_text_clip(unit_pool, text, max, "~");
        size_t len = strlen(got);
        ck_assert(credit_utf8_valid(got, len));
        if (max >= n) {
            ck_assert_str_eq(got, text);
        } else {
            ck_assert_int_eq(got[len - 1], '~');
            ck_assert_int_eq(credit_utf8_chars(got, len - 1), max);
            ck_assert(strncmp(got, text, len - 1) == 0);
        }
    }
}
END_TEST

START_TEST(fill_examples)
{
    static const char *const pairs[] = {"label", "地区", "max", "50", "none", NULL, NULL};
    ck_assert_str_eq(credit_text_fill(unit_pool, "{label}不能超过{max}字", pairs),
                     "地区不能超过50字");
    ck_assert_str_eq(credit_text_fill(unit_pool, "{max}{max}", pairs), "5050");
    /* unknown names, NULL values and lone braces stay */
    ck_assert_str_eq(credit_text_fill(unit_pool, "{other} {none} {label", pairs),
                     "{other} {none} {label");
    ck_assert_str_eq(credit_text_fill(unit_pool, "a}b{", pairs), "a}b{");
    ck_assert_str_eq(credit_text_fill(unit_pool, "{{label}}", pairs), "{地区}");
    ck_assert_str_eq(credit_text_fill(unit_pool, "", pairs), "");
    ck_assert_str_eq(credit_text_fill(unit_pool, "{label}", NULL), "{label}");
    ck_assert_ptr_null(credit_text_fill(unit_pool, NULL, pairs));
    {
        /* a value is not filled again */
        static const char *const self[] = {"a", "{b}", "b", "x", NULL};
        ck_assert_str_eq(credit_text_fill(unit_pool, "{a}{b}", self), "{b}x");
    }
}
END_TEST

Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *amount = tcase_create("amount");
    TCase *clip = tcase_create("clip");
    TCase *fill = tcase_create("fill");

    tcase_add_checked_fixture(amount, unit_setup, unit_teardown);
    tcase_add_checked_fixture(clip, unit_setup, unit_teardown);
    tcase_add_checked_fixture(fill, unit_setup, unit_teardown);
    tcase_add_test(amount, amount_examples);
    tcase_add_test(amount, amount_refused);
    tcase_add_test(amount, amount_against_printf);
    tcase_add_test(clip, clip_examples);
    tcase_add_test(clip, clip_every_length);
    tcase_add_test(fill, fill_examples);
    suite_add_tcase(s, amount);
    suite_add_tcase(s, clip);
    suite_add_tcase(s, fill);
    return s;
}
