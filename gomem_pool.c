// SPDX-License-Identifier: GPL-2.0
/*
 * gomem pool: scalable pool of arenas, its registry and debugfs files,
 * the module-wide buddy that can back it, and recyclable memory.
 */

/**
 * DOC: Pool
 *
 * A pool is GoMem's ScalableMemoryAllocator: a list of arenas (see the
 * Arena DOC block in gomem_core.c), each a region with its own free-block
 * index.  The first arena is made by gomem_pool_create(); when no arena can
 * serve a request, the pool adds one of twice the previous size (doubled
 * again while the request does not fit), up to ``max_arena_size`` (4 MiB by
 * default, GoMem's MaxBlockSize).  A request larger than that gets a
 * *dedicated* arena of its own, sized to it, which is released when it is
 * wholly free again; it is freed through gomem_free() like any other.
 *
 * Arenas come from vmalloc (vmalloc_huge() when the pool asks for huge
 * mappings) or are carved from the module-wide buddy region.
 *
 * Finding the arena of a pointer (free) walks an rbtree of arenas keyed by
 * address: O(log arenas).  Malloc tries the arena that served last, then
 * the others in creation order, skipping those whose largest free block is
 * too small: O(1) in the common case, O(arenas) at worst, plus the arena's
 * own O(log blocks).
 *
 * Empty arenas stay (so the pool serves atomic callers without growing)
 * until gomem_pool_trim(), which releases all but one; dedicated arenas go
 * as soon as they are empty.
 *
 * Locking and contexts.  Each pool has one raw spinlock, taken with
 * interrupts off, around every arena operation and the arena lists.  Under
 * it runs only bounded work that never sleeps and never allocates: arena
 * alloc/free/find, the rbtree, counters.  Everything that may sleep --
 * vmalloc, vfree, kmalloc of arena structs, the buddy mutex, debugfs -- runs
 * outside it, in the caller's process context (growth, create, destroy) or
 * in a work item (release of arenas).  Hence:
 *
 * - gomem_malloc() is safe in process, softirq and hardirq context; it
 *   grows the pool only when its gfp allows blocking
 *   (gfpflags_allow_blocking()), otherwise a request the arenas cannot
 *   serve returns NULL and counts a failure.
 * - gomem_free(), gomem_free_rest(), gomem_borrow(), gomem_pool_trim(),
 *   gomem_pool_get_stats() are safe in any context.  An arena that free or
 *   trim releases is unlinked under the lock and handed to a work item,
 *   which destroys and vfrees it: never under a lock, never in atomic
 *   context.
 * - PREEMPT_RT: the lock is a raw_spinlock_t on purpose, so hardirq callers
 *   stay supported on RT kernels, where spinlock_t sleeps.  This is sound
 *   because nothing under it sleeps and its hold time is bounded by one
 *   arena operation (O(log n)), except for the O(arenas) walks of
 *   gomem_pool_get_stats(), gomem_pool_trim() and gomem_pool_check(), which
 *   are not hot-path calls.
 *
 * Bad input: size 0, a pointer no arena of the pool holds, a piece that
 * is already free (double free) or runs past its arena.  The call returns
 * NULL or -EINVAL, warns once (GOMEM_WARN_CALLER()), counts ``bad_frees``
 * (or a failure) in the pool and ``pool_bad_input`` in the module stats,
 * and changes nothing.  Destroying a pool that still has memory in use
 * warns once, prints what is live per arena, and frees everything anyway.
 *
 * Every pool is listed in debugfs as /sys/kernel/debug/gomem/<name>/ with
 * a ``stats`` file and a ``check`` file (runs gomem_pool_check());
 * /sys/kernel/debug/gomem/pools lists them and sums them, and
 * /sys/kernel/debug/gomem/buddy shows the module-wide buddy.
 */

/**
 * DOC: Recyclable memory
 *
 * GoMem's RecyclableMemory: a list of buffers (GoMem's Memory) that is
 * freed in one pass.  gomem_rm_next() allocates from the pool and records
 * the buffer; gomem_rm_add() records a buffer the caller already has;
 * gomem_rm_recycle() frees and forgets them all.
 *
 * Which buffers recycle frees follows GoMem's recycle indexes: a buffer is
 * freed when it came from the pool -- every buffer of gomem_rm_next(), and
 * a buffer of gomem_rm_add() when the pool holds it (GoMem's
 * AddRecycleBytes of allocator memory).  Any other added buffer (stack,
 * kmalloc, another pool) stays the caller's: it is listed, so a reader sees
 * it, but recycle only forgets it.  A pool buffer given to gomem_rm_add()
 * therefore changes owner: the caller must not free it as well (recycle
 * would find it free already, refuse it, and count a bad free).
 *
 * The buffers are a struct gomem_bufs (gomem_reader.c), so a
 * struct gomem_reader reads them in place; beside it an array of indexes
 * says which ones recycle frees.  Both grow by doubling (with the gfp of
 * the call that needs room) and keep their room across recycles, so a
 * steady next/recycle cycle allocates nothing but pool memory.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#ifdef CONFIG_X86
#include <asm/pgtable_types.h>
#endif

#include <gomem/gomem.h>
#include "gomem_debug.h"
#include "gomem_internal.h"

/* ---- the module-wide buddy ---- */

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

static unsigned int buddy_size_mb = 64;
module_param(buddy_size_mb, uint, 0444);
MODULE_PARM_DESC(buddy_size_mb,
		 "MiB of the buddy region behind buddy-backed pools (vmalloc_huge'd when the first one is created; default 64)");

static DEFINE_MUTEX(gomem_buddy_mutex);	/* guards the two below */
static struct gomem_buddy *gomem_module_buddy;
static bool gomem_module_buddy_huge;

/* Block of @size bytes from the module buddy, or NULL.  May sleep. */
static void *module_buddy_alloc(size_t size, size_t *got)
{
	void *p = NULL;

	mutex_lock(&gomem_buddy_mutex);
	if (!gomem_module_buddy) {
		size_t sz = (size_t)buddy_size_mb << 20;
		void *base = sz ? vmalloc_huge(sz, GFP_KERNEL) : NULL;
		struct gomem_buddy *b;

		if (!base)
			goto out;
		b = gomem_buddy_create_on(base, sz, 0, GFP_KERNEL);
		if (IS_ERR(b)) {
			vfree(base);
			goto out;
		}
		gomem_module_buddy = b;
		gomem_module_buddy_huge = region_is_huge(base);
	}
	p = gomem_buddy_alloc(gomem_module_buddy, size);
	if (p)
		*got = gomem_buddy_block_size(gomem_module_buddy, p);
out:
	mutex_unlock(&gomem_buddy_mutex);
	return p;
}

static void module_buddy_free(void *p)
{
	mutex_lock(&gomem_buddy_mutex);
	if (gomem_buddy_free(gomem_module_buddy, p))
		gomem_stat_inc(GOMEM_STAT_BUDDY_BAD_INPUT);
	mutex_unlock(&gomem_buddy_mutex);
}

/* ---- pools ---- */

/**
 * struct pool_arena - one arena of a pool
 * @node: in &gomem_pool.tree, keyed by @base
 * @link: in &gomem_pool.arenas, or in &gomem_pool.dead once unlinked
 * @arena: the arena over [@base, @base + @size)
 * @base: first byte of the region
 * @size: bytes in the region
 * @dedicated: holds one oversize request; released when empty
 * @from_buddy: the region is a block of the module buddy, else vmalloc'd
 * @huge: the region is mapped with huge pages
 */
struct pool_arena {
	struct rb_node node;
	struct list_head link;
	struct gomem_arena *arena;
	void *base;
	size_t size;
	bool dedicated;
	bool from_buddy;
	bool huge;
};

/**
 * struct gomem_pool - a scalable pool of arenas
 * @lock: guards every field below it and every arena of the pool
 * @tree: all arenas by address, for free
 * @arenas: all arenas in creation order, for malloc
 * @current_arena: the arena that served the last malloc, or NULL
 * @dead: arenas unlinked and waiting for @release_work
 * @nr_arenas: arenas in @arenas
 * @child_size: size of the last regular arena added (GoMem's childSize)
 * @st: the counters of gomem_pool_get_stats() kept incrementally
 * @release_work: destroys the arenas on @dead, in process context
 * @params: the creation parameters, defaults filled in
 * @link: in the registry, under gomem_pools_mutex
 * @dir: the pool's debugfs directory
 * @name: the pool's name
 */
struct gomem_pool {
	raw_spinlock_t lock;
	struct rb_root tree;
	struct list_head arenas;
	struct pool_arena *current_arena;
	struct list_head dead;
	unsigned long nr_arenas;
	size_t child_size;
	struct gomem_pool_stats st;

	struct work_struct release_work;
	struct gomem_pool_params params;
	struct list_head link;
	struct dentry *dir;
	char name[GOMEM_POOL_NAME_MAX + 1];
};

static DEFINE_MUTEX(gomem_pools_mutex);	/* guards the registry list */
static LIST_HEAD(gomem_pools);

/*
 * Make an arena of at least @size bytes, with nothing locked.  Process
 * context: it sleeps.
 */
static struct pool_arena *pool_arena_new(struct gomem_pool *pool,
					 size_t size, bool dedicated,
					 gfp_t gfp)
{
	struct pool_arena *pa;
	struct gomem_arena *a;

	/* The caller's gfp (it allows blocking), but no zeroing of arenas. */
	gfp &= ~__GFP_ZERO;
	pa = kzalloc(sizeof(*pa), gfp);
	if (!pa)
		return NULL;
	pa->dedicated = dedicated;
	if (pool->params.backing == GOMEM_BACKING_BUDDY && !dedicated) {
		pa->base = module_buddy_alloc(size, &pa->size);
		if (pa->base) {
			pa->from_buddy = true;
			pa->huge = gomem_module_buddy_huge;
		}
	}
	if (!pa->base) {
		pa->size = size;
		pa->base = pool->params.huge ? vmalloc_huge(size, gfp) :
					       __vmalloc(size, gfp);
		if (!pa->base)
			goto err_free_pa;
		pa->huge = pool->params.huge && region_is_huge(pa->base);
	}
	a = gomem_arena_create_on(pa->base, pa->size, pool->params.index, gfp);
	if (IS_ERR(a))
		goto err_free_base;
	pa->arena = a;
	return pa;

err_free_base:
	if (pa->from_buddy)
		module_buddy_free(pa->base);
	else
		vfree(pa->base);
err_free_pa:
	kfree(pa);
	return NULL;
}

/* Destroy an unlinked arena.  Process context: it sleeps. */
static void pool_arena_release(struct pool_arena *pa)
{
	gomem_arena_destroy(pa->arena);
	if (pa->from_buddy)
		module_buddy_free(pa->base);
	else
		vfree(pa->base);
	kfree(pa);
}

static struct pool_arena *__pool_lookup(struct gomem_pool *pool,
					const void *ptr)
{
	struct rb_node *n = pool->tree.rb_node;
	unsigned long p = (unsigned long)ptr;

	lockdep_assert_held(&pool->lock);
	while (n) {
		struct pool_arena *pa = rb_entry(n, struct pool_arena, node);
		unsigned long b = (unsigned long)pa->base;

		if (p < b)
			n = n->rb_left;
		else if (p - b >= pa->size)
			n = n->rb_right;
		else
			return pa;
	}
	return NULL;
}

static void __pool_link(struct gomem_pool *pool, struct pool_arena *pa)
{
	struct rb_node **link = &pool->tree.rb_node, *parent = NULL;

	lockdep_assert_held(&pool->lock);
	while (*link) {
		struct pool_arena *x = rb_entry(*link, struct pool_arena, node);

		parent = *link;
		link = pa->base < x->base ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&pa->node, parent, link);
	rb_insert_color(&pa->node, &pool->tree);
	list_add_tail(&pa->link, &pool->arenas);
	pool->nr_arenas++;
	pool->st.arenas++;
	pool->st.reserved += pa->size;
	pool->st.dedicated += pa->dedicated;
	pool->st.huge_arenas += pa->huge;
}

/* Unlink @pa and queue it for release; the caller kicks the work. */
static void __pool_unlink(struct gomem_pool *pool, struct pool_arena *pa)
{
	lockdep_assert_held(&pool->lock);
	rb_erase(&pa->node, &pool->tree);
	list_move_tail(&pa->link, &pool->dead);
	if (pool->current_arena == pa)
		pool->current_arena = NULL;
	pool->nr_arenas--;
	pool->st.arenas--;
	pool->st.reserved -= pa->size;
	pool->st.dedicated -= pa->dedicated;
	pool->st.huge_arenas -= pa->huge;
}

static void pool_release_work(struct work_struct *work)
{
	struct gomem_pool *pool = container_of(work, struct gomem_pool,
					       release_work);
	struct pool_arena *pa, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	raw_spin_lock_irqsave(&pool->lock, flags);
	list_splice_init(&pool->dead, &dead);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	list_for_each_entry_safe(pa, tmp, &dead, link)
		pool_arena_release(pa);
}

/* Try every regular arena, the last one that served first. */
static void *__pool_alloc(struct gomem_pool *pool, size_t size)
{
	struct pool_arena *cur = pool->current_arena, *pa;
	void *p;

	lockdep_assert_held(&pool->lock);
	if (cur) {
		p = gomem_arena_alloc(cur->arena, size);
		if (p)
			return p;
	}
	list_for_each_entry(pa, &pool->arenas, link) {
		if (pa == cur || pa->dedicated ||
		    gomem_arena_largest_free(pa->arena) < size)
			continue;
		p = gomem_arena_alloc(pa->arena, size);
		if (p) {
			pool->current_arena = pa;
			return p;
		}
	}
	return NULL;
}

static void *pool_bad_alloc(struct gomem_pool *pool, size_t size)
{
	unsigned long flags;

	GOMEM_WARN_CALLER(1, "gomem: pool %s: bad malloc of %zu bytes\n",
			  pool->name, size);
	gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
	raw_spin_lock_irqsave(&pool->lock, flags);
	pool->st.failures++;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return NULL;
}

static void pool_count_failure(struct gomem_pool *pool)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	pool->st.failures++;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}

/* Add an arena that fits @size (process context), then allocate. */
static void *pool_grow_alloc(struct gomem_pool *pool, size_t size, gfp_t gfp)
{
	bool dedicated = size > pool->params.max_arena_size;
	struct pool_arena *pa;
	unsigned long flags;
	size_t grow;
	void *p;

	if (dedicated) {
		grow = PAGE_ALIGN(size);
	} else {
		/* GoMem: double at least once, and until the request fits. */
		raw_spin_lock_irqsave(&pool->lock, flags);
		grow = pool->child_size;
		while (grow < pool->params.max_arena_size) {
			grow <<= 1;
			if (grow >= size)
				break;
		}
		pool->child_size = grow;
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	}
	pa = pool_arena_new(pool, grow, dedicated, gfp);
	if (!pa) {
		pool_count_failure(pool);
		return NULL;
	}

	raw_spin_lock_irqsave(&pool->lock, flags);
	__pool_link(pool, pa);
	/* Fits: @size <= the arena size, which is whole granules. */
	p = gomem_arena_alloc(pa->arena, size);
	if (p) {
		if (!dedicated)
			pool->current_arena = pa;
		pool->st.mallocs++;
		pool->st.malloc_bytes += size;
	} else {
		pool->st.failures++;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return p;
}

/**
 * gomem_malloc() - allocate from a pool
 * @pool: the pool
 * @size: bytes, at least 1
 * @gfp: GFP_KERNEL (may grow the pool, sleeps) or GFP_ATOMIC / GFP_NOWAIT
 *	 (served from the existing arenas only)
 *
 * The memory is 32-byte aligned (the arena granule), zeroed only with
 * __GFP_ZERO.  A request larger than the pool's max arena size gets a
 * dedicated arena; that needs a blocking @gfp too.  Free it with
 * gomem_free(), whole or in pieces.
 *
 * Context: any context.  Sleeps only if @gfp allows blocking and the arenas
 * cannot serve the request.  Takes the pool's raw spinlock.
 * Return: the memory, or NULL (counted in the pool's failures) when it
 * cannot be served, or for @size 0 or larger than the machine's memory (a
 * caller bug: warned once, counted as bad input).
 */
void *gomem_malloc(struct gomem_pool *pool, size_t size, gfp_t gfp)
{
	unsigned long flags;
	void *p = NULL;

	/* Catch a blocking gfp in atomic context even when no growth is due. */
	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (unlikely(!size))
		return pool_bad_alloc(pool, size);
	if (likely(size <= pool->params.max_arena_size)) {
		raw_spin_lock_irqsave(&pool->lock, flags);
		p = __pool_alloc(pool, size);
		if (likely(p)) {
			pool->st.mallocs++;
			pool->st.malloc_bytes += size;
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		if (likely(p))
			goto out;
	}
	/* More than the machine's memory can only be a caller bug. */
	if (unlikely(size > (size_t)totalram_pages() << PAGE_SHIFT))
		return pool_bad_alloc(pool, size);
	if (!gfpflags_allow_blocking(gfp) ||
	    size > (size_t)GOMEM_MAX_GRANULES * GOMEM_GRANULE) {
		pool_count_failure(pool);
		return NULL;
	}
	p = pool_grow_alloc(pool, size, gfp);
out:
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}
EXPORT_SYMBOL_GPL(gomem_malloc);

/*
 * Free a piece with the lock held.  Return 0, -EINVAL when the arena
 * refused it (and reported it), or 1 when no arena of the pool holds it.
 * Sets *@release when a dedicated arena became empty and was unlinked.
 */
static int __pool_free(struct gomem_pool *pool, void *ptr, size_t size,
		       bool *release)
{
	struct pool_arena *pa;
	int ret;

	lockdep_assert_held(&pool->lock);
	pa = size ? __pool_lookup(pool, ptr) : NULL;
	if (unlikely(!pa)) {
		pool->st.bad_frees++;
		return 1;
	}
	ret = gomem_arena_free(pa->arena, ptr, size);
	if (unlikely(ret)) {
		pool->st.bad_frees++;
		return ret;
	}
	pool->st.frees++;
	pool->st.free_bytes += size;
	if (pa->dedicated && gomem_arena_is_empty(pa->arena)) {
		__pool_unlink(pool, pa);
		*release = true;
	}
	return 0;
}

/* Report a refused free, after the lock is dropped. */
static void pool_report_bad_free(struct gomem_pool *pool, void *ptr,
				 size_t size, int ret)
{
	/* The arena reported its own refusals (ret < 0); report the rest. */
	GOMEM_WARN_CALLER(ret > 0, "gomem: pool %s: bad free of %zu bytes at %p\n",
			  pool->name, size, ptr);
	gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
}

/**
 * gomem_free() - free memory of a pool, whole or a piece
 * @pool: the pool
 * @ptr: first byte to free
 * @size: bytes to free, at least 1
 *
 * Any byte range of an allocation may be freed, in pieces and in any order
 * (GoMem's segment free); the arena's granule rule applies (see gomem_core.c).
 * Accounting is exact for any partition, but a 32-byte granule goes back
 * with the piece that holds its first byte: freeing a head piece that ends
 * off a 32-byte boundary also releases the bytes up to that boundary, so
 * the rest is only usable from there.  Tail frees (gomem_free_rest()) are
 * always safe.  A dedicated arena that becomes empty is released by a work
 * item.
 *
 * Context: any context, hardirq included; never sleeps.  Takes the pool's
 * raw spinlock.
 * Return: 0, or -EINVAL for @ptr outside the pool, @size 0, or a piece
 * that is not in use (a caller bug: warned once, counted in bad_frees).
 */
int gomem_free(struct gomem_pool *pool, void *ptr, size_t size)
{
	unsigned long flags;
	bool release = false;
	int ret;

	raw_spin_lock_irqsave(&pool->lock, flags);
	ret = __pool_free(pool, ptr, size, &release);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (unlikely(ret))
		pool_report_bad_free(pool, ptr, size, ret);
	if (release)
		queue_work(system_unbound_wq, &pool->release_work);
	return ret ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(gomem_free);

/**
 * gomem_free_rest() - keep the first bytes of an allocation, free the rest
 * @pool: the pool
 * @ptr: the allocation (or a piece of one still in use)
 * @len: its length
 * @keep: bytes to keep at @ptr
 *
 * GoMem's FreeRest: frees [@ptr + @keep, @ptr + @len).  Nothing happens
 * when @keep >= @len.
 *
 * Context: any context; never sleeps.
 * Return: 0, or -EINVAL as for gomem_free().
 */
int gomem_free_rest(struct gomem_pool *pool, void *ptr, size_t len,
		    size_t keep)
{
	if (keep >= len)
		return 0;
	return gomem_free(pool, (char *)ptr + keep, len - keep);
}
EXPORT_SYMBOL_GPL(gomem_free_rest);

/**
 * gomem_borrow() - room in a pool's free space, without allocating
 * @pool: the pool
 * @size: bytes wanted, at least 1
 *
 * GoMem's Borrow (Malloc + Free = Find): @size writable bytes inside a free
 * block.  They stay free, so they are valid only until the next call that
 * allocates from the pool or trims it -- by anyone (a trim may release the
 * arena): borrowing suits a pool with one user, or callers that serialise
 * among themselves.  The pool never grows
 * for a borrow.
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: the room, 32-byte aligned, or NULL if no arena has it.
 */
void *gomem_borrow(struct gomem_pool *pool, size_t size)
{
	struct pool_arena *pa;
	unsigned long flags;
	void *p = NULL;

	if (!size || size > pool->params.max_arena_size)
		return NULL;
	raw_spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(pa, &pool->arenas, link) {
		if (pa->dedicated)
			continue;
		p = gomem_arena_find(pa->arena, size);
		if (p)
			break;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return p;
}
EXPORT_SYMBOL_GPL(gomem_borrow);

/**
 * gomem_pool_trim() - release a pool's wholly free arenas
 * @pool: the pool
 *
 * Every empty arena but one is unlinked (the pool keeps one, the
 * largest, so that atomic callers can still be served) and handed to a
 * work item that destroys it.  The stats drop them at once; the memory
 * returns when the work runs (gomem_pool_flush() waits for it).
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: the number of arenas released.
 */
unsigned long gomem_pool_trim(struct gomem_pool *pool)
{
	struct pool_arena *pa, *tmp, *keep = NULL;
	unsigned long flags, n = 0;

	raw_spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(pa, &pool->arenas, link)
		if (!pa->dedicated && gomem_arena_is_empty(pa->arena) &&
		    (!keep || pa->size > keep->size))
			keep = pa;
	list_for_each_entry_safe(pa, tmp, &pool->arenas, link) {
		if (pa == keep || !gomem_arena_is_empty(pa->arena))
			continue;
		__pool_unlink(pool, pa);
		n++;
	}
	pool->st.trims += n;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (n)
		queue_work(system_unbound_wq, &pool->release_work);
	return n;
}
EXPORT_SYMBOL_GPL(gomem_pool_trim);

/**
 * gomem_pool_flush() - wait until released arenas are really freed
 * @pool: the pool
 *
 * Context: process context; sleeps.
 */
void gomem_pool_flush(struct gomem_pool *pool)
{
	flush_work(&pool->release_work);
}
EXPORT_SYMBOL_GPL(gomem_pool_flush);

static void __pool_fill_stats(struct gomem_pool *pool,
			      struct gomem_pool_stats *st)
{
	struct pool_arena *pa;

	lockdep_assert_held(&pool->lock);
	*st = pool->st;
	st->free = 0;
	st->largest_free = 0;
	st->free_blocks = 0;
	list_for_each_entry(pa, &pool->arenas, link) {
		st->free += gomem_arena_free_bytes(pa->arena);
		/* Malloc never uses a dedicated arena's slack. */
		if (!pa->dedicated)
			st->largest_free =
				max(st->largest_free,
				    gomem_arena_largest_free(pa->arena));
		st->free_blocks += gomem_arena_nr_free_blocks(pa->arena);
	}
	st->in_use = st->reserved - st->free;
	st->fragmentation = st->free ?
		100 - (unsigned int)div64_u64(100ULL * st->largest_free,
					      st->free) : 0;
	st->huge = pool->params.huge;
}

/**
 * gomem_pool_get_stats() - snapshot of a pool's state and counters
 * @pool: the pool
 * @st: filled in; see struct gomem_pool_stats
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock and
 * walks the arenas: O(arenas).
 */
void gomem_pool_get_stats(struct gomem_pool *pool,
			  struct gomem_pool_stats *st)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	__pool_fill_stats(pool, st);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(gomem_pool_get_stats);

/**
 * gomem_pool_contains() - does a pool hold this address?
 * @pool: the pool
 * @ptr: the address
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: true if @ptr lies in one of the pool's arenas (in use or free).
 */
bool gomem_pool_contains(struct gomem_pool *pool, const void *ptr)
{
	unsigned long flags;
	bool ret;

	raw_spin_lock_irqsave(&pool->lock, flags);
	ret = __pool_lookup(pool, ptr);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(gomem_pool_contains);

/**
 * gomem_pool_name() - a pool's name
 * @pool: the pool
 *
 * Context: any context.
 * Return: the name given to gomem_pool_create().
 */
const char *gomem_pool_name(const struct gomem_pool *pool)
{
	return pool->name;
}
EXPORT_SYMBOL_GPL(gomem_pool_name);

/**
 * gomem_pool_check() - verify a pool and all its arenas
 * @pool: the pool
 *
 * Checks every arena (gomem_arena_check()), that the rbtree and the list
 * hold the same arenas in address order without overlap, and that the
 * incremental counters agree with them.  For tests and debugging.
 *
 * Context: any context; never sleeps.  Holds the pool's raw spinlock for
 * O(arenas * free blocks).
 * Return: 0 if consistent, -EUCLEAN otherwise.
 */
int gomem_pool_check(struct gomem_pool *pool)
{
	unsigned long flags, in_tree = 0, in_list = 0, ded = 0;
	struct pool_arena *pa, *prev = NULL;
	struct rb_node *node;
	size_t reserved = 0;
	int ret = 0;

	raw_spin_lock_irqsave(&pool->lock, flags);
	for (node = rb_first(&pool->tree); node; node = rb_next(node)) {
		pa = rb_entry(node, struct pool_arena, node);
		if (gomem_arena_check(pa->arena) ||
		    gomem_arena_size(pa->arena) > pa->size ||
		    (prev && (char *)prev->base + prev->size >
			     (char *)pa->base))
			ret = -EUCLEAN;
		reserved += pa->size;
		ded += pa->dedicated;
		in_tree++;
		prev = pa;
	}
	list_for_each_entry(pa, &pool->arenas, link) {
		if (__pool_lookup(pool, pa->base) != pa)
			ret = -EUCLEAN;
		in_list++;
	}
	if (in_tree != in_list || in_tree != pool->nr_arenas ||
	    in_tree != pool->st.arenas || reserved != pool->st.reserved ||
	    ded != pool->st.dedicated)
		ret = -EUCLEAN;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(gomem_pool_check);

/* ---- debugfs and the registry ---- */

static void pool_stats_print(struct seq_file *seq,
			     const struct gomem_pool_stats *st)
{
	seq_printf(seq, "arenas         %lu\n", st->arenas);
	seq_printf(seq, "dedicated      %lu\n", st->dedicated);
	seq_printf(seq, "reserved       %zu\n", st->reserved);
	seq_printf(seq, "in_use         %zu\n", st->in_use);
	seq_printf(seq, "free           %zu\n", st->free);
	seq_printf(seq, "largest_free   %zu\n", st->largest_free);
	seq_printf(seq, "free_blocks    %lu\n", st->free_blocks);
	seq_printf(seq, "fragmentation  %u%%\n", st->fragmentation);
	seq_printf(seq, "mallocs        %lu\n", st->mallocs);
	seq_printf(seq, "frees          %lu\n", st->frees);
	seq_printf(seq, "failures       %lu\n", st->failures);
	seq_printf(seq, "bad_frees      %lu\n", st->bad_frees);
	seq_printf(seq, "trims          %lu\n", st->trims);
	seq_printf(seq, "malloc_bytes   %llu\n", st->malloc_bytes);
	seq_printf(seq, "free_bytes     %llu\n", st->free_bytes);
	seq_printf(seq, "huge_arenas    %lu\n", st->huge_arenas);
	seq_printf(seq, "huge           %s\n",
		   !st->huge ? "no" : st->huge_arenas ? "yes" : "asked, not taken");
}

static int pool_stats_show(struct seq_file *seq, void *v)
{
	struct gomem_pool *pool = seq->private;
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	seq_printf(seq, "name           %s\n", pool->name);
	seq_printf(seq, "index          %s\n",
		   gomem_index_name(pool->params.index));
	seq_printf(seq, "backing        %s\n",
		   pool->params.backing == GOMEM_BACKING_BUDDY ?
		   "buddy" : "vmalloc");
	seq_printf(seq, "max_arena      %zu\n", pool->params.max_arena_size);
	pool_stats_print(seq, &st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

/* /sys/kernel/debug/gomem/<name>/check: run gomem_pool_check(). */
static int pool_check_show(struct seq_file *seq, void *v)
{
	int ret = gomem_pool_check(seq->private);

	seq_printf(seq, "%s\n", ret ? "corrupt" : "ok");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_check);

/* /sys/kernel/debug/gomem/buddy: the module-wide buddy behind pools. */
static int module_buddy_show(struct seq_file *seq, void *v)
{
	struct gomem_buddy *b;

	mutex_lock(&gomem_buddy_mutex);
	b = gomem_module_buddy;
	seq_printf(seq, "size_param     %u MiB\n", buddy_size_mb);
	if (b) {
		seq_printf(seq, "size           %zu\n", gomem_buddy_size(b));
		seq_printf(seq, "unit           %zu\n", gomem_buddy_unit(b));
		seq_printf(seq, "free           %zu\n", gomem_buddy_free_bytes(b));
		seq_printf(seq, "largest_free   %zu\n",
			   gomem_buddy_largest_free(b));
		seq_printf(seq, "blocks         %lu\n",
			   gomem_buddy_nr_allocated(b));
		seq_printf(seq, "bad_input      %lu\n", gomem_buddy_bad_input(b));
		seq_printf(seq, "huge           %s\n",
			   gomem_module_buddy_huge ? "yes" : "no");
		seq_printf(seq, "check          %s\n",
			   gomem_buddy_check(b) ? "corrupt" : "ok");
	} else {
		seq_puts(seq, "not allocated yet (no buddy-backed pool so far)\n");
	}
	mutex_unlock(&gomem_buddy_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(module_buddy);

/* /sys/kernel/debug/gomem/pools: one line per pool, then the sums. */
static int pools_show(struct seq_file *seq, void *v)
{
	struct gomem_pool_stats st, sum = { 0 };
	struct gomem_pool *pool;
	unsigned long nr = 0;

	seq_printf(seq, "%-20s %7s %12s %12s %12s %10s %10s %8s %5s\n",
		   "pool", "arenas", "reserved", "in_use", "largest",
		   "mallocs", "frees", "failures", "huge");
	mutex_lock(&gomem_pools_mutex);
	list_for_each_entry(pool, &gomem_pools, link) {
		gomem_pool_get_stats(pool, &st);
		seq_printf(seq, "%-20s %7lu %12zu %12zu %12zu %10lu %10lu %8lu %5s\n",
			   pool->name, st.arenas, st.reserved, st.in_use,
			   st.largest_free, st.mallocs, st.frees, st.failures,
			   st.huge_arenas ? "yes" : "no");
		sum.arenas += st.arenas;
		sum.dedicated += st.dedicated;
		sum.reserved += st.reserved;
		sum.in_use += st.in_use;
		sum.free += st.free;
		sum.largest_free = max(sum.largest_free, st.largest_free);
		sum.free_blocks += st.free_blocks;
		sum.mallocs += st.mallocs;
		sum.frees += st.frees;
		sum.failures += st.failures;
		sum.bad_frees += st.bad_frees;
		sum.trims += st.trims;
		sum.malloc_bytes += st.malloc_bytes;
		sum.free_bytes += st.free_bytes;
		sum.huge_arenas += st.huge_arenas;
		sum.huge |= st.huge;
		nr++;
	}
	mutex_unlock(&gomem_pools_mutex);
	sum.fragmentation = sum.free ?
		100 - (unsigned int)div64_u64(100ULL * sum.largest_free,
					      sum.free) : 0;
	seq_printf(seq, "\ntotal over %lu pools\n", nr);
	pool_stats_print(seq, &sum);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pools);

/**
 * gomem_pool_create() - create a pool and its first arena
 * @name: unique name, 1 to %GOMEM_POOL_NAME_MAX characters, no '/'; the
 *	  debugfs directory /sys/kernel/debug/gomem/<name>/
 * @params: parameters, or NULL for all defaults
 *
 * Context: process context; sleeps (vmalloc, debugfs).
 * Return: the pool, or ERR_PTR(-EINVAL) for a bad name or parameter,
 * ERR_PTR(-EEXIST) if the name is taken, ERR_PTR(-ENOMEM).
 */
struct gomem_pool *gomem_pool_create(const char *name,
				     const struct gomem_pool_params *params)
{
	struct gomem_pool_params p = params ? *params :
				     (struct gomem_pool_params){ 0 };
	struct gomem_pool *pool, *other;
	struct dentry *other_dentry;
	struct pool_arena *pa;
	int ret;

	if (!name || !*name || strlen(name) > GOMEM_POOL_NAME_MAX ||
	    strchr(name, '/') || p.backing > GOMEM_BACKING_BUDDY ||
	    p.index > GOMEM_INDEX_AVL)
		return ERR_PTR(-EINVAL);
	if (!p.max_arena_size)
		p.max_arena_size = GOMEM_POOL_DEFAULT_MAX_ARENA;
	if (!p.initial_size)
		p.initial_size = min(GOMEM_POOL_DEFAULT_INITIAL,
				     p.max_arena_size);
	if (p.max_arena_size > SZ_1G || p.initial_size > p.max_arena_size ||
	    p.initial_size < PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	p.max_arena_size = roundup_pow_of_two(p.max_arena_size);
	p.initial_size = roundup_pow_of_two(p.initial_size);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&pool->lock);
	pool->tree = RB_ROOT;
	INIT_LIST_HEAD(&pool->arenas);
	INIT_LIST_HEAD(&pool->dead);
	INIT_WORK(&pool->release_work, pool_release_work);
	pool->params = p;
	pool->child_size = p.initial_size;
	strscpy(pool->name, name, sizeof(pool->name));

	pa = pool_arena_new(pool, p.initial_size, false, GFP_KERNEL);
	if (!pa) {
		ret = -ENOMEM;
		goto err_free_pool;
	}
	raw_spin_lock_irq(&pool->lock);
	__pool_link(pool, pa);
	pool->current_arena = pa;
	raw_spin_unlock_irq(&pool->lock);

	mutex_lock(&gomem_pools_mutex);
	list_for_each_entry(other, &gomem_pools, link) {
		if (!strcmp(other->name, pool->name)) {
			mutex_unlock(&gomem_pools_mutex);
			ret = -EEXIST;
			goto err_release;
		}
	}
	other_dentry = debugfs_lookup(pool->name, gomem_debugfs_root);
	if (other_dentry) {
		/* Taken by a file of the module itself ("stats", "pools"). */
		dput(other_dentry);
		mutex_unlock(&gomem_pools_mutex);
		ret = -EEXIST;
		goto err_release;
	}
	pool->dir = debugfs_create_dir(pool->name, gomem_debugfs_root);
	debugfs_create_file("stats", 0444, pool->dir, pool, &pool_stats_fops);
	debugfs_create_file("check", 0444, pool->dir, pool, &pool_check_fops);
	list_add_tail(&pool->link, &gomem_pools);
	mutex_unlock(&gomem_pools_mutex);
	gomem_stat_inc(GOMEM_STAT_POOLS_LIVE);
	return pool;

err_release:
	pool_arena_release(pa);
err_free_pool:
	kfree(pool);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(gomem_pool_create);

/**
 * gomem_pool_destroy() - destroy a pool and all its arenas
 * @pool: the pool, or NULL / an ERR_PTR() (then nothing happens)
 *
 * Memory still in use is a caller bug: it warns once, prints the live
 * bytes of each arena, counts ``pool_bad_input``, and frees everything
 * anyway (the caller's pointers dangle).
 *
 * Context: process context; sleeps.  No other call on @pool may run or
 * follow.
 */
void gomem_pool_destroy(struct gomem_pool *pool)
{
	struct gomem_pool_stats st;
	struct pool_arena *pa, *tmp;

	if (IS_ERR_OR_NULL(pool))
		return;
	mutex_lock(&gomem_pools_mutex);
	list_del(&pool->link);
	debugfs_remove_recursive(pool->dir);
	mutex_unlock(&gomem_pools_mutex);

	raw_spin_lock_irq(&pool->lock);
	__pool_fill_stats(pool, &st);
	raw_spin_unlock_irq(&pool->lock);
	if (GOMEM_WARN_CALLER(st.in_use,
			      "gomem: pool %s destroyed with %zu bytes in use\n",
			      pool->name, st.in_use)) {
		gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
		pr_warn("pool %s: destroyed with %zu bytes in use in %lu arenas (%lu mallocs, %lu frees)\n",
			pool->name, st.in_use, st.arenas, st.mallocs, st.frees);
		list_for_each_entry(pa, &pool->arenas, link) {
			size_t live = pa->size -
				      gomem_arena_free_bytes(pa->arena);

			if (live)
				pr_warn("pool %s: arena [%p, +%zu)%s: %zu bytes live\n",
					pool->name, pa->base, pa->size,
					pa->dedicated ? " dedicated" : "",
					live);
		}
	}

	/* No other user now: the work item is the only one left. */
	flush_work(&pool->release_work);
	list_for_each_entry_safe(pa, tmp, &pool->arenas, link) {
		list_del(&pa->link);
		pool_arena_release(pa);
	}
	list_for_each_entry_safe(pa, tmp, &pool->dead, link) {
		list_del(&pa->link);
		pool_arena_release(pa);
	}
	gomem_stat_dec(GOMEM_STAT_POOLS_LIVE);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(gomem_pool_destroy);

/* ---- recyclable memory ---- */

/**
 * gomem_rm_init() - set up an empty recyclable memory
 * @rm: the recyclable memory, embedded by the caller
 * @pool: the pool gomem_rm_next() allocates from
 *
 * Context: any context.
 */
void gomem_rm_init(struct gomem_rm *rm, struct gomem_pool *pool)
{
	rm->pool = pool;
	gomem_bufs_init(&rm->bufs);
	rm->recycle = NULL;
	rm->nr_recycle = 0;
	rm->cap_recycle = 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_init);

/*
 * Buffers freed per hold of the pool's lock by gomem_rm_recycle(): bounds
 * the time interrupts stay off (and, on PREEMPT_RT, the raw lock is held).
 */
#define RM_BATCH	32

/* Room for one more recycle index. */
static int rm_reserve(struct gomem_rm *rm, gfp_t gfp)
{
	unsigned int *idx, cap;

	if (rm->nr_recycle < rm->cap_recycle)
		return 0;
	cap = rm->cap_recycle ? 2 * rm->cap_recycle : 16;
	idx = krealloc_array(rm->recycle, cap, sizeof(*idx), gfp);
	if (!idx)
		return -ENOMEM;
	rm->recycle = idx;
	rm->cap_recycle = cap;
	return 0;
}

/**
 * gomem_rm_next() - allocate a buffer from the pool and record it
 * @rm: the recyclable memory
 * @n: bytes, at least 1
 * @gfp: for the pool (see gomem_malloc()) and for growing the lists
 *
 * GoMem's NextN.  The buffer is appended to @rm->bufs and freed by
 * gomem_rm_recycle().
 *
 * Context: any context if @gfp does not block, except hardirq on PREEMPT_RT
 * (the lists grow with krealloc); the caller serialises calls on @rm.
 * Return: the buffer, or NULL when the pool or the lists cannot grow
 * (nothing is recorded then).
 */
void *gomem_rm_next(struct gomem_rm *rm, size_t n, gfp_t gfp)
{
	void *p;

	if (rm_reserve(rm, gfp))
		return NULL;
	p = gomem_malloc(rm->pool, n, gfp);
	if (!p)
		return NULL;
	if (gomem_bufs_push(&rm->bufs, p, n, gfp)) {
		gomem_free(rm->pool, p, n);
		return NULL;
	}
	rm->recycle[rm->nr_recycle++] = gomem_bufs_count(&rm->bufs) - 1;
	return p;
}
EXPORT_SYMBOL_GPL(gomem_rm_next);

/**
 * gomem_rm_add() - record a buffer the caller already has
 * @rm: the recyclable memory
 * @buf: the buffer
 * @len: its length, at least 1
 * @gfp: for growing the lists
 *
 * GoMem's AddRecycleBytes.  The buffer is appended to @rm->bufs.  If the
 * pool holds @buf, it now belongs to @rm and gomem_rm_recycle() frees it;
 * otherwise it is only listed (see the Recyclable memory DOC block).
 *
 * Context: any context if @gfp does not block, except hardirq on PREEMPT_RT
 * (the lists grow with krealloc); the caller serialises calls on @rm.
 * Takes the pool's raw spinlock.
 * Return: 0, -EINVAL for a NULL @buf or a zero @len, -ENOMEM, or an error
 * of gomem_bufs_push().
 */
int gomem_rm_add(struct gomem_rm *rm, void *buf, size_t len, gfp_t gfp)
{
	bool ours;
	int ret;

	if (!buf || !len)
		return -EINVAL;
	ours = gomem_pool_contains(rm->pool, buf);
	if (ours && rm_reserve(rm, gfp))
		return -ENOMEM;
	ret = gomem_bufs_push(&rm->bufs, buf, len, gfp);
	if (ret)
		return ret;
	if (ours)
		rm->recycle[rm->nr_recycle++] = gomem_bufs_count(&rm->bufs) - 1;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_add);

/**
 * gomem_rm_recycle() - free every pool buffer and empty the list
 * @rm: the recyclable memory
 *
 * GoMem's Recycle: the buffers at the recycle indexes go back to the pool
 * in one pass, taking the pool's lock once per 32 buffers; the others are
 * forgotten, not freed.  The lists keep their room for the next round.
 * A buffer the pool refuses (freed behind @rm's back) is reported as
 * gomem_free() would.
 *
 * Context: any context; never sleeps.  The caller serialises calls on @rm.
 */
void gomem_rm_recycle(struct gomem_rm *rm)
{
	struct gomem_pool *pool = rm->pool;
	unsigned int i = 0, end, bad = 0;
	bool release = false;
	unsigned long flags;

	/* One lock hold per RM_BATCH buffers, not one per buffer. */
	while (i < rm->nr_recycle) {
		end = min(i + RM_BATCH, rm->nr_recycle);
		raw_spin_lock_irqsave(&pool->lock, flags);
		for (; i < end; i++) {
			const struct kvec *seg = &rm->bufs.segs[rm->recycle[i]];

			if (__pool_free(pool, seg->iov_base, seg->iov_len,
					&release))
				rm->recycle[bad++] = rm->recycle[i];
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	}
	/* Report the refused ones (their slots were reused for this). */
	for (i = 0; i < bad; i++) {
		const struct kvec *seg = &rm->bufs.segs[rm->recycle[i]];

		pool_report_bad_free(pool, seg->iov_base, seg->iov_len,
				     gomem_pool_contains(pool, seg->iov_base) ?
				     -EINVAL : 1);
	}
	if (release)
		queue_work(system_unbound_wq, &pool->release_work);
	rm->nr_recycle = 0;
	gomem_bufs_reset(&rm->bufs);
}
EXPORT_SYMBOL_GPL(gomem_rm_recycle);

/**
 * gomem_rm_fini() - recycle, then free the lists themselves
 * @rm: the recyclable memory
 *
 * Context: any context except hardirq on PREEMPT_RT (kfree); never sleeps.
 */
void gomem_rm_fini(struct gomem_rm *rm)
{
	gomem_rm_recycle(rm);
	gomem_bufs_fini(&rm->bufs);
	kfree(rm->recycle);
	rm->recycle = NULL;
	rm->cap_recycle = 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_fini);

/* ---- module glue ---- */

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

	mutex_lock(&gomem_buddy_mutex);
	b = gomem_module_buddy;
	mutex_unlock(&gomem_buddy_mutex);
	return b;
}
EXPORT_SYMBOL_NS_GPL(gomem_pool_module_buddy, GOMEM_INTERNAL);

/**
 * gomem_stat_read() - read one of the module-wide counters
 * @s: the counter
 *
 * Context: any.
 * Return: its value (the debugfs file ``stats`` lists them all).
 */
long gomem_stat_read(enum gomem_stat s)
{
	return atomic_long_read(&gomem_stats[s]);
}
EXPORT_SYMBOL_NS_GPL(gomem_stat_read, GOMEM_INTERNAL);

int gomem_pool_debugfs_init(struct dentry *root)
{
	debugfs_create_file("pools", 0444, root, NULL, &pools_fops);
	debugfs_create_file("buddy", 0444, root, NULL, &module_buddy_fops);
	return 0;
}

void gomem_pool_debugfs_exit(void)
{
	struct gomem_pool *pool;

	mutex_lock(&gomem_pools_mutex);
	list_for_each_entry(pool, &gomem_pools, link) {
		pr_warn("pool %s still exists at unload\n", pool->name);
		/* Its release work must not run after the module text is gone. */
		flush_work(&pool->release_work);
	}
	mutex_unlock(&gomem_pools_mutex);

	mutex_lock(&gomem_buddy_mutex);
	if (gomem_module_buddy) {
		void *base = gomem_buddy_base(gomem_module_buddy);

		WARN_ON(gomem_buddy_nr_allocated(gomem_module_buddy));
		gomem_buddy_destroy(gomem_module_buddy);
		vfree(base);
		gomem_module_buddy = NULL;
	}
	mutex_unlock(&gomem_buddy_mutex);
}
