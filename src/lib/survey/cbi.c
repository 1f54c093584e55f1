/*
 * Scoring of the Copenhagen Burnout Inventory: the items, reading an answer,
 * the three scale scores, and the levels derived from them. This is the one
 * place the scoring rules live (docs/survey.md "Scoring"); the ingest, the
 * report and the tests all call it.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"
#include "waras/survey.h"

static const char *const items[WARAS_CBI_ITEMS] = {
    "How often do you feel tired?",
    "How often are you physically exhausted?",
    "How often are you emotionally exhausted?",
    "How often do you think: \"I can't take it anymore\"?",
    "How often do you feel worn out?",
    "How often do you feel weak and susceptible to illness?",
    "Is your work emotionally exhausting?",
    "Do you feel burnt out because of your work?",
    "Does your work frustrate you?",
    "Do you feel worn out at the end of the working day?",
    "Are you exhausted in the morning at the thought of another day at work?",
    "Do you feel that every working hour is tiring for you?",
    "Do you have enough energy for family and friends during leisure time?",
    "Do you find it hard to work with clients?",
    "Do you find it frustrating to work with clients?",
    "Does it drain your energy to work with clients?",
    "Do you feel that you give more than you get back when you work with clients?",
    "Are you tired of working with clients?",
    "Do you sometimes wonder how long you will be able to continue working with clients?",
};

/* The reverse-scored item: energy for family and friends (q13, the last
 * work-related item), where "Always" is the good answer. */
#define CBI_REVERSED 13

/* The first item of each scale (1-based), and one past the last. */
static const int scale_first[WARAS_CBI_SCALES + 1] = {1, 7, 14, 20};

const char *waras_cbi_item(int item)
{
    return item >= 1 && item <= WARAS_CBI_ITEMS ? items[item - 1] : "";
}

int waras_cbi_score(waras_cbi_scores *out, const int answers[WARAS_CBI_ITEMS])
{
    for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
        int a = answers[i];
        if (a != -1 && (a < 0 || a > 100 || a % 25))
            return waras_error_set(WARAS_EINVAL, NULL, 0, "q", "q%d: %d is not an answer "
                                   "(0, 25, 50, 75 or 100; -1 for none)", i + 1, a);
    }
    waras_cbi_scores sc;
    for (int s = 0; s < WARAS_CBI_SCALES; s++) {
        int n = 0, total = scale_first[s + 1] - scale_first[s];
        double sum = 0;
        for (int i = scale_first[s]; i < scale_first[s + 1]; i++) {
            int a = answers[i - 1];
            if (a < 0)
                continue;
            sum += i == CBI_REVERSED ? 100 - a : a;
            n++;
        }
        /* Kristensen et al.: a scale needs at least half its items. */
        sc.scale[s] = n > 0 && n * 2 >= total ? sum / n : -1;
    }
    *out = sc;
    return 0;
}

int waras_cbi_is_high(double score)
{
    return score >= WARAS_CBI_HIGH;
}

int waras_cbi_parse_answer(int *out, const char *text)
{
    static const struct {
        const char *text;
        int value;
    } words[] = {
        {"always", 100}, {"often", 75}, {"sometimes", 50}, {"seldom", 25},
        {"never/almost never", 0}, {"never", 0}, {"almost never", 0},
        {"to a very high degree", 100}, {"to a high degree", 75}, {"somewhat", 50},
        {"to a low degree", 25}, {"to a very low degree", 0},
    };
    while (isspace((unsigned char)*text))
        text++;
    if (!*text) {
        *out = -1;
        return 0;
    }
    long v;
    if (waras_parse_long(text, &v) == 0) {
        if (v < 0 || v > 100 || v % 25)
            return WARAS_EINVAL;
        *out = (int)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (waras_strcaseeq(text, words[i].text)) {
            *out = words[i].value;
            return 0;
        }
    }
    return WARAS_EINVAL;
}

const char *waras_cbi_level(const waras_cbi_scores *s)
{
    double v = s->scale[WARAS_CBI_PERSONAL];
    if (s->scale[WARAS_CBI_WORK] > v)
        v = s->scale[WARAS_CBI_WORK];
    if (v < 0)
        return NULL;
    return v >= 75 ? "critical" : waras_cbi_is_high(v) ? "high" : v >= 25 ? "moderate" : "low";
}

const char *waras_cbi_raise_level(const char *level, const waras_cbi_scores *s)
{
    if (!waras_cbi_is_high(s->scale[WARAS_CBI_WORK]) &&
        !waras_cbi_is_high(s->scale[WARAS_CBI_PERSONAL]))
        return level;
    if (level && (strcmp(level, "high") == 0 || strcmp(level, "critical") == 0))
        return level;
    return "high";
}
