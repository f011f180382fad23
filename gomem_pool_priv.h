/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem pool internals: what gomem_pool.c (arenas, growth, registry) and
 * gomem_pcp.c (the per-CPU front end) share.  Nothing else includes it.
 */
#ifndef _GOMEM_POOL_PRIV_H
#define _GOMEM_POOL_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <gomem/pool.h>
#include "gomem_internal.h"

struct pool_pcp;

/**
 * struct pool_arena - one arena of a pool
 * @node: in &gomem_pool.tree, keyed by the region's base
 * @link: in &gomem_pool.arenas, or in &gomem_pool.dead once unlinked
 * @arena: the arena over the region
 * @region: its memory (gomem_backing.c)
 * @largest: at least the bytes of its largest free block (under
 *	&gomem_pool.lock; pool_arena_note()): malloc's walk skips by it
 * @dedicated: holds one oversize request; released when empty
 * @dead: unlinked (under &gomem_pool.lock), waiting for its release; a
 *	grower that mapped pages into it leaves it alone
 */
struct pool_arena {
	struct rb_node node;
	struct list_head link;
	struct gomem_arena *arena;
	struct gomem_region region;
	size_t largest;
	bool dedicated;
	bool dead;
};

/* A regular arena's addresses, in &gomem_pool.ranges. */
struct pool_range {
	unsigned long base;
	unsigned long end;
};

/* Classes of 1 to this many granules refill in batches (the DOC block). */
#define POOL_PCP_DENSE		4

/**
 * struct gomem_pool - a scalable pool of arenas
 * @lock: guards the fields up to @release_work, every arena of the pool,
 *	and the writes of @gen and @ranges
 * @tree: all arenas by address, for free
 * @arenas: all arenas in creation order, for malloc
 * @dead: arenas unlinked and waiting for @release_work
 * @nr_arenas: arenas in @arenas
 * @child_size: size of the last regular arena added (GoMem's childSize)
 * @st: the counters of gomem_pool_get_stats() kept incrementally
 * @cpuhp_node: in the CPU-hotplug state that drains a dead CPU's cache
 * @release_work: destroys the arenas on @dead, in process context
 * @grow_mutex: serialises growth in place with itself and with the
 *	release of arenas (a grower maps pages into an arena outside @lock)
 * @grow_in_place: regular arenas grow in place (@params.grow says so,
 *	vmalloc backing, no huge pages, gomem_vres_supported())
 * @params: the creation parameters, defaults filled in and the index
 *	resolved (never GOMEM_INDEX_DEFAULT)
 * @link: in the registry, under pools_mutex
 * @name: the pool's name
 * @gen: a sequence count over the arena set: odd while an arena is linked
 *	or unlinked (under @lock), bumped by two for each; read without the
 *	lock by the per-CPU caches, for @ranges and for their arena hints
 * @pcp: the per-CPU caches, or NULL when the front end is off
 * @pcp_limit: bytes each CPU's cache may hold
 * @ranges: with the front end, the regular arenas' ranges sorted by
 *	address, for the per-CPU caches' lockless lookup
 *	(__pool_pcp_hint()); written under @lock inside @gen's odd phase, a
 *	replaced array freed only after every CPU's cache lock was taken
 *	once (pool_ranges_retire())
 * @nr_ranges: entries in @ranges
 * @cap_ranges: room in @ranges
 */
struct gomem_pool {
	raw_spinlock_t lock;
	struct rb_root tree;
	struct list_head arenas;
	struct list_head dead;
	unsigned long nr_arenas;
	size_t child_size;
	struct gomem_pool_stats st;
	struct hlist_node cpuhp_node;
	struct work_struct release_work;
	struct mutex grow_mutex;	/* growth in place; see above */

	/*
	 * Read-mostly from here: the per-CPU hits read the last fields, which
	 * share no cache line with the lock and the counters written under
	 * it (the struct is over 64 bytes: kmalloc starts it on a line).
	 */
	struct gomem_pool_params params;
	bool grow_in_place;
	struct list_head link;
	char name[GOMEM_POOL_NAME_MAX + 1];
	unsigned long gen;
	struct pool_pcp __percpu *pcp;
	size_t pcp_limit;
	struct pool_range *ranges;
	unsigned int nr_ranges;
	unsigned int cap_ranges;
};

/* gomem_pool.c, for the front end: the arenas under &gomem_pool.lock */
int __pool_free(struct gomem_pool *pool, void *ptr, size_t size,
		bool *release, bool from_cache);
void *__pool_alloc(struct gomem_pool *pool, size_t size);
void pool_report_bad_free(struct gomem_pool *pool, void *ptr, size_t size,
			  int ret);
void *pool_malloc_slow(struct gomem_pool *pool, size_t size, gfp_t gfp,
		       unsigned long ip);
int pool_free_slow(struct gomem_pool *pool, void *ptr, size_t size,
		   unsigned long ip);
int pool_free_arena(struct gomem_pool *pool, void *ptr, size_t size,
		    unsigned long ip);
int pool_free_refused(struct gomem_pool *pool, void *ptr, size_t size);

/* gomem_pcp.c: the per-CPU front end (its DOC block) */
int pool_pcp_create(struct gomem_pool *pool);
void pool_pcp_sync(struct gomem_pool *pool);
unsigned long pool_pcp_scrub(struct gomem_pool *pool, struct list_head *dead);
unsigned long pool_pcp_drain(struct gomem_pool *pool);
unsigned long pool_pcp_drain_big(struct gomem_pool *pool);
int pool_pcp_cpu_dead(unsigned int cpu, struct hlist_node *node);
int pool_pcp_check(struct gomem_pool *pool);
void pool_pcp_sum(struct gomem_pool *pool, struct gomem_pool_stats *st);
size_t pool_pcp_cached(struct gomem_pool *pool);
void pool_pcp_warm(struct gomem_pool *pool, size_t size);
void pool_pcp_frames(struct gomem_pool *pool);
void *pool_pcp_alloc_refill(struct gomem_pool *pool, size_t size);
int pool_pcp_free(struct gomem_pool *pool, void *ptr, size_t size,
		  void **bad, unsigned int *refused);
void pool_pcp_report(struct gomem_pool *pool, void *bad, unsigned int g,
		     unsigned int refused);

#endif /* _GOMEM_POOL_PRIV_H */
