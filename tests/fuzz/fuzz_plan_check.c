/*
 * Fuzz target for `waras check --plan FILE`: a rota (a waras plan as JSON or
 * ICS, or a PagerDuty schedule JSON) read and checked against a preset. The
 * first byte picks the preset; the rest is the file, matched to the scratch
 * store's people by id, e-mail, PagerDuty id or name. Errors are fine;
 * crashes, leaks and UB are not.
 */
#include "scratch_store.h"
#include "waras/check.h"
#include "waras/error.h"

static const char *preset;

static int check(waras_ingest_result *res, waras_store *st, const char *path)
{
    waras_check_result r;
    int rc = waras_check_plan_file(&r, st, path, preset);
    if (rc == 0)
        waras_check_result_free(&r);
    waras_error_clear();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const presets[] = {"sre", "eu-wtd", "id-pp35", "who-55"};
    if (!size)
        return 0;
    preset = presets[data[0] % 4];
    fuzz_ingest(data + 1, size - 1, "in.json", check);
    return 0;
}
