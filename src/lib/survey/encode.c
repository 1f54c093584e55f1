/*
 * How a survey response is written in the store: its scores as a JSON
 * object by scale name and its answers as a JSON array (null for an
 * unanswered item), and the scores read back. Shared by the ingested
 * responses (responses.c) and the responses given in a round (rounds.c).
 */
#include <stdlib.h>

#include <jansson.h>

#include "survey/survey_int.h"
#include "waras/error.h"
#include "waras/survey.h"

static const char *const scale_names[WARAS_CBI_SCALES] = {"personal", "work", "client"};

int waras_survey__json(char **scores, char **answers_out, const waras_cbi_scores *sc,
                       const int answers[WARAS_CBI_ITEMS])
{
    json_t *ja = json_array(), *js = json_object();
    for (int i = 0; ja && i < WARAS_CBI_ITEMS; i++)
        json_array_append_new(ja, answers[i] < 0 ? json_null() : json_integer(answers[i]));
    for (int s = 0; js && s < WARAS_CBI_SCALES; s++)
        json_object_set_new(js, scale_names[s],
                            sc->scale[s] < 0 ? json_null() : json_real(sc->scale[s]));
    char *ta = ja ? json_dumps(ja, JSON_COMPACT) : NULL;
    char *ts = js ? json_dumps(js, JSON_COMPACT) : NULL;
    json_decref(ja);
    json_decref(js);
    if (!ta || !ts) {
        free(ta);
        free(ts);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    *scores = ts;
    *answers_out = ta;
    return 0;
}

void waras_survey__scores_parse(waras_cbi_scores *out, const char *json)
{
    json_t *sc = json ? json_loads(json, 0, NULL) : NULL;
    for (int s = 0; s < WARAS_CBI_SCALES; s++) {
        json_t *v = json_object_get(sc, scale_names[s]);
        out->scale[s] = json_is_number(v) ? json_number_value(v) : -1;
    }
    json_decref(sc);
}
