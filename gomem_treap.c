// SPDX-License-Identifier: GPL-2.0
/*
 * gomem treap: free-block index for the range allocator (GoMem's default
 * single-tree Allocator, with a complete search).
 */

/**
 * DOC: Treap free-block index
 *
 * The free blocks of a region (maximal runs of free granules) sit in one
 * treap ordered by address.  Each block keeps its node in its own last
 * granule (TLSF style): the index allocates nothing, ever, so free works in
 * any context and cannot fail for lack of memory.  A node is named by its
 * block's end granule ("ref", 1-based, 0 is nil), which is also its key.
 *
 * Invariants (checked by gomem_treap_check()):
 *
 *  1) In-order, blocks are sorted by address, disjoint and never adjacent
 *     (a free always coalesces with both neighbours).
 *  2) Heap order: a node's priority is above its children's.  The priority
 *     is a hash of the ref the node is created at, keyed by a random seed
 *     drawn once per index at init (@seed); the node keeps it for life,
 *     even when it moves.
 *  3) lmax and rmax of a node are the largest block sizes in its left and
 *     right subtrees (0 for none).  Kept in the parent, not the child, so a
 *     descent reads one node per level.
 *  4) The sizes add up to free_granules; the nodes number nr_blocks.
 *  5) With an end map (gomem_treap_init_map()), its level-0 bits are set
 *     exactly at the last granule of each block and every summary bit says
 *     whether its word below is non-zero (see gomem_endmap.h).
 *  6) With a quick cache (gomem_qc_attach()), its parked blocks are
 *     counted, tagged and mapped, and no two free blocks touch, parked or
 *     not (gomem_qc_ok(), see gomem_qcache.c); 1) and 4) then hold for the
 *     tree blocks, free_granules counting parked ones too.
 *
 * Placement: address-ordered first fit.  Thanks to 3) the search goes left
 * whenever the left subtree holds a fitting block, so it finds the lowest
 * fitting block in one descent, and fails only when no block fits (GoMem's
 * treap can miss one: free [0,10) and [100,105), a request for 8).
 * Allocation takes the front of the block, so the node at its end stays put;
 * a free that extends a block at its end moves the node to the new end with
 * its priority: no block lies between, so the tree keeps its shape and only
 * the links to it change.
 * An aligned allocation visits the blocks that are large enough in address
 * order until one holds an aligned range (complete, usually the first).
 * With a quick cache, an allocation first takes a parked block of exactly
 * its size, and a free may park its range instead (see gomem_qcache.c).
 *
 * Free finds the freed range's neighbours, to coalesce and to refuse a range
 * that overlaps free space, by one descent; or, with an end map and more
 * than map_min blocks, from the map without touching the tree: the block
 * before ends at start - 1 iff that bit is set, and the first set bit at or
 * after start ends the only block that could overlap or follow the range.
 * A new node is then linked in beside its successor without a descent
 * (treap_insert_near()), so free costs O(1) expected tree work plus
 * O(log_64 nr_granules) map words; the upward walks that restore 3) stop
 * where a maximum does not change.
 *
 * Cost: O(log n) expected for alloc, free and find, n the number of free
 * blocks, whatever the order of the calls and whichever blocks are freed:
 * the tree is as deep as a random treap because the keyed hash spreads the
 * priorities.  The seed is what makes this hold against an adversary: with
 * an unkeyed hash of the address, whoever chooses which blocks are freed
 * (a user of a pool, say) can pick granules whose priorities fall with
 * their address and make the tree a spine as long as the number of free
 * blocks (depth 497 instead of 19 in a 4 MiB arena).  Without the seed the
 * priorities cannot be predicted, so no choice of blocks is worse than any
 * other in expectation.  Parent links keep every walk iterative, in O(1) space.  The
 * map is the caller's (one bit per granule plus 1/63 for the summaries,
 * gomem_map_words()), given once at init: the index still allocates
 * nothing.
 *
 * Locking: none; the caller serialises every call on one index.
 */

#include <kunit/visibility.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/random.h>

#include "gomem_endmap.h"
#include "gomem_index.h"
#include "gomem_qcache.h"

struct treap_node {
	u32 size;	/* granules in this block */
	u32 lmax, rmax;	/* largest size in the left, right subtree: 3) */
	u32 child[2];	/* left, right: indexed so descents need no branch */
	u32 parent;
	u32 pri;	/* heap priority: 2), fixed for the node's life */
	u8 pad[3];
	u8 tag;		/* 0; GOMEM_PARKED marks a parked block's node */
};

static_assert(sizeof(struct treap_node) == GOMEM_GRANULE);
static_assert(offsetof(struct treap_node, tag) == GOMEM_GRANULE - 1);

static inline struct treap_node *tn(const struct gomem_freeidx *fi, u32 ref)
{
	return gomem_node(fi, ref);
}

/*
 * Priority of a node: a bijective mix (murmur3's finaliser) of its ref
 * keyed by the index's seed, 2).  Seed 0 gives the old unkeyed hash.
 */
static inline u32 prio(const struct gomem_freeidx *fi, u32 ref)
{
	ref ^= fi->seed;
	ref ^= ref >> 16;
	ref *= 0x85ebca6bu;
	ref ^= ref >> 13;
	ref *= 0xc2b2ae35u;
	ref ^= ref >> 16;
	return ref;
}

static inline u32 node_max(const struct treap_node *xn)
{
	return max3(xn->size, xn->lmax, xn->rmax);
}

static inline u32 subtree_max(const struct gomem_freeidx *fi, u32 ref)
{
	return ref ? node_max(tn(fi, ref)) : 0;
}

/*
 * The subtree at @x changed its largest block (it grew, shrank or lost a
 * node): restore 3) in the ancestors, stopping where nothing changes.
 * Inlined: on a shallow tree the call costs more than the walk.
 */
static __always_inline void propagate(const struct gomem_freeidx *fi, u32 x)
{
	struct treap_node *xn = tn(fi, x);
	u32 p = xn->parent;

	while (p) {
		struct treap_node *pn = tn(fi, p);
		u32 *f = pn->child[0] == x ? &pn->lmax : &pn->rmax;
		u32 m = node_max(xn);

		if (*f == m)
			return;
		*f = m;
		x = p;
		xn = pn;
		p = pn->parent;
	}
}

static inline void replace_child(struct gomem_freeidx *fi, u32 p, u32 old,
				 u32 new)
{
	struct treap_node *pn;

	if (!p) {
		fi->root[0] = new;
		return;
	}
	pn = tn(fi, p);
	if (pn->child[0] == old)
		pn->child[0] = new;
	else
		pn->child[1] = new;
}

/* Rotate @x above its parent; the grandparent's view of 3) is unchanged. */
static void rotate_up(struct gomem_freeidx *fi, u32 x)
{
	struct treap_node *xn = tn(fi, x);
	u32 p = xn->parent;
	struct treap_node *pn = tn(fi, p);
	u32 b;

	if (pn->child[0] == x) {
		b = xn->child[1];
		pn->child[0] = b;
		pn->lmax = xn->rmax;
		xn->child[1] = p;
		xn->rmax = node_max(pn);
	} else {
		b = xn->child[0];
		pn->child[1] = b;
		pn->rmax = xn->lmax;
		xn->child[0] = p;
		xn->lmax = node_max(pn);
	}
	if (b)
		tn(fi, b)->parent = p;
	xn->parent = pn->parent;
	replace_child(fi, pn->parent, p, x);
	pn->parent = x;
}

/* Insert the block [@start, @end): its node goes in granule @end - 1. */
static noinline void treap_insert(struct gomem_freeidx *fi, u32 start, u32 end)
{
	struct treap_node *xn = tn(fi, end);
	u32 size = end - start;
	u32 p = 0, cur = fi->root[0];
	u32 pr = prio(fi, end);

	xn->pri = pr;
	xn->tag = 0;
	xn->size = size;
	xn->lmax = 0;
	xn->rmax = 0;
	xn->child[0] = 0;
	xn->child[1] = 0;
	/* Insertion only raises maxima: fix them on the way down. */
	while (cur) {
		struct treap_node *cn = tn(fi, cur);

		p = cur;
		if (end < cur) {
			cn->lmax = max(cn->lmax, size);
			cur = cn->child[0];
		} else {
			cn->rmax = max(cn->rmax, size);
			cur = cn->child[1];
		}
	}
	xn->parent = p;
	if (!p)
		fi->root[0] = end;
	else if (end < p)
		tn(fi, p)->child[0] = end;
	else
		tn(fi, p)->child[1] = end;
	/* Restore 2). */
	while (xn->parent && tn(fi, xn->parent)->pri < pr)
		rotate_up(fi, end);
	if (fi->map)
		gomem_map_set(fi, end - 1);
}

/*
 * Insert the block [@start, @end) whose successor in address order is
 * @succ (0: none) without a descent from the root.  Of two neighbours in
 * order, one is a descendant of the other: the new node becomes the left
 * child of @succ if that is free, else the right child of its predecessor,
 * the rightmost node of @succ's left subtree (of the whole tree without
 * @succ), whose right spine is O(1) long in expectation.  3) is then
 * restored upwards (insertion only raises maxima, so the walk stops at the
 * first ancestor that already knew a block this large) and 2) by rotations.
 */
static void treap_insert_near(struct gomem_freeidx *fi, u32 start, u32 end,
			      u32 succ)
{
	struct treap_node *xn = tn(fi, end);
	u32 p = succ;
	int side = 0;

	xn->pri = prio(fi, end);
	xn->tag = 0;
	xn->size = end - start;
	xn->lmax = 0;
	xn->rmax = 0;
	xn->child[0] = 0;
	xn->child[1] = 0;
	if (!succ || tn(fi, succ)->child[0]) {
		p = succ ? tn(fi, succ)->child[0] : fi->root[0];
		while (p && tn(fi, p)->child[1])
			p = tn(fi, p)->child[1];
		side = 1;
	}
	xn->parent = p;
	if (!p)
		fi->root[0] = end;
	else
		tn(fi, p)->child[side] = end;
	propagate(fi, end);
	while (xn->parent && tn(fi, xn->parent)->pri < xn->pri)
		rotate_up(fi, end);
	if (fi->map)
		gomem_map_set(fi, end - 1);
}

static noinline void treap_delete(struct gomem_freeidx *fi, u32 x)
{
	struct treap_node *xn = tn(fi, x);
	u32 p;

	if (fi->map)
		gomem_map_clear(fi, x - 1);
	/* Rotate @x down to a leaf, keeping 2) for the others. */
	while (xn->child[0] || xn->child[1]) {
		u32 c;

		if (!xn->child[1])
			c = xn->child[0];
		else if (!xn->child[0])
			c = xn->child[1];
		else
			c = tn(fi, xn->child[0])->pri > tn(fi, xn->child[1])->pri ?
				xn->child[0] : xn->child[1];
		rotate_up(fi, c);
	}
	p = xn->parent;
	if (!p) {
		fi->root[0] = 0;
		return;
	}
	if (tn(fi, p)->child[0] == x) {
		tn(fi, p)->child[0] = 0;
		tn(fi, p)->lmax = 0;
	} else {
		tn(fi, p)->child[1] = 0;
		tn(fi, p)->rmax = 0;
	}
	propagate(fi, p);
}

/*
 * Block @x grew at its end to [@start, @to): its node moves to granule
 * @to - 1 with its priority.  No block lies between, so the tree keeps its
 * shape and 2) holds; only the links to the node and 3) above it change.
 */
static void treap_move(struct gomem_freeidx *fi, u32 x, u32 start, u32 to)
{
	struct treap_node *xn = tn(fi, to);
	u32 p;

	if (fi->map) {
		gomem_map_clear(fi, x - 1);
		gomem_map_set(fi, to - 1);
	}
	*xn = *tn(fi, x);
	xn->size = to - start;
	p = xn->parent;
	replace_child(fi, p, x, to);
	if (xn->child[0])
		tn(fi, xn->child[0])->parent = to;
	if (xn->child[1])
		tn(fi, xn->child[1])->parent = to;
	propagate(fi, to);
}

/* Lowest-addressed block of at least @n granules in the subtree at @x. */
static __always_inline u32 first_fit(const struct gomem_freeidx *fi, u32 x,
				     u32 n)
{
	if (subtree_max(fi, x) < n)
		return 0;
	for (;;) {
		struct treap_node *xn = tn(fi, x);
		bool right = xn->lmax < n, fits = xn->size >= n;

		/* Bitwise &: the direction is data, not a branch to mispredict. */
		if (right & fits)
			return x;
		x = xn->child[right];	/* by 3) a fit lies that way */
	}
}

/* Next block after @x in address order with at least @n granules. */
static u32 next_fit(const struct gomem_freeidx *fi, u32 x, u32 n)
{
	struct treap_node *xn = tn(fi, x);
	u32 p;

	if (xn->rmax >= n)
		return first_fit(fi, xn->child[1], n);
	for (p = xn->parent; p; x = p, p = tn(fi, p)->parent) {
		struct treap_node *pn = tn(fi, p);

		if (pn->child[0] != x)
			continue;
		if (pn->size >= n)
			return p;
		if (pn->rmax >= n)
			return first_fit(fi, pn->child[1], n);
	}
	return 0;
}

/**
 * gomem_treap_init_map() - make a whole region one free block, with a map
 * @fi: the index
 * @base: the region, GOMEM_GRANULE aligned
 * @nr_granules: its size in granules, 1 to GOMEM_MAX_GRANULES
 * @map: gomem_map_words(@nr_granules) longs for the end map, kept until
 *	the index is no longer used; or NULL for none (free then descends)
 *
 * Draws the seed of the priorities with get_random_u32().
 *
 * Context: any; writes the node into the region's last granule.
 * Return: 0, or -EINVAL for a bad size.
 */
int gomem_treap_init_map(struct gomem_freeidx *fi, void *base,
			 u32 nr_granules, unsigned long *map)
{
	if (!nr_granules || nr_granules > GOMEM_MAX_GRANULES)
		return -EINVAL;
	fi->base = base;
	fi->nr_granules = nr_granules;
	fi->free_granules = 0;
	fi->nr_blocks = 0;
	fi->root[0] = 0;
	fi->root[1] = 0;
	/* Keys the priorities, 2): see the cost in the DOC block. */
	fi->seed = get_random_u32();
	gomem_map_setup(fi, map);
	treap_insert(fi, 0, nr_granules);
	fi->free_granules = nr_granules;
	fi->nr_blocks = 1;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_init_map);

/**
 * gomem_treap_init() - make a whole region one free block, without a map
 * @fi: the index
 * @base: the region, GOMEM_GRANULE aligned
 * @nr_granules: its size in granules, 1 to GOMEM_MAX_GRANULES
 *
 * Context: any; writes the node into the region's last granule.
 * Return: 0, or -EINVAL for a bad size.
 */
int gomem_treap_init(struct gomem_freeidx *fi, void *base, u32 nr_granules)
{
	return gomem_treap_init_map(fi, base, nr_granules, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_init);

/*
 * Free [@start, @start + @n), in range: park it (@may_park) or put it in
 * the tree, coalescing with tree neighbours.  @qc: @fi has a quick cache
 * (a constant, so that each caller gets its own lean copy).  @wipe: a
 * caller's free, which init_on_free zeroes once checked (gomem_wipe_freed());
 * not a flush of parked blocks, already zeroed when they were freed.  See
 * gomem_treap_free().
 */
static __always_inline int treap_release(struct gomem_freeidx *fi, u32 start,
					 u32 n, bool qc, bool may_park,
					 bool wipe)
{
	u32 end = start + n, pred = 0, succ = 0, x = fi->root[0];
	bool lmerge, rmerge, near = true;
	bool mapped = gomem_map_neighbours(fi, start, &pred, &succ);

	if (mapped)
		x = 0;
	/* pred: last block ending at or before start; succ: the block after. */
	while (x) {
		bool right = x <= start;

		/* Select, not branch: the direction is a coin toss per level. */
		succ = right ? succ : x;
		pred = right ? x : pred;
		x = tn(fi, x)->child[right];
	}
	/* The size word is the first of a tree node and of a parked one. */
	if (unlikely(succ && succ - tn(fi, succ)->size < end))
		return -EINVAL;	/* overlaps free space: double free */
	if (wipe)
		gomem_wipe_freed(fi, start, n);
	if (qc && mapped) {
		if (gomem_qc_free(fi, &start, &end, &pred, &succ, may_park))
			return 0;
		if (succ == U32_MAX) {
			succ = 0;
			near = false;	/* the tree successor is unknown */
		}
		n = end - start;
	}
	lmerge = pred && pred == start;
	rmerge = succ && succ - tn(fi, succ)->size == end;
	if (rmerge) {
		struct treap_node *sn = tn(fi, succ);

		if (lmerge) {
			n += tn(fi, pred)->size;
			treap_delete(fi, pred);
			gomem_node_gone(fi, pred);
			fi->nr_blocks--;
		}
		sn->size += n;
		propagate(fi, succ);
		fi->free_granules += end - start;
		gomem_node_gone(fi, end);	/* a parked block's, flushed */
		return 0;
	}
	if (lmerge) {
		treap_move(fi, pred, pred - tn(fi, pred)->size, end);
		gomem_node_gone(fi, pred);
	} else {
		if (near)
			treap_insert_near(fi, start, end, succ);
		else
			treap_insert(fi, start, end);
		fi->nr_blocks++;
	}
	fi->free_granules += n;
	return 0;
}

/*
 * Move parked blocks into the tree: see gomem_qc_flush_next().
 * Return: true if a block moved.
 */
static noinline bool treap_flush(struct gomem_freeidx *fi, u32 want,
				 bool one)
{
	u32 start, n;
	bool moved = false;

	while (gomem_qc_flush_next(fi, want, one, moved, &start, &n)) {
		treap_release(fi, start, n, true, false, false);
		moved = true;
	}
	return moved;
}

/*
 * Allocate [@a, @a + @n) from block @x.  The tail keeps @x's node; a front
 * remainder (from alignment) gets a node of its own.
 */
static void treap_take(struct gomem_freeidx *fi, u32 x, u32 a, u32 n)
{
	u32 start = x - tn(fi, x)->size;

	if (a + n < x) {
		tn(fi, x)->size = x - (a + n);
		propagate(fi, x);
		if (a > start) {
			treap_insert(fi, start, a);
			fi->nr_blocks++;
		}
	} else {
		treap_delete(fi, x);
		gomem_node_gone(fi, x);	/* handed out: all pattern to check */
		if (a > start)
			treap_insert(fi, start, a);
		else
			fi->nr_blocks--;
	}
	fi->free_granules -= n;
}

/* The aligned search, out of the fast path: see the DOC block. */
static noinline s64 treap_alloc_aligned(struct gomem_freeidx *fi, u32 n,
					u32 align)
{
	u32 x;

	do {
		for (x = first_fit(fi, fi->root[0], n); x; x = next_fit(fi, x, n)) {
			u32 start = x - tn(fi, x)->size;
			u64 a = gomem_align_start(fi->base, start, align);

			if (a + n <= x) {
				treap_take(fi, x, a, n);
				return a;
			}
		}
	} while (treap_flush(fi, n, false));	/* once: all that could help */
	return -ENOMEM;
}

/*
 * No block in the tree fits: move the largest parked block into it if that
 * holds @n granules, and allocate again (from it: it is the only fit).
 */
static noinline s64 treap_alloc_flushed(struct gomem_freeidx *fi, u32 n)
{
	if (!treap_flush(fi, n, true))
		return -ENOMEM;
	return gomem_treap_alloc(fi, n, 1);
}

/**
 * gomem_treap_alloc() - allocate granules, address-ordered first fit
 * @fi: the index
 * @n: granules wanted, at least 1
 * @align: alignment in granules of the absolute address, a power of two
 *	(0 or 1: none)
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: the first granule of the allocation, or -ENOMEM if no free block
 * can hold it, -EINVAL for @n == 0.
 */
s64 gomem_treap_alloc(struct gomem_freeidx *fi, u32 n, u32 align)
{
	struct treap_node *xn;
	u32 x, start;

	if (unlikely(!n))
		return -EINVAL;
	if (unlikely(align > 1))
		return treap_alloc_aligned(fi, n, align);
	if (gomem_qc_has(fi, n))
		return gomem_qc_take(fi, n);
	x = first_fit(fi, fi->root[0], n);
	if (unlikely(!x))
		return treap_alloc_flushed(fi, n);
	xn = tn(fi, x);
	start = x - xn->size;
	if (likely(start + n < x)) {
		/* The common case: the block shrinks at the front. */
		xn->size -= n;
		propagate(fi, x);
		fi->free_granules -= n;
	} else {
		treap_take(fi, x, start, n);
	}
	return start;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_alloc);

/**
 * gomem_treap_free() - return granules to the index
 * @fi: the index
 * @start: first granule
 * @n: granules, at least 1
 *
 * Coalesces with both neighbours (invariant 1).  A range that runs outside
 * the region or overlaps a free block is refused whole, before any change.
 * Under init_on_free (gomem_init.h) a good range is zeroed before its
 * granules join the index; a refused one is not touched.
 *
 * Context: any (never sleeps, never allocates); the caller serialises calls.
 * Return: 0, or -EINVAL for a bad range.
 */
int gomem_treap_free(struct gomem_freeidx *fi, u32 start, u32 n)
{
	if (unlikely(!n || start >= fi->nr_granules ||
		     n > fi->nr_granules - start))
		return -EINVAL;
	/* Two copies: the one without a quick cache stays lean. */
	if (fi->qc)
		return treap_release(fi, start, n, true, true, true);
	return treap_release(fi, start, n, false, false, true);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_free);

/**
 * gomem_treap_find() - find room for @n granules without allocating
 * @fi: the index
 * @n: granules wanted, at least 1
 *
 * The room must leave the block's last granule (its node) alone, so the
 * block found is the lowest one of at least @n + 1 granules in the tree.
 * Parked blocks are not searched: when this fails with blocks parked,
 * gomem_treap_flush(@fi, @n + 1) and try again (the arena does).
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: first granule of the room, or -ENOMEM, or -EINVAL for @n == 0.
 */
s64 gomem_treap_find(const struct gomem_freeidx *fi, u32 n)
{
	u32 x;

	if (unlikely(!n))
		return -EINVAL;
	if (n >= fi->nr_granules)
		return -ENOMEM;
	x = first_fit(fi, fi->root[0], n + 1);
	if (!x)
		return -ENOMEM;
	return x - tn(fi, x)->size;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_find);

/**
 * gomem_treap_largest() - size of the largest free block in the tree
 * @fi: the index
 *
 * Parked blocks (see the quick cache in gomem_qcache.c) are not counted.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: granules in the largest free block, 0 if none.
 */
u32 gomem_treap_largest(const struct gomem_freeidx *fi)
{
	return subtree_max(fi, fi->root[0]);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_largest);

/**
 * gomem_treap_flush() - move parked blocks into the tree
 * @fi: the index
 * @min: move those of at least @min granules; 0 or 1: all of them
 *
 * For find, largest and walk, which see the tree only (blocks are maximal,
 * parked or not, so only a parked block of the size wanted can help), and,
 * with @min 0, before detaching the quick cache.
 *
 * Context: any; the caller serialises calls on @fi.
 */
void gomem_treap_flush(struct gomem_freeidx *fi, u32 min)
{
	treap_flush(fi, min, false);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_flush);

static u32 leftmost(const struct gomem_freeidx *fi, u32 x)
{
	while (x && tn(fi, x)->child[0])
		x = tn(fi, x)->child[0];
	return x;
}

static u32 successor(const struct gomem_freeidx *fi, u32 x)
{
	struct treap_node *xn = tn(fi, x);
	u32 p;

	if (xn->child[1])
		return leftmost(fi, xn->child[1]);
	for (p = xn->parent; p && tn(fi, p)->child[1] == x; p = tn(fi, p)->parent)
		x = p;
	return p;
}

/**
 * gomem_treap_walk() - call @fn for each free block in address order
 * @fi: the index
 * @fn: callback, given @arg, first granule and length; non-zero stops
 * @arg: passed to @fn
 *
 * @fn must not change the index.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: the first non-zero value @fn returned, else 0.
 */
int gomem_treap_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		     void *arg)
{
	u32 x;
	int ret;

	for (x = leftmost(fi, fi->root[0]); x; x = successor(fi, x)) {
		u32 size = tn(fi, x)->size;

		ret = fn(arg, x - size, size);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_walk);

/**
 * gomem_treap_depth() - nodes on the longest root-to-leaf path of the tree
 * @fi: the index
 *
 * Walks the whole tree, O(n); for tests (the cost of every operation is
 * proportional to it).
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: the depth, 0 for an empty tree.
 */
u32 gomem_treap_depth(const struct gomem_freeidx *fi)
{
	u32 x, d, depth = 0;

	for (x = leftmost(fi, fi->root[0]); x; x = successor(fi, x)) {
		struct treap_node *xn = tn(fi, x);
		u32 p;

		if (xn->child[0] || xn->child[1])
			continue;	/* the longest paths end at leaves */
		for (d = 1, p = xn->parent; p; p = tn(fi, p)->parent)
			d++;
		depth = max(depth, d);
	}
	return depth;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_depth);

static bool bad_ref(const struct gomem_freeidx *fi, u32 ref)
{
	return ref > fi->nr_granules;
}

/* Links and invariants 2) and 3) at one node. */
static bool node_ok(const struct gomem_freeidx *fi, u32 x)
{
	struct treap_node *xn = tn(fi, x);
	u32 l = xn->child[0], r = xn->child[1];

	if (bad_ref(fi, l) || bad_ref(fi, r) || bad_ref(fi, xn->parent))
		return false;
	if (!xn->size || xn->size > x || xn->tag)
		return false;
	if (l && (l >= x || tn(fi, l)->parent != x ||
		  tn(fi, l)->pri > xn->pri))
		return false;
	if (r && (r <= x || tn(fi, r)->parent != x ||
		  tn(fi, r)->pri > xn->pri))
		return false;
	return xn->lmax == subtree_max(fi, l) && xn->rmax == subtree_max(fi, r);
}

/*
 * Leftmost node under @x, checking each node on the way before following its
 * links; @seen counts checked nodes and bounds the walk if links loop.
 * Return: the node, or 0 if a check failed.
 */
static u32 check_leftmost(const struct gomem_freeidx *fi, u32 x, u32 *seen)
{
	for (;;) {
		if (++*seen > fi->nr_blocks || !node_ok(fi, x))
			return 0;
		if (!tn(fi, x)->child[0])
			return x;
		x = tn(fi, x)->child[0];
	}
}

/**
 * gomem_treap_check() - verify every invariant of the index
 * @fi: the index
 *
 * Walks the whole tree, O(n), checking each link before following it; for
 * tests and debugging.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: 0 if invariants 1) to 6) hold (5 and 6 with a map and a quick
 * cache), -EUCLEAN if not.
 */
int gomem_treap_check(const struct gomem_freeidx *fi)
{
	u32 x, root = fi->root[0], prev_end = 0, seen = 0, count = 0;
	u64 sum = 0;

	if (fi->free_granules > fi->nr_granules || bad_ref(fi, root))
		return -EUCLEAN;
	if (!root)
		return fi->nr_blocks || fi->free_granules != gomem_qc_granules(fi) ||
		       (fi->map && !gomem_map_ok(fi)) || !gomem_qc_ok(fi) ?
		       -EUCLEAN : 0;
	if (tn(fi, root)->parent)
		return -EUCLEAN;
	x = check_leftmost(fi, root, &seen);
	while (x) {
		struct treap_node *xn = tn(fi, x);
		u32 p;

		/* 1): sorted, disjoint, not adjacent. */
		if (count++ && x - xn->size <= prev_end)
			return -EUCLEAN;
		if (fi->map && !gomem_map_test(fi, x - 1))
			return -EUCLEAN;	/* 5) */
		prev_end = x;
		sum += xn->size;
		if (xn->child[1]) {
			x = check_leftmost(fi, xn->child[1], &seen);
			if (!x)
				return -EUCLEAN;
			continue;
		}
		/* Parent links were checked on the way down. */
		for (p = xn->parent; p && tn(fi, p)->child[1] == x;
		     p = tn(fi, p)->parent)
			x = p;
		x = p;
	}
	if (!count || count != fi->nr_blocks ||
	    sum + gomem_qc_granules(fi) != fi->free_granules)
		return -EUCLEAN;
	if (fi->map && !gomem_map_ok(fi))
		return -EUCLEAN;	/* 5) */
	return gomem_qc_ok(fi) ? 0 : -EUCLEAN;	/* 6) */
}
EXPORT_SYMBOL_IF_KUNIT(gomem_treap_check);
