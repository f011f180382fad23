// SPDX-License-Identifier: GPL-2.0
/*
 * gomem backing: where a pool's arena regions come from: vmalloc (huge
 * mappings where asked and allowed) or the module-wide buddy region.
 */

/**
 * DOC: Backing
 *
 * A pool asks for a region of some size and gets a struct gomem_region:
 * the memory, its size (a buddy block may be larger than asked), where it
 * came from and whether it is mapped with huge pages.  Two sources:
 *
 * - vmalloc: __vmalloc(), or vmalloc_huge() when the pool asks for huge
 *   mappings (regions of 2 MiB and more, where the kernel allows).
 * - the module-wide buddy: one region of ``buddy_size_mb`` MiB, made with
 *   vmalloc_huge() when the first buddy-backed pool needs it and kept until
 *   the module unloads; blocks of it are arenas.  When it is full, the
 *   region falls back to vmalloc.  Dedicated arenas (oversize requests)
 *   always come from vmalloc.
 *
 * Whether a region really got huge pages is read off the page tables
 * (x86 only; elsewhere it reports no).
 *
 * Locking: a mutex guards the module buddy; every call here may sleep.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86
#include <asm/pgtable_types.h>
#endif

#include <gomem/buddy.h>
#include "gomem_internal.h"
#include "gomem_report.h"

/* Module parameter buddy_size_mb (gomem_core.c). */
unsigned int gomem_buddy_size_mb = 64;

static DEFINE_MUTEX(backing_mutex);	/* guards the two below */
static struct gomem_buddy *module_buddy;
static bool module_buddy_huge;

static bool region_is_huge(void *base)
{
#ifdef CONFIG_X86
	unsigned int level;

	/* Walk the page tables: a 2 MiB or 1 GiB entry is a huge mapping. */
	if (lookup_address((unsigned long)base, &level))
		return level > PG_LEVEL_4K;
#endif
	return false;
}

/* A block of at least @size bytes from the module buddy, or false. */
static bool buddy_region(struct gomem_region *r, size_t size)
{
	mutex_lock(&backing_mutex);
	if (!module_buddy) {
		size_t sz = (size_t)READ_ONCE(gomem_buddy_size_mb) << 20;
		void *base = sz && !gomem_should_fail(sz) ?
			     vmalloc_huge(sz, GFP_KERNEL | __GFP_NOWARN) : NULL;
		struct gomem_buddy *b;

		if (!base)
			goto out;
		b = gomem_buddy_create_on(base, sz, 0, GFP_KERNEL);
		if (IS_ERR(b)) {
			vfree(base);
			goto out;
		}
		module_buddy = b;
		module_buddy_huge = region_is_huge(base);
	}
	r->base = gomem_should_fail(size) ? NULL :
		  gomem_buddy_alloc(module_buddy, size);
	if (r->base) {
		r->size = gomem_buddy_block_size(module_buddy, r->base);
		r->from_buddy = true;
		r->huge = module_buddy_huge;
	}
out:
	mutex_unlock(&backing_mutex);
	return r->base;
}

/**
 * gomem_region_get() - a region for an arena
 * @r: filled in
 * @size: bytes wanted
 * @buddy: try the module buddy first
 * @huge: ask vmalloc for huge mappings
 * @gfp: for vmalloc; must allow blocking
 *
 * Context: process context; sleeps.
 * Return: 0, or -ENOMEM (then @r holds no memory).
 */
int gomem_region_get(struct gomem_region *r, size_t size, bool buddy,
		     bool huge, gfp_t gfp)
{
	memset(r, 0, sizeof(*r));
	if (buddy && buddy_region(r, size))
		return 0;
	r->size = size;
	if (gomem_should_fail(size))
		return -ENOMEM;
	/* A failure is the caller's -ENOMEM, not a kernel warning. */
	gfp |= __GFP_NOWARN;
	r->base = huge ? vmalloc_huge(size, gfp) : __vmalloc(size, gfp);
	if (!r->base)
		return -ENOMEM;
	r->huge = huge && region_is_huge(r->base);
	return 0;
}

/**
 * gomem_region_put() - give a region back to where it came from
 * @r: a region gomem_region_get() filled in
 *
 * Context: process context; sleeps.
 */
void gomem_region_put(struct gomem_region *r)
{
	if (r->growable) {
		gomem_vres_put(r);
		return;
	}
	if (!r->from_buddy) {
		vfree(r->base);
		return;
	}
	mutex_lock(&backing_mutex);
	/* Unload destroys the buddy only once no pool holds a block of it. */
	if (WARN_ON_ONCE(!module_buddy) || gomem_buddy_free(module_buddy, r->base))
		gomem_stat_inc(GOMEM_STAT_BUDDY_BAD_INPUT);
	mutex_unlock(&backing_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_region_put);

/**
 * gomem_region_get_growable() - a region that can grow in place
 * @r: filled in
 * @size: bytes mapped now, whole pages
 * @cap: bytes it may grow to (gomem_region_grow()), whole pages
 * @gfp: for the pages; must allow blocking
 *
 * Address space for @cap bytes, pages behind the first @size (the
 * Growable regions DOC block in gomem_vres.c).  gomem_region_put() gives
 * it all back.
 *
 * Context: process context; sleeps.
 * Return: 0, -EOPNOTSUPP where regions cannot grow in place, or -ENOMEM
 * (then @r holds no memory).
 */
int gomem_region_get_growable(struct gomem_region *r, size_t size,
			      size_t cap, gfp_t gfp)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (!gomem_vres_supported())
		return -EOPNOTSUPP;
	if (gomem_should_fail(size))
		return -ENOMEM;
	ret = gomem_vres_get(r, size, cap, gfp | __GFP_NOWARN);
	if (ret)
		return ret;
	r->size = size;
	r->growable = true;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_region_get_growable);

/**
 * gomem_region_grow() - map pages up to @size bytes of a growable region
 * @r: from gomem_region_get_growable()
 * @size: whole pages, at most its cap
 * @gfp: for the pages; must allow blocking
 *
 * Leaves @r->size alone: the region's user raises it once its arena
 * took the room.
 *
 * Context: process context; sleeps.  The caller serialises calls on @r.
 * Return: 0 (also when @size is mapped already), or -ENOMEM (nothing
 * changed).
 */
int gomem_region_grow(struct gomem_region *r, size_t size, gfp_t gfp)
{
	if (size <= r->mapped)
		return 0;
	if (gomem_should_fail(size - r->mapped))
		return -ENOMEM;
	return gomem_vres_grow(r, size, gfp | __GFP_NOWARN);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_region_grow);

/**
 * gomem_backing_buddy_info() - a snapshot of the module buddy
 * @info: filled in; @info->present is false until a buddy-backed pool
 *	made the buddy
 *
 * Context: process context (takes a mutex).
 */
void gomem_backing_buddy_info(struct gomem_backing_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size_param_mb = READ_ONCE(gomem_buddy_size_mb);
	mutex_lock(&backing_mutex);
	if (module_buddy) {
		info->present = true;
		info->size = gomem_buddy_size(module_buddy);
		info->unit = gomem_buddy_unit(module_buddy);
		info->free = gomem_buddy_free_bytes(module_buddy);
		info->largest_free = gomem_buddy_largest_free(module_buddy);
		info->blocks = gomem_buddy_nr_allocated(module_buddy);
		info->bad_input = gomem_buddy_bad_input(module_buddy);
		info->huge = module_buddy_huge;
		info->ok = !gomem_buddy_check(module_buddy);
	}
	mutex_unlock(&backing_mutex);
}

/**
 * gomem_pool_module_buddy() - the module-wide buddy, for the KUnit suites
 *
 * Context: process context (takes a mutex); the caller must not use the
 * buddy while pools change.
 * Return: the buddy that backs buddy-backed pools, or NULL until one exists.
 */
struct gomem_buddy *gomem_pool_module_buddy(void)
{
	struct gomem_buddy *b;

	mutex_lock(&backing_mutex);
	b = module_buddy;
	mutex_unlock(&backing_mutex);
	return b;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_module_buddy);

/*
 * gomem_backing_exit(): free the module buddy at unload
 *
 * The pools (gomem_pool_exit()) have let go of their work items.  A pool
 * that a leaking consumer never destroyed may still hold blocks: then the
 * buddy's region is left allocated (a leak, reported), never freed under
 * live arenas.
 *
 * Context: process context; module exit.
 */
void gomem_backing_exit(void)
{
	void *base;

	mutex_lock(&backing_mutex);
	if (module_buddy) {
		base = gomem_buddy_base(module_buddy);
		if (gomem_buddy_nr_allocated(module_buddy)) {
			pr_warn("module buddy still holds %lu arenas at unload: left allocated\n",
				gomem_buddy_nr_allocated(module_buddy));
		} else {
			gomem_buddy_destroy(module_buddy);
			vfree(base);
		}
		module_buddy = NULL;
	}
	mutex_unlock(&backing_mutex);
}
