/*
 * Errors are values with words. Every library function returns 0 on success
 * or a negative WARAS_E* code; the message that explains it (which file, which
 * line, which field, what was expected) sits in a per-thread slot that the
 * caller reads with waras_error_last(). The library never prints or exits.
 */
#ifndef WARAS_ERROR_H
#define WARAS_ERROR_H

#include <stddef.h>

enum {
    WARAS_OK = 0,
    WARAS_ERROR = -1,    /* generic failure */
    WARAS_ENOMEM = -2,   /* out of memory */
    WARAS_EIO = -3,      /* file could not be read or written */
    WARAS_EPARSE = -4,   /* malformed input: file, line and field are set */
    WARAS_EINVAL = -5,   /* bad argument or value */
    WARAS_ENOTFOUND = -6,/* a named thing does not exist */
    WARAS_ESTORE = -7,   /* database error */
    WARAS_EEXISTS = -8,  /* already there (e.g. identical source re-ingested) */
    WARAS_ELIMIT = -9,   /* a size cap was hit */
    WARAS_EDENIED = -10, /* the access rule does not show it to the asker */
};

typedef struct waras_error {
    int code;
    char file[512]; /* input file the error is about, or "" */
    long line;      /* 1-based line in that file, or 0 */
    char field[64]; /* column or property name, or "" */
    char message[1024];
} waras_error;

/* The last error set on this thread; never NULL. Valid until the next call
 * that sets an error. */
const waras_error *waras_error_last(void);

/* Clears this thread's error slot. */
void waras_error_clear(void);

/* Sets the slot and returns code, so that `return waras_error_set(...)` reads
 * naturally. file/field may be NULL. */
int waras_error_set(int code, const char *file, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Shorthand for errors that are not about a place in a file. */
#define waras_error_msg(code, ...) waras_error_set((code), NULL, 0, NULL, __VA_ARGS__)

/* Formats the last error as "file:line: field: message" into buf. */
void waras_error_format(char *buf, size_t size);

#endif
