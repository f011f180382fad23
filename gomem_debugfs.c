// SPDX-License-Identifier: GPL-2.0
/*
 * gomem debugfs: what /sys/kernel/debug/gomem/ shows of the pools and
 * the module buddy: one directory per live pool, the pools summary, the
 * buddy file.  (The module-wide ``stats`` file lives with its counters in
 * gomem_core.c; the ``bench`` file with the benchmark in gomem_bench.c.)
 */

/**
 * DOC: debugfs
 *
 * /sys/kernel/debug/gomem/<pool>/stats   a pool's parameters and counters
 * /sys/kernel/debug/gomem/<pool>/check   "ok" or "corrupt": gomem_pool_check()
 * /sys/kernel/debug/gomem/<pool>/map     each arena's occupancy as a strip
 * /sys/kernel/debug/gomem/pools          one line per pool, then the sums
 * /sys/kernel/debug/gomem/buddy          the module-wide buddy
 *
 * A pool's directory comes and goes with the pool: this file subscribes to
 * the pool registry's notifier chain and refuses a pool named like one of
 * the module's own files.  Everything here reads pools through their API.
 */

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/notifier.h>
#include <linux/seq_file.h>

#include <gomem/pool.h>
#include "gomem_internal.h"
#include "gomem_report.h"

static struct dentry *debugfs_root;

static void pool_stats_print(struct seq_file *seq,
			     const struct gomem_pool_stats *st)
{
	seq_printf(seq, "arenas         %lu\n", st->arenas);
	seq_printf(seq, "dedicated      %lu\n", st->dedicated);
	seq_printf(seq, "reserved       %zu\n", st->reserved);
	seq_printf(seq, "in_use         %zu\n", st->in_use);
	seq_printf(seq, "free           %zu\n", st->free);
	seq_printf(seq, "cached         %zu\n", st->cached);
	seq_printf(seq, "largest_free   %zu\n", st->largest_free);
	seq_printf(seq, "free_blocks    %lu\n", st->free_blocks);
	seq_printf(seq, "fragmentation  %u%%\n", st->fragmentation);
	seq_printf(seq, "mallocs        %lu\n", st->mallocs);
	seq_printf(seq, "frees          %lu\n", st->frees);
	seq_printf(seq, "failures       %lu\n", st->failures);
	seq_printf(seq, "bad_frees      %lu\n", st->bad_frees);
	seq_printf(seq, "trims          %lu\n", st->trims);
	seq_printf(seq, "malloc_bytes   %llu\n", st->malloc_bytes);
	seq_printf(seq, "free_bytes     %llu\n", st->free_bytes);
	seq_printf(seq, "huge_arenas    %lu\n", st->huge_arenas);
	seq_printf(seq, "huge           %s\n",
		   !st->huge ? "no" : st->huge_arenas ? "yes" : "asked, not taken");
}

static int pool_stats_show(struct seq_file *seq, void *v)
{
	struct gomem_pool *pool = seq->private;
	const struct gomem_pool_params *p = gomem_pool_get_params(pool);
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	seq_printf(seq, "name           %s\n", gomem_pool_name(pool));
	seq_printf(seq, "index          %s\n", gomem_index_name(p->index));
	seq_printf(seq, "backing        %s\n",
		   p->backing == GOMEM_BACKING_BUDDY ? "buddy" : "vmalloc");
	seq_printf(seq, "max_arena      %zu\n", p->max_arena_size);
	seq_printf(seq, "grow           %s\n",
		   p->grow == GOMEM_GROW_IN_PLACE ? "in place" : "new arenas");
	pool_stats_print(seq, &st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

struct pool_map_out {
	struct seq_file *seq;
	unsigned int nr;
};

/* One arena of the map: its number in address order, size, strip. */
static void pool_map_line(void *arg, const void *base, size_t size,
			  bool dedicated, u32 per, const char *strip)
{
	struct pool_map_out *o = arg;

	seq_printf(o->seq, "%5u %9zu %5u |%s|%s\n", o->nr++, size,
		   per << GOMEM_GRANULE_SHIFT, strip,
		   dedicated ? " dedicated" : "");
}

/*
 * /sys/kernel/debug/gomem/<name>/map: each arena's occupancy as a strip of
 * POOL_MAP_WIDTH cells, in the manner of the kernel's own text pictures.
 */
#define POOL_MAP_WIDTH	64

static int pool_map_show(struct seq_file *seq, void *v)
{
	struct pool_map_out o = { .seq = seq };

	seq_puts(seq, "# '#' in use, '.' free, ':' partly free, 'p' parked in the quick cache\n");
	seq_printf(seq, "# arena     bytes  cell  %d cells, arenas in address order\n",
		   POOL_MAP_WIDTH);
	gomem_pool_map(seq->private, POOL_MAP_WIDTH, pool_map_line, &o);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_map);

/* /sys/kernel/debug/gomem/<name>/check: run gomem_pool_check(). */
static int pool_check_show(struct seq_file *seq, void *v)
{
	int ret = gomem_pool_check(seq->private);

	seq_printf(seq, "%s\n", ret ? "corrupt" : "ok");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_check);

/* /sys/kernel/debug/gomem/buddy: the module-wide buddy behind pools. */
static int module_buddy_show(struct seq_file *seq, void *v)
{
	struct gomem_backing_info b;

	gomem_backing_buddy_info(&b);
	seq_printf(seq, "size_param     %u MiB\n", b.size_param_mb);
	if (!b.present) {
		seq_puts(seq, "not allocated yet (no buddy-backed pool so far)\n");
		return 0;
	}
	seq_printf(seq, "size           %zu\n", b.size);
	seq_printf(seq, "unit           %zu\n", b.unit);
	seq_printf(seq, "free           %zu\n", b.free);
	seq_printf(seq, "largest_free   %zu\n", b.largest_free);
	seq_printf(seq, "blocks         %lu\n", b.blocks);
	seq_printf(seq, "bad_input      %lu\n", b.bad_input);
	seq_printf(seq, "huge           %s\n", b.huge ? "yes" : "no");
	seq_printf(seq, "check          %s\n", b.ok ? "ok" : "corrupt");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(module_buddy);

struct pools_sum {
	struct seq_file *seq;
	struct gomem_pool_stats sum;
	unsigned long nr;
};

static int pools_line(struct gomem_pool *pool, void *arg)
{
	struct pools_sum *ps = arg;
	struct gomem_pool_stats st, *sum = &ps->sum;

	gomem_pool_get_stats(pool, &st);
	seq_printf(ps->seq, "%-20s %7lu %12zu %12zu %12zu %10lu %10lu %8lu %5s\n",
		   gomem_pool_name(pool), st.arenas, st.reserved, st.in_use,
		   st.largest_free, st.mallocs, st.frees, st.failures,
		   st.huge_arenas ? "yes" : "no");
	sum->arenas += st.arenas;
	sum->dedicated += st.dedicated;
	sum->reserved += st.reserved;
	sum->in_use += st.in_use;
	sum->free += st.free;
	sum->cached += st.cached;
	sum->largest_free = max(sum->largest_free, st.largest_free);
	sum->free_blocks += st.free_blocks;
	sum->mallocs += st.mallocs;
	sum->frees += st.frees;
	sum->failures += st.failures;
	sum->bad_frees += st.bad_frees;
	sum->trims += st.trims;
	sum->malloc_bytes += st.malloc_bytes;
	sum->free_bytes += st.free_bytes;
	sum->huge_arenas += st.huge_arenas;
	sum->huge |= st.huge;
	ps->nr++;
	return 0;
}

/* /sys/kernel/debug/gomem/pools: one line per pool, then the sums. */
static int pools_show(struct seq_file *seq, void *v)
{
	struct pools_sum ps = { .seq = seq };
	struct gomem_pool_stats *sum = &ps.sum;

	seq_printf(seq, "%-20s %7s %12s %12s %12s %10s %10s %8s %5s\n",
		   "pool", "arenas", "reserved", "in_use", "largest",
		   "mallocs", "frees", "failures", "huge");
	gomem_pool_for_each(pools_line, &ps);
	sum->fragmentation = sum->free ?
		100 - (unsigned int)div64_u64(100ULL * sum->largest_free,
					      sum->free) : 0;
	seq_printf(seq, "\ntotal over %lu pools\n", ps.nr);
	pool_stats_print(seq, sum);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pools);

static int pool_event(struct notifier_block *nb, unsigned long event,
		      void *data)
{
	struct gomem_pool *pool = data;
	const char *name = gomem_pool_name(pool);
	/* NULL if absent; an ERR_PTR without debugfs (nothing to show). */
	struct dentry *dir = debugfs_lookup(name, debugfs_root);
	int ret = NOTIFY_OK;

	if (IS_ERR(dir))
		return NOTIFY_DONE;
	if (event == GOMEM_POOL_ADD && dir) {
		/* Taken by a file of the module ("stats", "pools"). */
		ret = notifier_from_errno(-EEXIST);
	} else if (event == GOMEM_POOL_ADD) {
		/* Injected: the create fails as if the directory had. */
		if (gomem_should_fail(0))
			return notifier_from_errno(-ENOMEM);
		dir = debugfs_create_dir(name, debugfs_root);
		debugfs_create_file("stats", 0444, dir, pool, &pool_stats_fops);
		debugfs_create_file("check", 0444, dir, pool, &pool_check_fops);
		debugfs_create_file("map", 0444, dir, pool, &pool_map_fops);
		return NOTIFY_OK;
	} else if (event == GOMEM_POOL_DEL) {
		/* Waits for readers of the pool's files to finish. */
		debugfs_remove_recursive(dir);
	}
	dput(dir);
	return ret;
}

static struct notifier_block pool_nb = {
	.notifier_call = pool_event,
};

/**
 * gomem_debugfs_init() - the pool and buddy files, under the module's root
 * @root: /sys/kernel/debug/gomem/
 *
 * Context: process context; module init, before any pool exists.
 */
void gomem_debugfs_init(struct dentry *root)
{
	debugfs_root = root;
	debugfs_create_file("pools", 0444, root, NULL, &pools_fops);
	debugfs_create_file("buddy", 0444, root, NULL, &module_buddy_fops);
	gomem_pool_register_notifier(&pool_nb);
}

/**
 * gomem_debugfs_exit() - stop following pools (the root goes with core)
 *
 * Context: process context; module exit.
 */
void gomem_debugfs_exit(void)
{
	gomem_pool_unregister_notifier(&pool_nb);
}
