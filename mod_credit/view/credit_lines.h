/* credit_lines.h: the rendered CSV lines of one district's public records,
 * kept in a file (CreditExportLines) so that an export of the district, with
 * any of the other enumerated filters and dates, is read from the file
 * instead of the database.
 *
 * A file holds the public window of one data version on one day: its name
 * carries the district, the data version, the day and the build, so a write,
 * midnight or a new module makes another name and the old file is never read
 * again (credit_lines_sweep removes it). The lines are those of the SQL
 * export, newest first, with an empty permanent link: the link depends on
 * the request's origin and is written per request. Beside the lines, an index
 * of what the filters test (kind, category, domain, severity, status, the
 * disclosure date).
 *
 * Files are written to a temporary name and renamed, so a reader sees a whole
 * file or none; a reader keeps the file open, so one removed while read stays
 * whole until it is done. */
#ifndef CREDIT_LINES_H
#define CREDIT_LINES_H

#include "credit.h"
#include "credit_csv.h"
#include "credit_filter.h"
#include "credit_model.h"

typedef struct credit_lines_writer credit_lines_writer_t;
typedef struct credit_lines credit_lines_t;

/* 1 when an export of f can be read from its district's lines: a district,
 * no words, newest or oldest first. */
int credit_lines_answer(const credit_filter_t *f);

/* The file of district's lines at a data version (its number and the time
 * it was made, Unix seconds: a database restored from a backup may count the
 * same numbers again), on a day, for a build (ASCII letters, digits, '.',
 * '-' and '_' of build_id are kept, the rest becomes '_'): dir + "/" +
 * district + "-" + version + "-" + YYYYMMDD + "-" + changed + "-" + build +
 * ".lines". */
const char *credit_lines_path(apr_pool_t *p, const char *dir, const char *district,
                              unsigned long long version, long long changed, credit_date_t day,
                              const char *build_id);

/* Starts the file at path (written under a temporary name beside it). Its
 * memory (the index grows by 16 bytes a record) comes from p; a pool cleanup
 * removes the temporary file unless it was committed. Returns CREDIT_OK, or
 * CREDIT_EINTERNAL when the file cannot be made. */
credit_status_t credit_lines_create(apr_pool_t *p, const char *path, credit_lines_writer_t **out);

/* A credit_record_fn: appends r's line (records must come newest first).
 * Returns 0, non-zero when the line cannot be written or kept (a record
 * without a number that stands as its own first cell, a file over 4 GB). */
int credit_lines_add(void *writer, const credit_record_t *r);

/* Writes the index and renames the file to its path. Returns CREDIT_OK or
 * CREDIT_EINTERNAL (the temporary file is then removed). */
credit_status_t credit_lines_commit(credit_lines_writer_t *w);

/* Opens the file at path and reads its index, both until p is cleared. Returns CREDIT_OK,
 * CREDIT_ENOTFOUND when there is no such file, CREDIT_EINTERNAL when it is
 * not a whole lines file. */
credit_status_t credit_lines_open(apr_pool_t *p, const char *path, credit_lines_t **out);

/* Writes the lines matching f (its district is the file's; its other
 * enumerated filters, from, to and sort are applied), each with its
 * permanent link url_base + "/records/" + number, exactly as the SQL export
 * writes them (credit_export_csv_record). *rows counts them. Returns 0 or the
 * first non-zero result of write. */
int credit_lines_each(const credit_lines_t *l, const credit_filter_t *f, const char *url_base,
                      credit_write_fn *write, void *ctx, long long *rows);

/* Removes the files of district in dir that keep (a path credit_lines_path
 * made) makes old: earlier days, earlier versions of its day, other builds
 * of its version and day (nobody asks for them again), and temporary files
 * older than a minute. Later ones, made meanwhile, stay. */
void credit_lines_sweep(apr_pool_t *p, const char *dir, const char *district, const char *keep);

#endif
