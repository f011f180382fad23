// SPDX-License-Identifier: GPL-2.0
/*
 * gomem reader: multi-buffer memory (GoMem Memory) and its zero-copy reader
 * (GoMem MemoryReader).
 */

/**
 * DOC: Overview
 *
 * A struct gomem_bufs is a list of byte buffers that together hold one
 * message, for drivers that parse protocols out of scattered memory
 * (packets, media frames).  The segments are kept as an array of struct
 * kvec: the first %GOMEM_BUFS_INLINE live inside the structure, so the
 * common few-segment case allocates nothing; beyond that the array doubles
 * with the caller's gfp (zone modifiers dropped, __GFP_NOWARN added: a
 * failure is the caller's -ENOMEM).  The list references buffers and never owns them.
 *
 * A struct gomem_reader is a cursor (segment index, offset in it, offset in
 * the list).  Reads copy only when the caller wants a copy or the bytes
 * straddle segments: gomem_reader_peek() and gomem_reader_pull() return a
 * pointer into the segment when the bytes are contiguous,
 * gomem_reader_pieces() describes the next n bytes as kvecs, and
 * gomem_reader_iov_iter() builds an ITER_KVEC iov_iter over the list itself,
 * so copy_from_iter(), csum and skb helpers work on gomem buffers.
 *
 * Invariants (checked by gomem_reader_check()):
 *
 * 1) A list's @size is the sum of its segment lengths, and no segment has a
 *    NULL base with a non-zero length.
 * 2) A reader has @seg <= @bufs->nr; @off <= the length of segment @seg when
 *    @seg < @bufs->nr, and @off == 0 when @seg == @bufs->nr.
 * 3) A reader's @pos is the length of the segments before @seg plus @off.
 *
 * The cursor may rest at the very end of a segment, or before zero-length
 * segments: an operation that needs bytes first steps forward over them
 * (reader_settle()).  By 1) and 3), when @pos < @size that walk ends in a
 * segment with a byte at @off.  Keeping the step lazy lets segments pushed
 * after a reader reached the end be read without any fix-up.
 *
 * Cost: every operation is O(bytes + segments touched); LEB128 and integer
 * reads decode in place when their bytes are contiguous.  Errors: running
 * out of data is -ENODATA, an over-long LEB128 is -EOVERFLOW, and caller
 * bugs (NULL segment, bad width, bad index, unread past the start) are
 * -EINVAL with a WARN_ONCE and a count in the module's ``reader_bad_input``
 * stat.  Every failing call leaves the reader and the list as they were.
 *
 * Locking: none.  The caller serialises calls on one list and its readers,
 * which may then be used from any context (only list growth allocates, with
 * the gfp given).
 */

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include <gomem/reader.h>
#include "gomem_report.h"

/* A caller bug: warn once, count it, and yield @cond. */
#define reader_caller_bug(cond, fmt...) ({				\
	bool __bug = GOMEM_WARN_CALLER(cond, fmt);			\
	if (__bug)							\
		gomem_stat_inc(GOMEM_STAT_READER_BAD_INPUT);		\
	__bug;								\
})

/* ---- the buffer list ---------------------------------------------------- */

/**
 * gomem_bufs_init() - set up an empty list
 * @b: the list, embedded by the caller
 *
 * Context: any context.
 */
void gomem_bufs_init(struct gomem_bufs *b)
{
	b->segs = b->inline_segs;
	b->nr = 0;
	b->cap = GOMEM_BUFS_INLINE;
	b->size = 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_init);

/**
 * gomem_bufs_fini() - release a list's segment array
 * @b: the list
 *
 * Frees the array the list grew into, not the buffers it references.  The
 * list is left empty and usable.
 *
 * Context: any context.
 */
void gomem_bufs_fini(struct gomem_bufs *b)
{
	if (b->segs != b->inline_segs)
		kfree(b->segs);
	gomem_bufs_init(b);
}
EXPORT_SYMBOL_GPL(gomem_bufs_fini);

/*
 * The gfp for the segment array: the caller's, without zone modifiers
 * (slab refuses __GFP_HIGHMEM, and a gfp meant for gomem_malloc() may
 * carry it) or __GFP_ZERO (the array is copied over), and quiet: a failure
 * is the caller's -ENOMEM, handled, not a kernel warning (GFP_ATOMIC
 * callers expect to see it fail).
 */
static inline gfp_t bufs_gfp(gfp_t gfp)
{
	return (gfp & ~(GFP_ZONEMASK | __GFP_ZERO)) | __GFP_NOWARN;
}

/* Make room for @extra more segments. */
static int bufs_reserve(struct gomem_bufs *b, unsigned int extra, gfp_t gfp)
{
	size_t want = (size_t)b->nr + extra;
	struct kvec *segs;
	size_t cap;

	if (want <= b->cap)
		return 0;
	/* Doubling keeps pushes amortised O(1); the count must fit @nr. */
	if (want > UINT_MAX / 2)
		return -ENOMEM;
	cap = max_t(size_t, want, min_t(size_t, (size_t)b->cap * 2,
					UINT_MAX / 2));
	if (gomem_should_fail(cap * sizeof(*segs)))
		return -ENOMEM;
	segs = kmalloc_array(cap, sizeof(*segs), bufs_gfp(gfp));
	if (!segs)
		return -ENOMEM;
	memcpy(segs, b->segs, b->nr * sizeof(*segs));
	if (b->segs != b->inline_segs)
		kfree(b->segs);
	b->segs = segs;
	b->cap = cap;
	return 0;
}

/* Invariant 1): refuse a NULL base with a length. */
static bool bufs_seg_ok(const void *buf, size_t len)
{
	return !reader_caller_bug(!buf && len,
				  "gomem: NULL segment of %zu bytes\n", len);
}

/**
 * gomem_bufs_push() - add a buffer at the end of a list (GoMem PushOne)
 * @b: the list
 * @buf: the buffer; may be NULL only when @len is 0
 * @len: its length; 0 adds an empty segment
 * @gfp: allocation flags, used only when the segment array must grow
 *
 * Context: any context @gfp allows.
 * Return: 0; -EINVAL for a NULL @buf with a length; -EOVERFLOW if the total
 * size would overflow; -ENOMEM if the array could not grow.  On error the
 * list is unchanged.
 */
int gomem_bufs_push(struct gomem_bufs *b, void *buf, size_t len, gfp_t gfp)
{
	int ret;

	if (!bufs_seg_ok(buf, len))
		return -EINVAL;
	if (len > SIZE_MAX - b->size)
		return -EOVERFLOW;
	ret = bufs_reserve(b, 1, gfp);
	if (ret)
		return ret;
	b->segs[b->nr].iov_base = buf;
	b->segs[b->nr].iov_len = len;
	b->nr++;
	b->size += len;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_push);

/**
 * gomem_bufs_push_many() - add several buffers at the end (GoMem Push)
 * @b: the list
 * @vec: the buffers, in order
 * @n: number of entries in @vec
 * @gfp: allocation flags, used only when the segment array must grow
 *
 * All or nothing.  @vec must not be (or overlap) the list's own segments
 * (gomem_bufs_segs()): the list would hold each of those buffers twice and
 * gomem_reader_clip_front() would release each twice, the second time
 * perhaps after the pool had handed it to someone else.  That is a caller
 * bug, refused.
 *
 * Context: any context @gfp allows.
 * Return: 0, or the errors of gomem_bufs_push(), or -EINVAL for @vec in
 * the list's own segments; on error nothing was added.
 */
int gomem_bufs_push_many(struct gomem_bufs *b, const struct kvec *vec,
			 unsigned int n, gfp_t gfp)
{
	size_t size = b->size;
	unsigned int i;
	int ret;

	if (reader_caller_bug(n && vec < b->segs + b->nr && vec + n > b->segs,
			      "gomem: push_many of the list's own segments\n"))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!bufs_seg_ok(vec[i].iov_base, vec[i].iov_len))
			return -EINVAL;
		if (vec[i].iov_len > SIZE_MAX - size)
			return -EOVERFLOW;
		size += vec[i].iov_len;
	}
	ret = bufs_reserve(b, n, gfp);
	if (ret)
		return ret;
	if (n)
		memcpy(b->segs + b->nr, vec, n * sizeof(*vec));
	b->nr += n;
	b->size = size;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_push_many);

/**
 * gomem_bufs_append() - add the segments of another list (GoMem Append)
 * @b: the list to extend
 * @src: the list whose segments are added; not @b itself (a caller bug,
 *	refused: see gomem_bufs_push_many())
 * @gfp: allocation flags, used only when the segment array must grow
 *
 * Both lists then reference the same buffers; @src is not changed.  Clip
 * with a release callback on one of them only.
 *
 * Context: any context @gfp allows.
 * Return: 0; -EINVAL if @src is @b; -EOVERFLOW if the total size would
 * overflow; -ENOMEM if the array could not grow.  On error @b is unchanged.
 */
int gomem_bufs_append(struct gomem_bufs *b, const struct gomem_bufs *src,
		      gfp_t gfp)
{
	unsigned int n = src->nr;
	int ret;

	if (reader_caller_bug(src == b, "gomem: a list appended to itself\n"))
		return -EINVAL;
	if (src->size > SIZE_MAX - b->size)
		return -EOVERFLOW;
	ret = bufs_reserve(b, n, gfp);
	if (ret)
		return ret;
	memcpy(b->segs + b->nr, src->segs, n * sizeof(*b->segs));
	b->nr += n;
	b->size += src->size;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_append);

/**
 * gomem_bufs_copy_to() - copy a list's bytes to a flat buffer (GoMem CopyTo)
 * @b: the list
 * @dst: destination
 * @n: room at @dst
 *
 * Context: any context.
 * Return: bytes copied, the smaller of @n and the list's size.
 */
size_t gomem_bufs_copy_to(const struct gomem_bufs *b, void *dst, size_t n)
{
	const struct kvec *kv, *end = b->segs + b->nr;
	size_t done = 0;

	for (kv = b->segs; kv < end; kv++) {
		size_t k = min(kv->iov_len, n - done);

		if (k)
			memcpy((u8 *)dst + done, kv->iov_base, k);
		done += k;
		if (done == n)
			break;
	}
	return done;
}
EXPORT_SYMBOL_GPL(gomem_bufs_copy_to);

/**
 * gomem_bufs_equal() - do two lists hold the same bytes?
 * @a: one list
 * @b: the other
 *
 * Compares content, whatever the segmentation (GoMem's Equal also demands
 * identical segment boundaries; content is what protocol code compares).
 *
 * Context: any context.
 * Return: true if both lists hold the same sequence of bytes.
 */
bool gomem_bufs_equal(const struct gomem_bufs *a, const struct gomem_bufs *b)
{
	const struct kvec *ka = a->segs, *kb = b->segs;
	const struct kvec *ea = ka + a->nr, *eb = kb + b->nr;
	size_t oa = 0, ob = 0;

	if (a->size != b->size)
		return false;
	for (;;) {
		size_t k;

		while (ka < ea && oa == ka->iov_len) {
			ka++;
			oa = 0;
		}
		while (kb < eb && ob == kb->iov_len) {
			kb++;
			ob = 0;
		}
		/* Same size (invariant 1): both end together. */
		if (ka == ea || kb == eb)
			return true;
		k = min(ka->iov_len - oa, kb->iov_len - ob);
		if (memcmp((const u8 *)ka->iov_base + oa,
			   (const u8 *)kb->iov_base + ob, k))
			return false;
		oa += k;
		ob += k;
	}
}
EXPORT_SYMBOL_GPL(gomem_bufs_equal);

/**
 * gomem_bufs_reset() - empty a list (GoMem Reset)
 * @b: the list
 *
 * Keeps the segment array for reuse; gomem_bufs_fini() frees it.  Readers
 * over @b must be set up again.
 *
 * Context: any context.
 */
void gomem_bufs_reset(struct gomem_bufs *b)
{
	b->nr = 0;
	b->size = 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_reset);

/**
 * gomem_bufs_replace() - replace one segment (GoMem UpdateBuffer)
 * @b: the list
 * @index: the segment; negative counts from the end (-1 is the last)
 * @buf: the new buffer; may be NULL only when @len is 0
 * @len: its length
 *
 * Readers over @b must be set up again.
 *
 * Context: any context.
 * Return: 0; -EINVAL for an index out of range or a NULL @buf with a
 * length; -EOVERFLOW if the total size would overflow.  On error the list
 * is unchanged.
 */
int gomem_bufs_replace(struct gomem_bufs *b, long index, void *buf,
		       size_t len)
{
	struct kvec *kv;
	size_t rest;

	if (index < 0)
		index += b->nr;
	if (reader_caller_bug(index < 0 || index >= (long)b->nr,
			      "gomem: segment index out of range\n"))
		return -EINVAL;
	if (!bufs_seg_ok(buf, len))
		return -EINVAL;
	kv = &b->segs[index];
	rest = b->size - kv->iov_len;
	if (len > SIZE_MAX - rest)
		return -EOVERFLOW;
	kv->iov_base = buf;
	kv->iov_len = len;
	b->size = rest + len;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_bufs_replace);

/* ---- the reader --------------------------------------------------------- */

/**
 * gomem_reader_init() - put a reader at the start of a list
 * @r: the reader
 * @b: the list to read
 *
 * Context: any context.
 */
void gomem_reader_init(struct gomem_reader *r, struct gomem_bufs *b)
{
	r->bufs = b;
	r->seg = 0;
	r->off = 0;
	r->pos = 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_init);

/*
 * Step over exhausted and empty segments.  Only called with bytes left, so
 * by invariants 1) and 3) it stops at a segment with a byte at @off.
 */
static __always_inline const struct kvec *reader_settle(struct gomem_reader *r)
{
	const struct kvec *kv = &r->bufs->segs[r->seg];

	while (r->off >= kv->iov_len) {
		kv++;
		r->seg++;
		r->off = 0;
	}
	return kv;
}

/* Move forward @n bytes, copying them to @dst unless it is NULL. */
static void reader_advance(struct gomem_reader *r, void *dst, size_t n)
{
	r->pos += n;
	while (n) {
		const struct kvec *kv = reader_settle(r);
		size_t k = min(kv->iov_len - r->off, n);

		if (dst) {
			memcpy(dst, (const u8 *)kv->iov_base + r->off, k);
			dst = (u8 *)dst + k;
		}
		r->off += k;
		n -= k;
	}
}

/**
 * gomem_reader_read() - read up to @n bytes (GoMem Read)
 * @r: the reader
 * @dst: destination
 * @n: bytes wanted
 *
 * Copies min(@n, remaining) bytes: a short read at the end, then an error.
 *
 * Context: any context.
 * Return: bytes read (0 when @n is 0); -ENODATA when @n > 0 and nothing is
 * left.
 */
ssize_t gomem_reader_read(struct gomem_reader *r, void *dst, size_t n)
{
	size_t left = gomem_reader_remaining(r);

	if (!n)
		return 0;
	if (!left)
		return -ENODATA;
	n = min_t(size_t, min(n, left), SSIZE_MAX);
	reader_advance(r, dst, n);
	return n;
}
EXPORT_SYMBOL_GPL(gomem_reader_read);

/**
 * gomem_reader_read_full() - read exactly @n bytes (GoMem ReadBytes)
 * @r: the reader
 * @dst: destination
 * @n: bytes to read
 *
 * Context: any context.
 * Return: 0; -ENODATA if fewer than @n bytes are left (nothing is read).
 */
int gomem_reader_read_full(struct gomem_reader *r, void *dst, size_t n)
{
	if (n > gomem_reader_remaining(r))
		return -ENODATA;
	reader_advance(r, dst, n);
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_read_full);

/**
 * gomem_reader_read_u8() - read one byte (GoMem ReadByte)
 * @r: the reader
 * @out: the byte
 *
 * Context: any context.
 * Return: 0; -ENODATA at the end.
 */
int gomem_reader_read_u8(struct gomem_reader *r, u8 *out)
{
	const struct kvec *kv;

	if (unlikely(r->pos >= r->bufs->size))
		return -ENODATA;
	kv = reader_settle(r);
	*out = ((const u8 *)kv->iov_base)[r->off++];
	r->pos++;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_read_u8);

/*
 * The bytes at the cursor, and how many follow in the same segment.  Only
 * called with bytes left (see reader_settle()).
 */
static __always_inline const u8 *reader_cur(struct gomem_reader *r,
					    size_t *avail)
{
	const struct kvec *kv = reader_settle(r);

	*avail = kv->iov_len - r->off;
	return (const u8 *)kv->iov_base + r->off;
}

/* Common part of read_be and read_le: check, fetch, decode, advance. */
static int reader_read_int(struct gomem_reader *r, unsigned int n, u64 *out,
			   bool big)
{
	const u8 *p;
	size_t avail;
	u8 tmp[8];
	u64 v = 0;
	unsigned int i;

	if (reader_caller_bug(n < 1 || n > 8, "gomem: integer of %u bytes\n",
			      n))
		return -EINVAL;
	if (n > gomem_reader_remaining(r))
		return -ENODATA;
	p = reader_cur(r, &avail);
	if (likely(avail >= n)) {
		r->off += n;
		r->pos += n;
	} else {
		/* Straddles segments: copy only this integer's bytes. */
		reader_advance(r, tmp, n);
		p = tmp;
	}
	if (big) {
		for (i = 0; i < n; i++)
			v = v << 8 | p[i];
	} else {
		for (i = n; i-- > 0;)
			v = v << 8 | p[i];
	}
	*out = v;
	return 0;
}

/**
 * gomem_reader_read_be() - read a big-endian unsigned integer (GoMem ReadBE)
 * @r: the reader
 * @n: its width in bytes, 1 to 8
 * @out: the value
 *
 * The bytes may straddle segments.
 *
 * Context: any context.
 * Return: 0; -ENODATA if fewer than @n bytes are left; -EINVAL for a bad @n
 * (a caller bug).  On error the reader does not move.
 */
int gomem_reader_read_be(struct gomem_reader *r, unsigned int n, u64 *out)
{
	return reader_read_int(r, n, out, true);
}
EXPORT_SYMBOL_GPL(gomem_reader_read_be);

/**
 * gomem_reader_read_le() - read a little-endian unsigned integer
 * @r: the reader
 * @n: its width in bytes, 1 to 8
 * @out: the value
 *
 * The bytes may straddle segments.
 *
 * Context: any context.
 * Return: 0; -ENODATA if fewer than @n bytes are left; -EINVAL for a bad @n
 * (a caller bug).  On error the reader does not move.
 */
int gomem_reader_read_le(struct gomem_reader *r, unsigned int n, u64 *out)
{
	return reader_read_int(r, n, out, false);
}
EXPORT_SYMBOL_GPL(gomem_reader_read_le);

/*
 * Decode unsigned LEB128 from @avail bytes at @p.  The tenth byte may only
 * carry bit 63 and must end the value.
 */
static __always_inline int leb128_decode(const u8 *p, size_t avail,
					 u64 *out, unsigned int *len)
{
	unsigned int i, lim = min_t(size_t, avail, GOMEM_LEB128_MAX);
	u64 v = 0;

	for (i = 0; i < lim; i++) {
		u8 byte = p[i];

		if (i == GOMEM_LEB128_MAX - 1 && byte > 1)
			return -EOVERFLOW;
		v |= (u64)(byte & 0x7f) << (7 * i);
		if (!(byte & 0x80)) {
			*out = v;
			*len = i + 1;
			return 0;
		}
	}
	return -ENODATA;
}

/**
 * gomem_reader_read_leb128() - read an unsigned LEB128 value
 * @r: the reader
 * @out: the value
 * @len: if not NULL, the length of its encoding in bytes
 *
 * Unlike GoMem's LEB128Unmarshal, which stops silently after 8 bytes, this
 * decodes the full 64-bit range (up to %GOMEM_LEB128_MAX bytes) and reports
 * both ways it can go wrong.  Redundant encodings (0x80 0x00 for 0) are
 * accepted.
 *
 * Context: any context.
 * Return: 0; -ENODATA if the data ends before the value does; -EOVERFLOW if
 * the value does not fit in 64 bits (a set bit beyond bit 63 or an encoding
 * longer than %GOMEM_LEB128_MAX bytes).  On error the reader does not move.
 */
int gomem_reader_read_leb128(struct gomem_reader *r, u64 *out,
			     unsigned int *len)
{
	size_t left = gomem_reader_remaining(r), avail;
	u8 tmp[GOMEM_LEB128_MAX];
	const u8 *p;
	unsigned int n;
	u64 v;
	int ret;

	if (!left)
		return -ENODATA;
	p = reader_cur(r, &avail);
	if (likely(p[0] < 0x80)) {
		/* One byte: the common case of small values. */
		r->off++;
		r->pos++;
		*out = p[0];
		if (len)
			*len = 1;
		return 0;
	}
	ret = leb128_decode(p, avail, &v, &n);
	if (likely(!ret)) {
		r->off += n;
		r->pos += n;
	} else if (ret == -ENODATA && avail < left &&
		   avail < GOMEM_LEB128_MAX) {
		/* It straddles segments: decode a copy of what may belong. */
		struct gomem_reader save = *r;

		avail = min_t(size_t, left, GOMEM_LEB128_MAX);
		reader_advance(&save, tmp, avail);
		ret = leb128_decode(tmp, avail, &v, &n);
		if (!ret)
			reader_advance(r, NULL, n);
	}
	if (ret)
		return ret;
	*out = v;
	if (len)
		*len = n;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_read_leb128);

/**
 * gomem_reader_skip() - move forward without reading (GoMem Skip)
 * @r: the reader
 * @n: bytes to skip
 *
 * Context: any context.
 * Return: 0; -ENODATA if fewer than @n bytes are left (the reader does not
 * move).
 */
int gomem_reader_skip(struct gomem_reader *r, size_t n)
{
	const struct kvec *kv;

	if (n > gomem_reader_remaining(r))
		return -ENODATA;
	if (!n)
		return 0;
	kv = reader_settle(r);
	if (likely(kv->iov_len - r->off >= n)) {
		r->off += n;
		r->pos += n;
		return 0;
	}
	reader_advance(r, NULL, n);
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_skip);

/**
 * gomem_reader_unread() - move back over bytes already read (GoMem Unread)
 * @r: the reader
 * @n: bytes to move back
 *
 * Context: any context.
 * Return: 0; -EINVAL if @n is more than gomem_reader_offset() (a caller
 * bug; the reader does not move).
 */
int gomem_reader_unread(struct gomem_reader *r, size_t n)
{
	if (reader_caller_bug(n > r->pos,
			      "gomem: unread %zu of %zu bytes read\n", n,
			      r->pos))
		return -EINVAL;
	r->pos -= n;
	/* Invariant 3): the segments before @seg hold @pos - @off bytes. */
	while (n > r->off) {
		n -= r->off;
		r->seg--;
		r->off = r->bufs->segs[r->seg].iov_len;
	}
	r->off -= n;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_unread);

/**
 * gomem_reader_move_to_end() - consume everything (GoMem MoveToEnd)
 * @r: the reader
 *
 * Context: any context.
 */
void gomem_reader_move_to_end(struct gomem_reader *r)
{
	r->seg = r->bufs->nr;
	r->off = 0;
	r->pos = r->bufs->size;
}
EXPORT_SYMBOL_GPL(gomem_reader_move_to_end);

/* Hand the next @n bytes to @fn piece by piece, consuming them. */
static int reader_range(struct gomem_reader *r, size_t n, gomem_piece_fn fn,
			void *arg)
{
	while (n) {
		const struct kvec *kv = reader_settle(r);
		size_t k = min(kv->iov_len - r->off, n);
		const u8 *p = (const u8 *)kv->iov_base + r->off;
		int ret;

		r->off += k;
		r->pos += k;
		n -= k;
		if (fn) {
			ret = fn(arg, p, k);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/**
 * gomem_reader_range() - consume the rest piece by piece (GoMem Range)
 * @r: the reader
 * @fn: called with each non-empty piece in order; NULL just moves to the end
 * @arg: passed to @fn
 *
 * A piece is consumed before @fn sees it: when @fn stops the walk, the
 * reader sits after that piece.
 *
 * Context: any context @fn allows.
 * Return: 0, or the non-zero value that @fn returned.
 */
int gomem_reader_range(struct gomem_reader *r, gomem_piece_fn fn, void *arg)
{
	return reader_range(r, gomem_reader_remaining(r), fn, arg);
}
EXPORT_SYMBOL_GPL(gomem_reader_range);

/**
 * gomem_reader_range_n() - consume the next @n bytes piece by piece
 * @r: the reader
 * @n: bytes to consume
 * @fn: called with each non-empty piece in order; NULL just skips
 * @arg: passed to @fn
 *
 * Like gomem_reader_range() over the next @n bytes only (GoMem RangeN, which
 * would consume a short tail instead of refusing).
 *
 * Context: any context @fn allows.
 * Return: 0; the non-zero value @fn returned; -ENODATA if fewer than @n
 * bytes are left (then @fn is not called and the reader does not move).
 */
int gomem_reader_range_n(struct gomem_reader *r, size_t n, gomem_piece_fn fn,
			 void *arg)
{
	if (n > gomem_reader_remaining(r))
		return -ENODATA;
	return reader_range(r, n, fn, arg);
}
EXPORT_SYMBOL_GPL(gomem_reader_range_n);

/**
 * gomem_reader_clip_front() - drop the segments read so far (GoMem ClipFront)
 * @r: the reader
 * @release: called with each consumed segment, e.g. to give it back to a
 *	pool; may be NULL
 * @arg: passed to @release
 *
 * Removes from the list every segment the reader has passed, whole, and
 * hands each to @release.  The segment the reader is inside stays in the
 * list, untouched, with the reader where it was in it: it goes at a later
 * clip, once read to its end.  (GoMem also clips the read front of that
 * segment; here that would hand a pool the head of a buffer whose rest is
 * still being read, and an arena gives back whole 32-byte granules, so
 * bytes not yet read could be overwritten.)  The reader's offset becomes
 * its offset inside that segment.  Zero-length segments before the reader
 * are dropped without a call.  Other readers over the list must be set up
 * again.  A buffer pushed twice is released twice: gomem_bufs_push_many()
 * and gomem_bufs_append() refuse the list's own segments for that reason.
 *
 * Context: any context @release allows.
 */
void gomem_reader_clip_front(struct gomem_reader *r, gomem_release_fn release,
			     void *arg)
{
	struct gomem_bufs *b = r->bufs;
	unsigned int drop = r->seg, i;
	size_t off = r->off;

	/* A segment read to its very end counts as passed. */
	if (r->seg < b->nr && off && off == b->segs[r->seg].iov_len) {
		drop++;
		off = 0;
	}
	if (!drop)
		return;
	for (i = 0; i < drop; i++) {
		struct kvec *kv = &b->segs[i];

		if (kv->iov_len && release)
			release(arg, kv->iov_base, kv->iov_len);
	}
	memmove(b->segs, b->segs + drop, (b->nr - drop) * sizeof(*b->segs));
	b->nr -= drop;
	b->size -= r->pos - off;
	r->seg = 0;
	r->off = off;
	r->pos = off;
}
EXPORT_SYMBOL_GPL(gomem_reader_clip_front);

/**
 * gomem_reader_peek() - look at the next @n bytes without consuming them
 * @r: the reader
 * @n: bytes wanted, at least 1
 * @buf: room for @n bytes, used only when they straddle segments; may be
 *	NULL to accept only the zero-copy case
 *
 * Zero copy when the bytes are contiguous in one segment, as
 * skb_header_pointer() does for skbs.
 *
 * Context: any context.
 * Return: a pointer to the @n bytes, inside a segment or @buf; NULL if @n
 * is 0, if fewer than @n bytes are left, or if they straddle segments and
 * @buf is NULL.
 */
const void *gomem_reader_peek(const struct gomem_reader *r, size_t n,
			      void *buf)
{
	struct gomem_reader tmp = *r;
	const struct kvec *kv;

	if (!n || n > gomem_reader_remaining(r))
		return NULL;
	kv = reader_settle(&tmp);
	if (kv->iov_len - tmp.off >= n)
		return (const u8 *)kv->iov_base + tmp.off;
	if (!buf)
		return NULL;
	reader_advance(&tmp, buf, n);
	return buf;
}
EXPORT_SYMBOL_GPL(gomem_reader_peek);

/**
 * gomem_reader_pull() - consume the next @n bytes, zero copy if contiguous
 * @r: the reader
 * @n: bytes wanted, at least 1
 * @buf: as for gomem_reader_peek()
 *
 * gomem_reader_peek() followed, on success, by gomem_reader_skip().
 *
 * Context: any context.
 * Return: as for gomem_reader_peek(); the reader moves only on success.
 */
const void *gomem_reader_pull(struct gomem_reader *r, size_t n, void *buf)
{
	const u8 *p;
	size_t avail;

	if (!n || n > gomem_reader_remaining(r))
		return NULL;
	p = reader_cur(r, &avail);
	if (likely(avail >= n)) {
		r->off += n;
		r->pos += n;
		return p;
	}
	if (!buf)
		return NULL;
	reader_advance(r, buf, n);
	return buf;
}
EXPORT_SYMBOL_GPL(gomem_reader_pull);

/**
 * gomem_reader_pieces() - describe the next @n bytes without copying
 * @r: the reader
 * @n: bytes wanted
 * @vec: filled with the pieces, in order, none of them empty
 * @max: entries available at @vec
 *
 * The reader does not move; gomem_reader_skip() consumes the bytes.
 *
 * Context: any context.
 * Return: the number of pieces (0 when @n is 0); -ENODATA if fewer than @n
 * bytes are left; -E2BIG if they span more than @max pieces.
 */
int gomem_reader_pieces(const struct gomem_reader *r, size_t n,
			struct kvec *vec, unsigned int max)
{
	struct gomem_reader tmp = *r;
	unsigned int nr = 0;

	if (n > gomem_reader_remaining(r))
		return -ENODATA;
	while (n) {
		const struct kvec *kv = reader_settle(&tmp);
		size_t k = min(kv->iov_len - tmp.off, n);

		if (nr == max)
			return -E2BIG;
		vec[nr].iov_base = (u8 *)kv->iov_base + tmp.off;
		vec[nr].iov_len = k;
		nr++;
		tmp.off += k;
		n -= k;
	}
	return nr;
}
EXPORT_SYMBOL_GPL(gomem_reader_pieces);

/**
 * gomem_reader_iov_iter() - an ITER_KVEC iov_iter over the remaining bytes
 * @r: the reader
 * @iter: the iterator to set up
 * @direction: %ITER_SOURCE to read the list's bytes (copy_from_iter(),
 *	csum_and_copy_from_iter(), skb_copy_datagram_from_iter()), or
 *	%ITER_DEST to write into its buffers (copy_to_iter())
 *
 * The iterator walks the list's own kvec array in place: nothing is copied
 * or allocated.  It does not move the reader: gomem_reader_skip() the bytes
 * the iterator consumed (iov_iter_count() tells how many are left).  Use
 * iov_iter_truncate() to limit it to fewer bytes.  The list must not change
 * while the iterator is in use.
 *
 * Context: any context.
 * Return: the number of bytes the iterator covers, gomem_reader_remaining().
 */
size_t gomem_reader_iov_iter(const struct gomem_reader *r,
			     struct iov_iter *iter, unsigned int direction)
{
	const struct gomem_bufs *b = r->bufs;

	/* The segments from @seg on hold @off + remaining bytes (inv. 3). */
	iov_iter_kvec(iter, direction, b->segs + r->seg, b->nr - r->seg,
		      r->off + gomem_reader_remaining(r));
	iov_iter_advance(iter, r->off);
	return iov_iter_count(iter);
}
EXPORT_SYMBOL_GPL(gomem_reader_iov_iter);

/**
 * gomem_reader_check() - verify a reader and its list
 * @r: the reader
 *
 * Checks invariants 1) to 3) of the overview, in O(segments).  Meant for
 * tests and debugging.
 *
 * Context: any context.
 * Return: 0 if they hold, -EUCLEAN if not.
 */
int gomem_reader_check(const struct gomem_reader *r)
{
	const struct gomem_bufs *b = r->bufs;
	size_t size = 0, before = 0;
	unsigned int i;

	bool inline_array = b->segs == b->inline_segs;
	bool inline_cap = b->cap == GOMEM_BUFS_INLINE;

	if (b->nr > b->cap || inline_array != inline_cap)
		return -EUCLEAN;
	for (i = 0; i < b->nr; i++) {
		const struct kvec *kv = &b->segs[i];

		if (!kv->iov_base && kv->iov_len)
			return -EUCLEAN;
		if (kv->iov_len > SIZE_MAX - size)
			return -EUCLEAN;
		if (i == r->seg)
			before = size;
		size += kv->iov_len;
	}
	if (size != b->size || r->seg > b->nr)
		return -EUCLEAN;
	if (r->seg == b->nr) {
		if (r->off || r->pos != size)
			return -EUCLEAN;
		return 0;
	}
	if (r->off > b->segs[r->seg].iov_len || r->pos != before + r->off)
		return -EUCLEAN;
	return 0;
}
EXPORT_SYMBOL_GPL(gomem_reader_check);
