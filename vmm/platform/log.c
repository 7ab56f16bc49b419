// SPDX-License-Identifier: GPL-2.0
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum log_level log_level = LOG_INFO;

static FILE *log_out;  /* NULL: stderr */
static bool log_stamped; /* --log-file: wall-clock time and pid first */
static struct timespec log_t0;

static const char *const level_names[] = {
	[LOG_ERROR] = "error", [LOG_WARNING] = "warning", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

void log__start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
}

bool log__parse_level(const char *name, enum log_level *level)
{
	for (unsigned i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcmp(name, level_names[i])) {
			*level = i;
			return true;
		}
	}
	return false;
}

FILE *log__sink(void)
{
	return log_out ? log_out : stderr;
}

FILE *log__set_sink(FILE *f)
{
	FILE *old = log__sink();

	log_out = f;
	return old;
}

int log__open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "a");
	if (!f) {
		int err = errno;

		close(fd);
		return -err;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	log_out = f;
	log_stamped = true;
	return 0;
}

/* "2026-12-02T17:05:09.123456Z pcivmm[1234]: " for a log file. */
static int stamp(char *buf, size_t size)
{
	struct timespec now;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	return (int)n + snprintf(buf + n, size - n, ".%06ldZ pcivmm[%d]: ", now.tv_nsec / 1000,
				 (int)getpid());
}

static void log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (level > log_level)
		return;
	n = log_stamped ? stamp(line, sizeof(line)) : snprintf(line, sizeof(line), "pcivmm: ");
	switch (level) {
	case LOG_ERROR:
	case LOG_WARNING:
		n += snprintf(line + n, sizeof(line) - n, "%s: ", level_names[level]);
		break;
	case LOG_INFO:
		break;
	case LOG_DEBUG: {
		struct timespec now;
		long long us;

		clock_gettime(CLOCK_MONOTONIC, &now);
		us = (now.tv_sec - log_t0.tv_sec) * 1000000LL + (now.tv_nsec - log_t0.tv_nsec) / 1000;
		n += snprintf(line + n, sizeof(line) - n, "+%lld.%06lld debug: ", us / 1000000,
			      us % 1000000);
		break;
	}
	}
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/* One fputs of the whole line: lines from different threads never interleave. */
	n = strlen(line);
	if (n < (int)sizeof(line) - 1) {
		line[n] = '\n';
		line[n + 1] = '\0';
	} else {
		line[sizeof(line) - 2] = '\n';
	}
	fputs(line, log__sink());
}

void log__write(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

static pthread_mutex_t ratelimit_lock = PTHREAD_MUTEX_INITIALIZER;

bool log__ratelimit(struct log_ratelimit *rs)
{
	struct timespec now;
	long long ms;
	unsigned dropped = 0;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = now.tv_sec * 1000LL + now.tv_nsec / 1000000 + 1; /* never 0 */
	pthread_mutex_lock(&ratelimit_lock);
	if (!rs->begin_ms || ms - rs->begin_ms >= LOG_RATELIMIT_INTERVAL_S * 1000LL) {
		dropped = rs->dropped;
		rs->begin_ms = ms;
		rs->printed = rs->dropped = 0;
	}
	ok = rs->printed < LOG_RATELIMIT_BURST;
	if (ok)
		rs->printed++;
	else
		rs->dropped++;
	pthread_mutex_unlock(&ratelimit_lock);
	if (dropped)
		log__write(LOG_WARNING,
			   "%u lines like the next were not printed (at most %u every %u s)",
			   dropped, LOG_RATELIMIT_BURST, LOG_RATELIMIT_INTERVAL_S);
	return ok;
}
