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

#endif /* _GOMEM_FUZZ_INPUT_H */
