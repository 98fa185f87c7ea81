/* credit_view.h: ClearSilver rendering. One HDF per request, built here;
 * every page renders through templates/layout.cs with
 * Config.VarEscapeMode = html, so <?cs var: ?> always escapes. Template and
 * language files are read once at start-up and kept in memory. */
#ifndef CREDIT_VIEW_H
#define CREDIT_VIEW_H

#include "credit.h"
#include "credit_model.h"

typedef struct credit_templates credit_templates_t;
typedef struct credit_view credit_view_t;

/* Reads every template (.cs) and language file (.hdf) below dir into memory
 * of p, once, before any request (the files are then read-only and shared
 * without locks). Returns CREDIT_EINTERNAL with *err naming the file or
 * directory that cannot be read, or when dir has no layout.cs. */
credit_status_t credit_templates_open(apr_pool_t *p, const char *dir, credit_templates_t **out,
                                      const char **err);

/* The contents of a file loaded with the templates (.cs, .hdf, .json), or
 * NULL when there is none. */
const char *credit_templates_file(credit_templates_t *t, const char *name);

/* 12 hex digits of a SHA-1 over every file of the templates: part of every
 * validator (ETag), so that the same templates and data give the same
 * ETags on every host and across restarts. */
const char *credit_templates_digest(const credit_templates_t *t);

/* The string of language key `key` (e.g. "Lang.form.err.required") in
 * language `lang`, or NULL when there is none. Read-only, no view needed. */
const char *credit_templates_text(credit_templates_t *t, const char *lang, const char *key);

/* Starts a view for one request in language `lang` ("zh-CN", "en"); its HDF
 * is destroyed with p. Returns CREDIT_EINTERNAL (with credit_view_error())
 * when the language file cannot be read. */
credit_status_t credit_view_open(apr_pool_t *p, credit_templates_t *t, const char *lang,
                                 credit_view_t **out);

/* Sets HDF node `name` to value; a NULL value leaves the node absent. */
void credit_view_set(credit_view_t *v, const char *name, const char *value);
void credit_view_set_int(credit_view_t *v, const char *name, long long value);

/* The label of an enumeration code in the view's language
 * (Lang.enum.<kind>.<code>), or the code itself when there is none. */
const char *credit_view_label(credit_view_t *v, const char *kind, const char *code);

/* Puts a record under `prefix` (e.g. "Records.3"); detail = 1 adds the long
 * fields of the record page. Personal data is already masked by the store. */
void credit_view_record(credit_view_t *v, const char *prefix, const credit_record_t *r, int detail);
/* The fields of r an Atom entry shows (templates/feed/atom.cs), under prefix. */
void credit_view_entry(credit_view_t *v, const char *prefix, const credit_record_t *r);

/* Puts a subject under `prefix`. */
void credit_view_subject(credit_view_t *v, const char *prefix, const credit_subject_t *s);

/* Renders `page` (a template path below the template directory, e.g.
 * "records/list.cs") inside layout.cs. Returns CREDIT_EINTERNAL on a
 * template error, with the message in credit_view_error(). */
credit_status_t credit_view_render(credit_view_t *v, const char *page, const char **out,
                                   apr_size_t *len);

/* The pool the view allocates from (the request pool). */
apr_pool_t *credit_view_pool(credit_view_t *v);

/* Renders `page` on its own, without layout.cs (feeds, XML). Errors as
 * credit_view_render. */
credit_status_t credit_view_render_page(credit_view_t *v, const char *page, const char **out,
                                        apr_size_t *len);

/* The last ClearSilver error of this view, or NULL. */
const char *credit_view_error(const credit_view_t *v);

#endif
