// SPDX-License-Identifier: GPL-2.0
#include "pci_hotplug.h"
#include "acpi_pm.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define PCIU_OFF 0
#define PCID_OFF 4
#define B0EJ_OFF 8

static void pcihp_access(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
	struct pci_hotplug *hp = opaque;
	uint32_t v = 0, taken = 0;
	uint64_t one = 1;

	/* The DSDT's Field is DWordAcc: other shapes read 0 and write nothing. */
	if (len != 4 || off % 4) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&hp->lock);
	if (!is_write && off == PCIU_OFF) {
		v = hp->up;
		hp->up = 0;
	} else if (!is_write && off == PCID_OFF) {
		v = hp->down;
	} else if (is_write && off == B0EJ_OFF) {
		memcpy(&v, data, 4);
		taken = v & hp->down; /* only what was asked for */
		hp->down &= ~taken;
		hp->ejected |= taken;
	}
	pthread_mutex_unlock(&hp->lock);
	if (!is_write)
		memcpy(data, &v, 4);
	if (taken && write(hp->eject_efd, &one, sizeof(one)) < 0)
		pr_warn("PCI hot-plug: eject eventfd: %s", strerror(errno));
}

static void pcihp_on_eject(void *opaque, uint32_t events)
{
	struct pci_hotplug *hp = opaque;
	uint32_t slots;
	uint64_t n;

	(void)events;
	if (read(hp->eject_efd, &n, sizeof(n)) < 0)
		return;
	pthread_mutex_lock(&hp->lock);
	slots = hp->ejected;
	hp->ejected = 0;
	pthread_mutex_unlock(&hp->lock);
	for (unsigned slot = 1; slot < 32; slot++)
		if ((slots & (1u << slot)) && hp->on_eject)
			hp->on_eject(hp->opaque, slot);
}

/* Sets slot's bit in PCIU or PCID and raises the hot-plug GPE. */
static void pcihp_signal(struct pci_hotplug *hp, uint32_t *bitmap, unsigned slot)
{
	pthread_mutex_lock(&hp->lock);
	*bitmap |= 1u << slot;
	pthread_mutex_unlock(&hp->lock);
	acpi_pm__raise_gpe(hp->pm, ACPI_GPE_PCI_HOTPLUG);
}

void pci_hotplug__plugged(struct pci_hotplug *hp, unsigned slot)
{
	pcihp_signal(hp, &hp->up, slot);
}

void pci_hotplug__request_eject(struct pci_hotplug *hp, unsigned slot)
{
	pcihp_signal(hp, &hp->down, slot);
}

bool pci_hotplug__cancel_eject(struct pci_hotplug *hp, unsigned slot)
{
	bool withdrawn;

	pthread_mutex_lock(&hp->lock);
	withdrawn = !(hp->ejected & (1u << slot));
	hp->down &= ~(1u << slot);
	pthread_mutex_unlock(&hp->lock);
	return withdrawn;
}

static void pcihp_destroy(struct vm *vm, void *opaque)
{
	struct pci_hotplug *hp = opaque;

	event_loop__remove(&vm->loop, hp->eject_efd);
	close(hp->eject_efd);
	pthread_mutex_destroy(&hp->lock);
	free(hp);
}

int pci_hotplug__create(struct vm *vm, struct acpi_pm *pm, struct pci_hotplug **out)
{
	struct pci_hotplug *hp = calloc(1, sizeof(*hp));
	int ret;

	if (!hp)
		return -ENOMEM;
	*hp = (struct pci_hotplug){ .vm = vm, .pm = pm };
	pthread_mutex_init(&hp->lock, NULL);
	hp->eject_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ret = hp->eject_efd < 0 ? -errno : 0;
	if (!ret)
		ret = event_loop__add(&vm->loop, hp->eject_efd, pcihp_on_eject, hp);
	if (!ret)
		ret = bus__register(&vm->pio, PCI_HOTPLUG_PORT, PCI_HOTPLUG_LEN, pcihp_access, hp);
	if (ret) {
		if (hp->eject_efd >= 0) {
			event_loop__remove(&vm->loop, hp->eject_efd);
			close(hp->eject_efd);
		}
		free(hp);
		return ret;
	}
	vm__add_teardown(vm, pcihp_destroy, hp);
	*out = hp;
	return 0;
}
