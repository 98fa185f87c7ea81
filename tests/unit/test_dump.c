/* test_dump.c: the canonical form and digest of a record, dump file names,
 * and the index of dumps (parse, merge with the days kept). */
#include <string.h>
#include <apr_strings.h>

#include "credit_dump.h"
#include "credit_rules.h"
#include "unit.h"

static credit_record_t sample(void)
{
    credit_record_t r;
    memset(&r, 0, sizeof r);
    r.record_no = "TJZW-2026-000001";
    r.title = "未按合同约定支付";
    r.category = "penalty";
    r.domain = "procurement";
    r.severity = "general";
    r.status = "published";
    r.decision_no = "津财罚〔2026〕1号";
    r.authority = "天津市财政局";
    r.decided_on = "2026-01-02";
    r.clock.disclosed = (credit_date_t){2026, 1, 9};
    r.amount = "12000.50";
    r.facts = "事实,含逗号:和冒号";
    r.legal_basis = "条例";
    r.correction_note = NULL;
    r.rectification = NULL;
    r.rectify_due = "2026-03-01";
    r.rectified = 1;
    r.updated_at = "2026-01-09 10:00:00";
    r.subject.id = 42;
    r.subject.name = "天津市测试局";
    r.subject.credit_code = "11120000MB0000000X";
    r.subject.position = NULL;
    return r;
}

/* Every field: its length in bytes (not characters), its bytes, a comma;
 * null as "~,"; commas and colons inside a value need no escape. */
START_TEST(test_canonical_form)
{
    credit_record_t r = sample();
    apr_size_t len;
    const char *s = credit_dump_canonical(unit_pool, &r, &len);
    const char *want = "16:TJZW-2026-000001,24:未按合同约定支付,7:penalty,11:procurement,"
                       "7:general,9:published,23:津财罚〔2026〕1号,18:天津市财政局,"
                       "10:2026-01-02,10:2026-01-09,8:12000.50,26:事实,含逗号:和冒号,6:条例,"
                       "~,~,10:2026-03-01,4:true,19:2026-01-09 10:00:00,2:42,18:天津市测试局,"
                       "18:11120000MB0000000X,~,";
    ck_assert_str_eq(s, want);
    ck_assert_uint_eq(len, strlen(want));
}
END_TEST

/* The digest follows every covered field and only those. */
START_TEST(test_digest_follows_the_fields)
{
    credit_record_t r = sample(), o;
    uint64_t d = credit_dump_digest(unit_pool, &r);
    char hex[17];
    ck_assert(d != 0);
    ck_assert_uint_eq(d, credit_dump_digest(unit_pool, &r));
    ck_assert_uint_eq(strlen(credit_dump_hex64(d, hex)), 16);
    o = r;
    o.title = "未按合同约定支付 ";
    ck_assert(credit_dump_digest(unit_pool, &o) != d);
    o = r;
    o.rectified = 0;
    ck_assert(credit_dump_digest(unit_pool, &o) != d);
    o = r;
    o.subject.name = "天津市测试局(更名)";
    ck_assert(credit_dump_digest(unit_pool, &o) != d);
    o = r;
    o.correction_note = ""; /* empty is not null */
    ck_assert(credit_dump_digest(unit_pool, &o) != d);
    o = r;
    o.department = "另一个部门"; /* not covered */
    o.subject.id_masked = "120101********1234";
    ck_assert_uint_eq(credit_dump_digest(unit_pool, &o), d);
    ck_assert_str_eq(credit_dump_hex64(0x0123456789abcdefULL, hex), "0123456789abcdef");
    ck_assert_str_eq(credit_dump_hex64(1, hex), "0000000000000001");
}
END_TEST

START_TEST(test_file_names)
{
    credit_date_t d = {2026, 3, 7};
    ck_assert_str_eq(credit_dump_file_name(unit_pool, d, 12345, CREDIT_DUMP_JSONL),
                     "records-20260307-v12345.jsonl.gz");
    ck_assert_str_eq(credit_dump_file_name(unit_pool, d, 0, CREDIT_DUMP_CSV),
                     "records-20260307-v0.csv.gz");
    ck_assert(credit_dump_file_valid("records-20260307-v12345.jsonl.gz"));
    ck_assert(credit_dump_file_valid("records-20260307-v0.csv.gz"));
    ck_assert(!credit_dump_file_valid(NULL));
    ck_assert(!credit_dump_file_valid("records-20260230-v1.csv.gz"));  /* no such day */
    ck_assert(!credit_dump_file_valid("records-20260307-v01.csv.gz")); /* leading zero */
    ck_assert(!credit_dump_file_valid("records-20260307-v.csv.gz"));
    ck_assert(!credit_dump_file_valid("records-20260307-v1.xml.gz"));
    ck_assert(!credit_dump_file_valid("records-20260307-v1.csv"));
    ck_assert(!credit_dump_file_valid("records-20260307-v1.csv.gz.tmp"));
    ck_assert(!credit_dump_file_valid("../records-20260307-v1.csv.gz"));
    ck_assert(!credit_dump_file_valid("records-2026037-v1.csv.gz"));
    ck_assert(!credit_dump_file_valid("records-20260307-v123456789012345678901.csv.gz"));
}
END_TEST

static const char *entry_json(const char *date, int version, const char *format)
{
    const char *ymd = apr_pstrcat(unit_pool, apr_pstrndup(unit_pool, date, 4),
                                  apr_pstrndup(unit_pool, date + 5, 2), date + 8, NULL);
    return apr_psprintf(
        unit_pool,
        "{\"date\":\"%s\",\"version\":%d,\"format\":\"%s\",\"file\":\"records-%s-v%d.%s.gz\","
        "\"rows\":3,\"bytes\":100,\"sha256\":\"%064d\",\"records\":3,"
        "\"checksum\":\"00000000000000ff\",\"generated_at\":\"%sT01:00:00+08:00\"}",
        date, version, format, ymd, version, format, 7, date);
}

/* text with its first `from` replaced by `to` */
static const char *subst(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    return apr_pstrcat(unit_pool, apr_pstrndup(unit_pool, text, (apr_size_t)(at - text)), to,
                       at + strlen(from), NULL);
}

static apr_array_header_t *parse_ok(const char *text)
{
    apr_array_header_t *out = NULL;
    const char *err = credit_dump_index_parse(unit_pool, text, strlen(text), &out);
    ck_assert_msg(err == NULL, "%s", err ? err : "");
    return out;
}

START_TEST(test_index_parse)
{
    apr_array_header_t *e;
    apr_array_header_t *out;
    const char *one = entry_json("2026-03-07", 5, "csv");
    e = parse_ok(apr_pstrcat(unit_pool, "{\"dumps\":[", one, "]}", NULL));
    ck_assert_int_eq(e->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(e, 0, credit_dump_entry_t).file, "records-20260307-v5.csv.gz");
    ck_assert_int_eq(APR_ARRAY_IDX(e, 0, credit_dump_entry_t).format, CREDIT_DUMP_CSV);
    ck_assert_int_eq(parse_ok("{\"dumps\":[]}")->nelts, 0);
#define BAD(text, what)                                                                            \
    do {                                                                                           \
        const char *err_ = credit_dump_index_parse(unit_pool, (text), strlen(text), &out);         \
        ck_assert_msg(err_ &&strstr(err_, (what)), "%s: %s", (text), err_ ? err_ : "accepted");    \
    } while (0)
    BAD("", "not a JSON");
    BAD("{\"dumps\":[]} x", "not a JSON");
    BAD("[]", "dumps");
    BAD("{\"dumps\":{}}", "dumps");
    /* a file name that does not say the entry's version; a bad hash, a
     * negative count, a missing field */
    BAD(apr_pstrcat(unit_pool, "{\"dumps\":[", subst(one, "\"version\":5", "\"version\":6"), "]}",
                    NULL),
        "entry 0: bad file");
    BAD(apr_pstrcat(unit_pool, "{\"dumps\":[", one, ",",
                    subst(one, "\"sha256\":\"0", "\"sha256\":\"G"), "]}", NULL),
        "entry 1: bad sha256");
    BAD(apr_pstrcat(unit_pool, "{\"dumps\":[", subst(one, "\"rows\":3", "\"rows\":-3"), "]}", NULL),
        "bad rows");
    BAD(apr_pstrcat(unit_pool, "{\"dumps\":[", subst(one, "\"checksum\"", "\"sum\""), "]}", NULL),
        "bad checksum");
#undef BAD
}
END_TEST

static apr_array_header_t *entries(const char *const *items, int n)
{
    const char *text = "{\"dumps\":[";
    int i;
    for (i = 0; i < n; i++)
        text = apr_pstrcat(unit_pool, text, i ? "," : "", items[i], NULL);
    return parse_ok(apr_pstrcat(unit_pool, text, "]}", NULL));
}

static const char *files(const apr_array_header_t *a)
{
    const char *s = "";
    int i;
    for (i = 0; i < a->nelts; i++)
        s = apr_pstrcat(unit_pool, s, i ? " " : "", APR_ARRAY_IDX(a, i, credit_dump_entry_t).file,
                        NULL);
    return s;
}

static const char *names(const apr_array_header_t *a)
{
    const char *s = "";
    int i;
    for (i = 0; i < a->nelts; i++)
        s = apr_pstrcat(unit_pool, s, i ? " " : "", APR_ARRAY_IDX(a, i, const char *), NULL);
    return s;
}

/* Newest first, one snapshot per day, the newest `keep` days; what falls
 * out is listed for removal, the new files never are. */
START_TEST(test_index_merge)
{
    const char *old_items[] = {
        entry_json("2026-03-06", 7, "jsonl"), entry_json("2026-03-06", 7, "csv"),
        entry_json("2026-03-05", 4, "jsonl"), entry_json("2026-03-05", 4, "csv"),
        entry_json("2026-03-07", 8, "csv"),   entry_json("2026-03-07", 8, "jsonl")};
    const char *add_items[] = {entry_json("2026-03-07", 9, "csv"),
                               entry_json("2026-03-07", 9, "jsonl")};
    apr_array_header_t *old = entries(old_items, 6), *add = entries(add_items, 2), *dropped;
    apr_array_header_t *kept = credit_dump_index_merge(unit_pool, old, add, 2, &dropped);
    ck_assert_str_eq(files(kept), "records-20260307-v9.jsonl.gz records-20260307-v9.csv.gz "
                                  "records-20260306-v7.jsonl.gz records-20260306-v7.csv.gz");
    ck_assert_str_eq(names(dropped), "records-20260307-v8.jsonl.gz records-20260307-v8.csv.gz "
                                     "records-20260305-v4.jsonl.gz records-20260305-v4.csv.gz");
    /* the same snapshot written again is listed once */
    kept = credit_dump_index_merge(unit_pool, kept, add, 2, &dropped);
    ck_assert_int_eq(kept->nelts, 4);
    ck_assert_int_eq(dropped->nelts, 0);
    /* keep 1: only today */
    kept = credit_dump_index_merge(unit_pool, kept, add, 1, &dropped);
    ck_assert_str_eq(files(kept), "records-20260307-v9.jsonl.gz records-20260307-v9.csv.gz");
    /* a new snapshot older than what is kept (a clock set back) is not
     * listed, and not in dropped either: the caller removes it */
    {
        const char *past[] = {entry_json("2026-03-01", 10, "jsonl")};
        kept = credit_dump_index_merge(unit_pool, kept, entries(past, 1), 1, &dropped);
        ck_assert_str_eq(files(kept), "records-20260307-v9.jsonl.gz records-20260307-v9.csv.gz");
        ck_assert_int_eq(dropped->nelts, 0);
    }
}
END_TEST

/* What the index holds comes back out as JSON, with URLs when asked. */
START_TEST(test_index_array)
{
    const char *items[] = {entry_json("2026-03-07", 9, "jsonl")};
    apr_array_header_t *e = entries(items, 1);
    json_object *a = credit_dump_index_array(e, unit_pool, "https://x.example/credit/dumps/");
    json_object *it = json_object_array_get_idx(a, 0), *v;
    ck_assert(json_object_object_get_ex(it, "url", &v));
    ck_assert_str_eq(json_object_get_string(v),
                     "https://x.example/credit/dumps/records-20260307-v9.jsonl.gz");
    json_object_put(a);
    a = credit_dump_index_array(e, unit_pool, NULL);
    it = json_object_array_get_idx(a, 0);
    ck_assert(!json_object_object_get_ex(it, "url", &v));
    {
        json_object *root = json_object_new_object();
        const char *text;
        json_object_object_add(root, "dumps", a);
        text = json_object_to_json_string(root);
        ck_assert_str_eq(files(parse_ok(text)), "records-20260307-v9.jsonl.gz");
        json_object_put(root);
    }
}
END_TEST

Suite *dump_suite(void)
{
    Suite *s = suite_create("dump");
    TCase *tc = tcase_create("dump");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, test_canonical_form);
    tcase_add_test(tc, test_digest_follows_the_fields);
    tcase_add_test(tc, test_file_names);
    tcase_add_test(tc, test_index_parse);
    tcase_add_test(tc, test_index_merge);
    tcase_add_test(tc, test_index_array);
    suite_add_tcase(s, tc);
    return s;
}
