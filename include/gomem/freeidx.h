/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: state of a free-block index (treap or AVL), embedded in struct
 * gomem_arena.  Kept in its own header, free of kernel-only includes, so that
 * the userspace harness can build the index files unchanged.
 */
#ifndef _GOMEM_FREEIDX_H
#define _GOMEM_FREEIDX_H

#include <linux/bits.h>
#include <linux/types.h>

/*
 * The arena hands out memory in granules of GOMEM_GRANULE bytes: each free
 * block keeps its index node in its own last granule, and 32 bytes is the
 * smallest power of two that holds the larger (AVL) node.
 */
#define GOMEM_GRANULE_SHIFT	5
#define GOMEM_GRANULE		BIT(GOMEM_GRANULE_SHIFT)

/* The largest arena, in granules: node references are u32 and 0 is nil. */
#define GOMEM_MAX_GRANULES	(0xffffffffu - 1)

/* Levels of the end map: 2^32 bits, BITS_PER_LONG (>= 32) to a word. */
#define GOMEM_MAP_LEVELS	7

/*
 * The quick cache (see gomem_qcache.c): freed blocks of 1 to
 * GOMEM_QC_CLASSES granules (32 B to 4 KiB) are parked, up to
 * GOMEM_QC_DEPTH of each size, for exact-size reuse without a tree walk.
 */
#define GOMEM_QC_CLASSES	128
#define GOMEM_QC_DEPTH		16
#define GOMEM_QC_WORDS		(GOMEM_QC_CLASSES / BITS_PER_LONG)

/**
 * struct gomem_qcache - parked blocks of one index, by exact size
 *
 * Memory given by the caller with gomem_qc_attach(); private to the index.
 */
struct gomem_qcache {
	/* private: */
	/*
	 * @granules: granules in parked blocks (counted in free_granules too)
	 * @budget: most granules parked at once (a quarter of the region)
	 * @nonempty: bit c set iff @count[c] is not zero
	 * @count: parked blocks of c + 1 granules
	 * @slot: their refs (end granule, as a tree node's), a stack per size
	 */
	u32 granules;
	u32 budget;
	unsigned long nonempty[GOMEM_QC_WORDS];
	u8 count[GOMEM_QC_CLASSES];
	u32 slot[GOMEM_QC_CLASSES][GOMEM_QC_DEPTH];
};

/**
 * struct gomem_freeidx - free-block index over one region
 *
 * Private to the index code; read it through the gomem_arena_*() helpers.
 */
struct gomem_freeidx {
	/* private: */
	/*
	 * @base: the region; free blocks hold their index nodes inside it
	 * @nr_granules: size of the region in granules
	 * @free_granules: granules in free blocks, parked ones included
	 * @nr_blocks: number of free blocks in the tree (maximal runs of free
	 *	granules when nothing is parked)
	 * @nr_parked: number of blocks parked in @qc (0 without one); kept here,
	 *	beside @nr_blocks, so that the hot paths test one cache line
	 * @root: tree roots (treap: root[0]; AVL: size tree, offset tree)
	 * @seed: treap only: the random key of the node priorities, drawn at
	 *	init so that no caller can predict them (see gomem_treap.c)
	 * @map: the end map, or NULL: bit g of level 0 is set iff granule g is
	 *	the last granule of a free block; bit w of level l + 1 is set iff
	 *	word w of level l is not zero (see gomem_endmap.h)
	 * @map_off: word offset of each level of @map, then the total
	 * @map_top: the top level of @map, which is one word
	 * @map_min: free consults @map only above this many free blocks (a shallow
	 *	tree is quicker to descend); GOMEM_MAP_MIN_BLOCKS, tests may lower it
	 * @qc: the quick cache, or NULL for none (it needs @map)
	 */
	void *base;
	u32 nr_granules;
	u32 free_granules;
	u32 nr_blocks;
	u32 nr_parked;
	u32 root[2];
	u32 seed;
	unsigned long *map;
	u32 map_off[GOMEM_MAP_LEVELS + 1];
	u32 map_top;
	u32 map_min;
	struct gomem_qcache *qc;
};

#endif /* _GOMEM_FREEIDX_H */
