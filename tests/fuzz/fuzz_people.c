/*
 * Fuzz target for the people, timesheet and leave CSV ingest: the first byte
 * picks the adapter, the rest is the file, ingested into a scratch store the
 * way the CLI does it. Errors are fine; crashes, leaks and UB are not.
 */
#include "scratch_store.h"

static int leave_csv(waras_ingest_result *res, waras_store *st, const char *path)
{
    return waras_ingest_leave(res, st, path, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_ingest_fn adapters[3] = {waras_ingest_timesheet, leave_csv,
                                               waras_ingest_people};
    if (!size)
        return 0;
    fuzz_ingest(data + 1, size - 1, "in.csv", adapters[data[0] % 3]);
    return 0;
}
