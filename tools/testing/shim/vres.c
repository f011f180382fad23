// SPDX-License-Identifier: GPL-2.0
/*
 * The harness's growable regions (the module's are gomem_vres.c): the
 * address space is an mmap() with PROT_NONE, and growing makes the next
 * pages readable and writable.  As in the kernel, a stray access past the
 * mapped part faults, and nothing is ever unmapped before the release.
 * What differs: no struct page array (the kernel's costs 8 bytes a page)
 * and no kmemleak.
 */
#include <sys/mman.h>
#include <linux/gomem_kshim.h>
#include "gomem_internal.h"

bool gomem_vres_supported(void)
{
	return true;
}

int gomem_vres_grow(struct gomem_region *r, size_t size, gfp_t gfp)
{
	if (WARN_ON_ONCE(size > r->cap || size % PAGE_SIZE))
		return -EINVAL;
	if (size > r->mapped &&
	    mprotect((char *)r->base + r->mapped, size - r->mapped,
		     PROT_READ | PROT_WRITE))
		return -ENOMEM;
	r->mapped = size;
	return 0;
}

int gomem_vres_get(struct gomem_region *r, size_t size, size_t cap, gfp_t gfp)
{
	void *p;

	if (WARN_ON_ONCE(!size || size > cap || size % PAGE_SIZE ||
			 cap % PAGE_SIZE))
		return -EINVAL;
	p = mmap(NULL, cap, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	r->base = p;
	r->cap = cap;
	r->mapped = 0;
	if (gomem_vres_grow(r, size, gfp)) {
		munmap(p, cap);
		r->base = NULL;
		return -ENOMEM;
	}
	return 0;
}

void gomem_vres_put(struct gomem_region *r)
{
	munmap(r->base, r->cap);
	r->base = NULL;
}
