/* test_copies.c: GTID positions and the choice of the database copy a
 * request reads from (credit_gtid.c, credit_copies.c), with made-up times. */
#include <string.h>

#include "credit_copies.h"
#include "credit_dsn.h"
#include "credit_gtid.h"
#include "unit.h"

START_TEST(gtid_positions_parse)
{
    credit_gtid_pos_t p;
    ck_assert_int_eq(credit_gtid_parse("0-1-313", &p), 1);
    ck_assert_int_eq(p.n, 1);
    ck_assert_uint_eq(p.d[0].domain, 0);
    ck_assert_uint_eq(p.d[0].seq, 313);
    ck_assert_int_eq(credit_gtid_parse("0-1-313,1-2-40", &p), 1);
    ck_assert_int_eq(p.n, 2);
    ck_assert_uint_eq(p.d[1].domain, 1);
    ck_assert_uint_eq(p.d[1].seq, 40);
    ck_assert_int_eq(credit_gtid_parse("0-1-5,\n1-2-6", &p), 1);
    ck_assert_int_eq(p.n, 2);
    ck_assert_int_eq(credit_gtid_parse("", &p), 1);
    ck_assert_int_eq(p.n, 0);
    ck_assert_int_eq(credit_gtid_parse(NULL, &p), 1);
    ck_assert_int_eq(p.n, 0);
    ck_assert_int_eq(credit_gtid_parse("18446744073709551615-1-1", &p), 0);
    ck_assert_int_eq(credit_gtid_parse("0-4294967295-18446744073709551615", &p), 1);
}
END_TEST

START_TEST(gtid_nonsense_is_refused)
{
    static const char *const bad[] = {
        "0-1",     "0-1-",        "a-1-2",  "0-1-2,", "0-1-2,,1-2-3",
        "0-1-2 x", "0-1-2,0-3-4", "-1-1-2", "0--1-2", "0-1-99999999999999999999"};
    credit_gtid_pos_t p;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(credit_gtid_parse(bad[i], &p) == 0, "accepted '%s'", bad[i]);
        ck_assert_int_eq(p.n, 0);
    }
}
END_TEST

static int covers(const char *have, const char *want)
{
    credit_gtid_pos_t h, w;
    ck_assert(credit_gtid_parse(have, &h));
    ck_assert(credit_gtid_parse(want, &w));
    return credit_gtid_covers(&h, &w);
}

START_TEST(gtid_covers_per_domain)
{
    ck_assert_int_eq(covers("0-1-10", "0-1-10"), 1);
    ck_assert_int_eq(covers("0-1-11", "0-1-10"), 1);
    ck_assert_int_eq(covers("0-1-9", "0-1-10"), 0);
    /* Another server wrote the later ones (a promoted replica): same domain. */
    ck_assert_int_eq(covers("0-2-12", "0-1-10"), 1);
    ck_assert_int_eq(covers("", "0-1-1"), 0);
    ck_assert_int_eq(covers("0-1-1", ""), 1);
    ck_assert_int_eq(covers("0-1-5,1-3-7", "1-3-7,0-1-5"), 1);
    ck_assert_int_eq(covers("0-1-5", "0-1-5,1-3-7"), 0);
    ck_assert_int_eq(covers("0-1-5,1-3-6", "0-1-5,1-3-7"), 0);
}
END_TEST

/* The primary and two replicas, at most 1000 ms behind. */
static credit_copies_t *three(void)
{
    credit_copies_t *c = credit_copies_create(unit_pool, 1000);
    credit_db_params_t db = {0};
    db.host = "10.0.0.1";
    ck_assert_int_eq(credit_copies_add(c, &db), 0);
    db.host = "10.0.0.2";
    ck_assert_int_eq(credit_copies_add(c, &db), 1);
    db.host = "10.0.0.3";
    ck_assert_int_eq(credit_copies_add(c, &db), 2);
    ck_assert_str_eq(credit_copies_name(c, 0), "primary");
    ck_assert_str_eq(credit_copies_name(c, 2), "replica 2");
    ck_assert_str_eq(credit_copies_params(c, 1)->host, "10.0.0.2");
    return c;
}

START_TEST(unchecked_replicas_are_not_read)
{
    credit_copies_t *c = three();
    long long lag;
    ck_assert_int_eq(credit_copies_pick(c, 5000, 0), 0);
    ck_assert_int_eq(credit_copies_state(c, 1, 5000, &lag), CREDIT_COPY_UNKNOWN);
    ck_assert_int_eq(lag, -1);
    ck_assert_int_eq(credit_copies_state(c, 0, 5000, &lag), CREDIT_COPY_CURRENT);
    ck_assert_int_eq(lag, 0);
}
END_TEST

START_TEST(fresh_replicas_take_turns)
{
    credit_copies_t *c = three();
    int seen[3] = {0}, i;
    long long lag;
    credit_copies_primary_checked(c, 10000, "0-1-50");
    credit_copies_replica_checked(c, 1, "0-1-50");
    credit_copies_replica_checked(c, 2, "0-1-51"); /* ahead of the reading: fine */
    for (i = 0; i < 10; i++)
        seen[credit_copies_pick(c, 10300, 0)]++;
    ck_assert_int_eq(seen[0], 0);
    ck_assert_int_eq(seen[1], 5);
    ck_assert_int_eq(seen[2], 5);
    ck_assert_int_eq(credit_copies_state(c, 1, 10300, &lag), CREDIT_COPY_CURRENT);
    ck_assert_int_eq(lag, 300);
    /* Tried already: the other one, then the primary. */
    ck_assert_int_eq(credit_copies_pick(c, 10300, 1u << 1), 2);
    ck_assert_int_eq(credit_copies_pick(c, 10300, (1u << 1) | (1u << 2)), 0);
    ck_assert_int_eq(credit_copies_pick(c, 10300, 7u), -1);
}
END_TEST

START_TEST(a_replica_older_than_the_bound_is_skipped)
{
    credit_copies_t *c = three();
    long long lag;
    /* A withdrawal at 10100 (seq 51); replica 1 stopped applying at 50. */
    credit_copies_primary_checked(c, 10000, "0-1-50");
    credit_copies_replica_checked(c, 1, "0-1-50");
    credit_copies_replica_checked(c, 2, "0-1-50");
    credit_copies_primary_checked(c, 10200, "0-1-51");
    credit_copies_replica_checked(c, 1, "0-1-50");
    credit_copies_replica_checked(c, 2, "0-1-51");
    ck_assert_int_eq(credit_copies_state(c, 1, 10900, &lag), CREDIT_COPY_CURRENT);
    ck_assert_int_eq(lag, 900);
    /* Whatever committed before 10000 it holds; at 11001 that is not enough. */
    ck_assert_int_eq(credit_copies_state(c, 1, 11001, &lag), CREDIT_COPY_BEHIND);
    ck_assert_int_eq(lag, 1001);
    ck_assert_int_eq(credit_copies_pick(c, 11001, 0), 2);
    ck_assert_int_eq(credit_copies_pick(c, 11001, 0), 2);
    /* Replica 2 stopped too: the primary answers, never a stale copy. */
    credit_copies_primary_checked(c, 10400, "0-1-52");
    credit_copies_replica_checked(c, 2, "0-1-51");
    ck_assert_int_eq(credit_copies_pick(c, 11300, 0), 0);
    /* Replica 1 catches up: read again. */
    credit_copies_primary_checked(c, 11400, "0-1-52");
    credit_copies_replica_checked(c, 1, "0-1-52");
    ck_assert_int_eq(credit_copies_pick(c, 11500, 1u << 2), 1);
}
END_TEST

START_TEST(the_primary_away_leaves_the_freshest_replica)
{
    credit_copies_t *c = three();
    long long lag;
    credit_copies_primary_checked(c, 10000, "0-1-50");
    credit_copies_replica_checked(c, 1, "0-1-49");
    credit_copies_replica_checked(c, 2, "0-1-50");
    credit_copies_primary_checked(c, 9000, "0-1-49"); /* an older reading, for the ring */
    credit_copies_replica_checked(c, 1, "0-1-49");
    /* The primary stops; minutes later the replicas still answer. */
    credit_copies_primary_checked(c, 10200, NULL);
    ck_assert_int_eq(credit_copies_state(c, 0, 10200, &lag), CREDIT_COPY_DOWN);
    ck_assert_int_eq(credit_copies_pick(c, 200000, 0), 2);
    ck_assert_int_eq(credit_copies_pick(c, 200000, 1u << 2), 1);
    /* Nothing else left: the primary is tried all the same. */
    ck_assert_int_eq(credit_copies_pick(c, 200000, 6u), 0);
    /* A request reached it: not down any more. */
    credit_copies_mark_up(c, 0);
    ck_assert_int_eq(credit_copies_state(c, 0, 200000, &lag), CREDIT_COPY_CURRENT);
    credit_copies_primary_checked(c, 200050, NULL);
    /* It comes back: read again, as soon as the checker reaches it. */
    credit_copies_primary_checked(c, 200100, "0-1-50");
    ck_assert_int_eq(credit_copies_pick(c, 200200, 0), 0);
}
END_TEST

START_TEST(a_replica_a_request_could_not_reach_is_skipped_until_checked)
{
    credit_copies_t *c = three();
    long long lag;
    credit_copies_primary_checked(c, 10000, "0-1-50");
    credit_copies_replica_checked(c, 1, "0-1-50");
    credit_copies_replica_checked(c, 2, "0-1-50");
    credit_copies_mark_down(c, 1);
    ck_assert_int_eq(credit_copies_state(c, 1, 10100, &lag), CREDIT_COPY_DOWN);
    ck_assert_int_eq(lag, -1);
    ck_assert_int_eq(credit_copies_pick(c, 10100, 0), 2);
    ck_assert_int_eq(credit_copies_pick(c, 10100, 0), 2);
    /* The checker cannot reach it either: what it held is forgotten. */
    credit_copies_replica_checked(c, 1, NULL);
    credit_copies_primary_checked(c, 10200, "0-1-50");
    credit_copies_replica_checked(c, 1, "0-1-50");
    ck_assert_int_eq(credit_copies_state(c, 1, 10300, &lag), CREDIT_COPY_CURRENT);
    ck_assert_int_eq(lag, 100);
    /* A replica that answers nonsense is not read either. */
    credit_copies_replica_checked(c, 2, "garbage");
    ck_assert_int_eq(credit_copies_state(c, 2, 10300, &lag), CREDIT_COPY_DOWN);
}
END_TEST

START_TEST(a_replica_with_nothing_applied_is_behind)
{
    credit_copies_t *c = three();
    long long lag;
    credit_copies_primary_checked(c, 10000, "0-1-50");
    credit_copies_replica_checked(c, 1, "");
    ck_assert_int_eq(credit_copies_state(c, 1, 10000, &lag), CREDIT_COPY_BEHIND);
    ck_assert_int_eq(lag, -1);
    ck_assert_int_eq(credit_copies_pick(c, 10000, 1u << 2), 0);
}
END_TEST

START_TEST(replica_settings_inherit_the_primary)
{
    credit_db_params_t base = {0}, own = {0}, out;
    base.host = "10.0.0.1";
    base.port = 3306;
    base.user = "credit_ro";
    base.password = "pw";
    base.name = "credit";
    base.connect_timeout = 1;
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "host=10.0.0.2", &own));
    credit_dsn_inherit(&base, &own, 0, &out);
    ck_assert_str_eq(out.host, "10.0.0.2");
    ck_assert_uint_eq(out.port, 3306);
    ck_assert_str_eq(out.user, "credit_ro");
    ck_assert_str_eq(out.password, "pw");
    ck_assert_str_eq(out.name, "credit");
    /* Another login (CreditDBWrite): user and password are its own. */
    memset(&own, 0, sizeof own);
    ck_assert_ptr_null(credit_dsn_parse(unit_pool, "user=credit_ins", &own));
    credit_dsn_inherit(&base, &own, 1, &out);
    ck_assert_str_eq(out.host, "10.0.0.1");
    ck_assert_str_eq(out.user, "credit_ins");
    ck_assert_ptr_null(out.password);
}
END_TEST

Suite *copies_suite(void)
{
    Suite *s = suite_create("copies");
    TCase *tc = tcase_create("copies");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, gtid_positions_parse);
    tcase_add_test(tc, gtid_nonsense_is_refused);
    tcase_add_test(tc, gtid_covers_per_domain);
    tcase_add_test(tc, unchecked_replicas_are_not_read);
    tcase_add_test(tc, fresh_replicas_take_turns);
    tcase_add_test(tc, a_replica_older_than_the_bound_is_skipped);
    tcase_add_test(tc, the_primary_away_leaves_the_freshest_replica);
    tcase_add_test(tc, a_replica_a_request_could_not_reach_is_skipped_until_checked);
    tcase_add_test(tc, a_replica_with_nothing_applied_is_behind);
    tcase_add_test(tc, replica_settings_inherit_the_primary);
    suite_add_tcase(s, tc);
    return s;
}
