// SPDX-License-Identifier: GPL-2.0
/*
 * intx-storm: count= raise/acknowledge cycles (default 100000), each waiting
 * for its interrupt; the count must be exact, with no interrupt that finds
 * nothing to do. Prints the rate.
 */
#include "guest.h"

const char test_name[] = "intx-storm";

#define VECTOR 0x42

static struct edu dev;

void test_main(void)
{
	uint64_t count = cmdline_u64("count", 100000);
	unsigned quiet = cmdline_u64("quiet_ms", 100);
	uint64_t start, elapsed_ms, done = 0;

	if (!edu_find(0, &dev)) {
		check(false, "an edu-compatible device is present");
		return;
	}
	edu_setup_irq(&dev, VECTOR, edu_handler_ack, &dev);
	irq_enable();

	start = rdtsc();
	for (; done < count; done++) {
		edu_raise(&dev, 1);
		if (!edu_wait_irqs(&dev, done + 1, 2000))
			break;
	}
	elapsed_ms = ms_since(start);
	delay_ms(quiet);
	check(done == count, "%lu of %lu raises were answered by an interrupt within 2 s each",
	      done, count);
	check(dev.irqs == count, "exactly %lu interrupts were serviced (got %lu)", count, dev.irqs);
	check(dev.spurious == 0, "no interrupt found the device idle (%lu did)", dev.spurious);
	printf("intx-storm: %lu cycles in %lu ms: %lu cycles/s\n", done, elapsed_ms,
	       elapsed_ms ? done * 1000 / elapsed_ms : 0);
	irq_disable();
}
