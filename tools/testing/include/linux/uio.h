/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/uio.h>: struct kvec and an ITER_KVEC-only
 * iov_iter with the few helpers gomem uses and tests call.  Field names and
 * semantics follow the 6.1 kernel (lib/iov_iter.c), so gomem_reader.c
 * compiles unchanged; other iterator types do not exist here.
 */
#ifndef _SHIM_LINUX_UIO_H
#define _SHIM_LINUX_UIO_H

#include <string.h>
#include <linux/types.h>
#include <linux/bug.h>

struct kvec {
	void *iov_base;
	size_t iov_len;
};

enum iter_type {
	ITER_IOVEC,
	ITER_KVEC,
};

#define READ		0
#define WRITE		1
#define ITER_SOURCE	1	/* == WRITE: the iterator's memory is read */
#define ITER_DEST	0	/* == READ: the iterator's memory is written */

struct iov_iter {
	u8 iter_type;
	bool data_source;
	size_t iov_offset;
	size_t count;
	const struct kvec *kvec;
	unsigned long nr_segs;
};

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

static inline bool iov_iter_is_kvec(const struct iov_iter *i)
{
	return i->iter_type == ITER_KVEC;
}

static inline void iov_iter_truncate(struct iov_iter *i, size_t count)
{
	if (i->count > count)
		i->count = count;
}

static inline void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
				 const struct kvec *kvec,
				 unsigned long nr_segs, size_t count)
{
	WARN_ON(direction & ~(READ | WRITE));
	i->iter_type = ITER_KVEC;
	i->data_source = direction;
	i->kvec = kvec;
	i->nr_segs = nr_segs;
	i->iov_offset = 0;
	i->count = count;
}

/* Walk @size bytes; @copy (if set) gets each piece with its offset. */
static inline size_t __shim_iter_walk(struct iov_iter *i, size_t size,
				      void (*copy)(void *, size_t, void *,
						   size_t),
				      void *ctx)
{
	size_t done = 0;

	if (size > i->count)
		size = i->count;
	while (done < size) {
		size_t k = i->kvec->iov_len - i->iov_offset;

		if (k > size - done)
			k = size - done;
		if (k && copy)
			copy((char *)i->kvec->iov_base + i->iov_offset, k, ctx,
			     done);
		done += k;
		i->iov_offset += k;
		if (i->iov_offset == i->kvec->iov_len) {
			i->kvec++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
	}
	i->count -= size;
	return size;
}

static inline void iov_iter_advance(struct iov_iter *i, size_t size)
{
	__shim_iter_walk(i, size, NULL, NULL);
}

static inline void __shim_copy_out(void *base, size_t len, void *ctx,
				   size_t off)
{
	memcpy((char *)ctx + off, base, len);
}

static inline void __shim_copy_in(void *base, size_t len, void *ctx,
				  size_t off)
{
	memcpy(base, (const char *)ctx + off, len);
}

/* Copy from the iterator's memory (an ITER_SOURCE iterator) to @addr. */
static inline size_t copy_from_iter(void *addr, size_t bytes,
				    struct iov_iter *i)
{
	WARN_ON(!i->data_source);
	return __shim_iter_walk(i, bytes, __shim_copy_out, addr);
}

/* Copy @addr into the iterator's memory (an ITER_DEST iterator). */
static inline size_t copy_to_iter(const void *addr, size_t bytes,
				  struct iov_iter *i)
{
	WARN_ON(i->data_source);
	return __shim_iter_walk(i, bytes, __shim_copy_in, (void *)addr);
}

#endif
