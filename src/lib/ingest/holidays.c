/*
 * Public holidays into the store (docs/formats.md "Holidays"). A file of
 * dates (CSV date,name or an iCalendar of all-day events) is expanded, at
 * ingest time, to one all-day event of kind "holiday" per date for each
 * person in scope (a site, a team or everyone), in that person's own zone.
 * The source is the file in that scope: the hash covers the scope and the
 * people it reached, so the same file for another site is a source of its
 * own, and re-ingesting after people joined expands it to them too; a
 * changed file supersedes what its earlier version (same path, same scope)
 * contributed. Each event carries its scoped source in its attributes, so
 * that `waras people import` can expand the recorded dates again for people
 * who joined or left a scope (waras_ingest__holidays_reexpand).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ics.h"
#include "waras/time.h"
#include "time/days.h"

#define MAX_DATES 4096

typedef struct holiday {
    int64_t day;
    char name[128];
} holiday;

typedef struct hol_list {
    holiday v[MAX_DATES];
    size_t n;
} hol_list;

static int add_date(hol_list *l, const char *path, long line, int64_t day, const char *name)
{
    if (l->n == MAX_DATES)
        return waras_error_set(WARAS_EPARSE, path, line, "date", "more than %d holidays",
                               MAX_DATES);
    l->v[l->n].day = day;
    waras_strlcpy(l->v[l->n].name, name ? name : "", sizeof(l->v[0].name));
    l->n++;
    return 0;
}

static int read_csv(hol_list *l, const char *path, const char *data, size_t len)
{
    static const char *const required[] = {"date", "name", NULL};
    waras_csv *csv = NULL;
    int rc;
    if ((rc = waras_csv_open(&csv, data, len, path)) || (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_date = waras_csv_column(csv, "date"), c_name = waras_csv_column(csv, "name");
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        int y, m, d;
        const char *date = waras_csv_field(csv, c_date), *name = waras_csv_field(csv, c_name);
        if ((rc = waras_ingest__date(&y, &m, &d, date, path, line, "date")))
            goto cleanup;
        if (!*name) {
            rc = waras_error_set(WARAS_EPARSE, path, line, "name", "empty: a holiday needs a name");
            goto cleanup;
        }
        if ((rc = add_date(l, path, line, waras_time__days_from_civil(y, m, d), name)))
            goto cleanup;
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_csv_free(csv);
    return rc;
}

typedef struct ics_read {
    hol_list *l;
    const char *path;
    const char *data;
    size_t len;
    int rc;
} ics_read;

/* The 1-based line of the DTSTART that follows the line "UID:uid" in the
 * file, for messages (the expansion knows events, not lines); 0 when not
 * found. */
static long dtstart_line(const char *data, size_t len, const char *uid)
{
    size_t ulen = strlen(uid);
    long line = 1, found = 0;
    for (size_t i = 0; i < len; i++) {
        int bol = i == 0 || data[i - 1] == '\n';
        if (bol && !found && len - i > 4 + ulen && strncmp(data + i, "UID:", 4) == 0 &&
            strncmp(data + i + 4, uid, ulen) == 0 &&
            (data[i + 4 + ulen] == '\r' || data[i + 4 + ulen] == '\n'))
            found = 1;
        else if (bol && found && len - i > 7 && strncmp(data + i, "DTSTART", 7) == 0)
            return line;
        if (data[i] == '\n')
            line++;
    }
    return 0;
}

/* Each all-day occurrence gives its days; a timed one is refused. */
static int on_occurrence(void *ctx, const waras_ics_occurrence *occ)
{
    ics_read *c = ctx;
    const char *summary = icalcomponent_get_summary(occ->component);
    if (occ->kind != WARAS_ICS_DATE) {
        c->rc = waras_error_set(WARAS_EPARSE, c->path, dtstart_line(c->data, c->len, occ->uid),
                                "DTSTART", "'%s' is not an all-day event (a holiday is a date)",
                                summary ? summary : occ->uid);
        return 1;
    }
    int64_t a = occ->start / 86400, b = occ->end > occ->start ? (occ->end - 1) / 86400 : a;
    for (int64_t d = a; d <= b; d++)
        if ((c->rc = add_date(c->l, c->path, 0, d, summary && *summary ? summary : occ->uid)))
            return 1;
    return 0;
}

static int read_ics(hol_list *l, const char *path, const char *data, size_t len)
{
    waras_ics_calendar *cal = NULL;
    waras_ics_parse_opts po = {.strict = 1};
    int rc = waras_ics_parse_with(&cal, data, len, path, &po);
    if (rc)
        return rc;
    ics_read c = {l, path, data, len, 0};
    rc = waras_ics_expand(cal, (waras_date){1970, 1, 1}, (waras_date){2200, 12, 31}, on_occurrence,
                          &c);
    waras_ics_free(cal);
    return c.rc ? c.rc : rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int in_scope(const waras_person *p, const waras_holiday_scope *sc)
{
    if (sc->site)
        return waras_strcaseeq(p->site, sc->site);
    if (sc->team)
        return strcmp(p->team, sc->team) == 0;
    return sc->all;
}

int waras_ingest_holidays(waras_ingest_result *res, waras_store *st, const char *path,
                          const waras_holiday_scope *sc)
{
    ingest_file f;
    hol_list *l = NULL;
    waras_person *people = NULL;
    size_t npeople = 0;
    waras_buf b;
    char scoped[4200], tag[160], sha[65];
    int rc, seen = 0;
    waras_buf_init(&b, 0);
    memset(&f, 0, sizeof(f));
    memset(res, 0, sizeof(*res));
    if (!!sc->site + !!sc->team + !!sc->all != 1)
        return waras_error_msg(WARAS_EINVAL, "give exactly one of --site, --team or --all");
    if (sc->all)
        snprintf(tag, sizeof(tag), "all");
    else
        snprintf(tag, sizeof(tag), "%s=%s", sc->site ? "site" : "team",
                 sc->site ? sc->site : sc->team);
    if (sc->site)
        waras_str_lower(tag); /* sites compare without regard to case */
    snprintf(scoped, sizeof(scoped), "%s [%s]", path, tag);
    f.st = st;
    f.path = scoped;
    f.kind = "holidays";
    f.res = res;
    if ((rc = waras_file_read(&f.data, &f.len, path)))
        return rc;
    l = calloc(1, sizeof(*l));
    if (!l) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto fail;
    }
    /* Read everything first: a bad file changes nothing. */
    rc = ends_with(path, ".ics") || ends_with(path, ".ical") ? read_ics(l, path, f.data, f.len)
                                                             : read_csv(l, path, f.data, f.len);
    if (rc || (rc = waras_store_people_list(&people, &npeople, st)))
        goto fail;
    size_t reached = 0;
    waras_buf_printf(&b, "%s\n", tag);
    for (size_t i = 0; i < npeople; i++)
        if (in_scope(&people[i], sc)) {
            waras_buf_printf(&b, "%s %s\n", people[i].id, people[i].timezone);
            reached++;
        }
    if (!reached) {
        rc = waras_error_msg(WARAS_ENOTFOUND, "nobody in %s (import people.csv first)", tag);
        goto fail;
    }
    waras_buf_add(&b, f.data, f.len);
    waras_sha256_hex(sha, b.ptr, b.len);
    if ((rc = waras_store_source_seen(&seen, st, "holidays", sha)))
        goto fail;
    if (seen) {
        res->already = 1;
        goto fail; /* nothing to do; frees */
    }
    if ((rc = waras_store_begin_bulk(st)) ||
        (rc = waras_store_source_add(&f.source, st, "holidays", scoped, sha)))
        goto end;
    for (size_t i = 0; i < npeople && !rc; i++) {
        const waras_tz *tz;
        if (!in_scope(&people[i], sc))
            continue;
        if ((rc = waras_tz_get(&tz, people[i].timezone)))
            break;
        for (size_t k = 0; k < l->n && !rc; k++) {
            char key[200], date[16];
            waras_date_format(date, sizeof(date), waras_time__date(l->v[k].day));
            snprintf(key, sizeof(key), "%s %s", date, tag);
            /* The scoped source travels with each event, so that a later
             * people import can expand it to people who joined the scope
             * (waras_ingest__holidays_reexpand). */
            json_t *a = json_pack("{s:s, s:s}", "name", l->v[k].name, "holidays", scoped);
            char *attrs = a ? json_dumps(a, JSON_COMPACT) : NULL;
            json_decref(a);
            waras_event ev = {
                .person = people[i].id,
                .kind = "holiday",
                .status = "accepted",
                .start = waras_tz_date_start(tz, waras_time__date(l->v[k].day)),
                .end = waras_tz_date_start(tz, waras_time__date(l->v[k].day + 1)),
                .all_day = 1,
                .source_kind = "holidays",
                .source_key = key,
                .attrs = attrs,
            };
            rc =
                attrs ? waras_ingest__put(&f, &ev) : waras_error_msg(WARAS_ENOMEM, "out of memory");
            free(attrs);
        }
    }
    res->rows = (long)l->n;
    snprintf(res->note, sizeof(res->note), "%zu holiday%s for %zu %s in %s", l->n,
             l->n == 1 ? "" : "s", reached, reached == 1 ? "person" : "people", tag);
end:
    free(l);
    free(people);
    waras_buf_free(&b);
    return waras_ingest__end(&f, rc);
fail:
    free(l);
    free(people);
    waras_buf_free(&b);
    free(f.data);
    return rc;
}

/* One stored holiday event, as the re-expansion reads it back. */
typedef struct held {
    char *source; /* "PATH [tag]" */
    char person[WARAS_PERSON_ID_MAX];
    int64_t day;
    char name[128];
    waras_instant start;
} held;

typedef struct held_list {
    held *v;
    size_t n, cap;
    int rc;
} held_list;

static int collect_held(void *ctx, const waras_event *ev)
{
    held_list *l = ctx;
    int y, m, d;
    if (!ev->attrs || strcmp(ev->kind, "holiday") != 0 || strlen(ev->source_key) < 10)
        return 0;
    char date[11];
    memcpy(date, ev->source_key, 10);
    date[10] = '\0';
    json_t *a = json_loads(ev->attrs, 0, NULL);
    const char *src = json_string_value(json_object_get(a, "holidays"));
    const char *name = json_string_value(json_object_get(a, "name"));
    /* Events stored before sources were recorded in them stay as they are. */
    if (!src || waras_time__parse_ymd(&y, &m, &d, date)) {
        json_decref(a);
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        held *v = realloc(l->v, cap * sizeof(*v));
        if (!v) {
            json_decref(a);
            l->rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            return 1;
        }
        l->v = v;
        l->cap = cap;
    }
    held *h = &l->v[l->n];
    memset(h, 0, sizeof(*h));
    h->source = waras_strdup(src);
    waras_strlcpy(h->person, ev->person, sizeof(h->person));
    waras_strlcpy(h->name, name ? name : "", sizeof(h->name));
    h->day = waras_time__days_from_civil(y, m, d);
    h->start = ev->start;
    json_decref(a);
    if (!h->source) {
        l->rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        return 1;
    }
    l->n++;
    return 0;
}

/* The scope of "PATH [tag]": all, site=S or team=T. */
static int scope_of(waras_holiday_scope *sc, char *tag, size_t size, const char *source)
{
    const char *open = strrchr(source, '[');
    size_t len = open ? strlen(open + 1) : 0;
    if (!open || len < 2 || open[len] != ']' || len > size)
        return -1;
    memcpy(tag, open + 1, len - 1);
    tag[len - 1] = '\0';
    memset(sc, 0, sizeof(*sc));
    if (strcmp(tag, "all") == 0)
        sc->all = 1;
    else if (strncmp(tag, "site=", 5) == 0)
        sc->site = tag + 5;
    else if (strncmp(tag, "team=", 5) == 0)
        sc->team = tag + 5;
    else
        return -1;
    return 0;
}

/* One recorded source (rows held[a..b) of the sorted list): expands its
 * dates to everyone now in its scope, in their zones, as a new version of
 * the source, so that supersede drops what people who left the scope
 * held. Nothing is written when the holders are already exactly right. */
static int reexpand_one(waras_store *st, const held *hv, size_t a, size_t b,
                        const waras_person *people, size_t npeople, int64_t people_source,
                        long *sources, long *added, long *removed)
{
    waras_holiday_scope sc;
    char tag[160];
    int rc = 0;
    if (scope_of(&sc, tag, sizeof(tag), hv[a].source))
        return 0;
    /* The dates and names, each once (the rows are sorted by day). */
    size_t ndates = 0;
    holiday *dates = calloc(b - a, sizeof(*dates));
    if (!dates)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = a; i < b; i++)
        if (!ndates || dates[ndates - 1].day != hv[i].day) {
            dates[ndates].day = hv[i].day;
            waras_strlcpy(dates[ndates].name, hv[i].name, sizeof(dates[0].name));
            ndates++;
        }
    /* Right already: every holder in scope, and everyone in scope holding
     * every date at the start of that day in their zone. */
    size_t right = 0, in = 0;
    int stale = 0;
    waras_buf b2;
    waras_buf_init(&b2, 0);
    waras_buf_printf(&b2, "re-expanded by people %lld\n%s\n", (long long)people_source,
                     hv[a].source);
    for (size_t p = 0; p < npeople && !rc; p++) {
        const waras_tz *tz;
        int scoped = in_scope(&people[p], &sc);
        for (size_t i = a; scoped && i < b; i++)
            if (strcmp(hv[i].person, people[p].id) == 0 && !waras_tz_get(&tz, people[p].timezone) &&
                hv[i].start == waras_tz_date_start(tz, waras_time__date(hv[i].day)))
                right++;
        for (size_t i = a; !scoped && i < b; i++)
            stale |= strcmp(hv[i].person, people[p].id) == 0;
        if (scoped) {
            in++;
            waras_buf_printf(&b2, "%s %s\n", people[p].id, people[p].timezone);
        }
    }
    if (stale || right != in * ndates || right != b - a) {
        char sha[65];
        int64_t id = 0;
        long fresh = 0, gone = 0;
        for (size_t k = 0; k < ndates; k++)
            waras_buf_printf(&b2, "%lld %s\n", (long long)dates[k].day, dates[k].name);
        waras_sha256_hex(sha, b2.ptr, b2.len);
        rc = waras_store_source_add(&id, st, "holidays", hv[a].source, sha);
        for (size_t p = 0; p < npeople && !rc; p++) {
            const waras_tz *tz;
            if (!in_scope(&people[p], &sc))
                continue;
            if ((rc = waras_tz_get(&tz, people[p].timezone)))
                break;
            for (size_t k = 0; k < ndates && !rc; k++) {
                char key[200], date[16];
                waras_date_format(date, sizeof(date), waras_time__date(dates[k].day));
                snprintf(key, sizeof(key), "%s %s", date, tag);
                json_t *j = json_pack("{s:s, s:s}", "name", dates[k].name, "holidays",
                                      hv[a].source);
                char *attrs = j ? json_dumps(j, JSON_COMPACT) : NULL;
                json_decref(j);
                waras_event ev = {
                    .person = people[p].id,
                    .kind = "holiday",
                    .status = "accepted",
                    .start = waras_tz_date_start(tz, waras_time__date(dates[k].day)),
                    .end = waras_tz_date_start(tz, waras_time__date(dates[k].day + 1)),
                    .all_day = 1,
                    .source = id,
                    .source_kind = "holidays",
                    .source_key = key,
                    .attrs = attrs,
                };
                int ch = 0, had = 0;
                rc = attrs ? waras_store_event_put(&ch, st, &ev)
                           : waras_error_msg(WARAS_ENOMEM, "out of memory");
                free(attrs);
                for (size_t i = a; i < b && !had; i++)
                    had = hv[i].day == dates[k].day && strcmp(hv[i].person, people[p].id) == 0;
                fresh += !had;
            }
        }
        if (!rc && !(rc = waras_store_source_finish(st, id, (long)ndates, 0)))
            rc = waras_store_source_supersede(&gone, st, id, "holidays", hv[a].source);
        (*sources)++;
        *added += fresh;   /* rows for people (or days) that had none */
        *removed += gone;  /* rows of people who left the scope */
    }
    waras_buf_free(&b2);
    free(dates);
    return rc;
}

static int held_cmp(const void *x, const void *y)
{
    const held *a = x, *b = y;
    int c = strcmp(a->source, b->source);
    return c ? c : a->day < b->day ? -1 : a->day > b->day;
}

int waras_ingest__holidays_reexpand(waras_ingest_result *res, waras_store *st,
                                    int64_t people_source)
{
    held_list l = {0};
    waras_person *people = NULL;
    size_t npeople = 0;
    long sources = 0, added = 0, removed = 0;
    int rc = waras_store_source_events_each(st, "holidays", collect_held, &l);
    if (!rc)
        rc = l.rc;
    if (!rc && l.n && !(rc = waras_store_people_list(&people, &npeople, st))) {
        qsort(l.v, l.n, sizeof(*l.v), held_cmp);
        for (size_t a = 0, b; a < l.n && !rc; a = b) {
            for (b = a + 1; b < l.n && strcmp(l.v[b].source, l.v[a].source) == 0; b++)
                ;
            rc = reexpand_one(st, l.v, a, b, people, npeople, people_source, &sources, &added,
                              &removed);
        }
    }
    if (!rc && sources) {
        size_t len = strlen(res->note);
        snprintf(res->note + len, sizeof(res->note) - len,
                 "%sholidays expanded again from %ld source%s: %ld added, %ld removed",
                 len ? "; " : "", sources, sources == 1 ? "" : "s", added, removed);
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].source);
    free(l.v);
    free(people);
    return rc;
}
