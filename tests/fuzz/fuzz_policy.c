/*
 * Fuzz target for the risk policy file (`--risk-policy FILE`, JSON,
 * docs/policy.md): any bytes are loaded over the defaults and, when they
 * load, written back out as JSON. Errors are fine; crashes, leaks and UB
 * are not.
 */
#include "scratch_store.h"
#include "waras/error.h"
#include "waras/risk.h"

static int load(waras_ingest_result *res, waras_store *st, const char *path)
{
    waras_policy p;
    waras_policy_default(&p);
    int rc = waras_policy_load(&p, path);
    if (rc == 0)
        free(waras_policy_dump(&p));
    waras_error_clear();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest(data, size, "in.json", load);
    return 0;
}
