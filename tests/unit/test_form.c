/* test_form.c: the citizens' forms: field tables, every rule of every field
 * type, all errors of a form at once, and the values kept for redisplay. */
#include <string.h>
#include <apr_strings.h>

#include <ClearSilver.h>

#include "credit_form.h"
#include "credit_model.h"
#include "credit_validate.h"
#include "unit.h"

/* The messages come from the portal's own language files, as on the pages. */
static const char *hdf_say(void *baton, const char *key)
{
    return hdf_get_value(baton, key, NULL);
}

static const credit_form_text_t *lang_text(const char *file)
{
    static HDF *zh, *en;
    static credit_form_text_t zh_text, en_text;
    int is_en = strcmp(file, "en") == 0;
    HDF **h = is_en ? &en : &zh;
    credit_form_text_t *t = is_en ? &en_text : &zh_text;
    if (!*h) {
        NEOERR *err = hdf_init(h);
        if (!err)
            err = hdf_read_file(*h, is_en ? "templates/lang/en.hdf" : "templates/lang/zh-CN.hdf");
        ck_assert_msg(err == STATUS_OK, "language file not read (run from the checkout)");
        t->say = hdf_say;
        t->baton = *h;
    }
    return t;
}
#define ZH lang_text("zh-CN")

#define PHONE_MSG   "请填写正确的手机号码或固定电话(如 13812345678 或 022-23456789)"
#define EMAIL_MSG   "请填写正确的电子邮箱"
#define CONTACT_MSG "请填写正确的手机号码、固定电话(如 13812345678 或 022-23456789)或电子邮箱"

/* 20 and 30 characters of Chinese text */
#define TEXT20 "该单位拖欠中标企业工程款逾期一年以上未付"
#define TEXT30 "该单位在政府采购项目中拖欠中标企业工程款逾期一年以上仍未支付"

static const credit_date_t today = {2026, 1, 1};
static credit_form_t form;

/* n copies of unit. */
static const char *repeat(const char *unit, int n)
{
    size_t len = strlen(unit);
    char *s = apr_palloc(unit_pool, len * (size_t)n + 1);
    int i;

    for (i = 0; i < n; i++) {
        memcpy(s + len * (size_t)i, unit, len);
    }
    s[len * (size_t)n] = '\0';
    return s;
}

/* A complaint with every required field good. */
static apr_table_t *complaint(void)
{
    apr_table_t *t = apr_table_make(unit_pool, 16);

    apr_table_set(t, "target", "天津市某区住房和城乡建设委员会");
    apr_table_set(t, "district", "heping");
    apr_table_set(t, "domain", "procurement");
    apr_table_set(t, "title", "拖欠中小企业工程款");
    apr_table_set(t, "content", TEXT30);
    return t;
}

static apr_table_t *objection(void)
{
    apr_table_t *t = apr_table_make(unit_pool, 8);

    apr_table_set(t, "applicant", "天津某建设工程有限公司");
    apr_table_set(t, "contact", "022-23456789");
    apr_table_set(t, "relation", "unit");
    apr_table_set(t, "reason", TEXT30);
    return t;
}

static apr_table_t *repair(void)
{
    apr_table_t *t = apr_table_make(unit_pool, 8);

    apr_table_set(t, "applicant", "天津市某区某街道办事处");
    apr_table_set(t, "contact", "xinyong@tj.gov.cn");
    apr_table_set(t, "rectification", TEXT30);
    apr_table_set(t, "commitment", "本单位承诺所提交材料真实有效并严格履行各项整改措施");
    apr_table_set(t, "confirm_rectified", "1");
    return t;
}

static credit_status_t run(credit_form_kind_t kind, const apr_table_t *in)
{
    memset(&form, 0, sizeof(form));
    return credit_form_validate(unit_pool, kind, in, today, ZH, &form);
}

static int n_errors(void)
{
    return apr_table_elts(form.errors)->nelts;
}

/* Every message, for failure output. */
static int dump_one(void *rec, const char *key, const char *value)
{
    char **s = rec;

    *s = apr_pstrcat(unit_pool, *s, key, ": ", value, "; ", NULL);
    return 1;
}

static const char *dump(void)
{
    char *s = "";

    apr_table_do(dump_one, &s, form.errors, NULL);
    return s;
}

static void expect_ok(credit_form_kind_t kind, const apr_table_t *in)
{
    credit_status_t rv = run(kind, in);

    ck_assert_msg(rv == CREDIT_OK, "errors: %s", dump());
    ck_assert_int_eq(n_errors(), 0);
}

/* The form is refused with exactly one error, on field, saying msg. */
static void expect_only(credit_form_kind_t kind, const apr_table_t *in, const char *field,
                        const char *msg)
{
    credit_status_t rv = run(kind, in);
    const char *got = apr_table_get(form.errors, field);

    ck_assert_msg(rv == CREDIT_EINVAL, "accepted %s", field);
    ck_assert_msg(got != NULL, "no error on %s: %s", field, dump());
    ck_assert_msg(strcmp(got, msg) == 0, "%s: got \"%s\", want \"%s\"", field, got, msg);
    ck_assert_msg(n_errors() == 1, "more errors: %s", dump());
}

/* Sets field of a fresh complaint to value and validates it. */
static credit_status_t complaint_with(const char *field, const char *value)
{
    apr_table_t *t = complaint();

    apr_table_set(t, field, value);
    return run(CREDIT_FORM_COMPLAINT, t);
}

static void complaint_ok(const char *field, const char *value)
{
    credit_status_t rv = complaint_with(field, value);

    ck_assert_msg(rv == CREDIT_OK, "%s=%.60s: %s", field, value, dump());
}

static void complaint_err(const char *field, const char *value, const char *msg)
{
    credit_status_t rv = complaint_with(field, value);
    const char *got = apr_table_get(form.errors, field);

    ck_assert_msg(rv == CREDIT_EINVAL, "accepted %s=%.60s", field, value);
    ck_assert_msg(got != NULL, "%s=%.60s: no error on it: %s", field, value, dump());
    ck_assert_msg(strcmp(got, msg) == 0, "%s=%.60s: got \"%s\", want \"%s\"", field, value, got,
                  msg);
    ck_assert_msg(n_errors() == 1, "%s=%.60s: more errors: %s", field, value, dump());
}

/* As complaint_err, for a message that contains part. */
static void complaint_err_has(const char *field, const char *value, const char *part)
{
    credit_status_t rv = complaint_with(field, value);
    const char *got = apr_table_get(form.errors, field);

    ck_assert_msg(rv == CREDIT_EINVAL, "accepted %s", field);
    ck_assert_msg(got != NULL && strstr(got, part) != NULL, "%s: got \"%s\", want \"%s\"", field,
                  got ? got : "(none)", part);
    ck_assert_int_eq(n_errors(), 1);
}

/* ---- the tables ---- */

START_TEST(field_tables)
{
    static const char *const c_names[] = {"target", "subject_id", "district",   "domain",
                                          "title",  "content",    "conduct_on", "evidence",
                                          "name",   "phone",      "email"};
    static const char *const o_names[] = {"applicant", "contact", "relation", "reason", "evidence"};
    static const char *const r_names[] = {"applicant", "contact", "rectification", "commitment",
                                          "confirm_rectified"};
    const credit_field_t *f;
    int n, i;

    f = credit_form_fields(CREDIT_FORM_COMPLAINT, &n);
    ck_assert_int_eq(n, 11);
    for (i = 0; i < n; i++) {
        ck_assert_str_eq(f[i].name, c_names[i]);
        /* the page makes max_chars the maxlength of the input */
        ck_assert_int_gt(f[i].max_chars, 0);
        ck_assert_int_ge(f[i].max_chars, f[i].min_chars);
    }
    ck_assert_str_eq(ZH->say(ZH->baton, "Lang.form.label.content"), "投诉内容");
    ck_assert_int_eq(f[5].type, CREDIT_FIELD_LONGTEXT);
    ck_assert_int_eq(f[5].max_chars, 5000);
    ck_assert_int_eq(f[5].min_chars, 20);
    ck_assert_int_eq(f[4].min_chars, 5);
    ck_assert_int_eq(f[4].max_chars, 100);
    ck_assert_int_eq(f[1].type, CREDIT_FIELD_ID);
    ck_assert_int_eq(f[1].required, 0);
    ck_assert_int_eq(f[6].type, CREDIT_FIELD_DATE);
    ck_assert_int_eq(f[9].type, CREDIT_FIELD_PHONE);
    ck_assert_int_eq(f[10].type, CREDIT_FIELD_EMAIL);
    ck_assert_int_eq(f[10].max_chars, 254);

    f = credit_form_fields(CREDIT_FORM_OBJECTION, &n);
    ck_assert_int_eq(n, 5);
    for (i = 0; i < n; i++) {
        ck_assert_str_eq(f[i].name, o_names[i]);
        ck_assert_int_gt(f[i].max_chars, 0);
    }
    ck_assert_int_eq(f[1].type, CREDIT_FIELD_CONTACT);
    ck_assert_int_eq(f[2].type, CREDIT_FIELD_ENUM);

    f = credit_form_fields(CREDIT_FORM_REPAIR, &n);
    ck_assert_int_eq(n, 5);
    for (i = 0; i < n; i++) {
        ck_assert_str_eq(f[i].name, r_names[i]);
        ck_assert_int_gt(f[i].max_chars, 0);
    }
    ck_assert_int_eq(f[3].max_chars, 2000);
    ck_assert_str_eq(f[3].name, "commitment");
    ck_assert_int_eq(f[4].type, CREDIT_FIELD_FLAG);
    ck_assert_int_eq(f[4].required, 1);

    n = 7;
    ck_assert_ptr_null(credit_form_fields((credit_form_kind_t)3, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_ptr_nonnull(credit_form_fields(CREDIT_FORM_REPAIR, NULL));
}
END_TEST

/* The choices of district and domain are the codes of credit_model. */
static void same_codes(const char *field, const credit_enum_t *e)
{
    const credit_field_t *f;
    int n, i;
    size_t k;

    f = credit_form_fields(CREDIT_FORM_COMPLAINT, &n);
    for (i = 0; i < n && strcmp(f[i].name, field) != 0; i++) {
    }
    ck_assert_int_lt(i, n);
    for (k = 0; f[i].choices[k]; k++) {
        ck_assert_msg(credit_enum_find(e, f[i].choices[k]) != NULL, "%s", f[i].choices[k]);
    }
    ck_assert_uint_eq(k, e->n);
    for (k = 0; k < e->n; k++) {
        complaint_ok(field, e->items[k].code);
    }
}

START_TEST(choices_follow_model)
{
    same_codes("district", &credit_districts);
    same_codes("domain", &credit_domains);
}
END_TEST

START_TEST(unknown_kind)
{
    ck_assert_int_eq(run((credit_form_kind_t)9, complaint()), CREDIT_EINVAL);
    ck_assert_ptr_nonnull(apr_table_get(form.errors, "form"));
    ck_assert_ptr_nonnull(form.values);
}
END_TEST

/* ---- good forms ---- */

START_TEST(complaint_minimal)
{
    expect_ok(CREDIT_FORM_COMPLAINT, complaint());
    ck_assert_int_eq(form.kind, CREDIT_FORM_COMPLAINT);
    ck_assert_str_eq(apr_table_get(form.values, "district"), "heping");
    ck_assert_str_eq(apr_table_get(form.values, "content"), TEXT30);
    /* optional fields left out are absent, not "" */
    ck_assert_ptr_null(apr_table_get(form.values, "phone"));
    ck_assert_ptr_null(apr_table_get(form.values, "conduct_on"));
    ck_assert_int_eq(apr_table_elts(form.values)->nelts, 5);
}
END_TEST

START_TEST(complaint_full)
{
    apr_table_t *t = complaint();

    apr_table_set(t, "subject_id", "1024");
    apr_table_set(t, "conduct_on", "2025-12-31");
    apr_table_set(t, "evidence",
                  "合同扫描件：https://pan.example.cn/s/abc?x=1&y=2\n"
                  "付款记录截图\t见附件");
    apr_table_set(t, "name", "张三");
    apr_table_set(t, "phone", "13812345678");
    apr_table_set(t, "email", "zhang.san@example.com.cn");
    /* fields of other forms and of the glue are not ours */
    apr_table_set(t, "token", "v1.x");
    apr_table_set(t, "website", "honeypot");
    apr_table_set(t, "reason", "\xff");
    expect_ok(CREDIT_FORM_COMPLAINT, t);
    ck_assert_int_eq(apr_table_elts(form.values)->nelts, 11);
    ck_assert_str_eq(apr_table_get(form.values, "name"), "张三");
    ck_assert_ptr_null(apr_table_get(form.values, "token"));
    ck_assert_ptr_null(apr_table_get(form.values, "reason"));
}
END_TEST

START_TEST(objection_and_repair_good)
{
    apr_table_t *t;
    static const char *const relations[] = {"self", "unit", "agent"};
    size_t i;

    expect_ok(CREDIT_FORM_OBJECTION, objection());
    for (i = 0; i < 3; i++) {
        t = objection();
        apr_table_set(t, "relation", relations[i]);
        apr_table_set(t, "evidence", "见附件");
        expect_ok(CREDIT_FORM_OBJECTION, t);
    }
    t = objection();
    apr_table_set(t, "contact", "13912345678");
    expect_ok(CREDIT_FORM_OBJECTION, t);
    t = objection();
    apr_table_set(t, "contact", "agent@lawfirm.cn");
    expect_ok(CREDIT_FORM_OBJECTION, t);

    expect_ok(CREDIT_FORM_REPAIR, repair());
    ck_assert_str_eq(apr_table_get(form.values, "confirm_rectified"), "1");
}
END_TEST

/* ---- required and empty ---- */

START_TEST(required_missing)
{
    ck_assert_int_eq(run(CREDIT_FORM_COMPLAINT, apr_table_make(unit_pool, 1)), CREDIT_EINVAL);
    ck_assert_int_eq(n_errors(), 5);
    ck_assert_str_eq(apr_table_get(form.errors, "target"), "请填写投诉对象");
    ck_assert_str_eq(apr_table_get(form.errors, "district"), "请选择所属地区");
    ck_assert_str_eq(apr_table_get(form.errors, "domain"), "请选择所属领域");
    ck_assert_str_eq(apr_table_get(form.errors, "title"), "请填写投诉标题");
    ck_assert_str_eq(apr_table_get(form.errors, "content"), "请填写投诉内容");
    ck_assert_int_eq(apr_table_elts(form.values)->nelts, 0);

    /* a NULL table is an empty form */
    ck_assert_int_eq(run(CREDIT_FORM_OBJECTION, NULL), CREDIT_EINVAL);
    ck_assert_int_eq(n_errors(), 4);
    ck_assert_str_eq(apr_table_get(form.errors, "applicant"), "请填写申请人");
    ck_assert_str_eq(apr_table_get(form.errors, "contact"), "请填写联系方式");
    ck_assert_str_eq(apr_table_get(form.errors, "relation"), "请选择与该记录的关系");
    ck_assert_str_eq(apr_table_get(form.errors, "reason"), "请填写异议理由");

    ck_assert_int_eq(run(CREDIT_FORM_REPAIR, NULL), CREDIT_EINVAL);
    ck_assert_int_eq(n_errors(), 5);
    ck_assert_str_eq(apr_table_get(form.errors, "rectification"), "请填写整改情况");
    ck_assert_str_eq(apr_table_get(form.errors, "commitment"), "请填写信用承诺");
    ck_assert_str_eq(apr_table_get(form.errors, "confirm_rectified"), "请确认已完成整改");
}
END_TEST

START_TEST(blank_is_missing)
{
    complaint_err("content", "", "请填写投诉内容");
    complaint_err("content", "   \r\n\t ", "请填写投诉内容");
    complaint_err("content", "\xE3\x80\x80\xE3\x80\x80 \xE3\x80\x80", "请填写投诉内容");
    ck_assert_ptr_null(apr_table_get(form.values, "content"));
    complaint_err("district", " ", "请选择所属地区");
    /* blank optional fields are absent, not errors */
    complaint_ok("phone", "");
    complaint_ok("email", "  ");
    complaint_ok("conduct_on", "\xE3\x80\x80");
    complaint_ok("subject_id", "");
    ck_assert_ptr_null(apr_table_get(form.values, "subject_id"));
}
END_TEST

START_TEST(trimmed)
{
    complaint_ok("title", "\xE3\x80\x80 拖欠工程款问题 \t\r\n\xE3\x80\x80");
    ck_assert_str_eq(apr_table_get(form.values, "title"), "拖欠工程款问题");
    complaint_ok("district", "  hexi\n");
    ck_assert_str_eq(apr_table_get(form.values, "district"), "hexi");
    complaint_ok("phone", " 13812345678 ");
    ck_assert_str_eq(apr_table_get(form.values, "phone"), "13812345678");
    /* only the ends: inner spaces stay */
    complaint_ok("title", "拖欠 工程款\xE3\x80\x80问题");
    ck_assert_str_eq(apr_table_get(form.values, "title"), "拖欠 工程款\xE3\x80\x80问题");
    /* the limits count what is left: 4 characters plus spaces is too short */
    complaint_err("title", "   拖欠款项   ", "投诉标题至少需要5字");
    ck_assert_str_eq(apr_table_get(form.values, "title"), "拖欠款项");
}
END_TEST

/* ---- lengths, in characters ---- */

START_TEST(lengths_in_characters)
{
    /* content 20..5000; Chinese characters are 3 bytes, still 1 character */
    complaint_ok("content", repeat("款", 5000));
    complaint_err("content", repeat("款", 5001), "投诉内容不能超过5000字(现为5001字)");
    complaint_err("content", repeat("款", 5123), "投诉内容不能超过5000字(现为5123字)");
    complaint_ok("content", repeat("款", 20));
    complaint_err("content", repeat("款", 19), "投诉内容至少需要20字");
    complaint_err("content", "太短", "投诉内容至少需要20字");
    /* 4-byte characters count once */
    complaint_ok("content", repeat("\xF0\x9F\x98\x80", 20));
    complaint_err("content", repeat("\xF0\x9F\x98\x80", 19), "投诉内容至少需要20字");
    complaint_ok("content", repeat("a", 5000));
    complaint_err("content", repeat("a", 5001), "投诉内容不能超过5000字(现为5001字)");

    /* title 5..100 */
    complaint_ok("title", repeat("题", 5));
    complaint_err("title", repeat("题", 4), "投诉标题至少需要5字");
    complaint_ok("title", repeat("题", 100));
    complaint_err("title", repeat("题", 101), "投诉标题不能超过100字(现为101字)");
    /* target <= 100 */
    complaint_ok("target", repeat("委", 100));
    complaint_err("target", repeat("委", 101), "投诉对象不能超过100字(现为101字)");
    complaint_ok("target", "某");
    /* evidence <= 2000, name <= 50 */
    complaint_ok("evidence", repeat("证", 2000));
    complaint_err("evidence", repeat("证", 2001), "证据材料不能超过2000字(现为2001字)");
    complaint_ok("name", repeat("名", 50));
    complaint_err("name", repeat("名", 51), "姓名不能超过50字(现为51字)");
    /* over-long values are kept for redisplay */
    ck_assert_str_eq(apr_table_get(form.values, "name"), repeat("名", 51));
}
END_TEST

START_TEST(lengths_other_forms)
{
    apr_table_t *t;

    t = objection();
    apr_table_set(t, "applicant", repeat("申", 101));
    expect_only(CREDIT_FORM_OBJECTION, t, "applicant", "申请人不能超过100字(现为101字)");
    t = objection();
    apr_table_set(t, "reason", repeat("由", 19));
    expect_only(CREDIT_FORM_OBJECTION, t, "reason", "异议理由至少需要20字");
    t = objection();
    apr_table_set(t, "reason", repeat("由", 5001));
    expect_only(CREDIT_FORM_OBJECTION, t, "reason", "异议理由不能超过5000字(现为5001字)");
    t = objection();
    apr_table_set(t, "evidence", repeat("证", 2001));
    expect_only(CREDIT_FORM_OBJECTION, t, "evidence", "证据材料不能超过2000字(现为2001字)");

    t = repair();
    apr_table_set(t, "commitment", repeat("诺", 2000));
    expect_ok(CREDIT_FORM_REPAIR, t);
    apr_table_set(t, "commitment", repeat("诺", 2001));
    expect_only(CREDIT_FORM_REPAIR, t, "commitment", "信用承诺不能超过2000字(现为2001字)");
    apr_table_set(t, "commitment", repeat("诺", 19));
    expect_only(CREDIT_FORM_REPAIR, t, "commitment", "信用承诺至少需要20字");
    t = repair();
    apr_table_set(t, "rectification", repeat("改", 5001));
    expect_only(CREDIT_FORM_REPAIR, t, "rectification", "整改情况不能超过5000字(现为5001字)");
}
END_TEST

/* ---- characters ---- */

START_TEST(one_line_controls)
{
    complaint_err_has("title", "拖欠工程款\t问题", "U+0009");
    complaint_err_has("title", "拖欠工程款\n问题", "U+000A");
    complaint_err_has("title", "拖欠工程款\r问题", "U+000D");
    complaint_err_has("title", "拖欠工程款\x01问题", "U+0001");
    complaint_err_has("title", "拖欠工程款\x1b[31m问题", "U+001B");
    complaint_err_has("title", "拖欠工程款\x7f问题", "U+007F");
    complaint_err_has("title", "拖欠工程款\xC2\x85问题", "U+0085"); /* C1 NEL */
    complaint_err_has("title", "拖欠工程款\xE2\x80\xA8问题", "U+2028");
    complaint_err_has("title", "拖欠工程款\xE2\x80\xA9问题", "U+2029");
    /* non-characters: never text, and U+FFFE/U+FFFF break XML (the feed) */
    complaint_err_has("title", "拖欠工程款\xEF\xBF\xBE问题", "U+FFFE");
    complaint_err_has("title", "拖欠工程款\xEF\xBF\xBF问题", "U+FFFF");
    complaint_err_has("title", "拖欠工程款\xEF\xB7\x90问题", "U+FDD0");
    complaint_err_has("content", TEXT20 "\xF0\x9F\xBF\xBE", "U+1FFFE");
    complaint_err("target", "某区\x08委员会", "投诉对象含有不允许的字符(U+0008)，请删除后重新提交");
    complaint_err_has("name", "张\t三", "不允许的字符");
    /* the value is still kept for redisplay */
    ck_assert_str_eq(apr_table_get(form.values, "name"), "张\t三");
    /* what is not a control character */
    complaint_ok("title", "拖欠 工程款\xC2\xA0问题（二）");
    complaint_ok("title", "<script>alert('x')</script>");
    complaint_ok("name", "O'Brien; DROP TABLE complaint; --");
}
END_TEST

START_TEST(long_text_controls)
{
    complaint_ok("content", TEXT20 "\n第二段\r\n\t第三段缩进");
    complaint_err_has("content",
                      TEXT20 "\x0b"
                             "继续",
                      "U+000B");
    complaint_err_has("content",
                      TEXT20 "\x0c"
                             "继续",
                      "U+000C");
    /* at the ends they are white space, and trimmed */
    complaint_ok("content", "\x0c" TEXT20 "\x0b");
    complaint_err_has("content",
                      TEXT20 "\x01"
                             "继续",
                      "U+0001");
    complaint_err_has("content", TEXT20 "\x7f", "U+007F");
    complaint_err_has("content", TEXT20 "\xC2\x9F", "U+009F");
    complaint_err_has("content",
                      TEXT20 "\xE2\x80\xA8"
                             "继续",
                      "U+2028");
    complaint_err_has("evidence", "链接\xE2\x80\xA9", "U+2029");
}
END_TEST

/* Line breaks are one character, as the textarea counted them. */
START_TEST(long_text_line_breaks)
{
    const char *para = repeat("款", 49);
    const char *crlf = apr_pstrcat(
        unit_pool, repeat(apr_pstrcat(unit_pool, para, "\r\n", NULL), 99), para, "尾", NULL);
    const char *lf = apr_pstrcat(unit_pool, repeat(apr_pstrcat(unit_pool, para, "\n", NULL), 99),
                                 para, "尾", NULL);

    /* 100 * 49 + 99 line breaks + 1 = 5000 characters once CR LF is one
     * line break, 5099 code points as sent */
    ck_assert_int_eq(credit_utf8_chars(crlf, strlen(crlf)), 5099);
    complaint_ok("content", crlf);
    ck_assert_str_eq(apr_table_get(form.values, "content"), lf);
    complaint_err("content", apr_pstrcat(unit_pool, crlf, "\r\n多", NULL),
                  "投诉内容不能超过5000字(现为5002字)");
    complaint_ok("content", TEXT20 "\r旧式换行\r\n\r\n空行之后");
    ck_assert_str_eq(apr_table_get(form.values, "content"), TEXT20 "\n旧式换行\n\n空行之后");
}
END_TEST

START_TEST(invalid_utf8)
{
    static const char *const bad[] = {
        "拖欠工程款\xff问题",     "\xfe\xff拖欠工程款问题",
        "拖欠工程款\xc0\xaf问题",                               /* overlong / */
        "拖欠工程款\xed\xa0\x80",                               /* a surrogate */
        "拖欠工程款\xe4\xb8",                                   /* truncated */
        "拖欠工程款\x80问题",     "拖欠工程款\xf4\x90\x80\x80", /* > U+10FFFF */
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        complaint_err("title", bad[i], "投诉标题含有无法识别的字符(不是有效的UTF-8编码)");
        ck_assert_ptr_null(apr_table_get(form.values, "title"));
        /* the other fields are still there */
        ck_assert_str_eq(apr_table_get(form.values, "content"), TEXT30);
    }
    complaint_err("phone", "138\xff", "联系电话含有无法识别的字符(不是有效的UTF-8编码)");
    complaint_err("district", "\xc3", "所属地区含有无法识别的字符(不是有效的UTF-8编码)");
    complaint_err("content", TEXT30 "\xe2\x82", "投诉内容含有无法识别的字符(不是有效的UTF-8编码)");
    ck_assert_ptr_null(apr_table_get(form.values, "content"));
}
END_TEST

START_TEST(duplicated_names)
{
    apr_table_t *t = complaint();

    apr_table_add(t, "title", "另一个标题内容");
    expect_only(CREDIT_FORM_COMPLAINT, t, "title", "投诉标题字段重复提交");
    /* the first one is shown again */
    ck_assert_str_eq(apr_table_get(form.values, "title"), "拖欠中小企业工程款");

    /* names match as the table matches them (ASCII case folded) */
    t = complaint();
    apr_table_add(t, "DISTRICT", "hexi");
    expect_only(CREDIT_FORM_COMPLAINT, t, "district", "所属地区字段重复提交");

    /* also an optional field, also empty copies, also a flag */
    t = complaint();
    apr_table_add(t, "phone", "");
    apr_table_add(t, "phone", "");
    expect_only(CREDIT_FORM_COMPLAINT, t, "phone", "联系电话字段重复提交");
    t = repair();
    apr_table_add(t, "confirm_rectified", "1");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "已完成整改字段重复提交");
    /* a bad first copy is not kept */
    t = complaint();
    apr_table_set(t, "name", "\xff");
    apr_table_add(t, "name", "张三");
    expect_only(CREDIT_FORM_COMPLAINT, t, "name", "姓名字段重复提交");
    ck_assert_ptr_null(apr_table_get(form.values, "name"));
}
END_TEST

/* ---- dates ---- */

START_TEST(dates)
{
    const char *fmt = "请按 年-月-日 格式填写正确的违规行为发生日期(如 2025-03-01)";
    apr_table_t *t;

    complaint_ok("conduct_on", "2024-02-29");
    complaint_ok("conduct_on", "2000-01-01");
    complaint_ok("conduct_on", "2026-01-01"); /* today */
    complaint_ok("conduct_on", "2025-12-31");
    complaint_err("conduct_on", "2026-01-02", "违规行为发生日期不能晚于今天");
    complaint_err("conduct_on", "2027-06-01", "违规行为发生日期不能晚于今天");
    complaint_err("conduct_on", "2999-12-31", "违规行为发生日期不能晚于今天");
    complaint_err("conduct_on", "1999-12-31", "违规行为发生日期不能早于2000年1月1日");
    complaint_err("conduct_on", "1900-01-01", "违规行为发生日期不能早于2000年1月1日");
    complaint_err("conduct_on", "2023-02-29", fmt);
    complaint_err("conduct_on", "2024-13-01", fmt);
    complaint_err("conduct_on", "2024-6-1", fmt);
    complaint_err("conduct_on", "2024/06/01", fmt);
    complaint_err("conduct_on", "2024年6月1日", fmt);
    complaint_err("conduct_on", "20240601", fmt);
    complaint_err("conduct_on", "2024-06-01T00:00", fmt);
    complaint_err("conduct_on", "２０２４-０６-０１", fmt);
    ck_assert_str_eq(apr_table_get(form.values, "conduct_on"), "２０２４-０６-０１");

    /* today unknown (y = 0): no future bound */
    t = complaint();
    apr_table_set(t, "conduct_on", "2030-01-01");
    memset(&form, 0, sizeof(form));
    ck_assert_int_eq(credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t,
                                          (credit_date_t){0, 0, 0}, ZH, &form),
                     CREDIT_OK);
    /* the day itself moves the bound */
    ck_assert_int_eq(credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t,
                                          (credit_date_t){2029, 12, 31}, ZH, &form),
                     CREDIT_EINVAL);
    ck_assert_int_eq(credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t,
                                          (credit_date_t){2030, 1, 1}, ZH, &form),
                     CREDIT_OK);
}
END_TEST

/* ---- phone, e-mail, contact ---- */

START_TEST(phones)
{
    static const char *const good[] = {
        "13812345678",  "13012345678",  "19912345678",   "15000000000",
        "022-23456789", "02223456789",  "022-2345678",   "0222345678",
        "010-12345678", "0755-1234567", "0571-87654321", "057187654321",
    };
    static const char *const bad[] = {
        "12812345678", /* 12x is not a mobile prefix */
        "10012345678",
        "1381234567",   /* 10 digits */
        "138123456789", /* 12 digits */
        "+8613812345678",
        "86-13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "022-234567",    /* 6 digits */
        "022-234567890", /* 9 digits */
        "0022-12345678", /* 00 */
        "02-12345678",   /* area code too short */
        "02212-3456789", /* too long */
        "022--23456789",
        "022-2345-6789",
        "(022)23456789",
        "022 23456789",
        "022123",
        "abc",
        "1381234567a",
        "0",
        "1",
        "-",
        "\xE2\x80\x94",
    };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        complaint_ok("phone", good[i]);
        ck_assert_str_eq(apr_table_get(form.values, "phone"), good[i]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        complaint_err("phone", bad[i], PHONE_MSG);
        ck_assert_str_eq(apr_table_get(form.values, "phone"), bad[i]);
    }
    /* full-width digits: refused, and the message says why */
    complaint_err_has("phone", "１３８１２３４５６７８", "半角数字");
    complaint_err_has("phone", "022－２３４５６７８９", "半角数字");
    ck_assert_str_eq(apr_table_get(form.values, "phone"), "022－２３４５６７８９");
}
END_TEST

/* An address of n characters in all: a 64-character local part and labels
 * of at most 63. */
static const char *email_of(int n)
{
    const char *local = repeat("u", 64);
    int rest = n - 65 - 3; /* "@" and ".cn" */
    char *domain = "";

    while (rest > 0) {
        int l = rest > 64 ? 63 : (rest == 64 ? 62 : rest);
        domain = apr_pstrcat(unit_pool, domain, repeat("d", l), ".", NULL);
        rest -= l + 1;
    }
    return apr_pstrcat(unit_pool, local, "@", domain, "cn", NULL);
}

START_TEST(emails)
{
    static const char *const good[] = {
        "a@b.cn",
        "zhang.san@tj.gov.cn",
        "user+tag@example.com",
        "x_y-z@mail.163.com",
        "o'brien@example.org",
        "123456@qq.com",
        "A.B@EXAMPLE.COM",
        "a@b.xn--fiqs8s",
        "a!#$%&*/=?^`{|}~@b-c.d-e.org",
    };
    static const char *const bad[] = {
        "a",
        "a@",
        "@b.cn",
        "a@b",
        "a@b.c",
        "a@@b.cn",
        "a@b@c.cn",
        "a..b@c.cn",
        ".a@b.cn",
        "a.@b.cn",
        "a@-b.cn",
        "a@b-.cn",
        "a@b..cn",
        "a@.b.cn",
        "a@b.cn.",
        "a b@c.cn",
        "a@b_c.cn",
        "张三@example.com",
        "a@例子.中国",
        "a@b.123",
        "a@b.c1",
        "a@xn--fiqs8s",
        "a@[127.0.0.1]",
        "\"a\"@b.cn",
        "a@b.cn>",
        "<a@b.cn>",
        "a@b.cn\xef\xbc\x8c",
    };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        complaint_ok("email", good[i]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        complaint_err("email", bad[i], EMAIL_MSG);
    }
    /* local part of 64 and 65 */
    complaint_ok("email", apr_pstrcat(unit_pool, repeat("u", 64), "@b.cn", NULL));
    complaint_err("email", apr_pstrcat(unit_pool, repeat("u", 65), "@b.cn", NULL), EMAIL_MSG);
    /* a label of 63 and 64 */
    complaint_ok("email", apr_pstrcat(unit_pool, "a@", repeat("d", 63), ".cn", NULL));
    complaint_err("email", apr_pstrcat(unit_pool, "a@", repeat("d", 64), ".cn", NULL), EMAIL_MSG);
    /* 254 characters in all, and 255 */
    ck_assert_uint_eq(strlen(email_of(254)), 254);
    ck_assert_uint_eq(strlen(email_of(255)), 255);
    complaint_ok("email", email_of(254));
    complaint_err("email", email_of(255), "电子邮箱不能超过254字(现为255字)");
    complaint_err("email", repeat("a", 300), "电子邮箱不能超过254字(现为300字)");
}
END_TEST

START_TEST(contacts)
{
    apr_table_t *t;
    static const char *const good[] = {"13812345678", "022-23456789", "a@b.cn"};
    static const char *const bad_phone[] = {"12345", "微信 abc123", "138-1234-5678", "QQ 123456"};
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        t = objection();
        apr_table_set(t, "contact", good[i]);
        expect_ok(CREDIT_FORM_OBJECTION, t);
    }
    for (i = 0; i < sizeof(bad_phone) / sizeof(bad_phone[0]); i++) {
        t = objection();
        apr_table_set(t, "contact", bad_phone[i]);
        expect_only(CREDIT_FORM_OBJECTION, t, "contact", CONTACT_MSG);
    }
    t = repair();
    apr_table_set(t, "contact", "a@b");
    expect_only(CREDIT_FORM_REPAIR, t, "contact", EMAIL_MSG);
    apr_table_set(t, "contact", email_of(255));
    expect_only(CREDIT_FORM_REPAIR, t, "contact", "联系方式不能超过254字(现为255字)");
    apr_table_set(t, "contact", "１３８１２３４５６７８");
    ck_assert_int_eq(run(CREDIT_FORM_REPAIR, t), CREDIT_EINVAL);
    ck_assert_ptr_nonnull(strstr(apr_table_get(form.errors, "contact"), "半角数字"));
}
END_TEST

/* ---- enumerations, flags, ids ---- */

START_TEST(enums)
{
    apr_table_t *t;

    complaint_err("district", "Heping", "所属地区的选项无效，请从列表中选择");
    complaint_err("district", "和平区", "所属地区的选项无效，请从列表中选择");
    complaint_err("district", "heping;", "所属地区的选项无效，请从列表中选择");
    complaint_err("district", "published", "所属地区的选项无效，请从列表中选择");
    complaint_err("domain", "procurement ppp", "所属领域的选项无效，请从列表中选择");
    complaint_err("domain", "judgment", "所属领域的选项无效，请从列表中选择");
    t = objection();
    apr_table_set(t, "relation", "other");
    expect_only(CREDIT_FORM_OBJECTION, t, "relation", "与该记录的关系的选项无效，请从列表中选择");
    apr_table_set(t, "relation", "本人");
    expect_only(CREDIT_FORM_OBJECTION, t, "relation", "与该记录的关系的选项无效，请从列表中选择");
}
END_TEST

START_TEST(flags)
{
    apr_table_t *t = repair();

    apr_table_unset(t, "confirm_rectified");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "请确认已完成整改");
    apr_table_set(t, "confirm_rectified", "");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "请确认已完成整改");
    apr_table_set(t, "confirm_rectified", "on");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "已完成整改的取值无效");
    apr_table_set(t, "confirm_rectified", "0");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "已完成整改的取值无效");
    apr_table_set(t, "confirm_rectified", "11");
    expect_only(CREDIT_FORM_REPAIR, t, "confirm_rectified", "已完成整改的取值无效");
    apr_table_set(t, "confirm_rectified", " 1 ");
    expect_ok(CREDIT_FORM_REPAIR, t);
}
END_TEST

START_TEST(subject_ids)
{
    static const char *const bad[] = {"0",
                                      "-1",
                                      "01",
                                      "1.5",
                                      "abc",
                                      "1e3",
                                      "１２",
                                      "12 3",
                                      "99999999999999999",
                                      "9007199254740993"};
    size_t i;

    complaint_ok("subject_id", "1");
    complaint_ok("subject_id", "123456");
    complaint_ok("subject_id", "9007199254740992");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        complaint_err("subject_id", bad[i], "失信主体编号应为正整数(如 123)");
    }
}
END_TEST

/* ---- the whole form ---- */

START_TEST(all_errors_at_once)
{
    apr_table_t *t = complaint();

    apr_table_unset(t, "district");
    apr_table_set(t, "title", "太短");
    apr_table_set(t, "content", repeat("长", 5123));
    apr_table_set(t, "conduct_on", "2026-03-01");
    apr_table_set(t, "phone", "12345");
    apr_table_set(t, "email", "zhang@");
    apr_table_set(t, "name", "\xff\xfe");
    apr_table_set(t, "subject_id", "x");
    ck_assert_int_eq(run(CREDIT_FORM_COMPLAINT, t), CREDIT_EINVAL);
    ck_assert_msg(n_errors() == 8, "%s", dump());
    ck_assert_str_eq(apr_table_get(form.errors, "district"), "请选择所属地区");
    ck_assert_str_eq(apr_table_get(form.errors, "title"), "投诉标题至少需要5字");
    ck_assert_str_eq(apr_table_get(form.errors, "content"), "投诉内容不能超过5000字(现为5123字)");
    ck_assert_str_eq(apr_table_get(form.errors, "conduct_on"), "违规行为发生日期不能晚于今天");
    ck_assert_str_eq(apr_table_get(form.errors, "phone"), PHONE_MSG);
    ck_assert_str_eq(apr_table_get(form.errors, "email"), EMAIL_MSG);
    ck_assert_str_eq(apr_table_get(form.errors, "name"),
                     "姓名含有无法识别的字符(不是有效的UTF-8编码)");
    ck_assert_str_eq(apr_table_get(form.errors, "subject_id"), "失信主体编号应为正整数(如 123)");
    /* the good fields have no message */
    ck_assert_ptr_null(apr_table_get(form.errors, "target"));
    ck_assert_ptr_null(apr_table_get(form.errors, "domain"));

    /* everything typed is kept for the page, bad or good, except the
     * invalid UTF-8 */
    ck_assert_str_eq(apr_table_get(form.values, "target"), "天津市某区住房和城乡建设委员会");
    ck_assert_str_eq(apr_table_get(form.values, "domain"), "procurement");
    ck_assert_str_eq(apr_table_get(form.values, "title"), "太短");
    ck_assert_str_eq(apr_table_get(form.values, "content"), repeat("长", 5123));
    ck_assert_str_eq(apr_table_get(form.values, "conduct_on"), "2026-03-01");
    ck_assert_str_eq(apr_table_get(form.values, "phone"), "12345");
    ck_assert_str_eq(apr_table_get(form.values, "email"), "zhang@");
    ck_assert_str_eq(apr_table_get(form.values, "subject_id"), "x");
    ck_assert_ptr_null(apr_table_get(form.values, "name"));
    ck_assert_ptr_null(apr_table_get(form.values, "district"));
}
END_TEST

START_TEST(hostile_values_kept_verbatim)
{
    static const char *const payloads[] = {
        "<script>alert(document.cookie)</script>",
        "\"><img src=x onerror=alert(1)>",
        "'; DROP TABLE complaint; --",
        "1' OR '1'='1",
        "{{7*7}} <?cs var:Query ?>",
        "%00%27%22",
        "\\x27\\u0000",
        "javascript:alert(1)",
    };
    apr_table_t *t;
    size_t i;

    for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
        t = complaint();
        apr_table_set(t, "target", payloads[i]);
        apr_table_set(t, "title", payloads[i]);
        apr_table_set(t, "content", apr_pstrcat(unit_pool, TEXT20, payloads[i], NULL));
        apr_table_set(t, "evidence", payloads[i]);
        apr_table_set(t, "name", payloads[i]);
        expect_ok(CREDIT_FORM_COMPLAINT, t);
        ck_assert_str_eq(apr_table_get(form.values, "title"), payloads[i]);
        ck_assert_str_eq(apr_table_get(form.values, "name"), payloads[i]);
        /* and refused where the type says so, still kept */
        apr_table_set(t, "district", payloads[i]);
        apr_table_set(t, "phone", payloads[i]);
        apr_table_set(t, "email", payloads[i]);
        ck_assert_int_eq(run(CREDIT_FORM_COMPLAINT, t), CREDIT_EINVAL);
        ck_assert_int_eq(n_errors(), 3);
        ck_assert_str_eq(apr_table_get(form.values, "district"), payloads[i]);
    }
}
END_TEST

START_TEST(messages_follow_the_language)
{
    apr_table_t *t = complaint();

    apr_table_set(t, "content", "太短");
    apr_table_unset(t, "district");
    apr_table_set(t, "phone", "１３８１２３４５６７８");
    apr_table_set(t, "target", "对象\x08");
    memset(&form, 0, sizeof(form));
    ck_assert_int_eq(
        credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t, today, lang_text("en"), &form),
        CREDIT_EINVAL);
    ck_assert_str_eq(apr_table_get(form.errors, "content"),
                     "Complaint needs at least 20 characters");
    ck_assert_str_eq(apr_table_get(form.errors, "district"), "Please choose: District");
    ck_assert_str_eq(apr_table_get(form.errors, "target"),
                     "Complaint against contains a character that is not allowed "
                     "(U+0008); please remove it and submit again");
    ck_assert_ptr_nonnull(strstr(apr_table_get(form.errors, "phone"), "half-width digits"));
    /* the same form in Chinese */
    ck_assert_int_eq(credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t, today, ZH, &form),
                     CREDIT_EINVAL);
    ck_assert_str_eq(apr_table_get(form.errors, "content"), "投诉内容至少需要20字");
    /* without a text source: the codes and field names */
    ck_assert_int_eq(credit_form_validate(unit_pool, CREDIT_FORM_COMPLAINT, t, today, NULL, &form),
                     CREDIT_EINVAL);
    ck_assert_str_eq(apr_table_get(form.errors, "content"), "too_short: content");
}
END_TEST

START_TEST(every_label_and_message_is_in_both_languages)
{
    static const char *const codes[] = {
        "required",    "choose",     "confirm",     "control", "too_long",        "too_short",
        "date_format", "date_early", "date_future", "phone",   "phone_fullwidth", "email",
        "contact",     "choice",     "flag",        "id",      "duplicate",       "utf8",
        "unchecked"};
    const char *langs[] = {"zh-CN", "en"};
    size_t i, l;
    int k, n;

    for (l = 0; l < 2; l++) {
        const credit_form_text_t *t = lang_text(langs[l]);
        for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
            ck_assert_msg(
                t->say(t->baton, apr_pstrcat(unit_pool, "Lang.form.err.", codes[i], NULL)) != NULL,
                "%s: no message %s", langs[l], codes[i]);
        for (k = CREDIT_FORM_COMPLAINT; k <= CREDIT_FORM_REPAIR; k++) {
            const credit_field_t *f = credit_form_fields((credit_form_kind_t)k, &n);
            int j;
            for (j = 0; j < n; j++)
                ck_assert_msg(t->say(t->baton, apr_pstrcat(unit_pool, "Lang.form.label.", f[j].name,
                                                           NULL)) != NULL,
                              "%s: no label for %s", langs[l], f[j].name);
        }
    }
}
END_TEST

Suite *form_suite(void)
{
    Suite *s = suite_create("form");
    TCase *tables = tcase_create("tables");
    TCase *fields = tcase_create("fields");
    TCase *forms = tcase_create("forms");

    tcase_add_checked_fixture(tables, unit_setup, unit_teardown);
    tcase_add_checked_fixture(fields, unit_setup, unit_teardown);
    tcase_add_checked_fixture(forms, unit_setup, unit_teardown);
    tcase_add_test(tables, field_tables);
    tcase_add_test(tables, choices_follow_model);
    tcase_add_test(tables, unknown_kind);
    tcase_add_test(fields, required_missing);
    tcase_add_test(fields, blank_is_missing);
    tcase_add_test(fields, trimmed);
    tcase_add_test(fields, lengths_in_characters);
    tcase_add_test(fields, lengths_other_forms);
    tcase_add_test(fields, one_line_controls);
    tcase_add_test(fields, long_text_controls);
    tcase_add_test(fields, long_text_line_breaks);
    tcase_add_test(fields, invalid_utf8);
    tcase_add_test(fields, duplicated_names);
    tcase_add_test(fields, dates);
    tcase_add_test(fields, phones);
    tcase_add_test(fields, emails);
    tcase_add_test(fields, contacts);
    tcase_add_test(fields, enums);
    tcase_add_test(fields, flags);
    tcase_add_test(fields, subject_ids);
    tcase_add_test(forms, complaint_minimal);
    tcase_add_test(forms, messages_follow_the_language);
    tcase_add_test(forms, every_label_and_message_is_in_both_languages);
    tcase_add_test(forms, complaint_full);
    tcase_add_test(forms, objection_and_repair_good);
    tcase_add_test(forms, all_errors_at_once);
    tcase_add_test(forms, hostile_values_kept_verbatim);
    suite_add_tcase(s, tables);
    suite_add_tcase(s, fields);
    suite_add_tcase(s, forms);
    return s;
}
