/*
 * Fuzz target for the PagerDuty ingest fed with REST API JSON (incidents,
 * log entries, schedules, on-calls), ingested as a file into a scratch store
 * the way the CLI does it. Errors are fine; crashes, leaks and UB are not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.json", waras_ingest_pagerduty);
    return 0;
}
