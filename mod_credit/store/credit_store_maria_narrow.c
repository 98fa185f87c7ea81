/* credit_store_maria_narrow.c: list pages of narrow filter combinations.
 *
 * A list page takes its ids from the index of its narrowest filter, which
 * holds the other filters too (sql/024), and keeps those the others let
 * through: cheap when most pass, thousands of entries for twenty when few
 * do (a district x severity x category x domain that matches a handful of
 * records, or none). The tally says, before any
 * read, how many public records each cell of the filters holds
 * (credit_tally.c), and records.combo (sql/013) is that cell: a narrow
 * filter's page is then the newest rows of each of its cells, merged, each
 * read in order from ix_records_combo (no row it does not need). No record
 * at all: an empty page, no read. The cost of both ways is estimated from
 * the same numbers and the cheaper is taken. Exports of two filters or
 * more take their ids from the same cells (credit_maria_from_cells). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_tally.h"

/* At most this many cells are read one by one; the statement's text comes
 * in a few sizes (see cell_slots; a cell that holds nothing pads it), so
 * few texts are ever prepared. */
#define NARROW_CELLS_MAX 64
#define NO_CELL          65535 /* in no record */
/* A row of a cell's range against an entry of the narrowest filter's index
 * (which holds the other filters: sql/024), measured at 1,000,000 records
 * by tests/bench/cell_cost.py (docs/BENCH.md): with 4 the choice costs
 * within 1-6% of the best on feeds and lists of 2-4 filters, with 1 up to
 * 13% more (each cell is a statement of its own in the union). */
#define CELL_COST 4

/* A row of the page and its place in the list's order. */
typedef struct {
    const char *day; /* disclosed_on, YYYY-MM-DD */
    unsigned long long id;
    const char **row;
} placed_t;

static int newest_first(const void *a, const void *b)
{
    const placed_t *x = a, *y = b;
    int c = strcmp(y->day, x->day);
    return c ? c : (y->id > x->id) - (y->id < x->id);
}

/* The page's rows in the scan's order. The statement leaves them unsorted:
 * sorting the joined rows made MariaDB sort them with their long columns
 * (and read them again), a quarter of a feed's statement. */
static void put_in_order(apr_pool_t *pool, credit_rows_t *rows, int scan_desc)
{
    int i, n = rows->rows->nelts, day = credit_rows_col(rows, "disclosed_on"),
           id = credit_rows_col(rows, "id");
    placed_t *p;
    if (n < 2 || day < 0 || id < 0)
        return;
    p = apr_palloc(pool, sizeof *p * (size_t)n);
    for (i = 0; i < n; i++) {
        const char **row = APR_ARRAY_IDX(rows->rows, i, const char **);
        p[i].day = row[day] ? row[day] : "";
        p[i].id = credit_maria_ull(row[id]);
        p[i].row = row;
    }
    qsort(p, (size_t)n, sizeof *p, newest_first);
    for (i = 0; i < n; i++)
        APR_ARRAY_IDX(rows->rows, scan_desc ? i : n - 1 - i, const char **) = p[i].row;
}

static credit_status_t load_tally(void *ctx, credit_tally_t *t)
{
    return credit_maria_tally(ctx, t);
}

/* The indexes of the enumerated filters (sql/001, sql/024), in the order
 * of credit_tally's dimensions. Each holds, after its own column, the
 * list's order, the public rule and the other five filters: whichever
 * filters are set, the page's ids come from one of them alone. */
static const char *const filter_index[6] = {"ix_records_district", "ix_records_kind",
                                            "ix_records_category", "ix_records_domain",
                                            "ix_records_severity", "ix_records_status"};

/* The public records that the index of f's narrowest filter holds (all
 * public records when none is set), and that index (NULL: none is set). */
static long long index_rows(const credit_tally_t *t, const credit_filter_t *f, const char **index)
{
    const char *const dims[6] = {"district", "kind", "category", "domain", "severity", "status"};
    const char *const vals[6] = {f->district, f->kind,     f->category,
                                 f->domain,   f->severity, f->status};
    credit_filter_t none = {0};
    long long best = credit_tally_total(t, &none);
    int i;
    *index = NULL;
    for (i = 0; i < 6; i++) {
        if (vals[i]) {
            long long n = credit_tally_total_by(t, &none, dims[i], vals[i]);
            if (n >= 0 && (n < best || !*index)) {
                best = n;
                *index = filter_index[i];
            }
        }
    }
    return best;
}

typedef struct {
    const credit_filter_t *f;
    apr_array_header_t *cells; /* credit_tally_hit_t */
    long long index_rows;
    const char *index;
} plan_t;

static void planned(const credit_tally_t *t, const credit_filter_t *f, void *arg)
{
    plan_t *p = arg;
    credit_tally_cells(t, f, p->cells);
    p->index_rows = index_rows(t, f, &p->index);
}

static apr_array_header_t *plan_cells(credit_store_t *s, const credit_filter_t *f, plan_t *plan)
{
    credit_version_t ver;
    plan->f = f;
    plan->cells = apr_array_make(s->pool, 32, sizeof(credit_tally_hit_t));
    if (!s->tallies || s->ops->version(s, &ver) != CREDIT_OK)
        return NULL;
    if (credit_tallies_use(s->tallies, ver.data_version, s->today, f, load_tally, s, planned,
                           plan) != CREDIT_OK)
        return NULL;
    return plan->cells;
}

apr_array_header_t *credit_maria_cells(credit_store_t *s, const credit_filter_t *f,
                                       long long *index_rows)
{
    plan_t plan = {0};
    apr_array_header_t *cells = plan_cells(s, f, &plan);
    if (cells && index_rows)
        *index_rows = plan.index_rows;
    return cells;
}

long long credit_maria_window_rows(credit_store_t *s, const credit_filter_t *f)
{
    credit_version_t ver;
    long long n = -1;
    if (!s->tallies || s->ops->version(s, &ver) != CREDIT_OK ||
        credit_tallies_total(s->tallies, ver.data_version, s->today, f, load_tally, s, &n) !=
            CREDIT_OK)
        return -1;
    return n;
}

/* The places of a statement for n cells: the least of 1, 2, 3, 4, 6, 8,
 * 12, 16, 24 ... (powers of two and one and a half times them) that holds
 * them. Against powers of two alone, a quarter of a list's union was
 * padding (3 cells in 4, 9 in 16), each branch optimized and read. */
static int cell_slots(int n)
{
    int size = 1;
    while (size < n) {
        if (size >= 2 && size / 2 * 3 >= n)
            return size / 2 * 3;
        size *= 2;
    }
    return size;
}

void credit_maria_from_cells(credit_store_t *s, credit_mq_t *q, const credit_filter_t *f,
                             const apr_array_header_t *cells)
{
    const char *today = credit_maria_today(s);
    int k, size, n = cells->nelts;
    size = cell_slots(n);
    credit_mq_frag(q, " FROM records r FORCE INDEX (ix_records_combo) WHERE r.combo IN (?");
    for (k = 0; k < size; k++) {
        if (k)
            credit_mq_frag(q, ", ?");
        credit_mq_param(
            q, CREDIT_PINT(k < n ? APR_ARRAY_IDX(cells, k, credit_tally_hit_t).cell : NO_CELL));
    }
    credit_mq_frag(q, ") AND r.disclosed_on <= ? AND r.withdraw_on > ?");
    credit_mq_param(q, CREDIT_PSTR(today));
    credit_mq_param(q, CREDIT_PSTR(today));
    credit_mq_dates(s, q, &credit_mq_on_records, f);
}

/* The page's ids from the index of f's narrowest filter alone, in the
 * list's order, then only their rows. Reading the rows while walking the
 * index read a whole row for every entry, to test the public rule and the
 * other filters on it: a feed of category, domain and severity read 250
 * rows for its 51 (docs/BENCH.md, "The filters' indexes hold the other
 * filters"). */
static credit_status_t list_by_index(credit_store_t *s, const credit_filter_t *f, int detail,
                                     const char *index, credit_record_page_t *out)
{
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    int backward, desc = f->sort != CREDIT_SORT_OLDEST;

    credit_mq_frag(&q, credit_maria_detail_cols(detail));
    credit_mq_frag(&q, " FROM (SELECT r.id FROM records r FORCE INDEX (");
    credit_mq_frag(&q, index);
    credit_mq_frag(&q, ")");
    credit_mq_where(s, &q, &credit_mq_on_records, f);
    credit_mq_position(s, &q, &credit_mq_on_records, f, &backward);
    credit_mq_frag(&q, ") v STRAIGHT_JOIN records r ON r.id = v.id");
    credit_mq_frag(&q, credit_maria_detail_joins(detail));
    if ((rv = credit_mq_run(s, &q, &rows)) != CREDIT_OK)
        return rv;
    put_in_order(s->pool, rows, backward ? !desc : desc);
    credit_mq_take_rows(s, f, rows, backward, out);
    return CREDIT_OK;
}

credit_status_t credit_maria_list_narrow(credit_store_t *s, const credit_filter_t *f, int detail,
                                         credit_record_page_t *out, int *done)
{
    apr_array_header_t *cells;
    credit_mq_t q = credit_mq_new(s->pool);
    credit_rows_t *rows;
    credit_status_t rv;
    long long total = 0, want, offset = 0, index_rows;
    int i, k, n, size, desc = f->sort != CREDIT_SORT_OLDEST, backward, scan_desc;
    plan_t plan = {0};

    *done = 0;
    if ((cells = plan_cells(s, f, &plan)) == NULL)
        return CREDIT_OK; /* no plan: the ordinary read */
    index_rows = plan.index_rows;
    n = cells->nelts;
    for (i = 0; i < n; i++)
        total += APR_ARRAY_IDX(cells, i, credit_tally_hit_t).n;
    if (!f->has_cursor && f->page > 1)
        offset = (long long)(f->page - 1) * f->limit;
    want = offset + f->limit + 1;
    if (total == 0) {
        /* Nothing public matches: nothing to read. */
        out->items = apr_array_make(s->pool, 0, sizeof(credit_record_t *));
        out->has_next = 0;
        out->has_prev = f->has_cursor || f->page > 1;
        *done = 1;
        return CREDIT_OK;
    }
    /* Rows an index scan reads for `want` matches, against rows read cell by
     * cell (a range of each cell, want rows at most). */
    if (n == 0 || n > NARROW_CELLS_MAX || total == 0 ||
        (long long)n * want * CELL_COST >= want * index_rows / total) {
        if (!plan.index)
            return CREDIT_OK; /* no filter: the list's own index */
        *done = 1;
        return list_by_index(s, f, detail, plan.index, out);
    }

    backward = f->has_cursor && f->cursor.backward;
    scan_desc = backward ? !desc : desc;
    size = cell_slots(n);
    /* The cells' ranges are read from the combo index alone (it holds id
     * and disclosed_on); the page's ids are sorted out of their union first
     * and only those rows are read from the table: joining every row of the
     * union before the LIMIT read up to cells x want whole rows (2.5-6 ms a
     * page against 1-3 ms, 1,000,000 records). */
    credit_mq_frag(&q, credit_maria_detail_cols(detail));
    credit_mq_frag(&q, " FROM (SELECT u.id FROM (");
    for (k = 0; k < size; k++) {
        /* (The index named: else the optimizer weighs the disclosure and
         * withdrawal indexes for every cell too, which took longer than
         * reading the cell.) */
        credit_mq_frag(&q, k ? " UNION ALL (SELECT c.id, c.disclosed_on FROM records c"
                             : "(SELECT c.id, c.disclosed_on FROM records c");
        credit_mq_frag(&q, " FORCE INDEX (ix_records_combo)");
        credit_mq_frag(&q, " WHERE c.combo = ? AND c.disclosed_on <= ? AND c.withdraw_on > ?");
        credit_mq_param(
            &q, CREDIT_PINT(k < n ? APR_ARRAY_IDX(cells, k, credit_tally_hit_t).cell : NO_CELL));
        credit_mq_param(&q, CREDIT_PSTR(credit_maria_today(s)));
        credit_mq_param(&q, CREDIT_PSTR(credit_maria_today(s)));
        if (f->from.y) {
            credit_mq_frag(&q, " AND c.disclosed_on >= ?");
            credit_mq_param(&q, CREDIT_PSTR(credit_mq_date(s, f->from)));
        }
        if (f->to.y) {
            credit_mq_frag(&q, " AND c.disclosed_on <= ?");
            credit_mq_param(&q, CREDIT_PSTR(credit_mq_date(s, f->to)));
        }
        if (f->has_cursor) {
            const char *d = credit_mq_date(s, f->cursor.date);
            credit_mq_frag(
                &q, scan_desc ? " AND c.disclosed_on <= ? AND (c.disclosed_on < ? OR c.id < ?)"
                              : " AND c.disclosed_on >= ? AND (c.disclosed_on > ? OR c.id > ?)");
            credit_mq_param(&q, CREDIT_PSTR(d));
            credit_mq_param(&q, CREDIT_PSTR(d));
            credit_mq_param(&q, CREDIT_PINT((long long)f->cursor.id));
        }
        credit_mq_frag(&q, scan_desc ? " ORDER BY c.disclosed_on DESC, c.id DESC LIMIT ?)"
                                     : " ORDER BY c.disclosed_on ASC, c.id ASC LIMIT ?)");
        credit_mq_param(&q, CREDIT_PINT(want));
    }
    credit_mq_frag(&q, scan_desc ? ") u ORDER BY u.disclosed_on DESC, u.id DESC LIMIT ? OFFSET ?)"
                                 : ") u ORDER BY u.disclosed_on ASC, u.id ASC LIMIT ? OFFSET ?)");
    credit_mq_param(&q, CREDIT_PINT(f->limit + 1));
    credit_mq_param(&q, CREDIT_PINT(offset));
    credit_mq_frag(&q, " v STRAIGHT_JOIN records r ON r.id = v.id");
    credit_mq_frag(&q, credit_maria_detail_joins(detail));
    if ((rv = credit_mq_run(s, &q, &rows)) != CREDIT_OK)
        return rv;
    put_in_order(s->pool, rows, scan_desc);
    credit_mq_take_rows(s, f, rows, backward, out);
    *done = 1;
    return CREDIT_OK;
}
