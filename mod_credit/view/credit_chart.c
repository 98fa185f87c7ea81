/* credit_chart.c: see credit_chart.h. Pure arithmetic on integers of the
 * viewBox; the only output is HDF values. */
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_chart.h"

#define FONT_CJK   12 /* estimated width of one CJK character at the chart's 12px */
#define FONT_OTHER 7

/* Columns */
#define COL_TOP      18 /* room for the values above the columns */
#define COL_PLOT_H   220
#define COL_SPAN     1040 /* the plot width the columns share */
#define COL_SLOT_MIN 3
#define COL_SLOT_MAX 64
#define COL_RIGHT    8

/* Bars */
#define BAR_TOP       4
#define BAR_ROW       24
#define BAR_H         16
#define BAR_PLOT_W    480
#define BAR_AXIS      20 /* tick labels below the rows */
#define BAR_LABEL_MAX 280

/* Rough rendered width of s in px: enough to leave room for a label. */
static int text_width(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int w = 0;
    if (!s)
        return 0;
    while (*u) {
        if (*u < 0x80) {
            w += FONT_OTHER;
            u++;
        } else if (*u >= 0xE0) { /* three or four bytes: CJK and beyond */
            w += FONT_CJK;
            u += (*u >= 0xF0) ? 4 : 3;
        } else {
            w += FONT_OTHER;
            u += 2;
        }
        while (*u >= 0x80 && *u < 0xC0) /* a stray continuation byte */
            u++;
    }
    return w;
}

static int iround(double x)
{
    return x < 0 ? -(int)(-x + 0.5) : (int)(x + 0.5);
}

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

double credit_chart_scale(double max_value, double *step)
{
    double s = 1, top;
    static const double mult[] = {2, 2.5, 2}; /* 1 2 5 10 20 50 ... */
    int i = 0;
    if (!(max_value > 0))
        max_value = 1;
    while (s * 5 < max_value) {
        s *= mult[i % 3];
        i++;
    }
    top = s;
    while (top < max_value)
        top += s;
    if (step)
        *step = s;
    return top;
}

typedef struct {
    credit_view_t *v;
    apr_pool_t *p;
    const char *prefix;
} put_t;

static void seti(put_t *o, const char *list, int i, const char *field, int value)
{
    credit_view_set_int(o->v, apr_psprintf(o->p, "%s.%s.%d.%s", o->prefix, list, i, field), value);
}

static void sets(put_t *o, const char *list, int i, const char *field, const char *value)
{
    credit_view_set(o->v, apr_psprintf(o->p, "%s.%s.%d.%s", o->prefix, list, i, field), value);
}

static void set_top(put_t *o, const char *field, int value)
{
    credit_view_set_int(o->v, apr_pstrcat(o->p, o->prefix, ".", field, NULL), value);
}

static const char *num_text(apr_pool_t *p, double x)
{
    return x == (double)(long long)x ? apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)x)
                                     : apr_psprintf(p, "%.1f", x);
}

static void line(put_t *o, const char *list, int i, int x1, int y1, int x2, int y2)
{
    seti(o, list, i, "x1", x1);
    seti(o, list, i, "y1", y1);
    seti(o, list, i, "x2", x2);
    seti(o, list, i, "y2", y2);
}

static void put_columns(put_t *o, const credit_chart_t *c, const credit_bar_t *bars, int n,
                        double top, double step)
{
    int slot = clampi(n ? COL_SPAN / n : COL_SPAN, COL_SLOT_MIN, COL_SLOT_MAX);
    int gap = slot >= 10 ? slot / 4 : 1;
    int plot_w = slot * (n ? n : 1);
    int axis_w = 10 + text_width(num_text(o->p, top));
    int label_w = 0, rotate = 0, label_h = 6, i, k;
    double t;
    if (axis_w < 32)
        axis_w = 32;
    for (i = 0; i < n; i++)
        if (text_width(bars[i].label) > label_w)
            label_w = text_width(bars[i].label);
    if (c->show_labels) {
        rotate = label_w + 4 > slot;
        label_h = rotate ? clampi(label_w * 71 / 100 + 16, 20, 90) : 20;
    }
    set_top(o, "w", axis_w + plot_w + COL_RIGHT);
    set_top(o, "h", COL_TOP + COL_PLOT_H + label_h);
    for (i = 0; i < n; i++) {
        double v = bars[i].value > 0 ? bars[i].value : 0;
        int h = iround(v * COL_PLOT_H / top);
        int x = axis_w + i * slot;
        int cx = x + slot / 2;
        if (h > COL_PLOT_H)
            h = COL_PLOT_H;
        seti(o, "bars", i, "x", x + gap / 2);
        seti(o, "bars", i, "y", COL_TOP + COL_PLOT_H - h);
        seti(o, "bars", i, "w", slot - gap);
        seti(o, "bars", i, "h", h);
        sets(o, "bars", i, "cls", bars[i].cls);
        sets(o, "bars", i, "tip", bars[i].tip);
        if (c->show_labels && bars[i].label) {
            seti(o, "labels", i, "x", rotate ? cx + 4 : cx);
            seti(o, "labels", i, "y", COL_TOP + COL_PLOT_H + (rotate ? 10 : 15));
            seti(o, "labels", i, "rot", rotate);
            sets(o, "labels", i, "anchor", rotate ? "end" : "middle");
            sets(o, "labels", i, "text", bars[i].label);
        }
        if (c->show_values && bars[i].text && text_width(bars[i].text) + 2 <= slot) {
            seti(o, "values", i, "x", cx);
            seti(o, "values", i, "y", COL_TOP + COL_PLOT_H - h - 4);
            sets(o, "values", i, "anchor", "middle");
            sets(o, "values", i, "text", bars[i].text);
        }
    }
    for (k = 0, t = 0; t <= top + step / 1000; t += step, k++) {
        int y = COL_TOP + COL_PLOT_H - iround(t * COL_PLOT_H / top);
        line(o, "ticks", k, axis_w, y, axis_w + plot_w, y);
        seti(o, "ticks", k, "tx", axis_w - 4);
        seti(o, "ticks", k, "ty", y + 4);
        sets(o, "ticks", k, "anchor", "end");
        sets(o, "ticks", k, "text", num_text(o->p, t));
    }
    for (k = 0; k < c->nmarks; k++) {
        int y = COL_TOP + COL_PLOT_H - iround(c->marks[k] * COL_PLOT_H / top);
        line(o, "marks", k, axis_w, y, axis_w + plot_w, y);
        seti(o, "marks", k, "tx", axis_w + plot_w - 2);
        seti(o, "marks", k, "ty", y - 3);
        sets(o, "marks", k, "text", c->mark_labels ? c->mark_labels[k] : NULL);
    }
    set_top(o, "axis.x1", axis_w);
    set_top(o, "axis.y1", COL_TOP + COL_PLOT_H);
    set_top(o, "axis.x2", axis_w + plot_w);
    set_top(o, "axis.y2", COL_TOP + COL_PLOT_H);
}

static void put_bars(put_t *o, const credit_chart_t *c, const credit_bar_t *bars, int n, double top,
                     double step)
{
    int label_w = 0, value_w = 0, i, k;
    int rows_h = BAR_ROW * n;
    double t;
    for (i = 0; i < n; i++) {
        if (c->show_labels && text_width(bars[i].label) > label_w)
            label_w = text_width(bars[i].label);
        if (c->show_values && text_width(bars[i].text) > value_w)
            value_w = text_width(bars[i].text);
    }
    label_w = clampi(label_w + 12, 16, BAR_LABEL_MAX);
    value_w = clampi(value_w + 12, 24, 120);
    set_top(o, "w", label_w + BAR_PLOT_W + value_w);
    set_top(o, "h", BAR_TOP + rows_h + BAR_AXIS);
    for (i = 0; i < n; i++) {
        double v = bars[i].value > 0 ? bars[i].value : 0;
        int w = iround(v * BAR_PLOT_W / top);
        int y = BAR_TOP + i * BAR_ROW;
        if (w > BAR_PLOT_W)
            w = BAR_PLOT_W;
        seti(o, "bars", i, "x", label_w);
        seti(o, "bars", i, "y", y + (BAR_ROW - BAR_H) / 2);
        seti(o, "bars", i, "w", w);
        seti(o, "bars", i, "h", BAR_H);
        sets(o, "bars", i, "cls", bars[i].cls);
        sets(o, "bars", i, "tip", bars[i].tip);
        if (c->show_labels && bars[i].label) {
            seti(o, "labels", i, "x", label_w - 6);
            seti(o, "labels", i, "y", y + 16);
            seti(o, "labels", i, "rot", 0);
            sets(o, "labels", i, "anchor", "end");
            sets(o, "labels", i, "text", bars[i].label);
        }
        if (c->show_values && bars[i].text) {
            seti(o, "values", i, "x", label_w + w + 4);
            seti(o, "values", i, "y", y + 16);
            sets(o, "values", i, "anchor", "start");
            sets(o, "values", i, "text", bars[i].text);
        }
    }
    for (k = 0, t = 0; t <= top + step / 1000; t += step, k++) {
        int x = label_w + iround(t * BAR_PLOT_W / top);
        line(o, "ticks", k, x, BAR_TOP, x, BAR_TOP + rows_h);
        seti(o, "ticks", k, "tx", x);
        seti(o, "ticks", k, "ty", BAR_TOP + rows_h + 14);
        sets(o, "ticks", k, "anchor", "middle");
        sets(o, "ticks", k, "text", num_text(o->p, t));
    }
    set_top(o, "axis.x1", label_w);
    set_top(o, "axis.y1", BAR_TOP);
    set_top(o, "axis.x2", label_w);
    set_top(o, "axis.y2", BAR_TOP + rows_h);
}

void credit_chart_put(credit_view_t *v, const char *prefix, const credit_chart_t *c,
                      const credit_bar_t *bars, int n)
{
    put_t o = {v, credit_view_pool(v), prefix};
    double top, step, max = 0;
    int i;
    for (i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    if (c->max > 0) {
        top = c->max;
        credit_chart_scale(c->max, &step);
    } else {
        top = credit_chart_scale(max, &step);
    }
    credit_view_set(v, apr_pstrcat(o.p, prefix, ".kind", NULL),
                    c->kind == CREDIT_CHART_BARS ? "bars" : "columns");
    set_top(&o, "n", n);
    if (c->kind == CREDIT_CHART_BARS)
        put_bars(&o, c, bars, n, top, step);
    else
        put_columns(&o, c, bars, n, top, step);
}
