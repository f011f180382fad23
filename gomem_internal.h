/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem internal glue shared by gomem_core.c, gomem_pool.c and
 * gomem_bench.c.  Kernel only: the algorithm files (treap, AVL, buddy,
 * reader) must not include this, so that tools/ can build them in userspace.
 */
#ifndef _GOMEM_INTERNAL_H
#define _GOMEM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/debugfs.h>

/*
 * Module-wide counters, shown in /sys/kernel/debug/gomem/stats.  Add new
 * ones before GOMEM_STAT_COUNT and give them a name in gomem_core.c.
 */
enum gomem_stat {
	GOMEM_STAT_ARENAS_LIVE,		/* arenas created and not destroyed */
	GOMEM_STAT_ARENA_BAD_INPUT,	/* arena calls refused as caller bugs */
	GOMEM_STAT_POOLS_LIVE,		/* pools created and not destroyed */
	GOMEM_STAT_POOL_BAD_INPUT,	/* pool calls refused as caller bugs */
	GOMEM_STAT_BUDDY_BAD_INPUT,	/* buddy calls refused as caller bugs */
	GOMEM_STAT_READER_BAD_INPUT,	/* list and reader caller bugs */
	GOMEM_STAT_COUNT,
};

extern atomic_long_t gomem_stats[GOMEM_STAT_COUNT];
extern struct dentry *gomem_debugfs_root;

static inline void gomem_stat_inc(enum gomem_stat s)
{
	atomic_long_inc(&gomem_stats[s]);
}

static inline void gomem_stat_dec(enum gomem_stat s)
{
	atomic_long_dec(&gomem_stats[s]);
}

/* Read one module-wide counter (exported to the KUnit suites). */
long gomem_stat_read(enum gomem_stat s);

/* The buddy behind buddy-backed pools (exported to the KUnit suites). */
struct gomem_buddy *gomem_pool_module_buddy(void);

/* Set up and tear down the parts that live in other files. */
int gomem_pool_debugfs_init(struct dentry *root);
void gomem_pool_debugfs_exit(void);
void gomem_bench_debugfs_init(struct dentry *root);
void gomem_bench_exit(void);

#endif /* _GOMEM_INTERNAL_H */
