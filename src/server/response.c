/*
 * What every handler uses to read a request and build its answer: query
 * arguments, the report range of a request, bodies, headers, JSON errors
 * in the API's one shape, and HTML escaping. Shared by the router and the
 * handlers, and calling neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/time.h"

void srv_response_free(srv_response *rs)
{
    free(rs->body);
    rs->body = NULL;
}

void srv_set_body(srv_response *rs, int status, const char *type, char *body)
{
    free(rs->body);
    rs->status = status;
    rs->content_type = type;
    rs->body = body;
    rs->len = body ? strlen(body) : 0;
    if (!body) {
        rs->status = 500;
        rs->content_type = "text/plain; charset=utf-8";
    }
}

void srv_add_header(srv_response *rs, const char *name, const char *value)
{
    if (rs->nheaders == SRV_MAX_HEADERS)
        return;
    waras_strlcpy(rs->headers[rs->nheaders][0], name, sizeof(rs->headers[0][0]));
    waras_strlcpy(rs->headers[rs->nheaders][1], value, sizeof(rs->headers[0][1]));
    rs->nheaders++;
}

void srv_json_error(srv_response *rs, int status, const char *code, const char *field,
                    const char *message)
{
    json_t *o =
        json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message", message, "field", field);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (s) {
        /* json_dumps memory comes from malloc: freed with free(). */
        size_t n = strlen(s);
        char *t = malloc(n + 2);
        if (t) {
            memcpy(t, s, n);
            t[n] = '\n';
            t[n + 1] = '\0';
        }
        free(s);
        s = t;
    }
    srv_set_body(rs, status, "application/json", s);
}

const char *srv_arg(const srv_request *rq, const char *key)
{
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, key) == 0)
            return rq->args[i].value;
    return NULL;
}

char *srv_html_escape(const char *s)
{
    waras_buf b;
    waras_buf_init(&b, 1 << 20);
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '<':
            rc = waras_buf_add(&b, "&lt;", 4);
            break;
        case '>':
            rc = waras_buf_add(&b, "&gt;", 4);
            break;
        case '&':
            rc = waras_buf_add(&b, "&amp;", 5);
            break;
        case '"':
            rc = waras_buf_add(&b, "&quot;", 6);
            break;
        case '\'':
            rc = waras_buf_add(&b, "&#39;", 5);
            break;
        default:
            rc = waras_buf_addc(&b, *s);
        }
        if (rc) {
            waras_buf_free(&b);
            return NULL;
        }
    }
    if (waras_buf_addc(&b, '\0')) {
        waras_buf_free(&b);
        return NULL;
    }
    return waras_buf_detach(&b);
}

int srv_report_range(waras_date *first_monday, waras_date *last_monday, long weeks, const char *to)
{
    waras_civil now;
    waras_epoch_to_civil(&now, waras_clock_now());
    waras_date today = {now.year, now.month, now.day};
    if (to && waras_date_parse(&today, to))
        return WARAS_EINVAL;
    *last_monday = waras_date_add(waras_date_monday(today), -7);
    *first_monday = waras_date_add(*last_monday, -7 * (weeks - 1));
    return 0;
}
