/* test_pages.c: the pages as a visitor and a staff member see them, run
 * through the page layer (credit_page_dispatch, credit_admin_dispatch)
 * against the in-memory store (credit_store_memory.c) and the real
 * templates, with no httpd and no database: the request's callbacks are
 * test doubles (a stream that collects the bytes, a log that keeps the
 * lines, a client whose copy is never current). */
#include <string.h>
#include <apr_strings.h>
#include <json.h>

#include "unit.h"
#include "credit_page.h"
#include "credit_admin.h"
#include "credit_filter.h"
#include "credit_store_memory.h"
#include "credit_token.h"

/* The templates of the checkout (make unit runs from its top). */
#define TEMPLATES "templates"
#define KEY       "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"

static credit_memory_t *mem;
static credit_templates_t *templates;
static credit_keys_t keys;
static credit_date_t today = {2026, 12, 5};
static long long now_sec;

typedef struct {
    char *buf;
    apr_size_t len;
    int calls;
} sink_t;

static int collect(credit_req_t *rq, const char *buf, apr_size_t len)
{
    sink_t *k = rq->stream_state;
    k->buf = k->buf ? apr_pstrcat(rq->pool, k->buf, apr_pstrndup(rq->pool, buf, len), NULL)
                    : apr_pstrndup(rq->pool, buf, len);
    k->len += len;
    k->calls++;
    rq->streaming = 1;
    return 0;
}

static int never_fresh(credit_req_t *rq, const char *etag, long long mtime)
{
    apr_table_set(rq->headers, "ETag", etag);
    return 0;
}

/* A client whose copy is current: what the page's validators were. */
static long long seen_mtime = -1;
static const char *seen_etag;

static int fresh_copy(credit_req_t *rq, const char *etag, long long mtime)
{
    seen_mtime = mtime;
    seen_etag = etag;
    return 1;
}

static void quiet(void *baton, int level, const char *id, const char *msg)
{
}

static credit_record_t *record(const char *no, unsigned long long id, unsigned long long subject,
                               const char *district, const char *category, const char *severity,
                               const char *status, const char *title, credit_date_t disclosed)
{
    credit_record_t *r = apr_pcalloc(unit_pool, sizeof *r);
    r->id = id;
    r->record_no = no;
    r->subject.id = subject;
    r->subject.name = apr_psprintf(unit_pool, "天津市测试单位%d", (int)subject);
    r->subject.kind = "gov";
    r->subject.credit_code = "11120000MB0000000X";
    r->subject.district = district;
    r->subject.level = "district";
    r->category = category;
    r->domain = "procurement";
    r->severity = severity;
    r->status = status;
    r->title = title;
    r->facts = "事实经过";
    r->legal_basis = "法律依据";
    r->decision_no = apr_psprintf(unit_pool, "津测〔2026〕%d号", (int)id);
    r->authority = "天津市测试局";
    r->decided_on = "2026-10-01";
    r->department = "测试局";
    r->updated_at = "2026-11-01 09:00:00";
    ck_assert_int_eq(credit_clock(severity, disclosed, &r->clock), CREDIT_OK);
    if (credit_status_withdrawn(status))
        r->withdrawn_on = "2026-11-20";
    return r;
}

static void pages_setup(void)
{
    const char *err = NULL;
    credit_staff_t *st;
    unit_setup();
    now_sec = 1796457600; /* 2026-12-05 16:00 in Beijing */
    mem = credit_memory_new(unit_pool);
    ck_assert_int_eq(credit_templates_open(unit_pool, TEMPLATES, &templates, &err), CREDIT_OK);
    ck_assert_ptr_null(credit_keys_parse(unit_pool, KEY, &keys));
    credit_memory_add_record(mem,
                             record("TJZW-2026-000001", 1, 101, "heping", "penalty", "general",
                                    "published", "违规采购甲案", (credit_date_t){2026, 11, 1}),
                             NULL, 7);
    credit_memory_add_record(mem,
                             record("TJZW-2026-000002", 2, 102, "hexi", "breach", "minor",
                                    "contested", "合同违约乙案", (credit_date_t){2026, 11, 10}),
                             NULL, 8);
    credit_memory_add_record(mem,
                             record("TJZW-2026-000003", 3, 103, "heping", "penalty", "general",
                                    "revoked", "已撤销丙案", (credit_date_t){2026, 10, 1}),
                             NULL, 7);
    credit_memory_add_record(mem,
                             record("TJZW-2026-000004", 4, 101, "heping", "penalty", "general",
                                    "published", "尚未公示丁案", (credit_date_t){2026, 12, 20}),
                             NULL, 7);
    st = apr_pcalloc(unit_pool, sizeof *st);
    st->username = "staff-heping";
    st->name = "和平区工作人员";
    st->department_id = 7;
    credit_memory_add_staff(mem, st);
}

/* A request for path?query as the glue makes one (form: a POST's fields). */
static credit_req_t *request(const char *path, const char *query, apr_table_t *form)
{
    credit_req_t *rq = apr_pcalloc(unit_pool, sizeof *rq);
    credit_store_open_t o = {.pool = unit_pool, .today = today};
    apr_table_t *args = NULL;
    rq->pool = unit_pool;
    rq->base = "/credit";
    rq->origin = "https://credit.example";
    rq->path = path;
    rq->lang = "zh-CN";
    rq->headers = apr_table_make(unit_pool, 8);
    ck_assert_int_eq(credit_args_parse(unit_pool, query, &args), CREDIT_OK);
    rq->args = args;
    ck_assert_int_eq(credit_route_match(unit_pool, path, &rq->route), CREDIT_OK);
    rq->today = today;
    rq->now = now_sec;
    rq->page_size = 20;
    rq->count_bound = 10000;
    rq->build_id = "test";
    rq->store = credit_store_memory_open(mem, &o);
    rq->templates = templates;
    rq->log = quiet;
    rq->not_modified = never_fresh;
    rq->stream = collect;
    rq->stream_state = apr_pcalloc(unit_pool, sizeof(sink_t));
    rq->keys = &keys;
    rq->client_ip = "192.0.2.1";
    rq->min_fill = 3;
    rq->max_age = 3600;
    rq->post = form != NULL;
    rq->form = form;
    return rq;
}

/* What the visitor receives: the body, or the streamed bytes. */
static const char *body(credit_req_t *rq)
{
    sink_t *k = rq->stream_state;
    if (k->calls)
        return k->buf;
    return rq->body ? apr_pstrndup(rq->pool, rq->body, rq->body_len) : "";
}

static credit_req_t *get(const char *path, const char *query)
{
    credit_req_t *rq = request(path, query, NULL);
    credit_page_dispatch(rq);
    return rq;
}

#define ck_has(hay, needle)                                                                        \
    ck_assert_msg(strstr((hay), (needle)) != NULL, "no %s in: %.400s", (needle), (hay))
#define ck_lacks(hay, needle)                                                                      \
    ck_assert_msg(strstr((hay), (needle)) == NULL, "%s in: %.400s", (needle), (hay))

START_TEST(record_page)
{
    credit_req_t *rq = get("/records/TJZW-2026-000001", NULL);
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_assert_str_eq(rq->content_type, "text/html; charset=utf-8");
    ck_has(b, "违规采购甲案");
    ck_has(b, "TJZW-2026-000001");
    ck_has(b, "天津市测试单位101");
    ck_assert_ptr_nonnull(apr_table_get(rq->headers, "ETag"));
}
END_TEST

START_TEST(record_page_withdrawn_unknown_and_not_yet)
{
    credit_req_t *rq = get("/records/TJZW-2026-000003", NULL);
    ck_assert_int_eq(rq->status, 410);
    ck_lacks(body(rq), "事实经过"); /* the tombstone shows no facts */
    rq = get("/records/TJZW-2026-000099", NULL);
    ck_assert_int_eq(rq->status, 404);
    rq = get("/records/TJZW-2026-000004", NULL); /* disclosed on 2026-12-20 */
    ck_assert_int_eq(rq->status, 404);
    ck_lacks(body(rq), "尚未公示丁案");
}
END_TEST

START_TEST(list_page)
{
    credit_req_t *rq = get("/records", NULL);
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_has(b, "违规采购甲案");
    ck_has(b, "合同违约乙案");
    ck_lacks(b, "已撤销丙案");
    ck_lacks(b, "尚未公示丁案");
    /* Newest disclosure first. */
    ck_assert_msg(strstr(b, "合同违约乙案") < strstr(b, "违规采购甲案"), "the older record first");
}
END_TEST

START_TEST(list_page_filters)
{
    credit_req_t *rq = get("/records", "district=heping");
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_has(b, "违规采购甲案");
    ck_lacks(b, "合同违约乙案");
    rq = get("/records", "q=违约");
    b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_has(b, "TJZW-2026-000002");
    ck_has(b, "<mark>违约</mark>"); /* the words found are marked */
    ck_lacks(b, "TJZW-2026-000001");
    rq = get("/records", "district=atlantis");
    ck_assert_int_eq(rq->status, 400);
    ck_has(body(rq), "district");
    rq = get("/records", "district=heping&district=hexi");
    ck_assert_int_eq(rq->status, 400);
}
END_TEST

START_TEST(list_page_paging)
{
    credit_req_t *rq = get("/records", "limit=1");
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_has(b, "合同违约乙案");
    ck_lacks(b, "违规采购甲案");
    ck_has(b, "rel=\"next\"");
    rq = get("/records", "limit=1&page=2");
    b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_has(b, "违规采购甲案");
    ck_lacks(b, "合同违约乙案");
}
END_TEST

START_TEST(not_modified)
{
    credit_req_t *rq = request("/records", "district=heping", NULL);
    rq->not_modified = fresh_copy;
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 304);
    ck_assert_str_eq(body(rq), "");
    ck_assert_str_eq(apr_table_get(rq->headers, "ETag"), seen_etag);
    ck_assert_int_gt(seen_mtime, 0); /* the data's last change, or today's midnight */
    /* A stamped page (ratings) has no time of its own: no Last-Modified. */
    rq = request("/ratings", NULL, NULL);
    rq->not_modified = fresh_copy;
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 304);
    ck_assert_int_eq(seen_mtime, 0);
    ck_assert_int_eq(rq->undated, 0); /* put back after the validators */
}
END_TEST

static json_object *json_body(credit_req_t *rq)
{
    json_object *o = json_tokener_parse(body(rq));
    ck_assert_msg(o != NULL, "not JSON: %.300s", body(rq));
    return o;
}

static json_object *at(json_object *o, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s in %s", key,
                  json_object_to_json_string(o));
    return v;
}

START_TEST(api_records)
{
    credit_req_t *rq = get("/api/v1/records", "district=hexi");
    json_object *o, *items;
    ck_assert_int_eq(rq->status, 200);
    ck_assert_str_eq(rq->content_type, "application/json; charset=utf-8");
    o = json_body(rq);
    items = at(o, "items");
    ck_assert_int_eq(json_object_array_length(items), 1);
    ck_assert_str_eq(json_object_get_string(at(json_object_array_get_idx(items, 0), "no")),
                     "TJZW-2026-000002");
    ck_assert_int_eq(json_object_get_int(at(o, "total")), 1);
    json_object_put(o);
    rq = get("/api/v1/records", NULL);
    o = json_body(rq);
    ck_assert_int_eq(json_object_array_length(at(o, "items")), 2);
    ck_assert_int_eq(json_object_get_int(at(o, "total")), 2);
    json_object_put(o);
    rq = get("/api/v1/records", "severity=huge");
    ck_assert_int_eq(rq->status, 400);
    o = json_body(rq);
    at(o, "error");
    json_object_put(o);
}
END_TEST

START_TEST(api_record)
{
    credit_req_t *rq = get("/api/v1/records/TJZW-2026-000001", NULL);
    json_object *o, *r;
    ck_assert_int_eq(rq->status, 200);
    o = json_body(rq);
    r = at(o, "record");
    ck_assert_str_eq(json_object_get_string(at(r, "no")), "TJZW-2026-000001");
    ck_assert_str_eq(json_object_get_string(at(r, "title")), "违规采购甲案");
    ck_assert_str_eq(json_object_get_string(at(r, "status")), "published");
    ck_assert_str_eq(json_object_get_string(at(at(r, "subject"), "name")), "天津市测试单位101");
    json_object_put(o);
    rq = get("/api/v1/records/TJZW-2026-000099", NULL);
    ck_assert_int_eq(rq->status, 404);
    ck_assert_str_eq(rq->content_type, "application/json; charset=utf-8");
}
END_TEST

START_TEST(atom_feed)
{
    credit_req_t *rq = get("/feed.atom", "district=heping");
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_assert_str_eq(rq->content_type, "application/atom+xml; charset=utf-8");
    ck_has(b, "<feed");
    ck_has(b, "<entry>");
    ck_has(b, "违规采购甲案");
    ck_has(b, "https://credit.example/credit/records/TJZW-2026-000001");
    ck_lacks(b, "合同违约乙案");
}
END_TEST

START_TEST(csv_export)
{
    credit_req_t *rq = get("/records.csv", NULL);
    const char *b = body(rq);
    ck_assert_int_eq(rq->status, 200);
    ck_assert_str_eq(rq->content_type, "text/csv; charset=utf-8");
    ck_has(apr_table_get(rq->headers, "Content-Disposition"), "credit-records-2026-12-05.csv");
    ck_assert_msg(strncmp(b, "\xEF\xBB\xBF", 3) == 0, "no BOM");
    ck_has(b, "TJZW-2026-000001");
    ck_has(b, "TJZW-2026-000002");
    ck_lacks(b, "TJZW-2026-000003");
    ck_lacks(b, "TJZW-2026-000004");
    ck_has(b, "\r\n");
    rq = get("/records.csv", "category=breach");
    b = body(rq);
    ck_has(b, "TJZW-2026-000002");
    ck_lacks(b, "TJZW-2026-000001");
}
END_TEST

static apr_table_t *complaint_form(const char *token)
{
    apr_table_t *f = apr_table_make(unit_pool, 8);
    apr_table_set(f, "token", token);
    apr_table_set(f, "target", "天津市测试单位101");
    apr_table_set(f, "district", "heping");
    apr_table_set(f, "domain", "procurement");
    apr_table_set(f, "title", "采购中违规操作");
    apr_table_set(f, "content", "二〇二六年十一月该单位在采购中指定供应商，违反规定。");
    return f;
}

START_TEST(complaint_submission)
{
    credit_req_t *rq = get("/complaints/new", NULL);
    const char *token = credit_token_issue(unit_pool, &keys, "complaint", now_sec - 60);
    const apr_array_header_t *subs;
    const credit_submission_t *sub;
    ck_assert_int_eq(rq->status, 200);
    ck_has(body(rq), "name=\"token\"");
    ck_assert_str_eq(apr_table_get(rq->headers, "Cache-Control"), "no-store");

    rq = request("/complaints", NULL, complaint_form(token));
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 201);
    ck_has(body(rq), "TS000001");
    subs = credit_memory_submissions(mem);
    ck_assert_int_eq(subs->nelts, 1);
    sub = &APR_ARRAY_IDX(subs, 0, credit_submission_t);
    ck_assert_str_eq(sub->kind, "complaint");
    ck_assert_str_eq(apr_table_get(sub->values, "title"), "采购中违规操作");

    /* The same form again: the first receipt, nothing stored twice. */
    rq = request("/complaints", NULL, complaint_form(token));
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 201);
    ck_has(body(rq), "TS000001");
    ck_assert_int_eq(credit_memory_submissions(mem)->nelts, 1);
}
END_TEST

START_TEST(complaint_refused)
{
    /* Sent a second after the form was made: a robot, nothing stored. */
    const char *token = credit_token_issue(unit_pool, &keys, "complaint", now_sec - 1);
    credit_req_t *rq = request("/complaints", NULL, complaint_form(token));
    apr_table_t *f;
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 400);
    ck_has(body(rq), "采购中违规操作"); /* what was typed comes back */
    ck_assert_int_eq(credit_memory_submissions(mem)->nelts, 0);
    /* A missing required field: 400, nothing stored. */
    f = complaint_form(credit_token_issue(unit_pool, &keys, "complaint", now_sec - 60));
    apr_table_unset(f, "content");
    rq = request("/complaints", NULL, f);
    credit_page_dispatch(rq);
    ck_assert_int_eq(rq->status, 400);
    ck_assert_int_eq(credit_memory_submissions(mem)->nelts, 0);
}
END_TEST

/* The staff API as the admin glue runs it: the staff row looked up
 * through the store's staff ops, then credit_admin_dispatch. */
static credit_req_t *staff_get(const char *user, const char *path)
{
    credit_req_t *rq = apr_pcalloc(unit_pool, sizeof *rq);
    credit_store_open_t o = {.pool = unit_pool, .today = today};
    credit_admin_body_t in;
    credit_staff_t *st = NULL;
    credit_status_t found;
    memset(&in, 0, sizeof in);
    rq->pool = unit_pool;
    rq->base = "/credit-admin";
    rq->origin = "https://credit.example";
    rq->path = path;
    rq->lang = "zh-CN";
    rq->headers = apr_table_make(unit_pool, 8);
    rq->args = apr_table_make(unit_pool, 1);
    rq->route.api = 1;
    rq->route.name = "admin";
    rq->today = today;
    rq->now = now_sec;
    rq->templates = templates;
    rq->log = quiet;
    rq->keys = &keys;
    rq->stream_state = apr_pcalloc(unit_pool, sizeof(sink_t));
    rq->store = credit_store_memory_open(mem, &o);
    found = rq->store->admin->staff(rq->store, user, &st);
    credit_admin_dispatch(rq, "GET", user, found, st, &in);
    return rq;
}

START_TEST(staff_record)
{
    credit_req_t *rq = staff_get("staff-heping", "/api/v1/records/TJZW-2026-000003");
    json_object *o;
    ck_assert_int_eq(rq->status, 200);
    o = json_body(rq);
    /* Staff see a revoked record the public no longer sees. */
    ck_has(json_object_to_json_string(o), "TJZW-2026-000003");
    ck_has(json_object_to_json_string(o), "revoked");
    json_object_put(o);
    /* Another department's record is not theirs to see. */
    rq = staff_get("staff-heping", "/api/v1/records/TJZW-2026-000002");
    ck_assert_int_eq(rq->status, 404);
    /* A login without a staff row is refused. */
    rq = staff_get("visitor", "/api/v1/records/TJZW-2026-000001");
    ck_assert_int_eq(rq->status, 403);
}
END_TEST

Suite *pages_suite(void)
{
    Suite *s = suite_create("pages");
    TCase *tc = tcase_create("memory store");
    tcase_add_checked_fixture(tc, pages_setup, unit_teardown);
    tcase_add_test(tc, record_page);
    tcase_add_test(tc, record_page_withdrawn_unknown_and_not_yet);
    tcase_add_test(tc, list_page);
    tcase_add_test(tc, list_page_filters);
    tcase_add_test(tc, list_page_paging);
    tcase_add_test(tc, not_modified);
    tcase_add_test(tc, api_records);
    tcase_add_test(tc, api_record);
    tcase_add_test(tc, atom_feed);
    tcase_add_test(tc, csv_export);
    tcase_add_test(tc, complaint_submission);
    tcase_add_test(tc, complaint_refused);
    tcase_add_test(tc, staff_record);
    suite_add_tcase(s, tc);
    return s;
}
