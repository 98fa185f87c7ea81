/* unit.h: the libcheck suites of the pure core and of the pages (against
 * the in-memory store), run by test_main.c. */
#ifndef CREDIT_UNIT_H
#define CREDIT_UNIT_H

#include <check.h>
#include <apr_pools.h>

/* A pool made fresh for every test by unit_setup and destroyed by
 * unit_teardown (add them with tcase_add_checked_fixture). */
extern apr_pool_t *unit_pool;
void unit_setup(void);
void unit_teardown(void);

Suite *model_suite(void);
Suite *validate_suite(void);
Suite *rules_suite(void);
Suite *route_suite(void);
Suite *filter_suite(void);
Suite *dsn_suite(void);
Suite *cache_suite(void);
Suite *query_suite(void);
Suite *csv_suite(void);
Suite *form_suite(void);
Suite *token_suite(void);
Suite *workflow_suite(void);
Suite *admin_record_suite(void);
Suite *tally_suite(void);
Suite *search_suite(void);
Suite *copies_suite(void);
Suite *text_suite(void);
Suite *dump_suite(void);
Suite *etag_suite(void);
Suite *export_suite(void);
Suite *lines_suite(void);
Suite *pages_suite(void);

#endif
