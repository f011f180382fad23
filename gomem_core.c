// SPDX-License-Identifier: GPL-2.0
/*
 * gomem core, the module: init and exit in order, the module-wide
 * counters and their debugfs file, the debugfs root, module parameters.
 */

/**
 * DOC: Overview
 *
 * gomem is an allocator family for in-kernel consumers.  The files, top
 * down (each says its one concern in its head comment):
 *
 * - this file: the module.
 * - gomem_debugfs.c, gomem_bench.c: what debugfs shows and runs.
 * - gomem_rm.c: recyclable memory, over a pool and a buffer list.
 * - gomem_pool.c: pools of arenas, gomem_pcp.c: their per-CPU front end;
 *   gomem_backing.c: their regions.
 * - gomem_arena.c: the arena API over one free-block index.
 * - gomem_treap.c, gomem_avl.c, gomem_qcache.c, gomem_buddy.c,
 *   gomem_reader.c: the algorithms, built unchanged in userspace too.
 *
 * Every caller bug any of them refuses is counted in
 * /sys/kernel/debug/gomem/stats (see gomem_report.h).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/jump_label.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/numa.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/string.h>

#include <gomem/arena.h>
#include "gomem_init.h"
#include "gomem_internal.h"
#include "gomem_kcompat.h"
#include "gomem_report.h"

static atomic_long_t gomem_stats[GOMEM_STAT_COUNT];
static struct dentry *gomem_debugfs_root;

/* See gomem_report.h: set only by tests that provoke caller bugs. */
int gomem_quiet_caller_bugs;
EXPORT_SYMBOL_IF_KUNIT(gomem_quiet_caller_bugs);

static const char *const gomem_stat_names[] = {
	[GOMEM_STAT_ARENAS_LIVE]	= "arenas_live",
	[GOMEM_STAT_ARENA_BAD_INPUT]	= "arena_bad_input",
	[GOMEM_STAT_POISON_BAD]		= "poison_bad",
	[GOMEM_STAT_POOLS_LIVE]		= "pools_live",
	[GOMEM_STAT_POOL_BAD_INPUT]	= "pool_bad_input",
	[GOMEM_STAT_BUDDY_BAD_INPUT]	= "buddy_bad_input",
	[GOMEM_STAT_READER_BAD_INPUT]	= "reader_bad_input",
	[GOMEM_STAT_FAULTS_INJECTED]	= "faults_injected",
};

static_assert(ARRAY_SIZE(gomem_stat_names) == GOMEM_STAT_COUNT);

/**
 * gomem_stat_inc() - count one event in a module-wide counter
 * @s: the counter
 *
 * Context: any.
 */
void gomem_stat_inc(enum gomem_stat s)
{
	atomic_long_inc(&gomem_stats[s]);
}

/**
 * gomem_stat_dec() - uncount one (an object counted live went away)
 * @s: the counter
 *
 * Context: any.
 */
void gomem_stat_dec(enum gomem_stat s)
{
	atomic_long_dec(&gomem_stats[s]);
}

/**
 * gomem_stat_read() - read one of the module-wide counters
 * @s: the counter
 *
 * Context: any.
 * Return: its value (the debugfs file ``stats`` lists them all).
 */
long gomem_stat_read(enum gomem_stat s)
{
	return atomic_long_read(&gomem_stats[s]);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_stat_read);

static int stats_show(struct seq_file *seq, void *v)
{
	int i;

	for (i = 0; i < GOMEM_STAT_COUNT; i++)
		seq_printf(seq, "%-20s %ld\n", gomem_stat_names[i],
			   gomem_stat_read(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* ---- module parameters (their variables live with their users) ---- */

static int default_index_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "treap"))
		WRITE_ONCE(gomem_default_index, GOMEM_INDEX_TREAP);
	else if (sysfs_streq(val, "avl"))
		WRITE_ONCE(gomem_default_index, GOMEM_INDEX_AVL);
	else
		return -EINVAL;
	return 0;
}

static int default_index_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 gomem_index_name(READ_ONCE(gomem_default_index)));
}

static const struct kernel_param_ops default_index_ops = {
	.set = default_index_set,
	.get = default_index_get,
};
module_param_cb(default_index, &default_index_ops, NULL, 0644);
MODULE_PARM_DESC(default_index,
		 "index of arenas created with GOMEM_INDEX_DEFAULT: treap (default) or avl");

module_param_named(quick_cache, gomem_quick_cache, bool, 0644);
MODULE_PARM_DESC(quick_cache,
		 "new arenas park small freed blocks for exact-size reuse (default Y)");

module_param_named(percpu, gomem_pool_percpu_default, bool, 0644);
MODULE_PARM_DESC(percpu,
		 "pools created with GOMEM_PERCPU_DEFAULT get the per-CPU front end (default Y)");
module_param_named(percpu_cache_kb, gomem_pool_percpu_cache_kb, uint, 0644);
MODULE_PARM_DESC(percpu_cache_kb,
		 "KiB each CPU's cache of a pool may hold, for pools created after a change (default 1024)");
module_param_named(percpu_strict, gomem_pool_percpu_strict, bool, 0644);
MODULE_PARM_DESC(percpu_strict,
		 "debug: pools created while set get no front end, so every free takes the arenas' full double-free check (default N)");

module_param_named(grow_in_place, gomem_pool_grow_in_place, bool, 0644);
MODULE_PARM_DESC(grow_in_place,
		 "pools created after a change grow their vmalloc-backed arenas in place, up to max_arena_size, instead of adding arenas (default Y)");

module_param_named(buddy_size_mb, gomem_buddy_size_mb, uint, 0444);
MODULE_PARM_DESC(buddy_size_mb,
		 "MiB of the buddy region behind buddy-backed pools (vmalloc_huge'd when the first one is created; default 64)");

/*
 * init_on_alloc and init_on_free: gomem zeroes as the kernel's switches of
 * the same names say (gomem_init.h); these add zeroing where the kernel's
 * are off and can never take it away.  Static keys, so that with them off
 * the allocation paths pay a patched-out jump.
 */
DEFINE_STATIC_KEY_FALSE(gomem_force_init_on_alloc);
EXPORT_SYMBOL_IF_KUNIT(gomem_force_init_on_alloc);
DEFINE_STATIC_KEY_FALSE(gomem_force_init_on_free);
EXPORT_SYMBOL_IF_KUNIT(gomem_force_init_on_free);

static int force_key_set(const char *val, const struct kernel_param *kp)
{
	struct static_key_false *key = kp->arg;
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on)
		static_branch_enable(key);
	else
		static_branch_disable(key);
	return 0;
}

static int force_key_get(char *buf, const struct kernel_param *kp)
{
	struct static_key_false *key = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%c\n",
			 static_key_enabled(key) ? 'Y' : 'N');
}

static const struct kernel_param_ops force_key_ops = {
	.set = force_key_set,
	.get = force_key_get,
};
module_param_cb(init_on_alloc, &force_key_ops, &gomem_force_init_on_alloc,
		0644);
MODULE_PARM_DESC(init_on_alloc,
		 "zero every allocation even where the kernel's init_on_alloc is off (default N: follow the kernel; cannot turn the kernel's off)");
module_param_cb(init_on_free, &force_key_ops, &gomem_force_init_on_free,
		0644);
MODULE_PARM_DESC(init_on_free,
		 "zero freed memory even where the kernel's init_on_free is off (default N: follow the kernel; cannot turn the kernel's off)");

/*
 * poison: the poison mode of gomem_init.h (like slub_debug=P).  Read-only:
 * the pattern must be in every free block from its arena's creation on.
 */
DEFINE_STATIC_KEY_FALSE(gomem_poison);
EXPORT_SYMBOL_IF_KUNIT(gomem_poison);
static bool poison;
module_param(poison, bool, 0444);
MODULE_PARM_DESC(poison,
		 "fill freed memory with 0x6b and check it when it is handed out again and by the checkers; reports and withholds what was overwritten (default N; costs a memset and a compare of every byte freed and allocated)");
/* ---- memory pressure ---- */

/**
 * DOC: Memory pressure
 *
 * gomem registers one shrinker, ``gomem`` (in a kernel with
 * CONFIG_SHRINKER_DEBUG: /sys/kernel/debug/shrinker/gomem-N/).  Its
 * objects are pages.  count_objects is what gomem_pool_trim() of every pool
 * would give back now, at most: each pool's empty arenas but the largest
 * regular one (which the pool keeps for atomic callers), plus what its
 * per-CPU caches hold (drained first, they may empty more arenas).
 * scan_objects trims pool after pool, in creation order, until it has
 * released the pages asked for, and returns those it released, or
 * SHRINK_STOP when there was nothing (or it could not look).
 *
 * Why it cannot deadlock.  Reclaim runs the shrinker from inside whatever
 * allocation found memory short, in the allocating task: gomem's own
 * allocations included -- a pool's debugfs directory is made under the
 * registry mutex, the module buddy under the backing mutex, growth
 * vmallocs with the caller's locks held.  So the callbacks:
 *
 * - take the registry mutex with mutex_trylock() only, and give up (count
 *   0, scan SHRINK_STOP) when anyone holds it, this task included;
 * - allocate nothing and never sleep: trim drains the per-CPU caches and
 *   unlinks empty arenas under the pools' raw spinlocks, which are never
 *   held across an allocation;
 * - free no arena themselves: trim hands the unlinked arenas to the pool's
 *   release work item (system_unbound_wq), which vfrees them or gives them
 *   back to the module buddy under its mutex, holding nothing else.  The
 *   pages are back once that work has run, moments later; the scan reports
 *   them at once, as the stats do.
 *
 * Nothing here does I/O, enters a filesystem or allocates, so every
 * sc->gfp_mask is served alike (GFP_NOFS and GFP_NOIO reclaim included).
 */

static struct shrinker *gomem_shrinker;

static unsigned long gomem_shrink_count(struct shrinker *s,
					struct shrink_control *sc)
{
	return gomem_pools_reclaimable() >> PAGE_SHIFT;
}

static unsigned long gomem_shrink_scan(struct shrinker *s,
				       struct shrink_control *sc)
{
	unsigned long want = min(sc->nr_to_scan, ULONG_MAX >> PAGE_SHIFT);
	long done = gomem_pools_shrink(want << PAGE_SHIFT);

	return done > 0 ? (unsigned long)done >> PAGE_SHIFT : SHRINK_STOP;
}

/**
 * gomem_shrinker_run() - call the shrinker as reclaim would
 * @nr_to_scan: pages to ask scan_objects for
 * @count: set to what count_objects said first
 *
 * For the KUnit suites: the same two callbacks, with a GFP_KERNEL
 * shrink_control.
 *
 * Context: process context; never sleeps.
 * Return: what scan_objects said: pages released, or SHRINK_STOP.
 */
unsigned long gomem_shrinker_run(unsigned long nr_to_scan,
				 unsigned long *count)
{
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nid = NUMA_NO_NODE,
		.nr_to_scan = nr_to_scan,
	};

	*count = gomem_shrink_count(gomem_shrinker, &sc);
	return gomem_shrink_scan(gomem_shrinker, &sc);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_shrinker_run);

/* ---- init and exit ---- */

static int __init gomem_init(void)
{
	int ret;

	if (poison)
		static_branch_enable(&gomem_poison);
	ret = gomem_pool_init();
	if (ret)
		return ret;
	gomem_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, gomem_debugfs_root, NULL,
			    &stats_fops);
	gomem_debugfs_init(gomem_debugfs_root);
	gomem_bench_init(gomem_debugfs_root);
	gomem_fault_init(gomem_debugfs_root);
	/* Reclaim works without it: a failure is reported, not fatal. */
	gomem_shrinker = gomem_shrinker_create(KBUILD_MODNAME,
					       gomem_shrink_count,
					       gomem_shrink_scan);
	if (!gomem_shrinker)
		pr_warn("no shrinker: empty arenas go back only on trim\n");
	pr_info("loaded; zeroing on alloc %s, on free %s; poison %s\n",
		gomem_want_init_on_alloc(0) ? "on" : "off",
		gomem_want_init_on_free() ? "on" : "off",
		gomem_want_poison() ? "on" : "off");
	return 0;
}

/* The reverse of init: users of pools first, the pools' memory last. */
static void __exit gomem_exit(void)
{
	gomem_shrinker_destroy(gomem_shrinker);
	/* The bench pool's debugfs dir lives under the root: release it first. */
	gomem_bench_exit();
	gomem_debugfs_exit();
	debugfs_remove_recursive(gomem_debugfs_root);
	gomem_fault_exit();
	gomem_pool_exit();
	gomem_backing_exit();
	pr_info("unloaded\n");
}

module_init(gomem_init);
module_exit(gomem_exit);

MODULE_DESCRIPTION("gomem: range, buddy and pool allocators over vmalloc'd arenas");
MODULE_LICENSE("GPL");
MODULE_VERSION(GOMEM_VERSION);
