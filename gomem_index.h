/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem index interface: the treap (gomem_treap.c) and the AVL two-tree
 * (gomem_avl.c) share it, the arena (gomem_arena.c) calls it.  It also
 * implements the byte <-> granule rule (stated in the Arena DOC block of
 * gomem_arena.c) and says where a free block keeps its node.  Internal;
 * compilable in userspace (tools/testing/).  The end map is in
 * gomem_endmap.h, the quick cache in gomem_qcache.h.
 *
 * Both indexes work in granules (GOMEM_GRANULE bytes) and share one
 * interface: offsets and sizes are granule counts, "start" is the first
 * granule of a range and "n" its length.  The caller serialises all calls.
 */
#ifndef _GOMEM_INDEX_H
#define _GOMEM_INDEX_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <gomem/freeidx.h>
#include "gomem_init.h"
#include "gomem_kasan.h"

/* Called by *_walk() for each free block in address order; non-zero stops. */
typedef int (*gomem_walk_fn)(void *arg, u32 start, u32 n);

int gomem_treap_init(struct gomem_freeidx *fi, void *base, u32 nr_granules);
int gomem_treap_init_map(struct gomem_freeidx *fi, void *base, u32 nr_granules,
			 unsigned long *map);
s64 gomem_treap_alloc(struct gomem_freeidx *fi, u32 n, u32 align);
int gomem_treap_free(struct gomem_freeidx *fi, u32 start, u32 n);
s64 gomem_treap_find(const struct gomem_freeidx *fi, u32 n);
void gomem_treap_flush(struct gomem_freeidx *fi, u32 min);
u32 gomem_treap_largest(const struct gomem_freeidx *fi);
int gomem_treap_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		     void *arg);
int gomem_treap_check(const struct gomem_freeidx *fi);
u32 gomem_treap_depth(const struct gomem_freeidx *fi);

int gomem_avl_init(struct gomem_freeidx *fi, void *base, u32 nr_granules);
int gomem_avl_init_map(struct gomem_freeidx *fi, void *base, u32 nr_granules,
		       unsigned long *map);
s64 gomem_avl_alloc(struct gomem_freeidx *fi, u32 n, u32 align);
int gomem_avl_free(struct gomem_freeidx *fi, u32 start, u32 n);
s64 gomem_avl_find(const struct gomem_freeidx *fi, u32 n);
void gomem_avl_flush(struct gomem_freeidx *fi, u32 min);
u32 gomem_avl_largest(const struct gomem_freeidx *fi);
int gomem_avl_walk(const struct gomem_freeidx *fi, gomem_walk_fn fn,
		   void *arg);
int gomem_avl_check(const struct gomem_freeidx *fi);

/*
 * Granules an allocation of @bytes occupies: ceil(bytes / G).  @bytes must
 * not exceed the arena size (the caller checks), so this cannot overflow.
 */
static inline u32 gomem_bytes_to_granules(size_t bytes)
{
	return (u32)((bytes + GOMEM_GRANULE - 1) >> GOMEM_GRANULE_SHIFT);
}

/*
 * The granules released by freeing bytes [@off, @off + @len) of a region:
 * [ceil(off / G), ceil((off + len) / G)), the granule rule of the Arena DOC
 * block (gomem_arena.c), which says why.  The caller has checked
 * @off + @len against the region size.
 */
static inline void gomem_free_range_to_granules(size_t off, size_t len,
						u32 *start, u32 *n)
{
	u32 s = gomem_bytes_to_granules(off);
	u32 e = gomem_bytes_to_granules(off + len);

	*start = s;
	*n = e - s;
}

/*
 * init_on_free (gomem_init.h): zero granules [@start, @start + @n), which
 * a free gives back, once the free is known to be good and before the index
 * writes a node into them.  Only granules the caller held: the ones of a
 * refused free (a double free overlaps free blocks) are left alone.
 */
static __always_inline void gomem_wipe_freed(const struct gomem_freeidx *fi,
					     u32 start, u32 n)
{
	char *p = (char *)fi->base + ((size_t)start << GOMEM_GRANULE_SHIFT);

	/* Poison mode's pattern replaces the zeros (gomem_init.h). */
	if (gomem_want_poison())
		gomem_wipe(p, GOMEM_POISON_BYTE,
			   (size_t)n << GOMEM_GRANULE_SHIFT);
	else if (gomem_want_init_on_free())
		gomem_wipe(p, 0, (size_t)n << GOMEM_GRANULE_SHIFT);
}

/*
 * Start granule of the lowest @align-aligned allocation at or after granule
 * @s of a region at @base: alignment is of the absolute address.  @align is
 * a power of two number of granules.
 */
static inline u64 gomem_align_start(const void *base, u32 s, u32 align)
{
	u64 g = ((uintptr_t)base >> GOMEM_GRANULE_SHIFT) + s;

	return s + ((-g) & (u64)(align - 1));
}

/*
 * The node of the block ending at @ref (its last granule), and of it the
 * size word, first in a tree node and in a parked one, and the tag byte.
 */
static inline void *gomem_node(const struct gomem_freeidx *fi, u32 ref)
{
	return (char *)fi->base + ((size_t)(ref - 1) << GOMEM_GRANULE_SHIFT);
}

static inline u32 *gomem_node_sizep(const struct gomem_freeidx *fi, u32 ref)
{
	return gomem_node(fi, ref);
}

static inline u32 gomem_node_size(const struct gomem_freeidx *fi, u32 ref)
{
	return *gomem_node_sizep(fi, ref);
}

static inline u8 *gomem_node_tag(const struct gomem_freeidx *fi, u32 ref)
{
	return (u8 *)gomem_node(fi, ref) + GOMEM_GRANULE - 1;
}

/*
 * Poison mode (gomem_init.h): the granule of node @ref stays free but is
 * no longer a node (its block merged into the one after it, or the range
 * ending there joined a block): it gets the pattern back, so that all free
 * memory but the nodes holds it.
 */
static __always_inline void gomem_node_gone(const struct gomem_freeidx *fi,
					    u32 ref)
{
	if (gomem_want_poison())
		memset(gomem_node(fi, ref), GOMEM_POISON_BYTE, GOMEM_GRANULE);
}

#endif /* _GOMEM_INDEX_H */
