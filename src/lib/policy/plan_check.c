/*
 * Linting a plan before it happens: an on-call rota as waras writes it
 * (JSON or iCalendar) or as PagerDuty renders a schedule (JSON). The turns
 * are read without touching the store's events (people are looked up by id,
 * e-mail, PagerDuty id or name), then checked against the preset's rules
 * that a rota can break: the on-call share, back-to-back turns, two roles at
 * once, and the rotation's size (SRE); EU and Indonesian presets cap the
 * share at a third.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "time/days.h"
#include "util/util.h"
#include "waras/check.h"
#include "waras/error.h"
#include "waras/ics.h"
#include "waras/time.h"

typedef struct turn {
    char person[WARAS_PERSON_ID_MAX];
    waras_instant s, e;
} turn;

typedef struct turns {
    turn *v;
    size_t n, cap;
    long unmapped;
    char first_unmapped[128];
} turns;

static int find_person(waras_store *st, const char *who, char *id, size_t size)
{
    static const char *const kinds[] = {"email", "pagerduty", "opsgenie", "calendar", "name", NULL};
    waras_person p;
    if (!who || !*who)
        return WARAS_ENOTFOUND;
    if (waras_store_person_get(&p, st, who) == 0) {
        waras_strlcpy(id, p.id, size);
        return 0;
    }
    for (int i = 0; kinds[i]; i++)
        if (waras_store_identity_find(id, size, st, kinds[i], who) == 0)
            return 0;
    return WARAS_ENOTFOUND;
}

static int add_turn(turns *t, waras_store *st, const char *who, const char *alt,
                    waras_instant s, waras_instant e)
{
    char id[WARAS_PERSON_ID_MAX];
    if (find_person(st, who, id, sizeof(id)) != 0 && find_person(st, alt, id, sizeof(id)) != 0) {
        if (!t->unmapped++)
            waras_strlcpy(t->first_unmapped, who && *who ? who : alt ? alt : "?",
                          sizeof(t->first_unmapped));
        return 0;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        turn *v = realloc(t->v, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        t->v = v;
        t->cap = cap;
    }
    turn *x = &t->v[t->n++];
    waras_strlcpy(x->person, id, sizeof(x->person));
    x->s = s;
    x->e = e;
    return 0;
}

static int parse_time(const char *path, const char *field, const char *v, waras_instant *out)
{
    int has = 0;
    if (!v || waras_datetime_parse(out, &has, v) || !has)
        return waras_error_set(WARAS_EPARSE, path, 0, field,
                               "'%s' is not a time with an offset", v ? v : "(missing)");
    if (!waras_time__instant_in_range(*out))
        return waras_error_set(WARAS_EPARSE, path, 0, field, "'%s' is " WARAS_TIME__OUT_OF_RANGE,
                               v);
    return 0;
}

static int read_json(turns *t, waras_store *st, const char *path, const char *text)
{
    json_error_t err;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    int rc = 0;
    if (!root)
        return waras_error_set(WARAS_EPARSE, path, err.line, NULL, "%s", err.text);
    json_t *list = json_object_get(root, "turns"); /* waras's own plan */
    int ours = json_is_array(list);
    if (!ours) {
        json_t *sched = json_object_get(root, "schedule");
        list = json_object_get(json_object_get(sched ? sched : root, "final_schedule"),
                               "rendered_schedule_entries");
    }
    if (!json_is_array(list)) {
        rc = waras_error_set(WARAS_EPARSE, path, 0, NULL,
                             "expected a waras plan ('turns') or a PagerDuty schedule "
                             "('final_schedule.rendered_schedule_entries')");
        goto cleanup;
    }
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        waras_instant s, e;
        if ((rc = parse_time(path, "start", json_string_value(json_object_get(it, "start")), &s)) ||
            (rc = parse_time(path, "end", json_string_value(json_object_get(it, "end")), &e)))
            goto cleanup;
        if (ours) {
            rc = add_turn(t, st, json_string_value(json_object_get(it, "person")), NULL, s, e);
        } else {
            json_t *u = json_object_get(it, "user");
            const char *who = json_string_value(json_object_get(u, "email"));
            if (!who)
                who = json_string_value(json_object_get(u, "id"));
            rc = add_turn(t, st, who, json_string_value(json_object_get(u, "summary")), s, e);
        }
        if (rc)
            goto cleanup;
    }
cleanup:
    json_decref(root);
    return rc;
}

typedef struct ics_ctx {
    turns *t;
    waras_store *st;
    int rc;
} ics_ctx;

static int on_turn(void *ctx, const waras_ics_occurrence *occ)
{
    ics_ctx *c = ctx;
    icalcomponent *comp = occ->component;
    const char *who = NULL;
    icalproperty *att = icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY);
    if (att) {
        who = icalproperty_get_attendee(att);
        if (who && strncasecmp(who, "mailto:", 7) == 0)
            who += 7;
    }
    /* "On call (primary): Name" or "On call: Name": the name after the colon. */
    const char *summary = icalcomponent_get_summary(comp);
    const char *name = summary ? strrchr(summary, ':') : NULL;
    if (name)
        while (*++name == ' ')
            ;
    return add_turn(c->t, c->st, who, name, occ->start, occ->end);
}

static int read_ics(turns *t, waras_store *st, const char *path, const char *text, size_t len)
{
    waras_ics_calendar *cal = NULL;
    int rc = waras_ics_parse(&cal, text, len, path);
    if (rc)
        return rc;
    ics_ctx c = {t, st, 0};
    /* A rota is short: the years around now cover it. */
    rc = waras_ics_expand(cal, (waras_date){1970, 1, 1}, (waras_date){2100, 1, 1}, on_turn, &c);
    waras_ics_free(cal);
    return rc;
}

static int by_person_start(const void *a, const void *b)
{
    const turn *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    return c ? c : (x->s > y->s) - (x->s < y->s);
}

static void fmt_day(char *buf, size_t size, waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(buf, size, "%04d-%02d-%02d", c.year, c.month, c.day);
}

int waras_check_plan_file(waras_check_result *out, waras_store *st, const char *path,
                          const char *preset)
{
    static const char SRC_SRE[] = "Site Reliability Engineering (Beyer et al., 2016), ch. 11";
    static const char SRC_EU[] = "EU Working Time Directive 2003/88/EC (standby as working "
                                 "time: CJEU C-303/98 SIMAP, C-151/02 Jaeger)";
    static const char SRC_ID[] = "Indonesia PP 35/2021 art. 21 and 26";
    turns t = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = 0, known = 0;
    memset(out, 0, sizeof(*out));
    for (int i = 0; waras_check_presets[i]; i++)
        known |= strcmp(preset, waras_check_presets[i]) == 0;
    if (!known)
        return waras_error_msg(WARAS_EINVAL, "unknown policy '%s'", preset);
    out->preset = preset;
    if ((rc = waras_file_read(&text, &len, path)))
        return rc;
    const char *p = text;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || (unsigned char)*p == 0xEF ||
           (unsigned char)*p == 0xBB || (unsigned char)*p == 0xBF)
        p++;
    rc = (*p == '{' || *p == '[') ? read_json(&t, st, path, text) : read_ics(&t, st, path, text, len);
    if (rc)
        goto cleanup;
    if (!t.n) {
        rc = waras_error_set(WARAS_EPARSE, path, 0, NULL,
                             t.unmapped ? "no turn names a known person (first: '%s')"
                                        : "the plan has no turns%s",
                             t.unmapped ? t.first_unmapped : "");
        goto cleanup;
    }
    if (t.unmapped) {
        snprintf(out->notes, sizeof(out->notes),
                 "%ld turn%s naming nobody known, left out (first: '%s')", t.unmapped,
                 t.unmapped == 1 ? "" : "s", t.first_unmapped);
    }
    qsort(t.v, t.n, sizeof(*t.v), by_person_start);
    waras_instant h0 = t.v[0].s, h1 = t.v[0].e;
    for (size_t i = 1; i < t.n; i++) {
        if (t.v[i].s < h0)
            h0 = t.v[i].s;
        if (t.v[i].e > h1)
            h1 = t.v[i].e;
    }
    double horizon = (double)(h1 - h0) / 3600.0;
    double cap = strcmp(preset, "sre") == 0 ? 0.25 : 1.0 / 3.0;
    const char *src = strcmp(preset, "sre") == 0 ? SRC_SRE
                      : strcmp(preset, "id-pp35") == 0 ? SRC_ID
                                                       : SRC_EU;
    char when[48], a[16], b[16], detail[256];
    fmt_day(a, sizeof(a), h0);
    fmt_day(b, sizeof(b), h1);
    snprintf(when, sizeof(when), "%s..%s", a, b);
    size_t people = 0;
    for (size_t i = 0; i < t.n && !rc;) {
        size_t j = i;
        double hours = 0;
        while (j < t.n && strcmp(t.v[j].person, t.v[i].person) == 0) {
            hours += (double)(t.v[j].e - t.v[j].s) / 3600.0;
            if (j > i && t.v[j].s < t.v[j - 1].e) {
                fmt_day(a, sizeof(a), t.v[j].s);
                snprintf(detail, sizeof(detail), "two turns at once (%s)", a);
                rc = waras_check_add(out, t.v[i].person, "", "two-roles", src, a, "%s", detail);
            } else if (j > i && t.v[j].s - t.v[j - 1].e < 3600) {
                fmt_day(a, sizeof(a), t.v[j].s);
                snprintf(detail, sizeof(detail), "turn starting %s follows the previous one "
                         "without a break", a);
                rc = waras_check_add(out, t.v[i].person, "", "back-to-back", src, a, "%s", detail);
            }
            j++;
        }
        people++;
        if (!rc && strcmp(preset, "who-55") != 0 && hours > cap * horizon + 1e-6) {
            snprintf(detail, sizeof(detail), "on call %.0f %% of the plan (%.0f of %.0f h; at "
                     "most %.0f %%)", 100 * hours / horizon, hours, horizon, 100 * cap);
            rc = waras_check_add(out, t.v[i].person, "", "oncall-share", src, when, "%s", detail);
        }
        i = j;
    }
    out->people = (int)people;
    if (!rc && strcmp(preset, "sre") == 0 && people < 8) {
        snprintf(detail, sizeof(detail), "%zu people on the rotation (at least 8 at one site, "
                 "or 6 per site on two)", people);
        rc = waras_check_add(out, "", "", "rotation-size", SRC_SRE, when, "%s", detail);
    }
cleanup:
    free(t.v);
    free(text);
    if (rc)
        waras_check_result_free(out);
    return rc;
}
