/*
 * Public holidays into the store (docs/formats.md "Holidays"). A file of
 * dates (CSV date,name or an iCalendar of all-day events) is expanded, at
 * ingest time, to one all-day event of kind "holiday" per date for each
 * person in scope (a site, a team or everyone), in that person's own zone.
 * The source is the file in that scope: the hash covers the scope and the
 * people it reached, so the same file for another site is a source of its
 * own, and re-ingesting after people joined expands it to them too; a
 * changed file supersedes what its earlier version (same path, same scope)
 * contributed.
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
        if (waras_time__parse_ymd(&y, &m, &d, date)) {
            rc = waras_error_set(WARAS_EPARSE, path, line, "date", "'%s' is not a date YYYY-MM-DD",
                                 date);
            goto cleanup;
        }
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
            json_t *a = json_pack("{s:s}", "name", l->v[k].name);
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
