/*
 * What the JSON schedule and alert adapters (Grafana OnCall, Opsgenie
 * alerts and schedule timelines) share around the paging plumbing of
 * pagerduty.c: the file's ingest begun with the paging context ready and
 * the export read as JSON (UTF-8, after an optional BOM), and one on-call
 * shift stored for the user it names, an unmapped user being counted
 * rather than failing the file.
 */
#include <string.h>

#include <jansson.h>

#include "ingest/paging_internal.h"
#include "waras/error.h"

int waras_ingest__paging_begin(json_t **root, ingest_file *f, paging_ctx *c, waras_store *st,
                               const char *path, waras_ingest_result *res,
                               const char *source_kind, const char *id_kind, const char *tool)
{
    json_error_t err;
    *root = NULL;
    int rc = waras_ingest__begin(f, st, source_kind, path, res);
    if (rc || res->already || (rc = waras_ingest__paging_init(c, f, source_kind, id_kind, tool)))
        return rc;
    if (f->len >= 2 && (memcmp(f->data, "\xFF\xFE", 2) == 0 || memcmp(f->data, "\xFE\xFF", 2) == 0))
        return waras_error_set(WARAS_EPARSE, path, 1, NULL, "the file is UTF-16; save it as UTF-8");
    size_t bom = f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    *root = json_loadb(f->data + bom, f->len - bom, JSON_REJECT_DUPLICATES, &err);
    if (!*root)
        return waras_error_set(WARAS_EPARSE, path, err.line > 0 ? err.line : 0, NULL,
                               "invalid JSON (column %d): %s", err.column, err.text);
    return 0;
}

int waras_ingest__paging_shift(paging_ctx *c, const char *id, const char *email, const char *name,
                               waras_instant start, waras_instant end, const char *key,
                               const char *attrs)
{
    char person[WARAS_PERSON_ID_MAX];
    int rc = waras_ingest__paging_who(c, id, email, name, 0, person);
    if (rc == 0)
        rc = waras_ingest__paging_put(c, person, "shift", start, end, key, attrs);
    if (rc == WARAS_ENOTFOUND)
        rc = 0; /* counted as unmapped */
    return rc;
}
