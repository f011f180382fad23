/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The granule bitmap model (1: allocated) of tools/tests/index_test.c and
 * tools/fuzz/index_fuzz.c: placement by first or best fit over its maximal
 * runs, and the quick cache's parking rule, what gomem_qc_free()
 * (gomem_index.h) must do with a free.
 */
#ifndef _GOMEM_MODEL_H
#define _GOMEM_MODEL_H

#include <linux/minmax.h>
#include <linux/string.h>
#include "gomem_qcache.h"

/*
 * First or best fit of @n granules at @align (0 or 1: none) over the
 * maximal free runs of @model[0..@nr) for a region at @base; the number of
 * runs and the largest on the side (NULL: not wanted; first fit then stops
 * at the first fit).  Return: the granule, or -ENOMEM.
 */
static inline s64 model_fit_in(const u8 *model, u32 nr, const void *base,
			       bool best, u32 n, u32 align, u32 *runs,
			       u32 *largest)
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

/*
 * Call before the free, with the model still marking the range allocated.
 * The parked blocks that touch the range join it; the result is parked if
 * no tree block touches it, the tree holds more than map_min blocks, its
 * size has room (its own class counted without the blocks that joined) and
 * the budget holds.  Return: nr_parked after the free.
 */
static inline u32 qc_predict_parked(const struct gomem_freeidx *fi,
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

static inline int model_cover_fn(void *arg, u32 s, u32 n)
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

/*
 * The tree's blocks (through @walk) and the parked ones are disjoint and
 * cover exactly the model's free granules; @cover is scratch of @nr bytes.
 */
static inline bool model_cover_ok(const struct gomem_freeidx *fi,
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

#endif /* _GOMEM_MODEL_H */
