// SPDX-License-Identifier: GPL-2.0
/*
 * The granule bitmap model of a range allocator: see gomem_range_model.h.
 * Plain C over the index's own header, so that it builds in the test
 * module, in the userspace KUnit program and in the fuzzers alike.
 */
#include <linux/minmax.h>
#include <linux/string.h>
#include "gomem_range_model.h"

/**
 * gomem_model_fit() - where the model places an allocation
 * @model: one byte per granule, 1: allocated
 * @nr: granules in the region
 * @base: the region, for alignment of the absolute address
 * @best: best fit (lowest address on ties) rather than first fit
 * @n: granules wanted
 * @align: alignment in granules (0 or 1: none)
 * @runs: if not NULL, set to the number of maximal free runs
 * @largest: if not NULL, set to the largest free run
 *
 * First fit stops at the first fit when neither @runs nor @largest is
 * wanted.
 *
 * Return: the first granule of the placement, or -ENOMEM.
 */
s64 gomem_model_fit(const u8 *model, u32 nr, const void *base, bool best,
		    u32 n, u32 align, u32 *runs, u32 *largest)
{
	s64 found = -ENOMEM;
	u32 i = 0, found_len = 0, nb = 0, big = 0;

	while (i < nr) {
		u32 s, len;
		u64 a;

		if (model[i]) {
			i++;
			continue;
		}
		for (s = i; i < nr && !model[i]; i++)
			;
		len = i - s;
		nb++;
		big = max(big, len);
		a = gomem_align_start(base, s, align ? align : 1);
		if (a + n > i)
			continue;
		if (found < 0 || (best && len < found_len)) {
			found = a;
			found_len = len;
			if (!best && !runs && !largest)
				break;
		}
	}
	if (runs)
		*runs = nb;
	if (largest)
		*largest = big;
	return found;
}

/**
 * gomem_model_free() - free granules in the model
 * @model: one byte per granule, 1: allocated
 * @nr: granules in the region
 *
 * Return: the number of free granules.
 */
u32 gomem_model_free(const u8 *model, u32 nr)
{
	u32 i, f = 0;

	for (i = 0; i < nr; i++)
		f += !model[i];
	return f;
}

/**
 * gomem_model_parked_after_free() - the quick cache's parking rule
 * @fi: the index, before the free
 * @model: the model, still marking [@s, @s + @n) allocated
 * @nr: granules in the region
 * @s: first granule freed
 * @n: granules freed
 *
 * The parked blocks that touch the range join it; the result is parked if
 * no tree block touches it, the tree holds more than map_min blocks, its
 * size has room (its own class counted without the blocks that joined)
 * and the budget holds.
 *
 * Return: nr_parked after the free.
 */
u32 gomem_model_parked_after_free(const struct gomem_freeidx *fi,
				  const u8 *model, u32 nr, u32 s, u32 n)
{
	const struct gomem_qcache *qc = fi->qc;
	u32 np = fi->nr_parked, start = s, end = s + n, granules, cnt, c;
	u32 lc = U32_MAX, rc = U32_MAX;
	bool tree = false;

	if (!qc)
		return np;
	granules = qc->granules;
	if (s && !model[s - 1]) {		/* a block ends at s */
		if (gomem_parked(fi, s)) {
			u32 size = gomem_node_size(fi, s);

			start -= size;
			lc = size - 1;
			granules -= size;
			np--;
		} else {
			tree = true;
		}
	}
	if (end < nr && !model[end]) {		/* a block starts at end */
		u32 e = end;

		while (e < nr && !model[e])
			e++;
		if (gomem_parked(fi, e)) {
			rc = e - end - 1;
			granules -= e - end;
			end = e;
			np--;
		} else {
			tree = true;
		}
	}
	c = end - start - 1;
	if (tree || fi->nr_blocks <= fi->map_min || c >= GOMEM_QC_CLASSES)
		return np;
	cnt = qc->count[c] - (lc == c) - (rc == c);
	return np + (cnt < GOMEM_QC_DEPTH &&
		     granules + end - start <= qc->budget);
}

struct model_cover {
	u8 *cover;		/* a count per granule */
	u32 nr;
	bool bad;
};

static int model_cover_fn(void *arg, u32 s, u32 n)
{
	struct model_cover *mc = arg;
	u32 g;

	if (!n || s >= mc->nr || n > mc->nr - s) {
		mc->bad = true;
		return 1;
	}
	for (g = s; g < s + n; g++)
		mc->cover[g]++;
	return 0;
}

/**
 * gomem_model_cover_ok() - tree and parked blocks are the model's free set
 * @fi: the index
 * @walk: the index's walk
 * @model: one byte per granule, 1: allocated
 * @nr: granules in the region
 * @cover: scratch of @nr bytes
 *
 * Return: true if the tree's blocks and the parked ones are disjoint and
 * cover exactly the model's free granules.
 */
bool gomem_model_cover_ok(const struct gomem_freeidx *fi,
			  int (*walk)(const struct gomem_freeidx *fi,
				      gomem_walk_fn fn, void *a),
			  const u8 *model, u32 nr, u8 *cover)
{
	const struct gomem_qcache *qc = fi->qc;
	struct model_cover mc = { .cover = cover, .nr = nr };
	u32 c, i, g;

	memset(cover, 0, nr);
	walk(fi, model_cover_fn, &mc);
	for (c = 0; qc && c < GOMEM_QC_CLASSES; c++) {
		for (i = 0; i < qc->count[c]; i++) {
			u32 ref = qc->slot[c][i];

			if (ref < c + 1 || ref > nr)
				return false;
			model_cover_fn(&mc, ref - (c + 1), c + 1);
		}
	}
	for (g = 0; g < nr; g++)
		mc.bad |= cover[g] != !model[g];
	return !mc.bad;
}
