/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Range-allocator test helpers shared by the gomem_treap, gomem_avl and
 * gomem_arena suites (gomem_range_kunit.c): a range allocator seen in
 * bytes (struct range_ops) for the randomised differential run against the
 * bitmap model, and an index's entry points (struct idx_ops) for the cases
 * both indexes run.
 */
#ifndef _GOMEM_RANGE_KUNIT_H
#define _GOMEM_RANGE_KUNIT_H

#include <kunit/test.h>
#include <linux/types.h>
#include "../gomem_qcache.h"

/* A range allocator seen in bytes: an index adapter or a real arena. */
struct range_ops {
	const char *name;
	bool best_fit;
	bool any_fit;		/* a quick cache: placement not predicted */
	bool warns;		/* bad input is a WARN (arena glue) */
	s64 (*alloc)(void *ctx, size_t bytes, size_t align);
	int (*free)(void *ctx, size_t off, size_t len);
	s64 (*find)(void *ctx, size_t bytes);
	size_t (*free_bytes)(void *ctx);
	size_t (*nr_blocks)(void *ctx);
	int (*check)(void *ctx);
};

/* One index's entry points, and its range_ops adapter (bytes). */
struct idx_ops {
	const struct range_ops *bytes;
	int (*init)(struct gomem_freeidx *fi, void *base, u32 nr);
	int (*init_map)(struct gomem_freeidx *fi, void *base, u32 nr,
			unsigned long *map);
	s64 (*alloc)(struct gomem_freeidx *fi, u32 n, u32 align);
	int (*free)(struct gomem_freeidx *fi, u32 start, u32 n);
	s64 (*find)(const struct gomem_freeidx *fi, u32 n);
	u32 (*largest)(const struct gomem_freeidx *fi);
	void (*flush)(struct gomem_freeidx *fi, u32 min);
	int (*walk)(const struct gomem_freeidx *fi, gomem_walk_fn fn, void *a);
	int (*check)(const struct gomem_freeidx *fi);
};

#define IDX_RANGE_OPS(_name, _best)					\
	{ .name = _name, .best_fit = _best, .alloc = idx_b_alloc,	\
	  .free = idx_b_free, .find = idx_b_find,			\
	  .free_bytes = idx_b_free_bytes, .nr_blocks = idx_b_nr_blocks,	\
	  .check = idx_b_check }

enum idx_mode { IDX_PLAIN, IDX_MAP, IDX_QC };

/*
 * Silence the caller-bug WARN around a call that is a caller bug on purpose
 * (what gomem_kunit.h's wrapper does); the counters are asserted instead.
 */
void range_quiet(bool on);

void range_random_run(struct kunit *test, const struct range_ops *o,
		      void *ctx, void *base, u32 nr, u64 seed,
		      unsigned long nr_ops, unsigned long check_every);

/* The index-level range_ops adapter (IDX_RANGE_OPS). */
s64 idx_b_alloc(void *ctx, size_t bytes, size_t align);
int idx_b_free(void *ctx, size_t off, size_t len);
s64 idx_b_find(void *ctx, size_t bytes);
size_t idx_b_free_bytes(void *ctx);
size_t idx_b_nr_blocks(void *ctx);
int idx_b_check(void *ctx);

void *idx_region(struct kunit *test, u32 nr);
unsigned long *idx_map(struct kunit *test, u32 nr);
struct gomem_qcache *idx_qc(struct kunit *test);
void idx_random(struct kunit *test, const struct idx_ops *o, u64 seed,
		u32 nr, unsigned long nr_ops, unsigned long check_every,
		enum idx_mode mode);

/* Fixed cases, each a KUnit case of the treap and of the AVL suite. */
void idx_gomem_sequence(struct kunit *test, const struct idx_ops *o);
void idx_complete_search(struct kunit *test, const struct idx_ops *o);
void idx_aligned(struct kunit *test, const struct idx_ops *o);
void idx_bad_free(struct kunit *test, const struct idx_ops *o);
void idx_checker_catches(struct kunit *test, const struct idx_ops *o);
void idx_quick_cache(struct kunit *test, const struct idx_ops *o);
void idx_map_checker(struct kunit *test, const struct idx_ops *o);
void idx_quick_cache_rules(struct kunit *test, const struct idx_ops *o);
void idx_quick_cache_checker(struct kunit *test, const struct idx_ops *o);
void idx_free_rounding_partitions(struct kunit *test);

/*
 * Parameters of the fixed cases above: the index plain, and with an end
 * map used at any number of blocks.
 */
const void *idx_fixed_gen_params(const void *prev, char *desc);

void idx_qc_random(struct kunit *test, const struct idx_ops *o, u64 seed,
		   u32 nr, unsigned long nr_ops, u32 map_min,
		   unsigned long every, bool small);

#endif /* _GOMEM_RANGE_KUNIT_H */
