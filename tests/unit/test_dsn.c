/* test_dsn.c: the one-string database settings of CreditDB. */
#include <string.h>

#include "credit_dsn.h"
#include "unit.h"

START_TEST(full_string)
{
    credit_db_params_t db = {0};
    const char *err = credit_dsn_parse(unit_pool,
                                       "host=127.0.0.1 port=3307 user=credit_ro password=s3cret "
                                       "dbname=credit connect_timeout=2 timeout=15",
                                       &db);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(db.host, "127.0.0.1");
    ck_assert_uint_eq(db.port, 3307);
    ck_assert_str_eq(db.user, "credit_ro");
    ck_assert_str_eq(db.password, "s3cret");
    ck_assert_str_eq(db.name, "credit");
    ck_assert_uint_eq(db.connect_timeout, 2);
    ck_assert_uint_eq(db.rw_timeout, 15);
}
END_TEST

START_TEST(keys_not_given_are_kept)
{
    credit_db_params_t db = {0};
    db.port = 3306;
    db.user = "before";
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "socket=/run/mysqld/mysqld.sock", &db));
    ck_assert_str_eq(db.socket, "/run/mysqld/mysqld.sock");
    ck_assert_uint_eq(db.port, 3306);
    ck_assert_str_eq(db.user, "before");
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "", &db));
}
END_TEST

START_TEST(errors_name_the_key)
{
    credit_db_params_t db = {0};
    const char *err;
    err = credit_dsn_parse(unit_pool, "host=a colour=blue", &db);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "colour"));
    err = credit_dsn_parse(unit_pool, "port=70000", &db);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "port"));
    err = credit_dsn_parse(unit_pool, "port=-1", &db);
    ck_assert_ptr_nonnull(strstr(err, "port"));
    err = credit_dsn_parse(unit_pool, "connect_timeout=0", &db);
    ck_assert_ptr_nonnull(strstr(err, "connect_timeout"));
    err = credit_dsn_parse(unit_pool, "justaword", &db);
    ck_assert_ptr_nonnull(strstr(err, "justaword"));
    err = credit_dsn_parse(unit_pool, "=value", &db);
    ck_assert_ptr_nonnull(err);
}
END_TEST

START_TEST(parse_uint_bounds)
{
    unsigned long v = 7;
    ck_assert_int_eq(credit_parse_uint("0", 0, 10, &v), 1);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(credit_parse_uint("10", 0, 10, &v), 1);
    ck_assert_int_eq(credit_parse_uint("11", 0, 10, &v), 0);
    ck_assert_int_eq(credit_parse_uint("", 0, 10, &v), 0);
    ck_assert_int_eq(credit_parse_uint("+3", 0, 10, &v), 0);
    ck_assert_int_eq(credit_parse_uint("3x", 0, 10, &v), 0);
    ck_assert_int_eq(credit_parse_uint(" 3", 0, 10, &v), 0);
    ck_assert_int_eq(credit_parse_uint("99999999999999999999999", 0, 10, &v), 0);
    ck_assert_uint_eq(v, 10);
}
END_TEST

START_TEST(password_file_replaces_password)
{
    credit_db_params_t db = {0};
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "user=u password=inline", &db));
    ck_assert_ptr_null(
        credit_dsn_parse(unit_pool, "password_file=/etc/mod_credit/db-ro dbname=credit", &db));
    ck_assert_str_eq(db.password_file, "/etc/mod_credit/db-ro");
    ck_assert_ptr_null(db.password);
    ck_assert_str_eq(db.user, "u");
    /* and the other way round: the last one given counts */
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "password=again", &db));
    ck_assert_str_eq(db.password, "again");
    ck_assert_ptr_null(db.password_file);
    ck_assert_ptr_nonnull(
        strstr(credit_dsn_parse(unit_pool, "password_file=", &db), "password_file"));
}
END_TEST

START_TEST(password_text_is_the_first_line)
{
    const char *pw = NULL, *err;
    ck_assert_ptr_null(credit_dsn_password_text(unit_pool, "s3cret\n", 7, &pw));
    ck_assert_str_eq(pw, "s3cret");
    ck_assert_ptr_null(credit_dsn_password_text(unit_pool, "  a b \r\nsecond line\n", 21, &pw));
    ck_assert_str_eq(pw, "a b");
    ck_assert_ptr_null(credit_dsn_password_text(unit_pool, "no-newline", 10, &pw));
    ck_assert_str_eq(pw, "no-newline");
    err = credit_dsn_password_text(unit_pool, "\nlater\n", 7, &pw);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    ck_assert_ptr_nonnull(credit_dsn_password_text(unit_pool, "", 0, &pw));
    ck_assert_ptr_nonnull(credit_dsn_password_text(unit_pool, "a\tb\x01", 4, &pw));
    {
        char big[300];
        memset(big, 'x', sizeof big);
        ck_assert_ptr_nonnull(credit_dsn_password_text(unit_pool, big, 257, &pw));
        ck_assert_ptr_null(credit_dsn_password_text(unit_pool, big, 256, &pw));
        ck_assert_uint_eq(strlen(pw), 256);
    }
}
END_TEST

Suite *dsn_suite(void)
{
    Suite *s = suite_create("dsn");
    TCase *tc = tcase_create("dsn");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, full_string);
    tcase_add_test(tc, keys_not_given_are_kept);
    tcase_add_test(tc, errors_name_the_key);
    tcase_add_test(tc, parse_uint_bounds);
    tcase_add_test(tc, password_file_replaces_password);
    tcase_add_test(tc, password_text_is_the_first_line);
    suite_add_tcase(s, tc);
    return s;
}
