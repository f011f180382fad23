/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: multi-buffer memory and its zero-copy reader (see gomem.h).
 *
 * struct gomem_bufs is GoMem's Memory: a list of byte buffers held as an
 * array of struct kvec, so that an ITER_KVEC iov_iter can walk it in place.
 * struct gomem_reader is GoMem's MemoryReader: a cursor over one list.
 * See the DOC: Overview block in gomem_reader.c for the design.
 */
#ifndef _GOMEM_READER_H
#define _GOMEM_READER_H

#include <linux/types.h>
#include <linux/uio.h>

/* Segments held inside struct gomem_bufs before the array goes to the heap. */
#define GOMEM_BUFS_INLINE	4

/* Longest LEB128 encoding of a u64: ceil(64 / 7) bytes. */
#define GOMEM_LEB128_MAX	10

/**
 * struct gomem_bufs - a list of byte buffers (GoMem Memory)
 * @segs: the segments, in order; points at @inline_segs until the list
 *	outgrows it, then at a kmalloc'd array
 * @nr: number of segments in use
 * @cap: number of segments @segs can hold
 * @size: total bytes over all segments
 * @inline_segs: room for the first few segments without allocating
 *
 * The list only references the buffers; it never allocates, frees or copies
 * them.  Zero-length segments are allowed (readers step over them); a NULL
 * segment of non-zero length is refused.  Because @segs may point into the
 * structure itself, a gomem_bufs must not be copied by assignment: use
 * gomem_bufs_append() to combine lists.  The caller serialises all calls on
 * one list and on the readers over it.
 */
struct gomem_bufs {
	struct kvec *segs;
	unsigned int nr;
	unsigned int cap;
	size_t size;
	struct kvec inline_segs[GOMEM_BUFS_INLINE];
};

/**
 * struct gomem_reader - a read cursor over a struct gomem_bufs
 * @bufs: the list being read
 * @seg: index of the segment the cursor is in
 * @off: byte offset of the cursor inside segment @seg
 * @pos: bytes before the cursor, over the whole list (the reader's offset)
 *
 * A reader may be copied by assignment to save and restore a position.
 * Pushing more segments at the end of the list is allowed while readers
 * are on it (they see the new bytes); gomem_bufs_reset(),
 * gomem_bufs_replace() and gomem_reader_clip_front() through another reader
 * invalidate a reader, which must then be set up again with
 * gomem_reader_init().
 */
struct gomem_reader {
	struct gomem_bufs *bufs;
	unsigned int seg;
	size_t off;
	size_t pos;
};

/**
 * typedef gomem_piece_fn - callback given one piece of a list
 * @arg: the caller's cookie
 * @buf: start of the piece
 * @len: length of the piece, never 0
 *
 * Return: 0 to go on, anything else to stop; that value is handed back.
 */
typedef int (*gomem_piece_fn)(void *arg, const void *buf, size_t len);

/**
 * typedef gomem_release_fn - callback releasing a consumed segment
 * @arg: the caller's cookie
 * @buf: start of the segment, whole: gomem_reader_clip_front() hands over
 *	only segments read to their end, never the read front of one
 * @len: length of the segment, never 0
 */
typedef void (*gomem_release_fn)(void *arg, void *buf, size_t len);

void gomem_bufs_init(struct gomem_bufs *b);
void gomem_bufs_fini(struct gomem_bufs *b);
int gomem_bufs_push(struct gomem_bufs *b, void *buf, size_t len, gfp_t gfp);
int gomem_bufs_push_many(struct gomem_bufs *b, const struct kvec *vec,
			 unsigned int n, gfp_t gfp);
int gomem_bufs_append(struct gomem_bufs *b, const struct gomem_bufs *src,
		      gfp_t gfp);
size_t gomem_bufs_copy_to(const struct gomem_bufs *b, void *dst, size_t n);
bool gomem_bufs_equal(const struct gomem_bufs *a, const struct gomem_bufs *b);
void gomem_bufs_reset(struct gomem_bufs *b);
int gomem_bufs_replace(struct gomem_bufs *b, long index, void *buf,
		       size_t len);

/**
 * gomem_bufs_count() - number of segments in a list
 * @b: the list
 *
 * Context: any context.
 * Return: the number of segments, zero-length ones included.
 */
static inline unsigned int gomem_bufs_count(const struct gomem_bufs *b)
{
	return b->nr;
}

/**
 * gomem_bufs_size() - total bytes in a list
 * @b: the list
 *
 * Context: any context.
 * Return: the sum of the segment lengths.
 */
static inline size_t gomem_bufs_size(const struct gomem_bufs *b)
{
	return b->size;
}

/**
 * gomem_bufs_segs() - the segments of a list, to iterate over
 * @b: the list
 *
 * for (i = 0; i < gomem_bufs_count(b); i++) visits gomem_bufs_segs(b)[i].
 * The array is valid until the list next changes.
 *
 * Context: any context.
 * Return: the array of gomem_bufs_count() segments, in order.
 */
static inline const struct kvec *gomem_bufs_segs(const struct gomem_bufs *b)
{
	return b->segs;
}

void gomem_reader_init(struct gomem_reader *r, struct gomem_bufs *b);
ssize_t gomem_reader_read(struct gomem_reader *r, void *dst, size_t n);
int gomem_reader_read_full(struct gomem_reader *r, void *dst, size_t n);
int gomem_reader_read_u8(struct gomem_reader *r, u8 *out);
int gomem_reader_read_be(struct gomem_reader *r, unsigned int n, u64 *out);
int gomem_reader_read_le(struct gomem_reader *r, unsigned int n, u64 *out);
int gomem_reader_read_leb128(struct gomem_reader *r, u64 *out,
			     unsigned int *len);
int gomem_reader_skip(struct gomem_reader *r, size_t n);
int gomem_reader_unread(struct gomem_reader *r, size_t n);
void gomem_reader_move_to_end(struct gomem_reader *r);
int gomem_reader_range(struct gomem_reader *r, gomem_piece_fn fn, void *arg);
int gomem_reader_range_n(struct gomem_reader *r, size_t n, gomem_piece_fn fn,
			 void *arg);
void gomem_reader_clip_front(struct gomem_reader *r, gomem_release_fn release,
			     void *arg);
const void *gomem_reader_peek(const struct gomem_reader *r, size_t n,
			      void *buf);
const void *gomem_reader_pull(struct gomem_reader *r, size_t n, void *buf);
int gomem_reader_pieces(const struct gomem_reader *r, size_t n,
			struct kvec *vec, unsigned int max);
size_t gomem_reader_iov_iter(const struct gomem_reader *r,
			     struct iov_iter *iter, unsigned int direction);
int gomem_reader_check(const struct gomem_reader *r);

/**
 * gomem_reader_offset() - bytes read so far (GoMem Offset)
 * @r: the reader
 *
 * Counted from the front of the list, which gomem_reader_clip_front() moves.
 *
 * Context: any context.
 * Return: the cursor's byte offset in the list.
 */
static inline size_t gomem_reader_offset(const struct gomem_reader *r)
{
	return r->pos;
}

/**
 * gomem_reader_remaining() - bytes left to read (GoMem Length)
 * @r: the reader
 *
 * Context: any context.
 * Return: the bytes between the cursor and the end of the list.
 */
static inline size_t gomem_reader_remaining(const struct gomem_reader *r)
{
	return r->bufs->size - r->pos;
}

#endif /* _GOMEM_READER_H */
