/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: arena, a range allocator over one region of memory (GoMem's
 * MemoryAllocator), indexed by a treap or by two AVL trees.  See the DOC
 * block in gomem_arena.c for the rules, granule rounding included.
 */
#ifndef _GOMEM_ARENA_H
#define _GOMEM_ARENA_H

#include <linux/types.h>
#include <gomem/freeidx.h>

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

/**
 * struct gomem_arena - a region of memory and its free-block index
 *
 * Read it only through the gomem_arena_*() helpers.  The caller serialises
 * all calls on one arena (like drm_mm); gomem allocates nothing per call.
 * gomem_arena_create() and gomem_arena_create_on() allocate it; a caller
 * that embeds it in its own structure uses gomem_arena_init() and _fini().
 */
struct gomem_arena {
	/* private: */
	/*
	 * @fi: the free-block index
	 * @size: bytes managed, a multiple of GOMEM_GRANULE
	 * @index: GOMEM_INDEX_TREAP or GOMEM_INDEX_AVL, never DEFAULT
	 * @owns_base: the region was vmalloc'd by gomem_arena_create()
	 * @qc: memory for the quick cache, after the end map; NULL without a map
	 * @id: the arena's number in warnings, unique since the module loaded
	 * @owner: the name of the pool the arena belongs to, or NULL
	 * @cap: bytes @size may grow to in place (gomem_arena_extend(), the
	 *	pool's growable arenas); @size for every other arena
	 */
	struct gomem_freeidx fi;
	size_t size;
	enum gomem_index index;
	bool owns_base;
	struct gomem_qcache *qc;
	u32 id;
	const char *owner;
	size_t cap;
};

struct gomem_arena *gomem_arena_create(size_t size, enum gomem_index index,
				       gfp_t gfp);
struct gomem_arena *gomem_arena_create_on(void *base, size_t size,
					  enum gomem_index index, gfp_t gfp);
void gomem_arena_destroy(struct gomem_arena *a);
int gomem_arena_init(struct gomem_arena *a, void *base, size_t size,
		     enum gomem_index index);
void gomem_arena_fini(struct gomem_arena *a);
void *gomem_arena_alloc(struct gomem_arena *a, size_t size);
void *gomem_arena_alloc_aligned(struct gomem_arena *a, size_t size,
				size_t align);
int gomem_arena_free(struct gomem_arena *a, void *ptr, size_t size);
void *gomem_arena_find(struct gomem_arena *a, size_t size);
size_t gomem_arena_size(const struct gomem_arena *a);
size_t gomem_arena_free_bytes(const struct gomem_arena *a);
size_t gomem_arena_largest_free(const struct gomem_arena *a);
size_t gomem_arena_nr_free_blocks(const struct gomem_arena *a);
int gomem_arena_set_quick_cache(struct gomem_arena *a, bool on);
bool gomem_arena_quick_cache(const struct gomem_arena *a);
bool gomem_arena_contains(const struct gomem_arena *a, const void *ptr);
bool gomem_arena_is_empty(const struct gomem_arena *a);
int gomem_arena_check(const struct gomem_arena *a);

#endif /* _GOMEM_ARENA_H */
