/*
 * The per-thread error slot behind waras_error_set() and waras_error_last().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "waras/error.h"

static _Thread_local waras_error last_error;

const waras_error *waras_error_last(void)
{
    return &last_error;
}

void waras_error_clear(void)
{
    memset(&last_error, 0, sizeof(last_error));
}

int waras_error_set(int code, const char *file, long line, const char *field, const char *fmt, ...)
{
    va_list ap;
    waras_error e = {0};
    e.code = code;
    if (file)
        snprintf(e.file, sizeof(e.file), "%s", file);
    e.line = line;
    if (field)
        snprintf(e.field, sizeof(e.field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof(e.message), fmt, ap);
    va_end(ap);
    last_error = e;
    return code;
}

void waras_error_format(char *buf, size_t size)
{
    const waras_error *e = &last_error;
    size_t n = 0;
    if (!size)
        return;
    buf[0] = '\0';
#define APPEND(...)                                                                                \
    do {                                                                                           \
        int w_ = snprintf(buf + n, size - n, __VA_ARGS__);                                         \
        if (w_ > 0)                                                                                \
            n += (size_t)w_ < size - n ? (size_t)w_ : size - n - 1;                                \
    } while (0)
    if (e->file[0]) {
        APPEND("%s", e->file);
        if (e->line > 0)
            APPEND(":%ld", e->line);
        APPEND(": ");
    }
    if (e->field[0])
        APPEND("%s: ", e->field);
    APPEND("%s", e->message[0] ? e->message : "unknown error");
#undef APPEND
}
