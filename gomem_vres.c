// SPDX-License-Identifier: GPL-2.0
/*
 * gomem vres: regions that grow in place.  A range of kernel virtual
 * addresses is reserved once; pages are mapped into it as the arena over
 * it grows.  Kernel only: the harness has its own (tools/testing/shim/vres.c,
 * mmap and mprotect).
 */

/**
 * DOC: Growable regions
 *
 * A pool's regular arena may grow in place (gomem_pool.c, module parameter
 * ``grow_in_place``): its region reserves @cap bytes of address space and
 * maps pages into the first @size of them, then into more as the pool
 * grows, so that new room joins the arena's free tail instead of starting
 * an arena of its own.  How, with what a module may call:
 *
 * - Reserve: vmap() of @cap / PAGE_SIZE pages, all of them the zero page,
 *   with PAGE_NONE.  That takes the address range and builds
 *   its page tables; the PTEs are not present to the MMU (PAGE_NONE), so
 *   no TLB can hold them, and a stray access past the mapped part faults
 *   as it would past a vmalloc area's end.
 * - Map: lookup_address() finds the PTEs of the next pages and set_pte()
 *   points them at fresh pages with PAGE_KERNEL.  A not-present entry
 *   becoming present needs no TLB flush (vmap() itself flushes nothing
 *   either).  apply_to_page_range() would do the walk on any architecture
 *   but needs &init_mm, which modules cannot name.
 * - Release: vunmap() clears the PTEs and flushes the TLB as vfree() does,
 *   then the pages are freed.
 *
 * There is no unmapping of part of a region: a module cannot flush the
 * kernel's TLB for a range, so a region only grows, and trim releases
 * whole empty arenas as before.  kmemleak scans the mapped pages (one
 * object per page, never reported themselves), as it scans vmalloc areas.
 * x86-64 only (lookup_address()); elsewhere gomem_vres_supported() says no
 * and pools add arenas as before.  The page array costs 8 bytes per page
 * of @cap (8 KiB for a 4 MiB arena).
 *
 * Context: process context; every call may sleep.  The caller serialises
 * calls on one region.
 */

#include <kunit/visibility.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "gomem_internal.h"

#ifdef CONFIG_X86_64

/**
 * gomem_vres_supported() - whether regions can grow in place here
 *
 * Context: any.
 * Return: true on x86-64 (see the Growable regions DOC block).
 */
bool gomem_vres_supported(void)
{
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_vres_supported);

/*
 * The PTE of @addr, which must be one of a region's reserved pages: not
 * present to the MMU (PAGE_NONE, or a page mapped by nobody else).
 */
static pte_t *vres_pte(unsigned long addr)
{
	unsigned int level;
	pte_t *pte = lookup_address(addr, &level);

	if (WARN_ON_ONCE(!pte || level != PG_LEVEL_4K ||
			 (pte_flags(*pte) & _PAGE_PRESENT)))
		return NULL;
	return pte;
}

/* Map pages into [@r->mapped, @size); on failure nothing changes. */
int gomem_vres_grow(struct gomem_region *r, size_t size, gfp_t gfp)
{
	unsigned long from = r->mapped >> PAGE_SHIFT, to = size >> PAGE_SHIFT;
	unsigned long base = (unsigned long)r->base;
	struct page **pages = r->pages;
	unsigned long i;

	if (WARN_ON_ONCE(size > r->cap || !PAGE_ALIGNED(size)))
		return -EINVAL;
	/* Every PTE first: none is written unless all are there. */
	for (i = from; i < to; i++)
		if (!vres_pte(base + (i << PAGE_SHIFT)))
			return -EINVAL;
	for (i = from; i < to; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i])
			goto err;
	}
	/* Not present to present: no TLB holds the old entries. */
	for (i = from; i < to; i++)
		set_pte(vres_pte(base + (i << PAGE_SHIFT)),
			mk_pte(pages[i], PAGE_KERNEL));
	for (i = from; i < to; i++)
		kmemleak_alloc((void *)(base + (i << PAGE_SHIFT)), PAGE_SIZE,
			       0, gfp);
	r->mapped = size;
	return 0;
err:
	while (i-- > from) {
		__free_page(pages[i]);
		pages[i] = NULL;
	}
	return -ENOMEM;
}

/* Reserve @cap bytes, map the first @size. */
int gomem_vres_get(struct gomem_region *r, size_t size, size_t cap, gfp_t gfp)
{
	unsigned long i, n = cap >> PAGE_SHIFT;
	struct page **pages;

	if (WARN_ON_ONCE(!size || size > cap || !PAGE_ALIGNED(size) ||
			 !PAGE_ALIGNED(cap)))
		return -EINVAL;
	pages = kvcalloc(n, sizeof(*pages), (gfp & ~__GFP_HIGHMEM) |
			 __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	/* Every PTE names the zero page, not present: see the DOC block. */
	for (i = 0; i < n; i++)
		pages[i] = ZERO_PAGE(0);
	r->base = vmap(pages, n, VM_MAP, PAGE_NONE);
	memset(pages, 0, n * sizeof(*pages));
	if (!r->base)
		goto err_free;
	r->pages = pages;
	r->cap = cap;
	r->mapped = 0;
	if (gomem_vres_grow(r, size, gfp)) {
		vunmap(r->base);
		goto err_free;
	}
	return 0;
err_free:
	kvfree(pages);
	r->base = NULL;
	r->pages = NULL;
	return -ENOMEM;
}

void gomem_vres_put(struct gomem_region *r)
{
	unsigned long i, n = r->mapped >> PAGE_SHIFT;

	for (i = 0; i < n; i++)
		kmemleak_free((char *)r->base + (i << PAGE_SHIFT));
	vunmap(r->base);
	for (i = 0; i < n; i++)
		__free_page(r->pages[i]);
	kvfree(r->pages);
	r->pages = NULL;
	r->base = NULL;
}

#else /* !CONFIG_X86_64 */

/**
 * gomem_vres_supported() - whether regions can grow in place here
 *
 * Context: any.
 * Return: false: only x86-64 can (see the Growable regions DOC block).
 */
bool gomem_vres_supported(void)
{
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_vres_supported);

int gomem_vres_get(struct gomem_region *r, size_t size, size_t cap, gfp_t gfp)
{
	return -EOPNOTSUPP;
}

int gomem_vres_grow(struct gomem_region *r, size_t size, gfp_t gfp)
{
	return -EOPNOTSUPP;
}

void gomem_vres_put(struct gomem_region *r)
{
}

#endif /* CONFIG_X86_64 */
