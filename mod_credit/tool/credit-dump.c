/* credit-dump: the daily full dumps of the public records (issue 14).
 *
 *   credit-dump --dir DIR --url-base URL [--keep DAYS] [--db-file FILE]
 *
 * Writes, from one consistent snapshot of the database, every public record
 * as JSON Lines (the API's record, one per line) and as CSV (the export's
 * columns), both gzip, as DIR/records-YYYYMMDD-v<version>.{jsonl,csv}.gz,
 * where <version> is the change feed's last sequence number at the snapshot:
 * a mirror loads the dump and follows /api/v1/changes?since=<version>. The
 * index DIR/index.json lists the dumps of the last DAYS days (7) with their
 * rows, bytes, SHA-256 and the public set's number and checksum at version;
 * files and index are written under temporary names and renamed into place.
 *
 * Before its snapshot it brings the change feed up to date with the clock
 * (CALL record_expiries()), and after it checks that the records it wrote
 * are exactly the feed's public set at that version (number and checksum):
 * otherwise nothing is published and it exits 1.
 *
 * Database settings: the environment variable CREDIT_DUMP_DB or the first
 * line of --db-file, in the syntax of CreditDB ("host= port= socket= user=
 * password= dbname= timeout="), the public pages' read-only user: never a
 * password on the command line. Messages go to stderr with stable IDs
 * (CR1053-CR1069); the summary of a dump to stdout. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <zlib.h>
#include <openssl/evp.h>
#include <apr_escape.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_time.h>

#include "credit.h"
#include "credit_db.h"
#include "credit_dsn.h"
#include "credit_copies.h"
#include "credit_store.h"
#include "credit_filter.h"
#include "credit_json.h"
#include "credit_export.h"
#include "credit_dump.h"
#include "credit_rules.h"

#define OUT_CHUNK  (64 * 1024)
#define KEEP_MAX   366
#define TMP_PREFIX ".credit-dump-"

static int verbose;

static void say(int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(int level, const char *id, const char *fmt, ...)
{
    va_list ap;
    if (level > 4 && !verbose)
        return;
    fprintf(stderr, "credit-dump: %s: ", id);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The core's log callback (database messages). */
static void core_log(void *baton, int level, const char *id, const char *msg)
{
    (void)baton;
    say(level, id, "%s", msg);
}

/* ---- one gzip file, hashed and counted as it is written ---------------- */

typedef struct {
    const char *tmp; /* its temporary name, renamed at the end */
    FILE *f;
    z_stream z;
    EVP_MD_CTX *sha;
    long long bytes; /* compressed bytes written */
    int failed;
    unsigned char out[OUT_CHUNK];
} gzout_t;

static int out_drain(gzout_t *g, int flush)
{
    int zr;
    do {
        size_t n;
        g->z.next_out = g->out;
        g->z.avail_out = sizeof g->out;
        zr = deflate(&g->z, flush);
        if (zr == Z_STREAM_ERROR)
            return -1;
        n = sizeof g->out - g->z.avail_out;
        if (n && (fwrite(g->out, 1, n, g->f) != n || !EVP_DigestUpdate(g->sha, g->out, n)))
            return -1;
        g->bytes += (long long)n;
    } while (g->z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    return 0;
}

/* A credit_write_fn. */
static int gz_write(void *ctx, const char *buf, size_t len)
{
    gzout_t *g = ctx;
    if (g->failed)
        return -1;
    g->z.next_in = (unsigned char *)buf;
    g->z.avail_in = (uInt)len;
    if (out_drain(g, Z_NO_FLUSH) != 0 || g->z.avail_in != 0) {
        g->failed = 1;
        return -1;
    }
    return 0;
}

static int gz_open(gzout_t *g, const char *path)
{
    int fd;
    memset(g, 0, sizeof *g);
    g->tmp = path;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    /* readable by the web server's children whatever the umask */
    if (fchmod(fd, 0644) != 0 || !(g->f = fdopen(fd, "wb"))) {
        close(fd);
        return -1;
    }
    /* windowBits 15 + 16: a gzip stream (header without a name or time:
     * the same records give the same bytes) */
    if (deflateInit2(&g->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    if (!(g->sha = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(g->sha, EVP_sha256(), NULL))
        return -1;
    return 0;
}

/* Finishes the stream and the file (flushed to disk); the SHA-256 in hex
 * into hex[65]. Returns 0, -1 on failure. */
static int gz_close(gzout_t *g, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int rv = g->failed ? -1 : 0;
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    if (rv == 0 && out_drain(g, Z_FINISH) != 0)
        rv = -1;
    deflateEnd(&g->z);
    if (rv == 0 && (fflush(g->f) != 0 || fsync(fileno(g->f)) != 0))
        rv = -1;
    if (g->f && fclose(g->f) != 0)
        rv = -1;
    g->f = NULL;
    if (rv == 0 && !EVP_DigestFinal_ex(g->sha, md, &n))
        rv = -1;
    EVP_MD_CTX_free(g->sha);
    g->sha = NULL;
    if (rv == 0)
        apr_escape_hex(hex, md, n, 0, NULL);
    return rv;
}

static void gz_abandon(gzout_t *g)
{
    if (g->f) {
        deflateEnd(&g->z);
        fclose(g->f);
        g->f = NULL;
    }
    if (g->sha)
        EVP_MD_CTX_free(g->sha);
    g->sha = NULL;
    if (g->tmp)
        unlink(g->tmp);
}

/* ---- the records ------------------------------------------------------------- */

typedef struct {
    apr_pool_t *row; /* cleared after each record */
    const char *url_base;
    gzout_t out[CREDIT_DUMP_FORMATS];
    long long rows;
    uint64_t checksum;
} dump_t;

static int each(void *ctx, const credit_record_t *r)
{
    dump_t *d = ctx;
    json_object *o = credit_json_record(d->row, d->url_base, r, 1);
    size_t n = 0;
    const char *line = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
    int rv = line ? 0 : -1;
    if (rv == 0)
        rv = gz_write(&d->out[CREDIT_DUMP_JSONL], line, n);
    if (rv == 0)
        rv = gz_write(&d->out[CREDIT_DUMP_JSONL], "\n", 1);
    json_object_put(o);
    if (rv == 0)
        rv = credit_export_csv_record(gz_write, &d->out[CREDIT_DUMP_CSV], d->url_base, r);
    d->checksum ^= credit_dump_digest(d->row, r);
    d->rows++;
    apr_pool_clear(d->row);
    return rv;
}

/* ---- the directory ------------------------------------------------------------ */

/* The index of dir (an empty one when there is none or it cannot be used). */
static apr_array_header_t *index_read(apr_pool_t *p, const char *path)
{
    apr_array_header_t *entries = apr_array_make(p, 4, sizeof(credit_dump_entry_t));
    char *text = apr_palloc(p, CREDIT_DUMP_INDEX_MAX + 1);
    const char *err;
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno != ENOENT)
            say(4, "CR1053", "%s: %s; a new index is written", path, strerror(errno));
        return entries;
    }
    n = fread(text, 1, CREDIT_DUMP_INDEX_MAX + 1, f);
    fclose(f);
    if ((err = credit_dump_index_parse(p, text, n, &entries)) != NULL) {
        say(4, "CR1053", "%s: %s; a new index is written", path, err);
        return apr_array_make(p, 4, sizeof(credit_dump_entry_t));
    }
    return entries;
}

static int write_file(const char *tmp, const char *path, const char *text, size_t n)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int ok = fd >= 0 && fchmod(fd, 0644) == 0 && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : -1;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Removes the dump files of dir that the index does not list, and the
 * temporary files of runs that did not finish. */
static void tidy(apr_pool_t *p, const char *dir, const apr_array_header_t *kept)
{
    DIR *dh = opendir(dir);
    struct dirent *de;
    if (!dh)
        return;
    while ((de = readdir(dh)) != NULL) {
        int i, listed = 0;
        if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0 &&
            !credit_dump_file_valid(de->d_name))
            continue;
        for (i = 0; i < kept->nelts; i++)
            if (strcmp(APR_ARRAY_IDX(kept, i, credit_dump_entry_t).file, de->d_name) == 0)
                listed = 1;
        if (!listed && unlink(apr_pstrcat(p, dir, "/", de->d_name, NULL)) == 0)
            say(6, "CR1054", "removed %s", de->d_name);
    }
    closedir(dh);
}

/* ---- options -------------------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to, "usage: credit-dump --dir DIR --url-base URL [--keep DAYS] [--db-file FILE]"
                " [--verbose]\n"
                "  DIR       the dump directory (CreditDumpDir)\n"
                "  URL       the portal's public URL, e.g. https://credit.example.gov.cn/credit\n"
                "  DAYS      dumps of how many days to keep (1..366, default 7)\n"
                "  FILE      its first line: the read-only database user's settings as in\n"
                "            CreditDB; or the environment variable CREDIT_DUMP_DB\n");
}

/* The database settings: the first line of file that is not a comment. */
static const char *dsn_from_file(apr_pool_t *p, const char *file)
{
    char line[2048];
    FILE *f = fopen(file, "r");
    if (!f) {
        say(3, "CR1055", "--db-file %s: %s", file, strerror(errno));
        return NULL;
    }
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n && line[0] != '#') {
            fclose(f);
            return apr_pstrdup(p, line);
        }
    }
    fclose(f);
    say(3, "CR1055", "--db-file %s: no settings in it", file);
    return NULL;
}

static int run(apr_pool_t *p, const char *dir, const char *url_base, int keep, const char *dsn);

int main(int argc, char **argv)
{
    apr_pool_t *p;
    const char *dir = NULL, *url_base = NULL, *db_file = NULL, *dsn;
    unsigned long keep = 7;
    int i, rv;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else if (v && strcmp(a, "--dir") == 0) {
            dir = v;
            i++;
        } else if (v && strcmp(a, "--url-base") == 0) {
            url_base = v;
            i++;
        } else if (v && strcmp(a, "--db-file") == 0) {
            db_file = v;
            i++;
        } else if (v && strcmp(a, "--keep") == 0) {
            if (!credit_parse_uint(v, 1, KEEP_MAX, &keep)) {
                fprintf(stderr, "credit-dump: --keep: a number of days from 1 to 366\n");
                return 2;
            }
            i++;
        } else {
            fprintf(stderr, "credit-dump: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!dir || !url_base) {
        usage(stderr);
        return 2;
    }
    if ((strncmp(url_base, "http://", 7) != 0 && strncmp(url_base, "https://", 8) != 0) ||
        strlen(url_base) > 300 || strpbrk(url_base, " \"<>\\")) {
        fprintf(stderr, "credit-dump: --url-base: http(s)://host[:port]/path of the portal\n");
        return 2;
    }
    if (apr_app_initialize(&argc, (const char *const **)&argv, NULL) != APR_SUCCESS ||
        apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 1;
    dsn = db_file ? dsn_from_file(p, db_file) : getenv("CREDIT_DUMP_DB");
    if (!dsn) {
        if (!db_file)
            say(3, "CR1055", "no database settings: --db-file FILE or CREDIT_DUMP_DB");
        apr_terminate();
        return 2;
    }
    if (url_base[strlen(url_base) - 1] == '/')
        url_base = apr_pstrndup(p, url_base, strlen(url_base) - 1);
    rv = run(p, dir, url_base, (int)keep, dsn);
    apr_pool_destroy(p);
    apr_terminate();
    return rv;
}

/* ---- the dump -------------------------------------------------------------------- */

static int dump(apr_pool_t *p, credit_store_t *store, const char *dir, const char *url_base,
                int keep);

/* The whole of a small file (a password file) in p. */
static apr_status_t read_small_file(apr_pool_t *p, const char *path, char **text, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t st = apr_file_open(&f, path, APR_FOPEN_READ, 0, p);
    if (st != APR_SUCCESS)
        return st;
    if ((st = apr_file_info_get(&fi, APR_FINFO_SIZE, f)) == APR_SUCCESS) {
        if (fi.size > 4096) {
            st = APR_EINVAL;
        } else {
            *text = apr_palloc(p, (apr_size_t)fi.size + 1);
            st = apr_file_read_full(f, *text, (apr_size_t)fi.size, len);
            if (st == APR_SUCCESS)
                (*text)[*len] = '\0';
        }
    }
    apr_file_close(f);
    return st;
}

static int run(apr_pool_t *p, const char *dir, const char *url_base, int keep, const char *dsn)
{
    credit_db_params_t db = {.port = 3306, .connect_timeout = 5, .rw_timeout = 600};
    credit_pool_sizes_t sizes = {0, 1, 1, 60, 5000};
    credit_dbpool_t *dbpool;
    credit_copies_t *copies = NULL;
    apr_pool_t *sp;
    const char *err;
    int lockfd, rv;

    if ((err = credit_dsn_parse(p, dsn, &db)) != NULL || !db.user || !db.name) {
        say(3, "CR1055", "database settings: %s", err ? err : "user= and dbname= are required");
        return 2;
    }
    if (db.password_file) { /* password_file=, as in credit.conf */
        char *text;
        apr_size_t len;
        if (read_small_file(p, db.password_file, &text, &len) != APR_SUCCESS ||
            (err = credit_dsn_password_text(p, text, len, &db.password)) != NULL) {
            say(3, "CR1055", "database settings: password_file %s: %s", db.password_file,
                err ? err : "cannot be read");
            return 2;
        }
    }
    /* One writer of a directory at a time. */
    lockfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lockfd < 0) {
        say(3, "CR1056", "--dir %s: %s", dir, strerror(errno));
        return 1;
    }
    if (flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        say(3, "CR1056", "--dir %s: another credit-dump is writing there", dir);
        close(lockfd);
        return 1;
    }
    if (credit_db_library_init() != CREDIT_OK ||
        credit_dbpool_create(p, &db, &sizes, core_log, NULL, &dbpool) != CREDIT_OK ||
        !(copies = credit_copies_create(p, 1000)) || credit_copies_add(copies, &db) != 0 ||
        apr_pool_create(&sp, p) != APR_SUCCESS) {
        say(3, "CR1057", "cannot start the database client");
        close(lockfd);
        return 1;
    }
    /* The primary alone (a dump reads from the database it is given); the
     * store's connection goes back to the pool with sp, before the pool
     * itself is destroyed with p. */
    credit_copies_set_pool(copies, 0, dbpool);
    {
        credit_store_open_t o = {.pool = sp,
                                 .today =
                                     credit_date_from_unix((long long)apr_time_sec(apr_time_now())),
                                 .copies = copies};
        rv = dump(sp, credit_store_maria_open(&o), dir, url_base, keep);
    }
    apr_pool_destroy(sp);
    close(lockfd);
    return rv;
}

static int dump(apr_pool_t *p, credit_store_t *store, const char *dir, const char *url_base,
                int keep)
{
    credit_feed_head_t head;
    credit_filter_t f;
    credit_filter_error_t ferr = {0};
    credit_date_t today = store->today;
    apr_array_header_t *add, *old, *kept, *dropped;
    apr_time_exp_t now;
    dump_t d;
    const char *names[CREDIT_DUMP_FORMATS], *generated, *index_path;
    char sums[CREDIT_DUMP_FORMATS][65], hex[17], day[16];
    credit_status_t rv;
    int k, mine;

    if (credit_filter_parse(p, apr_table_make(p, 1), 20, &f, &ferr) != CREDIT_OK)
        return 1;

    /* The feed follows the clock (expiries, disclosures of today) first. */
    if (store->ops->feed_catch_up(store) != CREDIT_OK)
        say(4, "CR1058",
            "could not run record_expiries() (GRANT EXECUTE ON PROCEDURE record_expiries): "
            "the dump is checked against the feed as it is");

    memset(&d, 0, sizeof d);
    d.url_base = url_base;
    if (apr_pool_create(&d.row, p) != APR_SUCCESS)
        return 1;
    if ((rv = store->ops->begin_snapshot(store, &head)) != CREDIT_OK) {
        say(3, "CR1059", "cannot start a snapshot of the database (%d)", (int)rv);
        return 1;
    }
    for (k = 0; k < CREDIT_DUMP_FORMATS; k++) {
        const char *tmp =
            apr_psprintf(p, "%s/" TMP_PREFIX "%ld-%s", dir, (long)getpid(),
                         credit_dump_file_name(p, today, head.seq, (credit_dump_format_t)k));
        names[k] = credit_dump_file_name(p, today, head.seq, (credit_dump_format_t)k);
        if (gz_open(&d.out[k], tmp) != 0) {
            say(3, "CR1060", "%s: %s", tmp, strerror(errno));
            while (k >= 0)
                gz_abandon(&d.out[k--]);
            return 1;
        }
    }
    if (credit_export_csv_start(gz_write, &d.out[CREDIT_DUMP_CSV]) != 0)
        rv = CREDIT_EINTERNAL;
    else
        rv = store->ops->each_record(store, &f, -1, CREDIT_DETAIL_FULL, each, &d);
    if (rv == CREDIT_OK)
        rv = store->ops->end_snapshot(store);
    for (k = 0; k < CREDIT_DUMP_FORMATS; k++)
        if (rv == CREDIT_OK && gz_close(&d.out[k], sums[k]) != 0) {
            say(3, "CR1060", "%s: %s", d.out[k].tmp, strerror(errno));
            rv = CREDIT_EINTERNAL;
        }
    if (rv == CREDIT_OK &&
        (d.rows != head.records || strcmp(credit_dump_hex64(d.checksum, hex), head.checksum))) {
        say(3, "CR1061",
            "the public records (%lld, checksum %s) are not the change feed's public set at "
            "version %llu (%lld, checksum %s): nothing published; run CALL record_expiries() "
            "and try again, or see docs/MIRRORING.md",
            d.rows, credit_dump_hex64(d.checksum, hex), head.seq, head.records, head.checksum);
        rv = CREDIT_EINTERNAL;
    }
    if (rv != CREDIT_OK) {
        say(3, "CR1062", "dump of %s failed after %lld records", dir, d.rows);
        for (k = 0; k < CREDIT_DUMP_FORMATS; k++)
            gz_abandon(&d.out[k]);
        return 1;
    }

    /* The files into place, then the index that lists them. */
    apr_time_exp_tz(&now, apr_time_now(), 8 * 3600);
    generated = apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", now.tm_year + 1900,
                             now.tm_mon + 1, now.tm_mday, now.tm_hour, now.tm_min, now.tm_sec);
    add = apr_array_make(p, CREDIT_DUMP_FORMATS, sizeof(credit_dump_entry_t));
    for (k = 0; k < CREDIT_DUMP_FORMATS; k++) {
        credit_dump_entry_t *e = apr_array_push(add);
        e->date = today;
        e->version = head.seq;
        e->format = (credit_dump_format_t)k;
        e->file = names[k];
        e->rows = d.rows;
        e->bytes = d.out[k].bytes;
        e->sha256 = apr_pstrdup(p, sums[k]);
        e->records = head.records;
        e->checksum = head.checksum;
        e->generated_at = generated;
        if (rename(d.out[k].tmp, apr_pstrcat(p, dir, "/", names[k], NULL)) != 0) {
            say(3, "CR1060", "%s: %s", names[k], strerror(errno));
            for (; k < CREDIT_DUMP_FORMATS; k++)
                gz_abandon(&d.out[k]);
            return 1;
        }
        d.out[k].tmp = NULL;
    }
    index_path = apr_pstrcat(p, dir, "/index.json", NULL);
    old = index_read(p, index_path);
    kept = credit_dump_index_merge(p, old, add, keep, &dropped);
    for (mine = 0, k = 0; k < kept->nelts; k++)
        mine += strcmp(APR_ARRAY_IDX(kept, k, credit_dump_entry_t).file, names[0]) == 0;
    if (!mine) {
        say(3, "CR1063",
            "the index lists dumps of a later date than today (%s): is the clock "
            "right? nothing published",
            credit_date_fmt(today, day));
        tidy(p, dir, kept);
        return 1;
    }
    {
        json_object *o = credit_json_new(p);
        size_t n = 0;
        const char *text;
        json_object_object_add(o, "dumps", credit_dump_index_array(kept, p, NULL));
        text = json_object_to_json_string_length(
            o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        if (!text || write_file(apr_pstrcat(p, dir, "/" TMP_PREFIX "index.json", NULL), index_path,
                                apr_pstrcat(p, text, "\n", NULL), n + 1) != 0) {
            say(3, "CR1064", "%s: %s", index_path, strerror(errno));
            return 1;
        }
    }
    sync_dir(dir);
    tidy(p, dir, kept);
    printf("dump of %s, version %llu: %lld records, checksum %s; %s %lld bytes, %s %lld bytes;"
           " %d files listed in %s\n",
           credit_date_fmt(today, day), head.seq, d.rows, head.checksum, names[0], d.out[0].bytes,
           names[1], d.out[1].bytes, kept->nelts, index_path);
    fflush(stdout);
    return 0;
}
