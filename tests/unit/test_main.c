/* test_main.c: runs every suite (the pure core, the pages against the in-memory store); exit status
 * 1 on any failure. */
#include <stdlib.h>
#include <apr_general.h>

#include "unit.h"

apr_pool_t *unit_pool;

void unit_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&unit_pool, NULL), APR_SUCCESS);
}

void unit_teardown(void)
{
    apr_pool_destroy(unit_pool);
    unit_pool = NULL;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (apr_initialize() != APR_SUCCESS) {
        return 2;
    }
    sr = srunner_create(model_suite());
    srunner_add_suite(sr, validate_suite());
    srunner_add_suite(sr, rules_suite());
    srunner_add_suite(sr, route_suite());
    srunner_add_suite(sr, filter_suite());
    srunner_add_suite(sr, dsn_suite());
    srunner_add_suite(sr, cache_suite());
    srunner_add_suite(sr, query_suite());
    srunner_add_suite(sr, csv_suite());
    srunner_add_suite(sr, form_suite());
    srunner_add_suite(sr, token_suite());
    srunner_add_suite(sr, workflow_suite());
    srunner_add_suite(sr, admin_record_suite());
    srunner_add_suite(sr, tally_suite());
    srunner_add_suite(sr, search_suite());
    srunner_add_suite(sr, copies_suite());
    srunner_add_suite(sr, text_suite());
    srunner_add_suite(sr, dump_suite());
    srunner_add_suite(sr, etag_suite());
    srunner_add_suite(sr, export_suite());
    srunner_add_suite(sr, lines_suite());
    srunner_add_suite(sr, pages_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
