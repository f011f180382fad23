// SPDX-License-Identifier: GPL-2.0
/*
 * gomem pool: scalable pool of arenas and recyclable memory.
 * Placeholder until its issue lands.
 */

#include "gomem_internal.h"

int gomem_pool_debugfs_init(struct dentry *root)
{
	return 0;
}

void gomem_pool_debugfs_exit(void)
{
}
