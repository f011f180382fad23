/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/slab.h>, <linux/vmalloc.h> and friends: libc. */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

/*
 * Cache-line aligned from 64 bytes up, as the kernel's kmalloc caches
 * give it (their objects of 64 bytes and more start on cache lines), so
 * that a struct with a ____cacheline_aligned_in_smp member is aligned.
 */
static inline void *kmalloc(size_t n, gfp_t gfp)
{
	void *p;

	if (n < 64)
		return (gfp & __GFP_ZERO) ? calloc(1, n) : malloc(n);
	if (posix_memalign(&p, 64, n))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, n);
	return p;
}

static inline void *kzalloc(size_t n, gfp_t gfp)
{
	return kmalloc(n, gfp | __GFP_ZERO);
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
