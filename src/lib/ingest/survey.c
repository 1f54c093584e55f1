/*
 * Survey responses (Copenhagen Burnout Inventory) from CSV: scoring, the
 * ingest, and reading responses back for aggregates and a person's own view.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/survey.h"
#include "waras/time.h"

static const char *const items[WARAS_CBI_ITEMS] = {
    "How often do you feel tired?",
    "How often are you physically exhausted?",
    "How often are you emotionally exhausted?",
    "How often do you think: \"I can't take it anymore\"?",
    "How often do you feel worn out?",
    "How often do you feel weak and susceptible to illness?",
    "Is your work emotionally exhausting?",
    "Do you feel burnt out because of your work?",
    "Does your work frustrate you?",
    "Do you feel worn out at the end of the working day?",
    "Are you exhausted in the morning at the thought of another day at work?",
    "Do you feel that every working hour is tiring for you?",
    "Do you have enough energy for family and friends during leisure time?",
    "Do you find it hard to work with clients?",
    "Do you find it frustrating to work with clients?",
    "Does it drain your energy to work with clients?",
    "Do you feel that you give more than you get back when you work with clients?",
    "Are you tired of working with clients?",
    "Do you sometimes wonder how long you will be able to continue working with clients?",
};

/* The reverse-scored item: energy for family and friends (13th in the
 * order above, the last work-related item). */
#define CBI_REVERSED 13

const char *waras_cbi_item(int item)
{
    return item >= 1 && item <= WARAS_CBI_ITEMS ? items[item - 1] : "";
}

void waras_cbi_score(const int answers[WARAS_CBI_ITEMS], waras_cbi_scores *out)
{
    static const int first[WARAS_CBI_SCALES + 1] = {1, 7, 14, 20};
    for (int s = 0; s < WARAS_CBI_SCALES; s++) {
        int n = 0, total = first[s + 1] - first[s];
        double sum = 0;
        for (int i = first[s]; i < first[s + 1]; i++) {
            int a = answers[i - 1];
            if (a < 0)
                continue;
            sum += i == CBI_REVERSED ? 100 - a : a;
            n++;
        }
        out->scale[s] = n * 2 >= total ? sum / n : -1;
    }
}

int waras_cbi_parse_answer(const char *text, int *out)
{
    static const struct {
        const char *text;
        int value;
    } words[] = {
        {"always", 100}, {"often", 75}, {"sometimes", 50}, {"seldom", 25},
        {"never/almost never", 0}, {"never", 0}, {"almost never", 0},
        {"to a very high degree", 100}, {"to a high degree", 75}, {"somewhat", 50},
        {"to a low degree", 25}, {"to a very low degree", 0},
    };
    while (isspace((unsigned char)*text))
        text++;
    if (!*text) {
        *out = -1;
        return 0;
    }
    long v;
    if (waras_parse_long(text, &v) == 0) {
        if (v < 0 || v > 100 || v % 25)
            return WARAS_EINVAL;
        *out = (int)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (waras_strcaseeq(text, words[i].text)) {
            *out = words[i].value;
            return 0;
        }
    }
    return WARAS_EINVAL;
}

const char *waras_cbi_level(const waras_cbi_scores *s)
{
    double v = s->scale[WARAS_CBI_PERSONAL];
    if (s->scale[WARAS_CBI_WORK] > v)
        v = s->scale[WARAS_CBI_WORK];
    if (v < 0)
        return NULL;
    return v >= 75 ? "critical" : v >= 50 ? "high" : v >= 25 ? "moderate" : "low";
}

#define ROW_ERROR(col, ...) (rc = waras_error_set(WARAS_EPARSE, path, line, (col), __VA_ARGS__))

int waras_ingest_survey(waras_store *st, const char *path, waras_ingest_result *res)
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
        if (waras_date_parse(date, &y, &m, &d)) {
            ROW_ERROR("date", "'%s' is not a date YYYY-MM-DD", date);
            goto cleanup;
        }
        for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
            const char *a = waras_csv_field(csv, cq[i]);
            if (waras_cbi_parse_answer(a, &answers[i])) {
                char col[8];
                snprintf(col, sizeof(col), "q%d", i + 1);
                ROW_ERROR(col, "'%s' is not an answer (0, 25, 50, 75, 100 or the answer text)",
                          a);
                goto cleanup;
            }
        }
        waras_cbi_scores sc;
        waras_cbi_score(answers, &sc);
        json_t *ja = json_array(), *js = json_object();
        for (int i = 0; i < WARAS_CBI_ITEMS; i++)
            json_array_append_new(ja, answers[i] < 0 ? json_null() : json_integer(answers[i]));
        static const char *const names[] = {"personal", "work", "client"};
        for (int s = 0; s < WARAS_CBI_SCALES; s++)
            json_object_set_new(js, names[s],
                                sc.scale[s] < 0 ? json_null() : json_real(sc.scale[s]));
        char *ta = json_dumps(ja, JSON_COMPACT), *ts = json_dumps(js, JSON_COMPACT);
        json_decref(ja);
        json_decref(js);
        /* A response's key is its content: the same row twice is one response. */
        char keysrc[1024], key[65];
        snprintf(keysrc, sizeof(keysrc), "%s|%s|%s|%s|%ld", team, *who ? p.id : "", date,
                 ta ? ta : "", *who ? 0L : line);
        waras_sha256_hex(key, keysrc, strlen(keysrc));
        rc = waras_store__survey_put(st, team, *who ? p.id : NULL, date, "cbi", ts, ta, f.source,
                                     key);
        free(ta);
        free(ts);
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
