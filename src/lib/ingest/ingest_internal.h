/*
 * Plumbing shared by the ingest adapters: open a file as a source (hash,
 * duplicate check, transaction), and close it (counts, supersede, commit or
 * rollback). Every adapter follows the same life cycle so that all-or-nothing
 * and idempotence hold for all of them.
 */
#ifndef WARAS_INGEST_INTERNAL_H
#define WARAS_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "waras/ingest.h"
#include "waras/store.h"
#include "time/days.h"

typedef struct ingest_file {
    waras_store *st;
    const char *path;
    const char *kind; /* source kind */
    char *data;
    size_t len;
    int64_t source;
    waras_ingest_result *res;
} ingest_file;

/* Reads path, and unless identical content was ingested before, opens a
 * transaction and records the source. Returns 0 with res->already set when
 * there is nothing to do (the file is still read and freed by _end). */
int waras_ingest__begin(ingest_file *f, waras_store *st, const char *kind, const char *path,
                        waras_ingest_result *res);

/* Finishes: on rc == 0 supersedes the file's earlier versions and commits;
 * otherwise rolls back. Frees the data. Returns the final code. */
int waras_ingest__end(ingest_file *f, int rc);

/* Stores one event, counting it as added or unchanged. */
int waras_ingest__put(ingest_file *f, waras_event *ev);
/* Stores n events at once (cheaper per event), counting them as above. */
int waras_ingest__put_many(ingest_file *f, waras_event *ev, size_t n);

/* Adds "what (count)" to a bounded tally of reasons, for the result note. */
typedef struct ingest_tally {
    char keys[16][96];
    long counts[16];
    int n;
    long other;
} ingest_tally;
void waras_ingest__tally(ingest_tally *t, const char *key);
void waras_ingest__tally_note(const ingest_tally *t, const char *prefix, char *note, size_t size);

/* The source key of a calendar occurrence: "UID|YYYYMMDDTHHMMSS", with a
 * "Z" when the start is a UTC instant (else it is floating wall time), the
 * UID cut to uid_max bytes. */
struct waras_ics_occurrence;
void waras_ingest__occurrence_key(char *key, size_t size, const struct waras_ics_occurrence *occ,
                                  int uid_max);

/* Expands the holiday sources recorded in the store again for the people
 * now in their scopes (docs/formats.md "Holidays"), inside the caller's
 * transaction; people_source makes the new versions' hashes unique. */
int waras_ingest__holidays_reexpand(waras_ingest_result *res, waras_store *st,
                                    int64_t people_source);

/* The date s ("YYYY-MM-DD") of field in a row of path at line into a
 * triple: 0, or WARAS_EPARSE when it is not a date, or not in the years
 * waras answers about (docs/formats.md#limits). */
int waras_ingest__date(int *year, int *month, int *day, const char *s, const char *path,
                       long line, const char *field);

/* Parses "HH:MM" into minutes after midnight (24:00 allowed). */
int waras_ingest__parse_hhmm(const char *s, int *minutes);

/* A person named by id, e-mail or name; WARAS_ENOTFOUND otherwise (no
 * message set). */
int waras_ingest__resolve_person(waras_store *st, const char *who, waras_person *p);

/* Leave from CSV (the CSV half of waras_ingest_leave). */
int waras_ingest__leave_csv(waras_store *st, const char *path, waras_ingest_result *res);

/* A git mailmap, parsed and matched exactly as git does (mailmap.c). */
typedef struct waras_mailmap waras_mailmap;
int waras_mailmap__new(waras_mailmap **out);
void waras_mailmap__free(waras_mailmap *mm);
/* Number of distinct commit e-mails the map has entries for. */
size_t waras_mailmap__size(const waras_mailmap *mm);
/* Adds the entries of a mailmap text; later entries override earlier ones
 * as in git. as_file: read as git reads a file (lines of at most 1023
 * bytes; a NUL ends a line), else as git reads a blob (a NUL ends it). */
int waras_mailmap__add_buffer(waras_mailmap *mm, const char *buf, size_t len, int as_file);
/* Maps a commit's name and e-mail (not terminated: see the lengths) in
 * place; returns 1 when the map changed either, 0 otherwise. The results
 * point into mm or are the inputs, and live as long as mm. */
int waras_mailmap__resolve(const waras_mailmap *mm, const char **name, size_t *name_len,
                           const char **email, size_t *email_len);

#endif
