/*
 * Calendars into the store. Each VEVENT occurrence (expanded by the ics
 * module) becomes one event per person it concerns: the calendar's owner
 * when --person is given, else every organiser and attendee whose e-mail
 * maps to a person. The person's own answer (PARTSTAT) and TRANSP decide
 * the status, so declined and free-time events stay out of worked time.
 * Floating and all-day times are placed in that person's own zone.
 */
#include <limits.h>
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

typedef struct ics_ctx {
    ingest_file *f;
    const waras_ingest_ics_opts *opts;
    waras_person owner;
    int has_owner;
    ingest_tally unmapped;
    ingest_tally skipped;
    int rc;
} ics_ctx;

static const char *strip_mailto(const char *v)
{
    if (v && strncasecmp(v, "mailto:", 7) == 0)
        return v + 7;
    return v ? v : "";
}

static const char *partstat_status(icalparameter_partstat ps)
{
    switch (ps) {
    case ICAL_PARTSTAT_ACCEPTED:
    case ICAL_PARTSTAT_COMPLETED:
    case ICAL_PARTSTAT_INPROCESS:
        return "accepted";
    case ICAL_PARTSTAT_DECLINED:
    case ICAL_PARTSTAT_DELEGATED:
        return "declined";
    case ICAL_PARTSTAT_TENTATIVE:
        return "tentative";
    default:
        return "needs-action";
    }
}

static icalparameter_partstat attendee_partstat(icalproperty *att)
{
    icalparameter *p = icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER);
    return p ? icalparameter_get_partstat(p) : ICAL_PARTSTAT_NEEDSACTION;
}

/* Whether an e-mail belongs to the person (their main address or an
 * identity of kind email or calendar). */
static int is_persons_address(waras_store *st, const waras_person *p, const char *addr)
{
    char id[WARAS_PERSON_ID_MAX];
    if (!*addr)
        return 0;
    if (waras_strcaseeq(p->email, addr))
        return 1;
    if ((waras_store_identity_find(id, sizeof(id), st, "email", addr) == 0 ||
         waras_store_identity_find(id, sizeof(id), st, "calendar", addr) == 0) &&
        strcmp(id, p->id) == 0)
        return 1;
    return 0;
}

static int find_person_by_address(waras_store *st, const char *addr, waras_person *p)
{
    char id[WARAS_PERSON_ID_MAX];
    if (!*addr)
        return WARAS_ENOTFOUND;
    if (waras_store_identity_find(id, sizeof(id), st, "email", addr) != 0 &&
        waras_store_identity_find(id, sizeof(id), st, "calendar", addr) != 0)
        return WARAS_ENOTFOUND;
    return waras_store_person_get(p, st, id);
}

/* Places an occurrence's times for one person. */
static int place(const waras_ics_occurrence *occ, const waras_person *p, waras_instant *start,
                 waras_instant *end)
{
    const waras_tz *tz;
    int rc = waras_tz_get(&tz, p->timezone);
    if (rc)
        return rc;
    if (occ->kind == WARAS_ICS_ZONED) {
        *start = occ->start;
        *end = occ->end;
        return 0;
    }
    waras_civil cs, ce;
    waras_epoch_to_civil(&cs, occ->start);
    waras_epoch_to_civil(&ce, occ->end);
    *start = waras_tz_to_utc(tz, &cs);
    *end = waras_tz_to_utc(tz, &ce);
    if (*end < *start)
        *end = *start;
    return 0;
}

static int put_for(ics_ctx *c, const waras_ics_occurrence *occ, const waras_person *p,
                   const char *status, int attendees, int external)
{
    icalcomponent *comp = occ->component;
    waras_instant start, end;
    int rc = place(occ, p, &start, &end);
    if (rc)
        return rc;
    const char *kind = c->opts->kind ? c->opts->kind : "meeting";
    icalproperty *transp = icalcomponent_get_first_property(comp, ICAL_TRANSP_PROPERTY);
    if (transp && strcmp(kind, "meeting") == 0) {
        icalproperty_transp t = icalproperty_get_transp(transp);
        if (t == ICAL_TRANSP_TRANSPARENT || t == ICAL_TRANSP_TRANSPARENTNOCONFLICT)
            status = "free";
    }
    char key[1024];
    waras_ingest__occurrence_key(key, sizeof(key), occ, INT_MAX);
    json_t *attrs = json_object();
    const char *summary = icalcomponent_get_summary(comp);
    if (summary)
        json_object_set_new(attrs, "summary", json_string(summary));
    json_object_set_new(attrs, "attendees", json_integer(attendees));
    if (external)
        json_object_set_new(attrs, "external", json_integer(external));
    icalproperty *org = icalcomponent_get_first_property(comp, ICAL_ORGANIZER_PROPERTY);
    if (org)
        json_object_set_new(attrs, "organizer",
                            json_string(strip_mailto(icalproperty_get_organizer(org))));
    char *attrs_text = json_dumps(attrs, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(attrs);
    waras_event ev = {
        .person = p->id,
        .kind = kind,
        .status = status,
        .start = start,
        .end = end,
        .all_day = occ->kind == WARAS_ICS_DATE,
        .source_kind = "ics",
        .source_key = key,
        .attrs = attrs_text,
    };
    rc = waras_ingest__put(c->f, &ev);
    free(attrs_text);
    return rc;
}

static int on_occurrence(void *ctx, const waras_ics_occurrence *occ)
{
    ics_ctx *c = ctx;
    icalcomponent *comp = occ->component;
    waras_store *st = c->f->st;
    int attendees = 0, external = 0, rc = 0;
    c->f->res->rows++;
    for (icalproperty *a = icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY); a;
         a = icalcomponent_get_next_property(comp, ICAL_ATTENDEE_PROPERTY)) {
        waras_person q;
        attendees++;
        if (find_person_by_address(st, strip_mailto(icalproperty_get_attendee(a)), &q) != 0)
            external++;
    }
    icalproperty *org = icalcomponent_get_first_property(comp, ICAL_ORGANIZER_PROPERTY);
    const char *org_addr = org ? strip_mailto(icalproperty_get_organizer(org)) : "";

    if (c->has_owner) {
        /* The owner's own answer, when the event lists them. */
        const char *status = "accepted";
        for (icalproperty *a = icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY); a;
             a = icalcomponent_get_next_property(comp, ICAL_ATTENDEE_PROPERTY)) {
            if (is_persons_address(st, &c->owner, strip_mailto(icalproperty_get_attendee(a)))) {
                status = partstat_status(attendee_partstat(a));
                break;
            }
        }
        if (is_persons_address(st, &c->owner, org_addr))
            status = "accepted";
        return put_for(c, occ, &c->owner, status, attendees, external);
    }

    int mapped = 0;
    char org_id[WARAS_PERSON_ID_MAX] = "";
    waras_person p;
    if (*org_addr) {
        if (find_person_by_address(st, org_addr, &p) == 0) {
            waras_strlcpy(org_id, p.id, sizeof(org_id));
            if ((rc = put_for(c, occ, &p, "accepted", attendees, external)))
                return rc;
            mapped++;
        } else {
            waras_ingest__tally(&c->unmapped, org_addr);
        }
    }
    /* Collect the attendees first: put_for() reads other properties, and
     * libical keeps one property iterator per component. */
    icalproperty **list = attendees ? malloc((size_t)attendees * sizeof(*list)) : NULL;
    int nlist = 0;
    if (attendees && !list)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (icalproperty *a = icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY);
         a && nlist < attendees; a = icalcomponent_get_next_property(comp, ICAL_ATTENDEE_PROPERTY))
        list[nlist++] = a;
    for (int i = 0; i < nlist; i++) {
        const char *addr = strip_mailto(icalproperty_get_attendee(list[i]));
        if (find_person_by_address(st, addr, &p) != 0) {
            waras_ingest__tally(&c->unmapped, addr);
            continue;
        }
        if (strcmp(p.id, org_id) == 0)
            continue; /* the organiser listed as attendee too */
        if ((rc = put_for(c, occ, &p, partstat_status(attendee_partstat(list[i])), attendees,
                          external))) {
            free(list);
            return rc;
        }
        mapped++;
    }
    free(list);
    if (!mapped) {
        c->f->res->skipped++;
        waras_ingest__tally(&c->skipped, occ->uid ? occ->uid : "(no UID)");
    }
    return 0;
}

static void default_window(waras_ingest_ics_opts *o)
{
    if (o->from.year && o->to.year)
        return;
    int64_t today = waras_clock_now() / 86400;
    o->from = waras_time__date(today - 731);
    o->to = waras_time__date(today + 366);
}

int waras_ingest_ics(waras_ingest_result *res, waras_store *st, const char *path,
                     const waras_ingest_ics_opts *opts_in)
{
    ingest_file f;
    waras_ics_calendar *cal = NULL;
    waras_ingest_ics_opts opts = opts_in ? *opts_in : (waras_ingest_ics_opts){0};
    ics_ctx c = {0};
    const char *source_kind = "ics";
    if (opts.kind && strcmp(opts.kind, "meeting") != 0 && strcmp(opts.kind, "leave") != 0 &&
        strcmp(opts.kind, "milestone") != 0)
        return waras_error_msg(WARAS_EINVAL, "unknown event kind '%s' (expected meeting, leave "
                                             "or milestone)", opts.kind);
    if (opts.kind && strcmp(opts.kind, "leave") == 0)
        source_kind = "ics-leave";
    else if (opts.kind && strcmp(opts.kind, "milestone") == 0)
        source_kind = "ics-milestone";
    default_window(&opts);
    int rc = 0;
    if (opts.person) {
        rc = waras_ingest__resolve_person(st, opts.person, &c.owner);
        if (rc)
            return waras_error_msg(WARAS_ENOTFOUND, "unknown person '%s' (import people.csv "
                                                    "first)", opts.person);
        c.has_owner = 1;
    }
    rc = waras_ingest__begin(&f, st, source_kind, path, res);
    if (rc || res->already)
        goto cleanup;
    c.f = &f;
    c.opts = &opts;
    waras_ics_parse_opts popts = {.strict = opts.strict};
    if ((rc = waras_ics_parse_with(&cal, f.data, f.len, path, &popts)))
        goto cleanup;
    /* The same reading as `waras ics expand`: what was skipped is said. */
    size_t nwarn, total;
    const waras_ics_warning *w = waras_ics_warnings(cal, &nwarn, &total);
    res->warnings = (long)total;
    for (size_t i = 0; i < nwarn && opts.warn; i++)
        opts.warn(opts.warn_ctx, path, w[i].line, w[i].field, w[i].message);
    if (waras_ics_skipped(cal)) {
        size_t used = strlen(res->note);
        snprintf(res->note + used, sizeof(res->note) - used,
                 "%s%zu calendar component%s skipped (unreadable)", used ? "; " : "",
                 waras_ics_skipped(cal), waras_ics_skipped(cal) == 1 ? "" : "s");
    }
    rc = waras_ics_expand(cal, opts.from, opts.to, on_occurrence, &c);
    if (rc)
        goto cleanup;
    waras_ingest__tally_note(&c.unmapped, "addresses not mapped to people: ", res->note,
                             sizeof(res->note));
    waras_ingest__tally_note(&c.skipped, "events with nobody known: ", res->note,
                             sizeof(res->note));
cleanup:
    waras_ics_free(cal);
    return waras_ingest__end(&f, rc);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int waras_ingest_leave(waras_ingest_result *res, waras_store *st, const char *path,
                       const char *person)
{
    if (ends_with(path, ".ics") || ends_with(path, ".ical") || ends_with(path, ".ifb")) {
        waras_ingest_ics_opts o = {.person = person, .kind = "leave"};
        return waras_ingest_ics(res, st, path, &o);
    }
    return waras_ingest__leave_csv(st, path, res);
}
