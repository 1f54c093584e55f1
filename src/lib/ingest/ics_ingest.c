/*
 * Calendars into the store. Each VEVENT occurrence (expanded by the ics
 * module) becomes one event per person it concerns: the calendar's owner
 * when --person is given, else every organiser and attendee whose e-mail
 * maps to a person. The person's own answer (PARTSTAT) and TRANSP decide
 * the status, so declined and free-time events stay out of worked time.
 * Floating and all-day times are placed in that person's own zone.
 * A file's events are gathered first and stored together in the order of
 * their unique key (as timesheets are), several to a statement.
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

/* The people that addresses map to, looked up once per file: a team's
 * recurring meeting names the same fifty addresses in every occurrence,
 * and each lookup is two or three queries. By lower-cased address, the
 * value is 1 + the index in people, or -1 for an address of nobody. */
typedef struct addr_cache {
    waras_strmap *map;
    waras_person *people;
    size_t n, cap;
} addr_cache;

/* An event waiting to be stored: its strings are offsets in the arena. */
typedef struct pending_event {
    waras_instant start, end;
    size_t person, key, attrs; /* attrs: offset + 1, or 0 */
    const char *kind, *status; /* literals, or the options' kind */
    int all_day;
} pending_event;

typedef struct ics_ctx {
    ingest_file *f;
    const waras_ingest_ics_opts *opts;
    waras_person owner;
    int has_owner;
    ingest_tally unmapped;
    ingest_tally skipped;
    int rc;
    addr_cache addrs;
    pending_event *ev;
    size_t nev, cap_ev;
    waras_buf arena;
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

/* find_person_by_address() through the file's cache: *out points into it
 * (valid until the next call), or is NULL when the address maps to nobody.
 * Identities compare case-insensitively (ASCII, as the store's NOCASE),
 * so the address is lower-cased for the key. */
static int cached_person(ics_ctx *c, const char *addr, const waras_person **out)
{
    char key[512];
    size_t i = 0;
    *out = NULL;
    for (; addr[i] && i + 1 < sizeof(key); i++)
        key[i] = (char)(addr[i] >= 'A' && addr[i] <= 'Z' ? addr[i] - 'A' + 'a' : addr[i]);
    key[i] = '\0';
    if (addr[i]) /* too long for the cache: ask the store */
        return WARAS_EINVAL;
    if (!c->addrs.map && waras_strmap_new(&c->addrs.map))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    long *slot = waras_strmap_slot(c->addrs.map, key);
    if (!slot)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (*slot == 0) {
        waras_person p;
        if (find_person_by_address(c->f->st, addr, &p) != 0) {
            *slot = -1;
        } else {
            if (waras_grow(&c->addrs.people, &c->addrs.cap, c->addrs.n,
                           sizeof(*c->addrs.people), 64))
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            c->addrs.people[c->addrs.n++] = p;
            *slot = (long)c->addrs.n;
        }
    }
    if (*slot > 0)
        *out = &c->addrs.people[*slot - 1];
    return 0;
}

/* The person an address maps to, into *p: 0, or WARAS_ENOTFOUND. */
static int lookup_address(ics_ctx *c, const char *addr, waras_person *p, int *err)
{
    const waras_person *q;
    int rc = cached_person(c, addr, &q);
    if (rc == WARAS_EINVAL)
        return find_person_by_address(c->f->st, addr, p);
    if (rc) {
        *err = rc;
        return rc;
    }
    if (!q)
        return WARAS_ENOTFOUND;
    *p = *q;
    return 0;
}

/* Places an occurrence's times for one person. */
static int place(const waras_ics_occurrence *occ, const waras_person *p, waras_instant *start,
                 waras_instant *end)
{
    const waras_tz *tz;
    if (occ->kind == WARAS_ICS_ZONED) {
        *start = occ->start;
        *end = occ->end;
        return 0;
    }
    int rc = waras_tz_get(&tz, p->timezone);
    if (rc)
        return rc;
    waras_civil cs, ce;
    waras_epoch_to_civil(&cs, occ->start);
    waras_epoch_to_civil(&ce, occ->end);
    *start = waras_tz_to_utc(tz, &cs);
    *end = waras_tz_to_utc(tz, &ce);
    if (*end < *start)
        *end = *start;
    return 0;
}

/* Adds a string to the arena: its offset, or (size_t)-1 out of memory. */
static size_t arena_add(waras_buf *a, const char *text)
{
    size_t at = a->len;
    if (waras_buf_add(a, text, strlen(text) + 1))
        return (size_t)-1;
    return at;
}

/* The attrs every person of an occurrence shares, once per occurrence,
 * in the arena: offset + 1 (0 never happens), or 0 out of memory. */
static size_t occurrence_attrs(ics_ctx *c, const waras_ics_occurrence *occ, int attendees,
                               int external)
{
    icalcomponent *comp = occ->component;
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
    size_t at = attrs_text ? arena_add(&c->arena, attrs_text) : (size_t)-1;
    free(attrs_text);
    return at == (size_t)-1 ? 0 : at + 1;
}

/* One occurrence for one person, kept for store_pending(); key and attrs
 * are the occurrence's, in the arena. */
static int put_for(ics_ctx *c, const waras_ics_occurrence *occ, const waras_person *p,
                   const char *status, size_t key, size_t attrs)
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
    size_t person = arena_add(&c->arena, p->id);
    if (person == (size_t)-1 || waras_grow(&c->ev, &c->cap_ev, c->nev, sizeof(*c->ev), 1024))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    c->ev[c->nev++] = (pending_event){
        .start = start,
        .end = end,
        .person = person,
        .key = key,
        .attrs = attrs,
        .kind = kind,
        .status = status,
        .all_day = occ->kind == WARAS_ICS_DATE,
    };
    return 0;
}

/* An occurrence's events are one run of pending events with the same key
 * offset; runs are sorted by key text, events in a run by person. */
typedef struct key_run {
    const char *key;
    size_t first, n;
} key_run;

static int cmp_run(const void *a, const void *b)
{
    const key_run *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k ? k : (x->first > y->first) - (x->first < y->first);
}

/* Sorts one occurrence's events by person: an insertion sort, stable,
 * and quick for the few dozen people of a meeting. */
static void sort_run(pending_event *v, size_t n, const char *arena)
{
    for (size_t i = 1; i < n; i++) {
        pending_event e = v[i];
        size_t j = i;
        while (j > 0 && strcmp(arena + v[j - 1].person, arena + e.person) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = e;
    }
}

/* An event in the person-first order: the person, the key, and the place
 * in the file. */
typedef struct person_event {
    const char *person, *key;
    size_t at;
} person_event;

static int cmp_person_event(const void *a, const void *b)
{
    const person_event *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (!c)
        c = strcmp(x->key, y->key);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Adds a pending event to the batch, and stores the batch when it is full
 * or last. */
#define STORE_BATCH 8192
static int batch_add(ics_ctx *c, waras_event *batch, size_t *nb, const pending_event *e, int last)
{
    const char *a = c->arena.ptr;
    batch[(*nb)++] = (waras_event){
        .person = a + e->person,
        .kind = e->kind,
        .status = e->status,
        .start = e->start,
        .end = e->end,
        .all_day = e->all_day,
        .source_kind = "ics",
        .source_key = a + e->key,
        .attrs = e->attrs ? a + e->attrs - 1 : NULL,
    };
    if (*nb < STORE_BATCH && !last)
        return 0;
    size_t n = *nb;
    *nb = 0;
    return waras_ingest__put_many(c->f, batch, n);
}

/* Stores the file's events in the order of their unique key, STORE_BATCH
 * to a call. On SQLite that is the source key, then the person, so that
 * SQLite appends to that index instead of seeking each from the root:
 * sorting the occurrences and then each one's few people costs far less
 * than sorting all events. On PostgreSQL, whose keys lead with the person,
 * it is the person, then the key (waras_store_events_person_first). The
 * same key and person twice keep the file's order (runs of one key by
 * their place in the file, and a stable sort in a run; the place in the
 * file last in the person-first order), so the later one wins as with one
 * call per event, and each person's events go in in the same order both
 * ways. */
static int store_person_first(ics_ctx *c, waras_event *batch)
{
    person_event *v = malloc((c->nev ? c->nev : 1) * sizeof(*v));
    size_t nb = 0;
    int rc = 0;
    if (!v)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->nev; i++)
        v[i] = (person_event){c->arena.ptr + c->ev[i].person, c->arena.ptr + c->ev[i].key, i};
    qsort(v, c->nev, sizeof(*v), cmp_person_event);
    for (size_t i = 0; i < c->nev && !rc; i++)
        rc = batch_add(c, batch, &nb, &c->ev[v[i].at], i + 1 == c->nev);
    free(v);
    return rc;
}

static int store_pending(ics_ctx *c)
{
    waras_event *batch = malloc(STORE_BATCH * sizeof(*batch));
    if (!batch)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (waras_store_events_person_first(c->f->st)) {
        int rc = store_person_first(c, batch);
        free(batch);
        return rc;
    }
    key_run *runs = malloc((c->nev ? c->nev : 1) * sizeof(*runs));
    size_t nruns = 0, nb = 0;
    int rc = 0;
    if (!runs) {
        free(batch);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    const char *a = c->arena.ptr;
    for (size_t i = 0; i < c->nev; i++) {
        if (nruns && c->ev[runs[nruns - 1].first].key == c->ev[i].key) {
            runs[nruns - 1].n++;
            continue;
        }
        runs[nruns++] = (key_run){a + c->ev[i].key, i, 1};
    }
    qsort(runs, nruns, sizeof(*runs), cmp_run);
    for (size_t r = 0; r < nruns && !rc; r++) {
        pending_event *run = c->ev + runs[r].first;
        sort_run(run, runs[r].n, a);
        for (size_t i = 0; i < runs[r].n && !rc; i++)
            rc = batch_add(c, batch, &nb, &run[i], r + 1 == nruns && i + 1 == runs[r].n);
    }
    free(runs);
    free(batch);
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
        if (lookup_address(c, strip_mailto(icalproperty_get_attendee(a)), &q, &rc) != 0)
            external++;
        if (rc)
            return rc;
    }
    icalproperty *org = icalcomponent_get_first_property(comp, ICAL_ORGANIZER_PROPERTY);
    const char *org_addr = org ? strip_mailto(icalproperty_get_organizer(org)) : "";
    char keytext[1024];
    waras_ingest__occurrence_key(keytext, sizeof(keytext), occ, INT_MAX);
    size_t key = arena_add(&c->arena, keytext);
    size_t attrs = occurrence_attrs(c, occ, attendees, external);
    if (key == (size_t)-1 || !attrs)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");

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
        return put_for(c, occ, &c->owner, status, key, attrs);
    }

    int mapped = 0;
    char org_id[WARAS_PERSON_ID_MAX] = "";
    waras_person p;
    if (*org_addr) {
        if (lookup_address(c, org_addr, &p, &rc) == 0) {
            waras_strlcpy(org_id, p.id, sizeof(org_id));
            if ((rc = put_for(c, occ, &p, "accepted", key, attrs)))
                return rc;
            mapped++;
        } else if (rc) {
            return rc;
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
    for (int i = 0; i < nlist && !rc; i++) {
        const char *addr = strip_mailto(icalproperty_get_attendee(list[i]));
        if (lookup_address(c, addr, &p, &rc) != 0) {
            if (!rc)
                waras_ingest__tally(&c->unmapped, addr);
            continue;
        }
        if (strcmp(p.id, org_id) == 0)
            continue; /* the organiser listed as attendee too */
        rc = put_for(c, occ, &p, partstat_status(attendee_partstat(list[i])), key, attrs);
        mapped += !rc;
    }
    free(list);
    if (rc)
        return rc;
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
    waras_buf_init(&c.arena, 0);
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
    if (rc || (rc = store_pending(&c)))
        goto cleanup;
    waras_ingest__tally_note(&c.unmapped, "addresses not mapped to people: ", res->note,
                             sizeof(res->note));
    waras_ingest__tally_note(&c.skipped, "events with nobody known: ", res->note,
                             sizeof(res->note));
cleanup:
    waras_ics_free(cal);
    waras_strmap_free(c.addrs.map);
    free(c.addrs.people);
    free(c.ev);
    waras_buf_free(&c.arena);
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
