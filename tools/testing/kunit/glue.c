// SPDX-License-Identifier: GPL-2.0
/*
 * What the module's glue files (gomem_core.c, gomem_pool.c) call that the
 * KUnit program does not link: the benchmark's debugfs files.
 */
#include <linux/debugfs.h>

void gomem_bench_debugfs_init(struct dentry *root);

void gomem_bench_debugfs_init(struct dentry *root)
{
}
