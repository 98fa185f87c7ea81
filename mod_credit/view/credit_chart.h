/* credit_chart.h: bar charts as numbers. The geometry of an SVG chart
 * (integer x, y, width, height of every bar, tick and label) is computed
 * here and put into the view's HDF; templates/charts.cs draws it, so every
 * text in the SVG goes through ClearSilver's escaping and no markup is
 * ever assembled in C. */
#ifndef CREDIT_CHART_H
#define CREDIT_CHART_H

#include "credit_view.h"

typedef enum {
    CREDIT_CHART_COLUMNS = 0, /* vertical columns: value -> height */
    CREDIT_CHART_BARS         /* horizontal bars, one row per label: value -> width */
} credit_chart_kind_t;

typedef struct {
    const char *label; /* the category (axis text); may be NULL */
    const char *text;  /* the value as shown, e.g. "87.50"; may be NULL */
    double value;      /* >= 0 (a negative value is drawn as 0) */
    const char *cls;   /* an extra class of the bar, e.g. "grade-A"; may be NULL */
    const char *tip;   /* the bar's own <title>; may be NULL */
} credit_bar_t;

typedef struct {
    credit_chart_kind_t kind;
    double max;          /* top of the scale; 0: from the data, rounded up to a tick */
    int show_labels;     /* draw each bar's label (columns: rotated when dense) */
    int show_values;     /* draw each bar's text beside or above it (when it fits) */
    const double *marks; /* reference lines (columns only), e.g. grade thresholds */
    const char *const *mark_labels;
    int nmarks;
} credit_chart_t;

/* Puts the chart of n bars under `prefix` (e.g. "Charts.district"):
 * prefix.kind ("columns" | "bars"), .w, .h, .n, .bars.N.{x,y,w,h,cls,tip},
 * .labels.N.{x,y,text,rot}, .values.N.{x,y,text}, .ticks.N.{x1,y1,x2,y2,tx,ty,text},
 * .marks.N.{x1,y1,x2,y2,tx,ty,text}, .axis.{x1,y1,x2,y2}. Numbers are
 * integers in the chart's viewBox units. Cannot fail. */
void credit_chart_put(credit_view_t *v, const char *prefix, const credit_chart_t *c,
                      const credit_bar_t *bars, int n);

/* The top of a count scale for max_value: a multiple of a 1-2-5 step that
 * gives at most 5 ticks. *step receives the step. Exposed for the tests. */
double credit_chart_scale(double max_value, double *step);

#endif
