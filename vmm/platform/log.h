/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics. Every line starts with "pcivmm: " so it stands out from the
 * guest's console, and says what it is:
 *   pcivmm: error: ...     pcivmm could not do what it was asked (it exits)
 *   pcivmm: warning: ...   it goes on, but something is not as it should be
 *   pcivmm: ...            information: what was set up, reports
 *   pcivmm: +S.US debug: ...   --log-level debug (-v), seconds since start
 * Lines go to one sink: stderr, or the file of --log-file (then each line
 * starts with the UTC time and pcivmm's pid, for a supervisor's log).
 * --log-level drops the levels below it; errors are never dropped.
 */
#ifndef PCIVMM_LOG_H
#define PCIVMM_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* The most detailed level printed (default LOG_INFO). */
extern enum log_level log_level;

__attribute__((format(printf, 2, 3))) void log__write(enum log_level level, const char *fmt, ...);

#define pr_err(fmt, ...)  log__write(LOG_ERROR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) log__write(LOG_WARNING, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) log__write(LOG_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)                                                    \
	do {                                                                  \
		if (log_level >= LOG_DEBUG)                                   \
			log__write(LOG_DEBUG, fmt, ##__VA_ARGS__);            \
	} while (0)

/*
 * A line the guest can make pcivmm print at will (by a config write, a BAR
 * move, each retry of something that failed) is rate-limited, as the
 * kernel's printk_ratelimited does it (DEFAULT_RATELIMIT_INTERVAL 5 s,
 * DEFAULT_RATELIMIT_BURST 10): per call site, at most LOG_RATELIMIT_BURST
 * lines every LOG_RATELIMIT_INTERVAL_S seconds; the first line printed after
 * some were dropped is preceded by one saying how many. Without it a guest
 * fills the host's disk through the log.
 */
#define LOG_RATELIMIT_INTERVAL_S 5
#define LOG_RATELIMIT_BURST 10

struct log_ratelimit {
	long long begin_ms; /* start of the current interval, CLOCK_MONOTONIC; 0: none yet */
	unsigned printed, dropped;
};

/* True if a line of this call site may be printed now; counts it either way. Thread-safe. */
bool log__ratelimit(struct log_ratelimit *rs);

#define pr_ratelimited(level, fmt, ...)                                      \
	do {                                                                  \
		static struct log_ratelimit _rs;                              \
		if (log__ratelimit(&_rs))                                     \
			log__write(level, fmt, ##__VA_ARGS__);                \
	} while (0)
#define pr_err_ratelimited(fmt, ...)  pr_ratelimited(LOG_ERROR, fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) pr_ratelimited(LOG_WARNING, fmt, ##__VA_ARGS__)
/* -v's lines a guest can repeat at will (an MSI toggle, a BAR move), limited the same way. */
#define pr_debug_ratelimited(fmt, ...)                                        \
	do {                                                                  \
		if (log_level >= LOG_DEBUG)                                   \
			pr_ratelimited(LOG_DEBUG, fmt, ##__VA_ARGS__);        \
	} while (0)

/* "error", "warning", "info" or "debug" -> its level; false if none. */
bool log__parse_level(const char *name, enum log_level *level);

/*
 * Where the lines go: stderr (NULL) or F. A test captures them here
 * instead of replacing the global stderr. Returns the previous sink.
 */
FILE *log__set_sink(FILE *f);
/* The sink, for multi-line reports (stats, a vCPU's registers). */
FILE *log__sink(void);

/*
 * --log-file PATH: appends to PATH (created 0640 if missing), line-buffered,
 * and stamps each line. 0, or -errno with nothing changed.
 */
int log__open_file(const char *path);

/* Takes the time the debug stamps count from; call first thing in main. */
void log__start(void);

#endif
