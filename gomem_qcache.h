/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem quick cache header: the quick cache's interface (gomem_qcache.c)
 * and its hot paths, inline here so that the indexes' alloc and free pay no
 * call for them.  Internal; compilable in userspace.
 */
#ifndef _GOMEM_QCACHE_H
#define _GOMEM_QCACHE_H

#include "gomem_index.h"
#include "gomem_endmap.h"

/*
 * The quick cache (gomem_qcache.c): parked blocks for exact-size reuse,
 * shared by both indexes.  The hot tests live here, inline.
 */
int gomem_qc_attach(struct gomem_freeidx *fi, struct gomem_qcache *qc);
s64 gomem_qc_take(struct gomem_freeidx *fi, u32 n);
void gomem_qc_remove(struct gomem_freeidx *fi, u32 ref);
bool gomem_qc_unpark(struct gomem_freeidx *fi, u32 want, u32 *start, u32 *n);
u32 gomem_qc_largest(const struct gomem_freeidx *fi);
bool gomem_qc_ok(const struct gomem_freeidx *fi);

#define GOMEM_PARKED	0xa5

/* Bit @c of the quick cache's non-empty set. */
static inline unsigned long *gomem_qc_word(struct gomem_qcache *qc, u32 c)
{
	return &qc->nonempty[c / BITS_PER_LONG];
}

static inline bool gomem_qc_nonempty(const struct gomem_qcache *qc, u32 c)
{
	return qc->nonempty[c / BITS_PER_LONG] & BIT(c % BITS_PER_LONG);
}

static inline bool gomem_parked(const struct gomem_freeidx *fi, u32 ref)
{
	return *gomem_node_tag(fi, ref) == GOMEM_PARKED;
}

/* Granules in parked blocks: free_granules less these are in the tree. */
static inline u32 gomem_qc_granules(const struct gomem_freeidx *fi)
{
	return fi->qc ? fi->qc->granules : 0;
}

/* Is a block of exactly @n granules parked? */
static __always_inline bool gomem_qc_has(const struct gomem_freeidx *fi,
					 u32 n)
{
	return fi->nr_parked && n <= GOMEM_QC_CLASSES && fi->qc->count[n - 1];
}

/*
 * Park the free range [@start, @end) if its size has room; free has
 * checked the range against every free block and found it touches none.
 * Return: true if parked.
 */
static __always_inline bool gomem_qc_park(struct gomem_freeidx *fi,
					  u32 start, u32 end)
{
	struct gomem_qcache *qc = fi->qc;
	u32 n = end - start, c = n - 1;

	if (c >= GOMEM_QC_CLASSES || qc->count[c] >= GOMEM_QC_DEPTH ||
	    qc->granules + n > qc->budget)
		return false;
	*gomem_node_sizep(fi, end) = n;
	*gomem_node_tag(fi, end) = GOMEM_PARKED;
	if (!qc->count[c])
		*gomem_qc_word(qc, c) |= BIT(c % BITS_PER_LONG);
	qc->slot[c][qc->count[c]++] = end;
	fi->nr_parked++;
	qc->granules += n;
	fi->free_granules += n;
	gomem_map_set(fi, end - 1);
	return true;
}

/*
 * The next parked block a flush moves into the tree, taken out of the
 * cache, the largest first: every one of @want granules or more (0: every
 * one), or for an allocation (@one) only the first (@moved: one was
 * moved).  Free blocks are maximal, parked or not, so a flush coalesces
 * nothing and no smaller block can help.
 * Return: false when the flush is done.
 */
static inline bool gomem_qc_flush_next(struct gomem_freeidx *fi, u32 want,
				       bool one, bool moved, u32 *start,
				       u32 *n)
{
	return !(one && moved) && gomem_qc_unpark(fi, want, start, n);
}

/*
 * Free's quick-cache step, taken when free found the neighbours of
 * [*@start, *@end) in the map and checked the range against them: *@pred
 * is *@start if a free block ends there, else 0; *@succ is the first free
 * block ending after *@start (0: none).  Parked blocks that touch the range
 * join it, so that free blocks stay maximal, parked or not; then the range
 * is parked if no block of the tree touches it and its size has room.
 * Otherwise the caller puts it in the tree, with parked blocks gone from
 * *@pred and *@succ (*@succ is U32_MAX when the next block in the tree is
 * unknown).
 * Return: true if the range was parked.
 */
static __always_inline bool gomem_qc_free(struct gomem_freeidx *fi,
					  u32 *start, u32 *end, u32 *pred,
					  u32 *succ, bool may_park)
{
	u32 s = *succ;
	bool radj = s && s - gomem_node_size(fi, s) == *end;

	if (fi->nr_parked) {
		if (*pred && gomem_parked(fi, *pred)) {
			*start -= gomem_node_size(fi, *pred);
			gomem_qc_remove(fi, *pred);
			gomem_node_gone(fi, *pred);
			*pred = 0;
		}
		if (s && gomem_parked(fi, s)) {
			if (radj) {
				*end = s;
				gomem_qc_remove(fi, s);
				radj = false;
			}
			*succ = U32_MAX;
		}
	}
	return may_park && !*pred && !radj && fi->nr_blocks > fi->map_min &&
	       gomem_qc_park(fi, *start, *end);
}

#endif /* _GOMEM_QCACHE_H */
