/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem free-block indexes: the treap (gomem_treap.c) and the AVL two-tree
 * (gomem_avl.c), and the byte <-> granule rules the arena applies on top of
 * them (gomem_core.c).  Internal, and compilable in userspace (tools/).
 *
 * Both indexes work in granules (GOMEM_GRANULE bytes) and share one
 * interface: offsets and sizes are granule counts, "start" is the first
 * granule of a range and "n" its length.  The caller serialises all calls.
 */
#ifndef _GOMEM_INDEX_H
#define _GOMEM_INDEX_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <gomem/freeidx.h>

/* Called by *_walk() for each free block in address order; non-zero stops. */
typedef int (*gomem_walk_fn)(void *arg, u32 start, u32 n);

int gomem_treap_init(struct gomem_freeidx *fi, void *base, u32 nr_granules);
int gomem_treap_init_map(struct gomem_freeidx *fi, void *base, u32 nr_granules,
			 unsigned long *map);
s64 gomem_treap_alloc(struct gomem_freeidx *fi, u32 n, u32 align);
int gomem_treap_free(struct gomem_freeidx *fi, u32 start, u32 n);
s64 gomem_treap_find(const struct gomem_freeidx *fi, u32 n);
void gomem_treap_flush(struct gomem_freeidx *fi, u32 min);
u32 gomem_treap_largest(const struct gomem_freeidx *fi);
int gomem_treap_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		     void *arg);
int gomem_treap_check(const struct gomem_freeidx *fi);

int gomem_avl_init(struct gomem_freeidx *fi, void *base, u32 nr_granules);
int gomem_avl_init_map(struct gomem_freeidx *fi, void *base, u32 nr_granules,
		       unsigned long *map);
s64 gomem_avl_alloc(struct gomem_freeidx *fi, u32 n, u32 align);
int gomem_avl_free(struct gomem_freeidx *fi, u32 start, u32 n);
s64 gomem_avl_find(const struct gomem_freeidx *fi, u32 n);
void gomem_avl_flush(struct gomem_freeidx *fi, u32 min);
u32 gomem_avl_largest(const struct gomem_freeidx *fi);
int gomem_avl_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		   void *arg);
int gomem_avl_check(const struct gomem_freeidx *fi);

/*
 * Granules an allocation of @bytes occupies: ceil(bytes / G).  @bytes must
 * not exceed the arena size (the caller checks), so this cannot overflow.
 */
static inline u32 gomem_bytes_to_granules(size_t bytes)
{
	return (u32)((bytes + GOMEM_GRANULE - 1) >> GOMEM_GRANULE_SHIFT);
}

/*
 * The granules released by freeing bytes [@off, @off + @len) of a region:
 * [ceil(off / G), ceil((off + len) / G)).  Allocations start on a granule
 * boundary, so the pieces of any partition of an allocation map to a
 * partition of its granules: granule k goes with the piece holding byte
 * k * G, and a piece holding no granule's first byte maps to nothing.
 * The caller has checked @off + @len against the region size.
 */
static inline void gomem_free_range_to_granules(size_t off, size_t len,
						u32 *start, u32 *n)
{
	u32 s = gomem_bytes_to_granules(off);
	u32 e = gomem_bytes_to_granules(off + len);

	*start = s;
	*n = e - s;
}

/*
 * Start granule of the lowest @align-aligned allocation at or after granule
 * @s of a region at @base: alignment is of the absolute address.  @align is
 * a power of two number of granules.
 */
static inline u64 gomem_align_start(const void *base, u32 s, u32 align)
{
	u64 g = ((uintptr_t)base >> GOMEM_GRANULE_SHIFT) + s;

	return s + ((-g) & (u64)(align - 1));
}

/*
 * The end map (optional, given to *_init_map()): one bit per granule, set
 * at the last granule of every free block, where its node lives, with
 * summary levels above it (a bit per word of the level below, set iff that
 * word is not zero).  It lets free find both neighbours of a range in
 * O(levels) without a tree descent: the block before ends at start - 1 iff
 * that bit is set, and the first set bit at or after start is the end of
 * the first free block that could overlap or follow the range.  The caller
 * allocates gomem_map_words() longs once; the index never allocates.
 */
/*
 * Free consults the map only above this many free blocks: a shallow tree is
 * cheaper to descend than the map's levels are to climb.
 */
#define GOMEM_MAP_MIN_BLOCKS	32

#define GOMEM_MAP_SHIFT	(BITS_PER_LONG == 64 ? 6 : 5)
#define GOMEM_MAP_MASK	(BITS_PER_LONG - 1)

/* Longs of end map an index over @nr_granules needs, summary included. */
static inline size_t gomem_map_words(u32 nr_granules)
{
	u64 bits = nr_granules;
	size_t total = 0;

	do {
		bits = DIV_ROUND_UP(bits, BITS_PER_LONG);
		total += bits;
	} while (bits > 1);
	return total;
}

/* Lay out and clear @map (NULL: none) for @fi->nr_granules. */
static inline void gomem_map_setup(struct gomem_freeidx *fi,
				   unsigned long *map)
{
	u64 bits = fi->nr_granules;
	u32 off = 0, l = 0;

	fi->map = map;
	fi->qc = NULL;
	fi->nr_parked = 0;
	fi->map_top = 0;
	fi->map_min = GOMEM_MAP_MIN_BLOCKS;
	if (!map)
		return;
	do {
		bits = DIV_ROUND_UP(bits, BITS_PER_LONG);
		fi->map_off[l++] = off;
		off += bits;
	} while (bits > 1);
	fi->map_off[l] = off;
	fi->map_top = l - 1;
	memset(map, 0, (size_t)off * sizeof(*map));
}

static inline bool gomem_map_test(const struct gomem_freeidx *fi, u32 g)
{
	return fi->map[g >> GOMEM_MAP_SHIFT] & BIT(g & GOMEM_MAP_MASK);
}

/* Set bit @g; a word that was zero sets its bit in the level above. */
static inline void gomem_map_set(const struct gomem_freeidx *fi, u32 g)
{
	u32 l;

	for (l = 0; l <= fi->map_top; l++, g >>= GOMEM_MAP_SHIFT) {
		unsigned long *w = fi->map + fi->map_off[l] +
				   (g >> GOMEM_MAP_SHIFT);
		bool was = *w;

		*w |= BIT(g & GOMEM_MAP_MASK);
		if (was)
			return;
	}
}

/* Clear bit @g; a word that becomes zero clears its bit above. */
static inline void gomem_map_clear(const struct gomem_freeidx *fi, u32 g)
{
	u32 l;

	for (l = 0; l <= fi->map_top; l++, g >>= GOMEM_MAP_SHIFT) {
		unsigned long *w = fi->map + fi->map_off[l] +
				   (g >> GOMEM_MAP_SHIFT);

		*w &= ~BIT(g & GOMEM_MAP_MASK);
		if (*w)
			return;
	}
}

/*
 * First set bit of level 0 at or after @g: up the levels until a word
 * holds a set bit at or after the position, then down along lowest bits.
 * Return: its granule, or U64_MAX if there is none.
 */
static inline u64 gomem_map_next(const struct gomem_freeidx *fi, u32 g)
{
	u64 pos = g;
	u32 l = 0;

	for (;;) {
		u64 wi = pos >> GOMEM_MAP_SHIFT;
		unsigned long bits;

		if (wi >= fi->map_off[l + 1] - fi->map_off[l])
			return U64_MAX;
		bits = fi->map[fi->map_off[l] + wi] &
		       (~0UL << (pos & GOMEM_MAP_MASK));
		if (bits) {
			pos = (wi << GOMEM_MAP_SHIFT) + __ffs(bits);
			break;
		}
		if (l == fi->map_top)
			return U64_MAX;
		pos = wi + 1;
		l++;
	}
	while (l--)
		pos = (pos << GOMEM_MAP_SHIFT) +
		      __ffs(fi->map[fi->map_off[l] + pos]);
	return pos;
}

/*
 * Free's neighbours of a range starting at @start, from the map, when it
 * has one and the tree is deep enough for it to pay (map_min), or always
 * while blocks are parked (only the map sees them): *@pred is @start if a
 * block ends there, else 0; *@succ is the first block ending after @start,
 * 0 if none.  Return: false to descend the tree instead.
 */
static __always_inline bool gomem_map_neighbours(const struct gomem_freeidx *fi,
						 u32 start, u32 *pred,
						 u32 *succ)
{
	u64 g;

	if (!fi->map || (fi->nr_blocks <= fi->map_min && !fi->nr_parked))
		return false;
	g = gomem_map_next(fi, start);
	*succ = g == U64_MAX ? 0 : g + 1;
	*pred = start && gomem_map_test(fi, start - 1) ? start : 0;
	return true;
}

/*
 * The map's own invariants, for the checkers: each summary bit says whether
 * its word below is non-zero, no bit lies past a level's end, and level 0
 * holds exactly one bit per tree block and parked block (the checkers test
 * each block's bit).
 */
static inline bool gomem_map_ok(const struct gomem_freeidx *fi)
{
	u64 bits = fi->nr_granules, set = 0;
	u32 l, w;

	if (fi->map_top >= GOMEM_MAP_LEVELS || fi->map_off[0])
		return false;
	for (l = 0; l <= fi->map_top; l++) {
		const unsigned long *lv = fi->map + fi->map_off[l];
		const unsigned long *up = fi->map + fi->map_off[l + 1];
		u32 words = fi->map_off[l + 1] - fi->map_off[l];

		if (words != DIV_ROUND_UP(bits, BITS_PER_LONG))
			return false;
		if (bits % BITS_PER_LONG &&
		    lv[words - 1] & (~0UL << (bits % BITS_PER_LONG)))
			return false;	/* a bit past the level's end */
		for (w = 0; w < words; w++) {
			if (!l)
				set += hweight_long(lv[w]);
			if (l < fi->map_top &&
			    !lv[w] != !(up[w >> GOMEM_MAP_SHIFT] &
					BIT(w & GOMEM_MAP_MASK)))
				return false;
		}
		bits = words;
	}
	return bits == 1 && set == fi->nr_blocks + fi->nr_parked;
}

/*
 * The quick cache (gomem_qcache.c): parked blocks for exact-size reuse,
 * shared by both indexes.  The hot tests live here, inline.
 */
int gomem_qc_attach(struct gomem_freeidx *fi, struct gomem_qcache *qc);
s64 gomem_qc_take(struct gomem_freeidx *fi, u32 n);
void gomem_qc_remove(struct gomem_freeidx *fi, u32 ref);
bool gomem_qc_unpark(struct gomem_freeidx *fi, u32 want, u32 *start, u32 *n);
u32 gomem_qc_largest(const struct gomem_freeidx *fi);
bool gomem_qc_ok(const struct gomem_freeidx *fi);

#define GOMEM_PARKED	0xa5

/* Bit @c of the quick cache's non-empty set. */
static inline unsigned long *gomem_qc_word(struct gomem_qcache *qc, u32 c)
{
	return &qc->nonempty[c / BITS_PER_LONG];
}

static inline bool gomem_qc_nonempty(const struct gomem_qcache *qc, u32 c)
{
	return qc->nonempty[c / BITS_PER_LONG] & BIT(c % BITS_PER_LONG);
}

/*
 * The node of the block ending at @ref (its last granule), and of it the
 * size word, first in a tree node and in a parked one, and the tag byte.
 */
static inline void *gomem_node(const struct gomem_freeidx *fi, u32 ref)
{
	return (char *)fi->base + ((size_t)(ref - 1) << GOMEM_GRANULE_SHIFT);
}

static inline u32 *gomem_node_sizep(const struct gomem_freeidx *fi, u32 ref)
{
	return gomem_node(fi, ref);
}

static inline u32 gomem_node_size(const struct gomem_freeidx *fi, u32 ref)
{
	return *gomem_node_sizep(fi, ref);
}

static inline u8 *gomem_node_tag(const struct gomem_freeidx *fi, u32 ref)
{
	return (u8 *)gomem_node(fi, ref) + GOMEM_GRANULE - 1;
}

static inline bool gomem_parked(const struct gomem_freeidx *fi, u32 ref)
{
	return *gomem_node_tag(fi, ref) == GOMEM_PARKED;
}

/* Granules in parked blocks: free_granules less these are in the tree. */
static inline u32 gomem_qc_granules(const struct gomem_freeidx *fi)
{
	return fi->qc ? fi->qc->granules : 0;
}

/* Is a block of exactly @n granules parked? */
static __always_inline bool gomem_qc_has(const struct gomem_freeidx *fi,
					 u32 n)
{
	return fi->nr_parked && n <= GOMEM_QC_CLASSES && fi->qc->count[n - 1];
}

/*
 * Park the free range [@start, @end) if its size has room; free has
 * checked the range against every free block and found it touches none.
 * Return: true if parked.
 */
static __always_inline bool gomem_qc_park(struct gomem_freeidx *fi,
					  u32 start, u32 end)
{
	struct gomem_qcache *qc = fi->qc;
	u32 n = end - start, c = n - 1;

	if (c >= GOMEM_QC_CLASSES || qc->count[c] >= GOMEM_QC_DEPTH ||
	    qc->granules + n > qc->budget)
		return false;
	*gomem_node_sizep(fi, end) = n;
	*gomem_node_tag(fi, end) = GOMEM_PARKED;
	if (!qc->count[c])
		*gomem_qc_word(qc, c) |= BIT(c % BITS_PER_LONG);
	qc->slot[c][qc->count[c]++] = end;
	fi->nr_parked++;
	qc->granules += n;
	fi->free_granules += n;
	gomem_map_set(fi, end - 1);
	return true;
}

/*
 * The next parked block a flush moves into the tree, taken out of the
 * cache, the largest first: every one of @want granules or more (0: every
 * one), or for an allocation (@one) only the first (@moved: one was
 * moved).  Free blocks are maximal, parked or not, so a flush coalesces
 * nothing and no smaller block can help.
 * Return: false when the flush is done.
 */
static inline bool gomem_qc_flush_next(struct gomem_freeidx *fi, u32 want,
				       bool one, bool moved, u32 *start,
				       u32 *n)
{
	return !(one && moved) && gomem_qc_unpark(fi, want, start, n);
}

/*
 * Free's quick-cache step, taken when free found the neighbours of
 * [*@start, *@end) in the map and checked the range against them: *@pred
 * is *@start if a free block ends there, else 0; *@succ is the first free
 * block ending after *@start (0: none).  Parked blocks that touch the range
 * join it, so that free blocks stay maximal, parked or not; then the range
 * is parked if no block of the tree touches it and its size has room.
 * Otherwise the caller puts it in the tree, with parked blocks gone from
 * *@pred and *@succ (*@succ is U32_MAX when the next block in the tree is
 * unknown).
 * Return: true if the range was parked.
 */
static __always_inline bool gomem_qc_free(struct gomem_freeidx *fi,
					  u32 *start, u32 *end, u32 *pred,
					  u32 *succ, bool may_park)
{
	u32 s = *succ;
	bool radj = s && s - gomem_node_size(fi, s) == *end;

	if (fi->nr_parked) {
		if (*pred && gomem_parked(fi, *pred)) {
			*start -= gomem_node_size(fi, *pred);
			gomem_qc_remove(fi, *pred);
			*pred = 0;
		}
		if (s && gomem_parked(fi, s)) {
			if (radj) {
				*end = s;
				gomem_qc_remove(fi, s);
				radj = false;
			}
			*succ = U32_MAX;
		}
	}
	return may_park && !*pred && !radj && fi->nr_blocks > fi->map_min &&
	       gomem_qc_park(fi, *start, *end);
}

#endif /* _GOMEM_INDEX_H */
