/*
 * clock_ahead.so: the wall clock of every process it is preloaded into, and
 * of their children, moved ahead by BOOKING_CLOCK_AHEAD_SECONDS; dev/test's
 * clock-ahead suite starts PostgreSQL servers with it (LD_PRELOAD), so that
 * now(), clock_timestamp(), the backends', the expiry worker's and every
 * other process's idea of the date is years ahead of the machine's.
 *
 *   cc -shared -fPIC -O2 -o clock_ahead.so test/clock/clock_ahead.c -ldl
 *
 * It replaces clock_gettime (the realtime clocks only: the monotonic ones,
 * which time durations, stay as they are), gettimeofday and time, adding a
 * constant read once when the library is loaded. It holds no other state, so
 * a process forked at any moment (PostgreSQL 15's postmaster starts
 * background workers from its signal handlers) or a signal handler reading
 * the clock (timeouts) sees the same moved clock. Debian's libfaketime 0.9.10
 * does not: it returns the real time while a thread waits in select() or
 * epoll_wait(), so a timeout's SIGALRM handler reads the real clock and
 * re-arms itself for years, and a worker forked there never sees the faked
 * one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

static clock_gettime_fn real_clock_gettime;
static long long ahead_seconds;

__attribute__((constructor)) static void clock_ahead_init(void)
{
    const char *ahead = getenv("BOOKING_CLOCK_AHEAD_SECONDS");

    real_clock_gettime = (clock_gettime_fn) dlsym(RTLD_NEXT, "clock_gettime");
    ahead_seconds = ahead != NULL ? strtoll(ahead, NULL, 10) : 0;
}

static int moved(clockid_t clock)
{
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_TAI;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    int result;

    if (real_clock_gettime == NULL)
        clock_ahead_init();
    result = real_clock_gettime(clock, ts);
    if (result == 0 && moved(clock))
        ts->tv_sec += ahead_seconds;
    return result;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct timespec ts;

    (void) tz;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return -1;
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}

time_t time(time_t *out)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (time_t) -1;
    if (out != NULL)
        *out = ts.tv_sec;
    return ts.tv_sec;
}
