/* credit_lines.c: a district's rendered CSV lines in a file, and the export
 * of any of its filters read back from it (credit_lines.h).
 *
 * The file: a header (magic, the lines' length, the count), the lines, padded
 * to 16 bytes, then count + 1 index entries of 16 bytes (the last one only
 * marks the end of the last line). Integers are the machine's own: the file
 * is a cache of this host, never copied elsewhere. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_file_io.h>
#include <apr_portable.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "credit_lines.h"
#include "credit_export.h"
#include "credit_rules.h"

#define MAGIC       "CRLINES1"
#define HEADER      32
#define ANY         0xFFu /* a filter not set; also a value outside its enumeration */
#define TMP_MARK    ".tmp."
#define TMP_MAX_AGE apr_time_from_sec(60)

typedef struct {
    char magic[8];
    uint64_t data_len; /* the lines' bytes */
    uint64_t count;    /* the lines */
    uint64_t reserved;
} header_t;

typedef struct {
    uint32_t off;   /* of the line, from the first line */
    uint32_t ymd;   /* its disclosure date, y * 10000 + m * 100 + d */
    uint8_t no_len; /* the number: the line's first cell, as it is */
    uint8_t kind, category, domain, severity, status;
    uint8_t pad[2];
} entry_t;

struct credit_lines_writer {
    apr_pool_t *pool;
    apr_file_t *file;
    const char *path, *tmp;
    apr_array_header_t *index; /* of entry_t */
    credit_csv_buf_t line;
    uint64_t len;
    int committed;
};

struct credit_lines {
    apr_pool_t *pool;
    int fd;
    const entry_t *index;
    size_t count;
};

#define READ_BLOCK (256 * 1024) /* lines read at once (more for one longer line) */
#define READ_GAP   (16 * 1024)  /* lines not asked for that are read rather than skipped */

int credit_lines_answer(const credit_filter_t *f)
{
    return f->district && !f->q && (f->sort == CREDIT_SORT_NEWEST || f->sort == CREDIT_SORT_OLDEST);
}

const char *credit_lines_path(apr_pool_t *p, const char *dir, const char *district,
                              unsigned long long version, long long changed, credit_date_t day,
                              const char *build_id)
{
    char *build = apr_pstrdup(p, build_id ? build_id : ""), *c;
    for (c = build; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-' || *c == '_'))
            *c = '_';
    return apr_psprintf(p, "%s/%s-%" APR_UINT64_T_FMT "-%04d%02d%02d-%" APR_INT64_T_FMT "-%s.lines",
                        dir, district, (apr_uint64_t)version, day.y, day.m, day.d,
                        (apr_int64_t)changed, build);
}

static uint8_t code_of(const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    return it && (size_t)(it - e->items) < ANY ? (uint8_t)(it - e->items) : ANY;
}

static uint32_t ymd(credit_date_t d)
{
    return d.y > 0 ? (uint32_t)(d.y * 10000 + d.m * 100 + d.d) : 0;
}

/* Where the index starts: after the header and the lines, padded to 16. */
static uint64_t index_start(uint64_t data_len)
{
    return HEADER + (data_len + 15) / 16 * 16;
}

static apr_status_t remove_tmp(void *data)
{
    credit_lines_writer_t *w = data;
    if (!w->committed)
        apr_file_remove(w->tmp, w->pool);
    return APR_SUCCESS;
}

credit_status_t credit_lines_create(apr_pool_t *p, const char *path, credit_lines_writer_t **out)
{
    credit_lines_writer_t *w = apr_pcalloc(p, sizeof *w);
    header_t h;
    char *tmp = apr_pstrcat(p, path, TMP_MARK, "XXXXXX", NULL);

    w->pool = p;
    w->path = path;
    if (apr_file_mktemp(&w->file, tmp,
                        APR_FOPEN_CREATE | APR_FOPEN_READ | APR_FOPEN_WRITE | APR_FOPEN_EXCL |
                            APR_FOPEN_BUFFERED,
                        p) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    w->tmp = tmp;
    apr_pool_cleanup_register(p, w, remove_tmp, apr_pool_cleanup_null);
    apr_file_buffer_set(w->file, apr_palloc(p, 256 * 1024), 256 * 1024);
    w->index = apr_array_make(p, 4096, sizeof(entry_t));
    credit_csv_buf_init(&w->line, p);
    memset(&h, 0, sizeof h); /* written again at the commit */
    if (apr_file_write_full(w->file, &h, sizeof h, NULL) != APR_SUCCESS)
        return CREDIT_EINTERNAL;
    *out = w;
    return CREDIT_OK;
}

int credit_lines_add(void *writer, const credit_record_t *r)
{
    credit_lines_writer_t *w = writer;
    credit_export_buf_t buf;
    const char *f[CREDIT_EXPORT_COLS];
    entry_t *e;
    size_t no_len = r->record_no ? strlen(r->record_no) : 0;
    int rv;

    credit_export_values(r, NULL, &buf, f);
    f[1] = NULL; /* the permanent link: per request */
    w->line.len = 0;
    if ((rv = credit_export_csv_cells(credit_csv_buf_write, &w->line, f)) != 0)
        return rv;
    /* The number must be its cell as it is ("TJZW-2024-000001,,..."): the
     * link is made of it. A number that a cell quotes cannot be kept. */
    if (!no_len || no_len > 255 || w->line.len < no_len + 2 ||
        memcmp(w->line.data, r->record_no, no_len) != 0 || w->line.data[no_len] != ',' ||
        w->line.data[no_len + 1] != ',' || w->len + w->line.len > UINT32_MAX)
        return -1;
    e = apr_array_push(w->index);
    memset(e, 0, sizeof *e);
    e->off = (uint32_t)w->len;
    e->ymd = ymd(r->clock.disclosed);
    e->no_len = (uint8_t)no_len;
    e->kind = code_of(&credit_kinds, r->subject.kind);
    e->category = code_of(&credit_categories, r->category);
    e->domain = code_of(&credit_domains, r->domain);
    e->severity = code_of(&credit_severities, r->severity);
    e->status = code_of(&credit_statuses, r->status);
    if (apr_file_write_full(w->file, w->line.data, w->line.len, NULL) != APR_SUCCESS)
        return -1;
    w->len += w->line.len;
    return 0;
}

credit_status_t credit_lines_commit(credit_lines_writer_t *w)
{
    static const char zeros[16];
    header_t h;
    entry_t *end = apr_array_push(w->index);
    apr_off_t start = 0;
    size_t pad = (size_t)(index_start(w->len) - HEADER - w->len);

    memset(end, 0, sizeof *end);
    end->off = (uint32_t)w->len;
    memcpy(h.magic, MAGIC, sizeof h.magic);
    h.data_len = w->len;
    h.count = (uint64_t)w->index->nelts - 1;
    h.reserved = 0;
    if (apr_file_write_full(w->file, zeros, pad, NULL) != APR_SUCCESS ||
        apr_file_write_full(w->file, w->index->elts, (apr_size_t)w->index->nelts * sizeof(entry_t),
                            NULL) != APR_SUCCESS ||
        apr_file_seek(w->file, APR_SET, &start) != APR_SUCCESS ||
        apr_file_write_full(w->file, &h, sizeof h, NULL) != APR_SUCCESS ||
        apr_file_close(w->file) != APR_SUCCESS || apr_file_rename(w->tmp, w->path, w->pool))
        return CREDIT_EINTERNAL; /* (the cleanup removes the temporary file) */
    w->committed = 1;
    return CREDIT_OK;
}

/* Reads len bytes at off; 0, or -1 when the file ends before or fails. */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
    char *b = buf;
    while (len > 0) {
        ssize_t n = pread(fd, b, len, (off_t)off);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return -1;
        }
        b += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

/* The file is read, not mapped: a mapping faults its pages into every
 * process that reads them, and on a virtual machine each fault cost more
 * than the copy a read makes (docs/BENCH.md, "A district's lines"). */
credit_status_t credit_lines_open(apr_pool_t *p, const char *path, credit_lines_t **out)
{
    apr_file_t *file;
    apr_finfo_t fi;
    apr_os_file_t fd;
    apr_status_t st;
    header_t h;
    credit_lines_t *l;
    uint64_t index_at;
    entry_t *index;

    if ((st = apr_file_open(&file, path, APR_FOPEN_READ, 0, p)) != APR_SUCCESS)
        return APR_STATUS_IS_ENOENT(st) ? CREDIT_ENOTFOUND : CREDIT_EINTERNAL;
    if (apr_file_info_get(&fi, APR_FINFO_SIZE, file) != APR_SUCCESS || fi.size < HEADER ||
        apr_os_file_get(&fd, file) != APR_SUCCESS || read_at(fd, &h, sizeof h, 0) != 0)
        return CREDIT_EINTERNAL;
    index_at = index_start(h.data_len);
    if (memcmp(h.magic, MAGIC, sizeof h.magic) != 0 || h.data_len > UINT32_MAX ||
        h.count > UINT32_MAX || index_at + (h.count + 1) * sizeof(entry_t) != (uint64_t)fi.size)
        return CREDIT_EINTERNAL;
    index = apr_palloc(p, (apr_size_t)(h.count + 1) * sizeof(entry_t));
    if (read_at(fd, index, (size_t)(h.count + 1) * sizeof(entry_t), index_at) != 0 ||
        index[h.count].off != h.data_len)
        return CREDIT_EINTERNAL;
    l = apr_palloc(p, sizeof *l);
    l->pool = p;
    l->fd = fd;
    l->index = index;
    l->count = (size_t)h.count;
    *out = l;
    return CREDIT_OK;
}

typedef struct {
    uint8_t kind, category, domain, severity, status;
    uint32_t from, to;
} want_t;

static int wanted(const entry_t *e, const credit_filter_t *f, const want_t *w)
{
    /* (A filter set to a value outside its enumeration matches nothing, as
     * its equality in SQL would.) */
    return !((f->kind && e->kind != w->kind) || (f->category && e->category != w->category) ||
             (f->domain && e->domain != w->domain) || (f->severity && e->severity != w->severity) ||
             (f->status && e->status != w->status) || e->ymd < w->from || e->ymd > w->to);
}

int credit_lines_each(const credit_lines_t *l, const credit_filter_t *f, const char *url_base,
                      credit_write_fn *write, void *ctx, long long *rows)
{
    want_t w;
    int oldest = f->sort == CREDIT_SORT_OLDEST;
    char url[sizeof(((credit_export_buf_t *)0)->url)];
    size_t k, n, stem, cap = READ_BLOCK;
    char *block = apr_palloc(l->pool, cap);
    int rv;

    w.kind = f->kind ? code_of(&credit_kinds, f->kind) : ANY;
    w.category = f->category ? code_of(&credit_categories, f->category) : ANY;
    w.domain = f->domain ? code_of(&credit_domains, f->domain) : ANY;
    w.severity = f->severity ? code_of(&credit_severities, f->severity) : ANY;
    w.status = f->status ? code_of(&credit_statuses, f->status) : ANY;
    w.from = ymd(f->from);
    w.to = f->to.y ? ymd(f->to) : UINT32_MAX;
    /* url_base + "/records/", cut at the buffer's end as apr_snprintf cuts */
    apr_snprintf(url, sizeof url, "%s/records/", url_base ? url_base : "");
    stem = strlen(url);
    *rows = 0;
    /* Matching lines near each other in the file (newest first) are read
     * at once, up to a block, with the lines between them when those are
     * fewer than READ_GAP bytes (a read costs more than copying that), then
     * written in the asked order. */
    for (k = 0; k < l->count;) {
        size_t first = oldest ? l->count - 1 - k : k, last = first, a, b, j;
        uint64_t start, len;
        if (!wanted(&l->index[first], f, &w)) {
            k++;
            continue;
        }
        for (k++; k < l->count; k++) {
            size_t next = oldest ? l->count - 1 - k : k;
            uint64_t gap = oldest ? l->index[last].off - l->index[next + 1].off
                                  : l->index[next].off - l->index[last + 1].off;
            uint64_t span = oldest ? l->index[first + 1].off - l->index[next].off
                                   : l->index[next + 1].off - l->index[first].off;
            if (gap > READ_GAP || span > cap)
                break;
            if (wanted(&l->index[next], f, &w))
                last = next;
        }
        a = oldest ? last : first;
        b = (oldest ? first : last) + 1;
        start = l->index[a].off;
        len = l->index[b].off - start;
        if (len > cap) /* one line longer than a block */
            block = apr_palloc(l->pool, cap = (size_t)len);
        if (read_at(l->fd, block, (size_t)len, HEADER + start) != 0)
            return -1;
        for (j = 0; j < b - a; j++) {
            const entry_t *e = &l->index[oldest ? b - 1 - j : a + j];
            const char *line = block + (e->off - start);
            size_t line_len = e[1].off - e->off;
            if (!wanted(e, f, &w))
                continue;
            /* The link as credit_export_values makes it, cut where it cuts
             * (the number is not NUL-terminated: copied, not formatted). */
            n = stem + e->no_len < sizeof url - 1 ? e->no_len : sizeof url - 1 - stem;
            memcpy(url + stem, line, n);
            url[stem + n] = '\0';
            if ((rv = write(ctx, line, e->no_len + 1u)) != 0 ||
                (rv = credit_csv_field(write, ctx, url, CREDIT_CSV_TEXT)) != 0 ||
                (rv = write(ctx, line + e->no_len + 1, line_len - e->no_len - 1)) != 0)
                return rv;
            (*rows)++;
        }
    }
    return 0;
}

/* The data version and day in a file's name after its district's prefix;
 * 0 when it is not such a name. */
static int name_key(const char *rest, unsigned long long *version, unsigned long *day)
{
    char *end;
    *version = strtoull(rest, &end, 10);
    if (end == rest || *end != '-')
        return 0;
    rest = end + 1;
    *day = strtoul(rest, &end, 10);
    return end - rest == 8 && *end == '-';
}

void credit_lines_sweep(apr_pool_t *p, const char *dir, const char *district, const char *keep)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    const char *prefix = apr_pstrcat(p, district, "-", NULL);
    const char *kept = strrchr(keep, '/') ? strrchr(keep, '/') + 1 : keep;
    size_t plen = strlen(prefix);
    apr_time_t now = apr_time_now();
    unsigned long long version, v;
    unsigned long day, dd;

    if (strncmp(kept, prefix, plen) != 0 || !name_key(kept + plen, &version, &day) ||
        apr_dir_open(&d, dir, p) != APR_SUCCESS)
        return;
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_MTIME | APR_FINFO_TYPE, d) == APR_SUCCESS) {
        size_t n = strlen(fi.name);
        int drop;
        if (fi.filetype != APR_REG || strncmp(fi.name, prefix, plen) != 0 ||
            strcmp(fi.name, kept) == 0)
            continue;
        if (strstr(fi.name, TMP_MARK))
            drop = now - fi.mtime > TMP_MAX_AGE; /* left by a crash */
        else
            /* Older than the kept file, or another build of the same: a
             * newer one (made meanwhile by another process) stays. */
            drop = n > 6 && strcmp(fi.name + n - 6, ".lines") == 0 &&
                   name_key(fi.name + plen, &v, &dd) && (dd < day || (dd == day && v <= version));
        if (drop)
            apr_file_remove(apr_pstrcat(p, dir, "/", fi.name, NULL), p);
    }
    apr_dir_close(d);
}
