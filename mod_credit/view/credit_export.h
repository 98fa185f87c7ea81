/* credit_export.h: the columns of the record exports, /records.csv and
 * /records.xlsx: one list of names, each with the kind of value it holds,
 * and a record's values in that order. Both exports take them from here, so
 * they cannot drift apart. */
#ifndef CREDIT_EXPORT_H
#define CREDIT_EXPORT_H

#include "credit.h"
#include "credit_csv.h"
#include "credit_model.h"

/* What a column holds. A spreadsheet must not guess: a credit code or a
 * record number made only of digits stays text. */
typedef enum {
    CREDIT_COL_TEXT = 0, /* text, also when it is all digits (codes, numbers) */
    CREDIT_COL_NUMBER,   /* a decimal amount ("12000.00") */
    CREDIT_COL_DATE,     /* "YYYY-MM-DD" */
    CREDIT_COL_DATETIME  /* "YYYY-MM-DD HH:MM:SS", Beijing time */
} credit_col_type_t;

typedef struct {
    const char *name; /* the header cell: "记录编号 record_no" */
    credit_col_type_t type;
    double width; /* a spreadsheet column's width in characters */
} credit_export_col_t;

#define CREDIT_EXPORT_COLS 23
extern const credit_export_col_t credit_export_cols[CREDIT_EXPORT_COLS];

/* Room for the values that are made rather than read from the record (the
 * permanent link, the dates of the disclosure clock): values point into it,
 * so it lives as long as they are used. */
typedef struct {
    char url[2048];
    char dates[3][16];
} credit_export_buf_t;

/* Fills out[CREDIT_EXPORT_COLS] with r's values in the order of
 * credit_export_cols: enumerations as their Chinese labels, the permanent
 * link url_base + "/records/" + number (cut at sizeof buf->url), NULL for
 * what the record does not have. Never fails. */
void credit_export_values(const credit_record_t *r, const char *url_base, credit_export_buf_t *buf,
                          const char *out[CREDIT_EXPORT_COLS]);

/* A value typed for a spreadsheet cell. */
typedef struct {
    credit_col_type_t type; /* what the cell is: the column's type, or TEXT */
    const char *text;       /* TEXT: the value (NULL: an empty cell) */
    double number;          /* NUMBER */
    int y, mo, d, h, mi, s; /* DATE (h = mi = s = 0) and DATETIME */
} credit_cell_t;

/* The cell of value in a column of type: a NUMBER column's plain decimal
 * ("-12.50": sign, digits, '.', digits; at most 15 significant digits, so
 * the double is the nearest to it) becomes a number; a DATE column's valid
 * "YYYY-MM-DD" and a DATETIME column's valid "YYYY-MM-DD HH:MM:SS" their
 * parts. Anything else, in any column, is text as it is, so nothing is
 * lost (NULL and "" give an empty text cell). Returns out->type. */
credit_col_type_t credit_export_cell(credit_col_type_t type, const char *value, credit_cell_t *out);

/* The text of a workbook cell as the file must hold it: every character XML
 * forbids (and every byte that is not UTF-8) as U+FFFD; "_x" + four hex
 * digits + "_", which a spreadsheet reads as the escape of one character,
 * with its '_' escaped ("_x005F_"), so the text comes back as it was; cut
 * after max characters. Allocated from p; never fails. */
char *credit_export_cell_text(apr_pool_t *p, const char *s, size_t max);

/* The CSV of the export and of the daily dumps (credit-dump.c): the byte
 * order mark and the header row. Returns as credit_csv_row. */
int credit_export_csv_start(credit_write_fn *write, void *ctx);

/* The CSV row of values (credit_export_values), each column typed as
 * credit_export_cols says (the amount's "-12.50" is a number, not a
 * formula). Returns as credit_csv_row. */
int credit_export_csv_cells(credit_write_fn *write, void *ctx,
                            const char *const values[CREDIT_EXPORT_COLS]);

/* The CSV row of r, its permanent URL url_base + "/records/" + number.
 * Nothing is allocated. Returns as credit_csv_row. */
int credit_export_csv_record(credit_write_fn *write, void *ctx, const char *url_base,
                             const credit_record_t *r);

#endif
