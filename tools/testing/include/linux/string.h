/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/string.h>. */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <sys/types.h>
#include <linux/errno.h>

static inline ssize_t strscpy(char *dst, const char *src, size_t n)
{
	size_t len;

	/* Byte by byte: reads never pass the source's terminator. */
	for (len = 0; len < n; len++) {
		dst[len] = src[len];
		if (!src[len])
			return len;
	}
	if (n)
		dst[n - 1] = 0;
	return -E2BIG;
}

/*
 * lib/string.c: the first byte of [@start, @start + @n) that is not @c;
 * eight bytes at a time, as the kernel's compares them.
 */
static inline void *memchr_inv(const void *start, int c, size_t n)
{
	const unsigned char *p = start;
	unsigned long long v = 0x0101010101010101ull * (unsigned char)c, w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		if (w != v)
			break;
	}
	for (; n; n--, p++)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}

#endif
