// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for gomem_buddy.c: the input picks a region size and a
 * unit, then a sequence of allocs, frees (of live blocks, and bad ones:
 * double, interior, foreign) and largest-free queries.  A model with one
 * owner per unit checks every answer; the checker runs after every step.
 * Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <gomem/buddy.h>
#include "fuzz_input.h"
#include "kunit/gomem_buddy_model.h"

extern int gomem_quiet_caller_bugs;

#define MAX_UNITS	300

static void fail(const char *what)
{
	fprintf(stderr, "buddy_fuzz: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct in in = { data, size };
	unsigned long nr = 1 + take(&in) % MAX_UNITS;
	unsigned int u = take(&in);
	size_t unit = 16UL << (u % 4);
	/* Injected failures (fuzz_input.h) of the create: -ENOMEM, no buddy. */
	unsigned int fail_rate = fuzz_fail_rate(u >> 2);
	struct gomem_buddy *b;
	u32 owner[MAX_UNITS] = { 0 };
	unsigned long lun[MAX_UNITS];
	char *live[MAX_UNITS];
	unsigned long nlive = 0, bad = 0;
	char *base;

	gomem_quiet_caller_bugs = 1;
	b = gomem_buddy_create(nr * unit, unit, GFP_KERNEL);
	gomem_shim_fail_reset(0, 1);
	if (IS_ERR(b)) {
		if (fail_rate && PTR_ERR(b) == -ENOMEM)
			return 0;
		fail("create");
	}
	base = gomem_buddy_base(b);
	while (in.n) {
		unsigned int op = take(&in);

		if (op < 128) {
			size_t want = 1 + (op * 131 + take(&in)) %
					  (nr * unit + unit);
			unsigned long k = 0, n, u;
			char *p = gomem_buddy_alloc(b, want);

			while ((unit << k) < want)
				k++;
			n = 1UL << k;
			if (!p) {
				if (want <= nr * unit &&
				    gomem_buddy_model_largest_order(owner, nr) >= (long)k)
					fail("alloc failed with room");
				continue;
			}
			u = (p - base) / unit;
			if ((p - base) % unit)
				fail("misplaced block");
			if (!gomem_buddy_model_take(owner, nr, u, n))
				fail("misplaced or overlapping block");
			lun[nlive] = n;
			live[nlive++] = p;
		} else if (op < 224 && nlive) {
			unsigned long i = take(&in) % nlive, u;

			u = (live[i] - base) / unit;
			if (gomem_buddy_free(b, live[i]))
				fail("free refused");
			if (!gomem_buddy_model_give(owner, nr, u, lun[i]))
				fail("model: freed block not whole");
			live[i] = live[--nlive];
			lun[i] = lun[nlive];
		} else if (op < 240) {
			/* A bad free: refused and counted, state unchanged. */
			unsigned long u = take(&in) % nr;
			char *p = base + u * unit + (op & 1);

			if (!owner[u] || owner[u] != u + 1 || (op & 1)) {
				if (gomem_buddy_free(b, p) != -EINVAL)
					fail("bad free accepted");
				bad++;
			}
		} else {
			int lo = gomem_buddy_model_largest_order(owner, nr);

			if (gomem_buddy_largest_free(b) !=
			    (lo < 0 ? 0 : (unit << lo)))
				fail("largest free");
		}
		if (gomem_buddy_check(b))
			fail("check");
		if (gomem_buddy_bad_input(b) != bad)
			fail("bad input count");
	}
	while (nlive)
		if (gomem_buddy_free(b, live[--nlive]))
			fail("final free");
	if (gomem_buddy_free_bytes(b) != nr * unit || gomem_buddy_check(b))
		fail("final state");
	gomem_buddy_destroy(b);
	return 0;
}
