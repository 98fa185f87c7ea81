/* test_validate.c: credit codes, UTF-8, dates, record numbers, ids.
 * Every credit code below was checked independently (Python, the GB 32100
 * formula of SPEC section 3) before it was written down here. */
#include <string.h>

#include "credit_model.h"
#include "credit_validate.h"
#include "unit.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Codes published by their holders (the first is the example of the
 * standard itself), all with a correct check character. */
static const char *const published[] = {
    "91350100M000100Y43", "9144030071526726XG", "914403001922038216",
    "91110000802100433B", "91330100799655058B", "11100000000013127D",
};

/* Constructed codes for the corners of the formula:
 * sum mod 31 = 0 -> 31 -> '0'; sum mod 31 = 1 -> 30 -> 'Y'; 21 -> 10 -> 'A'. */
static const char *const constructed[] = {
    "111200000000000210",
    "11120000000000011Y",
    "11120000000000005A",
    "12120000MB0Y12340M",
};

static char first17(const char *code, char *buf)
{
    memcpy(buf, code, 17);
    buf[17] = '\0';
    return code[17];
}

START_TEST(code_check_char_published)
{
    char buf[18];
    size_t i;

    for (i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
        char want = first17(published[i], buf);
        ck_assert_msg(credit_code_check_char(buf) == want, "%s: got %c", published[i],
                      credit_code_check_char(buf));
        ck_assert_msg(credit_code_valid(published[i]), "%s", published[i]);
    }
    for (i = 0; i < sizeof(constructed) / sizeof(constructed[0]); i++) {
        char want = first17(constructed[i], buf);
        ck_assert_msg(credit_code_check_char(buf) == want, "%s: got %c", constructed[i],
                      credit_code_check_char(buf));
        ck_assert_msg(credit_code_valid(constructed[i]), "%s", constructed[i]);
    }
    ck_assert_int_eq(credit_code_check_char("11120000000000021"), '0');
    ck_assert_int_eq(credit_code_check_char("11120000000000011"), 'Y');
    ck_assert_int_eq(credit_code_check_char("00000000000000000"), '0');
    /* 1*1 = 1 -> 31 - 1 = 30 -> 'Y' */
    ck_assert_int_eq(credit_code_check_char("10000000000000000"), 'Y');
}
END_TEST

START_TEST(code_wrong_check_char)
{
    char code[19];
    size_t i, k;

    for (i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
        for (k = 0; alphabet[k]; k++) {
            strcpy(code, published[i]);
            code[17] = alphabet[k];
            ck_assert_int_eq(credit_code_valid(code), alphabet[k] == published[i][17]);
        }
    }
}
END_TEST

/* The weights are non-zero mod 31, so changing any one character of the
 * first 17 changes the check character. */
START_TEST(code_single_substitution_detected)
{
    char buf[18];
    char orig, want;
    size_t pos, k;

    first17("91350100M000100Y43", buf);
    want = credit_code_check_char(buf);
    for (pos = 0; pos < 17; pos++) {
        orig = buf[pos];
        for (k = 0; alphabet[k]; k++) {
            if (alphabet[k] == orig) {
                continue;
            }
            buf[pos] = alphabet[k];
            ck_assert_msg(credit_code_check_char(buf) != want, "pos %zu char %c", pos, alphabet[k]);
            ck_assert_int_ne(credit_code_check_char(buf), '\0');
        }
        buf[pos] = orig;
    }
}
END_TEST

START_TEST(code_forbidden_chars)
{
    const char *bad = "IOSVZ";
    char buf[19];
    size_t pos;
    const char *b;

    for (b = bad; *b; b++) {
        for (pos = 0; pos < 18; pos++) {
            strcpy(buf, "91350100M000100Y43");
            buf[pos] = *b;
            ck_assert_msg(!credit_code_valid(buf), "%s", buf);
            if (pos < 17) {
                buf[17] = '\0';
                ck_assert_int_eq(credit_code_check_char(buf), '\0');
            }
        }
    }
    ck_assert(!credit_code_valid("IIIIIIIIIIIIIIIIII"));
    ck_assert(!credit_code_valid("OOOOOOOOOOOOOOOOOO"));
    ck_assert(!credit_code_valid("9135010-M000100Y43"));
    ck_assert(!credit_code_valid("91350100M000100Y4 "));
    ck_assert(!credit_code_valid("9135010\xE4\xB8\xAD"
                                 "000100Y43"));
}
END_TEST

START_TEST(code_lowercase_and_length)
{
    ck_assert(!credit_code_valid("9144030071526726Xg"));
    ck_assert(!credit_code_valid("9144030071526726xG"));
    ck_assert(!credit_code_valid("91350100m000100Y43"));
    ck_assert(!credit_code_valid("9135010M000100Y43"));   /* 17 */
    ck_assert(!credit_code_valid("91350100M000100Y433")); /* 19 */
    ck_assert(!credit_code_valid("91350100M000100Y43\n"));
    ck_assert(!credit_code_valid(" 91350100M000100Y43"));
    ck_assert(!credit_code_valid(""));
    ck_assert(!credit_code_valid(NULL));
    ck_assert_int_eq(credit_code_check_char("9135010M000100Y4"), '\0');   /* 16 */
    ck_assert_int_eq(credit_code_check_char("91350100M000100Y43"), '\0'); /* 18 */
    ck_assert_int_eq(credit_code_check_char("91350100m000100Y4"), '\0');
    ck_assert_int_eq(credit_code_check_char(""), '\0');
    ck_assert_int_eq(credit_code_check_char(NULL), '\0');
}
END_TEST

START_TEST(utf8_valid_inputs)
{
    static const char emoji[] = "\xF0\x9F\x98\x80"; /* U+1F600 */
    static const char max[] = "\xF4\x8F\xBF\xBF";   /* U+10FFFF */

    ck_assert(credit_utf8_valid("", 0));
    ck_assert(credit_utf8_valid("hello", 5));
    ck_assert(credit_utf8_valid("信用天津", strlen("信用天津")));
    ck_assert(credit_utf8_valid(emoji, 4));
    ck_assert(credit_utf8_valid(max, 4));
    ck_assert(credit_utf8_valid("\xC2\x80", 2));         /* U+0080, smallest 2-byte */
    ck_assert(credit_utf8_valid("\xE0\xA0\x80", 3));     /* U+0800, smallest 3-byte */
    ck_assert(credit_utf8_valid("\xF0\x90\x80\x80", 4)); /* U+10000, smallest 4-byte */
    ck_assert(credit_utf8_valid("\xED\x9F\xBF", 3));     /* U+D7FF, just below surrogates */
    ck_assert(credit_utf8_valid("\xEE\x80\x80", 3));     /* U+E000, just above */
    ck_assert(credit_utf8_valid("\xEF\xBF\xBF", 3));     /* U+FFFF */
    /* only len bytes are looked at */
    ck_assert(credit_utf8_valid("ab\xFF", 2));
    ck_assert(credit_utf8_valid(NULL, 0));

    ck_assert_int_eq(credit_utf8_chars("", 0), 0);
    ck_assert_int_eq(credit_utf8_chars("abc", 3), 3);
    ck_assert_int_eq(credit_utf8_chars("欧阳修", strlen("欧阳修")), 3);
    ck_assert_int_eq(credit_utf8_chars("a中\xF0\x9F\x98\x80", 1 + 3 + 4), 3);
    ck_assert_int_eq(credit_utf8_chars(max, 4), 1);
}
END_TEST

START_TEST(utf8_invalid_inputs)
{
    static const struct {
        const char *s;
        size_t len;
        const char *why;
    } bad[] = {
        {"\xC0\x80", 2, "overlong NUL"},
        {"\xC0\xAF", 2, "overlong /"},
        {"\xC1\xBF", 2, "overlong 2-byte"},
        {"\xE0\x80\x80", 3, "overlong 3-byte"},
        {"\xE0\x9F\xBF", 3, "overlong 3-byte U+07FF"},
        {"\xF0\x80\x80\x80", 4, "overlong 4-byte"},
        {"\xF0\x8F\xBF\xBF", 4, "overlong 4-byte U+FFFF"},
        {"\xED\xA0\x80", 3, "surrogate U+D800"},
        {"\xED\xBF\xBF", 3, "surrogate U+DFFF"},
        {"\xED\xA0\xBD\xED\xB8\x80", 6, "CESU-8 pair"},
        {"\xF4\x90\x80\x80", 4, "U+110000"},
        {"\xF5\x80\x80\x80", 4, "F5 lead"},
        {"\xFF", 1, "FF"},
        {"\xFE", 1, "FE"},
        {"\x80", 1, "lone continuation"},
        {"a\xBF", 2, "continuation after ASCII"},
        {"\xE4\xB8", 2, "truncated 3-byte"},
        {"\xE4", 1, "truncated lead"},
        {"\xF0\x9F\x98", 3, "truncated emoji"},
        {"\xE4\xB8\xAD\xE6", 4, "truncated after a valid char"},
        {"\xE4\x41\xAD", 3, "ASCII inside a sequence"},
        {"\xC3\xC3", 2, "lead after lead"},
        {"a\0b", 3, "embedded NUL"},
        {"\0", 1, "NUL"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!credit_utf8_valid(bad[i].s, bad[i].len), "accepted: %s", bad[i].why);
        ck_assert_msg(credit_utf8_chars(bad[i].s, bad[i].len) == -1, "counted: %s", bad[i].why);
    }
}
END_TEST

START_TEST(date_parse_valid)
{
    credit_date_t d;

    ck_assert(credit_date_parse("2026-04-01", &d));
    ck_assert_int_eq(d.y, 2026);
    ck_assert_int_eq(d.m, 4);
    ck_assert_int_eq(d.d, 1);
    ck_assert(credit_date_parse("2024-02-29", &d));
    ck_assert_int_eq(d.d, 29);
    ck_assert(credit_date_parse("2000-02-29", &d)); /* divisible by 400 */
    ck_assert(credit_date_parse("1900-01-01", &d));
    ck_assert(credit_date_parse("2999-12-31", &d));
    ck_assert_int_eq(d.y, 2999);
    ck_assert(credit_date_parse("2024-12-31", &d));
    ck_assert(credit_date_parse("2024-04-30", NULL));
}
END_TEST

START_TEST(date_parse_invalid)
{
    static const char *const bad[] = {
        "2023-02-29",       "1900-02-29", "2100-02-29",     "2024-02-30",  "2024-04-31",
        "2024-13-01",       "2024-00-10", "2024-01-00",     "2024-01-32",  "2024-1-01",
        "2024-01-1",        "24-01-01",   "2024/01/01",     "2024-01-01 ", " 2024-01-01",
        "2024-01-01T00:00", "1899-12-31", "3000-01-01",     "0000-01-01",  "+024-01-01",
        "2024-+1-01",       "2024-0a-01", "２０２４-01-01", "20240101",    "",
    };
    credit_date_t d = {7, 7, 7};
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!credit_date_parse(bad[i], &d), "accepted %s", bad[i]);
    }
    ck_assert(!credit_date_parse(NULL, &d));
    /* out untouched on failure */
    ck_assert_int_eq(d.y, 7);
    ck_assert_int_eq(d.m, 7);
    ck_assert_int_eq(d.d, 7);
}
END_TEST

START_TEST(record_numbers)
{
    static const char *const bad[] = {
        "TJZW-2026-12345",
        "TJZW-2026-0001234",
        "tjzw-2026-000123",
        "TJZW-2026-000000",
        "TJZW-26-000123",
        "TJZW-2026_000123",
        "TJZW 2026 000123",
        "XJZW-2026-000123",
        "TJZW-2026-00012a",
        "TJZW-2026-000123 ",
        " TJZW-2026-000123",
        "TJZW-2026-000123\n",
        "TJZW-1899-000001",
        "TJZW-3000-000001",
        "TJZW--026-000123",
        "TJZW-2026-+00123",
        "../",
        "..",
        "",
        "TJZW-2026-000123/",
        "TJZW-2026-000123x",
        "TS-20260401-000001",
    };
    size_t i;

    ck_assert(credit_record_no_valid("TJZW-2026-000123"));
    ck_assert(credit_record_no_valid("TJZW-2017-000001"));
    ck_assert(credit_record_no_valid("TJZW-2026-999999"));
    ck_assert_uint_le(strlen("TJZW-2026-000123"), CREDIT_RECORD_NO_MAX);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!credit_record_no_valid(bad[i]), "accepted %s", bad[i]);
    }
    ck_assert(!credit_record_no_valid(NULL));
}
END_TEST

START_TEST(ids)
{
    unsigned long long v = 77;
    static const char *const bad[] = {
        "0",
        "00",
        "01",
        "+1",
        "-1",
        " 1",
        "1 ",
        "1a",
        "0x10",
        "1e3",
        "",
        "9007199254740993",     /* 2^53 + 1 */
        "9999999999999999",     /* 16 digits, above 2^53 */
        "18446744073709551616", /* 2^64 */
        "99999999999999999999999999",
        "１",
    };
    size_t i;

    ck_assert(credit_id_parse("1", &v));
    ck_assert_uint_eq(v, 1);
    ck_assert(credit_id_parse("42", &v));
    ck_assert_uint_eq(v, 42);
    ck_assert(credit_id_parse("1000000", &v));
    ck_assert_uint_eq(v, 1000000);
    ck_assert(credit_id_parse("9007199254740992", &v)); /* 2^53 */
    ck_assert_uint_eq(v, 9007199254740992ULL);
    ck_assert(credit_id_parse("12", NULL));
    v = 77;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!credit_id_parse(bad[i], &v), "accepted %s", bad[i]);
    }
    ck_assert(!credit_id_parse(NULL, &v));
    ck_assert_uint_eq(v, 77);
}
END_TEST

START_TEST(text_characters)
{
    /* What every text field may hold (staff API, import, citizens' forms). */
    ck_assert(credit_char_allowed('a', 0));
    ck_assert(credit_char_allowed(0x4E2D, 0));  /* 中 */
    ck_assert(credit_char_allowed(0xFFFD, 0));  /* the replacement character */
    ck_assert(credit_char_allowed(0x1F600, 0)); /* outside the BMP */
    ck_assert(credit_char_allowed('\n', 1) && !credit_char_allowed('\n', 0));
    ck_assert(credit_char_allowed('\t', 1) && credit_char_allowed('\r', 1));
    ck_assert(!credit_char_allowed(0x01, 1) && !credit_char_allowed(0x0B, 1));
    ck_assert(!credit_char_allowed(0x7F, 1) && !credit_char_allowed(0x85, 1));
    ck_assert(!credit_char_allowed(0x2028, 1));
    ck_assert(!credit_char_allowed(0xFFFE, 1) && !credit_char_allowed(0xFFFF, 1));
    ck_assert(!credit_char_allowed(0xFDD0, 1) && !credit_char_allowed(0xFDEF, 1));
    ck_assert(credit_char_allowed(0xFDCF, 1) && credit_char_allowed(0xFDF0, 1));
    ck_assert(!credit_char_allowed(0x1FFFE, 1) && !credit_char_allowed(0x10FFFF, 1));
    ck_assert(!credit_char_allowed(0xD800, 1));
    ck_assert(credit_has_control("原因\xEF\xBF\xBE", 1));
    ck_assert(credit_has_control("原因\xEF\xB7\x90", 0));
    ck_assert(!credit_has_control("第一段\n第二段", 1));
    ck_assert(credit_has_control("第一段\n第二段", 0));
    ck_assert(credit_has_control("\xFF\x01", 1)); /* not UTF-8, and a C0 byte */
}
END_TEST

START_TEST(text_excerpt)
{
    apr_pool_t *p;
    apr_pool_create(&p, NULL);
    ck_assert_str_eq(credit_text_excerpt(p, "colour", 64), "colour");
    ck_assert_str_eq(credit_text_excerpt(p, "", 64), "");
    /* bytes that are not UTF-8, controls (also C1, U+2028) and
     * non-characters become U+FFFD, one each */
    ck_assert_str_eq(credit_text_excerpt(p,
                                         "a\xFF\xFE"
                                         "b\t\x7F"
                                         "c\xC2\x85\xE2\x80\xA8\xEF\xB7\x90"
                                         "d",
                                         64),
                     "a\xEF\xBF\xBD\xEF\xBF\xBD"
                     "b\xEF\xBF\xBD\xEF\xBF\xBD"
                     "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                     "d");
    /* cut after max characters, counted as characters */
    ck_assert_str_eq(credit_text_excerpt(p, "天津市和平区", 3), "天津市\xE2\x80\xA6");
    ck_assert_str_eq(credit_text_excerpt(p, "天津市", 3), "天津市");
    ck_assert_str_eq(credit_text_excerpt(p, "\xF5\xF5\xF5\xF5", 2),
                     "\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x80\xA6");
    apr_pool_destroy(p);
}
END_TEST

START_TEST(xml_clean)
{
    apr_pool_t *p;
    size_t n;
    const char in[] = "<t>a\x01"
                      "b\xEF\xBF\xBE"
                      "c\xFF"
                      "d\te\n</t>";
    char *out;
    apr_pool_create(&p, NULL);
    out = credit_xml_clean(p, in, sizeof in - 1, &n);
    ck_assert_str_eq(out, "<t>a\xEF\xBF\xBD"
                          "b\xEF\xBF\xBD"
                          "c\xEF\xBF\xBD"
                          "d\te\n</t>");
    ck_assert_uint_eq(n, strlen(out));
    out = credit_xml_clean(p, "中文", 6, &n);
    ck_assert_str_eq(out, "中文");
    ck_assert_uint_eq(n, 6);
    /* runs of good text between bad characters, a NUL, one at each end */
    out = credit_xml_clean(p,
                           "\x02信用 ok\0天津\xEF\xBF\xBF"
                           "end\xC3",
                           24, &n);
    ck_assert_uint_eq(n, 30);
    ck_assert_mem_eq(out,
                     "\xEF\xBF\xBD信用 ok\xEF\xBF\xBD天津\xEF\xBF\xBD"
                     "end\xEF\xBF\xBD",
                     31);
    apr_pool_destroy(p);
}
END_TEST

START_TEST(origins)
{
    apr_pool_t *p;
    const char *o;
    static const char *const bad[] = {"credit.tj.gov.cn",
                                      "ftp://credit.tj.gov.cn",
                                      "https://",
                                      "https:///",
                                      "https://a/b",
                                      "https://a?x",
                                      "https://a#f",
                                      "https://user@a",
                                      "https://a:0",
                                      "https://a:65536",
                                      "https://a:",
                                      "https://a:8o",
                                      "https://-a",
                                      "https://a.",
                                      "https://a b",
                                      "https://[]",
                                      "https://[::1",
                                      "https://[xyz]",
                                      "javascript:alert(1)",
                                      "https://a/\n",
                                      NULL};
    int i;
    apr_pool_create(&p, NULL);
    ck_assert(credit_origin_parse(p, "https://credit.tianjin.gov.cn", &o));
    ck_assert_str_eq(o, "https://credit.tianjin.gov.cn");
    ck_assert(credit_origin_parse(p, "HTTPS://Credit.Tianjin.GOV.cn/", &o) == 0);
    ck_assert(credit_origin_parse(p, "https://Credit.Tianjin.GOV.cn/", &o));
    ck_assert_str_eq(o, "https://credit.tianjin.gov.cn");
    ck_assert(credit_origin_parse(p, "http://127.0.0.1:8080", &o));
    ck_assert_str_eq(o, "http://127.0.0.1:8080");
    ck_assert(credit_origin_parse(p, "https://[2001:db8::1]:8443", &o));
    ck_assert_str_eq(o, "https://[2001:db8::1]:8443");
    for (i = 0; bad[i]; i++)
        ck_assert_msg(!credit_origin_parse(p, bad[i], &o), "accepted %s", bad[i]);
    ck_assert(!credit_origin_parse(p, NULL, &o));
    apr_pool_destroy(p);
}
END_TEST

Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *code = tcase_create("credit code");
    TCase *utf8 = tcase_create("utf8");
    TCase *other = tcase_create("dates, numbers, ids");

    tcase_add_test(code, code_check_char_published);
    tcase_add_test(code, code_wrong_check_char);
    tcase_add_test(code, code_single_substitution_detected);
    tcase_add_test(code, code_forbidden_chars);
    tcase_add_test(code, code_lowercase_and_length);
    tcase_add_test(utf8, utf8_valid_inputs);
    tcase_add_test(utf8, utf8_invalid_inputs);
    tcase_add_test(utf8, text_characters);
    tcase_add_test(utf8, xml_clean);
    tcase_add_test(utf8, text_excerpt);
    tcase_add_test(other, date_parse_valid);
    tcase_add_test(other, date_parse_invalid);
    tcase_add_test(other, record_numbers);
    tcase_add_test(other, ids);
    tcase_add_test(other, origins);
    suite_add_tcase(s, code);
    suite_add_tcase(s, utf8);
    suite_add_tcase(s, other);
    return s;
}
