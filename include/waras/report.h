/*
 * The report model: per person, the weekly metrics and the load risk at
 * the end of each week (work data only), and per team the aggregates a lead
 * reads. Renderers (JSON here; tables in the CLI) sit on this model. The
 * JSON schema is documented in docs/report-schema.md and kept stable.
 */
#ifndef WARAS_REPORT_H
#define WARAS_REPORT_H

#include <stddef.h>

#include "waras/metrics.h"
#include "waras/risk.h"
#include "waras/store.h"

#include "waras/access.h"
#include "waras/remedy.h"
#include "waras/survey.h"
#include "waras/time.h"

typedef struct waras_report_person {
    waras_person person;
    waras_week_metrics *weeks; /* nweeks shown */
    waras_risk *risk;          /* one per shown week */
    /* Own view only (opts.self): the latest survey response on or before
     * each shown week's end; has_survey[k] is 0 when there is none. */
    waras_cbi_scores *survey;
    char (*survey_date)[11];
    unsigned char *has_survey;
} waras_report_person;

/* Wellbeing of a group, as the protected table of waras/access.h lets a
 * view show it (docs/definitions.md "Privacy"): renderers print these
 * fields and the reasons as they are, and compute nothing from them. */
typedef struct waras_report_group {
    char team[64]; /* "" for the whole organisation */
    int members;
    int respondents; /* -1 when the count is suppressed too */
    int suppressed;  /* the group's wellbeing is not shown (why, reason say why) */
    double mean[WARAS_CBI_SCALES]; /* -1 when suppressed or missing */
    double high_work_share;        /* share with work-related score >= 50; -1 when suppressed */
    int why;                       /* WARAS_ACCESS_* of the group */
    int scale_why[WARAS_CBI_SCALES];
    char reason[160];                        /* "" when shown */
    char scale_reason[WARAS_CBI_SCALES][160]; /* "" when the scale is shown */
} waras_report_group;

typedef struct waras_report {
    waras_policy policy;
    waras_date first_monday, last_monday;
    size_t nweeks;
    waras_report_person *people;
    size_t npeople;
    int self; /* the person's own view: their wellbeing is included */
    waras_report_group *groups; /* one per team shown, then the organisation */
    size_t ngroups;
    char survey_round[12]; /* the round the groups show ("2026-Q4"), "" when none */
    waras_remedy *remedies; /* suggestions, once waras_report_suggest() ran */
    size_t nremedies;
} waras_report;

typedef struct waras_report_opts {
    const char *team;   /* only this team, or NULL */
    const char *person; /* only this person, or NULL */
    waras_date first_monday, last_monday; /* Mondays of the first and last week shown */
    const waras_policy *policy;        /* NULL: defaults */
    int self; /* with person: the person's own view, wellbeing included */
    /* Called after each person, for progress on long runs (may be NULL). */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
} waras_report_opts;

/* Computes the report. WARAS_ENOTFOUND when --person names nobody. The
 * caller frees it with waras_report_free(). */
int waras_report_build(waras_report **out, waras_store *st, const waras_report_opts *opts);
void waras_report_free(waras_report *r);

/* Adds the suggestions (waras/remedy.h) for everyone whose risk at the end
 * of the last week shown is high or critical, strongest first; the
 * quiet-week suggestion once per team. opts->from and opts->ends default
 * to the Monday after the last week shown and that week's Sunday. */
int waras_report_suggest(waras_report *r, waras_store *st, const waras_remedy_opts *opts);

/* The JSON document (docs/report-schema.md). Caller frees. */
char *waras_report_json(const waras_report *r);

/* The report as one self-contained HTML page (inline CSS and SVG, no
 * scripts, nothing fetched). Caller frees; NULL on out of memory. */
char *waras_report_html(const waras_report *r, const char *title);

/* The report's charts, each an HTML fragment: one inline SVG (role="img",
 * with a viewBox, scaling down to the width it is given) and its legend.
 * The HTML report and the service's pages embed the same fragments. */
typedef enum waras_report_chart_kind {
    WARAS_CHART_HOURS,         /* "Worked hours per person and week": people x weeks */
    WARAS_CHART_INTERRUPTIONS, /* "Interruptions by window": business, off, sleep hours
                                  stacked per week (yellow, orange, red) */
    WARAS_CHART_ONCALL         /* "On-call hours against the fair share" of each team */
} waras_report_chart_kind;

/* The chart of r as an HTML fragment in *out (caller frees). WARAS_ENOMEM,
 * WARAS_EINVAL for an unknown kind. */
int waras_report_chart(char **out, const waras_report *r, waras_report_chart_kind chart);

/* "2026-W47" for a week. */
void waras_report_week_label(char *buf, size_t size, const waras_week_metrics *w);

#endif
