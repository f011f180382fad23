/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/version.h>.  The shim plays a 6.12 kernel built
 * without CONFIG_NET: kunit/gomem_compat.h then takes its newest branches,
 * and the cases that need networking code skip themselves.
 */
#ifndef _SHIM_LINUX_VERSION_H
#define _SHIM_LINUX_VERSION_H

#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_CODE	KERNEL_VERSION(6, 12, 0)

#endif
