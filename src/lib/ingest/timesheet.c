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

int waras_ingest_timesheet(waras_store *st, const char *path, waras_ingest_result *res)
{
    static const char *const required[] = {"person", "date", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    waras_strmap *per_day = NULL; /* entries so far per person and date: stable keys */
    waras_person p = {0};
    int rc = waras_ingest__begin(&f, st, "timesheet", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)) || (rc = waras_strmap_new(&per_day)))
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
        char key[96], dkey[WARAS_PERSON_ID_MAX + 32];
        snprintf(dkey, sizeof(dkey), "%s|%s", p.id, date);
        long *ord = waras_strmap_slot(per_day, dkey);
        if (!ord) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        snprintf(key, sizeof(key), "%s#%ld", date, ++*ord);
        char attrs[256] = "";
        const char *project = c_project >= 0 ? waras_csv_field(csv, c_project) : "";
        if (*project) {
            /* Only plain text goes into the JSON by hand; anything else is dropped. */
            int plain = strlen(project) < 120 && !strpbrk(project, "\"\\\n\r\t");
            if (plain)
                snprintf(attrs, sizeof(attrs), "{\"project\":\"%s\"}", project);
        }
        waras_event ev = {
            .person = p.id,
            .kind = "timesheet",
            .status = "accepted",
            .start = waras_tz_to_utc(tz, &cs),
            .end = waras_tz_to_utc(tz, &ce),
            .source_kind = "timesheet",
            .source_key = key,
            .attrs = attrs[0] ? attrs : NULL,
        };
        if ((rc = waras_ingest__put(&f, &ev)))
            goto cleanup;
        res->rows++;
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_strmap_free(per_day);
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
