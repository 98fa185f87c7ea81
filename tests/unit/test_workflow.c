/* test_workflow.c: the state machines of records and of citizens' cases
 * (SPEC 3, credit_workflow.h). Every (state, event) and (kind, from, to)
 * pair is checked against tables written here from the specification, so a
 * change to credit_workflow.c that adds, drops or redirects an arrow fails. */
#include <string.h>

#include "credit_workflow.h"
#include "unit.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- records ---------------------------------------------------------------------------- */

static const char *const record_statuses[] = {"published", "contested", "corrected",
                                              "repaired",  "revoked",   "expired"};
static const char *const record_events[] = {"contest", "uncontest", "correct", "revoke", "repair"};

/* The expected table: event, the statuses it applies to, the status after,
 * the timeline event it writes. Anything not listed is illegal. */
static const struct {
    const char *event;
    const char *from;
    const char *to;
    const char *timeline;
} record_legal[] = {
    {"contest", "published", "contested", "contested"},
    {"contest", "corrected", "contested", "contested"},
    {"uncontest", "contested", "published", "uncontested"},
    {"correct", "published", "corrected", "corrected"},
    {"correct", "contested", "corrected", "corrected"},
    {"correct", "corrected", "corrected", "corrected"},
    {"revoke", "published", "revoked", "revoked"},
    {"revoke", "contested", "revoked", "revoked"},
    {"revoke", "corrected", "revoked", "revoked"},
    {"repair", "published", "repaired", "repaired"},
    {"repair", "corrected", "repaired", "repaired"},
};

static int record_expected(const char *status, const char *event, const char **to,
                           const char **timeline)
{
    size_t i;
    for (i = 0; i < N(record_legal); i++) {
        if (!strcmp(record_legal[i].from, status) && !strcmp(record_legal[i].event, event)) {
            *to = record_legal[i].to;
            *timeline = record_legal[i].timeline;
            return 1;
        }
    }
    return 0;
}

START_TEST(record_every_status_and_event)
{
    size_t i, j;
    int legal = 0, illegal = 0;
    for (i = 0; i < N(record_statuses); i++) {
        for (j = 0; j < N(record_events); j++) {
            const char *st = record_statuses[i], *ev = record_events[j];
            const char *want_to = NULL, *want_tl = NULL;
            const char *timeline = "untouched";
            int known = -1;
            const char *to = credit_record_event(st, ev, &known, &timeline);
            ck_assert_msg(known == 1, "%s from %s: the event is known, got known=%d", ev, st,
                          known);
            if (record_expected(st, ev, &want_to, &want_tl)) {
                legal++;
                ck_assert_msg(to && !strcmp(to, want_to), "%s from %s: want %s, got %s", ev, st,
                              want_to, to ? to : "NULL");
                ck_assert_msg(!strcmp(timeline, want_tl), "%s from %s: timeline %s, want %s", ev,
                              st, timeline, want_tl);
            } else {
                illegal++;
                ck_assert_msg(to == NULL, "%s from %s must be illegal, got %s", ev, st, to);
                ck_assert_msg(!strcmp(timeline, "untouched"),
                              "%s from %s: an illegal event wrote timeline %s", ev, st, timeline);
            }
        }
    }
    ck_assert_int_eq(legal, 11);
    ck_assert_int_eq(illegal, 19);
}
END_TEST

START_TEST(record_withdrawn_states_are_final)
{
    static const char *const gone[] = {"repaired", "revoked", "expired"};
    size_t i, j;
    for (i = 0; i < N(gone); i++) {
        for (j = 0; j < N(record_events); j++) {
            int known = 0;
            const char *tl = NULL;
            ck_assert_ptr_null(credit_record_event(gone[i], record_events[j], &known, &tl));
            ck_assert_int_eq(known, 1);
            ck_assert_ptr_null(tl);
        }
    }
}
END_TEST

START_TEST(record_only_withdrawing_events_reach_withdrawn_states)
{
    /* contest/uncontest/correct never withdraw; revoke and repair always do */
    size_t i, j;
    for (i = 0; i < N(record_statuses); i++) {
        for (j = 0; j < N(record_events); j++) {
            int known = 0;
            const char *to =
                credit_record_event(record_statuses[i], record_events[j], &known, NULL);
            if (!to)
                continue;
            if (!strcmp(record_events[j], "revoke"))
                ck_assert_str_eq(to, "revoked");
            else if (!strcmp(record_events[j], "repair"))
                ck_assert_str_eq(to, "repaired");
            else
                ck_assert(strcmp(to, "revoked") && strcmp(to, "repaired") && strcmp(to, "expired"));
        }
    }
}
END_TEST

START_TEST(record_timeline_pointer_may_be_null)
{
    int known = 0;
    ck_assert_str_eq(credit_record_event("published", "contest", &known, NULL), "contested");
    ck_assert_int_eq(known, 1);
    known = 7;
    ck_assert_ptr_null(credit_record_event("revoked", "contest", &known, NULL));
    ck_assert_int_eq(known, 1);
}
END_TEST

START_TEST(record_unknown_events)
{
    static const char *const unknown[] = {"",        "Contest", "CONTEST", "contested",
                                          "expire",  "expired", "listed",  "delete",
                                          "publish", "revoke ", " repair", "correct\n"};
    size_t i, j;
    for (i = 0; i < N(unknown); i++) {
        for (j = 0; j < N(record_statuses); j++) {
            int known = 1;
            const char *tl = "untouched";
            ck_assert_ptr_null(credit_record_event(record_statuses[j], unknown[i], &known, &tl));
            ck_assert_msg(known == 0, "'%s' must be unknown", unknown[i]);
            ck_assert_str_eq(tl, "untouched");
        }
    }
}
END_TEST

START_TEST(record_unknown_or_null_status)
{
    static const char *const odd[] = {"", "Published", "bogus", "received", "accepted"};
    size_t i, j;
    int known;
    for (i = 0; i < N(odd); i++) {
        for (j = 0; j < N(record_events); j++) {
            known = 0;
            ck_assert_ptr_null(credit_record_event(odd[i], record_events[j], &known, NULL));
            ck_assert_int_eq(known, 1); /* the event is known, the status allows nothing */
        }
    }
    known = 1;
    ck_assert_ptr_null(credit_record_event(NULL, "contest", &known, NULL));
    known = 1;
    ck_assert_ptr_null(credit_record_event("published", NULL, &known, NULL));
    ck_assert_int_eq(known, 0);
    known = 1;
    ck_assert_ptr_null(credit_record_event(NULL, NULL, &known, NULL));
    ck_assert_int_eq(known, 0);
}
END_TEST

/* ---- cases ------------------------------------------------------------------------------- */

static const char *const complaint_states[] = {"received",   "accepted",  "rejected",
                                               "processing", "concluded", NULL};
static const char *const objection_states[] = {"received",  "accepted", "rejected", "upheld",
                                               "corrected", "revoked",  NULL};
static const char *const repair_states[] = {"received", "accepted", "rejected",
                                            "approved", "denied",   NULL};

/* Every state name of any kind, plus names of none. */
static const char *const any_state[] = {
    "received", "accepted", "rejected", "processing", "concluded",  "upheld",   "corrected",
    "revoked",  "approved", "denied",   "published",  "contested",  "repaired", "expired",
    "",         "bogus",    "Accepted", "accepted ",  "concluded\n"};

static const struct {
    const char *kind, *from, *to;
} case_legal[] = {
    {"complaint", "received", "accepted"},    {"complaint", "received", "rejected"},
    {"complaint", "accepted", "processing"},  {"complaint", "accepted", "concluded"},
    {"complaint", "processing", "concluded"}, {"objection", "received", "accepted"},
    {"objection", "received", "rejected"},    {"objection", "accepted", "upheld"},
    {"objection", "accepted", "corrected"},   {"objection", "accepted", "revoked"},
    {"repair", "received", "accepted"},       {"repair", "received", "rejected"},
    {"repair", "accepted", "approved"},       {"repair", "accepted", "denied"},
};

static const struct {
    const char *kind;
    const char *const *states;
    const char *const *finals;
} kinds[] = {
    {"complaint", complaint_states, (const char *const[]){"rejected", "concluded", NULL}},
    {"objection", objection_states,
     (const char *const[]){"rejected", "upheld", "corrected", "revoked", NULL}},
    {"repair", repair_states, (const char *const[]){"rejected", "approved", "denied", NULL}},
};

static int case_expected(const char *kind, const char *from, const char *to)
{
    size_t i;
    for (i = 0; i < N(case_legal); i++)
        if (!strcmp(case_legal[i].kind, kind) && !strcmp(case_legal[i].from, from) &&
            !strcmp(case_legal[i].to, to))
            return 1;
    return 0;
}

static int in_list(const char *const *list, const char *s)
{
    size_t i;
    for (i = 0; list && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

START_TEST(case_every_transition)
{
    size_t k, i, j;
    int legal = 0, illegal = 0;
    for (k = 0; k < N(kinds); k++) {
        for (i = 0; kinds[k].states[i]; i++) {
            for (j = 0; j < N(any_state); j++) {
                const char *from = kinds[k].states[i], *to = any_state[j];
                int want = case_expected(kinds[k].kind, from, to);
                int got = credit_case_allowed(kinds[k].kind, from, to);
                ck_assert_msg(got == want, "%s %s -> %s: allowed=%d, want %d", kinds[k].kind, from,
                              to, got, want);
                if (want)
                    legal++;
                else if (*to && in_list(kinds[k].states, to))
                    illegal++;
            }
        }
    }
    ck_assert_int_eq(legal, (int)N(case_legal));
    /* 5x5 + 6x6 + 5x5 pairs of a kind's own states, minus the legal ones */
    ck_assert_int_eq(illegal, 25 + 36 + 25 - (int)N(case_legal));
}
END_TEST

START_TEST(case_next_lists_exactly_the_legal_states)
{
    size_t k, i, j, n;
    for (k = 0; k < N(kinds); k++) {
        for (i = 0; kinds[k].states[i]; i++) {
            const char *from = kinds[k].states[i];
            const char *const *next = credit_case_next(kinds[k].kind, from);
            ck_assert_msg(next != NULL, "%s %s: a known state has a list", kinds[k].kind, from);
            for (n = 0; next[n]; n++) {
                ck_assert_msg(case_expected(kinds[k].kind, from, next[n]), "%s %s -> %s listed",
                              kinds[k].kind, from, next[n]);
                for (j = 0; j < n; j++)
                    ck_assert_str_ne(next[j], next[n]); /* no duplicates */
            }
            /* every expected arrow is listed */
            for (j = 0; j < N(case_legal); j++)
                if (!strcmp(case_legal[j].kind, kinds[k].kind) && !strcmp(case_legal[j].from, from))
                    ck_assert_msg(in_list(next, case_legal[j].to), "%s %s -> %s missing",
                                  kinds[k].kind, from, case_legal[j].to);
            /* final states: an empty list, not NULL */
            if (in_list(kinds[k].finals, from))
                ck_assert_msg(next[0] == NULL, "%s %s is final", kinds[k].kind, from);
            else
                ck_assert_msg(next[0] != NULL, "%s %s is not final", kinds[k].kind, from);
        }
    }
}
END_TEST

START_TEST(case_no_self_loops_and_no_way_back_to_received)
{
    size_t k, i;
    for (k = 0; k < N(kinds); k++) {
        for (i = 0; kinds[k].states[i]; i++) {
            const char *s = kinds[k].states[i];
            ck_assert_msg(!credit_case_allowed(kinds[k].kind, s, s), "%s %s -> itself",
                          kinds[k].kind, s);
            ck_assert_msg(!credit_case_allowed(kinds[k].kind, s, "received"), "%s %s -> received",
                          kinds[k].kind, s);
        }
    }
}
END_TEST

START_TEST(case_unknown_kind_or_state)
{
    static const char *const bad_kinds[] = {"", "Complaint", "record", "complaints", "bogus"};
    size_t i, j;
    for (i = 0; i < N(bad_kinds); i++) {
        ck_assert_ptr_null(credit_case_next(bad_kinds[i], "received"));
        ck_assert_ptr_null(credit_case_next(bad_kinds[i], "accepted"));
        for (j = 0; j < N(any_state); j++)
            ck_assert(!credit_case_allowed(bad_kinds[i], "received", any_state[j]));
    }
    ck_assert_ptr_null(credit_case_next(NULL, "received"));
    ck_assert_ptr_null(credit_case_next("complaint", NULL));
    ck_assert_ptr_null(credit_case_next("complaint", "bogus"));
    ck_assert_ptr_null(credit_case_next("complaint", ""));
    ck_assert(!credit_case_allowed(NULL, "received", "accepted"));
    ck_assert(!credit_case_allowed("complaint", NULL, "accepted"));
    ck_assert(!credit_case_allowed("complaint", "received", NULL));
    ck_assert(!credit_case_allowed(NULL, NULL, NULL));
}
END_TEST

/* credit_workflow.h: "NULL for an unknown kind or state". A state name of
 * another kind (a complaint is never "upheld") or a final state asked for an
 * unknown kind is not a state of that kind. */
START_TEST(case_next_of_foreign_state_is_null)
{
    static const struct {
        const char *kind, *state;
    } foreign[] = {
        {"complaint", "upheld"},    {"complaint", "corrected"}, {"complaint", "revoked"},
        {"complaint", "approved"},  {"complaint", "denied"},    {"objection", "processing"},
        {"objection", "concluded"}, {"objection", "approved"},  {"objection", "denied"},
        {"repair", "processing"},   {"repair", "concluded"},    {"repair", "upheld"},
        {"repair", "corrected"},    {"repair", "revoked"},      {"bogus", "rejected"},
        {"bogus", "concluded"},
    };
    size_t i;
    for (i = 0; i < N(foreign); i++)
        ck_assert_msg(credit_case_next(foreign[i].kind, foreign[i].state) == NULL,
                      "credit_case_next(%s, %s) should be NULL (not a state of that kind)",
                      foreign[i].kind, foreign[i].state);
}
END_TEST

START_TEST(case_foreign_states_never_allowed)
{
    /* whatever credit_case_next answers, nothing moves from or to another kind's state */
    size_t k, j, i;
    for (k = 0; k < N(kinds); k++) {
        for (j = 0; j < N(any_state); j++) {
            if (in_list(kinds[k].states, any_state[j]))
                continue;
            for (i = 0; i < N(any_state); i++) {
                ck_assert(!credit_case_allowed(kinds[k].kind, any_state[j], any_state[i]));
                ck_assert(!credit_case_allowed(kinds[k].kind, any_state[i], any_state[j]));
            }
        }
    }
}
END_TEST

/* ---- effects on records and due days -------------------------------------------------- */

/* ---- repair eligibility ------------------------------------------------------------------ */

/* The refusal of credit_repair_refusal, or "" when it allows the repair. */
static const char *refusal(const char *status, const char *severity, const char *repair_from,
                           int rectified, const char *today)
{
    const char *why =
        credit_repair_refusal(unit_pool, status, severity, repair_from, rectified, today);
    return why ? why : "";
}

START_TEST(repair_allowed_from_the_earliest_date_with_rectification_done)
{
    ck_assert_str_eq(refusal("published", "general", "2026-07-01", 1, "2026-07-01"), "");
    ck_assert_str_eq(refusal("corrected", "serious", "2026-07-01", 1, "2027-01-31"), "");
}
END_TEST

START_TEST(repair_refused_before_the_earliest_date)
{
    const char *why = refusal("published", "serious", "2027-11-17", 1, "2027-11-16");
    ck_assert_ptr_nonnull(strstr(why, "earliest repair date"));
    ck_assert_ptr_nonnull(strstr(why, "2027-11-17"));
    /* the day before in another month and year */
    ck_assert_ptr_nonnull(
        strstr(refusal("published", "general", "2027-01-01", 1, "2026-12-31"), "earliest"));
}
END_TEST

START_TEST(repair_refused_without_rectification)
{
    ck_assert_ptr_nonnull(
        strstr(refusal("published", "general", "2026-01-01", 0, "2026-07-01"), "rectification"));
    /* the date is named first when both are missing */
    ck_assert_ptr_nonnull(
        strstr(refusal("published", "serious", "2027-11-17", 0, "2026-07-01"), "2027-11-17"));
}
END_TEST

START_TEST(repair_refused_for_minor_contested_or_withdrawn_records)
{
    static const char *const gone[] = {"repaired", "revoked", "expired"};
    size_t i;
    ck_assert_ptr_nonnull(strstr(refusal("published", "minor", NULL, 1, "2026-07-01"), "minor"));
    /* a minor record is refused as minor even with a date */
    ck_assert_ptr_nonnull(
        strstr(refusal("published", "minor", "2026-01-01", 1, "2026-07-01"), "minor"));
    ck_assert_ptr_nonnull(
        strstr(refusal("contested", "general", "2026-01-01", 1, "2026-07-01"), "contested"));
    for (i = 0; i < N(gone); i++)
        ck_assert_ptr_nonnull(
            strstr(refusal(gone[i], "general", "2026-01-01", 1, "2026-07-01"), "withdrawn"));
}
END_TEST

START_TEST(repair_refused_when_something_is_unknown)
{
    ck_assert_str_ne(refusal(NULL, "general", "2026-01-01", 1, "2026-07-01"), "");
    ck_assert_str_ne(refusal("listed", "general", "2026-01-01", 1, "2026-07-01"), "");
    ck_assert_str_ne(refusal("published", NULL, "2026-01-01", 1, "2026-07-01"), "");
    ck_assert_str_ne(refusal("published", "general", NULL, 1, "2026-07-01"), "");
    ck_assert_str_ne(refusal("published", "general", "2026-13-01", 1, "2026-07-01"), "");
    ck_assert_str_ne(refusal("published", "general", "2026-01-01", 1, NULL), "");
    ck_assert_str_ne(refusal("published", "general", "2026-01-01", 1, "soon"), "");
}
END_TEST

START_TEST(case_record_effects)
{
    static const struct {
        const char *kind, *to, *effect;
    } table[] = {
        {"objection", "received", NULL},
        {"objection", "accepted", "contested"},
        {"objection", "rejected", NULL},
        {"objection", "upheld", "published"},
        {"objection", "corrected", "corrected"},
        {"objection", "revoked", "revoked"},
        {"repair", "received", NULL},
        {"repair", "accepted", NULL},
        {"repair", "rejected", NULL},
        {"repair", "approved", "repaired"},
        {"repair", "denied", NULL},
        {"complaint", "received", NULL},
        {"complaint", "accepted", NULL},
        {"complaint", "rejected", NULL},
        {"complaint", "processing", NULL},
        {"complaint", "concluded", NULL},
        /* names of other kinds' states do nothing */
        {"complaint", "revoked", NULL},
        {"complaint", "approved", NULL},
        {"repair", "revoked", NULL},
        {"repair", "corrected", NULL},
        {"objection", "approved", NULL},
        {"objection", "bogus", NULL},
        {"bogus", "approved", NULL},
        {"bogus", "revoked", NULL},
        {"", "accepted", NULL},
    };
    size_t i;
    for (i = 0; i < N(table); i++) {
        const char *got = credit_case_record_effect(table[i].kind, table[i].to);
        if (table[i].effect)
            ck_assert_msg(got && !strcmp(got, table[i].effect), "%s %s: want %s, got %s",
                          table[i].kind, table[i].to, table[i].effect, got ? got : "NULL");
        else
            ck_assert_msg(got == NULL, "%s %s: want no effect, got %s", table[i].kind, table[i].to,
                          got);
    }
    ck_assert_ptr_null(credit_case_record_effect(NULL, "approved"));
    ck_assert_ptr_null(credit_case_record_effect("repair", NULL));
    ck_assert_ptr_null(credit_case_record_effect(NULL, NULL));
}
END_TEST

START_TEST(case_effects_agree_with_record_events)
{
    /* The effect of a legal case transition is a status a record can be in,
     * and reachable from the status the record has while the case runs:
     * objection accepted -> contest from published; its decisions from
     * contested; repair approved -> repair from published. */
    static const struct {
        const char *kind, *to, *record_from, *event;
    } pairs[] = {
        {"objection", "accepted", "published", "contest"},
        {"objection", "upheld", "contested", "uncontest"},
        {"objection", "corrected", "contested", "correct"},
        {"objection", "revoked", "contested", "revoke"},
        {"repair", "approved", "published", "repair"},
    };
    size_t i, j;
    for (i = 0; i < N(pairs); i++) {
        int known = 0;
        const char *effect = credit_case_record_effect(pairs[i].kind, pairs[i].to);
        const char *to = credit_record_event(pairs[i].record_from, pairs[i].event, &known, NULL);
        ck_assert_ptr_nonnull(effect);
        ck_assert_ptr_nonnull(to);
        ck_assert_str_eq(effect, to);
    }
    /* every legal transition with an effect is listed above */
    for (j = 0; j < N(case_legal); j++) {
        int listed = 0;
        if (!credit_case_record_effect(case_legal[j].kind, case_legal[j].to))
            continue;
        for (i = 0; i < N(pairs); i++)
            listed |= !strcmp(pairs[i].kind, case_legal[j].kind) &&
                      !strcmp(pairs[i].to, case_legal[j].to);
        ck_assert_msg(listed, "%s -> %s has an effect not checked", case_legal[j].kind,
                      case_legal[j].to);
    }
}
END_TEST

START_TEST(case_due_days)
{
    credit_case_days_t d = {5, 7, 2, 4};
    ck_assert_int_eq(credit_case_due_days(NULL, "complaint"), 15);
    ck_assert_int_eq(credit_case_due_days(NULL, "objection"), 20);
    ck_assert_int_eq(credit_case_due_days(NULL, "repair"), 3);
    ck_assert_int_eq(credit_case_days_default.repair_reply, 10);
    /* anything else: the complaint's clock */
    ck_assert_int_eq(credit_case_due_days(NULL, NULL), 15);
    ck_assert_int_eq(credit_case_due_days(NULL, ""), 15);
    ck_assert_int_eq(credit_case_due_days(NULL, "Objection"), 15);
    ck_assert_int_eq(credit_case_due_days(NULL, "bogus"), 15);
    /* configured values */
    ck_assert_int_eq(credit_case_due_days(&d, "complaint"), 5);
    ck_assert_int_eq(credit_case_due_days(&d, "objection"), 7);
    ck_assert_int_eq(credit_case_due_days(&d, "repair"), 2);
    ck_assert_int_eq(credit_case_due_days(&d, "bogus"), 5);
}
END_TEST

START_TEST(case_days_parse)
{
    credit_case_days_t d = credit_case_days_default;
    ck_assert_ptr_null(credit_case_days_parse(&d, "complaint", "1", NULL));
    ck_assert_int_eq(d.complaint, 1);
    ck_assert_int_eq(d.objection, 20); /* the other kinds untouched */
    ck_assert_ptr_null(credit_case_days_parse(&d, "objection", "365", NULL));
    ck_assert_int_eq(d.objection, 365);
    ck_assert_ptr_null(credit_case_days_parse(&d, "repair", "4", NULL));
    ck_assert_int_eq(d.repair, 4);
    ck_assert_int_eq(d.repair_reply, 10); /* feedback days kept when not given */
    ck_assert_ptr_null(credit_case_days_parse(&d, "repair", "5", "12"));
    ck_assert_int_eq(d.repair, 5);
    ck_assert_int_eq(d.repair_reply, 12);
    ck_assert_int_eq(d.complaint, 1);
}
END_TEST

START_TEST(case_days_parse_refuses)
{
    static const struct {
        const char *kind, *n, *m, *says;
    } bad[] = {
        {"complaints", "15", NULL, "unknown case kind"},
        {"Complaint", "15", NULL, "unknown case kind"},
        {"", "15", NULL, "unknown case kind"},
        {NULL, "15", NULL, "unknown case kind"},
        {"complaint", "0", NULL, "1 to 365"},
        {"complaint", "366", NULL, "1 to 365"},
        {"complaint", "-1", NULL, "1 to 365"},
        {"complaint", "15x", NULL, "1 to 365"},
        {"complaint", "", NULL, "1 to 365"},
        {"complaint", " 15", NULL, "1 to 365"},
        {"complaint", "0015", NULL, "1 to 365"},
        {"complaint", NULL, NULL, "1 to 365"},
        {"repair", "3", "0", "1 to 365"},
        {"repair", "3", "400", "1 to 365"},
        {"complaint", "15", "10", "only repair"},
        {"objection", "20", "10", "only repair"},
    };
    size_t i;
    for (i = 0; i < N(bad); i++) {
        credit_case_days_t d = credit_case_days_default;
        const char *err = credit_case_days_parse(&d, bad[i].kind, bad[i].n, bad[i].m);
        ck_assert_msg(err && strstr(err, bad[i].says), "%s %s %s: %s", bad[i].kind, bad[i].n,
                      bad[i].m ? bad[i].m : "-", err ? err : "accepted");
        ck_assert_mem_eq(&d, &credit_case_days_default, sizeof d);
    }
}
END_TEST

START_TEST(case_open_states)
{
    const char *const kinds[] = {"complaint", "objection", "repair"};
    const char *const states[] = {"received", "accepted",  "rejected", "processing", "concluded",
                                  "upheld",   "corrected", "revoked",  "approved",   "denied"};
    size_t k, i, j;
    for (k = 0; k < N(kinds); k++) {
        const char *const *open = credit_case_open_states(kinds[k]);
        ck_assert_ptr_nonnull(open);
        /* open exactly when something may follow */
        for (i = 0; i < N(states); i++) {
            const char *const *next = credit_case_next(kinds[k], states[i]);
            int listed = 0;
            for (j = 0; open[j]; j++)
                listed |= !strcmp(open[j], states[i]);
            ck_assert_msg(listed == (next && next[0] != NULL), "%s %s", kinds[k], states[i]);
        }
    }
    ck_assert_ptr_null(credit_case_open_states("bogus"));
    ck_assert_ptr_null(credit_case_open_states(NULL));
}
END_TEST

/* 2026-09-28 (Mon) .. 2026-10-11 (Sun): 1-7 October off, Saturday 10
 * October an adjusted working day, one day "not in the table". */
static const unsigned char golden_week[] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0};

static credit_date_t day(int y, int m, int d)
{
    credit_date_t x = {y, m, d};
    return x;
}

#define DAY_EQ(a, Y, M, D)                                                                         \
    ck_assert_msg((a).y == (Y) && (a).m == (M) && (a).d == (D), "%d-%d-%d != %d-%d-%d", (a).y,     \
                  (a).m, (a).d, (Y), (M), (D))

START_TEST(workdays_follow_the_calendar)
{
    credit_calendar_t c = {{2026, 9, 28}, (int)sizeof golden_week, golden_week};
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 30), 1), 2026, 10, 8);
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 30), 3), 2026, 10, 10); /* the adjusted Saturday */
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 30), 4), 2026, 10, 12); /* past the table: Mon */
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 25), 1), 2026, 9, 28);  /* before it: Mon-Fri */
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 30), 0), 2026, 9, 30);
    /* 15 working days from the eve of the holiday */
    DAY_EQ(credit_workday_add(&c, day(2026, 9, 30), 15), 2026, 10, 27);
    ck_assert_int_eq(credit_workdays_between(&c, day(2026, 9, 30), day(2026, 10, 10)), 3);
    ck_assert_int_eq(credit_workdays_between(&c, day(2026, 10, 10), day(2026, 9, 30)), 0);
    ck_assert_int_eq(credit_workdays_between(&c, day(2026, 10, 3), day(2026, 10, 3)), 0);
    ck_assert_int_eq(credit_workday_is(&c, day(2026, 10, 10)), 1);
    ck_assert_int_eq(credit_workday_is(&c, day(2026, 10, 1)), 0);
    ck_assert_int_eq(credit_workday_is(&c, day(2026, 10, 11)), 0);
    /* no calendar: Monday to Friday */
    DAY_EQ(credit_workday_add(NULL, day(2026, 9, 30), 1), 2026, 10, 1);
    DAY_EQ(credit_workday_add(NULL, day(2026, 10, 2), 1), 2026, 10, 5);
    ck_assert_int_eq(credit_workdays_between(NULL, day(2026, 10, 2), day(2026, 10, 12)), 6);
}
END_TEST

START_TEST(workdays_unknown_entry_counts_as_weekday)
{
    static const unsigned char partial[] = {0, 2, 2, 1}; /* Mon Tue Wed Thu */
    credit_calendar_t c = {{2026, 9, 28}, (int)sizeof partial, partial};
    ck_assert_int_eq(credit_workday_is(&c, day(2026, 9, 28)), 0); /* in the table: off */
    ck_assert_int_eq(credit_workday_is(&c, day(2026, 9, 29)), 1); /* not in it: a Tuesday */
    ck_assert_int_eq(credit_workdays_between(&c, day(2026, 9, 27), day(2026, 10, 4)), 4);
}
END_TEST

START_TEST(calendar_ending_warns_under_sixty_days)
{
    credit_date_t end = day(2027, 12, 31), none = {0, 0, 0};
    long left = -1;
    ck_assert_int_eq(credit_calendar_ending(day(2027, 11, 1), end, &left), 0);
    ck_assert_int_eq(left, 60);
    ck_assert_int_eq(credit_calendar_ending(day(2027, 11, 2), end, &left), 1);
    ck_assert_int_eq(left, 59);
    ck_assert_int_eq(credit_calendar_ending(day(2026, 12, 5), end, &left), 0);
    ck_assert_int_eq(left, 391);
    ck_assert_int_eq(credit_calendar_ending(end, end, &left), 1);
    ck_assert_int_eq(left, 0);
    ck_assert_int_eq(credit_calendar_ending(day(2028, 1, 2), end, &left), 1);
    ck_assert_int_eq(left, -2);
    ck_assert_int_eq(credit_calendar_ending(day(2026, 12, 5), none, &left), 1);
    ck_assert_int_eq(left, 0);
}
END_TEST

START_TEST(case_kind_of_receipt)
{
    ck_assert_str_eq(credit_case_kind_of("TS-20261128-000001"), "complaint");
    ck_assert_str_eq(credit_case_kind_of("YY-20261128-000001"), "objection");
    ck_assert_str_eq(credit_case_kind_of("XF-20261128-999999"), "repair");
    ck_assert_ptr_null(credit_case_kind_of(NULL));
    ck_assert_ptr_null(credit_case_kind_of("TS-20261128-00001"));   /* 17 */
    ck_assert_ptr_null(credit_case_kind_of("TS-20261128-0000011")); /* 19 */
    ck_assert_ptr_null(credit_case_kind_of("TSX20261128-000001"));
    ck_assert_ptr_null(credit_case_kind_of("ts-20261128-000001"));
    ck_assert_ptr_null(credit_case_kind_of("AB-20261128-000001"));
}
END_TEST

START_TEST(case_clock)
{
    credit_calendar_t c = {{2026, 9, 28}, (int)sizeof golden_week, golden_week};
    credit_case_clock_t k;
    credit_date_t none = {0, 0, 0};
    /* due after the holiday, seen during it: two working days left */
    credit_case_clock(&c, day(2026, 10, 2), day(2026, 10, 9), &k);
    ck_assert_int_eq(k.overdue, 0);
    ck_assert_int_eq(k.due_today, 0);
    ck_assert_int_eq(k.left, 2);
    ck_assert_int_eq(k.late, 0);
    /* due today */
    credit_case_clock(&c, day(2026, 10, 9), day(2026, 10, 9), &k);
    ck_assert_int_eq(k.overdue, 0);
    ck_assert_int_eq(k.due_today, 1);
    ck_assert_int_eq(k.left, 0);
    /* overdue by the working days after the due date, the adjusted Saturday included */
    credit_case_clock(&c, day(2026, 10, 12), day(2026, 10, 8), &k);
    ck_assert_int_eq(k.overdue, 1);
    ck_assert_int_eq(k.left, 0);
    ck_assert_int_eq(k.late, 3);
    /* overdue during days off: late by none yet, still overdue */
    credit_case_clock(&c, day(2026, 10, 3), day(2026, 9, 30), &k);
    ck_assert_int_eq(k.overdue, 1);
    ck_assert_int_eq(k.late, 0);
    /* no due date: no clock */
    credit_case_clock(&c, day(2026, 10, 3), none, &k);
    ck_assert_int_eq(k.overdue + k.due_today, 0);
    ck_assert_int_eq(k.left + k.late, 0);
}
END_TEST

Suite *workflow_suite(void)
{
    Suite *s = suite_create("workflow");
    TCase *rec = tcase_create("record events");
    TCase *cas = tcase_create("case transitions");
    TCase *eff = tcase_create("effects and due days");
    TCase *rep = tcase_create("repair eligibility");

    tcase_add_test(rec, record_every_status_and_event);
    tcase_add_test(rec, record_withdrawn_states_are_final);
    tcase_add_test(rec, record_only_withdrawing_events_reach_withdrawn_states);
    tcase_add_test(rec, record_timeline_pointer_may_be_null);
    tcase_add_test(rec, record_unknown_events);
    tcase_add_test(rec, record_unknown_or_null_status);
    tcase_add_test(cas, case_every_transition);
    tcase_add_test(cas, case_next_lists_exactly_the_legal_states);
    tcase_add_test(cas, case_no_self_loops_and_no_way_back_to_received);
    tcase_add_test(cas, case_unknown_kind_or_state);
    tcase_add_test(cas, case_next_of_foreign_state_is_null);
    tcase_add_test(cas, case_foreign_states_never_allowed);
    tcase_add_test(eff, case_record_effects);
    tcase_add_test(eff, case_effects_agree_with_record_events);
    tcase_add_test(eff, case_due_days);
    tcase_add_test(eff, case_days_parse);
    tcase_add_test(eff, case_days_parse_refuses);
    tcase_add_test(eff, case_open_states);
    tcase_add_test(eff, workdays_follow_the_calendar);
    tcase_add_test(eff, workdays_unknown_entry_counts_as_weekday);
    tcase_add_test(eff, case_clock);
    tcase_add_test(eff, calendar_ending_warns_under_sixty_days);
    tcase_add_checked_fixture(rep, unit_setup, unit_teardown);
    tcase_add_test(rep, repair_allowed_from_the_earliest_date_with_rectification_done);
    tcase_add_test(rep, repair_refused_before_the_earliest_date);
    tcase_add_test(rep, repair_refused_without_rectification);
    tcase_add_test(rep, repair_refused_for_minor_contested_or_withdrawn_records);
    tcase_add_test(rep, repair_refused_when_something_is_unknown);
    tcase_add_test(rep, case_kind_of_receipt);
    suite_add_tcase(s, rec);
    suite_add_tcase(s, cas);
    suite_add_tcase(s, eff);
    suite_add_tcase(s, rep);
    return s;
}
