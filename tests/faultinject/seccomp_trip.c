// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp_trip (LD_PRELOAD): makes one vCPU thread of pcivmm call a system
 * call no thread's filter allows, as a device model taken over by its guest
 * might: after the PCIVMM_TRIP_AFTER-th KVM_RUN (default 50) of any vCPU,
 * that thread calls uname(2) once. Under --seccomp on the VM must end
 * with exit 14 and one line naming uname and the vCPU; under log or off it
 * goes on.
 */
#include <dlfcn.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, void *);
	static atomic_long runs;
	static atomic_bool tripped;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	if (req == KVM_RUN) {
		const char *after = getenv("PCIVMM_TRIP_AFTER");
		long n = after ? atol(after) : 50;

		if (atomic_fetch_add(&runs, 1) + 1 == n && !atomic_exchange(&tripped, true)) {
			struct utsname u;

			syscall(SYS_uname, &u);
		}
	}
	return real(fd, req, arg);
}
