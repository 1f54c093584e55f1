/*
 * The life cycle every ingest adapter shares: read, hash, skip identical
 * content, one transaction per file, supersede what the file's earlier
 * version contributed, commit or roll back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ics.h"
#include "waras/time.h"

/* The upload this thread ingests from memory, if any (waras/ingest.h). */
static _Thread_local const waras_ingest_memory *memory;

void waras_ingest_memory_set(const waras_ingest_memory *m)
{
    memory = m;
}

/* The content of path: the upload set on this thread when its name is
 * path, else the file. */
static int source_read(char **out, size_t *len, const char *path)
{
    if (!memory || strcmp(memory->name, path) != 0)
        return waras_file_read(out, len, path);
    if (!(*out = malloc(memory->len + 1)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory reading %s", path);
    memcpy(*out, memory->data, memory->len);
    (*out)[memory->len] = '\0';
    *len = memory->len;
    return 0;
}

int waras_ingest__begin(ingest_file *f, waras_store *st, const char *kind, const char *path,
                        waras_ingest_result *res)
{
    char sha[65];
    int seen = 0, rc;
    memset(f, 0, sizeof(*f));
    memset(res, 0, sizeof(*res));
    f->st = st;
    f->path = path;
    f->kind = kind;
    f->res = res;
    if ((rc = source_read(&f->data, &f->len, path)))
        return rc;
    waras_sha256_hex(sha, f->data, f->len);
    if ((rc = waras_store_source_seen(&seen, st, kind, sha)))
        return rc;
    if (seen) {
        res->already = 1;
        return 0;
    }
    if ((rc = waras_store_begin_bulk(st)))
        return rc;
    /* Another writer may have stored the same bytes while this one waited
     * for its turn to write. */
    if ((rc = waras_store_source_seen(&seen, st, kind, sha)) || seen) {
        waras_store_rollback(st);
        res->already = seen;
        return rc;
    }
    return waras_store_source_add(&f->source, st, kind, path, sha);
}

int waras_ingest__end(ingest_file *f, int rc)
{
    if (!f->res->already && f->st) {
        if (rc == 0)
            rc = waras_store_source_finish(f->st, f->source, f->res->rows, f->res->skipped);
        if (rc == 0)
            rc = waras_store_source_supersede(&f->res->removed, f->st, f->source, f->kind, f->path);
        if (rc == 0)
            rc = waras_store_commit(f->st);
        if (rc != 0)
            waras_store_rollback(f->st);
    }
    free(f->data);
    f->data = NULL;
    return rc;
}

int waras_ingest__put(ingest_file *f, waras_event *ev)
{
    int changed = 0;
    ev->source = f->source;
    int rc = waras_store_event_put(&changed, f->st, ev);
    if (rc)
        return rc;
    if (changed)
        f->res->added++;
    else
        f->res->unchanged++;
    return 0;
}

int waras_ingest__put_many(ingest_file *f, waras_event *ev, size_t n)
{
    long changed = 0;
    for (size_t i = 0; i < n; i++)
        ev[i].source = f->source;
    int rc = waras_store_events_put(&changed, f->st, ev, n);
    if (rc)
        return rc;
    f->res->added += changed;
    f->res->unchanged += (long)n - changed;
    return 0;
}

void waras_ingest__tally(ingest_tally *t, const char *key)
{
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->keys[i], key) == 0) {
            t->counts[i]++;
            return;
        }
    }
    if (t->n < (int)(sizeof(t->counts) / sizeof(t->counts[0]))) {
        waras_strlcpy(t->keys[t->n], key, sizeof(t->keys[0]));
        t->counts[t->n++] = 1;
    } else {
        t->other++;
    }
}

void waras_ingest__tally_note(const ingest_tally *t, const char *prefix, char *note, size_t size)
{
    size_t n = strlen(note);
    if (!t->n)
        return;
    int w = snprintf(note + n, size - n, "%s%s", n ? "; " : "", prefix);
    for (int i = 0; i < t->n && w > 0 && (n += (size_t)w) < size; i++)
        w = snprintf(note + n, size - n, "%s%s (%ld)", i ? ", " : "", t->keys[i], t->counts[i]);
    if (t->other && n < size)
        snprintf(note + n, size - n, ", and %ld more", t->other);
}

void waras_ingest__occurrence_key(char *key, size_t size, const waras_ics_occurrence *occ,
                                  int uid_max)
{
    waras_civil cv;
    waras_epoch_to_civil(&cv, occ->start);
    snprintf(key, size, "%.*s|%04d%02d%02dT%02d%02d%02d%s", uid_max, occ->uid ? occ->uid : "",
             cv.year, cv.month, cv.day, cv.hour, cv.minute, cv.second,
             occ->kind == WARAS_ICS_ZONED ? "Z" : "");
}

int waras_ingest__date(int *year, int *month, int *day, const char *s, const char *path,
                       long line, const char *field)
{
    if (waras_time__parse_ymd(year, month, day, s))
        return waras_error_set(WARAS_EPARSE, path, line, field, "'%s' is not a date YYYY-MM-DD",
                               s);
    if (!waras_time__year_in_range(*year))
        return waras_error_set(WARAS_EPARSE, path, line, field, "'%s' is " WARAS_TIME__OUT_OF_RANGE,
                               s);
    return 0;
}

int waras_ingest__parse_hhmm(const char *s, int *minutes)
{
    int h = 0, m = 0;
    if (strlen(s) != 5 || s[2] != ':')
        return WARAS_EINVAL;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return WARAS_EINVAL;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m))
        return WARAS_EINVAL;
    *minutes = h * 60 + m;
    return 0;
}

int waras_ingest__resolve_person(waras_store *st, const char *who, waras_person *p)
{
    char id[WARAS_PERSON_ID_MAX];
    if (!*who)
        return WARAS_ENOTFOUND;
    if (waras_store_person_get(p, st, who) == 0)
        return 0;
    if (waras_store_identity_find(id, sizeof(id), st, "email", who) == 0 ||
        waras_store_identity_find(id, sizeof(id), st, "name", who) == 0)
        return waras_store_person_get(p, st, id);
    return WARAS_ENOTFOUND;
}
