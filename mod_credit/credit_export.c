/* credit_export.c: see credit_export.h. */
#include <apr_strings.h>

#include "credit_export.h"
#include "credit_model.h"
#include "credit_rules.h"

static const char *label(const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    return it ? it->zh : code;
}

static const char *const csv_header[] = {
    "记录编号 record_no",
    "永久链接 url",
    "失信行为 title",
    "失信主体 subject",
    "主体类型 kind",
    "统一社会信用代码 credit_code",
    "身份证号码(脱敏) id_masked",
    "地区 district",
    "类别 category",
    "领域 domain",
    "严重程度 severity",
    "状态 status",
    "失信事实 facts",
    "认定依据 legal_basis",
    "决定书文号 decision_no",
    "决定机关 authority",
    "决定日期 decided_on",
    "公示日期 disclosed_on",
    "最早可修复日期 repair_from",
    "撤下日期 withdraw_on",
    "金额(元) amount",
    "信息来源部门 department",
    "最后变更 updated_at",
};
#define CSV_COLS (sizeof csv_header / sizeof csv_header[0])

static const unsigned csv_flags[CSV_COLS] = {[20] = CREDIT_CSV_NUMERIC};

int credit_export_csv_start(credit_write_fn *write, void *ctx)
{
    int rv = write ? write(ctx, CREDIT_CSV_BOM, CREDIT_CSV_BOM_LEN) : CREDIT_CSV_EARG;
    if (rv != 0)
        return rv;
    return credit_csv_row(write, ctx, csv_header, CSV_COLS, NULL);
}

int credit_export_csv_record(credit_write_fn *write, void *ctx, const char *url_base,
                             const credit_record_t *r)
{
    char d1[16], d2[16], d3[16];
    const char *f[CSV_COLS];
    char url[512];
    apr_snprintf(url, sizeof url, "%s/records/%s", url_base, r->record_no);
    f[0] = r->record_no;
    f[1] = url; /* a pool would grow by a row: built on the stack */
    f[2] = r->title;
    f[3] = r->subject.name;
    f[4] = label(&credit_kinds, r->subject.kind);
    f[5] = r->subject.credit_code;
    f[6] = r->subject.id_masked;
    f[7] = label(&credit_districts, r->subject.district);
    f[8] = label(&credit_categories, r->category);
    f[9] = label(&credit_domains, r->domain);
    f[10] = label(&credit_severities, r->severity);
    f[11] = label(&credit_statuses, r->status);
    f[12] = r->facts;
    f[13] = r->legal_basis;
    f[14] = r->decision_no;
    f[15] = r->authority;
    f[16] = r->decided_on;
    f[17] = credit_date_fmt(r->clock.disclosed, d1);
    f[18] = r->clock.repair_from.y ? credit_date_fmt(r->clock.repair_from, d2) : NULL;
    f[19] = credit_date_fmt(r->clock.withdraw_on, d3);
    f[20] = r->amount;
    f[21] = r->department;
    f[22] = r->updated_at;
    return credit_csv_row(write, ctx, f, CSV_COLS, csv_flags);
}
