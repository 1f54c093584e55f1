/*
 * The survey CSV adapter (docs/survey.md): reads team,person,date,q1..q19,
 * maps people, and validates every cell. Scoring and storing a response
 * belong to the survey module (src/lib/survey/), which this calls per row.
 */
#include <stdio.h>

#include "ingest/ingest_internal.h"
#include "survey/survey_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/survey.h"
#include "waras/time.h"
#include "time/days.h"

#define ROW_ERROR(col, ...) (rc = waras_error_set(WARAS_EPARSE, path, line, (col), __VA_ARGS__))

int waras_ingest_survey(waras_ingest_result *res, waras_store *st, const char *path)
{
    static const char *const required[] = {"team", "date", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    int rc = waras_ingest__begin(&f, st, "survey", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_team = waras_csv_column(csv, "team"), c_person = waras_csv_column(csv, "person"),
        c_date = waras_csv_column(csv, "date"), cq[WARAS_CBI_ITEMS];
    for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
        char name[8];
        snprintf(name, sizeof(name), "q%d", i + 1);
        if ((cq[i] = waras_csv_column(csv, name)) < 0) {
            rc = waras_error_set(WARAS_EPARSE, path, 1, name,
                                 "missing column '%s' (the survey has items q1 to q19)", name);
            goto cleanup;
        }
    }
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        int answers[WARAS_CBI_ITEMS], y, m, d;
        waras_person p;
        const char *team = waras_csv_field(csv, c_team);
        const char *who = c_person >= 0 ? waras_csv_field(csv, c_person) : "";
        const char *date = waras_csv_field(csv, c_date);
        if (!*team) {
            ROW_ERROR("team", "team is empty");
            goto cleanup;
        }
        if (*who && waras_ingest__resolve_person(st, who, &p) != 0) {
            ROW_ERROR("person", "unknown person '%s' (leave it empty for an anonymous "
                                "response)", who);
            goto cleanup;
        }
        if ((rc = waras_ingest__date(&y, &m, &d, date, path, line, "date")))
            goto cleanup;
        for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
            const char *a = waras_csv_field(csv, cq[i]);
            if (waras_cbi_parse_answer(&answers[i], a)) {
                char col[8];
                snprintf(col, sizeof(col), "q%d", i + 1);
                ROW_ERROR(col, "'%s' is not an answer (0, 25, 50, 75, 100 or the answer text)",
                          a);
                goto cleanup;
            }
        }
        rc = waras_survey__put(st, team, *who ? p.id : NULL, date, answers, f.source, line);
        if (rc)
            goto cleanup;
        res->rows++;
        res->added++;
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}
