// SPDX-License-Identifier: GPL-2.0
/*
 * gomem arena: one region of memory plus one free-block index
 * (gomem_treap.c or gomem_avl.c, with the quick cache of gomem_qcache.c),
 * behind the public API of <gomem/arena.h>.
 */

/**
 * DOC: Arena
 *
 * An arena is GoMem's MemoryAllocator: one region, vmalloc'd by
 * gomem_arena_create() or supplied by the caller to gomem_arena_create_on()
 * (for instance a buddy block), plus one free-block index, a treap
 * (address-ordered first fit) or two AVL trees (best fit), chosen per arena;
 * GOMEM_INDEX_DEFAULT takes the module parameter ``default_index``.
 *
 * A region of a whole number of 2 MiB is vmalloc'd with vmalloc_huge(), so
 * that the index walks, which touch nodes all over it, go through few TLB
 * entries where the architecture maps it with huge pages.
 *
 * End map.  gomem_arena_create() and gomem_arena_create_on() also allocate
 * (kvmalloc, with their gfp) the index's end map, a bit per granule plus
 * summaries, 1/256 of the region: free then finds a range's neighbours
 * without descending the tree (see the treap's DOC block).  If that
 * allocation fails, and for gomem_arena_init(), which allocates nothing,
 * the arena works without a map, the same but with free descending.
 *
 * Granules (the one statement of this rule; gomem_index.h implements it,
 * everything else points here).  Each free block holds its index node in
 * its own last granule of
 * GOMEM_GRANULE (32) bytes, so the arena allocates nothing, ever, and free
 * works in atomic context.  The price is rounding:
 *
 *  - an allocation of @size bytes starts on a granule boundary and occupies
 *    ceil(@size / 32) granules;
 *  - freeing bytes [p, p + len) (p relative to the region) releases granules
 *    [ceil(p / 32), ceil((p + len) / 32)).
 *
 * The pieces of any partition of an allocation into byte ranges therefore
 * map to a partition of its granules, so GoMem's segment frees and FreeRest
 * work at byte granularity: free 1024 bytes as [0,256), [256,512),
 * [512,1024) in any order, or a tail from any byte offset, and exactly the
 * allocation comes back.  A granule goes back with the piece that holds
 * its first byte; a piece holding no granule's first byte is a no-op.
 *
 * Safety rule that follows: a piece ending inside a granule gives back the
 * whole granule, so the bytes after it in that granule must no longer be in
 * use.  That holds for a tail (FreeRest), for pieces freed from the tail
 * forward, and for pieces split at multiples of 32 bytes from the
 * allocation's start (GoMem's 256-byte segments), in any order.  Freeing a
 * head piece that ends inside a granule while keeping the rest hands bytes
 * the caller still holds back to the arena.  No rule can be exact and safe
 * in every order without per-allocation state, which the arena does not
 * keep (the index never allocates); this one keeps accounting exact.
 *
 * Quick cache.  An arena with an end map also parks small freed blocks (up
 * to 4 KiB) for exact-size reuse, in front of its index, as glibc's tcache
 * does in front of its bins: with thousands of free blocks a tree walk
 * reads a node per level, scattered over the region, while a parked block
 * is handed back without one (see the DOC block in gomem_qcache.c).  Parked
 * blocks are free memory in every count, an allocation still fails only if
 * no run of free granules holds it, and double frees are still refused.
 * What changes is placement: an allocation of a size freed recently gets
 * the last such block, not the lowest or best fit.  The module parameter
 * ``quick_cache`` (default on) gives new arenas with an end map the cache
 * (8 KiB each, allocated with the map); gomem_arena_set_quick_cache()
 * switches it per arena, for a caller who wants the index's placement
 * exactly (the arena tests do).
 *
 * gomem_arena_find() (GoMem Find, used by Borrow) returns room inside a free
 * block that leaves the block's node alone, so it needs one granule more
 * than an allocation would.
 *
 * Memory initialisation (gomem_init.h).  Where the kernel zeroes what it
 * hands out (init_on_alloc=1, Debian's default) or the module parameter
 * ``init_on_alloc`` asks for it, gomem_arena_alloc(),
 * gomem_arena_alloc_aligned() and gomem_arena_find() zero the @size bytes
 * they return (not the rounding to the granule, which nobody is given).
 * Where init_on_free is on (the kernel's or the parameter), a good
 * gomem_arena_free() zeroes the granules it releases before the index
 * writes its node into the block; what stays non-zero in free memory is the
 * index's own bookkeeping (a 32-byte node per free block: granule offsets,
 * sizes, a tag; no pointers, no caller data).  The pool zeroes its
 * allocations itself, outside its lock, through the _nozero variants
 * (gomem_internal.h).  With both switches off nothing is zeroed: an arena
 * API has no gfp, hence no __GFP_ZERO.
 *
 * Bad input (size 0, a pointer outside the arena, a range running past its
 * end or overlapping free space, as a double free does) is refused whole
 * with -EINVAL or NULL, reported once with a WARN and counted in
 * arena_bad_input; the index is untouched.
 *
 * Locking: none inside.  The caller serialises all calls on one arena, as
 * with drm_mm; different arenas are independent.
 */

#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <gomem/arena.h>
#include "gomem_endmap.h"
#include "gomem_index.h"
#include "gomem_init.h"
#include "gomem_internal.h"
#include "gomem_kasan.h"
#include "gomem_qcache.h"
#include "gomem_report.h"

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

/* Module parameters (gomem_core.c): default_index and quick_cache. */
enum gomem_index gomem_default_index = GOMEM_INDEX_TREAP;
EXPORT_SYMBOL_IF_KUNIT(gomem_default_index);	/* tests switch it */
bool gomem_quick_cache = true;

/*
 * The quick cache's memory (8 KiB), for an arena with an end map created
 * while the module parameter is on; NULL: the arena goes without.
 */
/*
 * The gfp for the arena's own bookkeeping (struct, end map, quick cache):
 * the caller's, without zone modifiers, which slab refuses (__GFP_HIGHMEM,
 * __GFP_DMA32: a vmalloc gfp may carry them) and bookkeeping has no use for,
 * and with __GFP_NOWARN: a failure is the caller's -ENOMEM (or an arena
 * without end map), handled, not a kernel warning.
 */
static inline gfp_t arena_meta_gfp(gfp_t gfp)
{
	return (gfp & ~GFP_ZONEMASK) | __GFP_NOWARN;
}

static struct gomem_qcache *arena_qc_alloc(unsigned long *map, gfp_t gfp)
{
	if (!map || !READ_ONCE(gomem_quick_cache) ||
	    gomem_should_fail(sizeof(struct gomem_qcache)))
		return NULL;
	return kvmalloc(sizeof(struct gomem_qcache), arena_meta_gfp(gfp));
}

/*
 * @qc: NULL, or memory for the quick cache, which is then switched on.
 * @nr_cap: granules the arena may grow to (a map, if any, holds as many);
 * 0 or @nr for an arena that does not grow.
 */
static int arena_setup(struct gomem_arena *a, void *base, u64 nr,
		       enum gomem_index index, unsigned long *map,
		       struct gomem_qcache *qc, u64 nr_cap)
{
	int ret;

	a->fi.base = base;
	a->size = (size_t)nr << GOMEM_GRANULE_SHIFT;
	a->index = index;
	a->qc = qc;
	a->cap = a->size;
	if (index == GOMEM_INDEX_AVL)
		ret = gomem_avl_init_map(&a->fi, base, nr, map);
	else
		ret = gomem_treap_init_map(&a->fi, base, nr, map);
	/* Room to grow: with a map only if it was laid out for @nr_cap. */
	if (!ret && nr_cap > nr && (!map || gomem_map_widen(&a->fi, nr_cap)))
		a->cap = (size_t)nr_cap << GOMEM_GRANULE_SHIFT;
	if (!ret && a->qc)
		ret = gomem_qc_attach(&a->fi, a->qc);
	/* All of it is free (the node in its last granule is the index's). */
	if (!ret && gomem_want_poison())
		memset(base, GOMEM_POISON_BYTE, a->size - GOMEM_GRANULE);
	if (!ret)
		gomem_poison_free(base, a->size);
	return ret;
}

/* ---- poison mode (gomem_init.h) ---- */

/*
 * How a warning names an arena: its pool when it has one, and a number
 * (not its address: %p is hashed, and an offset into the arena is what a
 * driver author can act on).
 */
#define ARENA_WHO_MAX	64

static const char *arena_who(const struct gomem_arena *a, char *buf)
{
	if (a->owner)
		snprintf(buf, ARENA_WHO_MAX, "pool %s, arena #%u", a->owner, a->id);
	else
		snprintf(buf, ARENA_WHO_MAX, "arena #%u", a->id);
	return buf;
}

static atomic_t arena_next_id = ATOMIC_INIT(0);

/*
 * Check that granules [@g, @g + @n) still hold the pattern, but for the
 * last @node ones (a free block's node); report and count the first byte
 * that does not.  @what: where the check runs.  Return: true if they do.
 */
static noinline bool arena_poison_ok(const struct gomem_arena *a, u32 g, u32 n,
				     u32 node, const char *what)
{
	const u8 *p = (const u8 *)a->fi.base + ((size_t)g << GOMEM_GRANULE_SHIFT);
	size_t len = (size_t)(n - node) << GOMEM_GRANULE_SHIFT;
	const u8 *bad;
	char who[ARENA_WHO_MAX];

	bad = memchr_inv(p, GOMEM_POISON_BYTE, len);
	if (likely(!bad))
		return true;
	/* Where, as offsets into the arena: the address itself is hashed. */
	GOMEM_WARN_CALLER(1, "gomem: %s: %s: free block at offset %#zx overwritten at byte %zu\n",
			  arena_who(a, who), what, (size_t)g << GOMEM_GRANULE_SHIFT,
			  (size_t)(bad - p));
	gomem_stat_inc(GOMEM_STAT_POISON_BAD);
	return false;
}

/* A walk callback: check a free block, count the bad ones in *@arg. */
static int arena_poison_walk(void *arg, u32 start, u32 n)
{
	struct { const struct gomem_arena *a; u32 bad; } *w = arg;

	w->bad += !arena_poison_ok(w->a, start, n, 1, "check");
	return 0;
}

/*
 * Check every free block, parked ones too.  Between gomem_meta_begin()
 * and gomem_meta_end().  Return: 0, or -EUCLEAN if one was overwritten.
 */
static int arena_poison_check(const struct gomem_arena *a)
{
	const struct gomem_qcache *qc = a->fi.qc;
	struct { const struct gomem_arena *a; u32 bad; } w = { a, 0 };
	u32 c, i;

	if (a->index == GOMEM_INDEX_AVL)
		gomem_avl_walk(&a->fi, arena_poison_walk, &w);
	else
		gomem_treap_walk(&a->fi, arena_poison_walk, &w);
	for (c = 0; qc && a->fi.nr_parked && c < GOMEM_QC_CLASSES; c++)
		for (i = 0; i < qc->count[c]; i++)
			arena_poison_walk(&w, qc->slot[c][i] - (c + 1), c + 1);
	return w.bad ? -EUCLEAN : 0;
}

/**
 * gomem_arena_resolve_index() - the index GOMEM_INDEX_DEFAULT stands for now
 * @index: an index, or GOMEM_INDEX_DEFAULT
 *
 * Resolve once per object: a pool resolves at create, so that all its
 * arenas share one index whatever ``default_index`` becomes later.
 *
 * Context: any.
 * Return: @index, or the value of the module parameter for DEFAULT.
 */
enum gomem_index gomem_arena_resolve_index(enum gomem_index index)
{
	if (index == GOMEM_INDEX_DEFAULT)
		return READ_ONCE(gomem_default_index);
	return index;
}

static bool arena_index_ok(enum gomem_index index)
{
	return index == GOMEM_INDEX_TREAP || index == GOMEM_INDEX_AVL;
}

/*
 * The end map of an arena of @nr granules, or NULL: the arena then works
 * without it (free descends the tree to find the neighbours) and without
 * a quick cache.
 */
static unsigned long *arena_map_alloc(u64 nr, gfp_t gfp)
{
	if (gomem_should_fail(gomem_map_words(nr) * sizeof(unsigned long)))
		return NULL;
	return kvmalloc_array(gomem_map_words(nr), sizeof(unsigned long),
			      arena_meta_gfp(gfp));
}

static int __arena_init(struct gomem_arena *a, void *base, size_t size,
			enum gomem_index index, unsigned long *map,
			struct gomem_qcache *qc, u64 nr_cap)
{
	u64 nr = (u64)size >> GOMEM_GRANULE_SHIFT;

	if (!base || !IS_ALIGNED((unsigned long)base, GOMEM_GRANULE) || !nr ||
	    nr > GOMEM_MAX_GRANULES || !arena_index_ok(index)) {
		gomem_stat_inc(GOMEM_STAT_ARENA_BAD_INPUT);
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	a->id = atomic_inc_return(&arena_next_id);
	if (arena_setup(a, base, nr, index, map, qc, nr_cap))
		return -EINVAL;
	gomem_stat_inc(GOMEM_STAT_ARENAS_LIVE);
	return 0;
}

/**
 * gomem_arena_create() - create an arena over a new vmalloc'd region
 * @size: bytes, rounded up to GOMEM_GRANULE; at most 2^32 - 2 granules
 * @index: free-block index, or GOMEM_INDEX_DEFAULT for the module parameter
 * @gfp: flags for the region and the arena struct (GFP_KERNEL as a rule;
 *	zone modifiers apply to the region only)
 *
 * Context: process context; may sleep when @gfp allows (vmalloc).
 * Return: the arena, ERR_PTR(-EINVAL) for a bad size or index,
 * ERR_PTR(-ENOMEM) when memory runs out.
 */
struct gomem_arena *gomem_arena_create(size_t size, enum gomem_index index,
				       gfp_t gfp)
{
	struct gomem_arena *a;
	u64 nr = DIV_ROUND_UP((u64)size, GOMEM_GRANULE);
	struct gomem_qcache *qc;
	unsigned long *map;
	size_t bytes;
	void *base;

	index = gomem_arena_resolve_index(index);
	if (!nr || nr > GOMEM_MAX_GRANULES || !arena_index_ok(index)) {
		gomem_stat_inc(GOMEM_STAT_ARENA_BAD_INPUT);
		return ERR_PTR(-EINVAL);
	}
	if (gomem_should_fail(size))
		return ERR_PTR(-ENOMEM);
	/* The region takes @gfp whole, zone modifiers included; no warning. */
	a = kzalloc(sizeof(*a), arena_meta_gfp(gfp));
	if (!a)
		return ERR_PTR(-ENOMEM);
	bytes = nr << GOMEM_GRANULE_SHIFT;
	/*
	 * Index walks touch nodes scattered over the region: let whole 2 MiB
	 * multiples use PMD mappings to spare the TLB (no size rounding).
	 */
	if (IS_ALIGNED(bytes, PMD_SIZE))
		base = vmalloc_huge(bytes, gfp | __GFP_NOWARN);
	else
		base = __vmalloc(bytes, gfp | __GFP_NOWARN);
	if (!base)
		goto err_free_arena;
	a->owns_base = true;
	map = arena_map_alloc(nr, gfp);
	qc = arena_qc_alloc(map, gfp);
	if (arena_setup(a, base, nr, index, map, qc, 0))
		goto err_free_base;
	gomem_stat_inc(GOMEM_STAT_ARENAS_LIVE);
	return a;

err_free_base:
	kvfree(qc);
	kvfree(map);
	vfree(base);
err_free_arena:
	kfree(a);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_GPL(gomem_arena_create);

/**
 * gomem_arena_init() - set up an arena the caller embeds, over its memory
 * @a: the arena, in the caller's own structure
 * @base: the region, GOMEM_GRANULE aligned; it must outlive the arena
 * @size: bytes of the region; a tail shorter than a granule is unused
 * @index: free-block index, or GOMEM_INDEX_DEFAULT for the module parameter
 *
 * Like gomem_arena_create_on() without any allocation: end it with
 * gomem_arena_fini(), never gomem_arena_destroy().
 *
 * Context: any; allocates nothing.
 * Return: 0, or -EINVAL for a bad region or index.
 */
int gomem_arena_init(struct gomem_arena *a, void *base, size_t size,
		     enum gomem_index index)
{
	return __arena_init(a, base, size, gomem_arena_resolve_index(index),
			    NULL, NULL, 0);
}
EXPORT_SYMBOL_GPL(gomem_arena_init);

/**
 * gomem_arena_fini() - end an arena set up with gomem_arena_init()
 * @a: the arena
 *
 * Outstanding allocations die with it; the region stays the caller's.
 *
 * Context: any; no other call on @a may be running.
 */
void gomem_arena_fini(struct gomem_arena *a)
{
	gomem_unpoison(a->fi.base, a->size);	/* the caller's again */
	memset(a, 0, sizeof(*a));
	gomem_stat_dec(GOMEM_STAT_ARENAS_LIVE);
}
EXPORT_SYMBOL_GPL(gomem_arena_fini);

/**
 * gomem_arena_create_on() - create an arena over the caller's memory
 * @base: the region, GOMEM_GRANULE aligned; it must outlive the arena
 * @size: bytes of the region; a tail shorter than a granule is unused
 * @index: free-block index, or GOMEM_INDEX_DEFAULT for the module parameter
 * @gfp: flags for the arena struct, end map and quick cache; zone
 *	modifiers (__GFP_HIGHMEM, __GFP_DMA32, ...) are allowed and ignored
 *
 * The whole region starts free; the arena writes its index nodes into the
 * free parts of it.  gomem_arena_destroy() leaves the region to the caller.
 *
 * Context: any context @gfp allows.
 * Return: the arena, ERR_PTR(-EINVAL) for a bad region or index,
 * ERR_PTR(-ENOMEM) when memory runs out.
 */
struct gomem_arena *gomem_arena_create_on(void *base, size_t size,
					  enum gomem_index index, gfp_t gfp)
{
	return gomem_arena_create_growable(base, size, size, index, gfp);
}
EXPORT_SYMBOL_GPL(gomem_arena_create_on);

/**
 * gomem_arena_create_growable() - an arena that can grow in place
 * @base: the region, GOMEM_GRANULE aligned; it must outlive the arena
 * @size: bytes of the region that are memory now
 * @cap: bytes the region may become (gomem_arena_extend()); at most
 *	GOMEM_MAX_GRANULES granules, else the arena does not grow
 * @index: free-block index, or GOMEM_INDEX_DEFAULT for the module parameter
 * @gfp: flags for the arena struct, end map and quick cache
 *
 * gomem_arena_create_on() for a region whose next bytes, up to @cap, may
 * become memory later: the pool's growable arenas (gomem_vres.c).  The
 * end map is made for @cap, so gomem_arena_extend() moves nothing.
 *
 * Context: any context @gfp allows.
 * Return: the arena, ERR_PTR(-EINVAL) or ERR_PTR(-ENOMEM).
 */
struct gomem_arena *gomem_arena_create_growable(void *base, size_t size,
						size_t cap,
						enum gomem_index index,
						gfp_t gfp)
{
	struct gomem_arena *a = gomem_should_fail(sizeof(*a)) ? NULL :
				kmalloc(sizeof(*a), arena_meta_gfp(gfp));
	u64 nr = (u64)size >> GOMEM_GRANULE_SHIFT;
	u64 nr_cap = (u64)max(cap, size) >> GOMEM_GRANULE_SHIFT;
	struct gomem_qcache *qc;
	unsigned long *map = NULL;
	int ret;

	if (!a)
		return ERR_PTR(-ENOMEM);
	if (nr_cap > GOMEM_MAX_GRANULES)
		nr_cap = nr;	/* then the check below refuses @size */
	if (nr && nr_cap <= GOMEM_MAX_GRANULES)
		map = arena_map_alloc(nr_cap, gfp);
	qc = arena_qc_alloc(map, gfp);
	ret = __arena_init(a, base, size, gomem_arena_resolve_index(index),
			   map, qc, nr_cap);
	if (ret) {
		kvfree(qc);
		kvfree(map);
		kfree(a);
		return ERR_PTR(ret);
	}
	return a;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_arena_create_growable);

/**
 * gomem_arena_extend() - grow a growable arena in place to @size bytes
 * @a: from gomem_arena_create_growable()
 * @size: more than gomem_arena_size(@a), at most its cap; the bytes in
 *	between must be memory now
 *
 * The new bytes are freed into the index as one range, which coalesces
 * with a free block at the old end; init_on_free and poison mode treat
 * them as any freed range.
 *
 * Context: any; never sleeps, never allocates; the caller serialises
 * calls on @a.
 * Return: 0, or -EINVAL (a caller bug, warned once and counted; @a
 * unchanged).
 */
int gomem_arena_extend(struct gomem_arena *a, size_t size)
{
	u64 nr = (u64)size >> GOMEM_GRANULE_SHIFT;
	u32 old = a->fi.nr_granules;
	int ret;

	if (nr <= old || size > a->cap || !IS_ALIGNED(size, GOMEM_GRANULE)) {
		char who[ARENA_WHO_MAX];

		GOMEM_WARN_CALLER(1, "gomem: %s: refused growth to %zu bytes (%zu, cap %zu)\n",
				  arena_who(a, who), size, a->size, a->cap);
		gomem_stat_inc(GOMEM_STAT_ARENA_BAD_INPUT);
		return -EINVAL;
	}
	a->fi.nr_granules = nr;
	a->size = size;
	gomem_meta_begin();
	if (a->index == GOMEM_INDEX_AVL)
		ret = gomem_avl_free(&a->fi, old, nr - old);
	else
		ret = gomem_treap_free(&a->fi, old, nr - old);
	gomem_meta_end();
	if (WARN_ON_ONCE(ret)) {
		a->fi.nr_granules = old;
		a->size = (size_t)old << GOMEM_GRANULE_SHIFT;
		return ret;
	}
	gomem_poison_free((char *)a->fi.base + ((size_t)old << GOMEM_GRANULE_SHIFT),
			  (size_t)(nr - old) << GOMEM_GRANULE_SHIFT);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_arena_extend);

/**
 * gomem_arena_destroy() - destroy an arena
 * @a: the arena, or NULL or an ERR_PTR (then nothing happens)
 *
 * Outstanding allocations die with it.  The region is vfree'd if
 * gomem_arena_create() made it, and left alone if the caller supplied it.
 *
 * Context: process context (vfree); no other call on @a may be running.
 */
void gomem_arena_destroy(struct gomem_arena *a)
{
	if (IS_ERR_OR_NULL(a))
		return;
	if (a->owns_base)
		vfree(a->fi.base);
	else
		gomem_unpoison(a->fi.base, a->size);	/* the caller's again */
	kvfree(a->qc);
	kvfree(a->fi.map);
	kfree(a);
	gomem_stat_dec(GOMEM_STAT_ARENAS_LIVE);
}
EXPORT_SYMBOL_GPL(gomem_arena_destroy);

/* @what: "alloc" or "find"; a caller bug, reported and counted. */
static void *arena_bad_alloc(struct gomem_arena *a, const char *what,
			     size_t size, size_t align)
{
	char who[ARENA_WHO_MAX];

	GOMEM_WARN_CALLER(1, "gomem: %s: bad %s of %zu bytes, align %zu: %s\n",
			  arena_who(a, who), what, size, align,
			  align & (align - 1) ? "alignment not a power of two" :
						"size 0");
	gomem_stat_inc(GOMEM_STAT_ARENA_BAD_INPUT);
	return NULL;
}

static __always_inline void *__arena_alloc(struct gomem_arena *a, size_t size,
					   u32 galign)
{
	void *p;
	u32 n;
	s64 g;

	if (unlikely(!size))
		return arena_bad_alloc(a, "alloc", size, 0);
	if (unlikely(size > a->size))
		return NULL;	/* cannot fit: not a bug, the pool may ask */
	n = gomem_bytes_to_granules(size);
	/* The index reads and writes its nodes in free (poisoned) memory. */
	gomem_meta_begin();
	do {
		/* A switch, not a function pointer: no indirect call per alloc. */
		switch (a->index) {
		case GOMEM_INDEX_AVL:
			g = gomem_avl_alloc(&a->fi, n, galign);
			break;
		default:
			g = gomem_treap_alloc(&a->fi, n, galign);
			break;
		}
		/* Poison mode: an overwritten block is withheld, never reused. */
	} while (unlikely(gomem_want_poison()) && g >= 0 &&
		 !arena_poison_ok(a, g, n, 0, "alloc"));
	gomem_meta_end();
	if (g < 0)
		return NULL;
	p = (char *)a->fi.base + ((size_t)g << GOMEM_GRANULE_SHIFT);
	gomem_unpoison_alloc(p, size, (size_t)n << GOMEM_GRANULE_SHIFT);
	return p;
}

/* Zero what an arena call hands out, if the policy says so. */
static __always_inline void *arena_init_on_alloc(void *p, size_t size)
{
	if (p && gomem_want_init_on_alloc(0))
		memset(p, 0, size);
	return p;
}

/*
 * gomem_arena_alloc() without the zeroing of init_on_alloc: for the pool,
 * which zeroes outside its lock (gomem_malloc()).
 */
void *gomem_arena_alloc_nozero(struct gomem_arena *a, size_t size)
{
	return __arena_alloc(a, size, 1);
}

/**
 * gomem_arena_alloc() - allocate from an arena
 * @a: the arena
 * @size: bytes, 1 to the arena size; rounded up to whole granules
 *
 * With the quick cache on (the default), a parked block of exactly the
 * granules wanted comes first; otherwise the treap gives the
 * lowest-addressed fit, the AVL index the best fit (lowest address on
 * ties).  The memory is GOMEM_GRANULE aligned.  Fails only if no free
 * block, parked or not, holds ceil(@size / GOMEM_GRANULE) granules.
 *
 * Zeroing follows the kernel's policy (the Arena DOC block): with
 * init_on_alloc=1 (or gomem's parameter ``init_on_alloc``) the @size bytes
 * are zeroed, a memset of @size bytes per call; with it off they hold
 * whatever was there (zeros under init_on_free, but for index nodes).
 *
 * Context: any; the caller serialises calls on @a.  Never sleeps.
 * Return: the memory, or NULL if nothing fits or @size is 0 (a caller bug,
 * warned and counted).
 */
void *gomem_arena_alloc(struct gomem_arena *a, size_t size)
{
	return arena_init_on_alloc(__arena_alloc(a, size, 1), size);
}
EXPORT_SYMBOL_GPL(gomem_arena_alloc);

/**
 * gomem_arena_alloc_aligned() - allocate from an arena with an alignment
 * @a: the arena
 * @size: bytes, 1 to the arena size; rounded up to whole granules
 * @align: alignment of the address, a power of two (0 or up to
 *	GOMEM_GRANULE: granule alignment)
 *
 * The search is complete: it fails only if no free block holds an aligned
 * range of the size.  The part of the block before the aligned start stays
 * free.  Zeroed as gomem_arena_alloc() says.
 *
 * Context: any; the caller serialises calls on @a.  Never sleeps.
 * Return: the memory, or NULL if nothing fits; NULL too for @size 0 or an
 * @align that is not a power of two (caller bugs, warned and counted).
 */
void *gomem_arena_alloc_aligned(struct gomem_arena *a, size_t size,
				size_t align)
{
	if (unlikely(align & (align - 1)))
		return arena_bad_alloc(a, "alloc", size, align);
	if (align <= GOMEM_GRANULE)
		return arena_init_on_alloc(__arena_alloc(a, size, 1), size);
	if (align > a->size)
		return NULL;	/* an aligned start exists at most once */
	return arena_init_on_alloc(__arena_alloc(a, size,
						 align >> GOMEM_GRANULE_SHIFT),
				   size);
}
EXPORT_SYMBOL_GPL(gomem_arena_alloc_aligned);

/* A refused free: where, as an offset into the arena, and why. */
static noinline void arena_report_bad_free(const struct gomem_arena *a,
					   size_t size, size_t off,
					   const char *rule)
{
	char who[ARENA_WHO_MAX];

	GOMEM_WARN_CALLER(1, "gomem: %s: refused free of %zu bytes at offset %#zx: %s\n",
			  arena_who(a, who), size, off, rule);
	gomem_stat_inc(GOMEM_STAT_ARENA_BAD_INPUT);
}

/**
 * gomem_arena_free() - free bytes of an arena
 * @a: the arena
 * @ptr: first byte to free, inside the arena
 * @size: bytes to free, at least 1
 *
 * Any byte range of an allocation may be freed, in pieces and in any order,
 * with exact accounting, under the granule rule and its safety rule (the
 * Arena DOC block, "Granules": the one statement of them).  Coalesces with
 * free neighbours.
 * A range running past the arena or overlapping free space (a double free)
 * is refused whole and changes nothing.  Under init_on_free (the kernel's
 * or gomem's parameter) the granules released are zeroed first, a memset
 * of about @size bytes; with it off, nothing is.
 *
 * Context: any, atomic included: never sleeps, never allocates.  The caller
 * serialises calls on @a.
 * Return: 0, or -EINVAL for bad input (a caller bug, warned and counted).
 */
int gomem_arena_free(struct gomem_arena *a, void *ptr, size_t size)
{
	size_t off = (char *)ptr - (char *)a->fi.base;
	const char *rule;
	u32 s, n;
	int ret;

	if (unlikely(!gomem_arena_contains(a, ptr))) {
		rule = "not in the arena";
		goto bad;
	}
	if (unlikely(!size || size > a->size - off)) {
		rule = size ? "runs past the arena's end" : "size 0";
		goto bad;
	}
	gomem_free_range_to_granules(off, size, &s, &n);
	if (!n)
		return 0;	/* holds no granule's first byte: see DOC */
	gomem_meta_begin();
	switch (a->index) {
	case GOMEM_INDEX_AVL:
		ret = gomem_avl_free(&a->fi, s, n);
		break;
	default:
		ret = gomem_treap_free(&a->fi, s, n);
		break;
	}
	gomem_meta_end();
	if (likely(!ret)) {
		gomem_poison_free((char *)a->fi.base +
				  ((size_t)s << GOMEM_GRANULE_SHIFT),
				  (size_t)n << GOMEM_GRANULE_SHIFT);
		return 0;
	}
	rule = "overlaps free memory (a double free?)";
bad:
	arena_report_bad_free(a, size, off, rule);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(gomem_arena_free);

/* These two run between gomem_meta_begin() and gomem_meta_end(). */
static s64 arena_find(struct gomem_arena *a, u32 n)
{
	if (a->index == GOMEM_INDEX_AVL)
		return gomem_avl_find(&a->fi, n);
	return gomem_treap_find(&a->fi, n);
}

/* Move the parked blocks of at least @min granules (0: all) to the index. */
static void arena_flush(struct gomem_arena *a, u32 min)
{
	if (a->index == GOMEM_INDEX_AVL)
		gomem_avl_flush(&a->fi, min);
	else
		gomem_treap_flush(&a->fi, min);
}

/*
 * gomem_arena_find() without the zeroing of init_on_alloc: for the pool,
 * which zeroes outside its lock (gomem_borrow()).
 */
void *gomem_arena_find_nozero(struct gomem_arena *a, size_t size)
{
	u32 n, parked;
	void *p;
	s64 g;

	if (unlikely(!size))
		return arena_bad_alloc(a, "find", size, 0);
	if (unlikely(size > a->size))
		return NULL;	/* cannot fit: not a bug, as for alloc */
	/* Poison mode: a borrowed room is written while free; none lent. */
	if (gomem_want_poison())
		return NULL;
	n = gomem_bytes_to_granules(size);
	gomem_meta_begin();
	g = arena_find(a, n);
	parked = a->fi.nr_parked;
	if (g < 0 && parked) {
		/* Room may lie in a parked block of n + 1 granules or more. */
		arena_flush(a, n + 1);
		if (a->fi.nr_parked != parked)
			g = arena_find(a, n);
	}
	gomem_meta_end();
	if (g < 0)
		return NULL;
	p = (char *)a->fi.base + ((size_t)g << GOMEM_GRANULE_SHIFT);
	/* Free memory the caller may use: it stays so (README, KASAN). */
	gomem_unpoison_alloc(p, size, (size_t)n << GOMEM_GRANULE_SHIFT);
	return p;
}

/**
 * gomem_arena_find() - borrow room in a free block without allocating
 * @a: the arena
 * @size: bytes wanted, at least 1
 *
 * GoMem's Find, behind Borrow: the room is inside a free block (first fit
 * for the treap, best fit for AVL; if the index has no such block, the
 * parked blocks large enough move into it first) and stays free.  The caller may write all
 * @size bytes; the block's index node lies past them.  The room is valid
 * until the next call on @a.  The room is handed out like an allocation,
 * so it is zeroed as gomem_arena_alloc() says (init_on_alloc); the index
 * node past it is not touched.
 *
 * Context: any; the caller serialises calls on @a.  Never sleeps.
 * Return: the room, GOMEM_GRANULE aligned, or NULL if no free block has
 * ceil(@size / GOMEM_GRANULE) + 1 granules; NULL too for @size 0 (a caller
 * bug, warned and counted, as for gomem_arena_alloc()).
 */
void *gomem_arena_find(struct gomem_arena *a, size_t size)
{
	return arena_init_on_alloc(gomem_arena_find_nozero(a, size), size);
}
EXPORT_SYMBOL_GPL(gomem_arena_find);

/**
 * gomem_arena_size() - bytes an arena manages
 * @a: the arena
 *
 * Context: any; the caller serialises calls on @a.
 * Return: the size in bytes, a multiple of GOMEM_GRANULE.
 */
size_t gomem_arena_size(const struct gomem_arena *a)
{
	return a->size;
}
EXPORT_SYMBOL_GPL(gomem_arena_size);

/**
 * gomem_arena_free_bytes() - free bytes in an arena
 * @a: the arena
 *
 * Context: any; the caller serialises calls on @a.
 * Return: bytes in free blocks (whole granules).
 */
size_t gomem_arena_free_bytes(const struct gomem_arena *a)
{
	return (size_t)a->fi.free_granules << GOMEM_GRANULE_SHIFT;
}
EXPORT_SYMBOL_GPL(gomem_arena_free_bytes);

/**
 * gomem_arena_largest_free() - size of the largest free block
 * @a: the arena
 *
 * An allocation of this many bytes succeeds (a parked block counts: the
 * allocation takes it, or flushes it into the index); gomem_arena_find()
 * can give one granule less.
 *
 * Context: any; the caller serialises calls on @a.
 * Return: bytes in the largest free block, 0 if the arena is full.
 */
size_t gomem_arena_largest_free(const struct gomem_arena *a)
{
	u32 g;

	gomem_meta_begin();
	switch (a->index) {
	case GOMEM_INDEX_AVL:
		g = gomem_avl_largest(&a->fi);
		break;
	default:
		g = gomem_treap_largest(&a->fi);
		break;
	}
	g = max(g, gomem_qc_largest(&a->fi));
	gomem_meta_end();
	return (size_t)g << GOMEM_GRANULE_SHIFT;
}
EXPORT_SYMBOL_GPL(gomem_arena_largest_free);

/**
 * gomem_arena_nr_free_blocks() - number of free blocks in an arena
 * @a: the arena
 *
 * Free blocks are maximal, parked (see the quick cache) or not: two are
 * never adjacent, so this is the number of runs of free memory.  With
 * gomem_arena_free_bytes() and gomem_arena_largest_free() this measures
 * fragmentation.
 *
 * Context: any; the caller serialises calls on @a.
 * Return: the number of free blocks, parked ones included.
 */
size_t gomem_arena_nr_free_blocks(const struct gomem_arena *a)
{
	return (size_t)a->fi.nr_blocks + a->fi.nr_parked;
}
EXPORT_SYMBOL_GPL(gomem_arena_nr_free_blocks);

/**
 * gomem_arena_set_quick_cache() - switch an arena's quick cache
 * @a: the arena
 * @on: park small freed blocks for exact-size reuse (true), or give the
 *	index's placement exactly (false: parked blocks go back first)
 *
 * New arenas follow the module parameter ``quick_cache``.  Switching does
 * not change what is allocated or free.
 *
 * Context: any; the caller serialises calls on @a.  Never sleeps.
 * Return: 0, or -EOPNOTSUPP to turn it on in an arena that has no memory
 * for it: made by gomem_arena_init() or while ``quick_cache`` was off, or
 * its end map or cache (8 KiB) could not be allocated.
 */
int gomem_arena_set_quick_cache(struct gomem_arena *a, bool on)
{
	if (!on) {
		gomem_meta_begin();
		arena_flush(a, 0);
		gomem_meta_end();
		return gomem_qc_attach(&a->fi, NULL);
	}
	if (!a->qc)
		return -EOPNOTSUPP;
	if (a->fi.qc)
		return 0;
	return gomem_qc_attach(&a->fi, a->qc);
}
EXPORT_SYMBOL_GPL(gomem_arena_set_quick_cache);

/**
 * gomem_arena_quick_cache() - is an arena's quick cache on?
 * @a: the arena
 *
 * Context: any; the caller serialises calls on @a.
 * Return: true if small freed blocks are parked for exact-size reuse.
 */
bool gomem_arena_quick_cache(const struct gomem_arena *a)
{
	return a->fi.qc;
}
EXPORT_SYMBOL_GPL(gomem_arena_quick_cache);

/**
 * gomem_arena_contains() - does an address lie in an arena's region?
 * @a: the arena
 * @ptr: the address
 *
 * Context: any.
 * Return: true if @ptr is one of the arena's bytes, allocated or not.
 */
bool gomem_arena_contains(const struct gomem_arena *a, const void *ptr)
{
	const char *p = ptr, *base = a->fi.base;

	return p >= base && p - base < a->size;
}
EXPORT_SYMBOL_GPL(gomem_arena_contains);

/**
 * gomem_arena_is_empty() - is nothing allocated in an arena?
 * @a: the arena
 *
 * Context: any; the caller serialises calls on @a.
 * Return: true if every granule is free.
 */
bool gomem_arena_is_empty(const struct gomem_arena *a)
{
	return a->fi.free_granules == a->fi.nr_granules;
}
EXPORT_SYMBOL_GPL(gomem_arena_is_empty);

/**
 * gomem_arena_check() - verify an arena's invariants
 * @a: the arena
 *
 * Runs the index's checker (order, heap or balance, maxima, coalescing,
 * accounting, the quick cache), O(n) or O(n log n) in the number of free
 * blocks: for tests and debugging.
 *
 * Context: any; the caller serialises calls on @a.
 * Return: 0 if they hold, -EUCLEAN if not.
 */
int gomem_arena_check(const struct gomem_arena *a)
{
	int ret;

	if (a->size != (size_t)a->fi.nr_granules << GOMEM_GRANULE_SHIFT ||
	    a->cap < a->size)
		return -EUCLEAN;
	gomem_meta_begin();
	switch (a->index) {
	case GOMEM_INDEX_TREAP:
		ret = gomem_treap_check(&a->fi);
		break;
	case GOMEM_INDEX_AVL:
		ret = gomem_avl_check(&a->fi);
		break;
	default:
		ret = -EUCLEAN;
		break;
	}
	if (!ret && gomem_want_poison())
		ret = arena_poison_check(a);
	gomem_meta_end();
	return ret;
}
EXPORT_SYMBOL_GPL(gomem_arena_check);

/* ---- the occupancy picture behind debugfs <pool>/map ---- */

struct arena_strip {
	u32 per;			/* granules per cell */
	u32 free[GOMEM_STRIP_MAX];	/* free granules per cell, in the tree */
	u32 parked[GOMEM_STRIP_MAX];	/* ... and parked in the quick cache */
};

/* Count [@start, @start + @n) into the cells it covers. */
static void strip_add(u32 *cells, u32 per, u32 start, u32 n)
{
	while (n) {
		u32 c = start / per, take = min(n, (c + 1) * per - start);

		cells[c] += take;
		start += take;
		n -= take;
	}
}

static int strip_free(void *arg, u32 start, u32 n)
{
	struct arena_strip *st = arg;

	strip_add(st->free, st->per, start, n);
	return 0;
}

/**
 * gomem_arena_strip() - a one-line picture of an arena's occupancy
 * @a: the arena
 * @out: at least @width + 1 bytes; a NUL-terminated line
 * @width: cells, 1 to %GOMEM_STRIP_MAX
 *
 * Each cell covers an equal share of the arena's granules (the last may
 * cover fewer): ``#`` all in use, ``.`` all free, ``:`` partly free,
 * ``p`` holding a block parked in the quick cache.  O(@width + free
 * blocks), reading only.
 *
 * Context: any; the caller serialises calls on @a (a pool holds its lock).
 * Return: the granules each cell covers.
 */
u32 gomem_arena_strip(const struct gomem_arena *a, char *out,
		      unsigned int width)
{
	const struct gomem_qcache *qc = a->fi.qc;
	u32 nr = a->fi.nr_granules, cells, k, c, i;
	struct arena_strip st = { };

	width = clamp(width, 1U, (unsigned int)GOMEM_STRIP_MAX);
	st.per = DIV_ROUND_UP(nr, width);
	gomem_meta_begin();
	if (a->index == GOMEM_INDEX_AVL)
		gomem_avl_walk(&a->fi, strip_free, &st);
	else
		gomem_treap_walk(&a->fi, strip_free, &st);
	gomem_meta_end();
	for (c = 0; qc && a->fi.nr_parked && c < GOMEM_QC_CLASSES; c++)
		for (i = 0; i < qc->count[c]; i++)
			strip_add(st.parked, st.per, qc->slot[c][i] - (c + 1),
				  c + 1);
	cells = DIV_ROUND_UP(nr, st.per);
	for (k = 0; k < cells; k++) {
		u32 size = min(st.per, nr - k * st.per);
		u32 f = st.free[k] + st.parked[k];

		out[k] = st.parked[k] ? 'p' : !f ? '#' : f == size ? '.' : ':';
	}
	out[cells] = '\0';
	return st.per;
}
