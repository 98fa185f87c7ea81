/* credit_req.c: see credit_req.h. */
#include <stdio.h>
#include <stdarg.h>
#include <apr_strings.h>

#include "credit_req.h"
#include "credit_validate.h"

void credit_req_log(credit_req_t *rq, int level, const char *id, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    if (!rq->log)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rq->log(rq->log_baton, level, id, buf);
}

credit_status_t credit_req_view(credit_req_t *rq, credit_view_t **out)
{
    credit_view_t *v;
    char buf[16];
    credit_status_t rv = credit_view_open(rq->pool, rq->templates, rq->lang, &v);
    if (rv != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0301", "view: %s", credit_view_error(v));
        return rv;
    }
    credit_view_set(v, "Page.Base", rq->base);
    credit_view_set(v, "Page.Path", rq->path);
    credit_view_set(v, "Page.Route", rq->route.name);
    credit_view_set(v, "Page.Today", apr_pstrdup(rq->pool, credit_date_fmt(rq->today, buf)));
    *out = v;
    return CREDIT_OK;
}
