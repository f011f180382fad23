/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/prandom.h>: a seeded generator with the
 * kernel's API (a xorshift64*, not the kernel's Tausworthe: a seed gives
 * a different sequence here than in the kernel, but always the same one).
 */
#ifndef _SHIM_LINUX_PRANDOM_H
#define _SHIM_LINUX_PRANDOM_H

#include <linux/types.h>

struct rnd_state {
	u64 s;
};

static inline void prandom_seed_state(struct rnd_state *st, u64 seed)
{
	st->s = seed * 0x9e3779b97f4a7c15ull | 1;
}

static inline u32 prandom_u32_state(struct rnd_state *st)
{
	st->s ^= st->s >> 12;
	st->s ^= st->s << 25;
	st->s ^= st->s >> 27;
	return (st->s * 0x2545f4914f6cdd1dull) >> 32;
}

#endif
