/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: range, buddy and pool allocators over vmalloc'd arenas, and a
 * multi-buffer reader, for in-kernel consumers.
 *
 * This is the one header other modules include.  Each sub-family has its
 * own file under include/gomem/, pulled in here:
 *
 *   arena.h   range allocator over one region (treap or AVL free index)
 *   buddy.h   binary buddy allocator
 *   pool.h    scalable pool of arenas, recyclable memory
 *   reader.h  multi-buffer memory and its zero-copy reader
 */
#ifndef _GOMEM_GOMEM_H
#define _GOMEM_GOMEM_H

#include <linux/types.h>

/**
 * enum gomem_index - free-block index of a range allocator
 * @GOMEM_INDEX_DEFAULT: whatever the module parameter ``default_index`` says
 * @GOMEM_INDEX_TREAP: one treap keyed by offset, address-ordered first fit
 * @GOMEM_INDEX_AVL: two AVL trees (by size and by offset), best fit
 */
enum gomem_index {
	GOMEM_INDEX_DEFAULT = 0,
	GOMEM_INDEX_TREAP,
	GOMEM_INDEX_AVL,
};

const char *gomem_index_name(enum gomem_index index);

#include <gomem/arena.h>
#include <gomem/buddy.h>
#include <gomem/pool.h>
#include <gomem/reader.h>

#endif /* _GOMEM_GOMEM_H */
