/* credit_copies_check.c: see credit_copies_check.h. */
#include <stdio.h>
#include <stdarg.h>
#include <apr_time.h>

#include "credit_copies_check.h"

struct credit_checker {
    credit_copies_t *copies;
    credit_db_probe_t *probe[CREDIT_COPIES_MAX];
    credit_copy_state_t said[CREDIT_COPIES_MAX]; /* the state last logged */
    credit_log_fn *log;
    void *baton;
};

credit_checker_t *credit_checker_create(apr_pool_t *p, credit_copies_t *c, credit_log_fn *log,
                                        void *baton)
{
    credit_checker_t *ck = apr_pcalloc(p, sizeof *ck);
    int i;
    ck->copies = c;
    ck->log = log;
    ck->baton = baton;
    for (i = 0; i < credit_copies_count(c); i++)
        ck->probe[i] = credit_db_probe_create(p, credit_copies_params(c, i));
    return ck;
}

static long long now_ms(void)
{
    return (long long)(apr_time_now() / 1000);
}

static void say(credit_checker_t *ck, int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(credit_checker_t *ck, int level, const char *id, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (!ck->log)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ck->log(ck->baton, level, id, buf);
}

/* Logs how copy i changed since the last time it was logged (a replica
 * falls behind between checks, as time passes, as well as at one). */
static void changed(credit_checker_t *ck, int i, const char *err)
{
    credit_copies_t *c = ck->copies;
    const char *name = credit_copies_name(c, i);
    long long lag;
    credit_copy_state_t now = credit_copies_state(c, i, now_ms(), &lag);
    credit_copy_state_t before = ck->said[i];
    if (now == before)
        return;
    ck->said[i] = now;
    if (now == CREDIT_COPY_DOWN)
        say(ck, 4, "CR1030", "database %s unreachable (%s): %s", name, err ? err : "?",
            i == 0 ? "public pages read from the replicas, submissions and staff wait for it"
                   : "its reads go to the other copies");
    else if (before == CREDIT_COPY_DOWN)
        say(ck, 5, "CR1031", "database %s reachable again%s", name,
            now == CREDIT_COPY_BEHIND ? ", behind: read again once it has caught up" : "");
    else if (now == CREDIT_COPY_BEHIND && i > 0)
        say(ck, 4, "CR1032",
            "database %s more than %lld ms behind the primary: its reads go to the other copies",
            name, credit_copies_lag_bound(c));
    else if (now == CREDIT_COPY_CURRENT && before == CREDIT_COPY_BEHIND)
        say(ck, 5, "CR1033", "database %s caught up (%lld ms behind): read again", name, lag);
}

void credit_checker_round(credit_checker_t *ck)
{
    credit_copies_t *c = ck->copies;
    char buf[1024];
    const char *err = NULL;
    long long t0 = now_ms();
    int i;
    /* Whatever committed before t0 is in the position read. */
    credit_status_t rv = credit_db_probe_value(ck->probe[0], "SELECT @@global.gtid_binlog_pos", buf,
                                               sizeof buf, &err);
    credit_copies_primary_checked(c, t0, rv == CREDIT_OK ? buf : NULL);
    changed(ck, 0, err);
    for (i = 1; i < credit_copies_count(c); i++) {
        rv = credit_db_probe_value(ck->probe[i], "SELECT @@global.gtid_slave_pos", buf, sizeof buf,
                                   &err);
        credit_copies_replica_checked(c, i, rv == CREDIT_OK ? buf : NULL);
        changed(ck, i, err);
    }
}

void credit_checker_close(credit_checker_t *ck)
{
    int i;
    for (i = 0; i < credit_copies_count(ck->copies); i++)
        credit_db_probe_close(ck->probe[i]);
}
