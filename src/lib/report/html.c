/*
 * The report as one self-contained HTML file: inline CSS and SVG charts, no
 * scripts, no fonts or images from the network, so that it can be mailed,
 * archived and opened anywhere. It shows the team heatmap of worked hours,
 * interruptions by window per week, on-call hours against the fair share,
 * the risk table with reasons, and survey aggregates (suppressed below
 * min_group, and saying so).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"
#include "waras/report.h"

static void esc(waras_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            waras_buf_add(b, "&lt;", 4);
            break;
        case '>':
            waras_buf_add(b, "&gt;", 4);
            break;
        case '&':
            waras_buf_add(b, "&amp;", 5);
            break;
        case '"':
            waras_buf_add(b, "&quot;", 6);
            break;
        default:
            waras_buf_addc(b, *s);
        }
    }
}

/* Worked hours to a colour: calm below 40 h, warm past 48, red from 55. */
static const char *heat(double h)
{
    if (h <= 0.05)
        return "#f4f5f7";
    if (h < 20)
        return "#dbeafe";
    if (h < 35)
        return "#bfdbfe";
    if (h < 45)
        return "#93c5fd";
    if (h < 48)
        return "#fde68a";
    if (h < 55)
        return "#fb923c";
    return "#dc2626";
}

static const char *level_colour(const char *level)
{
    return strcmp(level, "critical") == 0   ? "#b91c1c"
           : strcmp(level, "high") == 0     ? "#ea580c"
           : strcmp(level, "moderate") == 0 ? "#ca8a04"
                                            : "#15803d";
}

/* Each chart scales down to the width it is given (a phone) and keeps its
 * proportions, wherever it is embedded and whatever stylesheet is there. */
#define SVG_FIT "style=\"max-width:100%%;height:auto\""

#define HOURS_LEGEND                                                                   \
    "<span class=\"sw-h45\" style=\"background:#93c5fd\"></span>up to 45 h <span "      \
    "class=\"sw-h48\" style=\"background:#fde68a\"></span>45&ndash;48 h <span "          \
    "class=\"sw-h55\" style=\"background:#fb923c\"></span>48&ndash;55 h <span "          \
    "class=\"sw-hmax\" style=\"background:#dc2626\"></span>55 h or more (WHO/ILO)"

static void heatmap(waras_buf *b, const waras_report *r)
{
    const int cw = 44, ch = 22, left = 190, top = 28;
    int width = left + cw * (int)r->nweeks + 10, height = top + ch * (int)r->npeople + 10;
    waras_buf_printf(b, "<svg role=\"img\" aria-label=\"Worked hours per person and week\" "
                        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " SVG_FIT ">\n",
                     width, height, width, height);
    for (size_t k = 0; k < r->nweeks && r->npeople; k++)
        waras_buf_printf(b, "<text x=\"%d\" y=\"18\" class=\"ax\" text-anchor=\"middle\">W%02d</text>\n",
                         left + cw * (int)k + cw / 2, r->people[0].weeks[k].iso_week);
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *p = &r->people[i];
        int y = top + ch * (int)i;
        waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\" text-anchor=\"end\">", left - 8,
                         y + 15);
        esc(b, p->person.id);
        waras_buf_printf(b, " <tspan class=\"team\">");
        esc(b, p->person.team);
        waras_buf_printf(b, "</tspan></text>\n");
        for (size_t k = 0; k < r->nweeks; k++) {
            const waras_week_metrics *w = &p->weeks[k];
            int x = left + cw * (int)k;
            waras_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" "
                                "fill=\"%s\"><title>",
                             x + 1, y + 1, cw - 2, ch - 2, heat(w->worked_hours));
            esc(b, p->person.id);
            waras_buf_printf(b, ", W%02d: %.1f h worked, %.1f h after hours</title></rect>\n",
                             w->iso_week, w->worked_hours, w->after_hours);
            if (w->leave_days >= 4.5 && w->worked_hours < 1)
                waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell\" "
                                    "text-anchor=\"middle\">leave</text>\n",
                                 x + cw / 2, y + 15);
            else
                waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell%s\" "
                                    "text-anchor=\"middle\">%.0f</text>\n",
                                 x + cw / 2, y + 15, w->worked_hours >= 55 ? " hot" : "",
                                 w->worked_hours);
        }
    }
    waras_buf_printf(b, "</svg>\n");
}

static void interruptions_chart(waras_buf *b, const waras_report *r)
{
    const int bw = 40, left = 40, top = 10, h = 160;
    int width = left + bw * (int)r->nweeks + 20;
    int tot[3][64] = {{0}}, maxv = 1;
    size_t nw = r->nweeks < 64 ? r->nweeks : 64;
    for (size_t i = 0; i < r->npeople; i++)
        for (size_t k = 0; k < nw; k++)
            for (int x = 0; x < 3; x++)
                tot[x][k] += r->people[i].weeks[k].interruptions[x];
    for (size_t k = 0; k < nw; k++)
        if (tot[0][k] + tot[1][k] + tot[2][k] > maxv)
            maxv = tot[0][k] + tot[1][k] + tot[2][k];
    /* Business hours yellow, off hours orange, sleep hours red. */
    static const char *const colours[3] = {"#facc15", "#f97316", "#dc2626"};
    waras_buf_printf(b, "<svg role=\"img\" aria-label=\"Interruptions by window\" width=\"%d\" "
                        "height=\"%d\" viewBox=\"0 0 %d %d\" " SVG_FIT ">\n",
                     width, h + 40, width, h + 40);
    waras_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", left,
                     top + h, width - 10, top + h);
    waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%d</text>\n",
                     left - 6, top + 8, maxv);
    for (size_t k = 0; k < nw; k++) {
        int x = left + bw * (int)k + 6, y = top + h;
        for (int s = 0; s < 3; s++) {
            int hh = (int)lround((double)tot[s][k] * h / maxv);
            if (!hh)
                continue;
            y -= hh;
            waras_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                                "<title>%d %s</title></rect>\n",
                             x, y, bw - 12, hh, colours[s], tot[s][k],
                             s == 0 ? "in working hours" : s == 1 ? "off hours" : "sleep hours");
        }
        waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">W%02d</text>\n",
                         x + (bw - 12) / 2, top + h + 16, r->people[0].weeks[k].iso_week);
    }
    /* The swatches' classes colour them where inline styles are not allowed
     * (the service's pages). */
    waras_buf_printf(b, "</svg>\n<p class=\"legend\"><span class=\"sw-business\" "
                        "style=\"background:%s\"></span>working hours <span class=\"sw-off\" "
                        "style=\"background:%s\"></span>off hours (evenings, weekends) <span "
                        "class=\"sw-sleep\" style=\"background:%s\"></span>sleep hours "
                        "(22:00&ndash;08:00)</p>\n",
                     colours[0], colours[1], colours[2]);
}

static void oncall_chart(waras_buf *b, const waras_report *r)
{
    /* Per team: each person's on-call hours against the team's fair share. */
    const int bh = 18, left = 190, scale_w = 420;
    double maxh = 1;
    size_t on = 0;
    for (size_t i = 0; i < r->npeople; i++) {
        double s = 0;
        for (size_t k = 0; k < r->nweeks; k++)
            s += r->people[i].weeks[k].oncall_hours;
        if (s > maxh)
            maxh = s;
        on += s > 0;
    }
    if (!on) {
        /* Still a chart, so that a page's layout does not depend on the data. */
        waras_buf_printf(b, "<svg role=\"img\" aria-label=\"On-call hours against the fair "
                            "share\" width=\"%d\" height=\"40\" viewBox=\"0 0 %d 40\" " SVG_FIT
                            "><text x=\"10\" y=\"24\" class=\"ax\">No on-call shifts in these "
                            "weeks.</text></svg>\n",
                         left + scale_w + 80, left + scale_w + 80);
        return;
    }
    int height = bh * (int)r->npeople + 30;
    waras_buf_printf(b, "<svg role=\"img\" aria-label=\"On-call hours against the fair share\" "
                        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " SVG_FIT ">\n",
                     left + scale_w + 80, height, left + scale_w + 80, height);
    for (size_t i = 0; i < r->npeople;) {
        size_t j = i;
        double team_total = 0;
        while (j < r->npeople && strcmp(r->people[j].person.team, r->people[i].person.team) == 0) {
            for (size_t k = 0; k < r->nweeks; k++)
                team_total += r->people[j].weeks[k].oncall_hours;
            j++;
        }
        double fair = team_total / (double)(j - i);
        for (size_t q = i; q < j; q++) {
            double s = 0;
            for (size_t k = 0; k < r->nweeks; k++)
                s += r->people[q].weeks[k].oncall_hours;
            int y = 10 + bh * (int)q;
            waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\" text-anchor=\"end\">",
                             left - 8, y + 13);
            esc(b, r->people[q].person.id);
            waras_buf_printf(b, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                                "fill=\"%s\"><title>%.0f h on call (fair share %.0f h)</title>"
                                "</rect>\n",
                             left, y + 2, (int)(s / maxh * scale_w), bh - 5,
                             s > fair * 1.25 ? "#ea580c" : "#60a5fa", s, fair);
            waras_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"fair\"/>\n",
                             left + (int)(fair / maxh * scale_w), y, left + (int)(fair / maxh * scale_w),
                             y + bh);
            waras_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">%.0f h</text>\n",
                             left + (int)(s / maxh * scale_w) + 6, y + 13, s);
        }
        i = j;
    }
    waras_buf_printf(b, "</svg>\n<p class=\"legend\">The dark line on each bar is the team's "
                        "fair share (the team's on-call hours divided evenly); orange bars are "
                        "more than 25 %% above it.</p>\n");
}

static int has_oncall(const waras_report *r)
{
    for (size_t i = 0; i < r->npeople; i++)
        for (size_t k = 0; k < r->nweeks; k++)
            if (r->people[i].weeks[k].oncall_hours > 0)
                return 1;
    return 0;
}

int waras_report_chart(char **out, const waras_report *r, waras_report_chart_kind chart)
{
    waras_buf b;
    *out = NULL;
    waras_buf_init(&b, (size_t)16 << 20);
    switch (chart) {
    case WARAS_CHART_HOURS:
        heatmap(&b, r);
        waras_buf_printf(&b, "<p class=\"legend\">" HOURS_LEGEND "</p>\n");
        break;
    case WARAS_CHART_INTERRUPTIONS:
        if (r->npeople && r->nweeks)
            interruptions_chart(&b, r);
        break;
    case WARAS_CHART_ONCALL:
        oncall_chart(&b, r);
        break;
    default:
        waras_buf_free(&b);
        return waras_error_msg(WARAS_EINVAL, "no such chart");
    }
    if (!b.ptr) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    *out = waras_buf_detach(&b);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}

typedef struct sort_item {
    const waras_report_person *p;
    double score;
} sort_item;

static int by_score(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->p->person.id, y->p->person.id);
}

static void risk_table(waras_buf *b, const waras_report *r)
{
    sort_item *items = calloc(r->npeople ? r->npeople : 1, sizeof(*items));
    if (!items)
        return;
    for (size_t i = 0; i < r->npeople; i++) {
        items[i].p = &r->people[i];
        items[i].score = r->people[i].risk[r->nweeks - 1].score;
    }
    if (r->npeople)
        qsort(items, r->npeople, sizeof(*items), by_score);
    waras_buf_printf(b, "<table class=\"risk\"><thead><tr><th>person</th><th>team</th>"
                        "<th>level</th><th>score</th><th>why, strongest first</th></tr></thead>"
                        "<tbody>\n");
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_risk *k = &items[i].p->risk[r->nweeks - 1];
        waras_buf_printf(b, "<tr><td>");
        esc(b, items[i].p->person.name[0] ? items[i].p->person.name : items[i].p->person.id);
        waras_buf_printf(b, "</td><td>");
        esc(b, items[i].p->person.team);
        waras_buf_printf(b, "</td><td><span class=\"pill\" style=\"background:%s\">%s</span>"
                            "</td><td class=\"num\">%.0f</td><td>",
                         level_colour(k->level), k->level, k->score);
        if (!k->nreasons)
            waras_buf_printf(b, "<span class=\"muted\">nothing stands out</span>");
        for (int x = 0; x < k->nreasons && x < 3; x++) {
            waras_buf_printf(b, "%s", x ? "<br>" : "");
            esc(b, k->reasons[x].text);
        }
        if (k->accumulated)
            waras_buf_printf(b, "<br><span class=\"muted\">+%.0f: several signals are high at "
                                "once</span>",
                             r->policy.accumulate_bonus);
        waras_buf_printf(b, "</td></tr>\n");
    }
    waras_buf_printf(b, "</tbody></table>\n");
    free(items);
}

/* Suggestions: for each, the finding it answers, what the planner found
 * and the exact command, ready to copy. */
static void suggestions(waras_buf *b, const waras_report *r)
{
    if (!r->nremedies)
        return;
    waras_buf_printf(b, "<h2>Suggestions</h2>\n<ul class=\"suggestions\">\n");
    for (size_t i = 0; i < r->nremedies; i++) {
        const waras_remedy *m = &r->remedies[i];
        waras_buf_printf(b, "<li><strong>");
        esc(b, m->person);
        waras_buf_printf(b, "</strong> (");
        esc(b, m->finding);
        waras_buf_printf(b, "): ");
        esc(b, m->text);
        if (m->command[0]) {
            waras_buf_printf(b, "<br><code>");
            esc(b, m->command);
            waras_buf_printf(b, "</code>");
        }
        waras_buf_printf(b, "</li>\n");
    }
    waras_buf_printf(b, "</ul>\n");
}

static void wellbeing_table(waras_buf *b, const waras_report *r)
{
    waras_buf_printf(b, "<table><thead><tr><th>group</th><th>people</th><th>respondents</th>"
                        "<th>personal</th><th>work-related</th><th>client-related</th>"
                        "<th>work &ge; 50</th></tr></thead><tbody>\n");
    for (size_t g = 0; g < r->ngroups; g++) {
        const waras_report_group *w = &r->groups[g];
        waras_buf_printf(b, "<tr><td>");
        esc(b, w->team[0] ? w->team : "whole organisation");
        waras_buf_printf(b, "</td><td class=\"num\">%d</td>", w->members);
        /* The model holds only what may be shown, with the words for the rest. */
        if (w->respondents < 0)
            waras_buf_printf(b, "<td class=\"muted\">suppressed</td>");
        else
            waras_buf_printf(b, "<td class=\"num\">%d</td>", w->respondents);
        if (w->suppressed) {
            if (w->why == WARAS_ACCESS_SMALL)
                waras_buf_printf(b, "<td colspan=\"4\" class=\"muted\">suppressed: fewer "
                                    "than %d respondents", r->policy.min_group);
            else {
                waras_buf_printf(b, "<td colspan=\"4\" class=\"muted\">");
                esc(b, w->reason);
            }
            waras_buf_printf(b, "</td></tr>\n");
            continue;
        }
        for (int s = 0; s < 3; s++) {
            if (w->mean[s] < 0) {
                waras_buf_printf(b, "<td class=\"muted\">suppressed: ");
                esc(b, w->scale_reason[s]);
                waras_buf_printf(b, "</td>");
            } else {
                waras_buf_printf(b, "<td class=\"num\">%.1f</td>", w->mean[s]);
            }
        }
        waras_buf_printf(b, "<td class=\"num\">%.0f %%</td></tr>\n", 100.0 * w->high_work_share);
    }
    waras_buf_printf(b, "</tbody></table>\n<p class=\"legend\">Copenhagen Burnout Inventory "
                        "(0&ndash;100; 50 or more is high burnout), survey round %s. Group "
                        "means only: no individual answer or score appears in this report, and "
                        "a group is also suppressed when showing it would let a smaller one be "
                        "computed by subtraction.</p>\n",
                     r->survey_round[0] ? r->survey_round : "none");
}

char *waras_report_html(const waras_report *r, const char *title)
{
    waras_buf b;
    waras_buf_init(&b, (size_t)64 << 20);
    char first[16] = "", last[16] = "";
    if (r->npeople) {
        waras_report_week_label(first, sizeof(first), &r->people[0].weeks[0]);
        waras_report_week_label(last, sizeof(last), &r->people[0].weeks[r->nweeks - 1]);
    }
    int levels[4] = {0};
    for (size_t i = 0; i < r->npeople; i++) {
        const char *lv = r->people[i].risk[r->nweeks - 1].level;
        levels[strcmp(lv, "low") == 0 ? 0 : strcmp(lv, "moderate") == 0 ? 1
                                        : strcmp(lv, "high") == 0   ? 2
                                                                    : 3]++;
    }
    waras_buf_printf(&b,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(&b, title);
    waras_buf_printf(&b,
        "</title>\n<style>\n"
        "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2937;"
        "margin:0;background:#fafafa}\n"
        "main{max-width:1100px;margin:0 auto;padding:24px 28px 48px}\n"
        "h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px;border-bottom:1px "
        "solid #e5e7eb;padding-bottom:4px}\n"
        ".sub{color:#6b7280;margin:0 0 16px}.muted{color:#6b7280}\n"
        ".cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid "
        "#e5e7eb;border-radius:8px;padding:10px 16px;min-width:120px}\n"
        ".card b{display:block;font-size:22px}\n"
        "svg{background:#fff;border:1px solid #e5e7eb;border-radius:8px;max-width:100%%;"
        "height:auto}\n"
        "svg text{font:12px system-ui,sans-serif;fill:#374151}svg .ax{fill:#6b7280;font-size:11px}\n"
        "svg .team{fill:#9ca3af;font-size:10px}svg .cell{font-size:11px}svg .hot{fill:#fff;"
        "font-weight:600}\n"
        "svg .axis{stroke:#9ca3af}svg .fair{stroke:#111827;stroke-width:2}\n"
        "table{border-collapse:collapse;background:#fff;width:100%%}th,td{border-bottom:1px solid "
        "#e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}\n"
        "th{font-weight:600;background:#f3f4f6}td.num{text-align:right;font-variant-numeric:"
        "tabular-nums}\n"
        ".pill{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}\n"
        ".legend{color:#6b7280;font-size:12px}.legend span{display:inline-block;width:10px;"
        "height:10px;margin:0 4px 0 10px;border-radius:2px}\n"
        "footer{color:#9ca3af;font-size:12px;margin-top:32px}\n"
        "</style></head><body><main>\n<h1>");
    esc(&b, title);
    waras_buf_printf(&b, "</h1>\n<p class=\"sub\">%s to %s &middot; %zu people &middot; each "
                         "person's own time zone and ISO weeks</p>\n",
                     first, last, r->npeople);
    waras_buf_printf(&b, "<div class=\"cards\"><div class=\"card\"><b style=\"color:%s\">%d</b>"
                         "critical</div><div class=\"card\"><b style=\"color:%s\">%d</b>high</div>"
                         "<div class=\"card\"><b style=\"color:%s\">%d</b>moderate</div>"
                         "<div class=\"card\"><b style=\"color:%s\">%d</b>low</div></div>\n",
                     level_colour("critical"), levels[3], level_colour("high"), levels[2],
                     level_colour("moderate"), levels[1], level_colour("low"), levels[0]);
    waras_buf_printf(&b, "<h2>Who is overloaded, and why</h2>\n");
    risk_table(&b, r);
    waras_buf_printf(&b, "<h2>Worked hours per week</h2>\n");
    heatmap(&b, r);
    waras_buf_printf(&b, "<p class=\"legend\">" HOURS_LEGEND "</p>\n");
    waras_buf_printf(&b, "<h2>Interruptions by window</h2>\n");
    if (r->npeople)
        interruptions_chart(&b, r);
    waras_buf_printf(&b, "<h2>On-call hours against the fair share</h2>\n");
    if (has_oncall(r))
        oncall_chart(&b, r);
    else
        waras_buf_printf(&b, "<p class=\"muted\">No on-call shifts in these weeks.</p>\n");
    waras_buf_printf(&b, "<h2>Survey (team aggregates)</h2>\n");
    wellbeing_table(&b, r);
    suggestions(&b, r);
    waras_buf_printf(&b, "<footer>Made by waras. Load levels use work data only; they are "
                         "explainable signals, not a diagnosis. Definitions: docs/definitions.md, "
                         "docs/policy.md.</footer>\n</main></body></html>\n");
    if (b.len == 0 || !b.ptr) {
        waras_buf_free(&b);
        waras_error_msg(WARAS_ENOMEM, "out of memory");
        return NULL;
    }
    return waras_buf_detach(&b);
}
