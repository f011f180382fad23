/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/bug.h>.  A WARN prints and counts, so tests can
 * assert that a caller bug was reported: see gomem_shim_warnings.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdio.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>

extern unsigned long gomem_shim_warnings;

#define WARN(cond, fmt...) ({						\
	int __c = !!(cond);						\
	if (unlikely(__c)) {						\
		gomem_shim_warnings++;					\
		fprintf(stderr, "WARNING: %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, fmt);					\
	}								\
	unlikely(__c);							\
})
#define WARN_ONCE(cond, fmt...)	WARN(cond, fmt)
#define WARN_ON(cond)		WARN(cond, "%s\n", #cond)
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#endif
