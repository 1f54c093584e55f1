/*
 * PagerDuty exports into the store: the incidents CSV of the advanced
 * report, and JSON saved from the REST API (incidents, log entries, a
 * schedule's rendered entries). The form is told from the content.
 *
 * Keys (source kind "pagerduty", unique per person) are chosen so that
 * overlapping exports of the same incidents land on the same rows:
 *   page:INC        a person's first page for incident INC: the earliest
 *                   notification when log entries are known, else the
 *                   incident's creation (incident-level fallback, "push")
 *   page:INC:LOG    each later notification, by log entry id
 *   incident:INC    the person's response (ack or first page -> resolution)
 *   shift:SCHED:T   an on-call shift starting at T (UTC seconds)
 * Notification data always wins: a fallback never replaces a notification,
 * and an incident with notification data gets no fallback pages.
 * This file also holds the helpers the other paging adapters share.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/paging_internal.h"
#include "util/util.h"
#include "waras/error.h"

/* ---------------------------------------------------------------- map */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t map_find(const pg_map *m, const char *key)
{
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void **waras_ingest__pg_map_get(const pg_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = map_find(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static int map_grow(pg_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    pg_map n = {0};
    int rc = 0;
    if (cap > PG_MAP_MAX * 2) {
        rc =
            waras_error_msg(WARAS_ELIMIT, "more than %zu distinct records in one file", PG_MAP_MAX);
        goto cleanup;
    }
    n = (pg_map){calloc(cap, sizeof(char *)), calloc(cap, sizeof(void *)), m->n, cap};
    if (!n.keys || !n.vals) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = map_find(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    n = (pg_map){0};
cleanup:
    free(n.keys);
    free(n.vals);
    return rc;
}

int waras_ingest__pg_map_put(pg_map *m, const char *key, void ***slot)
{
    int rc = 0;
    if ((m->n + 1) * 2 > m->cap && (rc = map_grow(m)))
        goto cleanup;
    size_t i = map_find(m, key);
    if (!m->keys[i]) {
        if (!(m->keys[i] = waras_strdup(key))) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        m->vals[i] = NULL;
        m->n++;
    }
    *slot = &m->vals[i];
cleanup:
    return rc;
}

void waras_ingest__pg_map_free(pg_map *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] && free_val)
            free_val(m->vals[i]);
        free(m->keys[i]);
    }
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------ shared helpers */

static void stored_free(void *p)
{
    pg_stored *s = p;
    if (!s)
        return;
    free(s->kind);
    free(s->attrs);
    free(s);
}

static int index_key(char *buf, size_t size, const char *person, const char *key)
{
    int n = snprintf(buf, size, "%s\x1f%s", person, key);
    if (n < 0 || (size_t)n >= size)
        return waras_error_msg(WARAS_ELIMIT, "event key too long: '%.80s'", key);
    return 0;
}

static int stored_set(paging_ctx *c, const char *person, const char *key, const char *kind,
                      waras_instant start, waras_instant end, const char *attrs)
{
    char k[1200];
    void **slot;
    int rc;
    if ((rc = index_key(k, sizeof(k), person, key)) ||
        (rc = waras_ingest__pg_map_put(&c->events, k, &slot)))
        goto cleanup;
    pg_stored *s = *slot;
    if (!s && !(s = *slot = calloc(1, sizeof(*s)))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    free(s->kind);
    free(s->attrs);
    s->kind = waras_strdup(kind);
    s->attrs = attrs ? waras_strdup(attrs) : NULL;
    s->start = start;
    s->end = end;
    if (!s->kind || (attrs && !s->attrs))
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
cleanup:
    return rc;
}

typedef struct load_ctx {
    paging_ctx *c;
    int rc;
} load_ctx;

static int load_event(void *ctx, const waras_event *ev)
{
    load_ctx *l = ctx;
    if (strcmp(ev->kind, "page") != 0 && strcmp(ev->kind, "incident") != 0 &&
        strcmp(ev->kind, "shift") != 0)
        return 0;
    return stored_set(l->c, ev->person, ev->source_key, ev->kind, ev->start, ev->end, ev->attrs);
}

int waras_ingest__paging_init(paging_ctx *c, ingest_file *f, const char *source_kind,
                              const char *id_kind, const char *tool)
{
    memset(c, 0, sizeof(*c));
    c->f = f;
    c->source_kind = source_kind;
    c->id_kind = id_kind;
    c->tool = tool;
    load_ctx l = {c, 0};
    /* Only this tool's events, through the source index: the whole
     * store's events were once read here, 95 % of a large export's
     * ingest. */
    return waras_store_source_events_each(f->st, source_kind, load_event, &l);
}

void waras_ingest__paging_free(paging_ctx *c)
{
    waras_ingest__pg_map_free(&c->people, free);
    waras_ingest__pg_map_free(&c->events, stored_free);
}

const pg_stored *waras_ingest__paging_stored(const paging_ctx *c, const char *person,
                                             const char *key)
{
    char k[1200];
    if (index_key(k, sizeof(k), person, key))
        return NULL;
    void **v = waras_ingest__pg_map_get(&c->events, k);
    return v ? *v : NULL;
}

int waras_ingest__paging_put(paging_ctx *c, const char *person, const char *kind,
                             waras_instant start, waras_instant end, const char *key,
                             const char *attrs)
{
    const pg_stored *s = waras_ingest__paging_stored(c, person, key);
    int same = s && strcmp(s->kind, kind) == 0 && s->start == start && s->end == end &&
               ((!s->attrs && !attrs) || (s->attrs && attrs && strcmp(s->attrs, attrs) == 0));
    waras_event ev = {
        .person = person,
        .kind = kind,
        .start = start,
        .end = end,
        .source_kind = c->source_kind,
        .source_key = key,
        .attrs = attrs,
    };
    /* Always written, so that the row moves to this file: a later version
     * of the file that last named it then supersedes it correctly. */
    long added = c->f->res->added;
    int rc = waras_ingest__put(c->f, &ev);
    if (rc == 0 && same && c->f->res->added > added) {
        c->f->res->added--; /* only the owning file changed: nothing new */
        c->f->res->unchanged++;
    }
    if (rc == 0 && !same)
        rc = stored_set(c, person, key, kind, start, end, attrs);
    return rc;
}

static int find_identity(waras_store *st, const char *kind, const char *value,
                         char person[WARAS_PERSON_ID_MAX])
{
    return waras_store_identity_find(person, WARAS_PERSON_ID_MAX, st, kind, value);
}

/* Counts a reference to a user nobody maps to, under one readable label
 * per user: "Name <email> (id)", whatever is known. */
static void count_unmapped(paging_ctx *c, const char *id, const char *email, const char *name,
                           long line)
{
    char shown[200];
    const char *primary = *name ? name : (*email ? email : id);
    size_t n = (size_t)snprintf(shown, sizeof(shown), "%s", primary);
    if (*email && strcmp(email, primary) != 0 && n < sizeof(shown))
        n += (size_t)snprintf(shown + n, sizeof(shown) - n, " <%s>", email);
    if (*id && strcmp(id, primary) != 0 && strcmp(id, email) != 0 && n < sizeof(shown))
        snprintf(shown + n, sizeof(shown) - n, " (%s)", id);
    waras_ingest__tally(&c->unmapped, shown);
    if (!c->unmapped_refs++) {
        waras_strlcpy(c->first_unmapped, shown, sizeof(c->first_unmapped));
        c->first_unmapped_line = line;
    }
    c->f->res->skipped++;
}

int waras_ingest__paging_who(paging_ctx *c, const char *id, const char *email, const char *name,
                             long line, char person[WARAS_PERSON_ID_MAX])
{
    char label[1024];
    void **slot;
    int rc = WARAS_ENOTFOUND;
    id = id ? id : "";
    email = email ? email : "";
    name = name ? name : "";
    if (!*id && !*email && !*name)
        goto cleanup;
    snprintf(label, sizeof(label), "%s\x1f%s\x1f%s", id, email, name);
    if ((rc = waras_ingest__pg_map_put(&c->people, label, &slot)))
        goto cleanup;
    if (!*slot) {
        char found[WARAS_PERSON_ID_MAX] = "";
        waras_store *st = c->f->st;
        /* The outside id first (exact), then the e-mail, then the name. */
        int hit = (*id && c->id_kind && find_identity(st, c->id_kind, id, found) == 0) ||
                  (*email && (find_identity(st, "email", email, found) == 0 ||
                              (c->id_kind && find_identity(st, c->id_kind, email, found) == 0))) ||
                  (*name && find_identity(st, "name", name, found) == 0);
        if (!hit)
            found[0] = '\0';
        if (!(*slot = waras_strdup(found))) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    const char *pid = *slot;
    if (*pid) {
        c->mapped_refs++;
        waras_strlcpy(person, pid, WARAS_PERSON_ID_MAX);
    } else {
        count_unmapped(c, id, email, name, line);
        rc = WARAS_ENOTFOUND;
    }
cleanup:
    return rc;
}

int waras_ingest__paging_finish(paging_ctx *c)
{
    char prefix[96];
    int rc = 0;
    if (c->unmapped_refs && !c->mapped_refs)
        rc = waras_error_set(WARAS_ENOTFOUND, c->f->path, c->first_unmapped_line, "user",
                             "none of the %s users in this file maps to a person (first: "
                             "'%s'); add '%s:ID' identities or matching e-mails or names to "
                             "people.csv",
                             c->tool, c->first_unmapped, c->id_kind ? c->id_kind : "email");
    snprintf(prefix, sizeof(prefix), "%s users not mapped to people: ", c->tool);
    if (!rc)
        waras_ingest__tally_note(&c->unmapped, prefix, c->f->res->note, sizeof(c->f->res->note));
    return rc;
}

int waras_ingest__paging_time(const char *s, waras_instant *out)
{
    char buf[64];
    size_t n = strlen(s);
    int has = 0;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    while (n && isspace((unsigned char)*s))
        s++, n--;
    if (n >= sizeof(buf) || n < 16)
        return WARAS_EINVAL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n > 4 && strcmp(buf + n - 3, "UTC") == 0) {
        n -= 3;
        while (n > 16 && buf[n - 1] == ' ')
            n--;
        buf[n++] = 'Z';
        buf[n] = '\0';
    } else {
        /* "2026-11-17 02:14:05 +0700": drop the space before the offset. */
        char *sp = strrchr(buf, ' ');
        if (sp && sp > buf + 10 && (sp[1] == '+' || sp[1] == '-'))
            memmove(sp, sp + 1, strlen(sp));
    }
    if (waras_datetime_parse(out, &has, buf) || !has)
        return WARAS_EINVAL;
    if (!waras_time__instant_in_range(*out))
        return WARAS_ELIMIT;
    return 0;
}

const char *waras_ingest__paging_time_why(waras_instant *out, char *buf, size_t size,
                                          const char *s, const char *not_a_time)
{
    int rc = waras_ingest__paging_time(s, out);
    if (rc == WARAS_ELIMIT) {
        snprintf(buf, size, "'%.64s' is " WARAS_TIME__OUT_OF_RANGE, s);
        return buf;
    }
    return rc ? not_a_time : NULL;
}

/* ------------------------------------------------------------ records */

/* A growable array with a cap: hostile input cannot eat the machine. The
 * first allocation holds `first` elements: 16 for a file's records, 1 for
 * the people of one incident (most have one or two; at 16, a year's
 * incidents of 10,000 people took 600 MiB). */
#define PD_MAX_RECORDS ((size_t)1 << 22)

static int grow(void **ptr, size_t *cap, size_t need, size_t elem, size_t first)
{
    int rc = 0;
    size_t ncap = *cap ? *cap * 2 : first;
    void *p;
    if (need <= *cap)
        goto cleanup;
    if (need > PD_MAX_RECORDS) {
        rc = waras_error_msg(WARAS_ELIMIT, "more than %zu records in one file", PD_MAX_RECORDS);
        goto cleanup;
    }
    while (ncap < need)
        ncap *= 2;
    if (!(p = realloc(*ptr, ncap * elem))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    *ptr = p;
    *cap = ncap;
cleanup:
    return rc;
}

typedef struct pd_note { /* one notification to a person */
    char person[WARAS_PERSON_ID_MAX], incident[64], log_id[64];
    char channel[8];
    waras_instant at;
} pd_note;

typedef struct pd_who {
    char person[WARAS_PERSON_ID_MAX];
    waras_instant at; /* acknowledgement time; 0 with has_at = 0 when unknown */
    int has_at;
} pd_who;

typedef struct pd_incident {
    char id[64];
    long number;
    char urgency[16];
    char service[128];
    waras_instant created, resolved;
    int has_created, has_resolved;
    char resolver[WARAS_PERSON_ID_MAX];
    pd_who *acks;
    size_t nacks, acks_cap;
    pd_who *assigned;
    size_t nassigned, assigned_cap;
} pd_incident;

typedef struct pd_run {
    paging_ctx pc;
    const char *path;
    pd_note *notes;
    size_t nnotes, notes_cap;
    pd_incident *incs;
    size_t nincs, incs_cap;
    pg_map inc_index; /* incident id -> index + 1 */
    ingest_tally ignored;
    long line; /* CSV line of the current record, else 0 */
} pd_run;

static int incident_get(pd_run *r, const char *id, pd_incident **out)
{
    void **slot;
    int rc;
    if (strlen(id) >= sizeof(r->incs[0].id)) {
        rc = waras_error_set(WARAS_EPARSE, r->path, r->line, "id",
                             "incident id '%.80s' is too long", id);
        goto cleanup;
    }
    if ((rc = waras_ingest__pg_map_put(&r->inc_index, id, &slot)))
        goto cleanup;
    if (!*slot) {
        if ((rc = grow((void **)&r->incs, &r->incs_cap, r->nincs + 1, sizeof(*r->incs), 16)))
            goto cleanup;
        pd_incident *in = &r->incs[r->nincs++];
        memset(in, 0, sizeof(*in));
        waras_strlcpy(in->id, id, sizeof(in->id));
        *slot = (void *)(uintptr_t)r->nincs;
    }
    *out = &r->incs[(uintptr_t)*slot - 1];
cleanup:
    return rc;
}

/* Adds a person to a list once; an earlier known time is kept. */
static int who_add(pd_who **v, size_t *n, size_t *cap, const char *person, int has_at,
                   waras_instant at)
{
    int rc = 0;
    pd_who *w = NULL;
    for (size_t i = 0; i < *n && !w; i++)
        if (strcmp((*v)[i].person, person) == 0)
            w = &(*v)[i];
    if (!w) {
        if ((rc = grow((void **)v, cap, *n + 1, sizeof(**v), 1)))
            goto cleanup;
        w = &(*v)[(*n)++];
        waras_strlcpy(w->person, person, sizeof(w->person));
        w->has_at = 0;
    }
    if (has_at && (!w->has_at || at < w->at)) {
        w->at = at;
        w->has_at = 1;
    }
cleanup:
    return rc;
}

static void incident_free_lists(pd_run *r)
{
    for (size_t i = 0; i < r->nincs; i++) {
        free(r->incs[i].acks);
        free(r->incs[i].assigned);
    }
}

static const char *channel_name(const char *type)
{
    if (!type)
        return NULL;
    if (strcmp(type, "push_notification") == 0 || strcmp(type, "push") == 0)
        return "push";
    if (strcmp(type, "sms") == 0)
        return "sms";
    if (strcmp(type, "phone") == 0)
        return "phone";
    if (strcmp(type, "email") == 0)
        return "email";
    return NULL;
}

/* ------------------------------------------------------------- output */

static int cmp_note(const void *a, const void *b)
{
    const pd_note *x = a, *y = b;
    int c = strcmp(x->incident, y->incident);
    if (!c)
        c = strcmp(x->person, y->person);
    if (!c)
        c = (x->at > y->at) - (x->at < y->at);
    if (!c)
        c = strcmp(x->log_id, y->log_id);
    return c;
}

static int note_attrs(char **out, const char *channel, const char *incident, const char *log_id)
{
    json_t *o = json_object();
    int rc = 0;
    if (!o || json_object_set_new(o, "channel", json_string(channel)) ||
        json_object_set_new(o, "incident", json_string(incident)) ||
        (log_id && json_object_set_new(o, "log_entry", json_string(log_id))) ||
        !(*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
    json_decref(o);
    return rc;
}

static int put_page(pd_run *r, const char *person, const char *incident, const char *log_id,
                    const char *channel, waras_instant at, int first)
{
    char key[256], *attrs = NULL;
    int rc = note_attrs(&attrs, channel, incident, log_id);
    if (rc)
        return rc;
    if (first)
        snprintf(key, sizeof(key), "page:%s", incident);
    else
        snprintf(key, sizeof(key), "page:%s:%s", incident, log_id);
    rc = waras_ingest__paging_put(&r->pc, person, "page", at, at, key, attrs);
    free(attrs);
    return rc;
}

/* A stored page:INC row that came from a notification: its log entry id
 * and channel. 0 when it is a fallback or absent. */
static int stored_notification(const pg_stored *s, char log_id[64], char channel[8])
{
    int ok = 0;
    if (!s || !s->attrs || strcmp(s->kind, "page") != 0)
        return 0;
    json_t *o = json_loads(s->attrs, 0, NULL);
    const char *l = json_string_value(json_object_get(o, "log_entry"));
    const char *ch = json_string_value(json_object_get(o, "channel"));
    if (l && ch) {
        waras_strlcpy(log_id, l, 64);
        waras_strlcpy(channel, ch, 8);
        ok = 1;
    }
    json_decref(o);
    return ok;
}

/* Writes the pages of one (incident, person) group of notifications,
 * merged with the notification the store already holds as that person's
 * first page: the earliest becomes page:INC, the others page:INC:LOG. */
static int write_group(pd_run *r, pd_note *g, size_t n)
{
    char log_id[64], channel[8];
    char key[256];
    int rc = 0;
    snprintf(key, sizeof(key), "page:%s", g[0].incident);
    const pg_stored *s = waras_ingest__paging_stored(&r->pc, g[0].person, key);
    int have_old = stored_notification(s, log_id, channel);
    waras_instant old_at = have_old ? s->start : 0;
    for (size_t i = 0; have_old && i < n; i++)
        if (strcmp(g[i].log_id, log_id) == 0)
            have_old = 0; /* this file has it too */
    int old_first =
        have_old && (old_at < g[0].at || (old_at == g[0].at && strcmp(log_id, g[0].log_id) < 0));
    if (have_old && !old_first)
        rc = put_page(r, g[0].person, g[0].incident, log_id, channel, old_at, 0);
    for (size_t i = 0; i < n && !rc; i++) {
        if (i && strcmp(g[i].log_id, g[i - 1].log_id) == 0)
            continue; /* the same entry twice in one file */
        rc = put_page(r, g[i].person, g[i].incident, g[i].log_id, g[i].channel, g[i].at,
                      i == 0 && !old_first);
    }
    return rc;
}

static int incident_attrs(pd_run *r, const pd_incident *in, const char *person, char **out)
{
    char key[256];
    snprintf(key, sizeof(key), "incident:%s", in->id);
    const pg_stored *s = waras_ingest__paging_stored(&r->pc, person, key);
    /* Start from what is stored, so that a sparser export of the same
     * incident (log entries know no urgency) keeps what a richer one said. */
    json_t *o = s && s->attrs ? json_loads(s->attrs, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    int bad = !o || json_object_set_new(o, "id", json_string(in->id));
    if (!bad && in->number > 0)
        bad = json_object_set_new(o, "number", json_integer(in->number));
    if (!bad && in->urgency[0])
        bad = json_object_set_new(o, "urgency", json_string(in->urgency));
    if (!bad && in->service[0])
        bad = json_object_set_new(o, "service", json_string(in->service));
    if (!bad)
        bad = json_object_set_new(o, "resolved", json_boolean(in->has_resolved));
    if (!bad)
        bad = !(*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII));
    json_decref(o);
    return bad ? waras_error_msg(WARAS_ENOMEM, "out of memory") : 0;
}

static int first_page_at(pd_run *r, const char *incident, const char *person, waras_instant *at)
{
    char key[256];
    snprintf(key, sizeof(key), "page:%s", incident);
    const pg_stored *s = waras_ingest__paging_stored(&r->pc, person, key);
    if (s && strcmp(s->kind, "page") == 0) {
        *at = s->start;
        return 1;
    }
    return 0;
}

static int put_response(pd_run *r, const pd_incident *in, const char *person, int has_ack,
                        waras_instant ack)
{
    waras_instant start = ack, end;
    char key[256], *attrs = NULL;
    int rc = 0;
    if (!has_ack && !first_page_at(r, in->id, person, &start)) {
        if (!in->has_created) {
            r->pc.f->res->skipped++; /* nothing says when this response began */
            waras_ingest__tally(&r->ignored, "responses with no known start");
            goto cleanup;
        }
        start = in->created;
    }
    end = in->has_resolved && in->resolved > start ? in->resolved : start;
    if ((rc = incident_attrs(r, in, person, &attrs)))
        goto cleanup;
    snprintf(key, sizeof(key), "incident:%s", in->id);
    rc = waras_ingest__paging_put(&r->pc, person, "incident", start, end, key, attrs);
cleanup:
    free(attrs);
    return rc;
}

/* Whether the store or this file has notifications for an incident. */
static int incident_notified(pd_run *r, const pd_incident *in, const pg_map *notified)
{
    return waras_ingest__pg_map_get(notified, in->id) != NULL;
}

static int collect_notified(pd_run *r, pg_map *notified)
{
    void **slot;
    int rc = 0;
    for (size_t i = 0; i < r->nnotes && !rc; i++)
        rc = waras_ingest__pg_map_put(notified, r->notes[i].incident, &slot);
    for (size_t i = 0; i < r->pc.events.cap && !rc; i++) {
        pg_stored *s = r->pc.events.vals[i];
        if (!r->pc.events.keys[i] || !s || strcmp(s->kind, "page") != 0 || !s->attrs ||
            !strstr(s->attrs, "\"log_entry\""))
            continue;
        json_t *o = json_loads(s->attrs, 0, NULL);
        const char *inc = json_string_value(json_object_get(o, "incident"));
        if (inc)
            rc = waras_ingest__pg_map_put(notified, inc, &slot);
        json_decref(o);
    }
    return rc;
}

static int write_all(pd_run *r)
{
    pg_map notified = {0};
    int rc = 0;
    if (r->nnotes)
        qsort(r->notes, r->nnotes, sizeof(*r->notes), cmp_note);
    for (size_t i = 0, j; i < r->nnotes && !rc; i = j) {
        for (j = i + 1; j < r->nnotes && strcmp(r->notes[j].incident, r->notes[i].incident) == 0 &&
                        strcmp(r->notes[j].person, r->notes[i].person) == 0;
             j++)
            ;
        rc = write_group(r, &r->notes[i], j - i);
    }
    if (!rc)
        rc = collect_notified(r, &notified);
    for (size_t i = 0; i < r->nincs && !rc; i++) {
        pd_incident *in = &r->incs[i];
        /* Incident-level fallback: one push page per assigned person (or
         * acknowledger) at creation, only when no notification is known. */
        if (in->has_created && !incident_notified(r, in, &notified)) {
            pd_who *lists[2] = {in->assigned, in->acks};
            size_t counts[2] = {in->nassigned, in->nacks};
            if (!in->nassigned && !in->nacks && in->resolver[0])
                rc = put_page(r, in->resolver, in->id, NULL, "push", in->created, 1);
            for (int l = 0; l < 2 && !rc; l++) {
                for (size_t k = 0; k < counts[l] && !rc; k++) {
                    int dup = 0;
                    for (size_t m = 0; l == 1 && m < in->nassigned; m++)
                        dup |= strcmp(in->assigned[m].person, lists[l][k].person) == 0;
                    if (!dup)
                        rc = put_page(r, lists[l][k].person, in->id, NULL, "push", in->created, 1);
                }
            }
        }
        for (size_t k = 0; k < in->nacks && !rc; k++)
            rc = put_response(r, in, in->acks[k].person, in->acks[k].has_at, in->acks[k].at);
        if (!rc && in->resolver[0]) {
            int acked = 0;
            for (size_t k = 0; k < in->nacks; k++)
                acked |= strcmp(in->acks[k].person, in->resolver) == 0;
            if (!acked)
                rc = put_response(r, in, in->resolver, 0, 0);
        }
    }
    waras_ingest__pg_map_free(&notified, NULL);
    return rc;
}

/* ---------------------------------------------------------------- CSV */

/* Splits a cell of several users. The report's documentation does not say
 * how they are joined, so commas, semicolons, bars and line breaks all
 * separate. Returns -1 when there are more than max. */
static int split_users(const char *cell, char out[][128], int max)
{
    int n = 0, all = 0;
    const char *seps = strpbrk(cell, ";|\n") ? ";|\n" : ",";
    const char *p = cell;
    while (*p) {
        size_t len = strcspn(p, seps);
        const char *s = p, *e = p + len;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (e > s && n < max) {
            size_t k = (size_t)(e - s) < 127 ? (size_t)(e - s) : 127;
            memcpy(out[n], s, k);
            out[n][k] = '\0';
            n++;
        }
        all += e > s;
        p += len;
        if (*p)
            p++;
    }
    return all > max ? -1 : n;
}

#define CELL_USERS 32

/* Maps the users of an id cell and a name cell (paired when their counts
 * agree) and adds them to a list. */
static int csv_users(pd_run *r, const char *ids, const char *names, pd_who **v, size_t *n,
                     size_t *cap, int has_at, waras_instant at)
{
    char idv[CELL_USERS][128], namev[CELL_USERS][128];
    int ni = split_users(ids, idv, CELL_USERS), nn = split_users(names, namev, CELL_USERS);
    if (ni < 0 || nn < 0)
        return waras_error_set(WARAS_EPARSE, r->path, r->line, NULL,
                               "more than %d users in one cell", CELL_USERS);
    int count = ni ? ni : nn, rc = 0;
    for (int i = 0; i < count && !rc; i++) {
        char person[WARAS_PERSON_ID_MAX];
        const char *id = ni ? idv[i] : "";
        const char *name = !ni || nn == ni ? namev[i] : "";
        const char *email = strchr(name, '@') ? name : "";
        rc = waras_ingest__paging_who(&r->pc, id, email, *email ? "" : name, r->line, person);
        if (rc == WARAS_ENOTFOUND) {
            rc = 0;
            continue;
        }
        if (!rc)
            rc = who_add(v, n, cap, person, has_at, at);
    }
    return rc;
}

/* A number of seconds after created (col: seconds_to_first_ack or
 * seconds_to_resolve) as the instant *at; empty is none (*has 0). The
 * instant must stay within the years every time is bounded to. */
static int csv_after(pd_run *r, const char *v, const char *col, waras_instant created, int *has,
                     waras_instant *at)
{
    double s;
    *has = 0;
    if (!*v)
        return 0;
    if (waras_parse_double(v, &s) || s < 0 || s > 1e9)
        return waras_error_set(WARAS_EPARSE, r->path, r->line, col,
                               "'%s' is not a number of seconds", v);
    *at = created + (waras_instant)(s + 0.5);
    if (!waras_time__instant_in_range(*at))
        return waras_error_set(WARAS_EPARSE, r->path, r->line, col,
                               "'%s' seconds after created_on is " WARAS_TIME__OUT_OF_RANGE, v);
    *has = 1;
    return 0;
}

static int ingest_csv(pd_run *r, const char *data, size_t len)
{
    static const char *const required[] = {"id", "created_on", NULL};
    waras_csv *csv = NULL;
    int rc;
    if ((rc = waras_csv_open(&csv, data, len, r->path)) ||
        (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_id = waras_csv_column(csv, "id"), c_num = waras_csv_column(csv, "incident_number"),
        c_created = waras_csv_column(csv, "created_on"),
        c_ack_s = waras_csv_column(csv, "seconds_to_first_ack"),
        c_res_s = waras_csv_column(csv, "seconds_to_resolve"),
        c_ack_ids = waras_csv_column(csv, "acknowledged_by_user_ids"),
        c_ack_names = waras_csv_column(csv, "acknowledged_by_user_names"),
        c_as_ids = waras_csv_column(csv, "assigned_to_user_ids"),
        c_as_names = waras_csv_column(csv, "assigned_to_user_names"),
        c_res_id = waras_csv_column(csv, "resolved_by_user_id"),
        c_res_name = waras_csv_column(csv, "resolved_by_user_name"),
        c_urg = waras_csv_column(csv, "urgency"), c_res_on = waras_csv_column(csv, "resolved_on"),
        c_svc = waras_csv_column(csv, "service_name");
    if (c_as_ids < 0 && c_as_names < 0) {
        rc = waras_error_set(WARAS_EPARSE, r->path, 1, "assigned_to_user_ids",
                             "missing column 'assigned_to_user_ids' (this does not look like "
                             "PagerDuty's incidents CSV)");
        goto cleanup;
    }
#define F(col) ((col) >= 0 ? waras_csv_field(csv, (col)) : "")
    while ((rc = waras_csv_next(csv)) == 1) {
        pd_incident *in;
        r->line = waras_csv_line(csv);
        r->pc.f->res->rows++;
        const char *id = F(c_id);
        if (!*id) {
            rc = waras_error_set(WARAS_EPARSE, r->path, r->line, "id", "empty incident id");
            goto cleanup;
        }
        if ((rc = incident_get(r, id, &in)))
            goto cleanup;
        const char *created = F(c_created);
        if ((rc = waras_ingest__paging_time(created, &in->created))) {
            rc = waras_error_set(WARAS_EPARSE, r->path, r->line, "created_on",
                                 "'%s' is %s", created,
                                 rc == WARAS_ELIMIT ? WARAS_TIME__OUT_OF_RANGE
                                                    : "not a time with a UTC offset "
                                                      "(YYYY-MM-DDTHH:MM:SS+HH:MM)");
            goto cleanup;
        }
        in->has_created = 1;
        long num = 0;
        if (*F(c_num) && (waras_parse_long(F(c_num), &num) || num < 0)) {
            rc = waras_error_set(WARAS_EPARSE, r->path, r->line, "incident_number",
                                 "'%s' is not a number", F(c_num));
            goto cleanup;
        }
        in->number = num;
        waras_strlcpy(in->urgency, F(c_urg), sizeof(in->urgency));
        waras_strlcpy(in->service, F(c_svc), sizeof(in->service));
        waras_instant ack_at = 0, res_at = 0;
        int has_ack, has_res;
        if ((rc = csv_after(r, F(c_ack_s), "seconds_to_first_ack", in->created, &has_ack,
                            &ack_at)) ||
            (rc = csv_after(r, F(c_res_s), "seconds_to_resolve", in->created, &has_res, &res_at)))
            goto cleanup;
        const char *res_on = F(c_res_on);
        if (*res_on) {
            if ((rc = waras_ingest__paging_time(res_on, &in->resolved))) {
                rc = waras_error_set(WARAS_EPARSE, r->path, r->line, "resolved_on", "'%s' is %s",
                                     res_on,
                                     rc == WARAS_ELIMIT ? WARAS_TIME__OUT_OF_RANGE
                                                        : "not a time with a UTC offset");
                goto cleanup;
            }
            in->has_resolved = 1;
        } else if (has_res) {
            in->resolved = res_at;
            in->has_resolved = 1;
        }
        if ((rc = csv_users(r, F(c_as_ids), F(c_as_names), &in->assigned, &in->nassigned,
                            &in->assigned_cap, 0, 0)) ||
            (rc = csv_users(r, F(c_ack_ids), F(c_ack_names), &in->acks, &in->nacks, &in->acks_cap,
                            has_ack, ack_at)))
            goto cleanup;
        if (*F(c_res_id) || *F(c_res_name)) {
            pd_who *w = NULL;
            size_t n = 0, cap = 0;
            rc = csv_users(r, F(c_res_id), F(c_res_name), &w, &n, &cap, 0, 0);
            if (!rc && n)
                waras_strlcpy(in->resolver, w[0].person, sizeof(in->resolver));
            free(w);
            if (rc)
                goto cleanup;
        }
    }
#undef F
    if (rc > 0)
        rc = 0;
    r->line = 0;
cleanup:
    waras_csv_free(csv);
    return rc;
}

/* --------------------------------------------------------------- JSON */

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int json_field_error(pd_run *r, const char *where, size_t i, const char *field,
                            const char *what)
{
    char f[64];
    snprintf(f, sizeof(f), "%s[%zu].%s", where, i, field);
    return waras_error_set(WARAS_EPARSE, r->path, 0, f, "%s", what);
}

/* A user reference: {"id","summary"} or a full user {"id","name","email"}. */
static int json_user(pd_run *r, json_t *u, char person[WARAS_PERSON_ID_MAX])
{
    if (!json_is_object(u))
        return WARAS_ENOTFOUND;
    const char *type = jstr(u, "type");
    if (*type && strncmp(type, "user", 4) != 0)
        return WARAS_ENOTFOUND; /* a service or integration acted, not a person */
    const char *name = jstr(u, "name");
    return waras_ingest__paging_who(&r->pc, jstr(u, "id"), jstr(u, "email"),
                                    *name ? name : jstr(u, "summary"), 0, person);
}

static int json_time(pd_run *r, json_t *o, const char *key, const char *where, size_t i,
                     waras_instant *out, int *has)
{
    json_t *v = json_object_get(o, key);
    *has = 0;
    if (!v || json_is_null(v))
        return 0;
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    char what[160], bad[160];
    snprintf(bad, sizeof(bad), "not a time with a UTC offset: '%.64s' "
             "(YYYY-MM-DDTHH:MM:SS+HH:MM or Z)", s);
    const char *why = waras_ingest__paging_time_why(out, what, sizeof(what), s, bad);
    if (why)
        return json_field_error(r, where, i, key, why);
    *has = 1;
    return 0;
}

/* The resolution of a resolved incident: resolved_at, else the last
 * status change, and who made it when that was a user. */
static int json_resolution(pd_run *r, json_t *o, size_t i, pd_incident *in)
{
    waras_instant t;
    int has, rc = json_time(r, o, "resolved_at", "incidents", i, &t, &has);
    char person[WARAS_PERSON_ID_MAX];
    if (!rc && !has)
        rc = json_time(r, o, "last_status_change_at", "incidents", i, &t, &has);
    if (rc)
        goto cleanup;
    if (has) {
        in->resolved = t;
        in->has_resolved = 1;
    }
    rc = json_user(r, json_object_get(o, "last_status_change_by"), person);
    if (rc == 0)
        waras_strlcpy(in->resolver, person, sizeof(in->resolver));
    else if (rc == WARAS_ENOTFOUND)
        rc = 0;
cleanup:
    return rc;
}

/* Number, urgency and service, from an incident or from the incident a log
 * entry embeds (include[]=incidents). */
static void incident_fields(pd_incident *in, json_t *o)
{
    json_t *num = json_object_get(o, "incident_number");
    if (json_is_integer(num) && json_integer_value(num) > 0)
        in->number = (long)json_integer_value(num);
    if (*jstr(o, "urgency"))
        waras_strlcpy(in->urgency, jstr(o, "urgency"), sizeof(in->urgency));
    json_t *svc = json_object_get(o, "service");
    const char *sname = *jstr(svc, "name") ? jstr(svc, "name") : jstr(svc, "summary");
    if (*sname)
        waras_strlcpy(in->service, sname, sizeof(in->service));
}

static int json_incident(pd_run *r, json_t *o, size_t i)
{
    pd_incident *in;
    int rc = 0, has;
    waras_instant t;
    size_t k;
    json_t *a;
    const char *id = jstr(o, "id");
    if (!json_is_object(o) || !*id) {
        rc = json_field_error(r, "incidents", i, "id",
                              json_is_object(o) ? "missing incident id"
                                                : "an incident must be an object");
        goto cleanup;
    }
    r->pc.f->res->rows++;
    if ((rc = incident_get(r, id, &in)) ||
        (rc = json_time(r, o, "created_at", "incidents", i, &t, &has)))
        goto cleanup;
    if (has) {
        in->created = t;
        in->has_created = 1;
    }
    incident_fields(in, o);
    if (strcmp(jstr(o, "status"), "resolved") == 0 && (rc = json_resolution(r, o, i, in)))
        goto cleanup;
    json_array_foreach(json_object_get(o, "assignments"), k, a)
    {
        char person[WARAS_PERSON_ID_MAX];
        rc = json_user(r, json_object_get(a, "assignee"), person);
        if (rc == 0)
            rc = who_add(&in->assigned, &in->nassigned, &in->assigned_cap, person, 0, 0);
        if (rc == WARAS_ENOTFOUND)
            rc = 0;
        if (rc)
            goto cleanup;
    }
    json_array_foreach(json_object_get(o, "acknowledgements"), k, a)
    {
        char person[WARAS_PERSON_ID_MAX];
        if ((rc = json_time(r, a, "at", "acknowledgements", k, &t, &has)))
            goto cleanup;
        rc = json_user(r, json_object_get(a, "acknowledger"), person);
        if (rc == 0)
            rc = who_add(&in->acks, &in->nacks, &in->acks_cap, person, has, t);
        if (rc == WARAS_ENOTFOUND)
            rc = 0;
        if (rc)
            goto cleanup;
    }
cleanup:
    return rc;
}

/* A notify_log_entry: the user notified, on a channel, about an incident. */
static int json_notification(pd_run *r, json_t *o, size_t i, const pd_incident *in,
                             waras_instant at)
{
    char person[WARAS_PERSON_ID_MAX], what[96];
    int rc = 0;
    const char *ctype = jstr(json_object_get(o, "channel"), "type"), *cname = channel_name(ctype);
    const char *id = jstr(o, "id");
    if (!*id || strlen(id) >= 64) {
        rc = json_field_error(r, "log_entries", i, "id",
                              *id ? "log entry id too long" : "missing log entry id");
        goto cleanup;
    }
    if (!cname || !json_is_object(json_object_get(o, "user"))) {
        if (cname)
            waras_strlcpy(what, "notifications without a user", sizeof(what));
        else
            snprintf(what, sizeof(what), "notifications on channel '%.40s'", ctype);
        waras_ingest__tally(&r->ignored, what);
        r->pc.f->res->skipped++;
        goto cleanup;
    }
    rc = json_user(r, json_object_get(o, "user"), person);
    if (rc == WARAS_ENOTFOUND) {
        rc = 0; /* counted as unmapped */
        goto cleanup;
    }
    if (rc ||
        (rc = grow((void **)&r->notes, &r->notes_cap, r->nnotes + 1, sizeof(*r->notes), 16)))
        goto cleanup;
    pd_note *n = &r->notes[r->nnotes++];
    memset(n, 0, sizeof(*n));
    waras_strlcpy(n->person, person, sizeof(n->person));
    waras_strlcpy(n->incident, in->id, sizeof(n->incident));
    waras_strlcpy(n->log_id, id, sizeof(n->log_id));
    waras_strlcpy(n->channel, cname, sizeof(n->channel));
    n->at = at;
cleanup:
    return rc;
}

static int json_log_entry(pd_run *r, json_t *o, size_t i)
{
    pd_incident *in;
    waras_instant at;
    int rc = 0, has = 0;
    char person[WARAS_PERSON_ID_MAX];
    const char *type = jstr(o, "type"), *inc_id = jstr(json_object_get(o, "incident"), "id");
    if (!json_is_object(o)) {
        rc = json_field_error(r, "log_entries", i, "type", "a log entry must be an object");
        goto cleanup;
    }
    r->pc.f->res->rows++;
    if ((rc = json_time(r, o, "created_at", "log_entries", i, &at, &has)))
        goto cleanup;
    int trigger = strcmp(type, "trigger_log_entry") == 0,
        resolve = strcmp(type, "resolve_log_entry") == 0,
        ack = strcmp(type, "acknowledge_log_entry") == 0,
        notify = strcmp(type, "notify_log_entry") == 0;
    if (!trigger && !resolve && !ack && !notify) {
        waras_ingest__tally(&r->ignored, *type ? type : "(no type)");
        goto cleanup;
    }
    if (!has || !*inc_id) {
        rc = json_field_error(r, "log_entries", i, has ? "incident.id" : "created_at",
                              has ? "missing incident id" : "missing time");
        goto cleanup;
    }
    if ((rc = incident_get(r, inc_id, &in)))
        goto cleanup;
    incident_fields(in, json_object_get(o, "incident"));
    if (trigger) {
        if (!in->has_created || at < in->created)
            in->created = at;
        in->has_created = 1;
    } else if (resolve) {
        in->resolved = at;
        in->has_resolved = 1;
        rc = json_user(r, json_object_get(o, "agent"), person);
        if (rc == 0)
            waras_strlcpy(in->resolver, person, sizeof(in->resolver));
    } else if (ack) {
        rc = json_user(r, json_object_get(o, "agent"), person);
        if (rc == 0)
            rc = who_add(&in->acks, &in->nacks, &in->acks_cap, person, 1, at);
    } else {
        rc = json_notification(r, o, i, in, at);
    }
    if (rc == WARAS_ENOTFOUND)
        rc = 0; /* a service acted, or an unmapped user (counted) */
cleanup:
    return rc;
}

/* One shift: a rendered schedule entry or an on-call entry, keyed by its
 * schedule and start so that both exports of a rota land on one row. */
static int json_shift(pd_run *r, json_t *e, const char *where, size_t i, const char *sid,
                      const char *sname)
{
    waras_instant s, t;
    int hs, ht, rc;
    char person[WARAS_PERSON_ID_MAX], key[256], *attrs = NULL;
    r->pc.f->res->rows++;
    if ((rc = json_time(r, e, "start", where, i, &s, &hs)) ||
        (rc = json_time(r, e, "end", where, i, &t, &ht)))
        goto cleanup;
    if (!hs && !ht && strcmp(where, "oncalls") == 0) {
        /* Permanent on-call (an escalation rule naming a user) has no times. */
        waras_ingest__tally(&r->ignored, "on-call entries without start and end");
        r->pc.f->res->skipped++;
        goto cleanup;
    }
    if (!hs || !ht || t < s) {
        rc = json_field_error(r, where, i, hs && ht ? "end" : "start",
                              "a shift needs a start and an end after it");
        goto cleanup;
    }
    json_t *a = json_pack("{s:s, s:s, s:s}", "role", "on-call", "schedule", sid, "name", sname);
    attrs = a ? json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    if (!attrs) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    rc = json_user(r, json_object_get(e, "user"), person);
    if (rc == 0) {
        snprintf(key, sizeof(key), "shift:%.100s:%lld", sid, (long long)s);
        rc = waras_ingest__paging_put(&r->pc, person, "shift", s, t, key, attrs);
    }
    if (rc == WARAS_ENOTFOUND)
        rc = 0; /* counted as unmapped */
cleanup:
    free(attrs);
    return rc;
}

static int json_schedule(pd_run *r, json_t *sched)
{
    int rc = 0;
    size_t i;
    json_t *e;
    json_t *entries =
        json_object_get(json_object_get(sched, "final_schedule"), "rendered_schedule_entries");
    if (!json_is_array(entries)) {
        rc = waras_error_set(WARAS_EPARSE, r->path, 0, "final_schedule",
                             "a schedule needs final_schedule.rendered_schedule_entries");
        goto cleanup;
    }
    json_array_foreach(entries, i, e)
    {
        if ((rc = json_shift(r, e, "rendered_schedule_entries", i, jstr(sched, "id"),
                             jstr(sched, "name"))))
            goto cleanup;
    }
cleanup:
    return rc;
}

/* GET /oncalls: who is on call, per schedule (or escalation policy, for
 * rules that name a user directly) and escalation level. */
static int json_oncalls(pd_run *r, json_t *list)
{
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        json_t *sched = json_object_get(e, "schedule");
        if (!json_is_object(sched))
            sched = json_object_get(e, "escalation_policy");
        if ((rc = json_shift(r, e, "oncalls", i, jstr(sched, "id"), jstr(sched, "summary"))))
            break;
    }
    return rc;
}

/* One API response: {"incidents":[..]}, {"incident":{..}}, {"log_entries":
 * [..]}, {"log_entry":{..}}, {"schedule":{..}}, {"oncalls":[..]}, or a bare
 * incident or log entry (elements of a top-level array). */
static int json_object_dispatch(pd_run *r, json_t *o, size_t at, int *found)
{
    int rc = 0;
    size_t i;
    json_t *v;
    json_t *incs = json_object_get(o, "incidents"), *logs = json_object_get(o, "log_entries");
    const char *type = jstr(o, "type");
    size_t tlen = strlen(type);
    json_array_foreach(incs, i, v) if ((rc = json_incident(r, v, i))) goto cleanup;
    if (json_is_array((v = json_object_get(o, "oncalls")))) {
        *found = 1;
        if ((rc = json_oncalls(r, v)))
            goto cleanup;
    }
    json_array_foreach(logs, i, v) if ((rc = json_log_entry(r, v, i))) goto cleanup;
    *found |= json_is_array(incs) || json_is_array(logs);
    if (json_is_object((v = json_object_get(o, "incident")))) {
        *found = 1;
        if ((rc = json_incident(r, v, 0)))
            goto cleanup;
    }
    if (json_is_object((v = json_object_get(o, "log_entry")))) {
        *found = 1;
        if ((rc = json_log_entry(r, v, 0)))
            goto cleanup;
    }
    if (json_is_object((v = json_object_get(o, "schedule")))) {
        *found = 1;
        if ((rc = json_schedule(r, v)))
            goto cleanup;
    }
    if (strcmp(type, "incident") == 0) {
        *found = 1;
        rc = json_incident(r, o, at);
    } else if (tlen > 10 && strcmp(type + tlen - 10, "_log_entry") == 0) {
        *found = 1;
        rc = json_log_entry(r, o, at);
    }
cleanup:
    return rc;
}

static int ingest_json(pd_run *r, const char *data, size_t len)
{
    json_error_t err;
    int rc = 0, found = 0;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return waras_error_set(WARAS_EPARSE, r->path, err.line > 0 ? err.line : 0, NULL,
                               "invalid JSON (column %d): %s", err.column, err.text);
    if (json_is_object(root)) {
        rc = json_object_dispatch(r, root, 0, &found);
    } else if (json_is_array(root)) {
        size_t i;
        json_t *v;
        json_array_foreach(root, i, v)
        {
            if (json_is_object(v) && (rc = json_object_dispatch(r, v, i, &found)))
                break;
        }
        if (!json_array_size(root))
            found = 1; /* an empty page of results */
    }
    if (!rc && !found)
        rc = waras_error_set(WARAS_EPARSE, r->path, 1, NULL,
                             "not a PagerDuty export: expected \"incidents\", \"log_entries\", "
                             "\"schedule\" or \"oncalls\"");
    json_decref(root);
    return rc;
}

int waras_ingest_pagerduty(waras_ingest_result *res, waras_store *st, const char *path)
{
    ingest_file f;
    pd_run r = {0};
    int rc = waras_ingest__begin(&f, st, "pagerduty", path, res);
    if (rc || res->already)
        goto cleanup;
    r.path = path;
    if ((rc = waras_ingest__paging_init(&r.pc, &f, "pagerduty", "pagerduty", "PagerDuty")))
        goto cleanup;
    size_t bom = f.len >= 3 && memcmp(f.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, skip = bom;
    while (skip < f.len && isspace((unsigned char)f.data[skip]))
        skip++;
    if (skip < f.len && (f.data[skip] == '{' || f.data[skip] == '['))
        rc = ingest_json(&r, f.data + bom, f.len - bom); /* whitespace keeps line numbers */
    else
        rc = ingest_csv(&r, f.data, f.len);
    if (!rc)
        rc = write_all(&r);
    if (!rc)
        rc = waras_ingest__paging_finish(&r.pc);
    if (!rc)
        waras_ingest__tally_note(&r.ignored, "left out: ", res->note, sizeof(res->note));
cleanup:
    incident_free_lists(&r);
    free(r.notes);
    free(r.incs);
    waras_ingest__pg_map_free(&r.inc_index, NULL);
    waras_ingest__paging_free(&r.pc);
    return waras_ingest__end(&f, rc);
}
