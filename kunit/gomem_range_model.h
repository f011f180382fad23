/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The granule bitmap model of a range allocator (one byte per granule,
 * 1: allocated), shared by the KUnit range helpers (gomem_range_kunit.c)
 * and the index fuzzer (tools/testing/fuzz/index_fuzz.c): placement by
 * first or best fit over its maximal free runs, and the quick cache's
 * parking rule, what gomem_qc_free() must do with a free.
 */
#ifndef _GOMEM_RANGE_MODEL_H
#define _GOMEM_RANGE_MODEL_H

#include <linux/types.h>
#include "../gomem_qcache.h"

s64 gomem_model_fit(const u8 *model, u32 nr, const void *base, bool best,
		    u32 n, u32 align, u32 *runs, u32 *largest);
u32 gomem_model_free(const u8 *model, u32 nr);
u32 gomem_model_parked_after_free(const struct gomem_freeidx *fi,
				  const u8 *model, u32 nr, u32 s, u32 n);
bool gomem_model_cover_ok(const struct gomem_freeidx *fi,
			  int (*walk)(const struct gomem_freeidx *fi,
				      gomem_walk_fn fn, void *a),
			  const u8 *model, u32 nr, u8 *cover);

#endif /* _GOMEM_RANGE_MODEL_H */
