// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for gomem_reader.c: the input picks some bytes, cuts
 * them into segments (each its own heap block, so ASan sees any read past
 * a segment; empty segments included), then drives random reader
 * operations.  Every result is compared with a reader over the same bytes
 * held flat, written here independently; any difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/uio.h>
#include <gomem/reader.h>
#include "fuzz_input.h"

extern int gomem_quiet_caller_bugs;

/* Injected failures of the list's growth (fuzz_input.h), per input. */
static unsigned int fail_rate;

#define MAX_DATA	4096
#define MAX_SEGS	512

/* The flat reference: all bytes ever pushed, minus the clipped front. */
struct flat {
	u8 d[MAX_DATA];
	size_t n, pos;
};

#define FAIL(fmt, ...) do {						\
	fprintf(stderr, "reader_fuzz: line %d: " fmt "\n", __LINE__,	\
		##__VA_ARGS__);						\
	abort();							\
} while (0)

#define SAME(a, b) do {							\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		FAIL("%s = %lld, %s = %lld", #a, __a, #b, __b);		\
} while (0)

struct state {
	struct gomem_bufs b;
	struct gomem_reader r;
	struct flat f;
	void *blocks[MAX_SEGS];
	unsigned int nblocks;
	u8 released[MAX_DATA];
	size_t nreleased;
};

/* Push @len bytes of @src as one heap segment of exactly that size. */
static void push_seg(struct state *s, const u8 *src, size_t len)
{
	void *blk = NULL;
	int ret;

	if (s->nblocks == MAX_SEGS || s->f.n + len > MAX_DATA)
		return;
	if (len) {
		blk = malloc(len);
		memcpy(blk, src, len);
		s->blocks[s->nblocks++] = blk;
	}
	ret = gomem_bufs_push(&s->b, blk, len, GFP_KERNEL);
	if (ret && fail_rate) {
		/* An injected failure: -ENOMEM, the list unchanged. */
		SAME(ret, -ENOMEM);
		if (len)
			free(s->blocks[--s->nblocks]);
		return;
	}
	SAME(ret, 0);
	memcpy(s->f.d + s->f.n, src, len);
	s->f.n += len;
}

/* Push @len bytes from the input, cut into segments the input chooses. */
static void push_cut(struct state *s, struct in *in, size_t len)
{
	u8 tmp[MAX_DATA];
	size_t i, at = 0;

	for (i = 0; i < len; i++)
		tmp[i] = take(in);
	while (at < len) {
		size_t k = take(in) % 19;

		if (k > len - at || !in->n)
			k = len - at;
		push_seg(s, tmp + at, k);
		at += k;
	}
}

static int ref_leb128(const struct flat *f, u64 *out, unsigned int *len)
{
	unsigned __int128 v = 0;
	unsigned int i;

	for (i = 0;; i++) {
		u8 byte;

		if (i == GOMEM_LEB128_MAX)
			return -EOVERFLOW;	/* an eleventh byte */
		if (f->pos + i == f->n)
			return -ENODATA;
		byte = f->d[f->pos + i];
		v |= (unsigned __int128)(byte & 0x7f) << (7 * i);
		if (!(byte & 0x80))
			break;
	}
	if (v > U64_MAX)
		return -EOVERFLOW;
	*out = v;
	*len = i + 1;
	return 0;
}

struct gather {
	u8 d[MAX_DATA];
	size_t n;
	unsigned int calls, stop;
};

static int gather_piece(void *arg, const void *p, size_t len)
{
	struct gather *g = arg;

	if (!len)
		FAIL("empty piece");
	memcpy(g->d + g->n, p, len);
	g->n += len;
	return ++g->calls == g->stop ? 5 : 0;
}

static void release_piece(void *arg, void *p, size_t len)
{
	struct state *s = arg;

	if (!len)
		FAIL("empty release");
	memcpy(s->released + s->nreleased, p, len);
	s->nreleased += len;
}

static void one_op(struct state *s, struct in *in)
{
	struct flat *f = &s->f;
	size_t left = f->n - f->pos, k = take(in), i;
	struct gather g = { .n = 0 };
	u8 buf[300], x;
	struct kvec vec[8];
	struct iov_iter it;
	const u8 *p;
	unsigned int len, rlen;
	u64 v, rv;
	long ret;
	int rret;

	switch (take(in) % 18) {
	case 0:
		ret = gomem_reader_read(&s->r, buf, k);
		SAME(ret, !k ? 0 : !left ? -ENODATA : (long)min(k, left));
		if (ret > 0 && memcmp(buf, f->d + f->pos, ret))
			FAIL("read bytes");
		if (ret > 0)
			f->pos += ret;
		break;
	case 1:
		ret = gomem_reader_read_full(&s->r, buf, k);
		SAME(ret, k <= left ? 0 : -ENODATA);
		if (!ret && memcmp(buf, f->d + f->pos, k))
			FAIL("read_full bytes");
		if (!ret)
			f->pos += k;
		break;
	case 2:
		ret = gomem_reader_read_u8(&s->r, &x);
		SAME(ret, left ? 0 : -ENODATA);
		if (!ret)
			SAME(x, f->d[f->pos++]);
		break;
	case 3:
	case 4:
		k %= 10;	/* 0 and 9 are caller bugs */
		ret = (take(in) & 1) ? gomem_reader_read_be(&s->r, k, &v) :
				       gomem_reader_read_le(&s->r, k, &v);
		if (k < 1 || k > 8) {
			SAME(ret, -EINVAL);
			break;
		}
		SAME(ret, k <= left ? 0 : -ENODATA);
		if (ret)
			break;
		/* The byte order is told by comparing with both. */
		for (rv = 0, i = 0; i < k; i++)
			rv = rv << 8 | f->d[f->pos + i];
		if (v != rv) {
			for (rv = 0, i = k; i-- > 0;)
				rv = rv << 8 | f->d[f->pos + i];
			SAME(v, rv);
		}
		f->pos += k;
		break;
	case 5:
	case 6:
		rret = ref_leb128(f, &rv, &rlen);
		ret = gomem_reader_read_leb128(&s->r, &v, &len);
		SAME(ret, rret);
		if (!ret) {
			SAME(v, rv);
			SAME(len, rlen);
			f->pos += len;
		}
		break;
	case 7:
		k = k * 7 % 700;
		ret = gomem_reader_skip(&s->r, k);
		SAME(ret, k <= left ? 0 : -ENODATA);
		if (!ret)
			f->pos += k;
		break;
	case 8:
		k = k * 5 % 700;
		ret = gomem_reader_unread(&s->r, k);
		SAME(ret, k <= f->pos ? 0 : -EINVAL);
		if (!ret)
			f->pos -= k;
		break;
	case 9:
		g.stop = take(in) % 4;
		ret = gomem_reader_range(&s->r, gather_piece, &g);
		SAME(ret, g.stop && g.calls == g.stop ? 5 : 0);
		if (memcmp(g.d, f->d + f->pos, g.n))
			FAIL("range bytes");
		f->pos += g.n;
		if (!ret)
			SAME(f->pos, f->n);
		break;
	case 10:
		ret = gomem_reader_range_n(&s->r, k, gather_piece, &g);
		SAME(ret, k <= left ? 0 : -ENODATA);
		if (!ret) {
			SAME(g.n, k);
			if (memcmp(g.d, f->d + f->pos, k))
				FAIL("range_n bytes");
			f->pos += k;
		}
		break;
	case 11:
	case 12:
		p = (take(in) & 1) ? gomem_reader_peek(&s->r, k, buf) :
				     gomem_reader_pull(&s->r, k, buf);
		if (!k || k > left) {
			if (p)
				FAIL("peek/pull of %zu with %zu left", k, left);
			break;
		}
		if (!p || memcmp(p, f->d + f->pos, k))
			FAIL("peek/pull bytes");
		if (gomem_reader_offset(&s->r) != f->pos)
			f->pos += k;	/* it was a pull */
		p = gomem_reader_peek(&s->r, k, NULL);
		if (p && (k > f->n - f->pos || memcmp(p, f->d + f->pos, k)))
			FAIL("zero-copy peek bytes");
		break;
	case 13:
		ret = gomem_reader_pieces(&s->r, k, vec, ARRAY_SIZE(vec));
		if (k > left) {
			SAME(ret, -ENODATA);
			break;
		}
		if (ret == -E2BIG)
			break;
		if (ret < 0 || (k && !ret))
			FAIL("pieces: %ld", ret);
		for (i = 0; i < (size_t)ret; i++) {
			if (!vec[i].iov_len)
				FAIL("empty piece");
			memcpy(g.d + g.n, vec[i].iov_base, vec[i].iov_len);
			g.n += vec[i].iov_len;
		}
		SAME(g.n, k);
		if (memcmp(g.d, f->d + f->pos, k))
			FAIL("pieces bytes");
		break;
	case 14:
		SAME(gomem_reader_iov_iter(&s->r, &it, ITER_SOURCE), left);
		iov_iter_truncate(&it, k);
		SAME(copy_from_iter(g.d, MAX_DATA, &it), min(k, left));
		if (memcmp(g.d, f->d + f->pos, min(k, left)))
			FAIL("iov_iter bytes");
		break;
	case 15:
		s->nreleased = 0;
		gomem_reader_clip_front(&s->r, release_piece, s);
		/* Whole segments go; the reader keeps its place in the rest. */
		if (s->nreleased > f->pos)
			FAIL("released more than was read");
		SAME(gomem_reader_offset(&s->r), f->pos - s->nreleased);
		if (memcmp(s->released, f->d, s->nreleased))
			FAIL("released bytes");
		memmove(f->d, f->d + s->nreleased, f->n - s->nreleased);
		f->n -= s->nreleased;
		f->pos -= s->nreleased;
		break;
	case 16:
		push_cut(s, in, k % 40);
		break;
	case 17:
		if (k & 1)
			gomem_reader_move_to_end(&s->r);
		else
			gomem_reader_init(&s->r, &s->b);
		f->pos = k & 1 ? f->n : 0;
		break;
	}
	SAME(gomem_reader_offset(&s->r), f->pos);
	SAME(gomem_reader_remaining(&s->r), f->n - f->pos);
	SAME(gomem_bufs_size(&s->b), f->n);
	SAME(gomem_reader_check(&s->r), 0);
}

/* libFuzzer's entry point, under a name that follows kernel style. */
int reader_fuzz_one(const u8 *data, size_t size)
	__asm__("LLVMFuzzerTestOneInput");

int reader_fuzz_one(const u8 *data, size_t size)
{
	static struct state s;
	struct in in = { data, size };
	struct gomem_bufs one;
	u8 flat[MAX_DATA];
	unsigned int i;

	gomem_quiet_caller_bugs = 1;
	memset(&s.f, 0, sizeof(s.f));
	s.nblocks = 0;
	gomem_bufs_init(&s.b);
	i = take16(&in);
	/* Bits 10 to 13 of the first length: the rate of failures. */
	fail_rate = fuzz_fail_rate(i >> 10);
	push_cut(&s, &in, i % 1024);
	gomem_reader_init(&s.r, &s.b);
	while (in.n)
		one_op(&s, &in);

	fail_rate = 0;
	gomem_shim_fail_reset(0, 1);
	/* The whole list against the flat bytes, differently segmented. */
	SAME(gomem_bufs_copy_to(&s.b, flat, sizeof(flat)), s.f.n);
	if (memcmp(flat, s.f.d, s.f.n))
		FAIL("copy_to bytes");
	gomem_bufs_init(&one);
	gomem_bufs_push(&one, s.f.d, s.f.n, GFP_KERNEL);
	if (!gomem_bufs_equal(&s.b, &one))
		FAIL("equal");
	if (s.f.n) {
		s.f.d[s.f.n / 2] ^= 0x40;
		if (gomem_bufs_equal(&s.b, &one))
			FAIL("equal despite a changed byte");
	}
	gomem_bufs_fini(&one);
	gomem_bufs_fini(&s.b);
	for (i = 0; i < s.nblocks; i++)
		free(s.blocks[i]);
	return 0;
}
