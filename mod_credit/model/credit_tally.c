/* credit_tally.c: see credit_tally.h. */
#include <stdlib.h>
#include <string.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>

#include "credit_tally.h"
#include "credit_model.h"

/* The dimensions in the order of the cell index (most significant first). */
enum { D_DISTRICT, D_KIND, D_CATEGORY, D_DOMAIN, D_SEVERITY, D_STATUS, D_COUNT };

static const char *const dim_names[D_COUNT] = {"district", "kind",     "category",
                                               "domain",   "severity", "status"};
static const int dim_sizes[D_COUNT] = {17, 2, 5, 7, 3, 3};

static const credit_enum_t *dim_enum(int d)
{
    switch (d) {
    case D_DISTRICT:
        return &credit_districts;
    case D_KIND:
        return &credit_kinds;
    case D_CATEGORY:
        return &credit_categories;
    case D_DOMAIN:
        return &credit_domains;
    case D_SEVERITY:
        return &credit_severities;
    default:
        return &credit_statuses; /* the first three are the listed ones */
    }
}

/* The position of code in dimension d, or -1. */
static int dim_index(int d, const char *code)
{
    const credit_enum_t *e = dim_enum(d);
    int i;
    if (!code)
        return -1;
    for (i = 0; i < dim_sizes[d] && (size_t)i < e->n; i++)
        if (strcmp(e->items[i].code, code) == 0)
            return i;
    return -1;
}

int credit_tally_cell(const char *district, const char *kind, const char *category,
                      const char *domain, const char *severity, const char *status)
{
    const char *codes[D_COUNT] = {district, kind, category, domain, severity, status};
    int d, cell = 0;
    for (d = 0; d < D_COUNT; d++) {
        int i = dim_index(d, codes[d]);
        if (i < 0)
            return -1;
        cell = cell * dim_sizes[d] + i;
    }
    return cell;
}

int credit_tally_add(credit_tally_t *t, const char *district, const char *kind,
                     const char *category, const char *domain, const char *severity,
                     const char *status, long long v)
{
    int cell = credit_tally_cell(district, kind, category, domain, severity, status);
    if (cell < 0)
        return -1;
    t->n[cell] += v;
    return 0;
}

int credit_tally_answers(const credit_filter_t *f)
{
    return !f->q && !f->from.y && !f->to.y;
}

/* Sums the cells whose index in each dimension is in [lo[d], hi[d]). */
static long long sum(const credit_tally_t *t, const int lo[D_COUNT], const int hi[D_COUNT])
{
    long long total = 0;
    int a, b, c, d, e, f;
    for (a = lo[0]; a < hi[0]; a++)
        for (b = lo[1]; b < hi[1]; b++)
            for (c = lo[2]; c < hi[2]; c++)
                for (d = lo[3]; d < hi[3]; d++)
                    for (e = lo[4]; e < hi[4]; e++) {
                        int base = ((((a * 2 + b) * 5 + c) * 7 + d) * 3 + e) * 3;
                        for (f = lo[5]; f < hi[5]; f++)
                            total += t->n[base + f];
                    }
    return total;
}

/* The ranges of f; 0 when a value of f is not a code (no record matches). */
static int ranges(const credit_filter_t *f, int lo[D_COUNT], int hi[D_COUNT])
{
    const char *codes[D_COUNT] = {f->district, f->kind,     f->category,
                                  f->domain,   f->severity, f->status};
    int d;
    for (d = 0; d < D_COUNT; d++) {
        if (!codes[d]) {
            lo[d] = 0;
            hi[d] = dim_sizes[d];
        } else if ((lo[d] = dim_index(d, codes[d])) < 0) {
            return 0;
        } else {
            hi[d] = lo[d] + 1;
        }
    }
    return 1;
}

void credit_tally_cells(const credit_tally_t *t, const credit_filter_t *f, apr_array_header_t *out)
{
    int lo[D_COUNT], hi[D_COUNT], a, b, c, d, e, g;
    if (!ranges(f, lo, hi))
        return;
    for (a = lo[0]; a < hi[0]; a++)
        for (b = lo[1]; b < hi[1]; b++)
            for (c = lo[2]; c < hi[2]; c++)
                for (d = lo[3]; d < hi[3]; d++)
                    for (e = lo[4]; e < hi[4]; e++)
                        for (g = lo[5]; g < hi[5]; g++) {
                            int cell = (((((a * 2 + b) * 5 + c) * 7 + d) * 3 + e) * 3) + g;
                            if (t->n[cell] > 0) {
                                credit_tally_hit_t *h = apr_array_push(out);
                                h->cell = cell;
                                h->n = t->n[cell];
                            }
                        }
}

long long credit_tally_total(const credit_tally_t *t, const credit_filter_t *f)
{
    int lo[D_COUNT], hi[D_COUNT];
    return ranges(f, lo, hi) ? sum(t, lo, hi) : 0;
}

long long credit_tally_total_by(const credit_tally_t *t, const credit_filter_t *f, const char *dim,
                                const char *code)
{
    int lo[D_COUNT], hi[D_COUNT], d, i;
    for (d = 0; d < D_COUNT && strcmp(dim_names[d], dim) != 0; d++)
        ;
    if (d == D_COUNT || (i = dim_index(d, code)) < 0)
        return -1;
    if (!ranges(f, lo, hi))
        return 0;
    if (i < lo[d] || i >= hi[d])
        return 0;
    lo[d] = i;
    hi[d] = i + 1;
    return sum(t, lo, hi);
}

/* ---- the tallies of a child ---- */
#define TALLIES_HELD 4

struct credit_tallies {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *loaded;
    credit_tally_t *held[TALLIES_HELD]; /* malloc'd; the newest at next - 1 */
    int next;
    /* The one load under way (the current version and day): others wait. */
    int loading;
    unsigned long long loading_version;
    credit_date_t loading_day;
    credit_status_t load_status;
    unsigned long loads; /* finished, so that waiters see theirs ended */
};

static apr_status_t tallies_free(void *data)
{
    credit_tallies_t *h = data;
    int i;
    for (i = 0; i < TALLIES_HELD; i++) {
        free(h->held[i]);
        h->held[i] = NULL;
    }
    return APR_SUCCESS;
}

credit_tallies_t *credit_tallies_create(apr_pool_t *p)
{
    credit_tallies_t *h = apr_pcalloc(p, sizeof *h);
    if (apr_thread_mutex_create(&h->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_cond_create(&h->loaded, p) != APR_SUCCESS)
        return NULL;
    apr_pool_cleanup_register(p, h, tallies_free, apr_pool_cleanup_null);
    return h;
}

static int same_day(credit_date_t a, credit_date_t b)
{
    return a.y == b.y && a.m == b.m && a.d == b.d;
}

/* The held tally of (version, day) or NULL; under h->lock. */
static const credit_tally_t *held(credit_tallies_t *h, unsigned long long version,
                                  credit_date_t day)
{
    int i;
    for (i = 0; i < TALLIES_HELD; i++) {
        const credit_tally_t *t = h->held[i];
        if (t && t->data_version == version && same_day(t->day, day))
            return t;
    }
    return NULL;
}

credit_status_t credit_tallies_use(credit_tallies_t *h, unsigned long long version,
                                   credit_date_t day, const credit_filter_t *f,
                                   credit_tally_load_fn *load, void *ctx, credit_tally_use_fn *fn,
                                   void *arg)
{
    const credit_tally_t *t;
    credit_tally_t *fresh;
    credit_status_t rv;
    int lead;

    apr_thread_mutex_lock(h->lock);
    for (;;) {
        if ((t = held(h, version, day)) != NULL) {
            fn(t, f, arg);
            apr_thread_mutex_unlock(h->lock);
            return CREDIT_OK;
        }
        if (!(h->loading && h->loading_version == version && same_day(h->loading_day, day)))
            break;
        {
            unsigned long seen = h->loads;
            while (h->loads == seen)
                apr_thread_cond_wait(h->loaded, h->lock);
        }
        if (h->load_status != CREDIT_OK && !held(h, version, day)) {
            rv = h->load_status; /* the same load failed a moment ago */
            apr_thread_mutex_unlock(h->lock);
            return rv;
        }
    }
    /* Only one load at a time is waited for: the current version and day. */
    lead = !h->loading;
    if (lead) {
        h->loading = 1;
        h->loading_version = version;
        h->loading_day = day;
    }
    apr_thread_mutex_unlock(h->lock);

    fresh = malloc(sizeof *fresh);
    rv = fresh ? load(ctx, fresh) : CREDIT_EINTERNAL;
    if (rv == CREDIT_OK) {
        fresh->data_version = version;
        fresh->day = day;
        fn(fresh, f, arg);
    }
    apr_thread_mutex_lock(h->lock);
    if (rv == CREDIT_OK) {
        free(h->held[h->next]);
        h->held[h->next] = fresh;
        h->next = (h->next + 1) % TALLIES_HELD;
    } else {
        free(fresh);
    }
    if (lead) {
        h->loading = 0;
        h->load_status = rv;
        h->loads++;
        apr_thread_cond_broadcast(h->loaded);
    }
    apr_thread_mutex_unlock(h->lock);
    return rv;
}

static void use_total(const credit_tally_t *t, const credit_filter_t *f, void *arg)
{
    *(long long *)arg = credit_tally_total(t, f);
}

credit_status_t credit_tallies_total(credit_tallies_t *h, unsigned long long version,
                                     credit_date_t day, const credit_filter_t *f,
                                     credit_tally_load_fn *load, void *ctx, long long *out)
{
    return credit_tallies_use(h, version, day, f, load, ctx, use_total, out);
}
