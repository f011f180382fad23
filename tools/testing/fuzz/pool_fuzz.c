// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for gomem_pool.c (with the arenas of gomem_arena.c),
 * both linked unchanged against the shim.  The input drives
 * mallocs (blocking or not, some oversize), frees of whole allocations or
 * of byte pieces, free_rest, borrow, trim, recyclable memory, and bad
 * frees.  Every live byte carries a pattern checked before it is freed;
 * after every step the pool's in-use bytes must equal the model's granule
 * count and gomem_pool_check() must pass.  Any difference aborts.
 * The first byte also turns the per-CPU front end on or off, and each step
 * runs on the shim "CPU" (shim_cpu) its op byte names, so blocks freed on
 * one CPU's cache are reused from another's; in_use + free + cached must
 * equal reserved at every step; some steps run as interrupts, whose
 * trylocks of the caches fail (see the loop).  Its high four bits set a rate of injected
 * failures (fuzz_input.h): then any malloc may return NULL and rm_next
 * NULL, with no state change (the in-use check right after proves it),
 * each NULL of gomem_malloc() counted in the pool's failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "gomem_internal.h"
#include "gomem_report.h"
#include "fuzz_input.h"

#define NLIVE		64
#define GRAN		32UL

static void fail(const char *what)
{
	fprintf(stderr, "pool_fuzz: %s\n", what);
	abort();
}

/* A live piece: [p, p + len) of one allocation, filled with pat. */
struct piece {
	u8 *p;
	size_t len;
	u8 pat;
};

static struct piece live[NLIVE];
static unsigned int nlive;

/*
 * Bytes of the granules a piece holds: [ceil(s / 32), ceil(e / 32)) (the
 * arena rule; regions are page aligned, so absolute addresses do).  Exact
 * for any partition of an allocation into pieces.
 */
static size_t piece_bytes(const struct piece *pc)
{
	uintptr_t s = (uintptr_t)pc->p, e = s + pc->len;

	return (DIV_ROUND_UP(e, GRAN) - DIV_ROUND_UP(s, GRAN)) * GRAN;
}

static size_t live_bytes(void)
{
	size_t sum = 0;
	unsigned int i;

	for (i = 0; i < nlive; i++)
		sum += piece_bytes(&live[i]);
	return sum;
}

/*
 * First byte a piece is sure to hold.  By the arena's granule rule the
 * granule holding byte s of a piece that starts mid-granule belongs to
 * the piece before it, which may have been freed already; so a piece
 * owns its bytes from the next granule boundary on.
 */
static size_t piece_first(const struct piece *pc)
{
	uintptr_t s = (uintptr_t)pc->p;

	return min_t(size_t, ALIGN(s, GRAN) - s, pc->len);
}

/* Every 29th owned byte and the last: cheap, and misses no granule. */
static void check_piece(const struct piece *pc)
{
	size_t k;

	for (k = piece_first(pc); k < pc->len; k += 29)
		if (pc->p[k] != pc->pat)
			fail("pattern damaged");
	if (pc->len && piece_first(pc) < pc->len &&
	    pc->p[pc->len - 1] != pc->pat)
		fail("pattern damaged at the end");
}

static void drop(unsigned int i)
{
	live[i] = live[--nlive];
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct gomem_pool_params params = {
		.initial_size = SZ_4K,
		.max_arena_size = SZ_16K,
	};
	struct in in = { data, size };
	struct gomem_pool_stats st;
	struct gomem_pool *pool;
	size_t rm_bytes = 0;
	unsigned long nulls = 0, rm_nulls = 0;
	unsigned int i, fail_rate;
	struct gomem_rm rm;
	size_t last_big = 0;

	gomem_quiet_caller_bugs = 1;
	i = take(&in);
	params.index = i & 1 ? GOMEM_INDEX_AVL : GOMEM_INDEX_TREAP;
	params.percpu = i & 8 ? GOMEM_PERCPU_ON : GOMEM_PERCPU_OFF;
	/* Shared with the failure rate's low bit (fuzz_fail_rate()). */
	params.grow = i & 16 ? GOMEM_GROW_IN_PLACE : GOMEM_GROW_NEW_ARENAS;
	shim_cpu = 0;
	/* The memory-init policy (linux/mm.h shim): zeroing on alloc, on free. */
	shim_init_on_alloc = i & 2;
	shim_init_on_free = i & 4;
	fail_rate = fuzz_fail_rate(i >> 4);
	pool = gomem_pool_create("fuzz", &params);
	if (IS_ERR(pool)) {
		if (!fail_rate || PTR_ERR(pool) != -ENOMEM)
			fail("create");
		return 0;
	}
	gomem_pool_get_stats(pool, &st);
	if (st.failures)
		fail("failures at create");
	gomem_rm_init(&rm, pool);
	nlive = 0;

	/* At most 64 steps per input: keeps runs short. */
	if (in.n > 3 * 64)
		in.n = 3 * 64;
	while (in.n) {
		unsigned int op = take(&in), a = take(&in), b = take(&in);

		shim_cpu = (a >> 4) % SHIM_NR_CPUS;
		/*
		 * A quarter of the steps run as an interrupt (drains only
		 * try the caches' locks), a quarter as one that met its
		 * CPU's holder (every trylock fails: the caches are passed
		 * by, the arenas serve).
		 */
		shim_irq = a >> 6 == 3 ? 2 : a >> 6 == 2;

		if (op < 96 && nlive < NLIVE) {
			/* Malloc: mostly small, some across arenas, some oversize. */
			size_t len = 1 + (a | b << 8) % (op & 8 ? 20000 : 600);
			gfp_t gfp = op & 1 ? GFP_ATOMIC : GFP_KERNEL;
			u8 *p;

			/* Some repeat the last size over 4 KiB: the big block. */
			if ((op & 0x30) == 0x30 && last_big)
				len = last_big;
			if (len > GOMEM_POOL_PERCPU_MAX &&
			    len <= GOMEM_POOL_PERCPU_BIG_MAX)
				last_big = len;
			p = gomem_malloc(pool, len, gfp);

			if (!p) {
				if (gfp == GFP_KERNEL && !fail_rate)
					fail("blocking malloc failed");
				nulls++;
				goto checks;	/* nothing changed */
			}
			if (shim_init_on_alloc)
				for (size_t k = 0; k < len; k++)
					if (p[k])
						fail("not zeroed under init_on_alloc");
			live[nlive].p = p;
			live[nlive].len = len;
			live[nlive].pat = a ^ b;
			memset(p, a ^ b, len);
			nlive++;
		} else if (op < 160 && nlive) {
			/*
			 * Free a piece whole, or split it at a byte and free
			 * one half; the newest piece for some.
			 */
			struct piece *pc = &live[op & 16 ? nlive - 1 : a % nlive];
			size_t cut = pc->len > 1 ? 1 + b % (pc->len - 1) : 0;

			check_piece(pc);
			if (!cut || op & 1) {
				if (gomem_free(pool, pc->p, pc->len))
					fail("free refused");
				drop(pc - live);
				goto checks;
			} else if (op & 2) {
				/* free_rest: keep the head. */
				if (gomem_free_rest(pool, pc->p, pc->len, cut))
					fail("free_rest refused");
				pc->len = cut;
			} else {
				if (gomem_free(pool, pc->p, cut))
					fail("head free refused");
				pc->p += cut;
				pc->len -= cut;
			}
			/*
			 * A rest inside one granule holds nothing: its bytes
			 * went with a neighbour, and a dedicated arena may be
			 * gone already.  Forget it.
			 */
			if (!piece_bytes(pc))
				drop(pc - live);

		} else if (op < 176 && nlive) {
			/* Double free of a piece that is gone: refused. */
			struct piece pc = live[a % nlive];

			if (gomem_free(pool, pc.p, pc.len))
				fail("free refused");
			drop(a % nlive);
			/* A piece inside one granule frees nothing: no double. */
			if (piece_bytes(&pc) &&
			    gomem_free(pool, pc.p, pc.len) != -EINVAL)
				fail("double free accepted");
		} else if (op < 192) {
			/* Foreign pointer: refused. */
			u8 other[8];

			if (gomem_free(pool, other, sizeof(other)) != -EINVAL)
				fail("foreign free accepted");
		} else if (op < 208) {
			u8 *p = gomem_borrow(pool, 1 + a);

			if (p)
				memset(p, 0xee, 1 + a);
		} else if (op < 224) {
			gomem_pool_trim(pool);
		} else if (op < 248) {
			size_t len = 1 + (a | b << 8) % 3000;

			if (gomem_rm_next(&rm, len, GFP_KERNEL))
				rm_bytes += ALIGN(len, GRAN);
			else if (!fail_rate)
				fail("rm_next failed");
			else
				rm_nulls++;	/* nothing recorded */
		} else {
			gomem_rm_recycle(&rm);
			rm_bytes = 0;
		}
checks:
		shim_irq = 0;
		/* Borrowed room may have overwritten free space only. */
		for (i = 0; i < nlive; i++) {
			size_t k = piece_first(&live[i]);

			if (k < live[i].len && live[i].p[k] != live[i].pat)
				fail("live byte changed");
		}
		gomem_pool_get_stats(pool, &st);
		if (st.in_use != live_bytes() + rm_bytes)
			fail("in_use differs from the model");
		if (st.in_use + st.free + st.cached != st.reserved)
			fail("in_use + free + cached != reserved");
		/* Each NULL of gomem_malloc() is one; rm_next's may be. */
		if (st.failures < nulls || st.failures > nulls + rm_nulls)
			fail("failures differ from the NULLs returned");
		if (gomem_pool_check(pool))
			fail("check");
	}
	gomem_shim_fail_reset(0, 1);
	gomem_rm_fini(&rm);
	for (i = 0; i < nlive; i++) {
		check_piece(&live[i]);
		if (gomem_free(pool, live[i].p, live[i].len))
			fail("final free");
	}
	gomem_pool_get_stats(pool, &st);
	if (st.in_use || st.dedicated)
		fail("final state");
	/* Every cached byte goes back at a trim: nothing lost. */
	gomem_pool_trim(pool);
	gomem_pool_get_stats(pool, &st);
	if (st.cached || st.free != st.reserved || st.arenas != 1)
		fail("cache not drained by trim");
	gomem_pool_destroy(pool);
	return 0;
}
