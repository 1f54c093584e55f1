/*
 * Timesheets and leave from CSV. A timesheet row says when a person worked
 * on a date (start and end, or just hours from their usual start); where a
 * day has timesheet rows they are authoritative for worked time. A leave row
 * covers whole local days, start to end inclusive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

#define ROW_ERROR(col, ...) (rc = waras_error_set(WARAS_EPARSE, path, line, (col), __VA_ARGS__))

/* Local time to UTC, with the offset of each (zone, local day) remembered:
 * a timesheet has rows for the same days in the same few zones over and
 * over, and the zone lookup costs more than the rest of a row. Only a day
 * whose offset is the same at its start and at its end, both checked both
 * ways, is remembered; a day with a change of offset (and so its gap or
 * repeated hour) goes to waras_tz_to_utc() every time. */
#define DAY_CACHE 32768 /* (zone, day) pairs: three zones over 30 years */
typedef struct day_offset {
    const waras_tz *tz; /* NULL: empty */
    int64_t day;
    int offset; /* seconds east of UTC, all day */
    int fixed;  /* 0: the offset changes that day */
} day_offset;

/* Entries so far per (person, local day), which number a day's entries
 * for stable keys: open addressing on the person's number and the day. */
typedef struct day_counts {
    uint64_t *keys; /* 0: free */
    long *counts;
    size_t cap, n;
} day_counts;

static long *day_count_slot(day_counts *m, long person, int64_t day)
{
    uint64_t key = ((uint64_t)person << 32) | (uint32_t)(day + 0x40000000);
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        uint64_t *nk = calloc(cap, sizeof(*nk));
        long *nc = calloc(cap, sizeof(*nc));
        if (!nk || !nc) {
            free(nk);
            free(nc);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = (size_t)(m->keys[i] * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
            while (nk[j])
                j = (j + 1) & (cap - 1);
            nk[j] = m->keys[i];
            nc[j] = m->counts[i];
        }
        free(m->keys);
        free(m->counts);
        m->keys = nk;
        m->counts = nc;
        m->cap = cap;
    }
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    return &m->counts[i];
}

/* Rows waiting to be stored, with copies of their strings. */
#define ROW_BATCH 1024
typedef struct row_batch {
    waras_event ev[ROW_BATCH];
    char person[ROW_BATCH][WARAS_PERSON_ID_MAX], key[ROW_BATCH][24], attrs[ROW_BATCH][136];
    size_t n;
} row_batch;

static int flush_rows(ingest_file *f, row_batch *b)
{
    int rc = b->n ? waras_ingest__put_many(f, b->ev, b->n) : 0;
    b->n = 0;
    return rc;
}

static waras_instant local_to_utc(day_offset *cache, const waras_tz *tz, const waras_civil *c)
{
    int64_t day = waras_time__days_from_civil(c->year, c->month, c->day);
    size_t i = (size_t)(((uintptr_t)tz >> 4) * 31 + (uint64_t)day) & (DAY_CACHE - 1);
    day_offset *e = &cache[i];
    if (e->tz != tz || e->day != day) {
        waras_civil m0 = {c->year, c->month, c->day, 0, 0, 0}, m1 = {0};
        waras_time__civil_from_days(&m1.year, &m1.month, &m1.day, day + 1);
        waras_instant u0 = waras_tz_to_utc(tz, &m0), u1 = waras_tz_to_utc(tz, &m1);
        int off0 = (int)(day * 86400 - u0), off1 = (int)((day + 1) * 86400 - u1);
        e->tz = tz;
        e->day = day;
        e->offset = off0;
        e->fixed = off0 == off1 && waras_tz_offset(tz, u0) == off0 &&
                   waras_tz_offset(tz, u1 - 1) == off0;
    }
    if (!e->fixed)
        return waras_tz_to_utc(tz, c);
    return waras_civil_to_epoch(c) - e->offset;
}

int waras_ingest_timesheet(waras_store *st, const char *path, waras_ingest_result *res)
{
    static const char *const required[] = {"person", "date", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    waras_strmap *person_no = NULL; /* a number for each person seen */
    day_counts per_day = {0};        /* entries so far per person and date */
    long person = 0, cur_no = 0;
    char last_id[WARAS_PERSON_ID_MAX] = "";
    waras_person p = {0};
    day_offset *days = calloc(DAY_CACHE, sizeof(*days));
    row_batch *batch = malloc(sizeof(*batch));
    int rc = days && batch ? waras_ingest__begin(&f, st, "timesheet", path, res)
                           : waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (batch)
        batch->n = 0;
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)) || (rc = waras_strmap_new(&person_no)))
        goto cleanup;
    int c_person = waras_csv_column(csv, "person"), c_date = waras_csv_column(csv, "date"),
        c_hours = waras_csv_column(csv, "hours"), c_start = waras_csv_column(csv, "start"),
        c_end = waras_csv_column(csv, "end"), c_project = waras_csv_column(csv, "project");
    if (c_hours < 0 && (c_start < 0 || c_end < 0)) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, "hours",
                             "the header needs either 'hours' or both 'start' and 'end'");
        goto cleanup;
    }
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        const waras_tz *tz;
        int y, m, d, smin, emin;
        const char *who = waras_csv_field(csv, c_person);
        /* Rows come grouped by person: look a name up only when it changes. */
        if (strcmp(who, p.id) != 0 && waras_ingest__resolve_person(st, who, &p) != 0) {
            ROW_ERROR("person", "unknown person '%s' (import people.csv first)", who);
            goto cleanup;
        }
        if ((rc = waras_tz_get(&tz, p.timezone)))
            goto cleanup;
        const char *date = waras_csv_field(csv, c_date);
        if (waras_time__parse_ymd(&y, &m, &d, date)) {
            ROW_ERROR("date", "'%s' is not a date YYYY-MM-DD", date);
            goto cleanup;
        }
        const char *hs = c_start >= 0 ? waras_csv_field(csv, c_start) : "";
        const char *he = c_end >= 0 ? waras_csv_field(csv, c_end) : "";
        if (*hs || *he) {
            if (waras_ingest__parse_hhmm(hs, &smin)) {
                ROW_ERROR("start", "'%s' is not a time HH:MM", hs);
                goto cleanup;
            }
            if (waras_ingest__parse_hhmm(he, &emin)) {
                ROW_ERROR("end", "'%s' is not a time HH:MM", he);
                goto cleanup;
            }
            if (emin <= smin)
                emin += 24 * 60; /* a shift past midnight ends the next day */
        } else {
            double hours;
            const char *hv = c_hours >= 0 ? waras_csv_field(csv, c_hours) : "";
            if (waras_parse_double(hv, &hours) || hours <= 0 || hours > 24) {
                ROW_ERROR("hours", "'%s' is not a number of hours between 0 and 24", hv);
                goto cleanup;
            }
            smin = p.work_start;
            emin = smin + (int)(hours * 60 + 0.5);
        }
        waras_civil cs = {y, m, d, 0, 0, 0};
        int64_t day = waras_time__days_from_civil(y, m, d);
        waras_civil ce;
        waras_time__civil_from_days(&ce.year, &ce.month, &ce.day, day + emin / 1440);
        cs.hour = smin / 60;
        cs.minute = smin % 60;
        ce.hour = (emin % 1440) / 60;
        ce.minute = emin % 60;
        ce.second = 0;
        /* Keys and attrs are put together by hand: this runs once a row,
         * and snprintf() cost more than the rest of it. The date is 10
         * bytes (parsed above). */
        size_t nl = 0, b = batch->n;
        char *key = batch->key[b], *attrs = batch->attrs[b], num[24];
        long *ord = NULL;
        if (strcmp(last_id, p.id) != 0) {
            long *no = waras_strmap_slot(person_no, p.id);
            if (no && !*no)
                *no = ++person;
            cur_no = no ? *no : 0;
            waras_strlcpy(last_id, p.id, sizeof(last_id));
        }
        if (cur_no)
            ord = day_count_slot(&per_day, cur_no, day);
        if (!ord) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        for (long v = ++*ord; v && nl < 12; v /= 10)
            num[nl++] = (char)('0' + v % 10);
        memcpy(key, date, 10);
        key[10] = '#';
        for (size_t k = 0; k < nl; k++)
            key[11 + k] = num[nl - 1 - k];
        key[11 + nl] = '\0';
        attrs[0] = '\0';
        const char *project = c_project >= 0 ? waras_csv_field(csv, c_project) : "";
        if (*project) {
            /* Only plain text goes into the JSON by hand; anything else is dropped. */
            size_t pl = strlen(project);
            if (pl < 120 && !strpbrk(project, "\"\\\n\r\t")) {
                memcpy(attrs, "{\"project\":\"", 12);
                memcpy(attrs + 12, project, pl);
                memcpy(attrs + 12 + pl, "\"}", 3);
            }
        }
        waras_strlcpy(batch->person[b], p.id, sizeof(batch->person[b]));
        batch->ev[b] = (waras_event){
            .person = batch->person[b],
            .kind = "timesheet",
            .status = "accepted",
            .start = local_to_utc(days, tz, &cs),
            .end = local_to_utc(days, tz, &ce),
            .source_kind = "timesheet",
            .source_key = key,
            .attrs = attrs[0] ? attrs : NULL,
        };
        if (++batch->n == ROW_BATCH && (rc = flush_rows(&f, batch)))
            goto cleanup;
        res->rows++;
    }
    if (rc >= 0)
        rc = flush_rows(&f, batch); /* the end of the file */
cleanup:
    free(batch);
    free(days);
    waras_strmap_free(person_no);
    free(per_day.keys);
    free(per_day.counts);
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}

static const char *const leave_types[] = {"vacation", "sick", "holiday", "recovery", "parental",
                                          "other", NULL};

int waras_ingest__leave_csv(waras_store *st, const char *path, waras_ingest_result *res)
{
    static const char *const required[] = {"person", "start", "end", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    int rc = waras_ingest__begin(&f, st, "leave", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_person = waras_csv_column(csv, "person"), c_start = waras_csv_column(csv, "start"),
        c_end = waras_csv_column(csv, "end"), c_type = waras_csv_column(csv, "type");
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        waras_person p;
        const waras_tz *tz;
        int y1, m1, d1, y2, m2, d2;
        const char *who = waras_csv_field(csv, c_person);
        if (waras_ingest__resolve_person(st, who, &p) != 0) {
            ROW_ERROR("person", "unknown person '%s' (import people.csv first)", who);
            goto cleanup;
        }
        if ((rc = waras_tz_get(&tz, p.timezone)))
            goto cleanup;
        const char *s = waras_csv_field(csv, c_start), *e = waras_csv_field(csv, c_end);
        if (waras_time__parse_ymd(&y1, &m1, &d1, s)) {
            ROW_ERROR("start", "'%s' is not a date YYYY-MM-DD", s);
            goto cleanup;
        }
        if (waras_time__parse_ymd(&y2, &m2, &d2, e)) {
            ROW_ERROR("end", "'%s' is not a date YYYY-MM-DD", e);
            goto cleanup;
        }
        int64_t first = waras_time__days_from_civil(y1, m1, d1), last = waras_time__days_from_civil(y2, m2, d2);
        if (last < first) {
            ROW_ERROR("end", "leave ends (%s) before it starts (%s)", e, s);
            goto cleanup;
        }
        const char *type = c_type >= 0 && *waras_csv_field(csv, c_type)
                               ? waras_csv_field(csv, c_type)
                               : "vacation";
        int known = 0;
        for (int i = 0; leave_types[i]; i++)
            known |= strcmp(type, leave_types[i]) == 0;
        if (!known) {
            ROW_ERROR("type", "unknown leave type '%s' (expected vacation, sick, holiday, "
                              "recovery, parental or other)", type);
            goto cleanup;
        }
        waras_civil end_day;
        waras_time__civil_from_days(&end_day.year, &end_day.month, &end_day.day, last + 1);
        char key[96], attrs[64];
        /* The type is part of the key: the same days booked as two kinds of
         * leave are two rows, not one that the second overwrites. */
        snprintf(key, sizeof(key), "%s..%s %s", s, e, type);
        snprintf(attrs, sizeof(attrs), "{\"type\":\"%s\"}", type);
        waras_event ev = {
            .person = p.id,
            .kind = "leave",
            .status = "accepted",
            .start = waras_tz_date_start(tz, (waras_date){y1, m1, d1}),
            .end = waras_tz_date_start(tz, (waras_date){end_day.year, end_day.month, end_day.day}),
            .all_day = 1,
            .source_kind = "leave",
            .source_key = key,
            .attrs = attrs,
        };
        if ((rc = waras_ingest__put(&f, &ev)))
            goto cleanup;
        res->rows++;
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}
