// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator's reference model: see gomem_buddy_model.h.  Plain C,
 * built in the test module, the userspace KUnit program and the fuzzer.
 */
#include "gomem_buddy_model.h"

/**
 * gomem_buddy_model_largest_order() - the largest block the model holds
 * @owner: one owner per unit, 0: free
 * @nr: units in the region
 *
 * Return: the largest k such that some 2^k-aligned run of 2^k units is all
 * free, or -1 if none is.
 */
int gomem_buddy_model_largest_order(const u32 *owner, unsigned long nr)
{
	int k, best = -1;

	for (k = 0; (1UL << k) <= nr; k++) {
		unsigned long n = 1UL << k, u, j;

		for (u = 0; u + n <= nr; u += n) {
			for (j = u; j < u + n && !owner[j]; j++)
				;
			if (j == u + n) {
				best = k;
				break;
			}
		}
	}
	return best;
}

/**
 * gomem_buddy_model_take() - record a block handed out
 * @owner: one owner per unit, 0: free
 * @nr: units in the region
 * @u: the block's first unit
 * @n: the block's units, a power of two
 *
 * Return: true if the block is aligned to its size, inside the region and
 * all free (then it is marked taken); false and no change otherwise.
 */
bool gomem_buddy_model_take(u32 *owner, unsigned long nr, unsigned long u,
			    unsigned long n)
{
	unsigned long j;

	if (u % n || u >= nr || n > nr - u)
		return false;
	for (j = u; j < u + n; j++)
		if (owner[j])
			return false;
	for (j = u; j < u + n; j++)
		owner[j] = u + 1;
	return true;
}

/**
 * gomem_buddy_model_give() - record a block given back
 * @owner: one owner per unit, 0: free
 * @nr: units in the region
 * @u: the block's first unit
 * @n: the block's units
 *
 * Return: true if every unit of the block was the block's (then they are
 * free); false and no change otherwise.
 */
bool gomem_buddy_model_give(u32 *owner, unsigned long nr, unsigned long u,
			    unsigned long n)
{
	unsigned long j;

	if (u >= nr || n > nr - u)
		return false;
	for (j = u; j < u + n; j++)
		if (owner[j] != u + 1)
			return false;
	for (j = u; j < u + n; j++)
		owner[j] = 0;
	return true;
}
