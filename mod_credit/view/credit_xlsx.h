/* credit_xlsx.h: an XLSX workbook of export rows (/records.xlsx), written
 * with libxlsxwriter in its constant-memory mode: each row goes to a
 * temporary file as it comes, so memory does not grow with the rows, and
 * the workbook is assembled into a file when it is closed. Cells are typed
 * by their column (credit_export.h): codes and numbers stay text, dates are
 * dates, amounts numbers. No httpd header. */
#ifndef CREDIT_XLSX_H
#define CREDIT_XLSX_H

#include "credit.h"
#include "credit_export.h"

typedef struct credit_xlsx credit_xlsx_t;

/* The rows of one worksheet, the header row included (Excel's limit). */
#define CREDIT_XLSX_SHEET_ROWS 1048576L

/* Starts a workbook that credit_xlsx_close writes to path (created or
 * truncated), its rows kept meanwhile in temporary files under tmpdir (NULL:
 * the system's). The first worksheet is `sheet` (at most 28 bytes, none of
 * []:*?/\), its first row the column names in bold, frozen, with an
 * autofilter; more worksheets "sheet 2"... follow when rows_per_sheet
 * (2.. CREDIT_XLSX_SHEET_ROWS, header included) is reached. What the
 * workbook holds is released by a cleanup of p if it is never closed.
 * Returns CREDIT_OK, CREDIT_EINVAL for bad arguments or CREDIT_EINTERNAL
 * when the library refuses (*out NULL). */
credit_status_t credit_xlsx_open(apr_pool_t *p, const char *path, const char *tmpdir,
                                 const char *sheet, const credit_export_col_t *cols, size_t ncols,
                                 long rows_per_sheet, credit_xlsx_t **out);

/* Adds one row of ncols values (NULL or "" an empty cell), each typed by
 * credit_export_cell for its column, text as credit_export_cell_text makes it
 * (cut at the 32,767 characters a cell holds).
 * Memory used for the row is freed before the next one. Returns CREDIT_OK,
 * or CREDIT_EINTERNAL when a temporary file cannot be written
 * (credit_xlsx_error says why); the workbook is then of no use. */
credit_status_t credit_xlsx_row(credit_xlsx_t *x, const char *const *values);

/* Writes the workbook to its path and releases it. *rows (may be NULL):
 * the data rows written; *sheets (may be NULL): the worksheets. Returns
 * CREDIT_OK, or CREDIT_EINTERNAL (credit_xlsx_error says why). After it,
 * x must not be used but for credit_xlsx_error. */
credit_status_t credit_xlsx_close(credit_xlsx_t *x, long long *rows, int *sheets);

/* The library's message of the last failure, "" when none. */
const char *credit_xlsx_error(const credit_xlsx_t *x);

#endif
