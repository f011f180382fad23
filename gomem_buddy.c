// SPDX-License-Identifier: GPL-2.0
/*
 * gomem buddy: binary buddy allocator over one region.
 */

/**
 * DOC: Overview
 *
 * A binary buddy allocator over one contiguous region, GoMem's ``Buddy``
 * rebuilt.  The region is cut into units (1 KiB by default, GoMem's
 * MinPowerOf2); a block is 2^k units, aligned to its own size relative to
 * the region's start.  That is alignment in address only when the region
 * is aligned that far: gomem_buddy_create() vmallocs a region that is only
 * page aligned, so a caller who needs hardware alignment gives its own,
 * aligned region to gomem_buddy_create_on().  The region
 * need not be a power of two units: it starts as the largest aligned
 * blocks that tile it, and a block whose buddy would cross the end never
 * merges.
 *
 * GoMem walks a ``longest[]`` tree, O(log n) on every call.  Here each
 * order has a free list, and a word of bits says which lists are not
 * empty, so an allocation is one bit scan, a list pop and one split per
 * order it descends: O(1) when a block of the right order is free, O(log n)
 * at worst.  Free merges with its buddy while the buddy is free and of the
 * same order: O(1) to O(log n) as well.  No allocation, no indirect call.
 *
 * One freed block per order is parked unmerged in a "hot" slot, and an
 * allocation of that order takes it back first: the alloc-then-free
 * pattern (GoMem's benchmark) then costs O(1) instead of log n splits and
 * log n merges.  Parking must not cost completeness, so an allocation that
 * would fail first merges every parked block (at most one per order, so
 * O(log^2 n)) and retries, and gomem_buddy_largest_free() does the same
 * before it answers.
 *
 * All state lives in one kvmalloc'd block beside the region (nothing is
 * written into the region, so the caller may hand out every byte): per
 * unit a state byte, and for free block starts the two list links.
 *
 * Invariants, checked by gomem_buddy_check():
 *
 * 1) The blocks tile [0, nr_units): walking from unit 0 by block sizes
 *    meets only block starts (state != 0), and every unit inside a block
 *    has state 0.
 * 2) A block of order k starts at a multiple of 2^k and ends inside the
 *    region.
 * 3) Coalescing is complete among listed blocks: no free block of order
 *    k has a free buddy of the same order.  (A parked block may sit beside
 *    a free buddy until it is merged.)
 * 4) Free list k holds exactly the free blocks of order k, linked both
 *    ways; bit k of ``avail`` is set exactly when the list is not empty.
 *    ``hot[k]`` holds the one parked block of order k, if any, and bit k
 *    of ``hot_mask`` says so.
 * 5) ``free_bytes`` and ``nr_allocated`` agree with the blocks.
 *
 * Because of 3) and the merge of parked blocks before a failure, a request
 * of 2^k units fails only when no 2^k-aligned run of 2^k free units exists
 * anywhere (the tests check exactly this against
 * a model).  Splitting keeps the lower half, so low addresses are used
 * first; freed blocks are reused first (LIFO), while they are still hot in
 * the cache.
 *
 * Bad input (size 0, a pointer outside the region or not at the start of
 * a live block, a double free) is refused with NULL or -EINVAL, a
 * WARN_ONCE (GOMEM_WARN_CALLER()), and a count in the buddy and in the
 * module's ``buddy_bad_input`` stat; the state is left untouched.
 *
 * Memory initialisation (gomem_init.h): under init_on_alloc an allocation
 * is zeroed over the @size bytes asked for (not the rest of its block);
 * under init_on_free a good free zeroes the whole block, which is safe
 * because the bookkeeping lives beside the region.
 *
 * Locking: none.  The caller serialises every call on one buddy; none of
 * them sleeps except create and destroy.
 */

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

#include <gomem/buddy.h>
#include "gomem_init.h"
#include "gomem_kasan.h"
#include "gomem_report.h"

#define BUDDY_NIL	U32_MAX

static void buddy_bad_input(struct gomem_buddy *b)
{
	b->bad_input++;
	gomem_stat_inc(GOMEM_STAT_BUDDY_BAD_INPUT);
}

static inline unsigned int buddy_order(const struct gomem_buddy *b,
				       size_t size)
{
	size_t units = (size + (1UL << b->unit_shift) - 1) >> b->unit_shift;

	return units > 1 ? ilog2(units - 1) + 1 : 0;
}

/* Put the free block at unit @u, of order @k, at the head of its list. */
static inline void buddy_push(struct gomem_buddy *b, u32 u, unsigned int k)
{
	u32 h = b->head[k];

	b->state[u] = GOMEM_BUDDY_FREE | k;
	b->next[u] = h;
	b->prev[u] = BUDDY_NIL;
	if (h != BUDDY_NIL)
		b->prev[h] = u;
	b->head[k] = u;
	b->avail |= 1UL << k;
}

/* Take the free block at unit @u, of order @k, off its list. */
static inline void buddy_unlink(struct gomem_buddy *b, u32 u, unsigned int k)
{
	u32 n = b->next[u], p = b->prev[u];

	if (p != BUDDY_NIL)
		b->next[p] = n;
	else
		b->head[k] = n;
	if (n != BUDDY_NIL)
		b->prev[n] = p;
	if (b->head[k] == BUDDY_NIL)
		b->avail &= ~(1UL << k);
	b->state[u] = 0;
}

/*
 * Return the block at unit @u, of order @k, to the free lists, merging it
 * with its buddy while the buddy is free (listed or parked) and of the
 * same order: invariant 3).
 */
static void buddy_merge_in(struct gomem_buddy *b, unsigned long u,
			   unsigned int k)
{
	for (; k < b->max_order; k++) {
		unsigned long buddy = u ^ (1UL << k);
		u8 s;

		if (buddy >= b->nr_units)
			break;
		s = b->state[buddy];
		if (s == (GOMEM_BUDDY_FREE | k)) {
			buddy_unlink(b, buddy, k);
		} else if (s == (GOMEM_BUDDY_HOT | k)) {
			b->hot[k] = BUDDY_NIL;
			b->hot_mask &= ~(1UL << k);
			b->state[buddy] = 0;
		} else {
			break;
		}
		u &= ~(1UL << k);
	}
	buddy_push(b, u, k);
}

/* Merge every parked block into the free lists. */
static void buddy_flush_hot(struct gomem_buddy *b)
{
	while (b->hot_mask) {
		unsigned int k = __ffs(b->hot_mask);
		u32 u = b->hot[k];

		b->hot[k] = BUDDY_NIL;
		b->hot_mask &= ~(1UL << k);
		b->state[u] = 0;
		buddy_merge_in(b, u, k);
	}
}

/**
 * gomem_buddy_create_on() - set up a buddy allocator over caller memory
 * @base: first byte of the region; aligned to @unit
 * @size: bytes in the region; rounded down to a whole number of units
 * @unit: allocation unit, a power of two >= %GOMEM_BUDDY_MIN_UNIT, or 0
 *	  for %GOMEM_BUDDY_DEFAULT_UNIT
 * @gfp: allocation flags for the metadata (9 bytes per unit)
 *
 * The region stays the caller's: gomem_buddy_destroy() does not free it.
 *
 * Context: process context if @gfp may sleep.
 * Return: the buddy, or ERR_PTR(-EINVAL) for a bad @base, @size or @unit,
 * ERR_PTR(-ENOMEM) when the metadata cannot be allocated.
 */
struct gomem_buddy *gomem_buddy_create_on(void *base, size_t size,
					  size_t unit, gfp_t gfp)
{
	struct gomem_buddy *b;
	unsigned long nr_units, u;
	unsigned int shift, k;

	if (!unit)
		unit = GOMEM_BUDDY_DEFAULT_UNIT;
	if (!base || !is_power_of_2(unit) || unit < GOMEM_BUDDY_MIN_UNIT ||
	    !IS_ALIGNED((unsigned long)base, unit) || size < unit)
		return ERR_PTR(-EINVAL);
	shift = ilog2(unit);
	nr_units = size >> shift;
	/* Unit numbers are u32 and BUDDY_NIL must stay out of range. */
	if (nr_units >= BUDDY_NIL)
		return ERR_PTR(-EINVAL);

	/* A failure is the caller's -ENOMEM, not a kernel warning. */
	gfp |= __GFP_NOWARN;
	if (gomem_should_fail(sizeof(*b) + nr_units * (2 * sizeof(u32) + 1)))
		return ERR_PTR(-ENOMEM);
	b = kvzalloc(sizeof(*b), gfp);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->next = kvmalloc_array(nr_units, 2 * sizeof(u32) + 1, gfp);
	if (!b->next) {
		kvfree(b);
		return ERR_PTR(-ENOMEM);
	}
	b->prev = b->next + nr_units;
	b->state = (u8 *)(b->prev + nr_units);
	memset(b->state, 0, nr_units);

	b->base = base;
	b->unit_shift = shift;
	b->nr_units = nr_units;
	b->size = nr_units << shift;
	b->max_order = min_t(unsigned int, ilog2(nr_units),
			     GOMEM_BUDDY_MAX_ORDER);
	b->free_bytes = b->size;
	for (k = 0; k <= GOMEM_BUDDY_MAX_ORDER; k++) {
		b->head[k] = BUDDY_NIL;
		b->hot[k] = BUDDY_NIL;
	}

	/* Tile the region with the largest aligned blocks, 1) and 2). */
	for (u = 0; u < nr_units; u += 1UL << k) {
		k = u ? min_t(unsigned int, __ffs(u), b->max_order) :
			b->max_order;
		while (u + (1UL << k) > nr_units)
			k--;
		buddy_push(b, u, k);
	}
	/* All of it is free. */
	if (gomem_want_poison())
		memset(base, GOMEM_POISON_BYTE, b->size);
	gomem_poison_free(base, b->size);
	return b;
}
EXPORT_SYMBOL_GPL(gomem_buddy_create_on);

/**
 * gomem_buddy_create() - vmalloc a region and set up a buddy allocator on it
 * @size: bytes in the region, rounded down to a whole number of units
 * @unit: allocation unit as for gomem_buddy_create_on(), 0 for the default
 * @gfp: allocation flags for the metadata
 *
 * The region is padded by one unit so that its usable part is aligned to
 * the unit even when the unit is larger than a page.
 *
 * Context: process context; sleeps.
 * Return: the buddy, or an ERR_PTR() as for gomem_buddy_create_on().
 */
struct gomem_buddy *gomem_buddy_create(size_t size, size_t unit, gfp_t gfp)
{
	struct gomem_buddy *b;
	unsigned long skip;
	void *vm;

	if (!unit)
		unit = GOMEM_BUDDY_DEFAULT_UNIT;
	if (!size || !is_power_of_2(unit) || size > SIZE_MAX - unit)
		return ERR_PTR(-EINVAL);
	if (gomem_should_fail(size + unit))
		return ERR_PTR(-ENOMEM);
	/* vmalloc aligns to a page only: pad so a larger unit fits too. */
	vm = __vmalloc(size + unit, GFP_KERNEL | __GFP_NOWARN);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	skip = ALIGN((unsigned long)vm, unit) - (unsigned long)vm;
	b = gomem_buddy_create_on((u8 *)vm + skip, size, unit, gfp);
	if (IS_ERR(b)) {
		vfree(vm);
		return b;
	}
	b->vm_base = vm;
	return b;
}
EXPORT_SYMBOL_GPL(gomem_buddy_create);

/**
 * gomem_buddy_destroy() - tear down a buddy allocator
 * @b: the buddy, or NULL / an ERR_PTR() (then nothing happens)
 *
 * Live blocks are not tracked further: the caller must be done with them.
 * The region is freed only if gomem_buddy_create() allocated it.
 *
 * Context: process context; may sleep.
 */
void gomem_buddy_destroy(struct gomem_buddy *b)
{
	if (IS_ERR_OR_NULL(b))
		return;
	if (!b->vm_base)
		gomem_unpoison(b->base, b->size);	/* the caller's again */
	vfree(b->vm_base);
	kvfree(b->next);
	kvfree(b);
}
EXPORT_SYMBOL_GPL(gomem_buddy_destroy);

/* Allocate a block, unzeroed: see gomem_buddy_alloc(). */
static void *__buddy_alloc(struct gomem_buddy *b, size_t size)
{
	unsigned long mask;
	void *p;
	unsigned int order, k;
	u32 u;

	if (GOMEM_WARN_CALLER(!size, "gomem_buddy: alloc of 0 bytes\n")) {
		buddy_bad_input(b);
		return NULL;
	}
	if (unlikely(size > b->size))
		return NULL;
	order = buddy_order(b, size);
	if (b->hot_mask & (1UL << order)) {
		/* The block freed last at this order, still hot. */
		u = b->hot[order];
		b->hot[order] = BUDDY_NIL;
		b->hot_mask &= ~(1UL << order);
		goto found;
	}
	mask = b->avail >> order;
	if (unlikely(!mask)) {
		if (!b->hot_mask)
			return NULL;
		/* Completeness: merge the parked blocks, then look again. */
		buddy_flush_hot(b);
		mask = b->avail >> order;
		if (!mask)
			return NULL;
	}

	/* The smallest free block that fits, then split it down. */
	k = order + __ffs(mask);
	u = b->head[k];
	buddy_unlink(b, u, k);
	while (k > order) {
		k--;
		buddy_push(b, u + (1U << k), k);
	}
found:
	b->state[u] = GOMEM_BUDDY_USED | order;
	b->free_bytes -= 1UL << (order + b->unit_shift);
	b->nr_allocated++;
	p = b->base + ((unsigned long)u << b->unit_shift);
	/*
	 * The whole block is the caller's (gomem_buddy_block_size() says how
	 * large, as ksize() does), so KASAN sees all of it valid.
	 */
	gomem_unpoison(p, 1UL << (order + b->unit_shift));
	return p;
}

/*
 * Poison mode (gomem_init.h): does the block at @p, just taken, still hold
 * the pattern it got when freed?  If not, report, count, and give it back
 * to KASAN as free: it stays allocated, withheld, never handed out.
 */
static noinline bool buddy_poison_ok(const struct gomem_buddy *b,
				     const void *p)
{
	size_t len = gomem_buddy_block_size(b, p);
	const u8 *bad = memchr_inv(p, GOMEM_POISON_BYTE, len);

	if (likely(!bad))
		return true;
	GOMEM_WARN_CALLER(1, "gomem_buddy: %p: free block at %#lx overwritten at byte %zu\n",
			  b, (unsigned long)((const u8 *)p - (const u8 *)b->base),
			  (size_t)(bad - (const u8 *)p));
	gomem_stat_inc(GOMEM_STAT_POISON_BAD);
	gomem_poison_free(p, len);
	return false;
}

/**
 * gomem_buddy_alloc() - allocate a block
 * @b: the buddy
 * @size: bytes wanted; the block is @size rounded up to 2^k units
 *
 * Not zeroed, unless the kernel zeroes allocations (init_on_alloc=1, the
 * default of Debian's kernels) or gomem's module parameter
 * ``init_on_alloc`` is set: then the first @size bytes are zeroed, the
 * rest of the block is not (a memset of @size bytes per call).  In poison
 * mode (gomem_init.h) the block is checked first: one overwritten while
 * free is reported and withheld, and another taken.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: the block, aligned to its size relative to the region's start
 * (see the DOC block), or NULL when no free block is
 * large enough or @size is 0 (a caller bug: warned once and counted).
 */
void *gomem_buddy_alloc(struct gomem_buddy *b, size_t size)
{
	void *p;

	do {
		p = __buddy_alloc(b, size);
	} while (unlikely(gomem_want_poison()) && p && !buddy_poison_ok(b, p));
	if (p && gomem_want_init_on_alloc(0))
		memset(p, 0, size);
	return p;
}
EXPORT_SYMBOL_GPL(gomem_buddy_alloc);

/* Unit index of the block starting at @ptr, or -1 if there is none. */
static long buddy_block_unit(const struct gomem_buddy *b, const void *ptr)
{
	unsigned long off = (unsigned long)ptr - (unsigned long)b->base;
	unsigned long u;

	if ((unsigned long)ptr < (unsigned long)b->base || off >= b->size ||
	    off & ((1UL << b->unit_shift) - 1))
		return -1;
	u = off >> b->unit_shift;
	return b->state[u] & GOMEM_BUDDY_USED ? (long)u : -1;
}

/*
 * Say which rule a free buddy_block_unit() refused broke, with its offset
 * into the region.
 */
static void buddy_report_bad_free(const struct gomem_buddy *b, const void *ptr)
{
	unsigned long off = (unsigned long)ptr - (unsigned long)b->base;

	/* An offset into the region, not the address: %p is hashed. */
	if ((unsigned long)ptr < (unsigned long)b->base || off >= b->size)
		GOMEM_WARN_CALLER(1, "gomem_buddy: refused free: %s its %zu KiB region\n",
				  "a pointer outside", b->size >> 10);
	else
		GOMEM_WARN_CALLER(1, "gomem_buddy: refused free at offset %#lx of %zu KiB: %s\n",
				  off, b->size >> 10,
				  "not the start of a block in use (a double free?)");
}

/**
 * gomem_buddy_free() - free a block
 * @b: the buddy
 * @ptr: a block returned by gomem_buddy_alloc() on @b and not yet freed
 *
 * A @ptr outside the region, not at the start of a live block, or already
 * freed is refused: warned once, counted, and the state is unchanged.
 * Under init_on_free (the kernel's, or gomem's module parameter) a good
 * free zeroes the whole block first; a refused one touches nothing.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: 0, or -EINVAL for a bad @ptr.
 */
int gomem_buddy_free(struct gomem_buddy *b, void *ptr)
{
	unsigned int order;
	long u = buddy_block_unit(b, ptr);

	if (unlikely(u < 0)) {
		buddy_report_bad_free(b, ptr);
		buddy_bad_input(b);
		return -EINVAL;
	}
	order = b->state[u] & GOMEM_BUDDY_ORDER_MASK;
	/* Poison mode's pattern replaces the zeros (gomem_init.h). */
	if (gomem_want_poison())
		gomem_wipe(ptr, GOMEM_POISON_BYTE, 1UL << (order + b->unit_shift));
	else if (gomem_want_init_on_free())
		gomem_wipe(ptr, 0, 1UL << (order + b->unit_shift));
	gomem_poison_free(ptr, 1UL << (order + b->unit_shift));
	b->state[u] = 0;
	b->free_bytes += 1UL << (order + b->unit_shift);
	b->nr_allocated--;

	if (!(b->hot_mask & (1UL << order))) {
		/* Park it: the next allocation of this order takes it back. */
		b->state[u] = GOMEM_BUDDY_HOT | order;
		b->hot[order] = u;
		b->hot_mask |= 1UL << order;
		return 0;
	}
	buddy_merge_in(b, u, order);
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_buddy_free);

/**
 * gomem_buddy_block_size() - size of a live block
 * @b: the buddy
 * @ptr: a pointer to check
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: the size in bytes of the live block starting at @ptr, or 0 if
 * @ptr is not the start of a live block.
 */
size_t gomem_buddy_block_size(const struct gomem_buddy *b, const void *ptr)
{
	long u = buddy_block_unit(b, ptr);

	if (u < 0)
		return 0;
	return 1UL << ((b->state[u] & GOMEM_BUDDY_ORDER_MASK) + b->unit_shift);
}
EXPORT_SYMBOL_GPL(gomem_buddy_block_size);

/**
 * gomem_buddy_base() - first byte of the region
 * @b: the buddy
 *
 * Context: any context.
 * Return: the region's base address.
 */
void *gomem_buddy_base(const struct gomem_buddy *b)
{
	return b->base;
}
EXPORT_SYMBOL_GPL(gomem_buddy_base);

/**
 * gomem_buddy_size() - bytes managed
 * @b: the buddy
 *
 * Context: any context.
 * Return: the region size rounded down to whole units.
 */
size_t gomem_buddy_size(const struct gomem_buddy *b)
{
	return b->size;
}
EXPORT_SYMBOL_GPL(gomem_buddy_size);

/**
 * gomem_buddy_unit() - allocation unit
 * @b: the buddy
 *
 * Context: any context.
 * Return: the unit in bytes; every block is a power of two of them.
 */
size_t gomem_buddy_unit(const struct gomem_buddy *b)
{
	return 1UL << b->unit_shift;
}
EXPORT_SYMBOL_GPL(gomem_buddy_unit);

/**
 * gomem_buddy_free_bytes() - bytes not allocated
 * @b: the buddy
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: free bytes, in whole units.
 */
size_t gomem_buddy_free_bytes(const struct gomem_buddy *b)
{
	return b->free_bytes;
}
EXPORT_SYMBOL_GPL(gomem_buddy_free_bytes);

/**
 * gomem_buddy_largest_free() - largest block an allocation can get
 * @b: the buddy
 *
 * Merges the parked blocks first, so the answer is exact.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: the size in bytes of the largest free block, 0 if none.
 */
size_t gomem_buddy_largest_free(struct gomem_buddy *b)
{
	buddy_flush_hot(b);
	return b->avail ? 1UL << (__fls(b->avail) + b->unit_shift) : 0;
}
EXPORT_SYMBOL_GPL(gomem_buddy_largest_free);

/**
 * gomem_buddy_nr_allocated() - live blocks
 * @b: the buddy
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: the number of blocks allocated and not freed.
 */
unsigned long gomem_buddy_nr_allocated(const struct gomem_buddy *b)
{
	return b->nr_allocated;
}
EXPORT_SYMBOL_GPL(gomem_buddy_nr_allocated);

/**
 * gomem_buddy_bad_input() - calls refused as caller bugs
 * @b: the buddy
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: how many calls on @b were refused (zero size, bad free).
 */
unsigned long gomem_buddy_bad_input(const struct gomem_buddy *b)
{
	return b->bad_input;
}
EXPORT_SYMBOL_GPL(gomem_buddy_bad_input);

/**
 * gomem_buddy_contains() - whether a pointer lies in the region
 * @b: the buddy
 * @ptr: the pointer
 *
 * Context: any context.
 * Return: true if @ptr is inside the managed bytes of @b.
 */
bool gomem_buddy_contains(const struct gomem_buddy *b, const void *ptr)
{
	unsigned long p = (unsigned long)ptr, s = (unsigned long)b->base;

	return p >= s && p - s < b->size;
}
EXPORT_SYMBOL_GPL(gomem_buddy_contains);

/**
 * gomem_buddy_check() - verify every invariant of a buddy allocator
 * @b: the buddy
 *
 * Walks the tiling of blocks and every free list, checking invariants 1)
 * to 5) of the overview.  O(n) in units.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: 0 if consistent, -EUCLEAN otherwise.
 */
int gomem_buddy_check(const struct gomem_buddy *b)
{
	unsigned long nr_free[GOMEM_BUDDY_MAX_ORDER + 1] = { 0 };
	unsigned long u, j, n, live = 0, nr_hot = 0;
	size_t free_bytes = 0;
	unsigned int k;

	/* 1), 2), 3) and the counts of 5), walking the tiling. */
	for (u = 0; u < b->nr_units; u += n) {
		u8 s = b->state[u];

		k = s & GOMEM_BUDDY_ORDER_MASK;
		n = 1UL << k;
		if (hweight8(s & ~GOMEM_BUDDY_ORDER_MASK) != 1 ||
		    k > b->max_order || u & (n - 1) || u + n > b->nr_units)
			return -EUCLEAN;
		for (j = u + 1; j < u + n; j++)
			if (b->state[j])
				return -EUCLEAN;
		if (s & GOMEM_BUDDY_USED) {
			live++;
			continue;
		}
		if (s & GOMEM_BUDDY_HOT) {
			if (b->hot[k] != u || !(b->hot_mask & (1UL << k)))
				return -EUCLEAN;
			nr_hot++;
			free_bytes += n << b->unit_shift;
			continue;
		}
		j = u ^ n;
		if (k < b->max_order && j < b->nr_units &&
		    b->state[j] == (GOMEM_BUDDY_FREE | k))
			return -EUCLEAN;
		nr_free[k]++;
		free_bytes += n << b->unit_shift;
	}
	if (free_bytes != b->free_bytes || live != b->nr_allocated ||
	    nr_hot != hweight_long(b->hot_mask))
		return -EUCLEAN;

	/* 4): each list holds exactly its order's free blocks. */
	for (k = 0; k <= GOMEM_BUDDY_MAX_ORDER; k++) {
		u32 p = BUDDY_NIL, x = b->head[k];

		for (n = 0; x != BUDDY_NIL; n++, p = x, x = b->next[x]) {
			if (n >= nr_free[k] || x >= b->nr_units ||
			    b->state[x] != (GOMEM_BUDDY_FREE | k) ||
			    b->prev[x] != p)
				return -EUCLEAN;
		}
		if (n != nr_free[k] || !!(b->avail & (1UL << k)) != !!n)
			return -EUCLEAN;
	}
	/* No order past the largest (a mask: no shift by the word width). */
	if ((b->avail | b->hot_mask) & ~GENMASK(GOMEM_BUDDY_MAX_ORDER, 0))
		return -EUCLEAN;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_buddy_check);
