/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem internal glue header: what the module's glue files tell each other:
 * arena, backing, pool, recyclable memory, debugfs, bench and the module
 * file (gomem_core.c).  Kernel and harness alike; the algorithm files
 * (treap, AVL, quick cache, buddy, reader) never include it (they have
 * gomem_report.h).
 *
 * Dependencies run one way: core -> every file; debugfs -> pool, backing;
 * rm -> pool, reader; pool -> arena, backing; arena -> the indexes; bench
 * -> the public API.  Nothing below calls up (the pool tells debugfs of new
 * pools through a notifier chain, not a call).
 */
#ifndef _GOMEM_INTERNAL_H
#define _GOMEM_INTERNAL_H

#include <linux/types.h>
#include <gomem/arena.h>
#include <gomem/pool.h>

struct dentry;
struct fault_attr;
struct kvec;
struct notifier_block;

/* ---- arena (gomem_arena.c) ---- */

/* Module parameters default_index and quick_cache (set in gomem_core.c). */
extern enum gomem_index gomem_default_index;
extern bool gomem_quick_cache;

enum gomem_index gomem_arena_resolve_index(enum gomem_index index);

/* Cells of an occupancy picture, at most (debugfs <pool>/map). */
#define GOMEM_STRIP_MAX		64
u32 gomem_arena_strip(const struct gomem_arena *a, char *out,
		      unsigned int width);
/* Alloc and find without init_on_alloc's zeroing: the caller zeroes. */
void *gomem_arena_alloc_nozero(struct gomem_arena *a, size_t size);
void *gomem_arena_find_nozero(struct gomem_arena *a, size_t size);
/* An arena over @size bytes at @base that may grow in place up to @cap. */
struct gomem_arena *gomem_arena_create_growable(void *base, size_t size,
						size_t cap,
						enum gomem_index index,
						gfp_t gfp);
int gomem_arena_extend(struct gomem_arena *a, size_t size);

/* ---- backing (gomem_backing.c) ---- */

/* Module parameter buddy_size_mb (set in gomem_core.c). */
extern unsigned int gomem_buddy_size_mb;

/**
 * struct gomem_region - memory behind one arena
 * @base: first byte
 * @size: bytes the arena uses (a buddy block may be larger than asked); a
 *	growable region's pool raises it, under the pool's lock, once
 *	gomem_region_grow() mapped the bytes
 * @from_buddy: a block of the module buddy, else vmalloc'd
 * @huge: mapped with huge pages
 * @growable: reserved address space that grows in place (gomem_vres.c)
 * @cap: growable: bytes of address space reserved; else 0
 * @mapped: growable: bytes with pages behind them, @size at least
 * @pages: growable: the pages mapped, @cap / PAGE_SIZE slots
 */
struct gomem_region {
	void *base;
	size_t size;
	bool from_buddy;
	bool huge;
	bool growable;
	size_t cap;
	size_t mapped;
	struct page **pages;
};

/**
 * struct gomem_backing_info - a snapshot of the module buddy, for debugfs
 * @present: the buddy exists (a buddy-backed pool made it)
 * @size_param_mb: the module parameter buddy_size_mb
 * @size: bytes managed
 * @unit: allocation unit
 * @free: bytes free
 * @largest_free: largest free block
 * @blocks: blocks allocated (arenas)
 * @bad_input: calls refused
 * @huge: mapped with huge pages
 * @ok: gomem_buddy_check() passed
 */
struct gomem_backing_info {
	bool present;
	unsigned int size_param_mb;
	size_t size;
	size_t unit;
	size_t free;
	size_t largest_free;
	unsigned long blocks;
	unsigned long bad_input;
	bool huge;
	bool ok;
};

int gomem_region_get(struct gomem_region *r, size_t size, bool buddy,
		     bool huge, gfp_t gfp);
void gomem_region_put(struct gomem_region *r);
int gomem_region_get_growable(struct gomem_region *r, size_t size,
			      size_t cap, gfp_t gfp);
int gomem_region_grow(struct gomem_region *r, size_t size, gfp_t gfp);

/* ---- growable regions (gomem_vres.c; the harness: shim/vres.c) ---- */

bool gomem_vres_supported(void);
int gomem_vres_get(struct gomem_region *r, size_t size, size_t cap, gfp_t gfp);
int gomem_vres_grow(struct gomem_region *r, size_t size, gfp_t gfp);
void gomem_vres_put(struct gomem_region *r);
void gomem_backing_buddy_info(struct gomem_backing_info *info);
void gomem_backing_exit(void);
/* The buddy behind buddy-backed pools (the KUnit suites inspect it). */
struct gomem_buddy *gomem_pool_module_buddy(void);

/* ---- pool (gomem_pool.c) ---- */

/* Notifier events of the pool registry; the data is the pool. */
enum gomem_pool_event {
	GOMEM_POOL_ADD,		/* created: a subscriber may refuse it */
	GOMEM_POOL_DEL,		/* being destroyed */
};

/*
 * Pieces gomem_pool_free_many() frees per hold of the pool's lock: bounds
 * the time interrupts stay off (and, on PREEMPT_RT, the raw lock is held).
 */
#define GOMEM_POOL_FREE_BATCH	32

/*
 * Module parameters percpu, percpu_cache_kb and percpu_strict (set in
 * gomem_core.c): the front end's default, its bound per CPU and pool, and
 * the debug switch that sends every free to the arenas' full check.
 */
extern bool gomem_pool_percpu_default;
extern unsigned int gomem_pool_percpu_cache_kb;
extern bool gomem_pool_percpu_strict;
/* Module parameter grow_in_place (gomem_core.c; the Pool DOC block). */
extern bool gomem_pool_grow_in_place;
/* For KUnit: call @fn holding this CPU's cache lock, as a malloc holds it. */
int gomem_pool_pcp_held_call(struct gomem_pool *pool, void (*fn)(void *arg),
			     void *arg);

int gomem_pool_init(void);
const struct gomem_pool_params *
gomem_pool_get_params(const struct gomem_pool *pool);
unsigned int gomem_pool_free_many(struct gomem_pool *pool,
				  const struct kvec *segs,
				  const unsigned int *idx, unsigned int nr);
int gomem_pool_register_notifier(struct notifier_block *nb);
void gomem_pool_unregister_notifier(struct notifier_block *nb);
int gomem_pool_for_each(int (*fn)(struct gomem_pool *pool, void *arg),
			void *arg);
void gomem_pool_exit(void);
/* Memory pressure: what the shrinker (gomem_core.c) asks of the pools. */
unsigned long gomem_pools_reclaimable(void);
long gomem_pools_shrink(unsigned long want);

/**
 * typedef gomem_pool_map_fn - one arena of gomem_pool_map()
 * @arg: the caller's cookie
 * @base: the arena's region
 * @size: its bytes
 * @dedicated: it holds one oversize request
 * @per: granules per cell of @strip
 * @strip: its occupancy picture (gomem_arena_strip())
 */
typedef void (*gomem_pool_map_fn)(void *arg, const void *base, size_t size,
				  bool dedicated, u32 per, const char *strip);
void gomem_pool_map(struct gomem_pool *pool, unsigned int width,
		    gomem_pool_map_fn fn, void *arg);

/* ---- debugfs (gomem_debugfs.c) and bench (gomem_bench.c) ---- */

void gomem_debugfs_init(struct dentry *root);
void gomem_debugfs_exit(void);
void gomem_bench_init(struct dentry *root);
void gomem_bench_exit(void);
int gomem_bench_run(const char *cmd);	/* test-only export */
ssize_t gomem_bench_copy_result(char *buf, size_t size);	/* the same */

/* ---- fault injection (gomem_fault.c) and the shrinker (gomem_core.c) ---- */

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr gomem_fault_attr;	/* test-only export */
#endif
void gomem_fault_init(struct dentry *root);
void gomem_fault_exit(void);
unsigned long gomem_shrinker_run(unsigned long nr_to_scan,
				 unsigned long *count);	/* test-only export */

#endif /* _GOMEM_INTERNAL_H */
