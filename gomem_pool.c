// SPDX-License-Identifier: GPL-2.0
/*
 * gomem pool: scalable pool of arenas and recyclable memory.
 * Placeholder until its issue lands.
 */

#include "gomem_internal.h"

#include <linux/export.h>

long gomem_stat_read(enum gomem_stat s)
{
	return atomic_long_read(&gomem_stats[s]);
}
EXPORT_SYMBOL_NS_GPL(gomem_stat_read, GOMEM_INTERNAL);

int gomem_pool_debugfs_init(struct dentry *root)
{
	return 0;
}

void gomem_pool_debugfs_exit(void)
{
}
