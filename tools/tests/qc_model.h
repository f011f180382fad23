/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The quick cache's parking rule, predicted from a granule bitmap model
 * (1: allocated) for the index tests and the index fuzzer: what
 * gomem_qc_free() (gomem_index.h) must do with a free of [@s, @s + @n).
 */
#ifndef _GOMEM_QC_MODEL_H
#define _GOMEM_QC_MODEL_H

#include "gomem_index.h"

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

#endif /* _GOMEM_QC_MODEL_H */
