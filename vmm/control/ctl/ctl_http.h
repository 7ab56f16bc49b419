/* SPDX-License-Identifier: GPL-2.0 */
/* One HTTP/1.1 request over a Unix socket, the reply read to its end (Connection: close). */
#ifndef PCIVMM_CTL_HTTP_H
#define PCIVMM_CTL_HTTP_H

struct ctl_reply {
	int status;
	char *body; /* NUL-terminated, NULL when empty */
};

/* body may be NULL. 0, or -errno when nothing answered or the reply is not HTTP. */
int ctl_http__request(const char *socket_path, const char *method, const char *endpoint,
		      const char *body, struct ctl_reply *reply);
void ctl_http__free(struct ctl_reply *reply);

#endif
