/* credit_xlsx.c: export rows into an XLSX workbook with libxlsxwriter,
 * constant memory. See credit_xlsx.h. */
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include <xlsxwriter.h>

#include "credit_xlsx.h"

/* The characters one cell holds (Excel's limit, which libxlsxwriter checks). */
#define CELL_CHARS 32767

struct credit_xlsx {
    apr_pool_t *pool;
    apr_pool_t *rowpool; /* cleared after every row */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date, *datetime, *number;
    const char *sheet;
    const credit_export_col_t *cols;
    size_t ncols;
    long rows_per_sheet;
    lxw_row_t row; /* the next row of ws */
    long long rows;
    int sheets;
    const char *error;
};

/* The workbook of a request that ended before it was closed: its memory
 * and temporary files are released. lxw_workbook_free leaves the rows'
 * temporary files of the constant-memory mode open (only workbook_close
 * closes them): an export stopped half way would keep a descriptor, and
 * the disk behind it, for the life of the child. */
static apr_status_t workbook_cleanup(void *data)
{
    credit_xlsx_t *x = data;
    lxw_worksheet *ws;
    if (x->wb) {
        LXW_FOREACH_WORKSHEET(ws, x->wb)
        {
            if (ws->optimize_tmpfile) {
                fclose(ws->optimize_tmpfile);
                ws->optimize_tmpfile = NULL;
            }
        }
        lxw_workbook_free(x->wb);
        x->wb = NULL;
    }
    return APR_SUCCESS;
}

static credit_status_t fail(credit_xlsx_t *x, const char *what, lxw_error err)
{
    x->error = apr_pstrcat(x->pool, what, ": ", lxw_strerror(err), NULL);
    return CREDIT_EINTERNAL;
}

/* The autofilter of the sheet being written, over the rows it has. */
static lxw_error close_sheet(credit_xlsx_t *x)
{
    if (!x->ws)
        return LXW_NO_ERROR;
    return worksheet_autofilter(x->ws, 0, 0, x->row > 0 ? x->row - 1 : 0,
                                (lxw_col_t)(x->ncols - 1));
}

/* A new worksheet with its header row. */
static credit_status_t open_sheet(credit_xlsx_t *x)
{
    const char *name =
        x->sheets ? apr_psprintf(x->pool, "%s %d", x->sheet, x->sheets + 1) : x->sheet;
    lxw_error err;
    size_t i;
    if ((err = close_sheet(x)) != LXW_NO_ERROR)
        return fail(x, "autofilter", err);
    if (!(x->ws = workbook_add_worksheet(x->wb, name))) {
        x->error = "cannot add a worksheet";
        return CREDIT_EINTERNAL;
    }
    x->sheets++;
    x->row = 0;
    for (i = 0; i < x->ncols; i++) {
        err = worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, x->cols[i].width, NULL);
        if (err == LXW_NO_ERROR)
            err = worksheet_write_string(x->ws, 0, (lxw_col_t)i, x->cols[i].name, x->bold);
        if (err != LXW_NO_ERROR)
            return fail(x, "header", err);
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    return CREDIT_OK;
}

credit_status_t credit_xlsx_open(apr_pool_t *p, const char *path, const char *tmpdir,
                                 const char *sheet, const credit_export_col_t *cols, size_t ncols,
                                 long rows_per_sheet, credit_xlsx_t **out)
{
    lxw_workbook_options opt = {0};
    credit_xlsx_t *x;
    *out = NULL;
    if (!p || !path || !sheet || strlen(sheet) > 28 || strpbrk(sheet, "[]:*?/\\") || !cols ||
        ncols == 0 || ncols > LXW_COL_MAX || rows_per_sheet < 2 ||
        rows_per_sheet > CREDIT_XLSX_SHEET_ROWS)
        return CREDIT_EINVAL;
    x = apr_pcalloc(p, sizeof *x);
    x->pool = p;
    x->sheet = apr_pstrdup(p, sheet);
    x->cols = cols;
    x->ncols = ncols;
    x->rows_per_sheet = rows_per_sheet;
    x->error = "";
    if (apr_pool_create(&x->rowpool, p) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = tmpdir ? apr_pstrdup(p, tmpdir) : NULL;
    opt.use_zip64 = LXW_TRUE; /* a very large export passes 4 GB before compression */
    if (!(x->wb = workbook_new_opt(path, &opt)))
        return CREDIT_EINTERNAL;
    apr_pool_cleanup_register(p, x, workbook_cleanup, apr_pool_cleanup_null);
    x->bold = workbook_add_format(x->wb);
    x->date = workbook_add_format(x->wb);
    x->datetime = workbook_add_format(x->wb);
    x->number = workbook_add_format(x->wb);
    if (!x->bold || !x->date || !x->datetime || !x->number)
        return CREDIT_EINTERNAL;
    format_set_bold(x->bold);
    format_set_num_format(x->date, "yyyy-mm-dd");
    format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm:ss");
    format_set_num_format(x->number, "#,##0.00");
    if (open_sheet(x) != CREDIT_OK)
        return CREDIT_EINTERNAL;
    *out = x;
    return CREDIT_OK;
}

credit_status_t credit_xlsx_row(credit_xlsx_t *x, const char *const *values)
{
    lxw_error err = LXW_NO_ERROR;
    size_t i;
    if (!x->wb)
        return CREDIT_EINTERNAL;
    if (x->row >= (lxw_row_t)x->rows_per_sheet && open_sheet(x) != CREDIT_OK)
        return CREDIT_EINTERNAL;
    for (i = 0; i < x->ncols && err == LXW_NO_ERROR; i++) {
        credit_cell_t c;
        lxw_datetime dt;
        lxw_col_t col = (lxw_col_t)i;
        switch (credit_export_cell(x->cols[i].type, values[i], &c)) {
        case CREDIT_COL_NUMBER:
            err = worksheet_write_number(x->ws, x->row, col, c.number, x->number);
            break;
        case CREDIT_COL_DATE:
        case CREDIT_COL_DATETIME:
            dt.year = c.y;
            dt.month = c.mo;
            dt.day = c.d;
            dt.hour = c.h;
            dt.min = c.mi;
            dt.sec = c.s;
            err = worksheet_write_datetime(x->ws, x->row, col, &dt,
                                           c.type == CREDIT_COL_DATE ? x->date : x->datetime);
            break;
        case CREDIT_COL_TEXT:
            if (!c.text)
                break;
            /* Always a string cell: "111201011072075123" stays a code. */
            err = worksheet_write_string(
                x->ws, x->row, col, credit_export_cell_text(x->rowpool, c.text, CELL_CHARS), NULL);
            break;
        }
    }
    apr_pool_clear(x->rowpool);
    if (err != LXW_NO_ERROR)
        return fail(x, "row", err);
    x->row++;
    x->rows++;
    return CREDIT_OK;
}

credit_status_t credit_xlsx_close(credit_xlsx_t *x, long long *rows, int *sheets)
{
    lxw_error err;
    lxw_workbook *wb = x->wb;
    if (!wb)
        return CREDIT_EINTERNAL;
    if (rows)
        *rows = x->rows;
    if (sheets)
        *sheets = x->sheets;
    if ((err = close_sheet(x)) != LXW_NO_ERROR)
        return fail(x, "autofilter", err);
    x->wb = NULL; /* workbook_close frees it, whatever it returns */
    if ((err = workbook_close(wb)) != LXW_NO_ERROR)
        return fail(x, "writing the workbook", err);
    return CREDIT_OK;
}

const char *credit_xlsx_error(const credit_xlsx_t *x)
{
    return x && x->error ? x->error : "";
}
