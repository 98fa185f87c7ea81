/* test_rules.c: calendar arithmetic, the disclosure clock, visibility and
 * masking. Expected dates follow MariaDB's DATE + INTERVAL n MONTH/YEAR (the
 * generated columns of sql/001_schema.sql); Unix times were converted with
 * Python's datetime in UTC+8. */
#include <string.h>

#include "credit_rules.h"
#include "credit_validate.h"
#include "unit.h"

static credit_date_t D(int y, int m, int d)
{
    credit_date_t x = {y, m, d};
    return x;
}

#define ck_assert_date(got, Y, M, DD)                                                              \
    do {                                                                                           \
        credit_date_t g_ = (got);                                                                  \
        ck_assert_msg(g_.y == (Y) && g_.m == (M) && g_.d == (DD),                                  \
                      "got %04d-%02d-%02d, want %04d-%02d-%02d", g_.y, g_.m, g_.d, (Y), (M),       \
                      (DD));                                                                       \
    } while (0)

/* Last day of a month, found through the date parser (an independent path). */
static int last_day(int y, int m)
{
    char buf[16];
    int d;

    for (d = 31; d >= 28; d--) {
        credit_date_t tmp = {0, 0, 0};
        credit_date_fmt(D(y, m, d), buf);
        if (credit_date_parse(buf, &tmp)) {
            return d;
        }
    }
    return 0;
}

START_TEST(add_months_clamps_like_mariadb)
{
    ck_assert_date(credit_date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
    ck_assert_date(credit_date_add_months(D(2023, 1, 31), 1), 2023, 2, 28);
    ck_assert_date(credit_date_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
    ck_assert_date(credit_date_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
    ck_assert_date(credit_date_add_months(D(2024, 2, 29), 36), 2027, 2, 28);
    ck_assert_date(credit_date_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
    ck_assert_date(credit_date_add_months(D(2024, 2, 29), -12), 2023, 2, 28);
    ck_assert_date(credit_date_add_months(D(2024, 12, 31), 1), 2025, 1, 31);
    ck_assert_date(credit_date_add_months(D(2024, 12, 31), 3), 2025, 3, 31);
    ck_assert_date(credit_date_add_months(D(2024, 12, 15), 3), 2025, 3, 15);
    ck_assert_date(credit_date_add_months(D(2025, 11, 30), 3), 2026, 2, 28);
    ck_assert_date(credit_date_add_months(D(2024, 5, 31), 1), 2024, 6, 30);
    ck_assert_date(credit_date_add_months(D(2024, 1, 15), -13), 2022, 12, 15);
    ck_assert_date(credit_date_add_months(D(2024, 1, 1), -1), 2023, 12, 1);
    ck_assert_date(credit_date_add_months(D(1900, 1, 31), 1), 1900, 2, 28);
    ck_assert_date(credit_date_add_months(D(2099, 12, 31), 2), 2100, 2, 28);
    ck_assert_date(credit_date_add_months(D(2026, 4, 1), 0), 2026, 4, 1);
    ck_assert_date(credit_date_add_months(D(0, 0, 0), 3), 0, 0, 0); /* unset stays unset */
}
END_TEST

/* For every day of 2023..2025 and every shift of -40..40 months: the month
 * moves by exactly n and the day is min(day, last day of the target month). */
START_TEST(add_months_property)
{
    int y, m, d, n, ty, tm, want;
    credit_date_t r;

    for (y = 2023; y <= 2025; y++) {
        for (m = 1; m <= 12; m++) {
            for (d = 1; d <= last_day(y, m); d++) {
                for (n = -40; n <= 40; n += 7) {
                    r = credit_date_add_months(D(y, m, d), n);
                    ty = y + (m - 1 + n + 480) / 12 - 40;
                    tm = (m - 1 + n + 480) % 12 + 1;
                    want = d < last_day(ty, tm) ? d : last_day(ty, tm);
                    ck_assert_date(r, ty, tm, want);
                }
            }
        }
    }
}
END_TEST

START_TEST(cmp_and_diff)
{
    ck_assert_int_lt(credit_date_cmp(D(2024, 1, 1), D(2024, 1, 2)), 0);
    ck_assert_int_gt(credit_date_cmp(D(2024, 2, 1), D(2024, 1, 31)), 0);
    ck_assert_int_gt(credit_date_cmp(D(2025, 1, 1), D(2024, 12, 31)), 0);
    ck_assert_int_eq(credit_date_cmp(D(2024, 2, 29), D(2024, 2, 29)), 0);

    ck_assert_int_eq(credit_date_diff(D(2024, 1, 1), D(2025, 1, 1)), 366);
    ck_assert_int_eq(credit_date_diff(D(2023, 1, 1), D(2024, 1, 1)), 365);
    ck_assert_int_eq(credit_date_diff(D(2025, 1, 1), D(2024, 1, 1)), -366);
    ck_assert_int_eq(credit_date_diff(D(1970, 1, 1), D(2000, 3, 1)), 11017);
    ck_assert_int_eq(credit_date_diff(D(1900, 2, 28), D(1900, 3, 1)), 1);
    ck_assert_int_eq(credit_date_diff(D(2000, 2, 28), D(2000, 3, 1)), 2);
    ck_assert_int_eq(credit_date_diff(D(1900, 1, 1), D(2999, 12, 31)), 401766);
    ck_assert_int_eq(credit_date_diff(D(2026, 4, 1), D(2026, 4, 1)), 0);
}
END_TEST

/* Walking day by day through the calendar the parser accepts, diff is 1 for
 * each step and from_unix agrees with it. */
START_TEST(diff_walk_and_unix)
{
    credit_date_t a = D(1968, 1, 1), b;
    long long t = -63187200; /* 1968-01-01 00:00 Beijing = 1967-12-31T16:00Z */
    long k;

    for (k = 0; k < 366 * 70; k++) {
        b = a;
        if (++b.d > last_day(b.y, b.m)) {
            b.d = 1;
            if (++b.m > 12) {
                b.m = 1;
                b.y++;
            }
        }
        ck_assert_int_eq(credit_date_diff(a, b), 1);
        ck_assert_int_lt(credit_date_cmp(a, b), 0);
        ck_assert_date(credit_date_from_unix(t), a.y, a.m, a.d);
        ck_assert_date(credit_date_from_unix(t + 86399), a.y, a.m, a.d);
        a = b;
        t += 86400;
    }
    ck_assert_date(a, 2038, 2, 22);
}
END_TEST

START_TEST(from_unix_is_beijing)
{
    ck_assert_date(credit_date_from_unix(0), 1970, 1, 1);
    ck_assert_date(credit_date_from_unix(57599), 1970, 1, 1);
    ck_assert_date(credit_date_from_unix(57600), 1970, 1, 2);
    ck_assert_date(credit_date_from_unix(-1), 1970, 1, 1);
    ck_assert_date(credit_date_from_unix(-28800), 1970, 1, 1);
    ck_assert_date(credit_date_from_unix(-28801), 1969, 12, 31);
    ck_assert_date(credit_date_from_unix(1704038399), 2023, 12, 31);
    ck_assert_date(credit_date_from_unix(1704038400), 2024, 1, 1);
    ck_assert_date(credit_date_from_unix(1709135999), 2024, 2, 28);
    ck_assert_date(credit_date_from_unix(1709136000), 2024, 2, 29);
    ck_assert_date(credit_date_from_unix(1774972799), 2026, 3, 31);
    ck_assert_date(credit_date_from_unix(1774972800), 2026, 4, 1);
}
END_TEST

START_TEST(date_fmt)
{
    char buf[11];

    ck_assert_str_eq(credit_date_fmt(D(2026, 4, 1), buf), "2026-04-01");
    ck_assert_str_eq(credit_date_fmt(D(1900, 12, 31), buf), "1900-12-31");
    ck_assert_str_eq(credit_date_fmt(D(0, 0, 0), buf), "");
    ck_assert_ptr_eq(credit_date_fmt(D(2024, 2, 29), buf), buf);
    /* nonsense stays inside the buffer */
    ck_assert_uint_eq(strlen(credit_date_fmt(D(123456, 123, -5), buf)), 10);
}
END_TEST

static void check_clock(const char *sev, credit_date_t disclosed, credit_date_t repair,
                        credit_date_t withdraw)
{
    credit_clock_t c;

    memset(&c, 0x55, sizeof(c));
    ck_assert_int_eq(credit_clock(sev, disclosed, &c), CREDIT_OK);
    ck_assert_date(c.disclosed, disclosed.y, disclosed.m, disclosed.d);
    ck_assert_date(c.repair_from, repair.y, repair.m, repair.d);
    ck_assert_date(c.withdraw_on, withdraw.y, withdraw.m, withdraw.d);
}

START_TEST(clock_three_severities)
{
    const credit_date_t none = {0, 0, 0};

    check_clock("minor", D(2026, 4, 1), none, D(2026, 7, 1));
    check_clock("general", D(2026, 4, 1), D(2026, 7, 1), D(2027, 4, 1));
    check_clock("serious", D(2026, 4, 1), D(2027, 4, 1), D(2029, 4, 1));
}
END_TEST

START_TEST(clock_edge_dates)
{
    const credit_date_t none = {0, 0, 0};

    /* Jan 31 */
    check_clock("minor", D(2024, 1, 31), none, D(2024, 4, 30));
    check_clock("general", D(2024, 1, 31), D(2024, 4, 30), D(2025, 1, 31));
    check_clock("serious", D(2025, 1, 31), D(2026, 1, 31), D(2028, 1, 31));
    /* landing on Feb 29 / Feb 28 */
    check_clock("minor", D(2023, 11, 30), none, D(2024, 2, 29));
    check_clock("minor", D(2025, 11, 30), none, D(2026, 2, 28));
    check_clock("general", D(2023, 11, 30), D(2024, 2, 29), D(2024, 11, 30));
    /* leap day disclosed */
    check_clock("general", D(2024, 2, 29), D(2024, 5, 29), D(2025, 2, 28));
    check_clock("serious", D(2024, 2, 29), D(2025, 2, 28), D(2027, 2, 28));
    check_clock("serious", D(2028, 2, 29), D(2029, 2, 28), D(2031, 2, 28));
    /* Dec 31 */
    check_clock("minor", D(2024, 12, 31), none, D(2025, 3, 31));
    check_clock("general", D(2024, 12, 31), D(2025, 3, 31), D(2025, 12, 31));
    check_clock("serious", D(2024, 12, 31), D(2025, 12, 31), D(2027, 12, 31));
}
END_TEST

START_TEST(clock_bad_input)
{
    credit_clock_t c;

    ck_assert_int_eq(credit_clock("severe", D(2026, 4, 1), &c), CREDIT_EINVAL);
    ck_assert_int_eq(credit_clock("Serious", D(2026, 4, 1), &c), CREDIT_EINVAL);
    ck_assert_int_eq(credit_clock("", D(2026, 4, 1), &c), CREDIT_EINVAL);
    ck_assert_int_eq(credit_clock(NULL, D(2026, 4, 1), &c), CREDIT_EINVAL);
    ck_assert_int_eq(credit_clock("general", D(0, 0, 0), &c), CREDIT_EINVAL);
}
END_TEST

static credit_visibility_t vis(const char *status, const char *sev, credit_date_t disclosed,
                               credit_date_t today)
{
    credit_clock_t c;

    ck_assert_int_eq(credit_clock(sev, disclosed, &c), CREDIT_OK);
    return credit_visibility(status, &c, today);
}

START_TEST(visibility_window)
{
    /* general, disclosed 2025-01-31: withdrawn on 2026-01-31 */
    ck_assert_int_eq(vis("published", "general", D(2025, 1, 31), D(2025, 1, 30)),
                     CREDIT_VIS_NOT_YET);
    ck_assert_int_eq(vis("published", "general", D(2025, 1, 31), D(2025, 1, 31)),
                     CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(vis("published", "general", D(2025, 1, 31), D(2026, 1, 30)),
                     CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(vis("published", "general", D(2025, 1, 31), D(2026, 1, 31)),
                     CREDIT_VIS_WITHDRAWN);
    ck_assert_int_eq(vis("published", "general", D(2025, 1, 31), D(2030, 1, 1)),
                     CREDIT_VIS_WITHDRAWN);
    /* serious, leap day: last public day 2027-02-27 */
    ck_assert_int_eq(vis("published", "serious", D(2024, 2, 29), D(2027, 2, 27)),
                     CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(vis("published", "serious", D(2024, 2, 29), D(2027, 2, 28)),
                     CREDIT_VIS_WITHDRAWN);
    /* minor, Dec 31: last public day 2026-03-30 */
    ck_assert_int_eq(vis("published", "minor", D(2025, 12, 31), D(2026, 3, 30)), CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(vis("published", "minor", D(2025, 12, 31), D(2026, 3, 31)),
                     CREDIT_VIS_WITHDRAWN);
    /* the shown-with-a-flag statuses are public too */
    ck_assert_int_eq(vis("contested", "serious", D(2026, 4, 1), D(2027, 1, 1)), CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(vis("corrected", "serious", D(2026, 4, 1), D(2027, 1, 1)), CREDIT_VIS_PUBLIC);
}
END_TEST

START_TEST(visibility_status)
{
    static const char *const withdrawn[] = {"repaired", "revoked", "expired"};
    size_t i;

    for (i = 0; i < 3; i++) {
        /* inside the window, still withdrawn */
        ck_assert_int_eq(vis(withdrawn[i], "serious", D(2026, 4, 1), D(2026, 4, 1)),
                         CREDIT_VIS_WITHDRAWN);
        ck_assert_int_eq(vis(withdrawn[i], "serious", D(2026, 4, 1), D(2027, 6, 1)),
                         CREDIT_VIS_WITHDRAWN);
        /* never disclosed yet: not found rather than a tombstone */
        ck_assert_int_eq(vis(withdrawn[i], "serious", D(2026, 4, 1), D(2026, 3, 31)),
                         CREDIT_VIS_NOT_YET);
    }
    /* unknown statuses fail closed */
    ck_assert_int_eq(vis(NULL, "general", D(2026, 4, 1), D(2026, 5, 1)), CREDIT_VIS_WITHDRAWN);
    ck_assert_int_eq(vis("bogus", "general", D(2026, 4, 1), D(2026, 5, 1)), CREDIT_VIS_WITHDRAWN);
    ck_assert_int_eq(vis("Published", "general", D(2026, 4, 1), D(2026, 5, 1)),
                     CREDIT_VIS_WITHDRAWN);
    ck_assert_int_eq(credit_visibility("published", NULL, D(2026, 5, 1)), CREDIT_VIS_WITHDRAWN);
}
END_TEST

/* The withdrawal takes effect at Beijing midnight, 16:00 UTC the day before. */
START_TEST(visibility_at_beijing_midnight)
{
    credit_clock_t c;
    const long long midnight = 1774972800; /* 2026-04-01 00:00 +08:00 */

    ck_assert_int_eq(credit_clock("general", D(2025, 4, 1), &c), CREDIT_OK);
    ck_assert_date(c.withdraw_on, 2026, 4, 1);
    ck_assert_int_eq(credit_visibility("published", &c, credit_date_from_unix(midnight - 1)),
                     CREDIT_VIS_PUBLIC);
    ck_assert_int_eq(credit_visibility("published", &c, credit_date_from_unix(midnight)),
                     CREDIT_VIS_WITHDRAWN);
}
END_TEST

START_TEST(withdrawn_state)
{
    ck_assert_str_eq(credit_withdrawn_state("repaired"), "repaired");
    ck_assert_str_eq(credit_withdrawn_state("revoked"), "revoked");
    ck_assert_str_eq(credit_withdrawn_state("expired"), "expired");
    ck_assert_str_eq(credit_withdrawn_state("published"), "expired");
    ck_assert_str_eq(credit_withdrawn_state("contested"), "expired");
    ck_assert_str_eq(credit_withdrawn_state("corrected"), "expired");
    ck_assert_str_eq(credit_withdrawn_state(NULL), "expired");
    ck_assert_str_eq(credit_withdrawn_state("bogus"), "expired");
}
END_TEST

START_TEST(mask_id)
{
    apr_pool_t *p = unit_pool;

    ck_assert_str_eq(credit_mask_id(p, "120101199001011234"), "120101********1234");
    ck_assert_str_eq(credit_mask_id(p, "12010119900101123X"), "120101********123X");
    ck_assert_str_eq(credit_mask_id(p, "120101900101123"), "120101*****1123"); /* 15-digit old ID */
    ck_assert_str_eq(credit_mask_id(p, "12345678901"), "123456*8901");         /* 11 */
    ck_assert_str_eq(credit_mask_id(p, "1234567890"), "**********");           /* 10 */
    ck_assert_str_eq(credit_mask_id(p, "1"), "*");
    ck_assert_str_eq(credit_mask_id(p, ""), "");
    ck_assert_ptr_null(credit_mask_id(p, NULL));
    ck_assert_str_eq(credit_mask_id(p, "\xFF\xFE"
                                       "120101199001011234"),
                     "********************");
}
END_TEST

START_TEST(mask_phone)
{
    apr_pool_t *p = unit_pool;

    ck_assert_str_eq(credit_mask_phone(p, "13812345678"), "138****5678");
    ck_assert_str_eq(credit_mask_phone(p, "022-23456789"), "022*****6789");
    ck_assert_str_eq(credit_mask_phone(p, "12345678"), "123*5678");
    ck_assert_str_eq(credit_mask_phone(p, "1234567"), "*******");
    ck_assert_str_eq(credit_mask_phone(p, "110"), "***");
    ck_assert_str_eq(credit_mask_phone(p, ""), "");
    ck_assert_ptr_null(credit_mask_phone(p, NULL));
}
END_TEST

START_TEST(mask_email)
{
    apr_pool_t *p = unit_pool;

    ck_assert_str_eq(credit_mask_email(p, "zhang@example.cn"), "z***@example.cn");
    ck_assert_str_eq(credit_mask_email(p, "z@example.cn"), "z***@example.cn");
    ck_assert_str_eq(credit_mask_email(p, "a.very.long.name@tj.gov.cn"), "a***@tj.gov.cn");
    ck_assert_str_eq(credit_mask_email(p, "张三@example.cn"), "张***@example.cn");
    ck_assert_str_eq(credit_mask_email(p, "@example.cn"), "***@example.cn");
    ck_assert_str_eq(credit_mask_email(p, "not-an-address"), "**************");
    ck_assert_str_eq(credit_mask_email(p, "张三"), "**");
    ck_assert_str_eq(credit_mask_email(p, ""), "");
    ck_assert_str_eq(credit_mask_email(p, "\xE4\xB8@x.cn"), "*******");
    ck_assert_ptr_null(credit_mask_email(p, NULL));
}
END_TEST

START_TEST(mask_name)
{
    apr_pool_t *p = unit_pool;
    const char *m;

    ck_assert_str_eq(credit_mask_name(p, "欧阳修"), "欧**");
    ck_assert_str_eq(credit_mask_name(p, "张三"), "张*");
    ck_assert_str_eq(credit_mask_name(p, "张"), "张");
    ck_assert_str_eq(credit_mask_name(p, "司马相如"), "司***");
    ck_assert_str_eq(credit_mask_name(p, "John Smith"), "J*********");
    ck_assert_str_eq(credit_mask_name(p, "\xF0\x9F\x98\x80"
                                         "ab"),
                     "\xF0\x9F\x98\x80**");
    ck_assert_str_eq(credit_mask_name(p, "阿依古丽·买买提"), "阿*******");
    ck_assert_str_eq(credit_mask_name(p, ""), "");
    ck_assert_ptr_null(credit_mask_name(p, NULL));
    /* invalid UTF-8 is never copied out: one '*' per byte */
    ck_assert_str_eq(credit_mask_name(p, "\xE4\xB8"), "**");
    ck_assert_str_eq(credit_mask_name(p, "\xE6\xAC\xA7\xC0\x80"), "*****");
    m = credit_mask_name(p, "欧阳修");
    ck_assert(credit_utf8_valid(m, strlen(m)));
}
END_TEST

Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *dates = tcase_create("dates");
    TCase *clock = tcase_create("clock");
    TCase *mask = tcase_create("masking");

    tcase_add_checked_fixture(mask, unit_setup, unit_teardown);
    tcase_add_test(dates, add_months_clamps_like_mariadb);
    tcase_add_test(dates, add_months_property);
    tcase_add_test(dates, cmp_and_diff);
    tcase_add_test(dates, diff_walk_and_unix);
    tcase_add_test(dates, from_unix_is_beijing);
    tcase_add_test(dates, date_fmt);
    tcase_add_test(clock, clock_three_severities);
    tcase_add_test(clock, clock_edge_dates);
    tcase_add_test(clock, clock_bad_input);
    tcase_add_test(clock, visibility_window);
    tcase_add_test(clock, visibility_status);
    tcase_add_test(clock, visibility_at_beijing_midnight);
    tcase_add_test(clock, withdrawn_state);
    tcase_add_test(mask, mask_id);
    tcase_add_test(mask, mask_phone);
    tcase_add_test(mask, mask_email);
    tcase_add_test(mask, mask_name);
    suite_add_tcase(s, dates);
    suite_add_tcase(s, clock);
    suite_add_tcase(s, mask);
    return s;
}
