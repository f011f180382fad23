// SPDX-License-Identifier: GPL-2.0
/*
 * gomem quick cache: parked free blocks for exact-size reuse, in front of
 * either free-block index (gomem_treap.c, gomem_avl.c).
 */

/**
 * DOC: Quick cache
 *
 * A front end both indexes share, on when the caller gives it memory
 * (gomem_qc_attach(), which needs the end map).
 *
 * Parking.  A freed range of 1 to GOMEM_QC_CLASSES granules is parked
 * instead of entering the tree when no block of the tree touches it, the
 * tree holds more than map_min blocks (a shallow tree is as quick), fewer
 * than GOMEM_QC_DEPTH blocks of its size are parked, and the parked total
 * stays within a quarter of the region.  An allocation of exactly a parked
 * size takes the last one parked.  Neither walks the tree: the price of a
 * pair is a few end-map words, the freed block's last granule and its
 * successor's node, where a tree walk reads a node per level (glibc's
 * tcache trades the same way).
 *
 * Maximal blocks.  A free absorbs the parked blocks it touches before
 * anything else (gomem_qc_free()): the joined range is parked if it still
 * qualifies, else it goes to the tree and coalesces there.  So no two free
 * blocks ever touch, parked or not, and the counts an arena reports (free
 * blocks, largest block, empty) stay exact.
 *
 * A parked block keeps a parked node in its last granule: its size in the
 * first word, as a tree node has it, and GOMEM_PARKED in the granule's last
 * byte, which tree nodes keep at 0.  Its end-map bit is set like a tree
 * block's, so free still refuses any range overlapping a parked block (the
 * first block ending at or after a range's start is found by the map
 * whatever its kind) and tells a parked neighbour from a tree one.  Parked
 * blocks are free memory in free_granules, not in nr_blocks (nr_parked
 * counts them); while any is parked, free always looks its neighbours up in
 * the map.
 *
 * Placement becomes: the last parked block of exactly the size, else the
 * index's own policy.  Search stays complete: when the tree has no fit,
 * the index moves the largest parked block into the tree if it holds the
 * request, and searches again (blocks are maximal, so no smaller one, and
 * no flush, could make room); an aligned allocation moves every parked
 * block of the size or more before it gives up.  So an allocation fails
 * only if no run of free granules holds it.  Moving a block costs what a
 * free into the tree costs; at most GOMEM_QC_CLASSES * GOMEM_QC_DEPTH
 * blocks are parked.
 */

#include <kunit/visibility.h>
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include "gomem_qcache.h"

/* The largest non-empty size class; the cache must not be empty. */
static u32 qc_top(const struct gomem_qcache *qc)
{
	u32 w = GOMEM_QC_WORDS;

	while (!qc->nonempty[--w])
		;
	return w * BITS_PER_LONG + __fls(qc->nonempty[w]);
}

/**
 * gomem_qc_attach() - give an index a quick cache, or take it away
 * @fi: the index, with an end map
 * @qc: the cache's memory, kept until detached; NULL to detach
 *
 * Nothing may be parked when the cache changes: flush first
 * (gomem_treap_flush(), gomem_avl_flush()).
 *
 * Context: any; the caller serialises calls on @fi.
 * Return: 0, -EINVAL if @fi has no end map, -EBUSY if blocks are parked.
 */
int gomem_qc_attach(struct gomem_freeidx *fi, struct gomem_qcache *qc)
{
	if (qc && !fi->map)
		return -EINVAL;
	if (fi->nr_parked)
		return -EBUSY;
	if (qc) {
		memset(qc, 0, sizeof(*qc));
		qc->budget = fi->nr_granules / 4;
	}
	fi->qc = qc;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_qc_attach);

/*
 * Allocate @n granules from the cache: the last parked block of exactly @n
 * (a larger one would be split, and its tail fragments the region more
 * than the tree walk it saves is worth: measured).
 * Return: the first granule, or -ENOENT if none of @n is parked.
 */
s64 gomem_qc_take(struct gomem_freeidx *fi, u32 n)
{
	struct gomem_qcache *qc = fi->qc;
	u32 c = n - 1, ref;

	if (!qc->count[c])
		return -ENOENT;
	ref = qc->slot[c][--qc->count[c]];
	if (!qc->count[c])
		*gomem_qc_word(qc, c) &= ~BIT(c % BITS_PER_LONG);
	fi->nr_parked--;
	qc->granules -= n;
	fi->free_granules -= n;
	gomem_map_clear(fi, ref - 1);
	gomem_node_gone(fi, ref);	/* handed out: all pattern to check */
	return ref - n;
}

/*
 * Take the parked block ending at @ref out of the cache (free absorbs it
 * into a freed range it touches): it leaves its slot, keeping the others
 * in order, and the map, and is no longer counted free.
 */
void gomem_qc_remove(struct gomem_freeidx *fi, u32 ref)
{
	struct gomem_qcache *qc = fi->qc;
	u32 n = gomem_node_size(fi, ref), c = n - 1, i;

	for (i = 0; i < qc->count[c] && qc->slot[c][i] != ref; i++)
		;
	if (WARN_ON_ONCE(i == qc->count[c]))
		return;	/* a parked tag in no slot: memory was overwritten */
	for (qc->count[c]--; i < qc->count[c]; i++)
		qc->slot[c][i] = qc->slot[c][i + 1];
	if (!qc->count[c])
		*gomem_qc_word(qc, c) &= ~BIT(c % BITS_PER_LONG);
	fi->nr_parked--;
	qc->granules -= n;
	fi->free_granules -= n;
	gomem_map_clear(fi, ref - 1);
}

/*
 * Unpark the last block parked of the largest size if it has @want
 * granules or more, for a flush: it leaves the cache and the map, and is no
 * longer counted free; the caller frees it into the tree at once.
 * Return: false if no parked block is that large.
 */
bool gomem_qc_unpark(struct gomem_freeidx *fi, u32 want, u32 *start, u32 *n)
{
	struct gomem_qcache *qc = fi->qc;
	u32 c, ref;

	if (!fi->nr_parked)
		return false;
	c = qc_top(qc);
	if (c + 1 < want)
		return false;
	ref = qc->slot[c][--qc->count[c]];
	if (!qc->count[c])
		*gomem_qc_word(qc, c) &= ~BIT(c % BITS_PER_LONG);
	fi->nr_parked--;
	qc->granules -= c + 1;
	fi->free_granules -= c + 1;
	gomem_map_clear(fi, ref - 1);
	*start = ref - (c + 1);
	*n = c + 1;
	return true;
}

/* The largest parked size in granules, 0 if none. */
u32 gomem_qc_largest(const struct gomem_freeidx *fi)
{
	const struct gomem_qcache *qc = fi->qc;

	if (!fi->nr_parked)
		return 0;
	return qc_top(qc) + 1;
}

/*
 * The quick cache's invariants (6 in the indexes' DOC blocks), for the
 * checkers, after the tree's own (which include: every tree block's map
 * bit is set and its tag is 0, and the map holds nr_blocks + nr_parked
 * bits): the counts add up; every slot names a block with a parked node of
 * the slot's size and a map bit, and no two slots of a size name the same
 * block (a block has one size, so no two slots at all); the map holds
 * exactly nr_parked parked blocks, so every one of them is in a slot; all
 * blocks in the map are disjoint and none touches another.  Reads only.
 * Return: true if they hold.
 */
bool gomem_qc_ok(const struct gomem_freeidx *fi)
{
	const struct gomem_qcache *qc = fi->qc;
	u32 c, i, j, nr = 0, granules = 0, seen = 0, prev_end = 0;
	u64 g;

	if (!qc)
		return !fi->nr_parked;
	if (!fi->map || qc->granules > qc->budget ||
	    qc->granules > fi->free_granules)
		return false;
	for (c = 0; c < GOMEM_QC_CLASSES; c++) {
		if (qc->count[c] > GOMEM_QC_DEPTH ||
		    !qc->count[c] != !gomem_qc_nonempty(qc, c))
			return false;
		nr += qc->count[c];
		granules += qc->count[c] * (c + 1);
	}
	if (nr != fi->nr_parked || granules != qc->granules)
		return false;
	/* Each slot: a parked block of its size in the map, listed once. */
	for (c = 0; c < GOMEM_QC_CLASSES; c++) {
		for (i = 0; i < qc->count[c]; i++) {
			u32 ref = qc->slot[c][i];

			if (!ref || ref > fi->nr_granules || ref < c + 1 ||
			    !gomem_parked(fi, ref) ||
			    gomem_node_size(fi, ref) != c + 1 ||
			    !gomem_map_test(fi, ref - 1))
				return false;
			for (j = 0; j < i; j++)
				if (qc->slot[c][j] == ref)
					return false;
		}
	}
	/*
	 * Every block in the map, in address order: disjoint and never
	 * adjacent, parked or not (free absorbs parked neighbours); count
	 * the parked ones.
	 */
	for (g = gomem_map_next(fi, 0); g != U64_MAX;
	     g = g + 1 < fi->nr_granules ? gomem_map_next(fi, g + 1) : U64_MAX) {
		u32 ref = g + 1, size = gomem_node_size(fi, ref);

		if (!size || size > ref || (prev_end && ref - size <= prev_end))
			return false;
		seen += gomem_parked(fi, ref);
		prev_end = ref;
	}
	return seen == fi->nr_parked;
}
