// SPDX-License-Identifier: GPL-2.0
/*
 * intx-sharer BDF SECONDS [PERIOD_US]: the host-side load on a shared INTx
 * line. Drives an edu device bound to vfio-pci from L1 user space: raise,
 * wait for the interrupt on the VFIO INTx eventfd (vfio-pci masked the
 * device when it fired: AUTOMASKED), acknowledge, unmask, every PERIOD_US.
 * Runs for SECONDS at most; SIGTERM or SIGINT ends it sooner, after the
 * cycle in flight (the jobs stop it once their guests are done, so it
 * overlaps every guest run without a fixed wait). Prints its counts; exits
 * 0 only if every raise got exactly one interrupt.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_STATUS 0x24
#define EDU_RAISE 0x60
#define EDU_ACK 0x64

static int intx_set(int dev, uint32_t flags, int efd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} req = { .set = { .argsz = sizeof(req), .flags = flags,
			   .index = VFIO_PCI_INTX_IRQ_INDEX, .count = 1 }, .fd = efd };

	if (efd < 0)
		req.set.argsz = sizeof(req.set);
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, &req);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Waits up to 2 s for the INTx eventfd; a signal arriving meanwhile (the
 * stop request) must not count the raise as missed, so EINTR waits again
 * for the time left.
 */
static int wait_irq(int efd, uint64_t *count)
{
	double deadline = now() + 2.0;
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	int left, r;

	for (;;) {
		left = (int)((deadline - now()) * 1000);
		if (left < 0)
			left = 0;
		r = poll(&pfd, 1, left);
		if (r == 1)
			return read(efd, count, sizeof(*count)) == sizeof(*count) ? 0 : -1;
		if (r == 0 || errno != EINTR)
			return -1;
	}
}

static int die(const char *bdf, const char *what)
{
	fprintf(stderr, "intx-sharer: %s: %s: %s\n", bdf, what, strerror(errno));
	return 2;
}

int main(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_region_info bar = { .argsz = sizeof(bar), .index = VFIO_PCI_BAR0_REGION_INDEX };
	unsigned long raised = 0, irqs = 0, missed = 0, spurious = 0;
	struct sigaction sa = { .sa_handler = on_stop };
	char path[256], link[256];
	int container, group, dev, efd;
	volatile uint32_t *regs;
	double end;
	ssize_t n;

	if (argc < 3) {
		fprintf(stderr, "usage: intx-sharer BDF SECONDS [PERIOD_US]\n");
		return 2;
	}
	/* First, so a stop that comes during setup is not the default death. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", argv[1]);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return die(argv[1], "no IOMMU group");
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		return die(argv[1], "open VFIO");
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) || !(st.flags & VFIO_GROUP_FLAGS_VIABLE) ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		return die(argv[1], "VFIO group/container");
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (dev < 0 || ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &bar))
		return die(argv[1], "VFIO device");
	regs = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev, bar.offset);
	if (regs == MAP_FAILED)
		return die(argv[1], "mmap BAR0");
	/* Memory decode on, so BAR0 answers. */
	{
		struct vfio_region_info cfg = { .argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX };
		uint16_t cmd;

		if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg) ||
		    pread(dev, &cmd, 2, cfg.offset + 4) != 2)
			return die(argv[1], "config space");
		cmd |= 0x2;
		if (pwrite(dev, &cmd, 2, cfg.offset + 4) != 2)
			return die(argv[1], "COMMAND");
	}
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0 || intx_set(dev, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, efd))
		return die(argv[1], "INTx trigger");

	end = now() + atof(argv[2]);
	while (!stop && now() < end) {
		uint64_t count;
		uint32_t status;

		regs[EDU_RAISE / 4] = 1;
		raised++;
		if (wait_irq(efd, &count)) {
			missed++;
		} else {
			irqs += count;
			status = regs[EDU_STATUS / 4];
			if (!status)
				spurious++;
			regs[EDU_ACK / 4] = status;
		}
		regs[EDU_ACK / 4] = 1;
		intx_set(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, -1);
		if (argc > 3 && !stop)
			usleep(atoi(argv[3])); /* EINTR by the stop request ends it early */
	}
	intx_set(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, -1);
	printf("intx-sharer: %s raised %lu, interrupts %lu, missed %lu, spurious %lu\n",
	       argv[1], raised, irqs, missed, spurious);
	return raised && irqs == raised && !missed && !spurious ? 0 : 1;
}
