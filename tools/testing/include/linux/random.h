/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/random.h>: seeds from the clock and the pid. */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/prandom.h>

static inline u32 get_random_u32(void)
{
	static u64 state;
	struct timespec ts;

	if (!state) {
		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((u64)ts.tv_sec << 32 ^ ts.tv_nsec ^ getpid()) | 1;
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
