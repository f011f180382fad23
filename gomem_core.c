// SPDX-License-Identifier: GPL-2.0
/*
 * gomem core: module init and exit, debugfs root and module-wide stats.
 */

/**
 * DOC: Overview
 *
 * gomem is an allocator family for in-kernel consumers.  This file holds the
 * module glue: the debugfs root /sys/kernel/debug/gomem/ with its ``stats``
 * file, and the exported helpers that belong to no single allocator.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include <gomem/gomem.h>
#include "gomem_debug.h"
#include "gomem_internal.h"

atomic_long_t gomem_stats[GOMEM_STAT_COUNT];
struct dentry *gomem_debugfs_root;

/* See gomem_debug.h: set only by tests that provoke caller bugs. */
int gomem_quiet_caller_bugs;
EXPORT_SYMBOL_NS_GPL(gomem_quiet_caller_bugs, GOMEM_INTERNAL);

static const char *const gomem_stat_names[] = {
	[GOMEM_STAT_ARENAS_LIVE]	= "arenas_live",
	[GOMEM_STAT_ARENA_BAD_INPUT]	= "arena_bad_input",
	[GOMEM_STAT_POOLS_LIVE]		= "pools_live",
	[GOMEM_STAT_POOL_BAD_INPUT]	= "pool_bad_input",
	[GOMEM_STAT_BUDDY_BAD_INPUT]	= "buddy_bad_input",
};

static_assert(ARRAY_SIZE(gomem_stat_names) == GOMEM_STAT_COUNT);

/**
 * gomem_index_name() - name of a free-block index
 * @index: the index
 *
 * Context: any context.
 * Return: "treap", "avl", "default", or "unknown" for a value out of range.
 */
const char *gomem_index_name(enum gomem_index index)
{
	switch (index) {
	case GOMEM_INDEX_DEFAULT:
		return "default";
	case GOMEM_INDEX_TREAP:
		return "treap";
	case GOMEM_INDEX_AVL:
		return "avl";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(gomem_index_name);

static int stats_show(struct seq_file *seq, void *v)
{
	int i;

	for (i = 0; i < GOMEM_STAT_COUNT; i++)
		seq_printf(seq, "%-20s %ld\n", gomem_stat_names[i],
			   atomic_long_read(&gomem_stats[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init gomem_init(void)
{
	int ret;

	gomem_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, gomem_debugfs_root, NULL,
			    &stats_fops);

	ret = gomem_pool_debugfs_init(gomem_debugfs_root);
	if (ret)
		goto err_remove_debugfs;
	gomem_bench_debugfs_init(gomem_debugfs_root);

	pr_info("loaded\n");
	return 0;

err_remove_debugfs:
	debugfs_remove_recursive(gomem_debugfs_root);
	return ret;
}

static void __exit gomem_exit(void)
{
	debugfs_remove_recursive(gomem_debugfs_root);
	gomem_pool_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(gomem_init);
module_exit(gomem_exit);

MODULE_DESCRIPTION("gomem: range, buddy and pool allocators over vmalloc'd arenas");
MODULE_LICENSE("GPL");
