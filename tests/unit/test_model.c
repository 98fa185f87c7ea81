/* test_model.c: the enumeration tables and their lookups. */
#include <string.h>

#include "credit_model.h"
#include "credit_validate.h"
#include "unit.h"

typedef struct {
    const char *code, *zh;
} pair_t;

static void check_enum(const credit_enum_t *e, const char *name, const pair_t *want, size_t n)
{
    size_t i;

    ck_assert_str_eq(e->name, name);
    ck_assert_uint_eq(e->n, n);
    for (i = 0; i < n; i++) {
        ck_assert_msg(strcmp(e->items[i].code, want[i].code) == 0, "%s[%zu]: %s, want %s", name, i,
                      e->items[i].code, want[i].code);
        ck_assert_msg(strcmp(e->items[i].zh, want[i].zh) == 0, "%s %s: %s, want %s", name,
                      want[i].code, e->items[i].zh, want[i].zh);
        ck_assert_ptr_nonnull(e->items[i].en);
        ck_assert_uint_gt(strlen(e->items[i].en), 0);
    }
}

START_TEST(districts_in_order)
{
    static const pair_t want[] = {
        {"city", "市级"},     {"heping", "和平区"},   {"hedong", "河东区"},   {"hexi", "河西区"},
        {"nankai", "南开区"}, {"hebei", "河北区"},    {"hongqiao", "红桥区"}, {"dongli", "东丽区"},
        {"xiqing", "西青区"}, {"jinnan", "津南区"},   {"beichen", "北辰区"},  {"wuqing", "武清区"},
        {"baodi", "宝坻区"},  {"binhai", "滨海新区"}, {"ninghe", "宁河区"},   {"jinghai", "静海区"},
        {"jizhou", "蓟州区"},
    };
    check_enum(&credit_districts, "district", want, sizeof(want) / sizeof(want[0]));
    ck_assert_uint_eq(credit_districts.n, 17);
}
END_TEST

START_TEST(small_enums)
{
    static const pair_t kinds[] = {{"gov", "政府机构"}, {"official", "公务员"}};
    static const pair_t levels[] = {
        {"city", "市级"}, {"district", "区级"}, {"township", "街乡镇级"}};
    static const pair_t categories[] = {{"judgment", "司法判决"},
                                        {"penalty", "行政处罚"},
                                        {"discipline", "纪律处分"},
                                        {"accountability", "问责处理"},
                                        {"breach", "失信违约"}};
    static const pair_t domains[] = {{"procurement", "政府采购"},
                                     {"ppp", "政府和社会资本合作"},
                                     {"bidding", "招标投标"},
                                     {"investment", "招商引资"},
                                     {"debt", "地方政府债务"},
                                     {"grassroots", "街道乡镇公共服务"},
                                     {"other", "其他"}};
    static const pair_t severities[] = {
        {"minor", "轻微"}, {"general", "一般"}, {"serious", "严重"}};
    static const pair_t statuses[] = {{"published", "公示中"}, {"contested", "异议处理中"},
                                      {"corrected", "已更正"}, {"repaired", "已修复"},
                                      {"revoked", "已撤销"},   {"expired", "公示期满"}};
    static const pair_t events[] = {
        {"listed", "列入"},     {"contested", "提出异议"}, {"uncontested", "异议不成立"},
        {"corrected", "更正"},  {"repaired", "信用修复"},  {"revoked", "撤销"},
        {"expired", "公示期满"}};

    check_enum(&credit_kinds, "kind", kinds, 2);
    check_enum(&credit_levels, "level", levels, 3);
    check_enum(&credit_categories, "category", categories, 5);
    check_enum(&credit_domains, "domain", domains, 7);
    check_enum(&credit_severities, "severity", severities, 3);
    check_enum(&credit_statuses, "status", statuses, 6);
    check_enum(&credit_events, "event", events, 7);
}
END_TEST

/* Codes go into URLs and ENUM columns: short lowercase ASCII, unique; labels
 * are valid UTF-8. */
START_TEST(codes_are_url_safe_and_unique)
{
    const credit_enum_t *all[] = {&credit_districts,  &credit_kinds,   &credit_levels,
                                  &credit_categories, &credit_domains, &credit_severities,
                                  &credit_statuses,   &credit_events};
    size_t e, i, j;
    const char *c;

    for (e = 0; e < sizeof(all) / sizeof(all[0]); e++) {
        for (i = 0; i < all[e]->n; i++) {
            const credit_enum_item_t *it = &all[e]->items[i];

            ck_assert_uint_gt(strlen(it->code), 0);
            ck_assert_uint_le(strlen(it->code), 16);
            for (c = it->code; *c; c++) {
                ck_assert_msg(*c >= 'a' && *c <= 'z', "%s: bad char in code %s", all[e]->name,
                              it->code);
            }
            ck_assert(credit_utf8_valid(it->zh, strlen(it->zh)));
            ck_assert(credit_utf8_valid(it->en, strlen(it->en)));
            for (j = i + 1; j < all[e]->n; j++) {
                ck_assert_str_ne(it->code, all[e]->items[j].code);
            }
        }
    }
}
END_TEST

START_TEST(enum_find)
{
    const credit_enum_item_t *it = credit_enum_find(&credit_districts, "binhai");

    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(it->zh, "滨海新区");
    ck_assert_ptr_eq(it, &credit_districts.items[13]);
    it = credit_enum_find(&credit_districts, "city");
    ck_assert_ptr_eq(it, &credit_districts.items[0]);
    it = credit_enum_find(&credit_districts, "jizhou");
    ck_assert_ptr_eq(it, &credit_districts.items[16]);
    ck_assert_str_eq(credit_enum_find(&credit_events, "uncontested")->zh, "异议不成立");
    ck_assert_str_eq(credit_enum_find(&credit_severities, "serious")->zh, "严重");

    ck_assert_ptr_null(credit_enum_find(&credit_districts, NULL));
    ck_assert_ptr_null(credit_enum_find(NULL, "heping"));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, ""));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "Heping"));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "hep"));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "hepingx"));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "heping "));
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "和平区"));
    /* a code of another enumeration is not a district */
    ck_assert_ptr_null(credit_enum_find(&credit_districts, "township"));
    ck_assert_ptr_nonnull(credit_enum_find(&credit_levels, "township"));
}
END_TEST

START_TEST(status_withdrawn)
{
    ck_assert_int_eq(credit_status_withdrawn("repaired"), 1);
    ck_assert_int_eq(credit_status_withdrawn("revoked"), 1);
    ck_assert_int_eq(credit_status_withdrawn("expired"), 1);
    ck_assert_int_eq(credit_status_withdrawn("published"), 0);
    ck_assert_int_eq(credit_status_withdrawn("contested"), 0);
    ck_assert_int_eq(credit_status_withdrawn("corrected"), 0);
    ck_assert_int_eq(credit_status_withdrawn(NULL), 0);
    ck_assert_int_eq(credit_status_withdrawn(""), 0);
    ck_assert_int_eq(credit_status_withdrawn("Revoked"), 0);
    ck_assert_int_eq(credit_status_withdrawn("revoked "), 0);
}
END_TEST

Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("enums");

    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, districts_in_order);
    tcase_add_test(tc, small_enums);
    tcase_add_test(tc, codes_are_url_safe_and_unique);
    tcase_add_test(tc, enum_find);
    tcase_add_test(tc, status_withdrawn);
    suite_add_tcase(s, tc);
    return s;
}
