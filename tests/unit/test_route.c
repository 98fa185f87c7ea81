/* test_route.c: path -> route. */
#include <string.h>

#include "credit_route.h"
#include "unit.h"

static credit_route_match_t m;

static void expect(const char *path, credit_route_id_t id, const char *name, const char *param,
                   int api)
{
    memset(&m, 0x55, sizeof(m));
    ck_assert_msg(credit_route_match(unit_pool, path, &m) == CREDIT_OK, "no match for %s", path);
    ck_assert_msg(m.id == id, "%s: route %d, want %d", path, (int)m.id, (int)id);
    ck_assert_str_eq(m.name, name);
    if (param) {
        ck_assert_ptr_nonnull(m.param);
        ck_assert_str_eq(m.param, param);
    } else {
        ck_assert_ptr_null(m.param);
    }
    /* Reading routes take GET; citizens' forms take POST too (or only). */
    if (id == CREDIT_ROUTE_COMPLAINTS)
        ck_assert_int_eq(m.methods, CREDIT_M_POST);
    else if (id == CREDIT_ROUTE_CASE_STATUS || id == CREDIT_ROUTE_OBJECTION ||
             id == CREDIT_ROUTE_REPAIR)
        ck_assert_int_eq(m.methods, CREDIT_M_GET | CREDIT_M_POST);
    else
        ck_assert_int_eq(m.methods, CREDIT_M_GET);
    ck_assert_int_eq(m.api, api);
}

static void expect_none(const char *path, int api)
{
    memset(&m, 0x55, sizeof(m));
    ck_assert_msg(credit_route_match(unit_pool, path, &m) == CREDIT_ENOTFOUND, "matched %s",
                  path ? path : "(null)");
    ck_assert_int_eq(m.id, CREDIT_ROUTE_NONE);
    ck_assert_ptr_null(m.param);
    ck_assert_int_eq(m.methods, 0);
    ck_assert_msg(m.api == api, "%s: api %d, want %d", path ? path : "(null)", m.api, api);
}

START_TEST(every_route)
{
    expect("", CREDIT_ROUTE_HOME, "home", NULL, 0);
    expect("/", CREDIT_ROUTE_HOME, "home", NULL, 0);
    expect("/records", CREDIT_ROUTE_RECORDS, "records", NULL, 0);
    expect("/records/TJZW-2026-000123", CREDIT_ROUTE_RECORD, "record", "TJZW-2026-000123", 0);
    expect("/subjects/42", CREDIT_ROUTE_SUBJECT, "subject", "42", 0);
    expect("/subjects/9007199254740992", CREDIT_ROUTE_SUBJECT, "subject", "9007199254740992", 0);
    expect("/api/v1/health", CREDIT_ROUTE_API_HEALTH, "api_health", NULL, 1);
    expect("/records.csv", CREDIT_ROUTE_CSV, "csv", NULL, 0);
    expect("/records.xlsx", CREDIT_ROUTE_XLSX, "xlsx", NULL, 0);
    expect("/feed.atom", CREDIT_ROUTE_FEED, "feed", NULL, 0);
    expect("/api/v1/records", CREDIT_ROUTE_API_RECORDS, "api_records", NULL, 1);
    expect("/api/v1/records/TJZW-2026-000123", CREDIT_ROUTE_API_RECORD, "api_record",
           "TJZW-2026-000123", 1);
    expect("/api/v1/subjects/7", CREDIT_ROUTE_API_SUBJECT, "api_subject", "7", 1);
    expect("/api/v1/search", CREDIT_ROUTE_API_SEARCH, "api_search", NULL, 1);
    expect("/api/v1/stats", CREDIT_ROUTE_API_STATS, "api_stats", NULL, 1);
    expect("/api/v1/changes", CREDIT_ROUTE_API_CHANGES, "api_changes", NULL, 1);
    expect("/api/v1/openapi.json", CREDIT_ROUTE_API_OPENAPI, "api_openapi", NULL, 1);
    expect("/api/v1/dumps", CREDIT_ROUTE_API_DUMPS, "api_dumps", NULL, 1);
    expect("/complaints/new", CREDIT_ROUTE_COMPLAINT_NEW, "complaint_new", NULL, 0);
    expect("/complaints", CREDIT_ROUTE_COMPLAINTS, "complaints", NULL, 0);
    expect("/complaints/status", CREDIT_ROUTE_CASE_STATUS, "case_status", NULL, 0);
    expect("/records/TJZW-2026-000123/objection", CREDIT_ROUTE_OBJECTION, "objection",
           "TJZW-2026-000123", 0);
    expect("/records/TJZW-2026-000123/repair", CREDIT_ROUTE_REPAIR, "repair", "TJZW-2026-000123",
           0);
}
END_TEST

START_TEST(trailing_slash)
{
    expect("/records/", CREDIT_ROUTE_RECORDS, "records", NULL, 0);
    expect("/records/TJZW-2026-000123/", CREDIT_ROUTE_RECORD, "record", "TJZW-2026-000123", 0);
    expect("/subjects/42/", CREDIT_ROUTE_SUBJECT, "subject", "42", 0);
    expect("/api/v1/health/", CREDIT_ROUTE_API_HEALTH, "api_health", NULL, 1);
    /* only one */
    expect_none("//", 0);
    expect_none("/records//", 0);
    expect_none("/records/TJZW-2026-000123//", 0);
    expect_none("/api/v1/health//", 1);
}
END_TEST

START_TEST(param_is_a_copy)
{
    char path[] = "/records/TJZW-2026-000123";

    expect(path, CREDIT_ROUTE_RECORD, "record", "TJZW-2026-000123", 0);
    path[9] = 'X';
    ck_assert_str_eq(m.param, "TJZW-2026-000123");
}
END_TEST

START_TEST(bad_record_numbers)
{
    static const char *const bad[] = {
        "/records/TJZW-2026-12345",
        "/records/TJZW-2026-0001234",
        "/records/tjzw-2026-000123",
        "/records/TJZW-2026-000000",
        "/records/../etc/passwd",
        "/records/..",
        "/records/.",
        "/records/%2e%2e",
        "/records/TJZW-2026-000123/x",
        "/records/TJZW-2026-000123/comments",
        "/records//TJZW-2026-000123",
        "/records/TJZW-2026-000123 ",
        "/records/TJZW-2026-000123%00",
        "/records/TJZW-2026-000123.json",
        "/records/TJZW-2026-000123?x=1",
        "/records/"
        "TJZW-2026-000123xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        expect_none(bad[i], 0);
    }
}
END_TEST

START_TEST(bad_ids)
{
    static const char *const bad[] = {
        "/subjects/042",
        "/subjects/0",
        "/subjects/00",
        "/subjects/-1",
        "/subjects/+1",
        "/subjects/1e3",
        "/subjects/0x2a",
        "/subjects/ 42",
        "/subjects/9007199254740993",
        "/subjects/18446744073709551616",
        "/subjects/999999999999999999999999999999999999999999999999999999999999999999999999999",
        "/subjects/",
        "/subjects",
        "/subjects/42/records",
        "/subjects/TJZW-2026-000123",
        "/records/42",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        expect_none(bad[i], 0);
    }
}
END_TEST

START_TEST(unknown_paths)
{
    expect_none("records", 0);
    expect_none("/RECORDS", 0);
    expect_none("/Records", 0);
    expect_none("/recordsx", 0);
    expect_none("/record", 0);
    expect_none("//records", 0);
    expect_none("/./records", 0);
    expect_none("/index.html", 0);
    expect_none(NULL, 0);
    /* under /api/: errors are JSON */
    expect_none("/api/v1/nope", 1);
    expect_none("/api/v1", 1);
    expect_none("/api/v2/health", 1);
    expect_none("/api", 1);
    expect_none("/api/", 1);
    expect_none("/api/v1/health/x", 1);
    expect_none("/api/v1/records/TJZW-2026-12345", 1);
    expect_none("/apix", 0);
    expect_none("/apiv1/health", 0);
    expect_none("/API/v1/health", 0);
}
END_TEST

START_TEST(localized_routes)
{
    static const struct {
        const char *path;
        int localized;
    } cases[] = {
        {"/", 1},
        {"/records", 1},
        {"/records/TJZW-2026-000123", 1},
        {"/feed.atom", 1},
        {"/complaints/new", 1},
        {"/stats", 1},
        {"/records.csv", 0},
        {"/api/v1/records", 0},
        {"/api/v1/openapi.json", 0},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(credit_route_match(unit_pool, cases[i].path, &m), CREDIT_OK);
        ck_assert_msg(credit_route_localized(&m) == cases[i].localized, "%s", cases[i].path);
    }
    /* a path that is no route: its error page is HTML, or JSON below /api/ */
    credit_route_match(unit_pool, "/nothing", &m);
    ck_assert_int_eq(credit_route_localized(&m), 1);
    credit_route_match(unit_pool, "/api/v1/nothing", &m);
    ck_assert_int_eq(credit_route_localized(&m), 0);
}
END_TEST

/* The staff handler's patterns (credit_admin.c): '*' one segment, '**'
 * the rest with a '/' inside. */
START_TEST(staff_patterns)
{
    const char *key = "unset";

    ck_assert(credit_route_glob(unit_pool, "/api/v1/me", "/api/v1/me", &key));
    ck_assert_ptr_null(key);
    ck_assert(!credit_route_glob(unit_pool, "/api/v1/me", "/api/v1/me/", &key));
    ck_assert(credit_route_glob(unit_pool, "/api/v1/records/*/events",
                                "/api/v1/records/TJZW-2026-000001/events", &key));
    ck_assert_str_eq(key, "TJZW-2026-000001");
    ck_assert(!credit_route_glob(unit_pool, "/api/v1/records/*", "/api/v1/records/a/b", &key));
    ck_assert_ptr_null(key);
    ck_assert(!credit_route_glob(unit_pool, "/api/v1/records/*", "/api/v1/records/", &key));
    ck_assert(
        credit_route_glob(unit_pool, "/api/v1/audit/**", "/api/v1/audit/complaints/12", &key));
    ck_assert_str_eq(key, "complaints/12");
    ck_assert(!credit_route_glob(unit_pool, "/api/v1/audit/**", "/api/v1/audit/complaints", &key));
    ck_assert(!credit_route_glob(unit_pool, "/cases/*", "/case/7", &key));
}
END_TEST

Suite *route_suite(void)
{
    Suite *s = suite_create("route");
    TCase *tc = tcase_create("match");

    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, every_route);
    tcase_add_test(tc, trailing_slash);
    tcase_add_test(tc, param_is_a_copy);
    tcase_add_test(tc, bad_record_numbers);
    tcase_add_test(tc, bad_ids);
    tcase_add_test(tc, unknown_paths);
    tcase_add_test(tc, localized_routes);
    tcase_add_test(tc, staff_patterns);
    suite_add_tcase(s, tc);
    return s;
}
