/* credit_export.h: the columns of a record in CSV, one definition for the
 * export /records.csv (credit_page_export.c) and the daily dumps
 * (credit-dump.c): what the list shows, every field of the record, and the
 * provenance columns (number, permanent URL, source department, last
 * change). */
#ifndef CREDIT_EXPORT_H
#define CREDIT_EXPORT_H

#include "credit.h"
#include "credit_csv.h"
#include "credit_store.h"

/* Writes the byte order mark and the header row. Returns as credit_csv_row. */
int credit_export_csv_start(credit_write_fn *write, void *ctx);

/* Writes the row of r; its permanent URL is url_base + "/records/" + number.
 * Nothing is allocated. Returns as credit_csv_row. */
int credit_export_csv_record(credit_write_fn *write, void *ctx, const char *url_base,
                             const credit_record_t *r);

#endif
