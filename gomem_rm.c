// SPDX-License-Identifier: GPL-2.0
/*
 * gomem recyclable memory: GoMem's RecyclableMemory, buffers from a
 * pool recorded in a buffer list and freed in one pass.
 */

/**
 * DOC: Recyclable memory
 *
 * GoMem's RecyclableMemory: a list of buffers (GoMem's Memory) that is
 * freed in one pass.  gomem_rm_next() allocates from the pool and records
 * the buffer; gomem_rm_add() records a buffer the caller already has;
 * gomem_rm_recycle() frees and forgets them all.
 *
 * Which buffers recycle frees follows GoMem's recycle indexes: a buffer is
 * freed when it came from the pool -- every buffer of gomem_rm_next(), and
 * a buffer of gomem_rm_add() when the pool holds it (GoMem's
 * AddRecycleBytes of allocator memory).  Any other added buffer (stack,
 * kmalloc, another pool) stays the caller's: it is listed, so a reader sees
 * it, but recycle only forgets it.  A pool buffer given to gomem_rm_add()
 * therefore changes owner: the caller must not free it as well (recycle
 * would find it free already, refuse it, and count a bad free).
 *
 * The buffers are a struct gomem_bufs (gomem_reader.c), so a
 * struct gomem_reader reads them in place; beside it an array of indexes
 * says which ones recycle frees.  Both grow by doubling (with the gfp of
 * the call that needs room) and keep their room across recycles, so a
 * steady next/recycle cycle allocates nothing but pool memory.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/slab.h>

#include <gomem/pool.h>
#include <gomem/reader.h>
#include "gomem_internal.h"
#include "gomem_report.h"

/**
 * gomem_rm_init() - set up an empty recyclable memory
 * @rm: the recyclable memory, embedded by the caller
 * @pool: the pool gomem_rm_next() allocates from
 *
 * Context: any context.
 */
void gomem_rm_init(struct gomem_rm *rm, struct gomem_pool *pool)
{
	rm->pool = pool;
	gomem_bufs_init(&rm->bufs);
	rm->recycle = NULL;
	rm->nr_recycle = 0;
	rm->cap_recycle = 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_init);

/*
 * Room for one more recycle index.  The array grows with the caller's gfp
 * (meant for gomem_malloc()) without zone modifiers, which slab refuses,
 * or __GFP_ZERO, and with __GFP_NOWARN: a failure is the caller's NULL or
 * -ENOMEM, handled, not a kernel warning.
 */
static int rm_reserve(struct gomem_rm *rm, gfp_t gfp)
{
	unsigned int *idx, cap;

	if (rm->nr_recycle < rm->cap_recycle)
		return 0;
	cap = rm->cap_recycle ? 2 * rm->cap_recycle : 16;
	if (gomem_should_fail(cap * sizeof(*idx)))
		return -ENOMEM;
	gfp = (gfp & ~(GFP_ZONEMASK | __GFP_ZERO)) | __GFP_NOWARN;
	idx = krealloc_array(rm->recycle, cap, sizeof(*idx), gfp);
	if (!idx)
		return -ENOMEM;
	rm->recycle = idx;
	rm->cap_recycle = cap;
	return 0;
}

/**
 * gomem_rm_next() - allocate a buffer from the pool and record it
 * @rm: the recyclable memory
 * @n: bytes, at least 1
 * @gfp: for the pool (see gomem_malloc()) and for growing the lists
 *
 * GoMem's NextN.  The buffer is appended to @rm->bufs and freed by
 * gomem_rm_recycle().  It is zeroed as gomem_malloc() zeroes: with
 * __GFP_ZERO, or where the kernel's init_on_alloc (or gomem's parameter) is
 * on; recycle zeroes what it frees where init_on_free is on.
 *
 * Context: any context if @gfp does not block, except hardirq on PREEMPT_RT
 * (the lists grow with krealloc); the caller serialises calls on @rm.
 * Return: the buffer, or NULL when the pool or the lists cannot grow
 * (nothing is recorded then).
 */
void *gomem_rm_next(struct gomem_rm *rm, size_t n, gfp_t gfp)
{
	void *p;

	if (rm_reserve(rm, gfp))
		return NULL;
	p = gomem_malloc(rm->pool, n, gfp);
	if (!p)
		return NULL;
	if (gomem_bufs_push(&rm->bufs, p, n, gfp)) {
		gomem_free(rm->pool, p, n);
		return NULL;
	}
	rm->recycle[rm->nr_recycle++] = gomem_bufs_count(&rm->bufs) - 1;
	return p;
}
EXPORT_SYMBOL_GPL(gomem_rm_next);

/**
 * gomem_rm_add() - record a buffer the caller already has
 * @rm: the recyclable memory
 * @buf: the buffer
 * @len: its length, at least 1
 * @gfp: for growing the lists
 *
 * GoMem's AddRecycleBytes.  The buffer is appended to @rm->bufs.  If the
 * pool holds @buf, it now belongs to @rm and gomem_rm_recycle() frees it;
 * otherwise it is only listed (see the Recyclable memory DOC block).
 *
 * Context: any context if @gfp does not block, except hardirq on PREEMPT_RT
 * (the lists grow with krealloc); the caller serialises calls on @rm.
 * Takes the pool's raw spinlock.
 * Return: 0, -EINVAL for a NULL @buf or a zero @len, -ENOMEM, or an error
 * of gomem_bufs_push().
 */
int gomem_rm_add(struct gomem_rm *rm, void *buf, size_t len, gfp_t gfp)
{
	bool ours;
	int ret;

	if (!buf || !len)
		return -EINVAL;
	ours = gomem_pool_contains(rm->pool, buf);
	if (ours && rm_reserve(rm, gfp))
		return -ENOMEM;
	ret = gomem_bufs_push(&rm->bufs, buf, len, gfp);
	if (ret)
		return ret;
	if (ours)
		rm->recycle[rm->nr_recycle++] = gomem_bufs_count(&rm->bufs) - 1;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_add);

/**
 * gomem_rm_recycle() - free every pool buffer and empty the list
 * @rm: the recyclable memory
 *
 * GoMem's Recycle: the buffers at the recycle indexes go back to the pool
 * in one pass, taking the pool's lock once per GOMEM_POOL_FREE_BATCH
 * buffers (gomem_pool_free_many()); the others are
 * forgotten, not freed.  The lists keep their room for the next round.
 * A buffer the pool refuses (freed behind @rm's back) is reported as
 * gomem_free() would.  Under init_on_free the pool buffers are zeroed as
 * gomem_free() zeroes them (inside the pool's lock).
 *
 * Context: any context; never sleeps.  The caller serialises calls on @rm.
 */
void gomem_rm_recycle(struct gomem_rm *rm)
{
	gomem_pool_free_many(rm->pool, gomem_bufs_segs(&rm->bufs), rm->recycle,
			     rm->nr_recycle);
	rm->nr_recycle = 0;
	gomem_bufs_reset(&rm->bufs);
}
EXPORT_SYMBOL_GPL(gomem_rm_recycle);

/**
 * gomem_rm_fini() - recycle, then free the lists themselves
 * @rm: the recyclable memory
 *
 * Context: any context except hardirq on PREEMPT_RT (kfree); never sleeps.
 */
void gomem_rm_fini(struct gomem_rm *rm)
{
	gomem_rm_recycle(rm);
	gomem_bufs_fini(&rm->bufs);
	kfree(rm->recycle);
	rm->recycle = NULL;
	rm->cap_recycle = 0;
}
EXPORT_SYMBOL_GPL(gomem_rm_fini);
