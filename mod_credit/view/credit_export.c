/* credit_export.c: the columns of the record exports, the typing of their
 * values for spreadsheet cells and the text a workbook cell holds. Pure: no
 * httpd, no libxlsxwriter. */
#include <string.h>
#include <apr_strings.h>

#include "credit_export.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* What the list shows, every field of the record, and the provenance
 * columns (number, permanent link, source department, last change). */
const credit_export_col_t credit_export_cols[CREDIT_EXPORT_COLS] = {
    {"记录编号 record_no", CREDIT_COL_TEXT, 18},
    {"永久链接 url", CREDIT_COL_TEXT, 40},
    {"失信行为 title", CREDIT_COL_TEXT, 40},
    {"失信主体 subject", CREDIT_COL_TEXT, 30},
    {"主体类型 kind", CREDIT_COL_TEXT, 12},
    {"统一社会信用代码 credit_code", CREDIT_COL_TEXT, 22},
    {"身份证号码(脱敏) id_masked", CREDIT_COL_TEXT, 22},
    {"地区 district", CREDIT_COL_TEXT, 12},
    {"类别 category", CREDIT_COL_TEXT, 12},
    {"领域 domain", CREDIT_COL_TEXT, 16},
    {"严重程度 severity", CREDIT_COL_TEXT, 10},
    {"状态 status", CREDIT_COL_TEXT, 12},
    {"失信事实 facts", CREDIT_COL_TEXT, 60},
    {"认定依据 legal_basis", CREDIT_COL_TEXT, 40},
    {"决定书文号 decision_no", CREDIT_COL_TEXT, 26},
    {"决定机关 authority", CREDIT_COL_TEXT, 26},
    {"决定日期 decided_on", CREDIT_COL_DATE, 12},
    {"公示日期 disclosed_on", CREDIT_COL_DATE, 12},
    {"最早可修复日期 repair_from", CREDIT_COL_DATE, 14},
    {"撤下日期 withdraw_on", CREDIT_COL_DATE, 12},
    {"金额(元) amount", CREDIT_COL_NUMBER, 16},
    {"信息来源部门 department", CREDIT_COL_TEXT, 26},
    {"最后变更 updated_at", CREDIT_COL_DATETIME, 20},
};

static const char *label(const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    return it ? it->zh : code;
}

void credit_export_values(const credit_record_t *r, const char *url_base, credit_export_buf_t *buf,
                          const char *out[CREDIT_EXPORT_COLS])
{
    apr_snprintf(buf->url, sizeof buf->url, "%s/records/%s", url_base ? url_base : "",
                 r->record_no ? r->record_no : "");
    out[0] = r->record_no;
    out[1] = buf->url;
    out[2] = r->title;
    out[3] = r->subject.name;
    out[4] = label(&credit_kinds, r->subject.kind);
    out[5] = r->subject.credit_code;
    out[6] = r->subject.id_masked;
    out[7] = label(&credit_districts, r->subject.district);
    out[8] = label(&credit_categories, r->category);
    out[9] = label(&credit_domains, r->domain);
    out[10] = label(&credit_severities, r->severity);
    out[11] = label(&credit_statuses, r->status);
    out[12] = r->facts;
    out[13] = r->legal_basis;
    out[14] = r->decision_no;
    out[15] = r->authority;
    out[16] = r->decided_on;
    out[17] = r->clock.disclosed.y ? credit_date_fmt(r->clock.disclosed, buf->dates[0]) : NULL;
    out[18] = r->clock.repair_from.y ? credit_date_fmt(r->clock.repair_from, buf->dates[1]) : NULL;
    out[19] = r->clock.withdraw_on.y ? credit_date_fmt(r->clock.withdraw_on, buf->dates[2]) : NULL;
    out[20] = r->amount;
    out[21] = r->department;
    out[22] = r->updated_at;
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A plain decimal of at most 15 significant digits as the nearest double:
 * the digits as an exact integer (< 2^53) divided by an exact power of ten
 * is correctly rounded, and no locale is asked for the decimal point.
 * Returns 1, or 0 when s is not such a number. */
static int decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    unsigned long long n = 0;
    int neg = 0, digits = 0, frac = 0, seen_point = 0;

    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!digit(*s))
        return 0;
    for (; *s; s++) {
        if (*s == '.' && !seen_point) {
            seen_point = 1;
            if (!digit(s[1]))
                return 0;
            continue;
        }
        if (!digit(*s))
            return 0;
        if (n || *s != '0')
            digits++;
        if (digits > 15)
            return 0;
        n = n * 10 + (unsigned long long)(*s - '0');
        frac += seen_point;
    }
    if (frac > 15)
        return 0;
    *out = (double)n / pow10[frac];
    if (neg)
        *out = -*out;
    return 1;
}

/* Two digits at s in lo..hi. */
static int two(const char *s, int lo, int hi, int *out)
{
    if (!digit(s[0]) || !digit(s[1]))
        return 0;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return *out >= lo && *out <= hi;
}

credit_col_type_t credit_export_cell(credit_col_type_t type, const char *value, credit_cell_t *out)
{
    credit_date_t d;
    char day[11];

    memset(out, 0, sizeof *out);
    out->type = CREDIT_COL_TEXT;
    out->text = value && *value ? value : NULL;
    if (!out->text)
        return out->type;
    switch (type) {
    case CREDIT_COL_NUMBER:
        if (decimal(value, &out->number))
            out->type = CREDIT_COL_NUMBER;
        break;
    case CREDIT_COL_DATE:
    case CREDIT_COL_DATETIME:
        if (strlen(value) != (type == CREDIT_COL_DATE ? 10u : 19u))
            break;
        memcpy(day, value, 10);
        day[10] = '\0';
        if (!credit_date_parse(day, &d))
            break;
        if (type == CREDIT_COL_DATETIME && !(value[10] == ' ' && two(value + 11, 0, 23, &out->h) &&
                                             value[13] == ':' && two(value + 14, 0, 59, &out->mi) &&
                                             value[16] == ':' && two(value + 17, 0, 59, &out->s))) {
            out->h = out->mi = out->s = 0;
            break;
        }
        out->y = d.y;
        out->mo = d.m;
        out->d = d.d;
        out->type = type;
        break;
    case CREDIT_COL_TEXT:
        break;
    }
    if (out->type != CREDIT_COL_TEXT)
        out->text = NULL;
    return out->type;
}

static int hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char *credit_export_cell_text(apr_pool_t *p, const char *s, size_t max)
{
    size_t len, i, n = 0, chars = 0;
    char *clean = credit_xml_clean(p, s, strlen(s), &len);
    char *out = apr_palloc(p, len * 2 + 1), *o = out; /* "_x0041_" grows to 13 bytes */
    for (i = 0; i < len && chars < max; i += n, chars++) {
        if (clean[i] == '_' && i + 6 < len && (clean[i + 1] == 'x' || clean[i + 1] == 'X') &&
            hex(clean[i + 2]) && hex(clean[i + 3]) && hex(clean[i + 4]) && hex(clean[i + 5]) &&
            clean[i + 6] == '_') {
            if (chars + 7 > max)
                break;
            memcpy(o, "_x005F_", 7);
            o += 7;
            chars += 6;
            n = 1;
            continue;
        }
        /* one character: its lead byte and continuation bytes (valid UTF-8 here) */
        for (n = 1; i + n < len && ((unsigned char)clean[i + n] & 0xC0) == 0x80; n++)
            ;
        memcpy(o, clean + i, n);
        o += n;
    }
    *o = '\0';
    return out;
}

int credit_export_csv_start(credit_write_fn *write, void *ctx)
{
    const char *names[CREDIT_EXPORT_COLS];
    int i, rv = write ? write(ctx, CREDIT_CSV_BOM, CREDIT_CSV_BOM_LEN) : CREDIT_CSV_EARG;
    if (rv != 0)
        return rv;
    for (i = 0; i < CREDIT_EXPORT_COLS; i++)
        names[i] = credit_export_cols[i].name;
    return credit_csv_row(write, ctx, names, CREDIT_EXPORT_COLS, NULL);
}

int credit_export_csv_cells(credit_write_fn *write, void *ctx,
                            const char *const values[CREDIT_EXPORT_COLS])
{
    unsigned flags[CREDIT_EXPORT_COLS];
    int i;
    for (i = 0; i < CREDIT_EXPORT_COLS; i++)
        flags[i] = credit_export_cols[i].type == CREDIT_COL_NUMBER ? CREDIT_CSV_NUMERIC : 0;
    return credit_csv_row(write, ctx, values, CREDIT_EXPORT_COLS, flags);
}

int credit_export_csv_record(credit_write_fn *write, void *ctx, const char *url_base,
                             const credit_record_t *r)
{
    credit_export_buf_t buf; /* a pool would grow by a row: on the stack */
    const char *f[CREDIT_EXPORT_COLS];
    credit_export_values(r, url_base, &buf, f);
    return credit_export_csv_cells(write, ctx, f);
}
