/*
 * Fuzz target for the Opsgenie schedule timeline ingest: the input is
 * ingested as a file into a scratch store whose people carry Opsgenie
 * identities, the way the CLI does it. Errors are fine; crashes, leaks and
 * UB are not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.json", waras_ingest_opsgenie_schedule);
    return 0;
}
