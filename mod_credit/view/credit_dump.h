/* credit_dump.h: bulk data for mirrors (issue 14). What the dump command
 * (credit-dump.c) and the portal (/api/v1/dumps) share: the digest of a
 * record and the checksum of a set of records (the change feed's, see
 * sql/020_feed.sql), the names of dump files, and the index of dumps
 * (index.json in the dump directory). No I/O here. */
#ifndef CREDIT_DUMP_H
#define CREDIT_DUMP_H

#include <stdint.h>
#include <json.h>
#include "credit.h"
#include "credit_model.h"

/* The canonical form of a record: the 22 fields the digest covers, in the
 * order of sql/020_feed.sql (no, title, category, domain, severity, status,
 * decision_no, authority, decided_on, disclosed_on, amount, facts,
 * legal_basis, correction_note, rectification text, due and done,
 * updated_at, subject id, name, credit_code, position), each written as
 * "<length in bytes>:<bytes>," and a null one as "~,". Allocated from p;
 * *len is its length. */
const char *credit_dump_canonical(apr_pool_t *p, const credit_record_t *r, apr_size_t *len);

/* The record's digest: the first 64 bits, big-endian, of the SHA-256 of
 * its canonical form (the view record_digests in SQL computes the same). The
 * checksum of a set is the XOR of its records' digests. Returns 0 only if
 * hashing fails (never in practice). */
uint64_t credit_dump_digest(apr_pool_t *p, const credit_record_t *r);

/* 16 lowercase hex digits of v (a digest or a checksum) into buf[17]. */
char *credit_dump_hex64(uint64_t v, char *buf);

/* The formats of a dump. */
typedef enum { CREDIT_DUMP_JSONL = 0, CREDIT_DUMP_CSV, CREDIT_DUMP_FORMATS } credit_dump_format_t;

/* "jsonl" or "csv". */
const char *credit_dump_format_name(credit_dump_format_t f);

/* The file of a dump: "records-YYYYMMDD-v<version>.jsonl.gz" or ".csv.gz",
 * allocated from p. */
const char *credit_dump_file_name(apr_pool_t *p, credit_date_t date, unsigned long long version,
                                  credit_dump_format_t f);

/* 1 when name is a dump file name as credit_dump_file_name makes them (a
 * real date, a version of 1 to 20 digits without leading zero), 0
 * otherwise (also for NULL). */
int credit_dump_file_valid(const char *name);

/* One file of the index. */
typedef struct {
    credit_date_t date;
    unsigned long long version; /* the change feed's last seq at the snapshot */
    credit_dump_format_t format;
    const char *file;         /* a valid dump file name */
    long long rows;           /* records in it */
    long long bytes;          /* size of the .gz file */
    const char *sha256;       /* of the .gz file, 64 lowercase hex digits */
    long long records;        /* the public set at version: number ... */
    const char *checksum;     /* ... and checksum (16 hex digits) */
    const char *generated_at; /* "YYYY-MM-DDTHH:MM:SS+08:00" */
} credit_dump_entry_t;

/* The largest index.json accepted (bytes). */
#define CREDIT_DUMP_INDEX_MAX (1024 * 1024)

/* Parses index.json (text of len bytes) into *out (credit_dump_entry_t, in
 * the file's order). Returns NULL, or a message saying what is wrong (the
 * index is then not used). */
const char *credit_dump_index_parse(apr_pool_t *p, const char *text, apr_size_t len,
                                    apr_array_header_t **out);

/* The entries as the JSON array of the index ({"dumps": [...]}), owned by
 * the caller; with files_url (the URL the files are served under, ending
 * in '/') each entry also has its absolute "url". */
json_object *credit_dump_index_array(const apr_array_header_t *entries, apr_pool_t *p,
                                     const char *files_url);

/* The entries to keep when `add` (one snapshot's files) joins `old`: the
 * newest `keep_days` dates, one snapshot per date (a new one replaces an
 * older of its date), newest first, the formats of a snapshot in format
 * order. *dropped lists the files of `old` that are no longer kept (const
 * char *); a file of `add` is never in it (when one is not kept, a newer
 * date being there already, the caller removes it). */
apr_array_header_t *credit_dump_index_merge(apr_pool_t *p, const apr_array_header_t *old,
                                            const apr_array_header_t *add, int keep_days,
                                            apr_array_header_t **dropped);

#endif
