/* credit_page_xlsx.c: /records.xlsx, the CSV's rows and columns as a
 * workbook a spreadsheet opens as it is: credit codes and numbers made of
 * digits stay text, dates are dates, amounts numbers (a spreadsheet that
 * opens the CSV turns an all-digit credit code into 1.11201011072075E+17
 * and guesses the encoding). */
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_file_io.h>

#include "credit_page.h"
#include "credit_export.h"
#include "credit_xlsx.h"
#include "credit_rules.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct {
    credit_xlsx_t *x;
    const char *url_base;
    credit_status_t rv;
} xlsx_t;

static int xlsx_record(void *ctx, const credit_record_t *r)
{
    xlsx_t *c = ctx;
    credit_export_buf_t buf;
    const char *v[CREDIT_EXPORT_COLS];
    credit_export_values(r, c->url_base, &buf, v);
    c->rv = credit_xlsx_row(c->x, v);
    return c->rv != CREDIT_OK;
}

/* Pool cleanup: the request's file is gone with the request (the glue
 * may have removed it already, once it held it open). The pool being
 * destroyed allocates nothing more: unlink needs none. */
static apr_status_t remove_file(void *path)
{
    unlink(path);
    return APR_SUCCESS;
}

/* A new empty file of this request in the temporary directory, removed
 * when the request ends (also when it fails half way). */
static credit_status_t temp_file(credit_req_t *rq, const char **dir, const char **path)
{
    apr_file_t *fd;
    char *tpl;
    apr_status_t st;
    if ((st = apr_temp_dir_get(dir, rq->pool)) != APR_SUCCESS) {
        credit_req_log(rq, 3, "CR0970", "xlsx export: no temporary directory (%d)", st);
        return CREDIT_EINTERNAL;
    }
    tpl = apr_pstrcat(rq->pool, *dir, "/mod_credit-xlsx-XXXXXX", NULL);
    st = apr_file_mktemp(
        &fd, tpl, APR_FOPEN_CREATE | APR_FOPEN_READ | APR_FOPEN_WRITE | APR_FOPEN_EXCL, rq->pool);
    if (st != APR_SUCCESS) {
        credit_req_log(rq, 3, "CR0970", "xlsx export: cannot create a file in %s (%d)", *dir, st);
        return CREDIT_EINTERNAL;
    }
    apr_pool_cleanup_register(rq->pool, tpl, remove_file, apr_pool_cleanup_null);
    apr_file_close(fd);
    *path = tpl;
    return CREDIT_OK;
}

/* GET /records.xlsx?<filters>: every matching public record, the CSV's
 * columns and header names, one row each (a further worksheet after
 * 1,048,575 rows). The rows go to temporary files as they are read
 * (libxlsxwriter's constant memory), the workbook is put together in a
 * temporary file of the request, then sent from it with its length. */
credit_status_t credit_page_xlsx(credit_req_t *rq)
{
    credit_filter_t f;
    credit_status_t rv;
    xlsx_t c = {NULL, apr_pstrcat(rq->pool, rq->origin, rq->base, NULL), CREDIT_OK};
    const char *dir, *path;
    long long rows = 0;
    int fresh, sheets = 0;
    char day[16];

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    rq->status = 200;
    rq->content_type = XLSX_TYPE;
    apr_table_setn(rq->headers, "Content-Disposition",
                   apr_psprintf(rq->pool, "attachment; filename=\"credit-records-%s.xlsx\"",
                                credit_date_fmt(rq->today, day)));
    if (rq->head) {
        /* The headers are all a HEAD gets: the rows are not read. */
        rq->body = "";
        rq->body_len = 0;
        return CREDIT_OK;
    }
    if ((rv = temp_file(rq, &dir, &path)) != CREDIT_OK)
        return rv;
    if (credit_xlsx_open(rq->pool, path, dir, "records", credit_export_cols, CREDIT_EXPORT_COLS,
                         CREDIT_XLSX_SHEET_ROWS, &c.x) != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0971", "xlsx export: cannot start a workbook in %s", dir);
        return CREDIT_EINTERNAL;
    }
    rv = credit_page_each_export(rq, &f, xlsx_record, &c);
    if (rv == CREDIT_OK && c.rv != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0972", "xlsx export: %s", credit_xlsx_error(c.x));
        return c.rv;
    }
    if (rv != CREDIT_OK)
        return rv;
    if (credit_xlsx_close(c.x, &rows, &sheets) != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0972", "xlsx export: %s", credit_xlsx_error(c.x));
        return CREDIT_EINTERNAL;
    }
    rv = rq->send_file(rq, path) != 0 ? CREDIT_EINTERNAL : CREDIT_OK;
    if (rq->streaming) /* the glue removed the file once it held it open */
        apr_pool_cleanup_kill(rq->pool, path, remove_file);
    if (rv != CREDIT_OK) {
        if (!rq->streaming)
            return CREDIT_EINTERNAL; /* the glue said why */
        /* The client went away while the file was being sent. */
        credit_req_log(rq, 7, "CR0973", "xlsx export: client gone after %lld rows", rows);
        return CREDIT_OK;
    }
    credit_req_log(rq, 7, "CR0974", "xlsx export: %lld rows, %d worksheets", rows, sheets);
    return CREDIT_OK;
}
