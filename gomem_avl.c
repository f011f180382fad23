// SPDX-License-Identifier: GPL-2.0
/*
 * gomem AVL: two-tree free-block index for the range allocator (GoMem's
 * `twotree` Allocator).
 */

/**
 * DOC: AVL two-tree free-block index
 *
 * Every free block (maximal run of free granules) is in two AVL trees at
 * once: the size tree, keyed by (size, address), and the offset tree, keyed
 * by address.  As in the treap, a block's node lives in its own last granule
 * and is named by the block's end granule ("ref", 1-based, 0 is nil); the
 * index never allocates memory.
 *
 * Invariants (checked by gomem_avl_check()):
 *
 *  1) Each tree is a binary search tree on its key, with consistent parent
 *     links, and holds every free block exactly once.
 *  2) AVL balance: stored heights are exact and the heights of two siblings
 *     differ by at most one, so both trees are O(log n) deep, worst case.
 *  3) In address order blocks are disjoint and never adjacent.
 *  4) The sizes add up to free_granules; the blocks number nr_blocks.
 *  5) With an end map (gomem_avl_init_map()), its level-0 bits are set
 *     exactly at the last granule of each block, with consistent summary
 *     levels (see gomem_endmap.h).
 *  6) With a quick cache (gomem_qc_attach()), its parked blocks are
 *     counted, tagged and mapped, and no two free blocks touch, parked or
 *     not (gomem_qc_ok(), see gomem_qcache.c); 3) and 4) then hold for the
 *     tree blocks, free_granules counting parked ones too.
 *
 * Placement: best fit, lowest address among equal sizes: the lower bound of
 * (size, 0) in the size tree, one descent; it fails only when no block fits.
 * Allocation takes the front of the block so the node at its end stays; the
 * block moves in the size tree only, and only when its new size passes a
 * neighbour's.  A free that extends a block at its end moves the node to
 * the new end in place: no block lies between, so both trees keep shape.
 * The offset tree finds both neighbours of a freed range in one descent, for
 * coalescing and to refuse a range that overlaps free space; with an end
 * map and more than map_min blocks the map finds them instead, in
 * O(log_64 nr_granules) words, and a new block joins the offset tree beside
 * its successor without a descent (only the size tree is descended).
 * An aligned allocation walks up the size tree from the lower bound until
 * a block holds an aligned range (complete).  With a quick cache, an
 * allocation first takes a parked block of exactly its size, and a free may
 * park its range instead (see gomem_qcache.c).
 *
 * Cost: O(log n) worst case for alloc, free and find, n the number of free
 * blocks.  Locking: none; the caller serialises every call on one index.
 */

#include <kunit/visibility.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>

#include "gomem_endmap.h"
#include "gomem_index.h"
#include "gomem_qcache.h"

enum { SZ, OFF };		/* the trees: root[SZ], root[OFF] */
enum { L, R, P };		/* links: left, right, parent */

struct avl_node {
	u32 size;		/* granules in this block */
	u32 link[2][3];		/* [tree][L, R, P] */
	u8 height[2];		/* [tree], a leaf is 1 */
	u8 pad;
	u8 tag;			/* 0; GOMEM_PARKED marks a parked block */
};

static_assert(sizeof(struct avl_node) == GOMEM_GRANULE);
static_assert(offsetof(struct avl_node, tag) == GOMEM_GRANULE - 1);

static inline struct avl_node *an(const struct gomem_freeidx *fi, u32 ref)
{
	return gomem_node(fi, ref);
}

static inline u32 lnk(const struct gomem_freeidx *fi, int t, u32 x, int w)
{
	return an(fi, x)->link[t][w];
}

static inline int ht(const struct gomem_freeidx *fi, int t, u32 x)
{
	return x ? an(fi, x)->height[t] : 0;
}

/* Key order of tree @t: address, or (size, address). */
static inline bool less(const struct gomem_freeidx *fi, int t, u32 a, u32 b)
{
	if (t == SZ) {
		u32 sa = an(fi, a)->size, sb = an(fi, b)->size;

		if (sa != sb)
			return sa < sb;
	}
	return a < b;
}

static inline void set_height(const struct gomem_freeidx *fi, int t, u32 x)
{
	struct avl_node *xn = an(fi, x);

	xn->height[t] = 1 + max(ht(fi, t, xn->link[t][L]),
				ht(fi, t, xn->link[t][R]));
}

static inline void replace_child(struct gomem_freeidx *fi, int t, u32 p,
				 u32 old, u32 new)
{
	struct avl_node *pn;

	if (!p) {
		fi->root[t] = new;
		return;
	}
	pn = an(fi, p);
	if (pn->link[t][L] == old)
		pn->link[t][L] = new;
	else
		pn->link[t][R] = new;
}

/* Rotate towards side @d (L: the right child comes up); return the top. */
static u32 rotate(struct gomem_freeidx *fi, int t, u32 x, int d)
{
	struct avl_node *xn = an(fi, x);
	int o = !d;
	u32 y = xn->link[t][o];
	struct avl_node *yn = an(fi, y);
	u32 b = yn->link[t][d];

	xn->link[t][o] = b;
	if (b)
		an(fi, b)->link[t][P] = x;
	yn->link[t][P] = xn->link[t][P];
	replace_child(fi, t, xn->link[t][P], x, y);
	yn->link[t][d] = x;
	xn->link[t][P] = y;
	set_height(fi, t, x);
	set_height(fi, t, y);
	return y;
}

/*
 * Restore 2) from @x upwards after a child subtree of @x changed height.
 * Stop as soon as a subtree comes out with the height it had before.
 */
static void rebalance(struct gomem_freeidx *fi, int t, u32 x)
{
	while (x) {
		struct avl_node *xn = an(fi, x);
		u32 p = xn->link[t][P], top = x;
		int old = xn->height[t];
		int hl = ht(fi, t, xn->link[t][L]);
		int hr = ht(fi, t, xn->link[t][R]);

		if (hl > hr + 1) {
			u32 l = xn->link[t][L];

			if (ht(fi, t, lnk(fi, t, l, L)) < ht(fi, t, lnk(fi, t, l, R)))
				rotate(fi, t, l, L);
			top = rotate(fi, t, x, R);
		} else if (hr > hl + 1) {
			u32 r = xn->link[t][R];

			if (ht(fi, t, lnk(fi, t, r, R)) < ht(fi, t, lnk(fi, t, r, L)))
				rotate(fi, t, r, R);
			top = rotate(fi, t, x, L);
		} else {
			xn->height[t] = 1 + max(hl, hr);
		}
		if (an(fi, top)->height[t] == old)
			break;
		x = p;
	}
}

static void avl_insert(struct gomem_freeidx *fi, int t, u32 x)
{
	struct avl_node *xn = an(fi, x);
	u32 p = 0, cur = fi->root[t];
	int d = L;

	while (cur) {
		p = cur;
		d = less(fi, t, x, cur) ? L : R;
		cur = lnk(fi, t, cur, d);
	}
	xn->link[t][L] = 0;
	xn->link[t][R] = 0;
	xn->link[t][P] = p;
	xn->height[t] = 1;
	if (!p) {
		fi->root[t] = x;
		return;
	}
	an(fi, p)->link[t][d] = x;
	rebalance(fi, t, p);
}

static void avl_erase(struct gomem_freeidx *fi, int t, u32 z)
{
	struct avl_node *zn = an(fi, z);
	u32 l = zn->link[t][L], r = zn->link[t][R], p = zn->link[t][P];
	u32 y, from;
	struct avl_node *yn;

	if (!l || !r) {
		u32 c = l ? l : r;

		if (c)
			an(fi, c)->link[t][P] = p;
		replace_child(fi, t, p, z, c);
		rebalance(fi, t, p);
		return;
	}
	/* Two children: the successor y takes z's place. */
	y = r;
	while (lnk(fi, t, y, L))
		y = lnk(fi, t, y, L);
	yn = an(fi, y);
	if (y == r) {
		from = y;
	} else {
		u32 yr = yn->link[t][R];

		from = yn->link[t][P];
		an(fi, from)->link[t][L] = yr;
		if (yr)
			an(fi, yr)->link[t][P] = from;
		yn->link[t][R] = r;
		an(fi, r)->link[t][P] = y;
	}
	yn->link[t][L] = l;
	an(fi, l)->link[t][P] = y;
	yn->link[t][P] = p;
	replace_child(fi, t, p, z, y);
	yn->height[t] = zn->height[t];
	rebalance(fi, t, from);
}

/*
 * Insert @x into the offset tree next to @succ, its successor in address
 * order (0: none), without a descent: one of two neighbours in order is a
 * descendant of the other, so @x becomes the left child of @succ if that
 * is free, else the right child of the rightmost node of @succ's left
 * subtree (of the whole tree without @succ).
 */
static void avl_insert_off_near(struct gomem_freeidx *fi, u32 x, u32 succ)
{
	struct avl_node *xn = an(fi, x);
	u32 p = succ;
	int d = L;

	if (!succ || lnk(fi, OFF, succ, L)) {
		p = succ ? lnk(fi, OFF, succ, L) : fi->root[OFF];
		while (p && lnk(fi, OFF, p, R))
			p = lnk(fi, OFF, p, R);
		d = R;
	}
	xn->link[OFF][L] = 0;
	xn->link[OFF][R] = 0;
	xn->link[OFF][P] = p;
	xn->height[OFF] = 1;
	if (!p) {
		fi->root[OFF] = x;
		return;
	}
	an(fi, p)->link[OFF][d] = x;
	rebalance(fi, OFF, p);
}

/*
 * Add the block [@start, @end) to both trees; its node is granule end - 1.
 * @succ is the next block in address order (0: none), or -1 if unknown.
 */
static void block_add(struct gomem_freeidx *fi, u32 start, u32 end, u32 succ)
{
	an(fi, end)->size = end - start;
	an(fi, end)->tag = 0;
	if (succ == U32_MAX)
		avl_insert(fi, OFF, end);
	else
		avl_insert_off_near(fi, end, succ);
	avl_insert(fi, SZ, end);
	if (fi->map)
		gomem_map_set(fi, end - 1);
}

static void block_del(struct gomem_freeidx *fi, u32 x)
{
	avl_erase(fi, SZ, x);
	avl_erase(fi, OFF, x);
	if (fi->map)
		gomem_map_clear(fi, x - 1);
}

/* Smallest block of at least @n granules, lowest address on ties. */
static __always_inline u32 lower_bound(const struct gomem_freeidx *fi, u32 n)
{
	u32 x = fi->root[SZ], best = 0;

	while (x) {
		struct avl_node *xn = an(fi, x);

		if (xn->size >= n) {
			best = x;
			x = xn->link[SZ][L];
		} else {
			x = xn->link[SZ][R];
		}
	}
	return best;
}

static u32 first(const struct gomem_freeidx *fi, int t)
{
	u32 x = fi->root[t];

	while (x && lnk(fi, t, x, L))
		x = lnk(fi, t, x, L);
	return x;
}

static __always_inline u32 next(const struct gomem_freeidx *fi, int t, u32 x)
{
	u32 p;

	if (lnk(fi, t, x, R)) {
		x = lnk(fi, t, x, R);
		while (lnk(fi, t, x, L))
			x = lnk(fi, t, x, L);
		return x;
	}
	for (p = lnk(fi, t, x, P); p && lnk(fi, t, p, R) == x;
	     p = lnk(fi, t, p, P))
		x = p;
	return p;
}

static __always_inline u32 prev(const struct gomem_freeidx *fi, int t, u32 x)
{
	u32 p;

	if (lnk(fi, t, x, L)) {
		x = lnk(fi, t, x, L);
		while (lnk(fi, t, x, R))
			x = lnk(fi, t, x, R);
		return x;
	}
	for (p = lnk(fi, t, x, P); p && lnk(fi, t, p, L) == x;
	     p = lnk(fi, t, p, P))
		x = p;
	return p;
}

/*
 * Block @x grows or shrinks at its front: only its size key changes, and
 * often it stays between its neighbours in the size tree, in place.
 * Inlined, with next() and prev(): the calls cost a quarter of a pair.
 */
static __always_inline void block_resize(struct gomem_freeidx *fi, u32 x,
					 u32 size)
{
	struct avl_node *xn = an(fi, x);
	u32 old = xn->size, y;

	xn->size = size;
	if (size < old) {
		y = prev(fi, SZ, x);
		if (!y || less(fi, SZ, y, x))
			return;
	} else {
		y = next(fi, SZ, x);
		if (!y || less(fi, SZ, x, y))
			return;
	}
	/* Erasing is structural, so the new key does not disturb it. */
	avl_erase(fi, SZ, x);
	avl_insert(fi, SZ, x);
}

/*
 * Block @x grew at its end to [@start, @to): its node moves to granule
 * @to - 1.  No block ends between @x and @to, so in both trees the node
 * keeps its place (even as a tie-break in the size tree); then its size.
 */
static void block_move(struct gomem_freeidx *fi, u32 x, u32 start, u32 to)
{
	struct avl_node *xn = an(fi, to);
	int t;

	if (fi->map) {
		gomem_map_clear(fi, x - 1);
		gomem_map_set(fi, to - 1);
	}
	*xn = *an(fi, x);
	for (t = SZ; t <= OFF; t++) {
		u32 l = xn->link[t][L], r = xn->link[t][R];

		replace_child(fi, t, xn->link[t][P], x, to);
		if (l)
			an(fi, l)->link[t][P] = to;
		if (r)
			an(fi, r)->link[t][P] = to;
	}
	block_resize(fi, to, to - start);
}

/**
 * gomem_avl_init_map() - make a whole region one free block, with a map
 * @fi: the index
 * @base: the region, GOMEM_GRANULE aligned
 * @nr_granules: its size in granules, 1 to GOMEM_MAX_GRANULES
 * @map: gomem_map_words(@nr_granules) longs for the end map, kept until
 *	the index is no longer used; or NULL for none (free then descends)
 *
 * Context: any; writes the node into the region's last granule.
 * Return: 0, or -EINVAL for a bad size.
 */
int gomem_avl_init_map(struct gomem_freeidx *fi, void *base, u32 nr_granules,
		       unsigned long *map)
{
	if (!nr_granules || nr_granules > GOMEM_MAX_GRANULES)
		return -EINVAL;
	fi->base = base;
	fi->nr_granules = nr_granules;
	fi->root[SZ] = 0;
	fi->root[OFF] = 0;
	gomem_map_setup(fi, map);
	block_add(fi, 0, nr_granules, 0);
	fi->free_granules = nr_granules;
	fi->nr_blocks = 1;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_init_map);

/**
 * gomem_avl_init() - make a whole region one free block, without a map
 * @fi: the index
 * @base: the region, GOMEM_GRANULE aligned
 * @nr_granules: its size in granules, 1 to GOMEM_MAX_GRANULES
 *
 * Context: any; writes the node into the region's last granule.
 * Return: 0, or -EINVAL for a bad size.
 */
int gomem_avl_init(struct gomem_freeidx *fi, void *base, u32 nr_granules)
{
	return gomem_avl_init_map(fi, base, nr_granules, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_init);

/*
 * Free [@start, @start + @n), in range: park it (@may_park) or put it in
 * the trees, coalescing with tree neighbours.  @qc: @fi has a quick cache
 * (a constant, so that each caller gets its own lean copy).  @wipe: a
 * caller's free, which init_on_free zeroes once checked (gomem_wipe_freed());
 * not a flush of parked blocks, already zeroed when they were freed.  See
 * gomem_avl_free().
 */
static __always_inline int avl_release(struct gomem_freeidx *fi, u32 start,
				       u32 n, bool qc, bool may_park,
				       bool wipe)
{
	u32 end = start + n, pred = 0, succ = 0, x = fi->root[OFF];
	bool lmerge, rmerge;
	bool mapped = gomem_map_neighbours(fi, start, &pred, &succ);

	if (mapped)
		x = 0;
	while (x) {
		if (x > start) {
			succ = x;
			x = lnk(fi, OFF, x, L);
		} else {
			pred = x;
			x = lnk(fi, OFF, x, R);
		}
	}
	/* The size word is the first of a tree node and of a parked one. */
	if (unlikely(succ && succ - an(fi, succ)->size < end))
		return -EINVAL;	/* overlaps free space: double free */
	if (wipe)
		gomem_wipe_freed(fi, start, n);
	if (qc && mapped) {
		/* succ becomes U32_MAX, unknown, for block_add(). */
		if (gomem_qc_free(fi, &start, &end, &pred, &succ, may_park))
			return 0;
		n = end - start;
	}
	lmerge = pred && pred == start;
	rmerge = succ && succ != U32_MAX && succ - an(fi, succ)->size == end;
	fi->free_granules += n;
	if (rmerge) {
		u32 size = an(fi, succ)->size + n;

		if (lmerge) {
			size += an(fi, pred)->size;
			block_del(fi, pred);
			gomem_node_gone(fi, pred);
			fi->nr_blocks--;
		}
		block_resize(fi, succ, size);
		gomem_node_gone(fi, end);	/* a parked block's, flushed */
	} else if (lmerge) {
		block_move(fi, pred, pred - an(fi, pred)->size, end);
		gomem_node_gone(fi, pred);
	} else {
		block_add(fi, start, end, succ);
		fi->nr_blocks++;
	}
	return 0;
}

/*
 * Move parked blocks into the trees: see gomem_qc_flush_next().
 * Return: true if a block moved.
 */
static noinline bool avl_flush(struct gomem_freeidx *fi, u32 want, bool one)
{
	u32 start, n;
	bool moved = false;

	while (gomem_qc_flush_next(fi, want, one, moved, &start, &n)) {
		avl_release(fi, start, n, true, false, false);
		moved = true;
	}
	return moved;
}

/* Allocate [@a, @a + @n) from block @x; the tail keeps @x's node. */
static __always_inline void avl_take(struct gomem_freeidx *fi, u32 x, u32 a,
				     u32 n)
{
	u32 start = x - an(fi, x)->size;

	if (a + n < x) {
		block_resize(fi, x, x - (a + n));
		if (a > start) {
			block_add(fi, start, a, x);
			fi->nr_blocks++;
		}
	} else {
		block_del(fi, x);
		gomem_node_gone(fi, x);	/* handed out: all pattern to check */
		if (a > start)
			block_add(fi, start, a, U32_MAX);
		else
			fi->nr_blocks--;
	}
	fi->free_granules -= n;
}

/* The aligned search, out of the fast path: see the DOC block. */
static noinline s64 avl_alloc_aligned(struct gomem_freeidx *fi, u32 n,
				      u32 align)
{
	u32 x;

	do {
		for (x = lower_bound(fi, n); x; x = next(fi, SZ, x)) {
			u64 a = gomem_align_start(fi->base, x - an(fi, x)->size,
						  align);

			if (a + n <= x) {
				avl_take(fi, x, a, n);
				return a;
			}
		}
	} while (avl_flush(fi, n, false));	/* once: all that could help */
	return -ENOMEM;
}

/*
 * No block in the trees fits: move the largest parked block into them if
 * that holds @n granules, and allocate again (from it: it is the only fit).
 */
static noinline s64 avl_alloc_flushed(struct gomem_freeidx *fi, u32 n)
{
	if (!avl_flush(fi, n, true))
		return -ENOMEM;
	return gomem_avl_alloc(fi, n, 1);
}

/**
 * gomem_avl_alloc() - allocate granules, best fit
 * @fi: the index
 * @n: granules wanted, at least 1
 * @align: alignment in granules of the absolute address, a power of two
 *	(0 or 1: none)
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: the first granule of the allocation, or -ENOMEM if no free block
 * can hold it, -EINVAL for @n == 0.
 */
s64 gomem_avl_alloc(struct gomem_freeidx *fi, u32 n, u32 align)
{
	u32 x, a;

	if (unlikely(!n))
		return -EINVAL;
	if (unlikely(align > 1))
		return avl_alloc_aligned(fi, n, align);
	if (gomem_qc_has(fi, n))
		return gomem_qc_take(fi, n);
	x = lower_bound(fi, n);
	if (unlikely(!x))
		return avl_alloc_flushed(fi, n);
	a = x - an(fi, x)->size;
	avl_take(fi, x, a, n);
	return a;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_alloc);

/**
 * gomem_avl_free() - return granules to the index
 * @fi: the index
 * @start: first granule
 * @n: granules, at least 1
 *
 * Coalesces with both neighbours (invariant 3).  A range that runs outside
 * the region or overlaps a free block is refused whole, before any change.
 * Under init_on_free (gomem_init.h) a good range is zeroed before its
 * granules join the index; a refused one is not touched.
 *
 * Context: any (never sleeps, never allocates); the caller serialises calls.
 * Return: 0, or -EINVAL for a bad range.
 */
int gomem_avl_free(struct gomem_freeidx *fi, u32 start, u32 n)
{
	if (unlikely(!n || start >= fi->nr_granules ||
		     n > fi->nr_granules - start))
		return -EINVAL;
	/* Two copies: the one without a quick cache stays lean. */
	if (fi->qc)
		return avl_release(fi, start, n, true, true, true);
	return avl_release(fi, start, n, false, false, true);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_free);

/**
 * gomem_avl_find() - find room for @n granules without allocating
 * @fi: the index
 * @n: granules wanted, at least 1
 *
 * The room must leave the block's last granule (its node) alone, so the
 * block found is the best fit for @n + 1 granules in the trees.  Parked
 * blocks are not searched: when this fails with blocks parked,
 * gomem_avl_flush(@fi, @n + 1) and try again (the arena does).
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: first granule of the room, or -ENOMEM, or -EINVAL for @n == 0.
 */
s64 gomem_avl_find(const struct gomem_freeidx *fi, u32 n)
{
	u32 x;

	if (unlikely(!n))
		return -EINVAL;
	if (n >= fi->nr_granules)
		return -ENOMEM;
	x = lower_bound(fi, n + 1);
	if (!x)
		return -ENOMEM;
	return x - an(fi, x)->size;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_find);

/**
 * gomem_avl_largest() - size of the largest free block in the trees
 * @fi: the index
 *
 * Parked blocks (see the quick cache in gomem_qcache.c) are not counted.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: granules in the largest free block, 0 if none.
 */
u32 gomem_avl_largest(const struct gomem_freeidx *fi)
{
	u32 x = fi->root[SZ];

	if (!x)
		return 0;
	while (lnk(fi, SZ, x, R))
		x = lnk(fi, SZ, x, R);
	return an(fi, x)->size;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_largest);

/**
 * gomem_avl_flush() - move parked blocks into the trees
 * @fi: the index
 * @min: move those of at least @min granules; 0 or 1: all of them
 *
 * For find, largest and walk, which see the trees only (blocks are
 * maximal, parked or not, so only a parked block of the size wanted can
 * help), and, with @min 0, before detaching the quick cache.
 *
 * Context: any; the caller serialises calls on @fi.
 */
void gomem_avl_flush(struct gomem_freeidx *fi, u32 min)
{
	avl_flush(fi, min, false);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_flush);

/**
 * gomem_avl_walk() - call @fn for each free block in address order
 * @fi: the index
 * @fn: callback, given @arg, first granule and length; non-zero stops
 * @arg: passed to @fn
 *
 * @fn must not change the index.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: the first non-zero value @fn returned, else 0.
 */
int gomem_avl_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		   void *arg)
{
	u32 x;
	int ret;

	for (x = first(fi, OFF); x; x = next(fi, OFF, x)) {
		u32 size = an(fi, x)->size;

		ret = fn(arg, x - size, size);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_walk);

static bool bad_ref(const struct gomem_freeidx *fi, u32 ref)
{
	return ref > fi->nr_granules;
}

/* Links, key order against the children, and 2) at one node of tree @t. */
static bool node_ok(const struct gomem_freeidx *fi, int t, u32 x)
{
	struct avl_node *xn = an(fi, x);
	u32 l = xn->link[t][L], r = xn->link[t][R];
	int hl, hr;

	if (bad_ref(fi, l) || bad_ref(fi, r) || bad_ref(fi, xn->link[t][P]))
		return false;
	if (!xn->size || xn->size > x || xn->tag)
		return false;
	if (l && (lnk(fi, t, l, P) != x || !less(fi, t, l, x)))
		return false;
	if (r && (lnk(fi, t, r, P) != x || !less(fi, t, x, r)))
		return false;
	hl = ht(fi, t, l);
	hr = ht(fi, t, r);
	return xn->height[t] == 1 + max(hl, hr) && hl <= hr + 1 &&
	       hr <= hl + 1;
}

static u32 check_leftmost(const struct gomem_freeidx *fi, int t, u32 x,
			  u32 *seen)
{
	for (;;) {
		if (++*seen > fi->nr_blocks || !node_ok(fi, t, x))
			return 0;
		if (!lnk(fi, t, x, L))
			return x;
		x = lnk(fi, t, x, L);
	}
}

/* Is block @x in the size tree?  Follows only links node_ok() has seen. */
static bool in_size_tree(const struct gomem_freeidx *fi, u32 x)
{
	u32 cur = fi->root[SZ];

	while (cur && cur != x)
		cur = lnk(fi, SZ, cur, less(fi, SZ, x, cur) ? L : R);
	return cur == x;
}

/* Walk tree @t in order checking 1) and 2); 3) and 4) too for OFF. */
static int check_tree(const struct gomem_freeidx *fi, int t)
{
	u32 x, root = fi->root[t], prev = 0, seen = 0, count = 0;
	u64 sum = 0;

	if (bad_ref(fi, root))
		return -EUCLEAN;
	if (!root)
		return fi->nr_blocks ||
		       fi->free_granules != gomem_qc_granules(fi) ? -EUCLEAN : 0;
	if (lnk(fi, t, root, P))
		return -EUCLEAN;
	x = check_leftmost(fi, t, root, &seen);
	while (x) {
		u32 size = an(fi, x)->size, p;

		if (count++ && !less(fi, t, prev, x))
			return -EUCLEAN;
		if (t == OFF) {
			if (count > 1 && x - size <= prev)
				return -EUCLEAN;	/* 3) */
			if (fi->map && !gomem_map_test(fi, x - 1))
				return -EUCLEAN;	/* 5) */
			if (!in_size_tree(fi, x))
				return -EUCLEAN;	/* 1) */
		}
		prev = x;
		sum += size;
		if (lnk(fi, t, x, R)) {
			x = check_leftmost(fi, t, lnk(fi, t, x, R), &seen);
			if (!x)
				return -EUCLEAN;
			continue;
		}
		for (p = lnk(fi, t, x, P); p && lnk(fi, t, p, R) == x;
		     p = lnk(fi, t, p, P))
			x = p;
		x = p;
	}
	if (count != fi->nr_blocks ||
	    sum + gomem_qc_granules(fi) != fi->free_granules)
		return -EUCLEAN;
	return 0;
}

/**
 * gomem_avl_check() - verify every invariant of the index
 * @fi: the index
 *
 * Walks both trees, checking each link before following it; O(n log n).
 * For tests and debugging.
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: 0 if invariants 1) to 6) hold (5 and 6 with a map and a quick
 * cache), -EUCLEAN if not.
 */
int gomem_avl_check(const struct gomem_freeidx *fi)
{
	if (fi->free_granules > fi->nr_granules)
		return -EUCLEAN;
	/* The size tree first, so that in_size_tree() follows good links. */
	if (check_tree(fi, SZ) || check_tree(fi, OFF))
		return -EUCLEAN;
	if (fi->map && !gomem_map_ok(fi))
		return -EUCLEAN;	/* 5) */
	return gomem_qc_ok(fi) ? 0 : -EUCLEAN;	/* 6) */
}
EXPORT_SYMBOL_IF_KUNIT(gomem_avl_check);
