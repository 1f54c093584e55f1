/*
 * Fuzz target for the Grafana OnCall final_shifts ingest: the input is
 * ingested as a file into a scratch store, the way the CLI does it. Errors
 * are fine; crashes, leaks and UB are not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.json", waras_ingest_grafana_oncall);
    return 0;
}
