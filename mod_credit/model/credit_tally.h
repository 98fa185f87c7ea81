/* credit_tally.h: the number of public records for every combination of
 * the enumerated filters (district, kind, category, domain, severity,
 * status) on one day, read in one statement from the numbers the database
 * keeps (sql/011_counts.sql), so that the total of any such filter is a sum
 * in memory instead of a COUNT over the records. */
#ifndef CREDIT_TALLY_H
#define CREDIT_TALLY_H

#include "credit.h"
#include "credit_filter.h"

/* 17 districts x 2 kinds x 5 categories x 7 domains x 3 severities x 3
 * listed statuses. */
#define CREDIT_TALLY_CELLS (17 * 2 * 5 * 7 * 3 * 3)

typedef struct {
    unsigned long long data_version; /* of the snapshot the numbers were read in */
    credit_date_t day;               /* the day they count */
    long long n[CREDIT_TALLY_CELLS];
} credit_tally_t;

/* The cell of a combination of codes, or -1 when one is not a known code
 * (or not a listed status). */
int credit_tally_cell(const char *district, const char *kind, const char *category,
                      const char *domain, const char *severity, const char *status);

/* Adds v to the cell of the combination; returns 0, or -1 for unknown codes. */
int credit_tally_add(credit_tally_t *t, const char *district, const char *kind,
                     const char *category, const char *domain, const char *severity,
                     const char *status, long long v);

/* 1 when f is answered by a tally: no words, no date range (those are
 * counted, up to a bound, by the store). */
int credit_tally_answers(const credit_filter_t *f);

/* The number of public records matching the enumerated filters of f. */
long long credit_tally_total(const credit_tally_t *t, const credit_filter_t *f);

/* The same for one value of one dimension over the rest of f (e.g. the
 * counts per district of the statistics): dim is "district", "kind",
 * "category", "domain", "severity" or "status"; -1 for an unknown dim or code. */
long long credit_tally_total_by(const credit_tally_t *t, const credit_filter_t *f, const char *dim,
                                const char *code);

/* A cell with records: its index and its number. */
typedef struct {
    int cell;
    long long n;
} credit_tally_hit_t;

/* Appends to out (credit_tally_hit_t) every cell matching the enumerated
 * filters of f that holds public records, in cell order. */
void credit_tally_cells(const credit_tally_t *t, const credit_filter_t *f, apr_array_header_t *out);

/* The tallies a child holds (the latest few data versions and days), for
 * the requests of all its threads. */
typedef struct credit_tallies credit_tallies_t;

/* Returns NULL when its mutex or condition cannot be created. */
credit_tallies_t *credit_tallies_create(apr_pool_t *p);

/* Reads the tally of the caller's data version and day into t (the store's
 * tally op). */
typedef credit_status_t credit_tally_load_fn(void *ctx, credit_tally_t *t);

/* The total of f on the tally of (version, day). When the child holds none,
 * load reads it: one caller loads, the others asking for the same version
 * and day wait for it. Returns CREDIT_OK, or load's error. */
credit_status_t credit_tallies_total(credit_tallies_t *h, unsigned long long version,
                                     credit_date_t day, const credit_filter_t *f,
                                     credit_tally_load_fn *load, void *ctx, long long *out);

/* Calls fn with the tally of (version, day), loaded as
 * credit_tallies_total does, under the holder's lock: fn copies out what
 * it needs and keeps no pointer into the tally. Returns CREDIT_OK, or
 * load's error. */
typedef void credit_tally_use_fn(const credit_tally_t *t, const credit_filter_t *f, void *arg);
credit_status_t credit_tallies_use(credit_tallies_t *h, unsigned long long version,
                                   credit_date_t day, const credit_filter_t *f,
                                   credit_tally_load_fn *load, void *ctx, credit_tally_use_fn *fn,
                                   void *arg);

#endif
