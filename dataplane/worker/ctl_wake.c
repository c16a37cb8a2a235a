/* SPDX-License-Identifier: BSD-3-Clause */
/* The control lcore's eventfd (sl_ctl_wake.h says why and how). */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sl_ctl_wake.h"

int
sl_ctl_wake_init(struct sl_ctl_wake *cw)
{
	cw->asleep = 0;
	cw->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return cw->fd < 0 ? -errno : 0;
}

void
sl_ctl_wake_fini(struct sl_ctl_wake *cw)
{
	if (cw->fd >= 0)
		close(cw->fd);
	cw->fd = -1;
	cw->asleep = 0;
}
