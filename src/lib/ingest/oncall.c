/*
 * On-call shifts from an iCalendar on-call export (PagerDuty, Opsgenie and
 * Grafana OnCall all publish one). Each VEVENT occurrence is a shift of
 * the people it names: ATTENDEE e-mails that map to people first, else the
 * SUMMARY ("On call: Ana Putri", "Ana Putri - Primary", or any text that
 * contains a known person's name or e-mail). Expansion runs from the day
 * before the earliest date the calendar names to a year after the latest,
 * so that the result depends on the file alone. Keys (source kind
 * "oncall", per person): UID|start.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "ingest/paging_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ics.h"
#include "time/days.h"

#define OC_SHIFT_PEOPLE 32 /* people one shift may name */

typedef struct oc_run {
    paging_ctx pc;
    waras_person *people;
    size_t npeople;
    char owner[WARAS_PERSON_ID_MAX]; /* the person the calendar's name names, or "" */
    ingest_tally unmatched;
    long matched, unmatched_n;
    char first_unmatched[200];
} oc_run;

static const char *strip_mailto(const char *v)
{
    if (v && strncasecmp(v, "mailto:", 7) == 0)
        return v + 7;
    return v ? v : "";
}

static int find_address(waras_store *st, const char *addr, char person[WARAS_PERSON_ID_MAX])
{
    static const char *const kinds[] = {"email", "calendar", "opsgenie", "pagerduty", "grafana",
                                        NULL};
    int rc = WARAS_ENOTFOUND;
    for (int i = 0; *addr && kinds[i] && rc; i++)
        rc = waras_store_identity_find(person, WARAS_PERSON_ID_MAX, st, kinds[i], addr) == 0
                 ? 0
                 : WARAS_ENOTFOUND;
    return rc;
}

/* Case-insensitive substring search. */
static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return NULL;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* The name part of a summary: "On call: X", "On-call - X", "X - Primary",
 * "X (primary)", "[Primary] X". */
static void summary_name(const char *summary, char *out, size_t size)
{
    static const char *const prefixes[] = {"on call", "on-call", "oncall", NULL};
    const char *s = summary;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '[') {
        const char *e = strchr(s, ']');
        if (e)
            s = e + 1;
    }
    for (int i = 0; prefixes[i]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncasecmp(s, prefixes[i], n) == 0 && strchr(":-", s[n] == ' ' ? s[n + 1] : s[n])) {
            s += n;
            while (*s == ' ' || *s == ':' || *s == '-')
                s++;
            break;
        }
    }
    while (isspace((unsigned char)*s))
        s++;
    waras_strlcpy(out, s, size);
    char *cut = strstr(out, " - ");
    if (!cut)
        cut = strstr(out, " \xE2\x80\x93 "); /* en dash */
    if (!cut)
        cut = strchr(out, '(');
    if (!cut)
        cut = strchr(out, '|');
    if (cut)
        *cut = '\0';
    size_t n = strlen(out);
    while (n && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
}

static const char *role_of(const char *summary)
{
    if (ci_find(summary, "secondary") || ci_find(summary, "backup"))
        return "secondary";
    if (ci_find(summary, "primary"))
        return "primary";
    return "on-call";
}

static int put_shift(oc_run *r, const waras_ics_occurrence *occ, const char *person_id,
                     const char *summary)
{
    waras_person p;
    waras_instant start = occ->start, end = occ->end;
    char *attrs = NULL;
    int rc = waras_store_person_get(&p, r->pc.f->st, person_id);
    if (rc)
        goto cleanup;
    if (occ->kind != WARAS_ICS_ZONED) {
        /* Floating and all-day shifts are the person's own wall-clock time. */
        const waras_tz *tz;
        waras_civil cs, ce;
        if ((rc = waras_tz_get(&tz, p.timezone)))
            goto cleanup;
        waras_epoch_to_civil(&cs, occ->start);
        waras_epoch_to_civil(&ce, occ->end);
        start = waras_tz_to_utc(tz, &cs);
        end = waras_tz_to_utc(tz, &ce);
    }
    if (end < start)
        end = start;
    char key[1024];
    waras_ingest__occurrence_key(key, sizeof(key), occ, 900);
    json_t *a = json_pack("{s:s, s:s}", "role", role_of(summary), "summary", summary);
    attrs = a ? json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    if (!attrs) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    rc = waras_ingest__paging_put(&r->pc, p.id, "shift", start, end, key, attrs);
cleanup:
    free(attrs);
    return rc;
}

static int on_occurrence(void *ctx, const waras_ics_occurrence *occ)
{
    oc_run *r = ctx;
    icalcomponent *comp = occ->component;
    waras_store *st = r->pc.f->st;
    const char *summary = icalcomponent_get_summary(comp);
    char person[WARAS_PERSON_ID_MAX], seen[OC_SHIFT_PEOPLE][WARAS_PERSON_ID_MAX];
    int n = 0, rc = 0;
    summary = summary ? summary : "";
    r->pc.f->res->rows++;
    for (icalproperty *a = icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY);
         a && n <= OC_SHIFT_PEOPLE;
         a = icalcomponent_get_next_property(comp, ICAL_ATTENDEE_PROPERTY)) {
        if (find_address(st, strip_mailto(icalproperty_get_attendee(a)), person) == 0 &&
            n++ < OC_SHIFT_PEOPLE)
            waras_strlcpy(seen[n - 1], person, sizeof(seen[0]));
    }
    if (!n) {
        char name[256];
        summary_name(summary, name, sizeof(name));
        if (find_address(st, name, person) == 0 ||
            waras_store_identity_find(person, sizeof(person), st, "name", name) == 0)
            waras_strlcpy(seen[n++], person, sizeof(seen[0]));
    }
    /* Any known name or e-mail inside the summary. */
    int by_address = n > 0;
    for (size_t j = 0; !by_address && j < r->npeople && n <= OC_SHIFT_PEOPLE; j++)
        if (((r->people[j].name[0] && ci_find(summary, r->people[j].name)) ||
             (r->people[j].email[0] && ci_find(summary, r->people[j].email))) &&
            n++ < OC_SHIFT_PEOPLE)
            waras_strlcpy(seen[n - 1], r->people[j].id, sizeof(seen[0]));
    /* A personal feed (PagerDuty's is one per user) names its owner only
     * in X-WR-CALNAME. */
    if (!n && r->owner[0])
        waras_strlcpy(seen[n++], r->owner, sizeof(seen[0]));
    if (n > OC_SHIFT_PEOPLE)
        rc = waras_error_set(WARAS_ELIMIT, r->pc.f->path, 0, "ATTENDEE",
                             "shift '%.80s' names more than %d people", summary, OC_SHIFT_PEOPLE);
    for (int i = 0; i < n && !rc; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= strcmp(seen[i], seen[j]) == 0;
        if (!dup)
            rc = put_shift(r, occ, seen[i], summary);
    }
    if (!rc && n) {
        r->matched++;
    } else if (!rc) {
        char label[120];
        snprintf(label, sizeof(label), "%.100s", *summary ? summary : "(no summary)");
        waras_ingest__tally(&r->unmatched, label);
        if (!r->unmatched_n++)
            waras_strlcpy(r->first_unmatched, label, sizeof(r->first_unmatched));
        r->pc.f->res->skipped++;
    }
    return rc;
}

/* The earliest and latest dates the calendar names (DTSTART, DTEND, UNTIL,
 * RDATE), as day numbers; 0 when there are none. */
static int date_span(const char *data, size_t len, int64_t *lo, int64_t *hi)
{
    int found = 0;
    for (size_t i = 0; i + 8 <= len; i++) {
        if (!isdigit((unsigned char)data[i]) || (i && isdigit((unsigned char)data[i - 1])))
            continue;
        size_t k = i;
        while (k < len && isdigit((unsigned char)data[k]))
            k++;
        if (k - i != 8 || (k < len && data[k] != 'T' && data[k] != '\r' && data[k] != '\n' &&
                           data[k] != ';' && data[k] != ','))
            continue;
        int y = (data[i] - '0') * 1000 + (data[i + 1] - '0') * 100 + (data[i + 2] - '0') * 10 +
                (data[i + 3] - '0');
        int m = (data[i + 4] - '0') * 10 + (data[i + 5] - '0');
        int d = (data[i + 6] - '0') * 10 + (data[i + 7] - '0');
        if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
            continue;
        int64_t day = waras_time__days_from_civil(y, m, d);
        if (!found || day < *lo)
            *lo = day;
        if (!found || day > *hi)
            *hi = day;
        found = 1;
    }
    return found;
}

/* The one person whose name or e-mail the calendar's X-WR-CALNAME holds
 * ("On-call shifts for Ana Putri"); none when it names nobody or several. */
static void calendar_owner(oc_run *r, const char *data, size_t len)
{
    char name[256] = "";
    const char *p = data, *end = data + len;
    while (p < end && !name[0]) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (n > 13 && strncasecmp(p, "X-WR-CALNAME", 12) == 0) {
            const char *colon = memchr(p, ':', n);
            size_t k = colon ? n - (size_t)(colon + 1 - p) : 0;
            k = k < sizeof(name) - 1 ? k : sizeof(name) - 1;
            if (colon)
                memcpy(name, colon + 1, k);
            name[k] = '\0';
            while (k && (name[k - 1] == '\r' || name[k - 1] == ' '))
                name[--k] = '\0';
        }
        p = eol ? eol + 1 : end;
    }
    int found = 0;
    for (size_t j = 0; name[0] && j < r->npeople; j++) {
        if ((r->people[j].name[0] && ci_find(name, r->people[j].name)) ||
            (r->people[j].email[0] && ci_find(name, r->people[j].email))) {
            if (!found++)
                waras_strlcpy(r->owner, r->people[j].id, sizeof(r->owner));
        }
    }
    if (found != 1)
        r->owner[0] = '\0';
}

int waras_ingest_oncall_ics(waras_ingest_result *res, waras_store *st, const char *path)
{
    ingest_file f;
    oc_run r = {0};
    waras_ics_calendar *cal = NULL;
    int rc = waras_ingest__begin(&f, st, "oncall", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_ingest__paging_init(&r.pc, &f, "oncall", "calendar", "on-call")) ||
        (rc = waras_store_people_list(&r.people, &r.npeople, st)) ||
        (rc = waras_ics_parse(&cal, f.data, f.len, path)))
        goto cleanup;
    calendar_owner(&r, f.data, f.len);
    int64_t lo = 0, hi = 0;
    if (date_span(f.data, f.len, &lo, &hi)) {
        if ((rc = waras_ics_expand(cal, waras_time__date(lo - 1), waras_time__date(hi + 366),
                                   on_occurrence, &r)))
            goto cleanup;
    }
    if (r.unmatched_n && !r.matched) {
        rc = waras_error_set(WARAS_ENOTFOUND, path, 0, "SUMMARY",
                             "no shift names a known person (first: '%s'); match people by "
                             "ATTENDEE e-mail or by name in the SUMMARY",
                             r.first_unmatched);
        goto cleanup;
    }
    waras_ingest__tally_note(&r.unmatched, "shifts naming nobody known: ", res->note,
                             sizeof(res->note));
cleanup:
    waras_ics_free(cal);
    free(r.people);
    waras_ingest__paging_free(&r.pc);
    return waras_ingest__end(&f, rc);
}
