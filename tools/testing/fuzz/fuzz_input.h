/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzers' input consumer: each call takes the next byte of the
 * libFuzzer input, and 0 once it is used up, so every input is a valid
 * (possibly short) program of operations.
 */
#ifndef _GOMEM_FUZZ_INPUT_H
#define _GOMEM_FUZZ_INPUT_H

#include <linux/types.h>

struct in {
	const u8 *p;
	size_t n;
};

static inline unsigned int take(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline unsigned int take16(struct in *in)
{
	return take(in) | take(in) << 8;
}

/*
 * Injected failures (shim.c, gomem_should_fail()): @sel, bits the input
 * gives, picks no failures half the time and otherwise a rate from 40 to
 * 320 in a thousand; the choice restarts from one seed for each input, so
 * that an input replays.  The fuzzers' models treat a failed allocation as
 * NULL or -ENOMEM with no state change.  Returns the rate.
 */
void gomem_shim_fail_reset(unsigned int permille, unsigned int seed);

static inline unsigned int fuzz_fail_rate(unsigned int sel)
{
	unsigned int permille = sel & 8 ? 40 * (1 + sel % 8) : 0;

	gomem_shim_fail_reset(permille, 1);
	return permille;
}

#endif /* _GOMEM_FUZZ_INPUT_H */
