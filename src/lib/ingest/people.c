/*
 * people.csv: who is on which team, where they live (IANA zone), when they
 * normally work, and how outside systems name them. Every row is validated
 * before anything is kept; one bad row rejects the file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int day_index(const char *s, size_t n)
{
    char buf[4] = {0};
    if (n < 3)
        return -1;
    for (int i = 0; i < 3; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    for (int i = 0; i < 7; i++)
        if (strcmp(buf, day_names[i]) == 0)
            return i;
    return -1;
}

/* "Mon-Fri", "Sun-Thu", "Mon,Wed,Fri", "Mon-Thu,Sat". */
static int parse_work_days(const char *s, unsigned *out)
{
    unsigned mask = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ';' && *e != ' ')
            e++;
        const char *dash = memchr(p, '-', (size_t)(e - p));
        if (dash) {
            int a = day_index(p, (size_t)(dash - p)), b = day_index(dash + 1, (size_t)(e - dash - 1));
            if (a < 0 || b < 0)
                return WARAS_EINVAL;
            for (int d = a;; d = (d + 1) % 7) {
                mask |= 1u << d;
                if (d == b)
                    break;
            }
        } else if (e > p) {
            int a = day_index(p, (size_t)(e - p));
            if (a < 0)
                return WARAS_EINVAL;
            mask |= 1u << a;
        }
        p = *e ? e + 1 : e;
    }
    if (!mask)
        return WARAS_EINVAL;
    *out = mask;
    return 0;
}

/* An id: 1 to WARAS_PERSON_ID_MAX - 1 bytes of letters, digits and ._-@+
 * (so that an e-mail address can be an id). The length is checked apart, so
 * that the message can say which limit was broken. */
static int valid_id(const char *s)
{
    if (!*s || strlen(s) >= WARAS_PERSON_ID_MAX)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-@+", *s))
            return 0;
    return 1;
}

static int valid_identity_kind(const char *k)
{
    static const char *const kinds[] = {"email", "git", "pagerduty", "opsgenie", "grafana",
                                        "calendar", "name", NULL};
    for (int i = 0; kinds[i]; i++)
        if (strcmp(k, kinds[i]) == 0)
            return 1;
    return 0;
}

#define ROW_ERROR(col, ...)                                                                        \
    (rc = waras_error_set(WARAS_EPARSE, path, line, (col), __VA_ARGS__))

int waras_ingest_people(waras_ingest_result *res, waras_store *st, const char *path)
{
    static const char *const required[] = {"id", "name", "email", "team", "timezone", NULL};
    ingest_file f;
    waras_csv *csv = NULL;
    char **seen_ids = NULL;
    size_t nseen = 0;
    int rc = waras_ingest__begin(&f, st, "people", path, res);
    if (rc || res->already)
        goto cleanup;
    if ((rc = waras_csv_open(&csv, f.data, f.len, path)) ||
        (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_id = waras_csv_column(csv, "id"), c_name = waras_csv_column(csv, "name"),
        c_email = waras_csv_column(csv, "email"), c_team = waras_csv_column(csv, "team"),
        c_tz = waras_csv_column(csv, "timezone"), c_days = waras_csv_column(csv, "work_days"),
        c_start = waras_csv_column(csv, "work_start"), c_end = waras_csv_column(csv, "work_end"),
        c_site = waras_csv_column(csv, "site"), c_ids = waras_csv_column(csv, "identities");
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        waras_person p = {0};
        const waras_tz *tz;
        const char *id = waras_csv_field(csv, c_id);
        if (strlen(id) >= WARAS_PERSON_ID_MAX) {
            ROW_ERROR("id", "id '%.40s...' is %zu bytes long; a person id has at most %d bytes", id,
                      strlen(id), WARAS_PERSON_ID_MAX - 1);
            goto cleanup;
        }
        if (!valid_id(id)) {
            ROW_ERROR("id", "id '%s' is empty or has characters other than letters, digits "
                            "and ._-@+", id);
            goto cleanup;
        }
        for (size_t i = 0; i < nseen; i++) {
            if (strcmp(seen_ids[i], id) == 0) {
                ROW_ERROR("id", "person '%s' appears twice in the file", id);
                goto cleanup;
            }
        }
        char **ns = realloc(seen_ids, (nseen + 1) * sizeof(*ns));
        if (!ns || !(ns[nseen] = waras_strdup(id))) {
            if (ns)
                seen_ids = ns;
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        seen_ids = ns;
        nseen++;
        waras_strlcpy(p.id, id, sizeof(p.id));
        waras_strlcpy(p.name, waras_csv_field(csv, c_name), sizeof(p.name));
        const char *email = waras_csv_field(csv, c_email);
        if (*email && (!strchr(email, '@') || strchr(email, ' ') || strlen(email) >= sizeof(p.email))) {
            ROW_ERROR("email", "'%s' is not an e-mail address", email);
            goto cleanup;
        }
        waras_strlcpy(p.email, email, sizeof(p.email));
        waras_str_lower(p.email);
        waras_strlcpy(p.team, waras_csv_field(csv, c_team), sizeof(p.team));
        if (!p.team[0]) {
            ROW_ERROR("team", "team is empty");
            goto cleanup;
        }
        const char *zone = waras_csv_field(csv, c_tz);
        if (waras_tz_get(&tz, zone) != 0) {
            ROW_ERROR("timezone", "unknown time zone '%s' (expected an IANA name such as "
                                  "Europe/Berlin)", zone);
            goto cleanup;
        }
        waras_strlcpy(p.timezone, zone, sizeof(p.timezone));
        p.work_days = 0x1f;
        p.work_start = 8 * 60;
        p.work_end = 18 * 60;
        if (c_days >= 0 && *waras_csv_field(csv, c_days) &&
            parse_work_days(waras_csv_field(csv, c_days), &p.work_days)) {
            ROW_ERROR("work_days", "'%s' is not a list of days such as Mon-Fri or Sun,Mon",
                      waras_csv_field(csv, c_days));
            goto cleanup;
        }
        if (c_start >= 0 && *waras_csv_field(csv, c_start) &&
            waras_ingest__parse_hhmm(waras_csv_field(csv, c_start), &p.work_start)) {
            ROW_ERROR("work_start", "'%s' is not a time HH:MM", waras_csv_field(csv, c_start));
            goto cleanup;
        }
        if (c_end >= 0 && *waras_csv_field(csv, c_end) &&
            waras_ingest__parse_hhmm(waras_csv_field(csv, c_end), &p.work_end)) {
            ROW_ERROR("work_end", "'%s' is not a time HH:MM", waras_csv_field(csv, c_end));
            goto cleanup;
        }
        if (p.work_end <= p.work_start) {
            ROW_ERROR("work_end", "working hours end before they start");
            goto cleanup;
        }
        if (c_site >= 0)
            waras_strlcpy(p.site, waras_csv_field(csv, c_site), sizeof(p.site));
        if ((rc = waras_store_person_put(st, &p)))
            goto cleanup;
        if (p.email[0] && (rc = waras_store_identity_put(st, p.id, "email", p.email)))
            goto cleanup;
        if (p.name[0] && (rc = waras_store_identity_put(st, p.id, "name", p.name)))
            goto cleanup;
        /* identities: "kind:value" separated by ';' or whitespace. */
        if (c_ids >= 0) {
            char buf[2048];
            waras_strlcpy(buf, waras_csv_field(csv, c_ids), sizeof(buf));
            char *save = NULL;
            for (char *tok = strtok_r(buf, "; \t", &save); tok; tok = strtok_r(NULL, "; \t", &save)) {
                char *colon = strchr(tok, ':');
                if (!colon || colon == tok || !colon[1]) {
                    ROW_ERROR("identities", "'%s' is not kind:value", tok);
                    goto cleanup;
                }
                *colon = '\0';
                waras_str_lower(tok);
                if (!valid_identity_kind(tok)) {
                    ROW_ERROR("identities",
                              "unknown identity kind '%s' (expected email, git, pagerduty, "
                              "opsgenie, grafana, calendar or name)", tok);
                    goto cleanup;
                }
                if ((rc = waras_store_identity_put(st, p.id, tok, colon + 1)))
                    goto cleanup;
            }
        }
        res->rows++;
        res->added++;
    }
    if (rc < 0)
        goto cleanup;
    rc = 0;
    if (res->rows == 0)
        rc = waras_error_set(WARAS_EPARSE, path, 2, NULL, "no people in the file");
    /* Public holidays follow people into their new site or team, in the
     * same transaction: the recorded holiday sources are expanded again. */
    if (!rc)
        rc = waras_ingest__holidays_reexpand(res, st, f.source);
cleanup:
    for (size_t i = 0; i < nseen; i++)
        free(seen_ids[i]);
    free(seen_ids);
    waras_csv_free(csv);
    return waras_ingest__end(&f, rc);
}
