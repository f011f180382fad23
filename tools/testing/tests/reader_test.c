// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of gomem_reader.c (built with ASan + UBSan): GoMem's
 * TestMemory and TestMemoryReader, then the edge cases of issue 5, then a
 * seeded random comparison against the same bytes held flat.
 */
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/uio.h>
#include <gomem/reader.h>
#include "harness.h"

extern int gomem_quiet_caller_bugs;

#define CHECK(r) EXPECT_EQ(gomem_reader_check(r), 0)

/* Build @b over @data split at the offsets in @cuts (ascending, < n). */
static void split(struct gomem_bufs *b, u8 *data, size_t n,
		  const size_t *cuts, unsigned int ncuts)
{
	size_t start = 0;
	unsigned int i;

	gomem_bufs_init(b);
	for (i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : n;

		EXPECT_EQ(gomem_bufs_push(b, data + start, end - start,
					  GFP_KERNEL), 0);
		start = end;
	}
}

/*
 * Same reader position.  A failed call may still step the cursor over
 * exhausted segments (the same byte offset, invariant 3), so compare the
 * offset and require the invariants.
 */
static bool same_pos(const struct gomem_reader *a,
		     const struct gomem_reader *b)
{
	return a->pos == b->pos && !gomem_reader_check(a);
}

/* GoMem TestMemory: NewMemory, PushOne, Reset. */
static void test_gomem_memory(void)
{
	u8 buf[] = { 1, 2, 3, 4, 5 }, more[] = { 6, 7 };
	struct gomem_bufs b;

	gomem_bufs_init(&b);
	EXPECT_EQ(gomem_bufs_push(&b, buf, sizeof(buf), GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_size(&b), 5);
	EXPECT_EQ(gomem_bufs_count(&b), 1);
	EXPECT_EQ(gomem_bufs_push(&b, more, sizeof(more), GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_size(&b), 7);
	EXPECT_EQ(gomem_bufs_count(&b), 2);
	gomem_bufs_reset(&b);
	EXPECT_EQ(gomem_bufs_size(&b), 0);
	EXPECT_EQ(gomem_bufs_count(&b), 0);
	gomem_bufs_fini(&b);
}

/* GoMem TestMemoryReader: two buffers read back in one Read. */
static void test_gomem_memory_reader(void)
{
	u8 b1[] = { 1, 2, 3 }, b2[] = { 4, 5, 6 }, out[6];
	struct kvec v[] = { { b1, 3 }, { b2, 3 } };
	struct gomem_reader r;
	struct gomem_bufs b;
	int i;

	gomem_bufs_init(&b);
	EXPECT_EQ(gomem_bufs_push_many(&b, v, 2, GFP_KERNEL), 0);
	gomem_reader_init(&r, &b);
	EXPECT_EQ(gomem_reader_remaining(&r), 6);
	EXPECT_EQ(gomem_reader_read(&r, out, 6), 6);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(out[i], i + 1);
	EXPECT_EQ(gomem_reader_read(&r, out, 1), -ENODATA);
	CHECK(&r);
	gomem_bufs_fini(&b);
}

/* 100 segments: the array leaves its inline room, content stays in order. */
static void test_growth(void)
{
	u8 data[100], flat[100];
	struct gomem_bufs b;
	int i;

	gomem_bufs_init(&b);
	for (i = 0; i < 100; i++) {
		data[i] = i;
		EXPECT_EQ(gomem_bufs_push(&b, &data[i], 1, GFP_KERNEL), 0);
	}
	EXPECT_EQ(gomem_bufs_count(&b), 100);
	EXPECT(b.segs != b.inline_segs, "array should have grown");
	EXPECT_EQ(gomem_bufs_copy_to(&b, flat, sizeof(flat)), 100);
	EXPECT(!memcmp(flat, data, 100), "content");
	EXPECT_EQ(gomem_bufs_copy_to(&b, flat, 7), 7);
	gomem_bufs_fini(&b);
	EXPECT_EQ(gomem_bufs_count(&b), 0);
}

/* Bad segments are refused and the list is left alone. */
static void test_bad_push(void)
{
	u8 x[4] = { 0 };
	struct kvec v[] = { { x, 4 }, { NULL, 3 } };
	unsigned long warn = gomem_shim_warnings;
	struct gomem_bufs b;

	gomem_bufs_init(&b);
	EXPECT_EQ(gomem_bufs_push(&b, NULL, 0, GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_push(&b, NULL, 1, GFP_KERNEL), -EINVAL);
	EXPECT_EQ(gomem_shim_warnings, warn + 1);
	EXPECT_EQ(gomem_bufs_push_many(&b, v, 2, GFP_KERNEL), -EINVAL);
	EXPECT_EQ(gomem_bufs_count(&b), 1);
	EXPECT_EQ(gomem_bufs_size(&b), 0);
	EXPECT_EQ(gomem_bufs_push(&b, x, SIZE_MAX, GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_push(&b, x, 1, GFP_KERNEL), -EOVERFLOW);
	EXPECT_EQ(gomem_bufs_count(&b), 2);
	EXPECT_EQ(gomem_bufs_replace(&b, 2, x, 1), -EINVAL);
	EXPECT_EQ(gomem_bufs_replace(&b, -3, x, 1), -EINVAL);
	EXPECT_EQ(gomem_bufs_size(&b), SIZE_MAX);
	gomem_bufs_fini(&b);
}

/* Append (also to itself), equal across segmentations, replace. */
static void test_append_equal_replace(void)
{
	u8 d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, e[8], flat[16];
	size_t c1[] = { 3 }, c2[] = { 1, 2, 5, 7 };
	struct gomem_bufs a, b, c;
	int i;

	split(&a, d, 8, c1, 1);
	split(&b, d, 8, c2, 4);
	EXPECT(gomem_bufs_equal(&a, &b), "same bytes, other cuts");
	memcpy(e, d, 8);
	e[6] ^= 1;
	split(&c, e, 8, c1, 1);
	EXPECT(!gomem_bufs_equal(&a, &c), "byte 6 differs");
	EXPECT_EQ(gomem_bufs_replace(&c, -1, d + 3, 5), 0);
	EXPECT(gomem_bufs_equal(&a, &c), "after replacing the tail");
	EXPECT_EQ(gomem_bufs_replace(&c, 0, d, 2), 0);
	EXPECT_EQ(gomem_bufs_size(&c), 7);
	EXPECT(!gomem_bufs_equal(&a, &c), "sizes differ");

	EXPECT_EQ(gomem_bufs_append(&a, &b, GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_count(&a), 7);
	EXPECT_EQ(gomem_bufs_append(&a, &a, GFP_KERNEL), 0);
	EXPECT_EQ(gomem_bufs_count(&a), 14);
	EXPECT_EQ(gomem_bufs_size(&a), 32);
	EXPECT_EQ(gomem_bufs_copy_to(&a, flat, 16), 16);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(flat[i], d[i % 8]);
	gomem_bufs_fini(&a);
	gomem_bufs_fini(&b);
	gomem_bufs_fini(&c);
}

/*
 * Empty segments everywhere:  [] [a] [] [] [b c] []
 * Every read steps over them; no callback sees an empty piece.
 */
static int count_piece(void *arg, const void *p, size_t len)
{
	size_t *n = arg;

	EXPECT(len > 0, "empty piece");
	n[0]++;
	n[1] += len;
	return 0;
}

static void test_empty_segments(void)
{
	u8 a = 'a', bc[2] = { 'b', 'c' }, x, buf[3];
	struct gomem_reader r, save;
	struct gomem_bufs b;
	struct kvec v[4];
	size_t acc[2] = { 0, 0 };
	u64 val;

	gomem_bufs_init(&b);
	gomem_bufs_push(&b, NULL, 0, GFP_KERNEL);
	gomem_bufs_push(&b, &a, 1, GFP_KERNEL);
	gomem_bufs_push(&b, bc, 0, GFP_KERNEL);
	gomem_bufs_push(&b, NULL, 0, GFP_KERNEL);
	gomem_bufs_push(&b, bc, 2, GFP_KERNEL);
	gomem_bufs_push(&b, NULL, 0, GFP_KERNEL);
	gomem_reader_init(&r, &b);
	EXPECT_EQ(gomem_reader_remaining(&r), 3);
	EXPECT_EQ(gomem_reader_pieces(&r, 3, v, 4), 2);
	EXPECT(v[0].iov_base == &a && v[0].iov_len == 1, "piece 0");
	EXPECT(v[1].iov_base == bc && v[1].iov_len == 2, "piece 1");
	EXPECT_EQ(gomem_reader_read_be(&r, 2, &val), 0);
	EXPECT_EQ(val, 'a' << 8 | 'b');
	EXPECT_EQ(gomem_reader_unread(&r, 2), 0);
	CHECK(&r);
	EXPECT_EQ(gomem_reader_read_u8(&r, &x), 0);
	EXPECT_EQ(x, 'a');
	EXPECT_EQ(gomem_reader_read_u8(&r, &x), 0);
	EXPECT_EQ(x, 'b');
	EXPECT_EQ(gomem_reader_read_u8(&r, &x), 0);
	EXPECT_EQ(x, 'c');
	save = r;
	EXPECT_EQ(gomem_reader_read_u8(&r, &x), -ENODATA);
	EXPECT(same_pos(&r, &save), "moved on error");
	EXPECT_EQ(gomem_reader_unread(&r, 3), 0);
	EXPECT_EQ(gomem_reader_read(&r, buf, 3), 3);
	EXPECT(!memcmp(buf, "abc", 3), "abc");
	EXPECT_EQ(gomem_reader_unread(&r, 3), 0);
	EXPECT_EQ(gomem_reader_range(&r, count_piece, acc), 0);
	EXPECT(acc[0] == 2 && acc[1] == 3, "pieces %zu bytes %zu", acc[0],
	       acc[1]);
	CHECK(&r);
	gomem_bufs_fini(&b);
}

/* 64 one-byte segments: integers and unreads cross seven boundaries. */
static void test_one_byte_segments(void)
{
	u8 d[64];
	struct gomem_reader r;
	struct gomem_bufs b;
	u64 v;
	int i;

	gomem_bufs_init(&b);
	for (i = 0; i < 64; i++) {
		d[i] = 0x10 + i;
		gomem_bufs_push(&b, &d[i], 1, GFP_KERNEL);
	}
	gomem_reader_init(&r, &b);
	EXPECT_EQ(gomem_reader_skip(&r, 3), 0);
	EXPECT_EQ(gomem_reader_read_be(&r, 8, &v), 0);
	EXPECT_EQ(v, 0x131415161718191aULL);
	EXPECT_EQ(gomem_reader_unread(&r, 8), 0);
	EXPECT_EQ(gomem_reader_read_le(&r, 8, &v), 0);
	EXPECT_EQ(v, 0x1a19181716151413ULL);
	EXPECT_EQ(gomem_reader_offset(&r), 11);
	EXPECT_EQ(gomem_reader_unread(&r, 11), 0);
	EXPECT_EQ(gomem_reader_offset(&r), 0);
	EXPECT(!gomem_reader_peek(&r, 2, NULL), "straddles");
	EXPECT(gomem_reader_peek(&r, 1, NULL) == &d[0], "zero copy");
	EXPECT_EQ(gomem_reader_skip(&r, 64), 0);
	EXPECT_EQ(gomem_reader_remaining(&r), 0);
	CHECK(&r);
	gomem_bufs_fini(&b);
}

/* Every split of 8 bytes, every width: BE and LE match a flat decode. */
static void test_int_straddle(void)
{
	u8 d[9] = { 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x09 };
	unsigned int n, i;
	size_t cut;

	for (cut = 0; cut <= 9; cut++) {
		for (n = 1; n <= 8; n++) {
			struct gomem_reader r, save;
			struct gomem_bufs b;
			u64 be = 0, le = 0, v;

			for (i = 0; i < n; i++) {
				be = be << 8 | d[1 + i];
				le |= (u64)d[1 + i] << (8 * i);
			}
			split(&b, d, 9, &cut, 1);
			gomem_reader_init(&r, &b);
			gomem_reader_skip(&r, 1);
			EXPECT_EQ(gomem_reader_read_be(&r, n, &v), 0);
			EXPECT(v == be, "cut %zu n %u", cut, n);
			gomem_reader_unread(&r, n);
			EXPECT_EQ(gomem_reader_read_le(&r, n, &v), 0);
			EXPECT(v == le, "cut %zu n %u", cut, n);
			CHECK(&r);
			save = r;
			EXPECT_EQ(gomem_reader_read_be(&r, 9 - n, &v),
				  -ENODATA);
			EXPECT(same_pos(&r, &save), "moved");
			gomem_bufs_fini(&b);
		}
	}
}

/* Widths outside 1..8 are caller bugs: -EINVAL, a warning, no move. */
static void test_int_bad_width(void)
{
	u8 d[16] = { 0 };
	unsigned long warn = gomem_shim_warnings;
	struct gomem_reader r, save;
	struct gomem_bufs b;
	u64 v = 42;

	split(&b, d, 16, NULL, 0);
	gomem_reader_init(&r, &b);
	save = r;
	EXPECT_EQ(gomem_reader_read_be(&r, 0, &v), -EINVAL);
	EXPECT_EQ(gomem_reader_read_le(&r, 9, &v), -EINVAL);
	EXPECT_EQ(gomem_shim_warnings, warn + 2);
	EXPECT(same_pos(&r, &save) && v == 42, "untouched");
	EXPECT_EQ(gomem_reader_unread(&r, 1), -EINVAL);
	EXPECT(same_pos(&r, &save), "unread past start moved");
	gomem_bufs_fini(&b);
}

struct leb_case {
	const char *name;
	u8 enc[12];
	unsigned int len;
	int ret;
	u64 val;
	unsigned int used;
};

static const struct leb_case leb_cases[] = {
	{ "zero", { 0x00 }, 1, 0, 0, 1 },
	{ "max1", { 0x7f }, 1, 0, 127, 1 },
	{ "624485", { 0xe5, 0x8e, 0x26 }, 3, 0, 624485, 3 },
	{ "padded zero", { 0x80, 0x80, 0x00 }, 3, 0, 0, 3 },
	{ "trailing", { 0x01, 0xff }, 2, 0, 1, 1 },
	{ "u32 max", { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5, 0, 0xffffffffULL, 5 },
	{ "u64 max", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		       0x01 }, 10, 0, U64_MAX, 10 },
	{ "bit 63", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		      0x01 }, 10, 0, 1ULL << 63, 10 },
	{ "bit 64", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		      0x02 }, 10, -EOVERFLOW, 0, 0 },
	{ "11 bytes", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
			0x80, 0x00 }, 11, -EOVERFLOW, 0, 0 },
	{ "truncated 1", { 0x80 }, 1, -ENODATA, 0, 0 },
	{ "truncated 9", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff }, 9, -ENODATA, 0, 0 },
	{ "empty", { 0 }, 0, -ENODATA, 0, 0 },
};

/* Each encoding at every split point, after one byte of prefix. */
static void test_leb128(void)
{
	unsigned int i, used;
	size_t cut;

	for (i = 0; i < ARRAY_SIZE(leb_cases); i++) {
		const struct leb_case *c = &leb_cases[i];
		u8 d[13];

		d[0] = 0xaa;
		memcpy(d + 1, c->enc, c->len);
		for (cut = 0; cut <= c->len + 1; cut++) {
			struct gomem_reader r, save;
			struct gomem_bufs b;
			u64 v = 7;
			int ret;

			split(&b, d, c->len + 1, &cut, 1);
			gomem_reader_init(&r, &b);
			gomem_reader_skip(&r, 1);
			save = r;
			used = 99;
			ret = gomem_reader_read_leb128(&r, &v, &used);
			EXPECT(ret == c->ret, "%s cut %zu: ret %d", c->name,
			       cut, ret);
			if (!c->ret) {
				EXPECT(v == c->val && used == c->used,
				       "%s cut %zu: %llu/%u", c->name, cut,
				       (unsigned long long)v, used);
				EXPECT_EQ(gomem_reader_offset(&r), 1 + used);
			} else {
				EXPECT(same_pos(&r, &save) && v == 7 &&
				       used == 99, "%s moved", c->name);
			}
			CHECK(&r);
			gomem_bufs_fini(&b);
		}
	}
}

/* Reads stop short at the end, then report the end. */
static void test_short_read(void)
{
	u8 d[10], out[16];
	size_t cuts[] = { 4 };
	struct gomem_reader r;
	struct gomem_bufs b;

	memset(d, 5, sizeof(d));
	split(&b, d, 10, cuts, 1);
	gomem_reader_init(&r, &b);
	EXPECT_EQ(gomem_reader_read(&r, out, 0), 0);
	EXPECT_EQ(gomem_reader_read(&r, out, 3), 3);
	EXPECT_EQ(gomem_reader_read_full(&r, out, 8), -ENODATA);
	EXPECT_EQ(gomem_reader_offset(&r), 3);
	EXPECT_EQ(gomem_reader_skip(&r, 8), -ENODATA);
	EXPECT_EQ(gomem_reader_range_n(&r, 8, NULL, NULL), -ENODATA);
	EXPECT_EQ(gomem_reader_pieces(&r, 8, NULL, 0), -ENODATA);
	EXPECT(!gomem_reader_peek(&r, 8, out), "peek past end");
	EXPECT_EQ(gomem_reader_offset(&r), 3);
	EXPECT_EQ(gomem_reader_read(&r, out, 16), 7);
	EXPECT_EQ(gomem_reader_read(&r, out, 16), -ENODATA);
	EXPECT_EQ(gomem_reader_read(&r, out, 0), 0);
	gomem_bufs_fini(&b);
}

struct released {
	u8 bytes[64];
	size_t n;
	unsigned int calls;
};

static void release_piece(void *arg, void *buf, size_t len)
{
	struct released *rel = arg;

	memcpy(rel->bytes + rel->n, buf, len);
	rel->n += len;
	rel->calls++;
}

/*
 * Clip after partial reads:   [0 1 2 3][4 5 6 7][8 9 10 11]
 *                                          ^ read 6
 * releases [0..3] only, leaves [4..7][8..11] with the reader at offset 2:
 * the segment being read stays whole until it is read through.
 */
static void test_clip_front(void)
{
	size_t cuts[] = { 4, 8 };
	struct released rel = { .n = 0 };
	struct gomem_reader r;
	struct gomem_bufs b;
	u8 d[12], x;
	u64 v;
	int i;

	for (i = 0; i < 12; i++)
		d[i] = i;
	split(&b, d, 12, cuts, 2);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 6);
	gomem_reader_clip_front(&r, release_piece, &rel);
	EXPECT_EQ(rel.calls, 1);
	EXPECT_EQ(rel.n, 4);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(rel.bytes[i], i);
	EXPECT_EQ(gomem_bufs_count(&b), 2);
	EXPECT_EQ(gomem_bufs_size(&b), 8);
	EXPECT_EQ(gomem_reader_offset(&r), 2);
	EXPECT_EQ(gomem_reader_unread(&r, 3), -EINVAL);
	CHECK(&r);
	EXPECT_EQ(gomem_reader_read_be(&r, 3, &v), 0);
	EXPECT_EQ(v, 0x060708);
	/* At a segment's end: the whole segment goes. */
	gomem_reader_unread(&r, 1);
	gomem_reader_clip_front(&r, release_piece, &rel);
	EXPECT_EQ(gomem_bufs_count(&b), 1);
	EXPECT_EQ(rel.n, 8);
	EXPECT_EQ(gomem_reader_read_u8(&r, &x), 0);
	EXPECT_EQ(x, 8);
	/* Nothing read since: nothing released. */
	gomem_reader_unread(&r, 1);
	gomem_reader_clip_front(&r, release_piece, &rel);
	EXPECT_EQ(rel.calls, 2);
	/* At the end: everything goes. */
	gomem_reader_move_to_end(&r);
	gomem_reader_clip_front(&r, release_piece, &rel);
	EXPECT_EQ(rel.n, 12);
	EXPECT_EQ(gomem_bufs_count(&b), 0);
	EXPECT_EQ(gomem_bufs_size(&b), 0);
	CHECK(&r);
	for (i = 0; i < 12; i++)
		EXPECT_EQ(rel.bytes[i], i);
	gomem_bufs_fini(&b);
}

/* Peek and pull: a pointer into the segment, or a copy when straddling. */
static void test_peek_pull_pieces(void)
{
	u8 d[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, tmp[10];
	size_t cuts[] = { 4, 5 };
	struct gomem_reader r;
	struct gomem_bufs b;
	struct kvec v[3];
	const u8 *p;

	split(&b, d, 10, cuts, 2);
	gomem_reader_init(&r, &b);
	EXPECT(gomem_reader_peek(&r, 4, NULL) == d, "contiguous");
	EXPECT(!gomem_reader_peek(&r, 0, tmp), "n == 0");
	p = gomem_reader_peek(&r, 6, tmp);
	EXPECT(p == tmp && !memcmp(tmp, d, 6), "copied");
	EXPECT(!gomem_reader_peek(&r, 6, NULL), "no room");
	EXPECT_EQ(gomem_reader_offset(&r), 0);
	EXPECT(gomem_reader_pull(&r, 2, NULL) == d, "pull");
	EXPECT_EQ(gomem_reader_offset(&r), 2);
	EXPECT_EQ(gomem_reader_pieces(&r, 8, v, 2), -E2BIG);
	EXPECT_EQ(gomem_reader_pieces(&r, 8, v, 3), 3);
	EXPECT(v[0].iov_base == d + 2 && v[0].iov_len == 2, "p0");
	EXPECT(v[1].iov_base == d + 4 && v[1].iov_len == 1, "p1");
	EXPECT(v[2].iov_base == d + 5 && v[2].iov_len == 5, "p2");
	EXPECT_EQ(gomem_reader_pieces(&r, 0, v, 0), 0);
	p = gomem_reader_pull(&r, 3, tmp);
	EXPECT(p == tmp && tmp[0] == 2 && tmp[2] == 4, "pull copy");
	EXPECT_EQ(gomem_reader_offset(&r), 5);
	gomem_bufs_fini(&b);
}

static int stop_at_second(void *arg, const void *p, size_t len)
{
	int *calls = arg;

	return ++*calls == 2 ? 77 : 0;
}

/* Range consumes the pieces it hands out; a callback may stop it. */
static void test_range(void)
{
	u8 d[10] = { 0 };
	size_t cuts[] = { 3, 6 };
	size_t acc[2] = { 0, 0 };
	struct gomem_reader r;
	struct gomem_bufs b;
	int calls = 0;

	split(&b, d, 10, cuts, 2);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 1);
	EXPECT_EQ(gomem_reader_range_n(&r, 4, count_piece, acc), 0);
	EXPECT(acc[0] == 2 && acc[1] == 4, "range_n");
	EXPECT_EQ(gomem_reader_offset(&r), 5);
	EXPECT_EQ(gomem_reader_range(&r, stop_at_second, &calls), 77);
	EXPECT_EQ(gomem_reader_offset(&r), 10);
	gomem_reader_unread(&r, 9);
	EXPECT_EQ(gomem_reader_range(&r, NULL, NULL), 0);
	EXPECT_EQ(gomem_reader_remaining(&r), 0);
	CHECK(&r);
	gomem_bufs_fini(&b);
}

/* Segments pushed after the reader reached the end are read on. */
static void test_late_push(void)
{
	u8 a[2] = { 1, 2 }, c[2] = { 3, 4 };
	struct gomem_reader r;
	struct gomem_bufs b;
	u64 v;

	gomem_bufs_init(&b);
	gomem_bufs_push(&b, a, 2, GFP_KERNEL);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 1);
	EXPECT_EQ(gomem_reader_read_be(&r, 2, &v), -ENODATA);
	gomem_bufs_push(&b, NULL, 0, GFP_KERNEL);
	gomem_bufs_push(&b, c, 2, GFP_KERNEL);
	EXPECT_EQ(gomem_reader_read_be(&r, 3, &v), 0);
	EXPECT_EQ(v, 0x020304);
	CHECK(&r);
	gomem_bufs_fini(&b);
}

/*
 * iov_iter interop: over a reader in the middle of a segment, copy_from_iter
 * gives what gomem_bufs_copy_to gives from there; copy_to_iter writes the
 * segments in place.
 */
static void test_iov_iter(void)
{
	u8 d[20], flat[20], out[20], src[20];
	size_t cuts[] = { 5, 5, 12 };
	struct gomem_reader r;
	struct gomem_bufs b;
	struct iov_iter it;
	int i;

	for (i = 0; i < 20; i++) {
		d[i] = 100 + i;
		src[i] = 200 + i;
	}
	split(&b, d, 20, cuts, 3);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 7);
	gomem_bufs_copy_to(&b, flat, 20);
	EXPECT_EQ(gomem_reader_iov_iter(&r, &it, ITER_SOURCE), 13);
	EXPECT_EQ(copy_from_iter(out, 20, &it), 13);
	EXPECT(!memcmp(out, flat + 7, 13), "source bytes");
	EXPECT_EQ(gomem_reader_offset(&r), 7);

	gomem_reader_iov_iter(&r, &it, ITER_DEST);
	iov_iter_truncate(&it, 6);
	EXPECT_EQ(copy_to_iter(src, 20, &it), 6);
	for (i = 0; i < 20; i++)
		EXPECT_EQ(d[i], i >= 7 && i < 13 ? src[i - 7] : 100 + i);

	gomem_reader_move_to_end(&r);
	EXPECT_EQ(gomem_reader_iov_iter(&r, &it, ITER_SOURCE), 0);
	gomem_bufs_fini(&b);
}

/* A flat reference reader for the random comparison. */
struct flat {
	const u8 *d;
	size_t n, pos;
};

static void test_random(unsigned long seed)
{
	static u8 d[512];
	unsigned int round, op;

	srandom(seed);
	for (round = 0; round < 300; round++) {
		size_t n = random() % 300, cuts[64], last = 0;
		unsigned int ncuts = 0, i;
		struct gomem_reader r;
		struct gomem_bufs b;
		struct flat f;

		for (i = 0; i < n; i++)
			d[i] = random();
		while (ncuts < 64 && random() % 4) {
			last += random() % 9;
			if (last > n)
				break;
			cuts[ncuts++] = last;
		}
		split(&b, d, n, cuts, ncuts);
		gomem_reader_init(&r, &b);
		f = (struct flat){ d, n, 0 };
		for (op = 0; op < 200; op++) {
			size_t k = random() % 12, left = f.n - f.pos;
			u8 buf[16], x;
			u64 v, ref;
			int ret;

			switch (random() % 5) {
			case 0:
				ret = gomem_reader_read_u8(&r, &x);
				EXPECT_EQ(ret, left ? 0 : -ENODATA);
				if (left)
					EXPECT_EQ(x, f.d[f.pos++]);
				break;
			case 1:
				k = k % 8 + 1;
				ret = gomem_reader_read_be(&r, k, &v);
				EXPECT_EQ(ret, k <= left ? 0 : -ENODATA);
				if (k > left)
					break;
				for (ref = 0, i = 0; i < k; i++)
					ref = ref << 8 | f.d[f.pos++];
				EXPECT(v == ref, "be%zu", k);
				break;
			case 2:
				ret = gomem_reader_read(&r, buf, k);
				EXPECT_EQ(ret, !k ? 0 : !left ? -ENODATA :
					  (long)min(k, left));
				if (ret > 0) {
					EXPECT(!memcmp(buf, f.d + f.pos, ret),
					       "read");
					f.pos += ret;
				}
				break;
			case 3:
				ret = gomem_reader_skip(&r, k);
				EXPECT_EQ(ret, k <= left ? 0 : -ENODATA);
				if (!ret)
					f.pos += k;
				break;
			case 4:
				if (k > f.pos)
					k = f.pos;
				EXPECT_EQ(gomem_reader_unread(&r, k), 0);
				f.pos -= k;
				break;
			}
			EXPECT_EQ(gomem_reader_offset(&r), f.pos);
		}
		CHECK(&r);
		gomem_bufs_fini(&b);
	}
}

/*
 * push_many of the list's own segments:  [0][1]..[7] + the same 8 again.
 * The array moves while growing; the copy must come from the new one
 * (ASan catches a read of the freed old array).
 */
static void test_push_many_own_segments(void)
{
	struct gomem_bufs b;
	u8 d[8], out[16];
	int i;

	gomem_bufs_init(&b);
	for (i = 0; i < 8; i++) {
		d[i] = i;
		EXPECT_EQ(gomem_bufs_push(&b, d + i, 1, GFP_KERNEL), 0);
	}
	EXPECT_EQ(gomem_bufs_push_many(&b, gomem_bufs_segs(&b), 8, GFP_KERNEL),
		  0);
	EXPECT_EQ(gomem_bufs_count(&b), 16);
	EXPECT_EQ(gomem_bufs_size(&b), 16);
	EXPECT_EQ(gomem_bufs_copy_to(&b, out, sizeof(out)), 16);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(out[i], i % 8);
	gomem_bufs_fini(&b);
}

int main(void)
{
	unsigned long seed = harness_seed();

	test_gomem_memory();
	test_gomem_memory_reader();
	test_growth();
	test_push_many_own_segments();
	test_bad_push();
	test_append_equal_replace();
	test_empty_segments();
	test_one_byte_segments();
	test_int_straddle();
	test_int_bad_width();
	test_leb128();
	test_short_read();
	test_clip_front();
	test_peek_pull_pieces();
	test_range();
	test_late_push();
	test_iov_iter();
	test_random(seed);
	return harness_done("reader_test");
}
