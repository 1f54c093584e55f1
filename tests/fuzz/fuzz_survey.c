/*
 * Fuzz target for the survey CSV ingest (team,person,date,q1..q19): the
 * input is ingested as a file into a scratch store the way the CLI does it,
 * so that the CSV reader, the answer parser and the survey module's scoring
 * and storing all see it. Errors are fine; crashes, leaks and UB are not.
 */
#include "scratch_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.csv", waras_ingest_survey);
    return 0;
}
