/* credit_dsn.c: see credit_dsn.h. */
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <apr_strings.h>

#include "credit_dsn.h"

int credit_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    apr_int64_t v;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return 0;
    errno = 0;
    v = apr_strtoi64(s, &end, 10);
    if (errno || *end || v < 0 || (apr_uint64_t)v < min || (apr_uint64_t)v > max)
        return 0;
    *out = (unsigned long)v;
    return 1;
}

void credit_dsn_inherit(const credit_db_params_t *base, const credit_db_params_t *own,
                        int own_login, credit_db_params_t *out)
{
    credit_db_params_t w = *base;
    if (own->host)
        w.host = own->host;
    if (own->port)
        w.port = own->port;
    if (own->socket)
        w.socket = own->socket;
    if (own->name)
        w.name = own->name;
    if (own->connect_timeout)
        w.connect_timeout = own->connect_timeout;
    if (own->rw_timeout)
        w.rw_timeout = own->rw_timeout;
    if (own_login) {
        w.user = own->user;
        w.password = own->password;
    } else {
        if (own->user)
            w.user = own->user;
        if (own->password)
            w.password = own->password;
    }
    *out = w;
}

const char *credit_dsn_parse(apr_pool_t *p, const char *dsn, credit_db_params_t *out)
{
    char *copy = apr_pstrdup(p, dsn ? dsn : ""), *last = NULL, *tok;
    unsigned long n;
    for (tok = apr_strtok(copy, " \t", &last); tok; tok = apr_strtok(NULL, " \t", &last)) {
        char *eq = strchr(tok, '=');
        const char *key, *val;
        if (!eq || eq == tok)
            return apr_psprintf(p, "expected key=value, got '%s'", tok);
        *eq = '\0';
        key = tok;
        val = eq + 1;
        if (!strcmp(key, "host"))
            out->host = val;
        else if (!strcmp(key, "socket"))
            out->socket = val;
        else if (!strcmp(key, "user"))
            out->user = val;
        else if (!strcmp(key, "password") || !strcmp(key, "pass")) {
            out->password = val;
            out->password_file = NULL;
        } else if (!strcmp(key, "password_file")) {
            if (!*val)
                return "password_file needs a file name";
            out->password_file = val;
            out->password = NULL;
        } else if (!strcmp(key, "dbname") || !strcmp(key, "db"))
            out->name = val;
        else if (!strcmp(key, "port")) {
            if (!credit_parse_uint(val, 1, 65535, &n))
                return apr_psprintf(p, "port must be 1..65535, got '%s'", val);
            out->port = (unsigned)n;
        } else if (!strcmp(key, "connect_timeout")) {
            if (!credit_parse_uint(val, 1, 60, &n))
                return apr_psprintf(p, "connect_timeout must be 1..60 seconds, got '%s'", val);
            out->connect_timeout = (unsigned)n;
        } else if (!strcmp(key, "timeout")) {
            if (!credit_parse_uint(val, 1, 600, &n))
                return apr_psprintf(p, "timeout must be 1..600 seconds, got '%s'", val);
            out->rw_timeout = (unsigned)n;
        } else
            return apr_psprintf(p, "unknown parameter '%s'", key);
    }
    return NULL;
}

#define PASSWORD_MAX 256

const char *credit_dsn_password_text(apr_pool_t *p, const char *text, apr_size_t len,
                                     const char **out)
{
    apr_size_t start = 0, end;
    apr_size_t i;
    for (end = 0; end < len && text[end] != '\n' && text[end] != '\r'; end++)
        ;
    while (start < end && (text[start] == ' ' || text[start] == '\t'))
        start++;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        end--;
    if (end == start)
        return "the first line is empty";
    if (end - start > PASSWORD_MAX)
        return "the password is longer than 256 bytes";
    for (i = start; i < end; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return "the password holds a control character";
    *out = apr_pstrmemdup(p, text + start, end - start);
    return NULL;
}
