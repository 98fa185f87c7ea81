/* test_lines.c: a district's rendered CSV lines in a file (credit_lines.c):
 * every filter read back from the file gives the bytes the SQL export's
 * rendering gives for the same records, in either order; broken, missing,
 * unfinished and stale files. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "unit.h"
#include "credit_export.h"
#include "credit_lines.h"

#define N 400

static const char *kinds[] = {"gov", "official"};
static const char *categories[] = {"judgment", "penalty", "discipline", "accountability", "breach"};
static const char *domains[] = {"procurement", "ppp",        "bidding", "investment",
                                "debt",        "grassroots", "other"};
static const char *severities[] = {"minor", "general", "serious"};
static const char *statuses[] = {"published", "contested", "corrected"};

/* Records newest first, as the store's export gives them: every value of
 * each filter, dates over about a year, and text a CSV must quote or
 * neutralise. */
static credit_record_t *records(void)
{
    credit_record_t *rs = apr_pcalloc(unit_pool, N * sizeof *rs);
    int i;
    for (i = 0; i < N; i++) {
        credit_record_t *r = &rs[i];
        int day = 360 - i * 360 / N; /* newest first; days repeat */
        r->id = (unsigned long long)(N - i);
        r->record_no = apr_psprintf(unit_pool, "TJZW-2026-%06d", N - i);
        r->subject.name = i % 7 ? apr_psprintf(unit_pool, "主体%d", i) : "某局, \"二处\"";
        r->subject.kind = kinds[i % 2];
        r->subject.credit_code = i % 5 ? "111201011072075123" : NULL;
        r->subject.district = "heping";
        r->category = categories[i % 5];
        r->domain = domains[(i / 2) % 7];
        r->severity = severities[(i / 3) % 3];
        r->status = statuses[(i / 5) % 3];
        r->title = i % 11 ? "未按期履行" : "=SUM(A1:A2)";
        r->facts = i % 13 ? "事实\r\n第二行" : NULL;
        if (i == 7) /* one line longer than the lines read at once */
            r->facts = memset(apr_pcalloc(unit_pool, 300001), 'x', 300000);
        r->amount = i % 3 ? "-12.50" : NULL;
        r->decided_on = "2026-01-05";
        r->updated_at = "2026-01-06 09:10:11";
        r->clock.disclosed = (credit_date_t){2026, 1 + day / 31 % 12, 1 + day % 28};
        r->clock.withdraw_on = (credit_date_t){2029, 1, 6};
    }
    return rs;
}

static int buf_write(void *ctx, const char *b, size_t len)
{
    return credit_csv_buf_write(ctx, b, len);
}

static int matches(const credit_record_t *r, const credit_filter_t *f)
{
    return (!f->kind || strcmp(f->kind, r->subject.kind) == 0) &&
           (!f->category || strcmp(f->category, r->category) == 0) &&
           (!f->domain || strcmp(f->domain, r->domain) == 0) &&
           (!f->severity || strcmp(f->severity, r->severity) == 0) &&
           (!f->status || strcmp(f->status, r->status) == 0) &&
           (!f->from.y || credit_date_cmp(r->clock.disclosed, f->from) >= 0) &&
           (!f->to.y || credit_date_cmp(r->clock.disclosed, f->to) <= 0);
}

/* What the SQL export writes for f: each record's row, rendered now. */
static const char *expected(const credit_record_t *rs, const credit_filter_t *f, const char *base,
                            long long *rows)
{
    credit_csv_buf_t b;
    int k;
    credit_csv_buf_init(&b, unit_pool);
    *rows = 0;
    for (k = 0; k < N; k++) {
        const credit_record_t *r = &rs[f->sort == CREDIT_SORT_OLDEST ? N - 1 - k : k];
        if (!matches(r, f))
            continue;
        ck_assert_int_eq(credit_export_csv_record(buf_write, &b, base, r), 0);
        (*rows)++;
    }
    return b.len ? b.data : "";
}

static const char *lines_dir(void)
{
    const char *tmp;
    char *dir;
    ck_assert_int_eq(apr_temp_dir_get(&tmp, unit_pool), APR_SUCCESS);
    dir = apr_psprintf(unit_pool, "%s/credit-lines-%d-XXXXXX", tmp, (int)getpid());
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static int exists(const char *path)
{
    apr_finfo_t fi;
    return apr_stat(&fi, path, APR_FINFO_TYPE, unit_pool) == APR_SUCCESS;
}

static int files_in(const char *dir)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;
    ck_assert_int_eq(apr_dir_open(&d, dir, unit_pool), APR_SUCCESS);
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d) == APR_SUCCESS)
        n += fi.filetype == APR_REG;
    apr_dir_close(d);
    return n;
}

static const char *make_file(const char *dir, const credit_record_t *rs, int n)
{
    credit_lines_writer_t *w;
    const char *path = credit_lines_path(unit_pool, dir, "heping", 42, 1796540000,
                                         (credit_date_t){2026, 12, 6}, "1.0 abc");
    int i;
    ck_assert_int_eq(credit_lines_create(unit_pool, path, &w), CREDIT_OK);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(credit_lines_add(w, &rs[i]), 0);
    ck_assert_int_eq(credit_lines_commit(w), CREDIT_OK);
    return path;
}

START_TEST(every_filter_reads_back_as_the_export_renders_it)
{
    credit_record_t *rs = records();
    const char *dir = lines_dir(), *path = make_file(dir, rs, N);
    /* (the last: a link longer than the export's buffer, cut where it cuts) */
    char *longest = apr_pstrcat(unit_pool, "http://h/", NULL);
    const char *bases[4] = {"https://credit.tianjin.example/credit", "http://h:8080/a,b\"c", ""};
    credit_lines_t *l;
    credit_filter_t fs[12];
    int i, b, nonempty = 0;

    ck_assert_str_eq(
        path, apr_pstrcat(unit_pool, dir, "/heping-42-20261206-1796540000-1.0_abc.lines", NULL));
    ck_assert_int_eq(files_in(dir), 1); /* no temporary file left */
    while (strlen(longest) < sizeof(((credit_export_buf_t *)0)->url) - 12)
        longest = apr_pstrcat(unit_pool, longest, "x", NULL);
    bases[3] = longest;
    ck_assert_int_eq(credit_lines_open(unit_pool, path, &l), CREDIT_OK);
    memset(fs, 0, sizeof fs);
    fs[1].kind = "official";
    fs[2].category = "breach";
    fs[3].domain = "debt";
    fs[4].severity = "serious";
    fs[5].status = "contested";
    fs[6].kind = "gov", fs[6].severity = "minor", fs[6].domain = "ppp";
    fs[7].from = (credit_date_t){2026, 5, 1};
    fs[8].to = (credit_date_t){2026, 3, 15};
    fs[9].from = (credit_date_t){2026, 4, 1}, fs[9].to = (credit_date_t){2026, 6, 30};
    fs[9].category = "penalty";
    fs[10].sort = CREDIT_SORT_OLDEST;
    fs[11].sort = CREDIT_SORT_OLDEST, fs[11].status = "corrected", fs[11].kind = "gov";
    for (b = 0; b < 4; b++)
        for (i = 0; i < 12; i++) {
            credit_csv_buf_t got;
            long long rows, want_rows;
            const char *want;
            fs[i].district = "heping";
            want = expected(rs, &fs[i], bases[b], &want_rows);
            credit_csv_buf_init(&got, unit_pool);
            ck_assert_int_eq(credit_lines_each(l, &fs[i], bases[b], buf_write, &got, &rows), 0);
            ck_assert_msg(strcmp(got.len ? got.data : "", want) == 0, "filter %d, base %d", i, b);
            ck_assert_int_eq(rows, want_rows);
            nonempty += rows > 0 && rows < N;
        }
    ck_assert_int_ge(nonempty, 4 * 10); /* the filters filter */
    /* the whole district: every record, with its quoted and neutralised cells */
    {
        credit_csv_buf_t got;
        long long rows;
        credit_csv_buf_init(&got, unit_pool);
        ck_assert_int_eq(credit_lines_each(l, &fs[0], bases[1], buf_write, &got, &rows), 0);
        ck_assert_int_eq(rows, N);
        ck_assert_ptr_nonnull(
            strstr(got.data, ",\"http://h:8080/a,b\"\"c/records/TJZW-2026-000400\","));
        ck_assert_ptr_nonnull(strstr(got.data, ",'=SUM(A1:A2),"));
        ck_assert_ptr_nonnull(strstr(got.data, "\"某局, \"\"二处\"\"\""));
    }
}
END_TEST

static int stop_writing(void *ctx, const char *b, size_t len)
{
    int *left = ctx;
    (void)b;
    (void)len;
    return --*left > 0 ? 0 : 7;
}

START_TEST(a_client_gone_stops_the_lines)
{
    credit_record_t *rs = records();
    credit_lines_t *l;
    credit_filter_t f = {0};
    long long rows;
    int left = 10;
    ck_assert_int_eq(credit_lines_open(unit_pool, make_file(lines_dir(), rs, N), &l), CREDIT_OK);
    f.district = "heping";
    ck_assert_int_eq(credit_lines_each(l, &f, "", stop_writing, &left, &rows), 7);
    ck_assert_int_lt(rows, 10);
}
END_TEST

START_TEST(what_the_lines_answer)
{
    credit_filter_t f = {0};
    ck_assert_int_eq(credit_lines_answer(&f), 0); /* the whole city: no one file */
    f.district = "heping";
    ck_assert_int_eq(credit_lines_answer(&f), 1);
    f.sort = CREDIT_SORT_OLDEST;
    f.from = (credit_date_t){2026, 1, 1};
    f.severity = "serious";
    ck_assert_int_eq(credit_lines_answer(&f), 1);
    f.q = "工程"; /* words: the search's */
    ck_assert_int_eq(credit_lines_answer(&f), 0);
}
END_TEST

START_TEST(broken_missing_and_unfinished_files)
{
    credit_record_t *rs = records();
    const char *dir = lines_dir(), *path = make_file(dir, rs, 50);
    credit_lines_t *l;
    credit_lines_writer_t *w;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_pool_t *sub;
    credit_record_t odd = rs[0];

    ck_assert_int_eq(credit_lines_open(unit_pool, apr_pstrcat(unit_pool, dir, "/none", NULL), &l),
                     CREDIT_ENOTFOUND);
    /* cut short: not a whole file */
    ck_assert_int_eq(apr_stat(&fi, path, APR_FINFO_SIZE, unit_pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_open(&f, path, APR_FOPEN_WRITE, 0, unit_pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_trunc(f, fi.size - 16), APR_SUCCESS);
    apr_file_close(f);
    ck_assert_int_eq(credit_lines_open(unit_pool, path, &l), CREDIT_EINTERNAL);
    /* a number a cell would quote or neutralise cannot make a link */
    odd.record_no = "-1,2";
    ck_assert_int_eq(apr_pool_create(&sub, unit_pool), APR_SUCCESS);
    ck_assert_int_eq(credit_lines_create(sub, apr_pstrcat(sub, dir, "/x.lines", NULL), &w),
                     CREDIT_OK);
    ck_assert_int_eq(credit_lines_add(w, &rs[1]), 0);
    ck_assert_int_ne(credit_lines_add(w, &odd), 0);
    ck_assert_int_eq(files_in(dir), 2); /* the cut file and the temporary one */
    apr_pool_destroy(sub);              /* never committed: removed */
    ck_assert_int_eq(files_in(dir), 1);
    ck_assert_int_eq(exists(apr_pstrcat(unit_pool, dir, "/x.lines", NULL)), 0);
}
END_TEST

START_TEST(the_sweep_leaves_only_the_current_file)
{
    credit_record_t *rs = records();
    const char *dir = lines_dir(), *keep = make_file(dir, rs, 10);
    const char *names[] = {"heping-41-20261206-1796530000-1.0_abc.lines",
                           "heping-42-20261205-1796540000-1.0_abc.lines",
                           "hepingx-1-20261206-0-b.lines",
                           "hexi-42-20261206-1796540000-1.0_abc.lines",
                           "heping-43-20261206-1796550000-b.lines.tmp.abcdef",
                           "heping-notes.txt",
                           "heping-42-20261206-1796540000-old.lines",
                           "heping-43-20261206-1796550000-b.lines",
                           "heping-9-20261207-1796560000-b.lines"};
    apr_time_t old = apr_time_now() - apr_time_from_sec(120);
    apr_file_t *f;
    size_t i;
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        const char *p = apr_pstrcat(unit_pool, dir, "/", names[i], NULL);
        ck_assert_int_eq(
            apr_file_open(&f, p, APR_FOPEN_CREATE | APR_FOPEN_WRITE, APR_OS_DEFAULT, unit_pool),
            APR_SUCCESS);
        apr_file_close(f);
    }
    /* a temporary file being written now stays */
    credit_lines_sweep(unit_pool, dir, "heping", keep);
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[4], NULL)));
    ck_assert_int_eq(
        apr_file_mtime_set(apr_pstrcat(unit_pool, dir, "/", names[4], NULL), old, unit_pool),
        APR_SUCCESS);
    credit_lines_sweep(unit_pool, dir, "heping", keep);
    ck_assert(exists(keep));
    ck_assert(!exists(apr_pstrcat(unit_pool, dir, "/", names[0], NULL)));
    ck_assert(!exists(apr_pstrcat(unit_pool, dir, "/", names[1], NULL)));
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[2], NULL))); /* another district */
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[3], NULL)));
    ck_assert(!exists(apr_pstrcat(unit_pool, dir, "/", names[4], NULL))); /* left by a crash */
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[5], NULL)));  /* not ours */
    ck_assert(!exists(apr_pstrcat(unit_pool, dir, "/", names[6], NULL))); /* another build */
    /* made meanwhile by another child, of a later version or day: kept */
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[7], NULL)));
    ck_assert(exists(apr_pstrcat(unit_pool, dir, "/", names[8], NULL)));
}
END_TEST

Suite *lines_suite(void)
{
    Suite *s = suite_create("lines");
    TCase *tc = tcase_create("lines");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, every_filter_reads_back_as_the_export_renders_it);
    tcase_add_test(tc, a_client_gone_stops_the_lines);
    tcase_add_test(tc, what_the_lines_answer);
    tcase_add_test(tc, broken_missing_and_unfinished_files);
    tcase_add_test(tc, the_sweep_leaves_only_the_current_file);
    suite_add_tcase(s, tc);
    return s;
}
