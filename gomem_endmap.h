/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem end map: a bit per granule marking where free blocks
 * end, with summary levels, so that free finds a range's neighbours without
 * descending the tree.  Used by both indexes and the quick cache; the arena
 * sizes it with gomem_map_words().  Internal; compilable in userspace.
 */
#ifndef _GOMEM_ENDMAP_H
#define _GOMEM_ENDMAP_H

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <gomem/freeidx.h>

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

/* Lay out and clear @map for @bits granules (@bits >= @fi->nr_granules). */
static inline void __gomem_map_layout(struct gomem_freeidx *fi, u64 bits)
{
	u32 off = 0, l = 0;

	do {
		bits = DIV_ROUND_UP(bits, BITS_PER_LONG);
		fi->map_off[l++] = off;
		off += bits;
	} while (bits > 1);
	fi->map_off[l] = off;
	fi->map_top = l - 1;
	memset(fi->map, 0, (size_t)off * sizeof(*fi->map));
}

/* Lay out and clear @map (NULL: none) for @fi->nr_granules. */
static inline void gomem_map_setup(struct gomem_freeidx *fi,
				   unsigned long *map)
{
	fi->map = map;
	fi->qc = NULL;
	fi->nr_parked = 0;
	fi->map_top = 0;
	fi->map_min = GOMEM_MAP_MIN_BLOCKS;
	if (map)
		__gomem_map_layout(fi, fi->nr_granules);
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
 * Lay the map of a newly initialised index (its one free block, nothing
 * parked) out again for @cap granules, so that the arena can grow in place
 * up to @cap (gomem_arena_extend()) without the map moving.  The map must
 * hold gomem_map_words(@cap) longs.  Levels past @fi->nr_granules stay
 * zero, so lookups and the checkers see no difference.
 * Return: false (nothing changed) without a map or not right after init.
 */
static inline bool gomem_map_widen(struct gomem_freeidx *fi, u32 cap)
{
	if (!fi->map || cap < fi->nr_granules || fi->nr_blocks != 1 ||
	    fi->nr_parked || fi->free_granules != fi->nr_granules)
		return false;
	__gomem_map_layout(fi, cap);
	gomem_map_set(fi, fi->nr_granules - 1);
	return true;
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
		u64 need = DIV_ROUND_UP(bits, BITS_PER_LONG);

		/* Level 0 may be laid out for more (gomem_map_widen()). */
		if (l ? words != need : words < need)
			return false;
		if (bits % BITS_PER_LONG &&
		    lv[need - 1] & (~0UL << (bits % BITS_PER_LONG)))
			return false;	/* a bit past the level's end */
		for (w = need; w < words; w++)
			if (lv[w])
				return false;	/* past the region's end */
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

#endif /* _GOMEM_ENDMAP_H */
