/*
 * A main() for the fuzz targets without libFuzzer: feeds every file named on
 * the command line (a directory: each regular file in it, in name order) to
 * the target's LLVMFuzzerTestOneInput once, so that the plain build and the
 * sanitizer build both replay the seed corpus and the regression inputs
 * (tests/fuzz/regress/TARGET/). A missing directory is nothing to replay; an
 * input that crashes, aborts or (under ASan) leaks fails the run, and so does
 * one that spends more CPU time than the campaign's -timeout (bench/fuzz.sh,
 * 30 s): the slow inputs a campaign found stay fast. The summary names the
 * slowest input.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* CPU seconds one input may take, as bench/fuzz.sh's -timeout. */
#define CPU_LIMIT 30
#define STR_(x) #x
#define STR(x) STR_(x)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current;  /* the input being run, for the CPU timer */
static double slowest_s;
static char slowest[4096];

static void on_cpu_limit(int sig)
{
    (void)sig;
    static const char a[] = "replay: ", b[] = ": more than " STR(CPU_LIMIT) " s of CPU time"
                                              " (the campaign's timeout): a slow input\n";
    if (write(2, a, sizeof(a) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
        write(2, b, sizeof(b) - 1) < 0)
        _exit(1);
    _exit(1);
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 1;
    }
    /* Announced before the run, so that a crash names its input. */
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* A copy of exactly len bytes, so that ASan sees reads past the end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    struct itimerval limit = {.it_value = {.tv_sec = CPU_LIMIT}}, off = {0};
    current = path;
    double t0 = cpu_now();
    setitimer(ITIMER_PROF, &limit, NULL);
    LLVMFuzzerTestOneInput(exact, len);
    setitimer(ITIMER_PROF, &off, NULL);
    double used = cpu_now() - t0;
    if (used > slowest_s) {
        slowest_s = used;
        snprintf(slowest, sizeof(slowest), "%s", path);
    }
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, long *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*p));
            if (!p)
                abort();
            names = p;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len)))
            abort();
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            bad |= replay_file(names[i]);
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    long count = 0;
    int bad = 0;
    signal(SIGPROF, on_cpu_limit);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            bad |= replay_dir(argv[i], &count);
        } else {
            bad |= replay_file(argv[i]);
            count++;
        }
    }
    printf("replay: %ld input%s run%s", count, count == 1 ? "" : "s", bad ? ", FAILED" : "");
    if (count)
        printf("; the slowest %.2f s of CPU (%s)", slowest_s, slowest);
    printf("\n");
    return bad;
}
