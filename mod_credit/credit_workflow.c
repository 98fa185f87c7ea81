/* credit_workflow.c: see credit_workflow.h. */
#include <string.h>

#include "credit_workflow.h"

typedef struct {
    const char *event;    /* what staff post */
    const char *from[4];  /* statuses it applies to */
    const char *to;       /* status after it */
    const char *timeline; /* record_events.event */
} record_rule_t;

static const record_rule_t record_rules[] = {
    {"contest", {"published", "corrected", NULL}, "contested", "contested"},
    {"uncontest", {"contested", NULL}, "published", "uncontested"},
    {"correct", {"published", "contested", "corrected", NULL}, "corrected", "corrected"},
    {"revoke", {"published", "contested", "corrected", NULL}, "revoked", "revoked"},
    {"repair", {"published", "corrected", NULL}, "repaired", "repaired"},
};

const char *credit_record_event(const char *status, const char *event, int *known,
                                const char **timeline_event)
{
    size_t i, j;
    *known = 0;
    if (!status || !event)
        return NULL;
    for (i = 0; i < sizeof record_rules / sizeof record_rules[0]; i++) {
        if (strcmp(record_rules[i].event, event) != 0)
            continue;
        *known = 1;
        for (j = 0; record_rules[i].from[j]; j++) {
            if (!strcmp(record_rules[i].from[j], status)) {
                if (timeline_event)
                    *timeline_event = record_rules[i].timeline;
                return record_rules[i].to;
            }
        }
        return NULL;
    }
    return NULL;
}

typedef struct {
    const char *kind;
    const char *from;
    const char *const to[4];
} case_rule_t;

static const case_rule_t case_rules[] = {
    {"complaint", "received", {"accepted", "rejected", NULL}},
    {"complaint", "accepted", {"processing", "concluded", NULL}},
    {"complaint", "processing", {"concluded", NULL}},
    {"objection", "received", {"accepted", "rejected", NULL}},
    {"objection", "accepted", {"upheld", "corrected", "revoked", NULL}},
    {"repair", "received", {"accepted", "rejected", NULL}},
    {"repair", "accepted", {"approved", "denied", NULL}},
};

static const char *const none[] = {NULL};

/* The final states of each kind: nothing follows them. */
static const struct {
    const char *kind;
    const char *const finals[4];
} case_finals[] = {
    {"complaint", {"rejected", "concluded", NULL}},
    {"objection", {"rejected", "upheld", "corrected", "revoked"}},
    {"repair", {"rejected", "approved", "denied", NULL}},
};

const char *const *credit_case_next(const char *kind, const char *from)
{
    size_t i, j;
    if (!kind || !from)
        return NULL;
    for (i = 0; i < sizeof case_rules / sizeof case_rules[0]; i++)
        if (!strcmp(case_rules[i].kind, kind) && !strcmp(case_rules[i].from, from))
            return case_rules[i].to;
    for (i = 0; i < sizeof case_finals / sizeof case_finals[0]; i++)
        if (!strcmp(case_finals[i].kind, kind))
            for (j = 0; j < 4 && case_finals[i].finals[j]; j++)
                if (!strcmp(case_finals[i].finals[j], from))
                    return none;
    return NULL;
}

int credit_case_allowed(const char *kind, const char *from, const char *to)
{
    const char *const *next = credit_case_next(kind, from);
    size_t i;
    for (i = 0; next && to && next[i]; i++)
        if (!strcmp(next[i], to))
            return 1;
    return 0;
}

const char *credit_case_record_effect(const char *kind, const char *to)
{
    if (!kind || !to)
        return NULL;
    if (!strcmp(kind, "objection")) {
        if (!strcmp(to, "accepted"))
            return "contested";
        if (!strcmp(to, "upheld"))
            return "published";
        if (!strcmp(to, "corrected") || !strcmp(to, "revoked"))
            return to;
    }
    if (!strcmp(kind, "repair") && !strcmp(to, "approved"))
        return "repaired";
    return NULL;
}

int credit_case_due_days(const char *kind)
{
    if (kind && !strcmp(kind, "objection"))
        return 20;
    if (kind && !strcmp(kind, "repair"))
        return 3;
    return 15;
}
