/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/mm.h>: libc allocation (slab.h), and the kernel's
 * memory-initialisation policy as two variables the tests flip (the kernel's
 * init_on_alloc= and init_on_free= boot parameters; shim/shim.c).
 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/slab.h>

extern bool shim_init_on_alloc;
extern bool shim_init_on_free;

static inline bool want_init_on_alloc(gfp_t flags)
{
	if (__builtin_expect(shim_init_on_alloc, 0))
		return true;
	return flags & __GFP_ZERO;
}

static inline bool want_init_on_free(void)
{
	return __builtin_expect(shim_init_on_free, 0);
}

#endif /* _SHIM_LINUX_MM_H */
