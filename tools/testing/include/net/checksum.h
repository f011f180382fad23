/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <net/checksum.h>: the Internet checksum fold.  The
 * harness has no networking code (no CONFIG_NET), so no iov_iter checksum.
 */
#ifndef _SHIM_NET_CHECKSUM_H
#define _SHIM_NET_CHECKSUM_H

#include <linux/types.h>

/* Fold a 32-bit partial sum to the 16-bit ones' complement checksum. */
static inline __sum16 csum_fold(__wsum sum)
{
	u32 s = (__force u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__force __sum16)~s;
}

#endif
