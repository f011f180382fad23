/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/slab.h>, <linux/vmalloc.h> and friends: libc. */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <stdint.h>
#include <stdlib.h>
#include <linux/types.h>

static inline void *kmalloc(size_t n, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? calloc(1, n) : malloc(n);
}

static inline void *kzalloc(size_t n, gfp_t gfp)
{
	return calloc(1, n);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return n && size > SIZE_MAX / n ? NULL : kmalloc(n * size, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return calloc(n, size);
}

static inline void *krealloc(void *p, size_t n, gfp_t gfp)
{
	return realloc(p, n);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void *krealloc_array(void *p, size_t n, size_t size, gfp_t gfp)
{
	return n && size > SIZE_MAX / n ? NULL : realloc(p, n * size);
}

#define kvmalloc(n, gfp)	kmalloc(n, gfp)
#define kvzalloc(n, gfp)	kzalloc(n, gfp)
#define kvcalloc(n, s, gfp)	kcalloc(n, s, gfp)
#define kvmalloc_array(n, s, gfp) kmalloc_array(n, s, gfp)
#define kvfree(p)		kfree(p)
#define vmalloc(n)		malloc(n)
#define vzalloc(n)		calloc(1, n)
#define vfree(p)		free(p)

/* Page-aligned, as vmalloc's regions are. */
static inline void *__vmalloc(size_t n, gfp_t gfp)
{
	void *p = NULL;

	return posix_memalign(&p, 4096, n) ? NULL : p;
}
#define vmalloc_huge(n, gfp)	__vmalloc(n, gfp)

#endif
