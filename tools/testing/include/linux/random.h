/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/random.h>: seeds from the clock and the pid. */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/prandom.h>

static inline u32 get_random_u32(void)
{
	static u64 state;
	struct timespec ts;

	if (!state) {
		/* SHIM_RANDOM_SEED=n: the same numbers every run (bench-cg). */
		const char *seed = getenv("SHIM_RANDOM_SEED");

		clock_gettime(CLOCK_REALTIME, &ts);
		state = seed ? strtoull(seed, NULL, 0) * 0x9e3779b97f4a7c15ull :
			(u64)ts.tv_sec << 32 ^ ts.tv_nsec ^ getpid();
		state |= 1;
	}
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (state * 0x2545f4914f6cdd1dull) >> 32;
}

static inline u64 get_random_u64(void)
{
	return (u64)get_random_u32() << 32 | get_random_u32();
}

#endif
