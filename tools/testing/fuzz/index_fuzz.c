// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the free-block indexes (gomem_treap.c, gomem_avl.c)
 * and their quick cache (gomem_qcache.c).  The first byte picks the index,
 * whether a quick cache is attached, map_min 0 or the default, and (without
 * a cache) whether there is an end map; the next ones the region size
 * (64..1024 granules) and its alignment phase.  Then a sequence of allocs
 * (cache sizes, any size, aligned), frees of pieces of live allocations,
 * frees that must be refused (double frees of parked blocks, ranges into
 * free space, out of range), finds, flushes and re-attaches.
 *
 * A granule bitmap model checks every answer: an allocation lies in free
 * granules, fails only if no free run holds it, takes the last parked
 * block of its size on a cache hit, and otherwise (nothing parked) is
 * placed by the index's own policy; the tree's blocks and the parked ones
 * make up exactly the free granules, and the checker passes, after every
 * step.  Allocated granules are poisoned for ASan.  Any difference aborts.
 */
#include <linux/mm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include "gomem_qcache.h"
#include "fuzz_input.h"
#include "kunit/gomem_range_model.h"

#define G		GOMEM_GRANULE
#define NR_MAX		1024u
#define NLIVE		256
#define MAX_OPS		2000

struct ops {
	bool best_fit;
	int (*init_map)(struct gomem_freeidx *fi, void *base, u32 nr,
			unsigned long *map);
	s64 (*alloc)(struct gomem_freeidx *fi, u32 n, u32 align);
	int (*free)(struct gomem_freeidx *fi, u32 start, u32 n);
	s64 (*find)(const struct gomem_freeidx *fi, u32 n);
	u32 (*largest)(const struct gomem_freeidx *fi);
	int (*walk)(const struct gomem_freeidx *fi, gomem_walk_fn fn, void *a);
	int (*check)(const struct gomem_freeidx *fi);
	void (*flush)(struct gomem_freeidx *fi, u32 min);
};

static const struct ops indexes[2] = {
	{ false, gomem_treap_init_map, gomem_treap_alloc, gomem_treap_free,
	  gomem_treap_find, gomem_treap_largest, gomem_treap_walk,
	  gomem_treap_check, gomem_treap_flush },
	{ true, gomem_avl_init_map, gomem_avl_alloc, gomem_avl_free,
	  gomem_avl_find, gomem_avl_largest, gomem_avl_walk,
	  gomem_avl_check, gomem_avl_flush },
};

static char region[(NR_MAX + 8) * G] __aligned(4096);
static unsigned long map[2 * NR_MAX / BITS_PER_LONG + 8];
static struct gomem_qcache qcache;
static u8 model[NR_MAX];	/* 1: allocated */
static u8 cover[NR_MAX];
static u32 NR;
static char *base;

static struct live {
	u32 s, e;
} live[NLIVE];

static void fail(const char *what)
{
	fprintf(stderr, "index_fuzz: %s\n", what);
	abort();
}

static void poison(u32 s, u32 n, bool on)
{
	if (on)
		ASAN_POISON_MEMORY_REGION(base + (size_t)s * G, (size_t)n * G);
	else
		ASAN_UNPOISON_MEMORY_REGION(base + (size_t)s * G,
					    (size_t)n * G);
}

/* First or best fit over the model, and its runs and largest run. */
static s64 model_fit(bool best, u32 n, u32 align, u32 *runs, u32 *largest)
{
	return gomem_model_fit(model, NR, base, best, n, align, runs, largest);
}

/* The tree's blocks and the parked ones: disjoint, the model's free set. */
static void check_cover(const struct ops *o, const struct gomem_freeidx *fi)
{
	if (!gomem_model_cover_ok(fi, o->walk, model, NR, cover))
		fail("tree + parked blocks are not the free granules");
}

static void mark(u32 s, u32 n, u8 v)
{
	u32 g;

	for (g = s; g < s + n; g++) {
		if (model[g] == v)
			fail(v ? "allocated a used granule" : "model double free");
		model[g] = v;
	}
}

/* A free the index must refuse, leaving every count as it was. */
static void bad_free(const struct ops *o, struct gomem_freeidx *fi,
		     struct in *in)
{
	const struct gomem_qcache *qc = fi->qc;
	u32 fg = fi->free_granules, nb = fi->nr_blocks, np = fi->nr_parked;
	u32 qg = qc ? qc->granules : 0, s, n, g = NR, c, i, k;
	unsigned int how = take(in);
	bool overlap = false;

	if (np && how < 160) {
		/* A parked block: all of it, or a range into it. */
		for (c = take(in) % GOMEM_QC_CLASSES; !qc->count[c];
		     c = (c + 1) % GOMEM_QC_CLASSES)
			;
		s = qc->slot[c][take(in) % qc->count[c]] - (c + 1);
		n = c + 1;
		if (how >= 80)
			g = s + take(in) % (c + 1);
	} else if (how < 240) {
		/* A free granule, from a point the input picks. */
		for (k = take16(in) % NR, i = 0; i < NR;
		     i++, k = k + 1 < NR ? k + 1 : 0) {
			if (!model[k]) {
				g = k;
				break;
			}
		}
		if (g == NR)
			return;
	} else {
		/* Out of range, or empty. */
		s = NR - take(in) % 4;
		n = take(in) % 8;
		if (s < NR && n && n <= NR - s)
			return;
	}
	if (g < NR) {
		s = g - take(in) % (min(g, 16u) + 1);
		n = g - s + 1 + take(in) % min(NR - g, 16u);
	}
	for (i = s; i < s + n && i < NR; i++)
		overlap |= !model[i];
	if (n && s < NR && n <= NR - s && !overlap)
		return;		/* legal after all */
	if (o->free(fi, s, n) != -EINVAL)
		fail("bad free accepted");
	if (fi->free_granules != fg || fi->nr_blocks != nb ||
	    fi->nr_parked != np || (qc && qc->granules != qg))
		fail("bad free changed the counts");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct in in = { data, size };
	unsigned int cfg = take(&in);
	const struct ops *o = &indexes[cfg & 1];
	bool use_qc = cfg & 2, use_map = use_qc || (cfg & 8);
	struct gomem_freeidx fi;
	struct gomem_qcache *qc = use_qc ? &qcache : NULL;
	u32 nlive = 0, nfree, last_n = 0, ops = 0, runs, big;

	/* init_on_free: frees zero their granules; the checks see no node lost. */
	shim_init_on_free = cfg & 16;
	NR = 64 + take16(&in) % (NR_MAX - 64 + 1);
	base = region + (size_t)(take(&in) % 8) * G;
	memset(model, 0, NR);
	if (o->init_map(&fi, base, NR, use_map ? map : NULL))
		fail("init");
	if (cfg & 4)
		fi.map_min = 0;
	if (!use_map && (gomem_qc_attach(&fi, &qcache) != -EINVAL || fi.qc))
		fail("attach without a map");
	if (gomem_qc_attach(&fi, qc))
		fail("attach");
	nfree = NR;
	while (in.n && ops++ < MAX_OPS) {
		unsigned int op = take(&in);
		u32 np = fi.nr_parked;

		if (op < 96 && nlive < NLIVE) {
			u32 n, align = op & 0x38 ? 1 : 1u << (take(&in) % 7);
			s64 got, want = -1, lifo = -1;
			bool fits;

			switch (op & 3) {
			case 0:
				n = 1 + take(&in) % 8;
				break;
			case 1:
				n = 1 + take(&in) % GOMEM_QC_CLASSES;
				break;
			case 2:
				n = 1 + take16(&in) % (NR + 1);
				break;
			default:
				n = last_n ? last_n : 1;
				break;
			}
			if (align <= 1 && gomem_qc_has(&fi, n))
				lifo = qc->slot[n - 1][qc->count[n - 1] - 1] - n;
			else if (!np)
				want = model_fit(o->best_fit, n, align, NULL,
						 NULL);
			/* A fit in the tree: no flush. */
			fits = lifo < 0 && align <= 1 && np &&
			       o->largest(&fi) >= n;
			got = o->alloc(&fi, n, align);
			if (fits && fi.nr_parked != np)
				fail("alloc flushed with a fit in the tree");
			if (lifo >= 0 && got != lifo)
				fail("cache hit: not the last parked block");
			if (lifo < 0 && !np && got != want)
				fail("placement, nothing parked");
			if (got < 0) {
				if (got != -ENOMEM)
					fail("alloc error");
				if (model_fit(false, n, align, NULL, NULL) >= 0)
					fail("alloc failed with room");
			} else {
				if (got + n > NR)
					fail("alloc outside the region");
				if (align > 1 &&
				    gomem_align_start(base, got, align) != got)
					fail("alloc misaligned");
				mark(got, n, 1);
				nfree -= n;
				/* User data; a stale tag would read parked. */
				memset(base + (size_t)got * G, GOMEM_PARKED,
				       (size_t)n * G);
				poison(got, n, true);
				live[nlive].s = got;
				live[nlive].e = got + n;
				nlive++;
			}
		} else if (op < 176 && nlive) {
			/* Free all, a head, a tail or a middle of one. */
			struct live *l = &live[take(&in) % nlive];
			u32 len = l->e - l->s, a = take16(&in) % len;
			u32 b = a + 1 + take16(&in) % (len - a);
			u32 s = l->s + a, n = b - a, want;

			if ((op & 3) == 0 || nlive == NLIVE) {
				s = l->s;
				n = len;
			}
			/* The quick cache's policy, exactly. */
			want = gomem_model_parked_after_free(&fi, model, NR, s, n);
			poison(s, n, false);
			if (o->free(&fi, s, n))
				fail("free refused");
			if (fi.nr_parked != want)
				fail("free: parked when it should not, or not");
			mark(s, n, 0);
			nfree += n;
			if (n == len) {
				last_n = n;
				*l = live[--nlive];
			} else if (s == l->s) {
				l->s += n;
			} else if (s + n == l->e) {
				l->e = s;
			} else {
				live[nlive].s = s + n;
				live[nlive].e = l->e;
				nlive++;
				l->e = s;
			}
		} else if (op < 216) {
			bad_free(o, &fi, &in);
		} else if (op < 236) {
			/* find and largest see the tree only. */
			u32 n = 1 + take(&in) % 64, g;
			s64 got = o->find(&fi, n);

			if (!np && got != model_fit(o->best_fit, n + 1, 1,
						    NULL, NULL))
				fail("find");
			if (got >= 0) {
				if (got + n >= NR)
					fail("find outside the region");
				for (g = got; g <= got + n; g++)
					if (model[g])
						fail("find: used granule");
				memset(base + (size_t)got * G, 0x5a,
				       (size_t)n * G);
			}
			model_fit(false, NR + 1, 1, NULL, &big);
			if (np ? o->largest(&fi) > big : o->largest(&fi) != big)
				fail("largest");
		} else {
			if (qc && np && gomem_qc_attach(&fi, qc) != -EBUSY)
				fail("attach while parked");
			o->flush(&fi, 0);
			if (fi.nr_parked || (qc && qc->granules))
				fail("flush left blocks parked");
			model_fit(false, NR + 1, 1, &runs, NULL);
			if (fi.nr_blocks != runs)
				fail("flush: blocks are not the maximal runs");
			if (op & 1 && gomem_qc_attach(&fi, NULL))
				fail("detach");
			if (op & 1 && gomem_qc_attach(&fi, qc))
				fail("re-attach");
		}
		if (fi.free_granules != nfree)
			fail("free granules");
		if (qc && qc->granules > qc->budget)
			fail("over budget");
		if (!fi.nr_parked) {
			model_fit(false, NR + 1, 1, &runs, NULL);
			if (fi.nr_blocks != runs)
				fail("blocks, none parked");
		}
		if (o->check(&fi))
			fail("check");
		check_cover(o, &fi);
	}
	while (nlive) {
		nlive--;
		poison(live[nlive].s, live[nlive].e - live[nlive].s, false);
		if (o->free(&fi, live[nlive].s, live[nlive].e - live[nlive].s))
			fail("final free");
	}
	o->flush(&fi, 0);
	if (fi.free_granules != NR || fi.nr_blocks != 1 || fi.nr_parked ||
	    o->check(&fi))
		fail("final state");
	return 0;
}
