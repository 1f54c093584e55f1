/*
 * Fuzz target for the PagerDuty incidents CSV, ingested as a file into a
 * scratch store the way the CLI does it (the adapter tells CSV from JSON by
 * content, and a .csv name keeps the path realistic). Errors are fine;
 * crashes, leaks and UB are not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.csv", waras_ingest_pagerduty);
    return 0;
}
