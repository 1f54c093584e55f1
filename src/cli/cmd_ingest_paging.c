/*
 * waras ingest pagerduty|opsgenie|oncall|opsgenie-schedule|grafana-oncall
 * FILE...: paging and on-call exports into the store. Each file is one transaction; the first bad file
 * stops the run with its error, and the files before it stay ingested.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ingest_print.h"
#include "waras/ingest.h"
#include "waras/store.h"

static void help(const char *what)
{
    printf("usage: waras [--db PATH] ingest %s FILE...\n\n", what);
    if (strcmp(what, "pagerduty") == 0)
        printf("PagerDuty exports: the incidents CSV of the advanced report, or JSON saved\n"
               "from the REST API ({\"incidents\":[...]}, {\"log_entries\":[...]},\n"
               "{\"oncalls\":[...]} or a {\"schedule\":{...}} with its\n"
               "final_schedule.rendered_schedule_entries).\n"
               "Notifications in log entries become pages; without them each assigned\n"
               "user gets one push page at the incident's creation. Users map to people\n"
               "by pagerduty:ID identity, e-mail or name.\n");
    else if (strcmp(what, "opsgenie") == 0)
        printf("Opsgenie alert JSON: a list of alerts, or {\"data\":[...]} as the Alert API\n"
               "returns it. Owners, acknowledgers, closers and user responders map to\n"
               "people by opsgenie:USERNAME identity, e-mail or name.\n");
    else if (strcmp(what, "opsgenie-schedule") == 0)
        printf("An Opsgenie schedule timeline, as GET /v2/schedules/{id}/timeline returns\n"
               "it: every period of data.finalTimeline.rotations[] whose recipient is a\n"
               "user becomes an on-call shift. Users map to people by opsgenie:USERNAME\n"
               "identity, e-mail or name; team and escalation recipients are counted.\n");
    else if (strcmp(what, "grafana-oncall") == 0)
        printf("Grafana OnCall final shifts, as GET /api/v1/schedules/{id}/final_shifts\n"
               "returns them ({\"results\":[...]}, a list of such pages, or a list of\n"
               "shifts): each shift_start..shift_end becomes an on-call shift of its user,\n"
               "mapped by grafana:USER_PK identity, user_email or user_username as a name.\n"
               "Its iCal export goes through 'waras ingest oncall'.\n");
    else
        printf("On-call shifts from an iCalendar export (PagerDuty, Opsgenie, Grafana\n"
               "OnCall). Each event is a shift of the person named by an ATTENDEE e-mail\n"
               "or by its SUMMARY (\"On call: Ana Putri\", \"Ana Putri - Primary\").\n");
    printf("\nEach file is all-or-nothing; the same content twice is a no-op, and\n"
           "overlapping exports of the same incidents add nothing. See docs/paging.md.\n");
}

/* One run over paging exports: the source kind and whether to print. */
typedef struct paging_run {
    const char *what;
    int quiet;
} paging_run;

/* One export file, as cli_ingest_files calls it. */
static int ingest_one(void *self, waras_store *st, const char *path)
{
    const paging_run *run = self;
    const char *what = run->what;
    waras_ingest_result r;
    int rc;
    if (strcmp(what, "pagerduty") == 0)
        rc = waras_ingest_pagerduty(&r, st, path);
    else if (strcmp(what, "opsgenie") == 0)
        rc = waras_ingest_opsgenie(&r, st, path);
    else if (strcmp(what, "opsgenie-schedule") == 0)
        rc = waras_ingest_opsgenie_schedule(&r, st, path);
    else if (strcmp(what, "grafana-oncall") == 0)
        rc = waras_ingest_grafana_oncall(&r, st, path);
    else
        rc = waras_ingest_oncall_ics(&r, st, path);
    if (!rc)
        cli_print_ingest(strcmp(what, "oncall") == 0 ? "ics" : what, path, &r, run->quiet);
    return rc;
}

int cmd_ingest_paging(cli_ctx *ctx, int argc, char **argv)
{
    const char *what = argc >= 2 ? argv[1] : "";
    if (strcmp(what, "pagerduty") && strcmp(what, "opsgenie") && strcmp(what, "oncall") &&
        strcmp(what, "opsgenie-schedule") && strcmp(what, "grafana-oncall"))
        return cli_usage_error("ingest", "unknown source kind '%s'", what);
    if (cli_wants_help(argc, argv)) {
        help(what);
        return EXIT_OK;
    }
    int first = 2;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    else
        for (int i = first; i < argc; i++)
            if (argv[i][0] == '-' && argv[i][1])
                return cli_usage_error("ingest", "unknown option '%s'", argv[i]);
    if (first >= argc)
        return cli_usage_error("ingest", "no files given");
    paging_run run = {what, ctx->quiet};
    return cli_ingest_files(ctx, argv + first, argc - first, ingest_one, &run);
}
