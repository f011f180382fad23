// SPDX-License-Identifier: GPL-2.0
/*
 * gomem buddy: binary buddy allocator over one region.
 */

/**
 * DOC: Overview
 *
 * A binary buddy allocator over one contiguous region, GoMem's ``Buddy``
 * rebuilt.  The region is cut into units (1 KiB by default, GoMem's
 * MinPowerOf2); a block is 2^k units, aligned to its own size.  The region
 * need not be a power of two units: the tree covers the next power of two
 * and the units past the end are simply never free.
 *
 * State, in one kvmalloc'd block beside the region (nothing is stored in
 * the region itself, so the caller may hand out every byte):
 *
 * - ``longest[]``: a complete binary tree in heap order (root 1, children
 *   2i and 2i+1).  A node of order k covers 2^k units; its byte holds
 *   1 + the order of the largest free block inside it, 0 for none.
 * - ``alloc_order[]``: per unit, 1 + the order of the allocated block that
 *   starts there, 0 otherwise.  Free looks the block up here in O(1), which
 *   is what lets it refuse a double free, a pointer into the middle of a
 *   block and a misaligned pointer.
 *
 * Invariants, checked by gomem_buddy_check():
 *
 * 1) A node of order k whose block is allocated holds 0, and its subtree
 *    is not consulted (the values below it are stale by design).
 * 2) A leaf (k = 0) not allocated and inside the region holds 1; a leaf
 *    past the end of the region holds 0.
 * 3) Any other node holds k + 1 when both children hold k (both halves
 *    wholly free: they coalesce), else the larger child value.
 * 4) alloc_order[u] = k + 1 exactly when the order-k node starting at unit
 *    u is allocated; every other unit of the block holds 0.
 *
 * Alloc descends from the root towards a child that fits, preferring the
 * one whose largest free block is smaller (best fit between the two; the
 * lower address on a tie), then walks back up fixing the parents with 3)
 * and stops as soon as a parent does not change.  Free finds the node from
 * alloc_order[], marks it free and walks up the same way, coalescing.
 * Both are O(log n) in the number of units, with no allocation and no
 * indirect call.
 *
 * Bad input (size 0, a pointer outside the region or not at a block
 * start, a double free) is refused with NULL or -EINVAL, a WARN_ONCE, and
 * a count in the buddy and in the module's ``buddy_bad_input`` stat; the
 * state is left untouched.
 *
 * Locking: none.  The caller serialises every call on one buddy; none of
 * them sleeps except create and destroy.
 */

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

#ifdef GOMEM_USERSPACE
#define buddy_stat_bad_input()	do { } while (0)
#else
/* The module-wide counter lives in glue this file cannot include. */
#include <linux/atomic.h>
#include "gomem_internal.h"
#define buddy_stat_bad_input()	gomem_stat_inc(GOMEM_STAT_BUDDY_BAD_INPUT)
#endif

/* Orders are stored in a u8 as order + 1; far more than any region needs. */
#define BUDDY_MAX_ORDER		48

static void buddy_bad_input(struct gomem_buddy *b)
{
	b->bad_input++;
	buddy_stat_bad_input();
}

/* Value of a node of order @k from its children's values @l and @r: 3). */
static inline u8 buddy_combine(u8 l, u8 r, unsigned int k)
{
	if (l == k && r == k)
		return k + 1;
	return l > r ? l : r;
}

static inline unsigned int buddy_order(const struct gomem_buddy *b,
				       size_t size)
{
	size_t units = (size + (1UL << b->unit_shift) - 1) >> b->unit_shift;

	return units > 1 ? ilog2(units - 1) + 1 : 0;
}

/* Walk up from node @i of order @k, fixing parents until one holds. */
static inline void buddy_fix_up(struct gomem_buddy *b, unsigned long i,
				unsigned int k)
{
	u8 *t = b->longest;

	while (i > 1) {
		u8 v;

		i >>= 1;
		k++;
		v = buddy_combine(t[2 * i], t[2 * i + 1], k);
		if (t[i] == v)
			break;
		t[i] = v;
	}
}

/**
 * gomem_buddy_create_on() - set up a buddy allocator over caller memory
 * @base: first byte of the region; aligned to @unit
 * @size: bytes in the region; rounded down to a whole number of units
 * @unit: allocation unit, a power of two >= %GOMEM_BUDDY_MIN_UNIT, or 0
 *	  for %GOMEM_BUDDY_DEFAULT_UNIT
 * @gfp: allocation flags for the metadata (about 3 bytes per unit)
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
	unsigned long nr_units, leaves, i;
	unsigned int shift, max_order, k;

	if (!unit)
		unit = GOMEM_BUDDY_DEFAULT_UNIT;
	if (!base || !is_power_of_2(unit) || unit < GOMEM_BUDDY_MIN_UNIT ||
	    !IS_ALIGNED((unsigned long)base, unit) || size < unit)
		return ERR_PTR(-EINVAL);
	shift = ilog2(unit);
	nr_units = size >> shift;
	max_order = nr_units > 1 ? ilog2(nr_units - 1) + 1 : 0;
	if (max_order > BUDDY_MAX_ORDER)
		return ERR_PTR(-EINVAL);
	leaves = 1UL << max_order;

	b = kvzalloc(sizeof(*b) + 3 * leaves, gfp);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->base = base;
	b->unit_shift = shift;
	b->nr_units = nr_units;
	b->size = nr_units << shift;
	b->max_order = max_order;
	b->free_bytes = b->size;
	b->alloc_order = b->longest + 2 * leaves;

	/* Leaves by 2), then every level above by 3), bottom up. */
	for (i = 0; i < leaves; i++)
		b->longest[leaves + i] = i < nr_units ? 1 : 0;
	for (k = 1; k <= max_order; k++) {
		unsigned long first = leaves >> k;

		for (i = first; i < 2 * first; i++)
			b->longest[i] = buddy_combine(b->longest[2 * i],
						      b->longest[2 * i + 1], k);
	}
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
	/* vmalloc aligns to a page only: pad so a larger unit fits too. */
	vm = vmalloc(size + unit);
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
	vfree(b->vm_base);
	kvfree(b);
}
EXPORT_SYMBOL_GPL(gomem_buddy_destroy);

/**
 * gomem_buddy_alloc() - allocate a block
 * @b: the buddy
 * @size: bytes wanted; the block is @size rounded up to 2^k units
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: the block, aligned to its size, or NULL when no free block is
 * large enough or @size is 0 (a caller bug: warned once and counted).
 */
void *gomem_buddy_alloc(struct gomem_buddy *b, size_t size)
{
	unsigned long i, u;
	unsigned int order, k, need;

	if (WARN_ONCE(!size, "gomem_buddy: alloc of 0 bytes\n")) {
		buddy_bad_input(b);
		return NULL;
	}
	if (unlikely(size > b->size))
		return NULL;
	order = buddy_order(b, size);
	need = order + 1;
	if (b->longest[1] < need)
		return NULL;

	/* Descend: take the child whose best block fits more tightly. */
	i = 1;
	for (k = b->max_order; k > order; k--) {
		unsigned int l, r;

		i <<= 1;
		l = b->longest[i];
		r = b->longest[i + 1];
		/* Arithmetic, not branches: the choice is data dependent. */
		i += (l < need) | ((r >= need) & (r < l));
	}
	b->longest[i] = 0;
	buddy_fix_up(b, i, order);

	u = (i - (1UL << (b->max_order - order))) << order;
	b->alloc_order[u] = need;
	b->free_bytes -= 1UL << (order + b->unit_shift);
	b->nr_allocated++;
	return b->base + (u << b->unit_shift);
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
	return b->alloc_order[u] ? (long)u : -1;
}

/**
 * gomem_buddy_free() - free a block
 * @b: the buddy
 * @ptr: a block returned by gomem_buddy_alloc() on @b and not yet freed
 *
 * A @ptr outside the region, not at the start of a live block, or already
 * freed is refused: warned once, counted, and the state is unchanged.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: 0, or -EINVAL for a bad @ptr.
 */
int gomem_buddy_free(struct gomem_buddy *b, void *ptr)
{
	unsigned int order;
	unsigned long i;
	long u = buddy_block_unit(b, ptr);

	if (WARN_ONCE(u < 0, "gomem_buddy: bad free of %p\n", ptr)) {
		buddy_bad_input(b);
		return -EINVAL;
	}
	order = b->alloc_order[u] - 1;
	b->alloc_order[u] = 0;
	i = (1UL << (b->max_order - order)) + ((unsigned long)u >> order);
	b->longest[i] = order + 1;
	buddy_fix_up(b, i, order);
	b->free_bytes += 1UL << (order + b->unit_shift);
	b->nr_allocated--;
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
	return 1UL << (b->alloc_order[u] - 1 + b->unit_shift);
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
 * Context: any context; the caller serialises calls on @b.
 * Return: the size in bytes of the largest free block, 0 if none.
 */
size_t gomem_buddy_largest_free(const struct gomem_buddy *b)
{
	u8 v = b->longest[1];

	return v ? 1UL << (v - 1 + b->unit_shift) : 0;
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

struct buddy_check {
	size_t free_bytes;
	unsigned long nr_allocated;
	int err;
};

/* Expected value of node @i of order @k, checking its subtree on the way. */
static u8 buddy_check_node(const struct gomem_buddy *b, unsigned long i,
			   unsigned int k, struct buddy_check *c)
{
	unsigned long u = (i - (1UL << (b->max_order - k))) << k;
	unsigned long n = 1UL << k, j;
	u8 want;

	if (u >= b->nr_units) {
		/* Wholly past the end: never free, never allocated, 2). */
		for (j = u; j < u + n; j++)
			if (b->alloc_order[j])
				c->err = -EUCLEAN;
		want = 0;
	} else if (b->alloc_order[u] == k + 1) {
		/* Allocated block: 1) and 4), and it must fit the region. */
		for (j = u + 1; j < u + n; j++)
			if (b->alloc_order[j])
				c->err = -EUCLEAN;
		if (u + n > b->nr_units)
			c->err = -EUCLEAN;
		c->nr_allocated++;
		want = 0;
	} else if (b->alloc_order[u] > k + 1) {
		/* A larger block starting here would have matched above. */
		c->err = -EUCLEAN;
		want = 0;
	} else if (!k) {
		c->free_bytes += 1UL << b->unit_shift;
		want = 1;
	} else {
		u8 l = buddy_check_node(b, 2 * i, k - 1, c);
		u8 r = buddy_check_node(b, 2 * i + 1, k - 1, c);

		want = buddy_combine(l, r, k);
	}
	if (b->longest[i] != want)
		c->err = -EUCLEAN;
	return want;
}

/**
 * gomem_buddy_check() - verify every invariant of a buddy allocator
 * @b: the buddy
 *
 * Recomputes the tree from the allocation map and compares node by node,
 * along with the free-byte and live-block counts.  O(n) in units.
 *
 * Context: any context; the caller serialises calls on @b.
 * Return: 0 if consistent, -EUCLEAN otherwise.
 */
int gomem_buddy_check(const struct gomem_buddy *b)
{
	struct buddy_check c = { 0, 0, 0 };

	buddy_check_node(b, 1, b->max_order, &c);
	if (c.free_bytes != b->free_bytes || c.nr_allocated != b->nr_allocated)
		c.err = -EUCLEAN;
	return c.err;
}
EXPORT_SYMBOL_GPL(gomem_buddy_check);
