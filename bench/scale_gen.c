/*
 * Generator of the organisation that bench/scale.sh ingests: N people in
 * teams of 50 over W weeks, written in the real input formats the CLI
 * reads (docs/formats.md, docs/paging.md), plus, for each input kind, the
 * rows that waras stores from it as a plain CSV (the reference the bench
 * imports into a bare table with sqlite3's .import and psql's \copy).
 *
 *   scale_gen --people N --weeks W --seed S --out DIR [--team T] [--git-teams G]
 *
 * DIR receives people.csv, timesheets.csv, meetings/tNNNN.ics (one calendar
 * export per team: a daily stand-up and a weekly planning as recurring
 * events, and four one-off meetings per person and week with four other
 * team members), pages.csv (a PagerDuty incidents CSV: a weekly primary
 * rotation per team, about six incidents a team-week at any hour),
 * git.fi (a 'git fast-import' stream of the commits of the first G teams
 * only, default 1: a repository of the whole organisation would take
 * longer to build than to ingest), and ref/{ics,pagerduty,git}.csv. The
 * timesheet's reference is timesheets.csv itself (one row, one event).
 *
 * Every person and team draws from a random stream seeded by (S, person)
 * or (S, team) alone, so --team T writes exactly the rows of team T that
 * the whole organisation has: a store built from them is the "team only"
 * store of the report benchmark. The weeks end on Monday 2026-11-30;
 * calendar times are UTC (a meeting keeps its UTC time across summer time).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEAM_SIZE 50
#define END_Y 2026
#define END_M 11
#define END_D 30

typedef struct site {
    const char *name, *zone;
    int offset_min; /* standard offset, for meeting times */
} site;

static const site sites[] = {
    {"berlin", "Europe/Berlin", 60},
    {"sf", "America/Los_Angeles", -480},
    {"jakarta", "Asia/Jakarta", 420},
    {"bangalore", "Asia/Kolkata", 330},
    {"nyc", "America/New_York", -300},
};
#define NSITES 5

/* splitmix64: small, fast and the same everywhere. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int below(rng *r, int n) { return (int)(next(r) % (uint64_t)n); }

static rng stream(uint64_t seed, uint64_t what, uint64_t who)
{
    rng r = {seed * 0x100000001b3ull ^ (what << 56) ^ who};
    next(&r);
    return r;
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "20261130T093000Z" (ics) */
static void ics_time(char *out, int64_t t)
{
    int y, m, d;
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400, s = t - day * 86400;
    civil_from_days(day, &y, &m, &d);
    sprintf(out, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, (int)(s / 3600), (int)(s / 60 % 60),
            (int)(s % 60));
}

/* "2026-11-30T09:30:00Z" (PagerDuty) */
static void iso_time(char *out, int64_t t)
{
    int y, m, d;
    int64_t day = t / 86400, s = t - day * 86400;
    civil_from_days(day, &y, &m, &d);
    sprintf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(s / 3600), (int)(s / 60 % 60),
            (int)(s % 60));
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "scale_gen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static void close_out(FILE *f)
{
    if (fclose(f) != 0) {
        fprintf(stderr, "scale_gen: write failed: %s\n", strerror(errno));
        exit(1);
    }
}

static const site *team_site(int team) { return &sites[team % NSITES]; }

/* A person's site: their team's, except one in seven who sits elsewhere. */
static const site *person_site(int p)
{
    int team = p / TEAM_SIZE;
    return p % 7 == 3 ? &sites[(team + 1 + p % 3) % NSITES] : team_site(team);
}

static int team_members(int team, int npeople)
{
    int n = npeople - team * TEAM_SIZE;
    return n > TEAM_SIZE ? TEAM_SIZE : n;
}

/* One meeting's reference rows: one per person it is stored for. */
static void ref_meeting(FILE *ref, const int *who, const char *const *status, int n,
                        const char *uid, int64_t s, int64_t e, int org, const char *summary,
                        int attendees)
{
    char ts[24];
    ics_time(ts, s);
    for (int i = 0; i < n; i++)
        fprintf(ref,
                "p%05d,meeting,%s,%lld,%lld,ics,%s|%s,\"{\"\"attendees\"\":%d,\"\"organizer\"\":"
                "\"\"p%05d@org.example\"\",\"\"summary\"\":\"\"%s\"\"}\"\n",
                who[i], status[i], (long long)s, (long long)e, uid, ts, attendees, org, summary);
}

static void write_team_ics(const char *dir, FILE *ref, int team, int npeople, int weeks,
                           int64_t day0, uint64_t seed)
{
    char name[64], ts[24], te[24];
    snprintf(name, sizeof(name), "meetings/t%04d.ics", team);
    FILE *f = open_out(dir, name);
    int n = team_members(team, npeople), base = team * TEAM_SIZE;
    const site *ts_site = team_site(team);
    int lead = base;
    int who[TEAM_SIZE];
    const char *status[TEAM_SIZE];
    fprintf(f, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//scale bench//EN\r\n"
               "X-WR-CALNAME:Team t%04d\r\n",
            team);
    /* The stand-up, 09:30 team time each weekday, and the planning,
     * Tuesdays 14:00, both recurring over the whole span. */
    for (int kind = 0; kind < 2; kind++) {
        int64_t s = day0 * 86400 + (kind ? 86400 + 14 * 3600 : 9 * 3600 + 1800) -
                    ts_site->offset_min * 60;
        int64_t len = kind ? 3600 : 900;
        const char *summary = kind ? "Planning" : "Stand-up";
        char uid[64];
        snprintf(uid, sizeof(uid), "%s-t%04d@org.example", kind ? "planning" : "standup", team);
        ics_time(ts, s);
        ics_time(te, s + len);
        fprintf(f,
                "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\n"
                "SUMMARY:%s\r\n",
                uid, ts, te, summary);
        if (kind)
            fprintf(f, "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=%d\r\n", weeks);
        else
            fprintf(f, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=%d\r\n", weeks * 5);
        fprintf(f, "ORGANIZER;CN=Person %d:mailto:p%05d@org.example\r\n", lead, lead);
        int k = 0;
        who[k] = lead;
        status[k++] = "accepted";
        for (int i = 1; i < n; i++) {
            int p = base + i, declined = (p * 7 + kind) % 23 == 0;
            fprintf(f, "ATTENDEE;CN=Person %d;PARTSTAT=%s:mailto:p%05d@org.example\r\n", p,
                    declined ? "DECLINED" : "ACCEPTED", p);
            who[k] = p;
            status[k++] = declined ? "declined" : "accepted";
        }
        fprintf(f, "END:VEVENT\r\n");
        for (int w = 0; w < weeks; w++)
            for (int d = 0; d < (kind ? 1 : 5); d++)
                ref_meeting(ref, who, status, k, uid,
                            s + (int64_t)(w * 7 + d) * 86400, s + (int64_t)(w * 7 + d) * 86400 + len,
                            lead, summary, n - 1);
    }
    /* Four one-off meetings a person organises each week, 30 or 60
     * minutes in the team's day, with four others of the team. */
    for (int i = 0; i < n; i++) {
        int p = base + i;
        rng r = stream(seed, 1, (uint64_t)p);
        for (int w = 0; w < weeks; w++)
            for (int m = 0; m < 4; m++) {
                int d = below(&r, 5), slot = below(&r, 16), len = below(&r, 2) ? 3600 : 1800;
                int64_t s = (day0 + w * 7 + d) * 86400 + 9 * 3600 + slot * 1800 -
                            ts_site->offset_min * 60;
                char uid[64];
                snprintf(uid, sizeof(uid), "m-p%05d-%d-%d@org.example", p, w, m);
                ics_time(ts, s);
                ics_time(te, s + len);
                fprintf(f,
                        "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:%s\r\n"
                        "DTEND:%s\r\nSUMMARY:Sync\r\nORGANIZER;CN=Person %d:mailto:p%05d@org.example\r\n",
                        uid, ts, te, p, p);
                int k = 0;
                who[k] = p;
                status[k++] = "accepted";
                for (int a = 0; a < 4 && n > 1; a++) {
                    int q = base + below(&r, n);
                    int dup = q == p;
                    for (int j = 0; j < k; j++)
                        dup |= who[j] == q;
                    if (dup)
                        continue;
                    int tent = below(&r, 10) == 0;
                    fprintf(f, "ATTENDEE;CN=Person %d;PARTSTAT=%s:mailto:p%05d@org.example\r\n", q,
                            tent ? "TENTATIVE" : "ACCEPTED", q);
                    who[k] = q;
                    status[k++] = tent ? "tentative" : "accepted";
                }
                fprintf(f, "END:VEVENT\r\n");
                ref_meeting(ref, who, status, k, uid, s, s + len, p, "Sync", k - 1);
            }
    }
    fprintf(f, "END:VCALENDAR\r\n");
    close_out(f);
}

static void write_timesheets(FILE *f, int p, int weeks, int64_t day0, uint64_t seed)
{
    rng r = stream(seed, 2, (uint64_t)p);
    int team = p / TEAM_SIZE;
    for (int w = 0; w < weeks; w++)
        for (int d = 0; d < 5; d++) {
            if (below(&r, 25) == 0)
                continue; /* a day off */
            int y, m, dd;
            civil_from_days(day0 + w * 7 + d, &y, &m, &dd);
            int s = 7 * 60 + 30 + 5 * below(&r, 31);
            int e = s + 7 * 60 + 15 * below(&r, 13);
            if (below(&r, 10) == 0)
                e = 20 * 60 + 5 * below(&r, 36); /* a late day */
            fprintf(f, "p%05d,%04d-%02d-%02d,%02d:%02d,%02d:%02d,proj%d\n", p, y, m, dd, s / 60,
                    s % 60, (e / 60) % 24, e % 60, team % 20);
        }
}

static void write_pages(FILE *f, FILE *ref, int team, int npeople, int weeks, int64_t day0,
                        uint64_t seed)
{
    rng r = stream(seed, 3, (uint64_t)team);
    int n = team_members(team, npeople), base = team * TEAM_SIZE;
    char created[32], ts[24];
    for (int w = 0; w < weeks; w++) {
        int primary = base + (w * 7) % n, k = below(&r, 13);
        for (int i = 0; i < k; i++) {
            int64_t t = (day0 + w * 7) * 86400 + (int64_t)below(&r, 7 * 86400);
            int acked = below(&r, 10) != 0, ack = 60 + below(&r, 840);
            int resolve = 600 + below(&r, 4 * 3600);
            int high = below(&r, 3) != 0;
            char id[24];
            snprintf(id, sizeof(id), "Q%04d%03d%02d", team, w, i);
            iso_time(created, t);
            fprintf(f, "%s,%d,Alert %d,svc-t%04d,%s,", id, team * 10000 + w * 20 + i, i, team,
                    created);
            if (acked)
                fprintf(f, "%d,%d,PU%05d,Person %d,", ack, resolve, primary, primary);
            else
                fprintf(f, ",%d,,,", resolve);
            fprintf(f, "PU%05d,Person %d,PU%05d,Person %d,%s\n", primary, primary, primary,
                    primary, high ? "high" : "low");
            /* Stored: the incident-level page, and the response. */
            ics_time(ts, t);
            fprintf(ref, "p%05d,page,,%lld,%lld,pagerduty,%s,\"{\"\"channel\"\":\"\"push\"\"}\"\n",
                    primary, (long long)t, (long long)t, id);
            fprintf(ref, "p%05d,incident,,%lld,%lld,pagerduty,%s,\"{\"\"id\"\":\"\"%s\"\"}\"\n",
                    primary, (long long)(t + (acked ? ack : 0)), (long long)(t + resolve), id, id);
        }
    }
}

/* Commits of one team's people, day by day: a fast-import stream. */
static void write_git(FILE *f, FILE *ref, int team, int npeople, int weeks, int64_t day0,
                      uint64_t seed, long *mark)
{
    int n = team_members(team, npeople), base = team * TEAM_SIZE;
    rng r = stream(seed, 4, (uint64_t)team);
    for (int64_t day = day0; day < day0 + weeks * 7; day++) {
        int weekend = (day - day0) % 7 >= 5;
        for (int i = 0; i < n; i++) {
            int p = base + i, k = weekend ? (below(&r, 8) == 0) : below(&r, 6);
            const site *st = person_site(p);
            for (int c = 0; c < k; c++) {
                int local = 8 * 3600 + below(&r, 11 * 3600);
                if (below(&r, 12) == 0)
                    local = 21 * 3600 + below(&r, 5 * 3600); /* late */
                int64_t t = day * 86400 + local - st->offset_min * 60;
                int off = st->offset_min, ao = off < 0 ? -off : off;
                char tz[16];
                snprintf(tz, sizeof(tz), "%c%02d%02d", off < 0 ? '-' : '+', ao / 60, ao % 60);
                ++*mark;
                fprintf(f,
                        "commit refs/heads/main\nmark :%ld\n"
                        "author Person %d <p%05d@org.example> %lld %s\n"
                        "committer Person %d <p%05d@org.example> %lld %s\n"
                        "data 12\nchange %05ld\n",
                        *mark, p, p, (long long)t, tz, p, p, (long long)t, tz, *mark % 100000);
                if (*mark > 1)
                    fprintf(f, "from :%ld\n", *mark - 1);
                fprintf(f, "\n");
                fprintf(ref, "p%05d,commit,,%lld,%lld,git,%040lx,%d\n", p, (long long)t,
                        (long long)t, *mark * 2654435761ul, off * 60);
            }
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: scale_gen --people N --weeks W --seed S --out DIR [--team T] "
                    "[--git-teams G]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int npeople = 500, weeks = 52, only = -1, git_teams = 1;
    uint64_t seed = 1;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--people") == 0)
            npeople = atoi(argv[++i]);
        else if (strcmp(argv[i], "--weeks") == 0)
            weeks = atoi(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--out") == 0)
            dir = argv[++i];
        else if (strcmp(argv[i], "--team") == 0)
            only = atoi(argv[++i]);
        else if (strcmp(argv[i], "--git-teams") == 0)
            git_teams = atoi(argv[++i]);
        else
            usage();
    }
    if (!dir || npeople < 1 || weeks < 1 || weeks > 520)
        usage();
    int nteams = (npeople + TEAM_SIZE - 1) / TEAM_SIZE;
    if (only >= nteams) {
        fprintf(stderr, "scale_gen: no team %d among %d\n", only, nteams);
        return 2;
    }
    char sub[4096];
    snprintf(sub, sizeof(sub), "%s/meetings", dir);
    mkdir(dir, 0777);
    mkdir(sub, 0777);
    snprintf(sub, sizeof(sub), "%s/ref", dir);
    mkdir(sub, 0777);
    int64_t day0 = days_from_civil(END_Y, END_M, END_D) - 7 * (int64_t)weeks; /* a Monday */
    int t0 = only >= 0 ? only : 0, t1 = only >= 0 ? only + 1 : nteams;

    FILE *f = open_out(dir, "people.csv");
    fprintf(f, "id,name,email,team,timezone,site,identities\n");
    for (int t = t0; t < t1; t++)
        for (int i = 0; i < team_members(t, npeople); i++) {
            int p = t * TEAM_SIZE + i;
            const site *s = person_site(p);
            fprintf(f, "p%05d,Person %d,p%05d@org.example,t%04d,%s,%s,pagerduty:PU%05d\n", p, p,
                    p, t, s->zone, s->name, p);
        }
    close_out(f);

    f = open_out(dir, "timesheets.csv");
    fprintf(f, "person,date,start,end,project\n");
    for (int t = t0; t < t1; t++)
        for (int i = 0; i < team_members(t, npeople); i++)
            write_timesheets(f, t * TEAM_SIZE + i, weeks, day0, seed);
    close_out(f);

    FILE *ref = open_out(dir, "ref/ics.csv");
    fprintf(ref, "person,kind,status,start,end,source_kind,source_key,attrs\n");
    for (int t = t0; t < t1; t++)
        write_team_ics(dir, ref, t, npeople, weeks, day0, seed);
    close_out(ref);

    f = open_out(dir, "pages.csv");
    ref = open_out(dir, "ref/pagerduty.csv");
    fprintf(f, "id,incident_number,description,service_name,created_on,seconds_to_first_ack,"
               "seconds_to_resolve,acknowledged_by_user_ids,acknowledged_by_user_names,"
               "assigned_to_user_ids,assigned_to_user_names,resolved_by_user_id,"
               "resolved_by_user_name,urgency\n");
    fprintf(ref, "person,kind,status,start,end,source_kind,source_key,attrs\n");
    for (int t = t0; t < t1; t++)
        write_pages(f, ref, t, npeople, weeks, day0, seed);
    close_out(f);
    close_out(ref);

    f = open_out(dir, "git.fi");
    ref = open_out(dir, "ref/git.csv");
    fprintf(ref, "person,kind,status,start,end,source_kind,source_key,utc_offset\n");
    long mark = 0;
    for (int t = t0; t < t1; t++)
        if (t < git_teams)
            write_git(f, ref, t, npeople, weeks, day0, seed, &mark);
    close_out(f);
    close_out(ref);
    return 0;
}
