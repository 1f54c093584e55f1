/*
 * The network side of the service on libmicrohttpd: a pool of worker
 * threads (epoll where the library has it), explicit limits on
 * connections, idle time and body size, security headers on every answer,
 * one log line per request on stderr, and a graceful stop on SIGTERM or
 * SIGINT (the main thread waits for the signal; in-flight requests finish).
 * Everything between receiving a request and answering it is srv_handle().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

typedef struct conn_ctx {
    waras_buf body;
    int too_large;
    int upload; /* holds one of the SRV_MAX_UPLOADS upload slots */
    int busy;   /* an upload that found no free slot: its body is dropped */
    int trim;   /* a long request: give the heap's free pages back once answered */
    double started;
} conn_ctx;

/* Uploads held in memory now, across the worker threads. */
static atomic_int uploads_in_memory;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    srv_request *rq = cls;
    /* A %00 in the query decodes to a NUL that would cut the value short. */
    if ((key && strlen(key) != key_size) || (value && strlen(value) != value_size))
        rq->arg_nul = 1;
    if (rq->nargs == SRV_MAX_ARGS) {
        rq->too_many_args = 1;
        return MHD_NO;
    }
    rq->args[rq->nargs].key = key ? key : "";
    rq->args[rq->nargs].value = value ? value : "";
    rq->nargs++;
    return MHD_YES;
}

static enum MHD_Result log_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    (void)value;
    waras_buf *b = cls;
    /* Keys only: values may carry data (a person id, a date). */
    waras_buf_addc(b, b->len && strchr(b->ptr, '?') ? '&' : '?');
    for (const char *k = key ? key : ""; *k && k - key < 32; k++)
        waras_buf_addc(b, (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
                                  (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'
                              ? *k
                              : '?');
    waras_buf_addc(b, '=');
    return MHD_YES;
}

static void log_line(struct MHD_Connection *c, const char *method, const char *url, int status,
                     double ms)
{
    waras_buf b;
    waras_buf_init(&b, 1024);
    /* A calendar subscription's path is its secret: never logged. */
    if (strncmp(url, "/cal/", 5) == 0)
        url = "/cal/*";
    for (const char *p = url; *p && p - url < 200; p++)
        waras_buf_addc(&b, (*p > 32 && *p < 127) ? *p : '?');
    waras_buf_addc(&b, '\0');
    b.len--;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, log_arg, &b);
    waras_buf_addc(&b, '\0');
    char m[16];
    size_t i = 0;
    for (; method[i] && i < sizeof(m) - 1; i++)
        m[i] = (method[i] >= 'A' && method[i] <= 'Z') ? method[i] : '?';
    m[i] = '\0';
    fprintf(stderr, "%s %s %d %.0fms\n", m, b.ptr ? b.ptr : "", status, ms);
    waras_buf_free(&b);
}

/* The calling thread's CPU time in seconds: how much work a request did
 * (a request that waits, for a lock or another request's build, uses
 * none), to tell which requests to trim after. Not a clock for deadlines
 * or dates, which come from waras_clock_seconds() and waras_clock_now(). */
static double thread_cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    srv_app *app = cls;
    conn_ctx *cc = *con_cls;
    if (!cc) {
        cc = calloc(1, sizeof(*cc));
        if (!cc)
            return MHD_NO;
        /* Uploads have their own, larger limit, and only a few are held
         * in memory at once; a request with no credential at all keeps the
         * limit of other bodies, so that it cannot take those places. */
        long max = SRV_MAX_BODY;
        if (srv_is_upload_path(url) &&
            (header(c, MHD_HTTP_HEADER_AUTHORIZATION) || header(c, MHD_HTTP_HEADER_COOKIE))) {
            max = SRV_MAX_UPLOAD;
            if (atomic_fetch_add(&uploads_in_memory, 1) < SRV_MAX_UPLOADS)
                cc->upload = 1;
            else
                cc->busy = 1;
            if (!cc->upload)
                atomic_fetch_sub(&uploads_in_memory, 1);
        }
        waras_buf_init(&cc->body, (size_t)max);
        cc->started = waras_clock_seconds();
        *con_cls = cc;
        const char *len = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
        long n;
        if (len && (waras_parse_long(len, &n) || n < 0 || n > max))
            cc->too_large = 1;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cc->too_large && !cc->busy && waras_buf_add(&cc->body, upload_data, *upload_data_size))
            cc->too_large = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    srv_request rq = {0};
    char addr[INET6_ADDRSTRLEN] = "?";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof(addr));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof(addr));
    }
    rq.method = method;
    rq.path = url;
    rq.client_addr = addr;
    rq.cookie = header(c, MHD_HTTP_HEADER_COOKIE);
    rq.authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
    rq.content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    rq.csrf_header = header(c, "X-CSRF-Token");
    rq.forwarded_proto = header(c, "X-Forwarded-Proto");
    rq.host = header(c, "Host");
    rq.body = cc->body.ptr ? cc->body.ptr : "";
    rq.body_len = cc->body.len;
    rq.body_too_large = cc->too_large;
    rq.uploads_busy = cc->busy;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, &rq);
    if (strlen(url) > SRV_MAX_URL)
        rq.too_many_args = 1;

    srv_response rs;
    double cpu = thread_cpu_seconds();
    srv_handle(app, &rq, &rs);
    cc->trim = thread_cpu_seconds() - cpu >= SRV_TRIM_AFTER_S;
    /* For HEAD, libmicrohttpd sends the headers (Content-Length included)
     * and drops the body itself. */
    struct MHD_Response *r = MHD_create_response_from_buffer(rs.len, rs.body ? rs.body : (char *)"",
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r) {
        srv_response_free(&rs);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs.content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    int cache_set = 0;
    for (int i = 0; i < rs.nheaders; i++) {
        MHD_add_response_header(r, rs.headers[i][0], rs.headers[i][1]);
        cache_set |= strcmp(rs.headers[i][0], "Cache-Control") == 0;
    }
    if (!cache_set)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs.status, r);
    MHD_destroy_response(r);
    log_line(c, method, url, rs.status, 1000.0 * (waras_clock_seconds() - cc->started));
    /* The body may hold a password (sign-in); wipe before freeing. */
    if (cc->body.ptr)
        memset(cc->body.ptr, 0, cc->body.len);
    srv_response_free(&rs);
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    conn_ctx *cc = *con_cls;
    if (!cc)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        fprintf(stderr, "- request ended early (%s)\n",
                toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? "timeout" : "closed");
    if (cc->body.ptr)
        memset(cc->body.ptr, 0, cc->body.len);
    waras_buf_free(&cc->body);
    if (cc->upload)
        atomic_fetch_sub(&uploads_in_memory, 1);
    /* A request that worked long built something (a report, a plan, a
     * page over the store, a sign-in's hash) and freed it again, but glibc
     * keeps freed memory inside each worker thread's arena, so every
     * worker that ever built a report would hold several MiB it no longer
     * uses. malloc_trim(0) gives the free pages of every arena back; after
     * the answer was sent, so the client does not wait for it: about a
     * millisecond, after a request that used 20 ms of CPU or more
     * (docs/service.md "Memory"). */
    int trim = cc->trim;
    free(cc);
    *con_cls = NULL;
    if (trim)
        malloc_trim(0);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon = strrchr(s, ':');
    long port;
    if (!colon || (size_t)(colon - s) >= sizeof(host) || waras_parse_long(colon + 1, &port) ||
        port < 0 || port > 65535)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(ss, 0, sizeof(*ss));
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']')
            return -1;
        host[n - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return -1;
        *len = sizeof(*a6);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return -1;
        *len = sizeof(*a4);
    }
    return 0;
}

int srv_run(const char *db, const srv_options *o)
{
    const char *listen = o->listen;
    unsigned timeout = o->timeout ? o->timeout : SRV_TIMEOUT;
    unsigned per_address = o->per_address ? o->per_address : SRV_CONN_PER_IP;
    struct sockaddr_storage ss;
    socklen_t sslen;
    srv_app app = {.db = db};
    int rc = 0;
    if (parse_listen(listen, &ss, &sslen))
        return waras_error_set(WARAS_EINVAL, NULL, 0, "listen",
                               "'%s' is not ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", listen);
    /* A fixed mmap threshold: glibc raises it each time a large mmapped
     * block is freed (every sign-in's Argon2id hash frees 64 MiB), after
     * which report buffers of a few MiB stay in the worker threads' heap
     * arenas instead of going back to the system. With it fixed, blocks of
     * 1 MiB or more are always mapped and unmapped on their own; the rest
     * is given back by the malloc_trim after long requests (completed(),
     * docs/service.md "Memory"). */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if ((rc = waras_auth_limiter_new(&app.limiter)))
        return rc;
    if (srv_cache_new(&app.cache, db))
        app.cache = NULL; /* answers without the cache */
    /* Block the stop signals here, so that the worker threads (which
     * inherit the mask) never take them and this thread can wait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    else
        flags |= MHD_USE_POLL;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, answer, &app, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SRV_THREADS, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)SRV_CONN_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (!d) {
        rc = waras_error_set(WARAS_EIO, NULL, 0, "listen", "cannot listen on %s: %s", listen,
                             strerror(errno));
        goto cleanup;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char shown[INET6_ADDRSTRLEN + 2];
    waras_strlcpy(shown, listen, sizeof(shown));
    *strrchr(shown, ':') = '\0';
    fprintf(stderr,
            "waras serve: listening on http://%s:%u (store %s; idle timeout %u s, %u "
            "connections per address)\n",
            shown, info ? (unsigned)info->port : 0u, db, timeout, per_address);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "waras serve: %s, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_stop_daemon(d);
cleanup:
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    waras_auth_limiter_free(app.limiter);
    srv_cache_free(app.cache);
    return rc;
}
