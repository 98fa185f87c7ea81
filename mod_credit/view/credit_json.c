/* credit_json.c: see credit_json.h. */
#include <stdio.h>
#include <apr_strings.h>
#include "credit_json.h"
#include "credit_model.h"
#include "credit_rules.h"

const char *credit_json_error(apr_pool_t *p, const char *code, const char *message, apr_size_t *len)
{
    json_object *o = credit_json_new(p);
    json_object *e = json_object_new_object();
    credit_json_str(e, "code", code);
    credit_json_str(e, "message", message);
    json_object_object_add(o, "error", e);
    return credit_json_text(p, o, len);
}

/* Adds key: code and key_label: its Chinese label. */
static void coded(json_object *o, const char *key, const credit_enum_t *e, const char *code)
{
    const credit_enum_item_t *it = credit_enum_find(e, code);
    char label[64];
    credit_json_str(o, key, code);
    snprintf(label, sizeof label, "%s_label", key);
    credit_json_str(o, label, it ? it->zh : NULL);
}

static void date(json_object *o, const char *key, credit_date_t d)
{
    char buf[16];
    credit_json_str(o, key, d.y ? credit_date_fmt(d, buf) : NULL);
}

json_object *credit_json_subject(apr_pool_t *p, const credit_subject_t *s)
{
    json_object *o = json_object_new_object();
    (void)p;
    json_object_object_add(o, "id", json_object_new_int64((int64_t)s->id));
    credit_json_str(o, "name", s->name);
    coded(o, "kind", &credit_kinds, s->kind);
    credit_json_str(o, "credit_code", s->credit_code);
    coded(o, "district", &credit_districts, s->district);
    coded(o, "level", &credit_levels, s->level);
    credit_json_str(o, "position", s->position);
    credit_json_str(o, "id_masked", s->id_masked);
    if (s->employer_id) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "id", json_object_new_int64((int64_t)s->employer_id));
        credit_json_str(e, "name", s->employer_name);
        json_object_object_add(o, "employer", e);
    } else {
        json_object_object_add(o, "employer", NULL);
    }
    return o;
}

json_object *credit_json_record(apr_pool_t *p, const char *url_base, const credit_record_t *r,
                                int detail)
{
    json_object *o = json_object_new_object();
    credit_json_str(o, "no", r->record_no);
    credit_json_str(o, "url", apr_pstrcat(p, url_base, "/records/", r->record_no, NULL));
    credit_json_str(o, "title", r->title);
    coded(o, "category", &credit_categories, r->category);
    coded(o, "domain", &credit_domains, r->domain);
    coded(o, "severity", &credit_severities, r->severity);
    coded(o, "status", &credit_statuses, r->status);
    credit_json_str(o, "decision_no", r->decision_no);
    credit_json_str(o, "authority", r->authority);
    credit_json_str(o, "decided_on", r->decided_on);
    date(o, "disclosed_on", r->clock.disclosed);
    date(o, "repair_from", r->clock.repair_from);
    date(o, "withdraw_on", r->clock.withdraw_on);
    credit_json_str(o, "amount", r->amount);
    credit_json_str(o, "updated_at", r->updated_at);
    json_object_object_add(o, "subject", credit_json_subject(p, &r->subject));
    if (detail) {
        json_object *rect = json_object_new_object();
        credit_json_str(o, "facts", r->facts);
        credit_json_str(o, "legal_basis", r->legal_basis);
        credit_json_str(o, "department", r->department);
        credit_json_str(o, "correction_note", r->correction_note);
        credit_json_str(rect, "text", r->rectification);
        credit_json_str(rect, "due", r->rectify_due);
        json_object_object_add(rect, "done", json_object_new_boolean(r->rectified));
        json_object_object_add(o, "rectification", rect);
    }
    return o;
}
