/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: scalable pool of arenas (GoMem's ScalableMemoryAllocator) and
 * recyclable memory (GoMem's RecyclableMemory).  See the DOC blocks in
 * gomem_pool.c (design, locking, context rules) and gomem_rm.c.
 */
#ifndef _GOMEM_POOL_H
#define _GOMEM_POOL_H

#include <linux/types.h>
#include <gomem/arena.h>
#include <gomem/reader.h>

/* GoMem's MaxBlockSize: the default largest arena. */
#define GOMEM_POOL_DEFAULT_MAX_ARENA	(4UL << 20)
/* Size of the first arena when the params leave it 0. */
#define GOMEM_POOL_DEFAULT_INITIAL	(64UL << 10)
/* Longest pool name, NUL excluded. */
#define GOMEM_POOL_NAME_MAX		31

/**
 * enum gomem_backing - where a pool's arenas come from
 * @GOMEM_BACKING_VMALLOC: each arena is its own vmalloc'd region
 * @GOMEM_BACKING_BUDDY: arenas are carved from the module-wide buddy
 *	region (module parameter ``buddy_size_mb``); when the buddy is full,
 *	an arena falls back to vmalloc
 */
enum gomem_backing {
	GOMEM_BACKING_VMALLOC = 0,
	GOMEM_BACKING_BUDDY,
};

/**
 * enum gomem_pool_percpu - the pool's per-CPU front end
 * @GOMEM_PERCPU_DEFAULT: as the module parameter ``percpu`` says
 * @GOMEM_PERCPU_OFF: every call goes to the arenas under the pool's lock
 * @GOMEM_PERCPU_ON: blocks of up to %GOMEM_POOL_PERCPU_MAX bytes are cached
 *	per CPU, and one block of up to %GOMEM_POOL_PERCPU_BIG_MAX bytes
 *	(see the Per-CPU front end DOC block in gomem_pcp.c)
 */
enum gomem_pool_percpu {
	GOMEM_PERCPU_DEFAULT = 0,
	GOMEM_PERCPU_OFF,
	GOMEM_PERCPU_ON,
};

/**
 * enum gomem_pool_grow - how the pool's regular arenas grow
 * @GOMEM_GROW_DEFAULT: as the module parameter ``grow_in_place`` says
 * @GOMEM_GROW_NEW_ARENAS: each growth adds an arena (doubling, then an
 *	eighth of the pool)
 * @GOMEM_GROW_IN_PLACE: an arena reserves address space for
 *	max_arena_size bytes (an eighth of it for the first) and maps pages
 *	at its end as the pool grows, a 64th of the pool at a time; where
 *	that cannot be (buddy backing, huge pages, an architecture other than
 *	x86-64) the pool adds arenas instead (see the Pool DOC block)
 */
enum gomem_pool_grow {
	GOMEM_GROW_DEFAULT = 0,
	GOMEM_GROW_NEW_ARENAS,
	GOMEM_GROW_IN_PLACE,
};

/* The largest block the per-CPU magazines cache: 128 granules. */
#define GOMEM_POOL_PERCPU_MAX		4096

/*
 * Each CPU's cache also holds one block of GOMEM_POOL_PERCPU_MAX + 1 to
 * this many bytes, of the size its last malloc of over 4 KiB asked for.
 */
#define GOMEM_POOL_PERCPU_BIG_MAX	8192

/**
 * struct gomem_pool_params - how a pool is built
 * @initial_size: bytes of the first arena, PAGE_SIZE at least; 0 for
 *	%GOMEM_POOL_DEFAULT_INITIAL.  Rounded up to a power of two.
 * @max_arena_size: largest arena, 1 GiB at most; 0 for
 *	%GOMEM_POOL_DEFAULT_MAX_ARENA.  Rounded up to a power of two.
 *	Larger requests get an arena of their own (see gomem_malloc()).
 * @index: free-block index of every arena
 * @backing: vmalloc or buddy
 * @huge: ask for huge vmalloc mappings (vmalloc_huge(): arenas of 2 MiB
 *	and more, on kernels and architectures that allow it); whether it
 *	took is reported in the stats
 * @percpu: the per-CPU front end, on, off or the module default
 * @grow: growth in place or by new arenas, or the module default
 */
struct gomem_pool_params {
	size_t initial_size;
	size_t max_arena_size;
	enum gomem_index index;
	enum gomem_backing backing;
	bool huge;
	enum gomem_pool_percpu percpu;
	enum gomem_pool_grow grow;
};

/**
 * struct gomem_pool_stats - a snapshot of one pool
 * @arenas: arenas held, dedicated ones included
 * @dedicated: arenas holding one oversize request each
 * @reserved: bytes in all arenas
 * @in_use: bytes allocated, rounded to the arenas' granules, cached
 *	blocks excluded
 * @free: bytes free in all arenas (@reserved - @in_use - @cached)
 * @cached: bytes held in the per-CPU caches (allocated in the arenas,
 *	handed to no caller); exact when no malloc or free runs meanwhile
 * @largest_free: the largest free block of any arena
 * @free_blocks: free blocks in all arenas
 * @fragmentation: percent of free bytes outside the largest free block,
 *	100 - 100 * @largest_free / @free (0 when nothing is free)
 * @mallocs: successful gomem_malloc() calls
 * @frees: successful gomem_free() calls (pieces count one each)
 * @failures: gomem_malloc() calls that returned NULL
 * @bad_frees: gomem_free() calls refused (foreign pointer, double free)
 * @trims: arenas released by gomem_pool_trim()
 * @malloc_bytes: bytes asked for by successful gomem_malloc() calls
 * @free_bytes: bytes given back by successful gomem_free() calls
 * @huge_arenas: arenas mapped with huge pages
 * @huge: the pool asked for huge mappings
 */
struct gomem_pool_stats {
	unsigned long arenas;
	unsigned long dedicated;
	size_t reserved;
	size_t in_use;
	size_t free;
	size_t cached;
	size_t largest_free;
	unsigned long free_blocks;
	unsigned int fragmentation;
	unsigned long mallocs;
	unsigned long frees;
	unsigned long failures;
	unsigned long bad_frees;
	unsigned long trims;
	u64 malloc_bytes;
	u64 free_bytes;
	unsigned long huge_arenas;
	bool huge;
};

struct gomem_pool;

struct gomem_pool *gomem_pool_create(const char *name,
				     const struct gomem_pool_params *params);
void gomem_pool_destroy(struct gomem_pool *pool);
void *gomem_malloc(struct gomem_pool *pool, size_t size, gfp_t gfp);
int gomem_free(struct gomem_pool *pool, void *ptr, size_t size);
void *gomem_borrow(struct gomem_pool *pool, size_t size);
int gomem_free_rest(struct gomem_pool *pool, void *ptr, size_t len,
		    size_t keep);
unsigned long gomem_pool_trim(struct gomem_pool *pool);
void gomem_pool_get_stats(struct gomem_pool *pool,
			  struct gomem_pool_stats *st);
bool gomem_pool_contains(struct gomem_pool *pool, const void *ptr);
const char *gomem_pool_name(const struct gomem_pool *pool);
int gomem_pool_check(struct gomem_pool *pool);
void gomem_pool_flush(struct gomem_pool *pool);

/**
 * struct gomem_rm - recyclable memory: buffers freed in one pass
 * @pool: the pool that gomem_rm_next() allocates from
 * @bufs: the buffers, in the order they were recorded: a gomem buffer
 *	list that a struct gomem_reader can read (GoMem's Memory)
 * @recycle: indexes in @bufs of the buffers gomem_rm_recycle() frees
 *	(GoMem's recycleIndexes)
 * @nr_recycle: entries in @recycle
 * @cap_recycle: room in @recycle; kept across recycles, like the room in
 *	@bufs, so that the steady state allocates nothing but pool memory
 *
 * The caller embeds the struct, sets it up with gomem_rm_init() and
 * serialises all calls on it.  Like a gomem_bufs, it must not be copied by
 * assignment.  Readers may read @bufs; editing it other than through
 * gomem_rm_*() (replace, clip) would make @recycle point at the wrong
 * buffers.
 */
struct gomem_rm {
	struct gomem_pool *pool;
	struct gomem_bufs bufs;
	unsigned int *recycle;
	unsigned int nr_recycle;
	unsigned int cap_recycle;
};

void gomem_rm_init(struct gomem_rm *rm, struct gomem_pool *pool);
void gomem_rm_fini(struct gomem_rm *rm);
void *gomem_rm_next(struct gomem_rm *rm, size_t n, gfp_t gfp);
int gomem_rm_add(struct gomem_rm *rm, void *buf, size_t len, gfp_t gfp);
void gomem_rm_recycle(struct gomem_rm *rm);

#endif /* _GOMEM_POOL_H */
