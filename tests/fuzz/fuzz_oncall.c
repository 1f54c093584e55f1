/*
 * Fuzz target for the on-call iCalendar ingest (PagerDuty, Opsgenie and
 * Grafana OnCall feeds): the input is ingested as a file into a scratch
 * store whose people carry e-mail, PagerDuty and Opsgenie identities, so
 * that attendee and summary matching and the expansion window derived from
 * the file's own dates see it. Errors are fine; crashes, leaks and UB are
 * not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.ics", waras_ingest_oncall_ics);
    return 0;
}
