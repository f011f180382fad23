// SPDX-License-Identifier: GPL-2.0
/*
 * gomem bench: in-kernel benchmark triggered through debugfs.
 * Placeholder until the allocators land.
 */

#include "gomem_internal.h"

void gomem_bench_debugfs_init(struct dentry *root)
{
}
