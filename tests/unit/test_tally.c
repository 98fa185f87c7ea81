/* test_tally.c: totals of the enumerated filters from the kept numbers. */
#include <stdlib.h>
#include <string.h>

#include "credit_tally.h"
#include "credit_model.h"
#include "unit.h"

/* A small world of records as (codes..., n), summed by brute force below. */
typedef struct {
    const char *district, *kind, *category, *domain, *severity, *status;
    long long n;
} cell_t;

static const cell_t world[] = {
    {"heping", "gov", "penalty", "procurement", "general", "published", 7},
    {"heping", "official", "discipline", "debt", "serious", "contested", 3},
    {"hexi", "gov", "penalty", "procurement", "general", "published", 5},
    {"hexi", "gov", "judgment", "ppp", "minor", "corrected", 2},
    {"city", "official", "accountability", "other", "serious", "published", 11},
    {"jizhou", "gov", "breach", "grassroots", "general", "published", 1},
    {"binhai", "gov", "penalty", "investment", "serious", "contested", 4},
};
#define NW (sizeof world / sizeof world[0])

static credit_tally_t *make(void)
{
    credit_tally_t *t = apr_pcalloc(unit_pool, sizeof *t);
    size_t i;
    for (i = 0; i < NW; i++)
        ck_assert_int_eq(credit_tally_add(t, world[i].district, world[i].kind, world[i].category,
                                          world[i].domain, world[i].severity, world[i].status,
                                          world[i].n),
                         0);
    return t;
}

static int match(const char *want, const char *have)
{
    return !want || strcmp(want, have) == 0;
}

static long long oracle(const credit_filter_t *f)
{
    long long n = 0;
    size_t i;
    for (i = 0; i < NW; i++)
        if (match(f->district, world[i].district) && match(f->kind, world[i].kind) &&
            match(f->category, world[i].category) && match(f->domain, world[i].domain) &&
            match(f->severity, world[i].severity) && match(f->status, world[i].status))
            n += world[i].n;
    return n;
}

START_TEST(cells_are_distinct_and_bounded)
{
    /* Every combination of codes has its own cell inside the array. */
    char *seen = calloc(CREDIT_TALLY_CELLS, 1);
    size_t a, b, c, d, e, f;
    int cells = 0;
    for (a = 0; a < credit_districts.n; a++)
        for (b = 0; b < credit_kinds.n; b++)
            for (c = 0; c < credit_categories.n; c++)
                for (d = 0; d < credit_domains.n; d++)
                    for (e = 0; e < credit_severities.n; e++)
                        for (f = 0; f < 3; f++) {
                            int cell = credit_tally_cell(
                                credit_districts.items[a].code, credit_kinds.items[b].code,
                                credit_categories.items[c].code, credit_domains.items[d].code,
                                credit_severities.items[e].code, credit_statuses.items[f].code);
                            ck_assert_int_ge(cell, 0);
                            ck_assert_int_lt(cell, CREDIT_TALLY_CELLS);
                            ck_assert_int_eq(seen[cell], 0);
                            seen[cell] = 1;
                            cells++;
                        }
    ck_assert_int_eq(cells, CREDIT_TALLY_CELLS);
    free(seen);
    /* Withdrawn statuses and unknown codes have no cell. */
    ck_assert_int_eq(credit_tally_cell("heping", "gov", "penalty", "debt", "minor", "repaired"),
                     -1);
    ck_assert_int_eq(credit_tally_cell("atlantis", "gov", "penalty", "debt", "minor", "published"),
                     -1);
    ck_assert_int_eq(credit_tally_cell(NULL, "gov", "penalty", "debt", "minor", "published"), -1);
}
END_TEST

START_TEST(totals_match_a_brute_force_count)
{
    credit_tally_t *t = make();
    /* Every filter of up to two enumerated values (and none) against the oracle. */
    const credit_enum_t *dims[6] = {&credit_districts, &credit_kinds,      &credit_categories,
                                    &credit_domains,   &credit_severities, &credit_statuses};
    size_t d1, d2, i, j;
    credit_filter_t none = {0};
    ck_assert_int_eq(credit_tally_total(t, &none), 33);
    for (d1 = 0; d1 < 6; d1++)
        for (d2 = d1; d2 < 6; d2++)
            for (i = 0; i < dims[d1]->n; i++)
                for (j = 0; j < dims[d2]->n; j++) {
                    credit_filter_t f = {0};
                    const char **slot[6] = {&f.district, &f.kind,     &f.category,
                                            &f.domain,   &f.severity, &f.status};
                    *slot[d1] = dims[d1]->items[i].code;
                    *slot[d2] = dims[d2]->items[j].code;
                    ck_assert_int_eq(credit_tally_total(t, &f), oracle(&f));
                }
}
END_TEST

START_TEST(totals_by_one_dimension)
{
    credit_tally_t *t = make();
    credit_filter_t all = {0}, gov = {0};
    gov.kind = "gov";
    ck_assert_int_eq(credit_tally_total_by(t, &all, "district", "heping"), 10);
    ck_assert_int_eq(credit_tally_total_by(t, &all, "severity", "serious"), 18);
    ck_assert_int_eq(credit_tally_total_by(t, &gov, "severity", "serious"), 4);
    ck_assert_int_eq(credit_tally_total_by(t, &all, "status", "contested"), 7);
    ck_assert_int_eq(credit_tally_total_by(t, &all, "district", "nowhere"), -1);
    ck_assert_int_eq(credit_tally_total_by(t, &all, "colour", "red"), -1);
    /* A filter value that is not a code matches nothing. */
    gov.kind = "robot";
    ck_assert_int_eq(credit_tally_total(t, &gov), 0);
}
END_TEST

START_TEST(words_and_dates_are_counted_elsewhere)
{
    credit_filter_t f = {0};
    ck_assert_int_eq(credit_tally_answers(&f), 1);
    f.district = "hexi";
    f.severity = "minor";
    ck_assert_int_eq(credit_tally_answers(&f), 1);
    f.q = "采购";
    ck_assert_int_eq(credit_tally_answers(&f), 0);
    f.q = NULL;
    f.from = (credit_date_t){2026, 1, 1};
    ck_assert_int_eq(credit_tally_answers(&f), 0);
    f.from.y = 0;
    f.to = (credit_date_t){2026, 1, 1};
    ck_assert_int_eq(credit_tally_answers(&f), 0);
}
END_TEST

/* ---- the tallies a child holds ---- */

typedef struct {
    int loads;
    long long base; /* what a loaded tally holds in one cell */
    credit_status_t fail;
} loader_t;

static credit_status_t load(void *ctx, credit_tally_t *t)
{
    loader_t *l = ctx;
    l->loads++;
    if (l->fail != CREDIT_OK)
        return l->fail;
    memset(t->n, 0, sizeof t->n);
    credit_tally_add(t, "heping", "gov", "penalty", "debt", "minor", "published", l->base);
    return CREDIT_OK;
}

START_TEST(held_per_version_and_day)
{
    credit_tallies_t *h = credit_tallies_create(unit_pool);
    loader_t l = {0, 5, CREDIT_OK};
    credit_filter_t f = {0};
    credit_date_t d1 = {2026, 12, 5}, d2 = {2026, 12, 6};
    long long n = -1;
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(credit_tallies_total(h, 7, d1, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(credit_tallies_total(h, 7, d1, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(l.loads, 1); /* held: no second read */
    /* A write (another version) or midnight (another day): read again. */
    l.base = 6;
    ck_assert_int_eq(credit_tallies_total(h, 8, d1, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(n, 6);
    l.base = 4;
    ck_assert_int_eq(credit_tallies_total(h, 8, d2, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(l.loads, 3);
    /* The earlier ones are still held. */
    ck_assert_int_eq(credit_tallies_total(h, 7, d1, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(l.loads, 3);
    /* A failed read is an error and nothing is held. */
    l.fail = CREDIT_EUNAVAIL;
    ck_assert_int_eq(credit_tallies_total(h, 9, d2, &f, load, &l, &n), CREDIT_EUNAVAIL);
    l.fail = CREDIT_OK;
    l.base = 2;
    ck_assert_int_eq(credit_tallies_total(h, 9, d2, &f, load, &l, &n), CREDIT_OK);
    ck_assert_int_eq(n, 2);
}
END_TEST

Suite *tally_suite(void)
{
    Suite *s = suite_create("tally");
    TCase *tc = tcase_create("tally");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, cells_are_distinct_and_bounded);
    tcase_add_test(tc, totals_match_a_brute_force_count);
    tcase_add_test(tc, totals_by_one_dimension);
    tcase_add_test(tc, words_and_dates_are_counted_elsewhere);
    tcase_add_test(tc, held_per_version_and_day);
    suite_add_tcase(s, tc);
    return s;
}
