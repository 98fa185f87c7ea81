/* credit_model.c: the enumerations of SPEC section 3. The codes here are the
 * ones of the ENUM columns in sql/001_schema.sql; keep both in step. */
#include <string.h>

#include "credit_model.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* City level first, then the 16 districts in the order of GB/T 2260. */
static const credit_enum_item_t district_items[] = {
    {"city", "市级", "Municipal"},      {"heping", "和平区", "Heping"},
    {"hedong", "河东区", "Hedong"},     {"hexi", "河西区", "Hexi"},
    {"nankai", "南开区", "Nankai"},     {"hebei", "河北区", "Hebei"},
    {"hongqiao", "红桥区", "Hongqiao"}, {"dongli", "东丽区", "Dongli"},
    {"xiqing", "西青区", "Xiqing"},     {"jinnan", "津南区", "Jinnan"},
    {"beichen", "北辰区", "Beichen"},   {"wuqing", "武清区", "Wuqing"},
    {"baodi", "宝坻区", "Baodi"},       {"binhai", "滨海新区", "Binhai New Area"},
    {"ninghe", "宁河区", "Ninghe"},     {"jinghai", "静海区", "Jinghai"},
    {"jizhou", "蓟州区", "Jizhou"},
};

static const credit_enum_item_t kind_items[] = {
    {"gov", "政府机构", "Government body"},
    {"official", "公务员", "Civil servant"},
};

static const credit_enum_item_t level_items[] = {
    {"city", "市级", "Municipal"},
    {"district", "区级", "District"},
    {"township", "街乡镇级", "Street or township"},
};

static const credit_enum_item_t category_items[] = {
    {"judgment", "司法判决", "Court judgment"},
    {"penalty", "行政处罚", "Administrative penalty"},
    {"discipline", "纪律处分", "Disciplinary sanction"},
    {"accountability", "问责处理", "Accountability measure"},
    {"breach", "失信违约", "Breach of commitment"},
};

static const credit_enum_item_t domain_items[] = {
    {"procurement", "政府采购", "Government procurement"},
    {"ppp", "政府和社会资本合作", "Public-private partnership"},
    {"bidding", "招标投标", "Tendering and bidding"},
    {"investment", "招商引资", "Investment promotion"},
    {"debt", "地方政府债务", "Local government debt"},
    {"grassroots", "街道乡镇公共服务", "Street and township public services"},
    {"other", "其他", "Other"},
};

static const credit_enum_item_t severity_items[] = {
    {"minor", "轻微", "Minor"},
    {"general", "一般", "General"},
    {"serious", "严重", "Serious"},
};

/* The first three are public, the last three withdrawn (see
 * credit_status_withdrawn). */
static const credit_enum_item_t status_items[] = {
    {"published", "公示中", "Published"}, {"contested", "异议处理中", "Under objection"},
    {"corrected", "已更正", "Corrected"}, {"repaired", "已修复", "Credit repaired"},
    {"revoked", "已撤销", "Revoked"},     {"expired", "公示期满", "Disclosure period over"},
};

static const credit_enum_item_t event_items[] = {
    {"listed", "列入", "Listed"},
    {"contested", "提出异议", "Objection filed"},
    {"uncontested", "异议不成立", "Objection not upheld"},
    {"corrected", "更正", "Corrected"},
    {"repaired", "信用修复", "Credit repaired"},
    {"revoked", "撤销", "Revoked"},
    {"expired", "公示期满", "Disclosure period over"},
};

static const credit_enum_item_t area_items[] = {
    {"employment", "就业", "Employment"},
    {"property", "物业", "Property management"},
    {"schooling", "就学", "Schooling"},
    {"family", "计生", "Family planning"},
    {"elderly", "养老", "Elderly care"},
    {"disability", "助残", "Disability support"},
    {"poverty", "扶贫", "Poverty alleviation"},
    {"insurance", "医保", "Medical insurance"},
    {"housing", "住房", "Housing"},
    {"transport", "出行", "Transportation"},
    {"parking", "停车", "Parking"},
    {"safety", "防火防盗", "Fire and theft prevention"},
    {"military", "拥军优属", "Support for military families"},
    {"services", "便民服务", "Convenience services"},
};

static const credit_enum_item_t commitment_status_items[] = {
    {"pending", "践诺中", "In progress"},
    {"kept", "已践诺", "Kept"},
    {"broken", "未践诺", "Broken"},
};

static const credit_enum_item_t grade_items[] = {
    {"A", "优秀", "Excellent"},
    {"B", "良好", "Good"},
    {"C", "一般", "Fair"},
    {"D", "较差", "Poor"},
};

const credit_enum_t credit_districts = {"district", district_items, N_ITEMS(district_items)};
const credit_enum_t credit_kinds = {"kind", kind_items, N_ITEMS(kind_items)};
const credit_enum_t credit_levels = {"level", level_items, N_ITEMS(level_items)};
const credit_enum_t credit_categories = {"category", category_items, N_ITEMS(category_items)};
const credit_enum_t credit_domains = {"domain", domain_items, N_ITEMS(domain_items)};
const credit_enum_t credit_severities = {"severity", severity_items, N_ITEMS(severity_items)};
const credit_enum_t credit_statuses = {"status", status_items, N_ITEMS(status_items)};
const credit_enum_t credit_events = {"event", event_items, N_ITEMS(event_items)};
const credit_enum_t credit_areas = {"area", area_items, N_ITEMS(area_items)};
const credit_enum_t credit_commitment_statuses = {"status", commitment_status_items,
                                                  N_ITEMS(commitment_status_items)};
const credit_enum_t credit_grades = {"grade", grade_items, N_ITEMS(grade_items)};

const credit_enum_item_t *credit_enum_find(const credit_enum_t *e, const char *code)
{
    size_t i;

    if (e == NULL || code == NULL) {
        return NULL;
    }
    for (i = 0; i < e->n; i++) {
        if (strcmp(e->items[i].code, code) == 0) {
            return &e->items[i];
        }
    }
    return NULL;
}

int credit_status_withdrawn(const char *status)
{
    if (status == NULL) {
        return 0;
    }
    return strcmp(status, "repaired") == 0 || strcmp(status, "revoked") == 0 ||
           strcmp(status, "expired") == 0;
}
