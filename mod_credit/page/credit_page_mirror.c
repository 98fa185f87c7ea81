/* credit_page_mirror.c: what mirrors of the public records read (issue 14):
 * the change feed /api/v1/changes and the index of the daily dumps
 * /api/v1/dumps (docs/MIRRORING.md). */
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_file_io.h>

#include "credit_page.h"
#include "credit_json.h"
#include "credit_dump.h"
#include "credit_validate.h"
#include "credit_dsn.h"

#define CHANGES_DEFAULT 100
#define CHANGES_MAX     1000

static credit_status_t reply(credit_req_t *rq, json_object *o)
{
    rq->status = 200;
    rq->content_type = "application/json; charset=utf-8";
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return CREDIT_OK;
}

static json_object *seq_text(credit_req_t *rq, unsigned long long seq)
{
    return json_object_new_string(apr_psprintf(rq->pool, "%" APR_UINT64_T_FMT, (apr_uint64_t)seq));
}

/* Parses since: a sequence number (resume right after it) or a date /
 * date-time (Beijing) to start from. On a bad value the response is the
 * 400 and CREDIT_EINVAL is returned. */
static credit_status_t since_parse(credit_req_t *rq, const char *since, unsigned long long *after)
{
    credit_date_t d;
    int hh, mm, ss, used = 0;
    *after = 0;
    if (!since || !*since || strcmp(since, "0") == 0 || credit_id_parse(since, after))
        return CREDIT_OK;
    if (strlen(since) >= 10 && credit_date_parse(apr_pstrndup(rq->pool, since, 10), &d) &&
        (since[10] == '\0' ||
         (sscanf(since + 10, "%*[ T]%2d:%2d:%2d%n", &hh, &mm, &ss, &used) == 3 &&
          since[10 + used] == '\0' && hh < 24 && mm < 60 && ss < 60))) {
        const char *at =
            since[10] ? apr_psprintf(rq->pool, "%.10s %02d:%02d:%02d", since, hh, mm, ss) : since;
        return rq->store->ops->changes_seq_before(rq->store, at, after);
    }
    credit_page_error(rq, 400, "bad_parameter",
                      "since: a sequence number (next_since) or YYYY-MM-DD[THH:MM:SS]");
    return CREDIT_EINVAL;
}

/* GET /api/v1/changes?since=: the delta feed in order. Each entry says
 * what happened (op ADD MOD DEL and its reason) and what the public set is
 * after it (records, checksum); an ADD or MOD carries the record's digest,
 * a DEL its tombstone (number, state, date) and nothing else. The answer
 * also gives the end of the feed (version) and the set at next_since.
 * Its ETag follows the end of the feed only: a poll with the ETag of the
 * last answer is a 304 until an entry is added, and a poll at the end
 * (since = version) reads one row. */
credit_status_t credit_page_api_changes(credit_req_t *rq)
{
    const char *since = apr_table_get(rq->args, "since");
    const char *lim = apr_table_get(rq->args, "limit");
    unsigned long long after = 0;
    unsigned long n = CHANGES_DEFAULT;
    apr_array_header_t *changes = NULL;
    credit_feed_head_t head;
    credit_status_t rv;
    json_object *o, *items, *set_records = NULL, *set_checksum = NULL;
    int i, fresh;
    const char *ub = apr_pstrcat(rq->pool, rq->origin, rq->base, NULL);

    if (lim && *lim && !credit_parse_uint(lim, 1, CHANGES_MAX, &n)) {
        credit_page_error(rq, 400, "bad_parameter", "limit: a number from 1 to 1000");
        return CREDIT_EINVAL;
    }
    if ((rv = since_parse(rq, since, &after)) != CREDIT_OK)
        return rv;
    if ((rv = rq->store->ops->feed_head(rq->store, &head)) != CREDIT_OK)
        return rv;
    rv = credit_page_validators_for(rq,
                                    apr_psprintf(rq->pool, "W/\"f%" APR_UINT64_T_FMT "-%s\"",
                                                 (apr_uint64_t)head.seq, rq->build_id),
                                    head.changed_at, 0, &fresh);
    if (rv != CREDIT_OK || fresh)
        return rv;
    /* Nothing after the end: no read of the feed. */
    if (after < head.seq &&
        (rv = rq->store->ops->changes(rq->store, after, (int)n + 1, &changes)) != CREDIT_OK)
        return rv;
    if (after == head.seq) {
        set_records = json_object_new_int64(head.records);
        set_checksum = json_object_new_string(head.checksum);
    }
    o = credit_json_new(rq->pool);
    items = json_object_new_array();
    for (i = 0; changes && i < changes->nelts && i < (int)n; i++) {
        credit_change_t *c = &APR_ARRAY_IDX(changes, i, credit_change_t);
        json_object *it = json_object_new_object();
        json_object_object_add(it, "seq", json_object_new_int64((int64_t)c->seq));
        credit_json_str(it, "op", c->op);
        credit_json_str(it, "reason", c->reason);
        credit_json_str(it, "no", c->record_no);
        credit_json_str(it, "url",
                        apr_pstrcat(rq->pool, ub, "/api/v1/records/", c->record_no, NULL));
        credit_json_str(it, "at", c->at);
        if (c->op && strcmp(c->op, "DEL") == 0) {
            /* the tombstone of /api/v1/records/{no}: no personal data */
            json_object *t = json_object_new_object();
            credit_json_str(t, "no", c->record_no);
            credit_json_str(t, "state", c->tomb_state);
            credit_json_str(t, "on", c->tomb_on);
            json_object_object_add(it, "record", t);
        } else {
            credit_json_str(it, "digest", c->digest);
        }
        json_object_object_add(it, "records",
                               c->records >= 0 ? json_object_new_int64(c->records) : NULL);
        credit_json_str(it, "checksum", c->checksum);
        json_object_array_add(items, it);
        after = c->seq;
        if (set_records)
            json_object_put(set_records);
        if (set_checksum)
            json_object_put(set_checksum);
        set_records = c->records >= 0 ? json_object_new_int64(c->records) : NULL;
        set_checksum = c->checksum ? json_object_new_string(c->checksum) : NULL;
    }
    json_object_object_add(o, "changes", items);
    json_object_object_add(o, "next_since", seq_text(rq, after));
    json_object_object_add(o, "more", json_object_new_boolean(changes && changes->nelts > (int)n));
    json_object_object_add(o, "version", seq_text(rq, head.seq));
    json_object_object_add(o, "records", set_records);
    json_object_object_add(o, "checksum", set_checksum);
    return reply(rq, o);
}

/* GET /api/v1/dumps: the index of the daily dumps (CreditDumpDir's
 * index.json, written by credit-dump) with each file's URL; an empty list
 * when the portal publishes none (no CreditDumpDir, no dump yet). The ETag
 * follows the index file. */
credit_status_t credit_page_api_dumps(credit_req_t *rq)
{
    apr_array_header_t *entries = apr_array_make(rq->pool, 1, sizeof(credit_dump_entry_t));
    const char *path = NULL, *files_url, *err;
    apr_finfo_t fi;
    apr_status_t st = APR_ENOENT;
    credit_status_t rv;
    json_object *o;
    int fresh;

    if (rq->dump_dir) {
        path = apr_pstrcat(rq->pool, rq->dump_dir, "/index.json", NULL);
        st = apr_stat(&fi, path, APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_TYPE, rq->pool);
        if (st == APR_SUCCESS && (fi.filetype != APR_REG || fi.size > CREDIT_DUMP_INDEX_MAX)) {
            credit_req_log(rq, 3, "CR1050", "dump index %s: not a file of at most 1 MB", path);
            return CREDIT_EINTERNAL;
        }
        if (st != APR_SUCCESS && !APR_STATUS_IS_ENOENT(st)) {
            credit_req_log(rq, 3, "CR1051", "dump index %s: cannot be read (%d)", path, st);
            return CREDIT_EINTERNAL;
        }
    }
    rv = credit_page_validators_for(
        rq,
        st == APR_SUCCESS
            ? apr_psprintf(rq->pool, "W/\"d%" APR_INT64_T_FMT "-%" APR_INT64_T_FMT "-%s\"",
                           (apr_int64_t)fi.mtime, (apr_int64_t)fi.size, rq->build_id)
            : apr_psprintf(rq->pool, "W/\"d0-%s\"", rq->build_id),
        NULL, 0, &fresh);
    if (rv != CREDIT_OK || fresh)
        return rv;
    if (st == APR_SUCCESS) {
        char *text = apr_palloc(rq->pool, (apr_size_t)fi.size + 1);
        apr_size_t got = 0;
        apr_file_t *f;
        st = apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, rq->pool);
        if (st == APR_SUCCESS) {
            st = apr_file_read_full(f, text, (apr_size_t)fi.size, &got);
            apr_file_close(f);
        }
        if (st != APR_SUCCESS && !APR_STATUS_IS_EOF(st)) {
            credit_req_log(rq, 3, "CR1051", "dump index %s: cannot be read (%d)", path, st);
            return CREDIT_EINTERNAL;
        }
        text[got] = '\0';
        if ((err = credit_dump_index_parse(rq->pool, text, got, &entries)) != NULL) {
            credit_req_log(rq, 3, "CR1052", "dump index %s: %s", path, err);
            return CREDIT_EINTERNAL;
        }
    }
    files_url =
        rq->dump_url ? rq->dump_url : apr_pstrcat(rq->pool, rq->origin, rq->base, "/dumps/", NULL);
    if (files_url[0] == '/')
        files_url = apr_pstrcat(rq->pool, rq->origin, files_url, NULL);
    o = credit_json_new(rq->pool);
    json_object_object_add(o, "dumps", credit_dump_index_array(entries, rq->pool, files_url));
    return reply(rq, o);
}
