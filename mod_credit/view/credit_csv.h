/* credit_csv.h: RFC 4180 CSV writing for the export /credit/records.csv.
 * The writer holds no state and no row: every piece goes straight to a write
 * callback (an httpd brigade in the glue, a buffer in tests), so an export of
 * any size runs in constant memory. Cells that a spreadsheet would run as a
 * formula are neutralised with a leading apostrophe (OWASP, "CSV Injection"). */
#ifndef CREDIT_CSV_H
#define CREDIT_CSV_H

#include "credit.h"

/* The UTF-8 byte order mark that starts the export (Excel needs it to read
 * UTF-8). */
#define CREDIT_CSV_BOM     "\xEF\xBB\xBF"
#define CREDIT_CSV_BOM_LEN 3

/* Writes len bytes of buf somewhere. Returns 0 on success, any other value
 * on failure; the writers below stop at the first failure and return it. */
typedef int credit_write_fn(void *ctx, const char *buf, size_t len);

/* Column flags. */
#define CREDIT_CSV_TEXT    0u
#define CREDIT_CSV_NUMERIC 1u /* a number column: "-12.50" is not neutralised */

/* Returned for bad arguments (NULL write function, no fields). */
#define CREDIT_CSV_EARG (-1)

/* Returns 1 when value is a plain decimal number: an optional sign, digits,
 * optionally '.' and digits ("-12.50", "+3", "0.5"), 0 otherwise. */
int credit_csv_is_number(const char *value);

/* Returns 1 when the cell would start with a character a spreadsheet reads
 * as a formula (= + - @ TAB CR) and so gets a leading apostrophe: always
 * for text columns, and for numeric columns unless the value is a plain
 * number (credit_csv_is_number). 0 otherwise (also for NULL). */
int credit_csv_neutralised(const char *value, unsigned flags);

/* Writes one field, without separator: quoted ("...", inner quotes doubled)
 * when it contains ',' '"' CR or LF or starts or ends with a space or TAB,
 * after the neutralising apostrophe when credit_csv_neutralised() says so.
 * value is a NUL-terminated string written byte for byte (UTF-8 untouched);
 * NULL is written as the empty field (nothing). Returns 0, CREDIT_CSV_EARG
 * when write is NULL, or the first non-zero result of write (the field may
 * then be partly written). */
int credit_csv_field(credit_write_fn *write, void *ctx, const char *value, unsigned flags);

/* Writes one record: the n fields separated by ',' and a final CRLF. flags
 * is NULL (all text columns) or n column flags. A record of one empty field
 * is written as "" so that it is not a blank line. Returns 0,
 * CREDIT_CSV_EARG (nothing written) when write or fields is NULL or n is 0,
 * or the first non-zero result of write (the record may then be partly
 * written). */
int credit_csv_row(credit_write_fn *write, void *ctx, const char *const *fields, size_t n,
                   const unsigned *flags);

/* A growable buffer in a pool, for callers that want a whole record in one
 * piece: reset len to 0 between records and the capacity is reused, so
 * memory stays at about twice the longest record. */
typedef struct {
    apr_pool_t *pool;
    char *data; /* NUL-terminated after every write */
    size_t len;
    size_t cap;
} credit_csv_buf_t;

void credit_csv_buf_init(credit_csv_buf_t *b, apr_pool_t *p);

/* A credit_write_fn appending to the credit_csv_buf_t ctx. Returns 0, or
 * CREDIT_CSV_EARG when ctx is NULL or the size would overflow. */
int credit_csv_buf_write(void *ctx, const char *buf, size_t len);

#endif
