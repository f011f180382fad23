/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: range, buddy and pool allocators over vmalloc'd arenas, and a
 * multi-buffer reader, for in-kernel consumers.
 *
 * This is the one header other modules include: an umbrella, nothing of
 * its own.  Each sub-family has its own file under include/gomem/, pulled
 * in here:
 *
 *   arena.h   range allocator over one region (treap or AVL free index)
 *   buddy.h   binary buddy allocator
 *   pool.h    scalable pool of arenas, recyclable memory
 *   reader.h  multi-buffer memory and its zero-copy reader
 */
#ifndef _GOMEM_GOMEM_H
#define _GOMEM_GOMEM_H

#include <gomem/arena.h>
#include <gomem/buddy.h>
#include <gomem/pool.h>
#include <gomem/reader.h>

#endif /* _GOMEM_GOMEM_H */
