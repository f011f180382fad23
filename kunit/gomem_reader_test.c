// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_reader: the multi-buffer memory and its reader.
 *
 * GoMem's TestMemory and TestMemoryReader ported, then the edge cases:
 * empty and one-byte segments, integers and LEB128 values straddling
 * boundaries, clip-front after partial reads, iov_iter interop, and a
 * seeded random comparison with the same bytes held flat.  Every segment is
 * its own kmalloc block, so KASAN reports any read past a segment.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include <gomem/gomem.h>
#include "gomem_kunit.h"
#include "../gomem_report.h"

static long bad_input_count(void)
{
	return gomem_stat_read(GOMEM_STAT_READER_BAD_INPUT);
}

static unsigned int random_seed;
module_param_named(reader_seed, random_seed, uint, 0400);
MODULE_PARM_DESC(reader_seed, "seed of the gomem_reader random case (0: pick)");

/*
 * Build @b over a copy of @data cut at @cuts (ascending offsets <= @n):
 * each segment a kmalloc block of its exact size, freed with the test.
 */
static void split(struct kunit *test, struct gomem_bufs *b, const u8 *data,
		  size_t n, const size_t *cuts, unsigned int ncuts)
{
	size_t start = 0;
	unsigned int i;

	gomem_bufs_init(b);
	for (i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		u8 *seg = NULL;

		if (end > start) {
			seg = kunit_kmalloc(test, end - start, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, seg);
			memcpy(seg, data + start, end - start);
		}
		KUNIT_ASSERT_EQ(test, gomem_bufs_push(b, seg, end - start,
						      GFP_KERNEL), 0);
		start = end;
	}
}

/* The reader is sound and at byte @pos. */
static void expect_at(struct kunit *test, const struct gomem_reader *r,
		      size_t pos)
{
	KUNIT_EXPECT_EQ(test, gomem_reader_check(r), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_offset(r), pos);
}

/* GoMem TestMemory: one buffer, PushOne, Reset. */
static void gomem_memory_push_and_reset(struct kunit *test)
{
	u8 buf[] = { 1, 2, 3, 4, 5 }, more[] = { 6, 7 };
	struct gomem_bufs b;

	gomem_bufs_init(&b);
	KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, buf, 5, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 5);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 1);
	KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, more, 2, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 7);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 2);
	gomem_bufs_reset(&b);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 0);
	gomem_bufs_fini(&b);
}

/* GoMem TestMemoryReader: [1 2 3][4 5 6] read back in one read. */
static void gomem_memory_reader_reads_all(struct kunit *test)
{
	static const u8 d[] = { 1, 2, 3, 4, 5, 6 };
	size_t cut = 3;
	struct gomem_reader r;
	struct gomem_bufs b;
	u8 out[6];

	split(test, &b, d, 6, &cut, 1);
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test, gomem_reader_remaining(&r), 6);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 6), 6);
	KUNIT_EXPECT_EQ(test, memcmp(out, d, 6), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 1), -ENODATA);
	expect_at(test, &r, 6);
	gomem_bufs_fini(&b);
}

/* 100 one-byte segments: the array leaves its inline room, order holds. */
static void bufs_grow_past_inline(struct kunit *test)
{
	u8 *d = kunit_kmalloc(test, 100, GFP_KERNEL);
	u8 *flat = kunit_kzalloc(test, 100, GFP_KERNEL);
	struct gomem_bufs b;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, flat);
	gomem_bufs_init(&b);
	for (i = 0; i < 100; i++) {
		d[i] = i;
		KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, d + i, 1, GFP_KERNEL),
				0);
	}
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 100);
	KUNIT_EXPECT_PTR_NE(test, b.segs, &b.inline_segs[0]);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&b, flat, 100), 100);
	KUNIT_EXPECT_EQ(test, memcmp(flat, d, 100), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&b, flat, 7), 7);
	gomem_bufs_fini(&b);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 0);
}

/* A NULL segment with a length, a size overflow, a bad index: refused. */
static void bufs_refuse_bad_segments(struct kunit *test)
{
	u8 x[4] = { 0 };
	struct kvec v[] = { { x, 4 }, { NULL, 3 } };
	long bad = bad_input_count();
	struct gomem_bufs b;

	gomem_bufs_init(&b);
	KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, NULL, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_push(&b, NULL, 1, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_push_many(&b, v, 2, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 1);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, x, SIZE_MAX, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, x, 1, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_replace(&b, 2, x, 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_replace(&b, -3, x, 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 2);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), SIZE_MAX);
	/* Four caller bugs counted; the size overflow is data, not a bug. */
	KUNIT_EXPECT_EQ(test, bad_input_count() - bad, 4);
	gomem_bufs_fini(&b);
}

/* Append (not to itself), equal across cuts, replace from the end. */
static void bufs_append_equal_replace(struct kunit *test)
{
	static const u8 d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t c1[] = { 3 }, c2[] = { 1, 2, 5, 7 };
	struct gomem_bufs a, b, c;
	u8 e[8], flat[16];
	int i;

	split(test, &a, d, 8, c1, 1);
	split(test, &b, d, 8, c2, 4);
	KUNIT_EXPECT_TRUE(test, gomem_bufs_equal(&a, &b));
	memcpy(e, d, 8);
	e[6] ^= 1;
	split(test, &c, e, 8, c1, 1);
	KUNIT_EXPECT_FALSE(test, gomem_bufs_equal(&a, &c));
	/* The last segment of a holds d[3..8). */
	KUNIT_EXPECT_EQ(test, gomem_bufs_replace(&c, -1, a.segs[1].iov_base,
						 5), 0);
	KUNIT_EXPECT_TRUE(test, gomem_bufs_equal(&a, &c));
	KUNIT_EXPECT_EQ(test, gomem_bufs_replace(&c, 0, a.segs[0].iov_base,
						 2), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&c), 7);
	KUNIT_EXPECT_FALSE(test, gomem_bufs_equal(&a, &c));

	KUNIT_EXPECT_EQ(test, gomem_bufs_append(&a, &b, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&a), 7);
	KUNIT_EXPECT_EQ(test, gomem_bufs_append(&a, &b, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&a), 12);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&a), 24);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&a, flat, 16), 16);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, flat[i], d[i % 8]);
	gomem_bufs_fini(&a);
	gomem_bufs_fini(&b);
	gomem_bufs_fini(&c);
}

static int count_piece(void *arg, const void *p, size_t len)
{
	size_t *acc = arg;

	acc[0]++;
	acc[1] += len;
	acc[2] += !len;
	return 0;
}

/*
 * Empty segments everywhere:  [] [a] [] [] [b c] []
 * Reads, unreads and pieces step over them; no callback sees one.
 */
static void empty_segments_are_skipped(struct kunit *test)
{
	size_t cuts[] = { 0, 1, 1, 1, 3 }, acc[3] = { 0, 0, 0 };
	struct gomem_reader r;
	struct gomem_bufs b;
	struct kvec v[4];
	u8 x, buf[3];
	u64 val;

	split(test, &b, (const u8 *)"abc", 3, cuts, ARRAY_SIZE(cuts));
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 6);
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test, gomem_reader_pieces(&r, 3, v, 4), 2);
	KUNIT_EXPECT_EQ(test, v[0].iov_len, 1);
	KUNIT_EXPECT_EQ(test, v[1].iov_len, 2);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, 2, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 'a' << 8 | 'b');
	KUNIT_EXPECT_EQ(test, gomem_reader_unread(&r, 2), 0);
	expect_at(test, &r, 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 'a');
	KUNIT_EXPECT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 'b');
	KUNIT_EXPECT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 'c');
	KUNIT_EXPECT_EQ(test, gomem_reader_read_u8(&r, &x), -ENODATA);
	expect_at(test, &r, 3);
	KUNIT_EXPECT_EQ(test, gomem_reader_unread(&r, 3), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, buf, 3), 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "abc", 3), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_unread(&r, 3), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_range(&r, count_piece, acc), 0);
	KUNIT_EXPECT_EQ(test, acc[0], 2);
	KUNIT_EXPECT_EQ(test, acc[1], 3);
	KUNIT_EXPECT_EQ(test, acc[2], 0);
	expect_at(test, &r, 3);
	gomem_bufs_fini(&b);
}

/* 64 one-byte segments: an 8-byte integer crosses seven boundaries. */
static void one_byte_segments(struct kunit *test)
{
	size_t cuts[63];
	struct gomem_reader r;
	struct gomem_bufs b;
	u8 d[64];
	u64 v;
	int i;

	for (i = 0; i < 64; i++) {
		d[i] = 0x10 + i;
		if (i)
			cuts[i - 1] = i;
	}
	split(test, &b, d, 64, cuts, 63);
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test, gomem_reader_skip(&r, 3), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, 8, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x131415161718191aULL);
	KUNIT_EXPECT_EQ(test, gomem_reader_unread(&r, 8), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_le(&r, 8, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x1a19181716151413ULL);
	expect_at(test, &r, 11);
	KUNIT_EXPECT_EQ(test, gomem_reader_unread(&r, 11), 0);
	expect_at(test, &r, 0);
	KUNIT_EXPECT_NULL(test, gomem_reader_peek(&r, 2, NULL));
	KUNIT_EXPECT_PTR_EQ(test, gomem_reader_peek(&r, 1, NULL),
			    (const void *)gomem_bufs_segs(&b)[0].iov_base);
	KUNIT_EXPECT_EQ(test, gomem_reader_skip(&r, 64), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_remaining(&r), 0);
	expect_at(test, &r, 64);
	gomem_bufs_fini(&b);
}

/* Every cut of 9 bytes, every width: BE and LE match a flat decode. */
static void int_straddles_every_boundary(struct kunit *test)
{
	static const u8 d[9] = { 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7,
				 0xf8, 0x09 };
	unsigned int n, i;
	size_t cut;

	for (cut = 0; cut <= 9; cut++) {
		for (n = 1; n <= 8; n++) {
			struct gomem_reader r;
			struct gomem_bufs b;
			u64 be = 0, le = 0, v;

			for (i = 0; i < n; i++) {
				be = be << 8 | d[1 + i];
				le |= (u64)d[1 + i] << (8 * i);
			}
			split(test, &b, d, 9, &cut, 1);
			gomem_reader_init(&r, &b);
			gomem_reader_skip(&r, 1);
			KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, n, &v),
					0);
			KUNIT_EXPECT_EQ_MSG(test, v, be, "cut %zu n %u", cut,
					    n);
			gomem_reader_unread(&r, n);
			KUNIT_EXPECT_EQ(test, gomem_reader_read_le(&r, n, &v),
					0);
			KUNIT_EXPECT_EQ_MSG(test, v, le, "cut %zu n %u", cut,
					    n);
			/* One byte more than is left: refused, no move. */
			KUNIT_EXPECT_EQ(test,
					gomem_reader_read_be(&r, 9 - n, &v),
					-ENODATA);
			expect_at(test, &r, 1 + n);
			gomem_bufs_fini(&b);
		}
	}
}

/* Widths outside 1..8 and unread past the start are caller bugs. */
static void caller_bugs_leave_reader(struct kunit *test)
{
	static const u8 d[16];
	long bad = bad_input_count();
	struct gomem_reader r;
	struct gomem_bufs b;
	u64 v = 42;

	split(test, &b, d, 16, NULL, 0);
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_reader_read_be(&r, 0, &v)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_reader_read_le(&r, 9, &v)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v, 42);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_reader_unread(&r, 1)),
			-EINVAL);
	expect_at(test, &r, 0);
	gomem_reader_skip(&r, 5);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_reader_unread(&r, 6)),
			-EINVAL);
	expect_at(test, &r, 5);
	KUNIT_EXPECT_EQ(test, bad_input_count() - bad, 4);
	gomem_bufs_fini(&b);
}

struct leb_case {
	const char *name;
	u8 enc[11];
	unsigned int len;
	int ret;
	u64 val;
	unsigned int used;
};

static const struct leb_case leb_cases[] = {
	{ .name = "zero", .enc = { 0x00 }, .len = 1, .val = 0, .used = 1 },
	{ .name = "127", .enc = { 0x7f }, .len = 1, .val = 127, .used = 1 },
	{ .name = "624485", .enc = { 0xe5, 0x8e, 0x26 }, .len = 3,
	  .val = 624485, .used = 3 },
	{ .name = "padded_zero", .enc = { 0x80, 0x80, 0x00 }, .len = 3,
	  .val = 0, .used = 3 },
	{ .name = "stops_at_end_byte", .enc = { 0x01, 0xff }, .len = 2,
	  .val = 1, .used = 1 },
	{ .name = "u64_max", .enc = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				      0xff, 0xff, 0x01 },
	  .len = 10, .val = U64_MAX, .used = 10 },
	{ .name = "bit_63", .enc = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
				     0x80, 0x80, 0x01 },
	  .len = 10, .val = 1ULL << 63, .used = 10 },
	{ .name = "overflow_bit_64", .enc = { 0x80, 0x80, 0x80, 0x80, 0x80,
					      0x80, 0x80, 0x80, 0x80, 0x02 },
	  .len = 10, .ret = -EOVERFLOW },
	{ .name = "overflow_11_bytes", .enc = { 0x80, 0x80, 0x80, 0x80, 0x80,
						0x80, 0x80, 0x80, 0x80, 0x80,
						0x00 },
	  .len = 11, .ret = -EOVERFLOW },
	{ .name = "truncated_1", .enc = { 0x80 }, .len = 1, .ret = -ENODATA },
	{ .name = "truncated_9", .enc = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff },
	  .len = 9, .ret = -ENODATA },
	{ .name = "empty", .len = 0, .ret = -ENODATA },
};

static void leb_case_desc(const struct leb_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(leb128, leb_cases, leb_case_desc);

/* One encoding after a byte of prefix, cut at every offset. */
static void leb128_at_every_cut(struct kunit *test)
{
	const struct leb_case *c = test->param_value;
	size_t cut;
	u8 d[12];

	d[0] = 0xaa;
	memcpy(d + 1, c->enc, c->len);
	for (cut = 0; cut <= c->len + 1; cut++) {
		struct gomem_reader r;
		struct gomem_bufs b;
		unsigned int used = 99;
		u64 v = 7;

		split(test, &b, d, c->len + 1, &cut, 1);
		gomem_reader_init(&r, &b);
		gomem_reader_skip(&r, 1);
		KUNIT_EXPECT_EQ_MSG(test, gomem_reader_read_leb128(&r, &v,
								   &used),
				    c->ret, "cut %zu", cut);
		if (!c->ret) {
			KUNIT_EXPECT_EQ(test, v, c->val);
			KUNIT_EXPECT_EQ(test, used, c->used);
			expect_at(test, &r, 1 + c->used);
		} else {
			KUNIT_EXPECT_EQ(test, v, 7);
			KUNIT_EXPECT_EQ(test, used, 99);
			expect_at(test, &r, 1);
		}
		gomem_bufs_fini(&b);
	}
}

/* A short read at the end, then the end; bad lengths move nothing. */
static void short_read_then_end(struct kunit *test)
{
	static const u8 d[10] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };
	size_t cut = 4;
	struct gomem_reader r;
	struct gomem_bufs b;
	struct kvec v;
	u8 out[16];

	split(test, &b, d, 10, &cut, 1);
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 0), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 3), 3);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_full(&r, out, 8), -ENODATA);
	KUNIT_EXPECT_EQ(test, gomem_reader_skip(&r, 8), -ENODATA);
	KUNIT_EXPECT_EQ(test, gomem_reader_range_n(&r, 8, NULL, NULL),
			-ENODATA);
	KUNIT_EXPECT_EQ(test, gomem_reader_pieces(&r, 8, &v, 1), -ENODATA);
	KUNIT_EXPECT_NULL(test, gomem_reader_peek(&r, 8, out));
	KUNIT_EXPECT_NULL(test, gomem_reader_pull(&r, 8, out));
	expect_at(test, &r, 3);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 16), 7);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 16), -ENODATA);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&r, out, 0), 0);
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

struct arena_release {
	struct gomem_arena *a;
	int errors;
};

static void release_to_arena(void *arg, void *buf, size_t len)
{
	struct arena_release *ar = arg;

	if (gomem_arena_free(ar->a, buf, len))
		ar->errors++;
}

/*
 * Clip into an arena while reading:  p = [0 .. 1023]  q = [0 .. 1023]
 *                                          ^ 40 read
 * The release frees straight into the arena that gave p and q.  The bytes
 * after the cursor must survive the clip (an arena gives back whole 32-byte
 * granules, so releasing p's read head would hand back bytes 40..63), and
 * once everything is read and clipped the arena is whole again.
 */
static void clip_front_into_an_arena_keeps_unread_bytes(struct kunit *test)
{
	static const enum gomem_index idx[] = {
		GOMEM_INDEX_TREAP, GOMEM_INDEX_AVL,
	};
	unsigned int k, i;

	for (k = 0; k < ARRAY_SIZE(idx); k++) {
		struct arena_release ar = { .errors = 0 };
		struct gomem_reader r;
		struct gomem_bufs b;
		u8 *p, *q, x;
		bool same = true;

		ar.a = gomem_arena_create(SZ_64K, idx[k], GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(ar.a));
		p = gomem_arena_alloc(ar.a, 1024);
		q = gomem_arena_alloc(ar.a, 1024);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_ASSERT_NOT_NULL(test, q);
		for (i = 0; i < 1024; i++) {
			p[i] = i;
			q[i] = ~i;
		}
		gomem_bufs_init(&b);
		KUNIT_ASSERT_EQ(test, gomem_bufs_push(&b, p, 1024, GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, gomem_bufs_push(&b, q, 1024, GFP_KERNEL), 0);
		gomem_reader_init(&r, &b);

		KUNIT_EXPECT_EQ(test, gomem_reader_skip(&r, 40), 0);
		gomem_reader_clip_front(&r, release_to_arena, &ar);
		for (i = 40; i < 1024; i++) {
			KUNIT_ASSERT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
			same &= x == (u8)i;
		}
		KUNIT_EXPECT_TRUE_MSG(test, same, "unread bytes of p changed");
		gomem_reader_clip_front(&r, release_to_arena, &ar);
		KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 1);
		for (i = 0; i < 1024; i++) {
			KUNIT_ASSERT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
			same &= x == (u8)~i;
		}
		KUNIT_EXPECT_TRUE_MSG(test, same, "bytes of q changed");
		gomem_reader_clip_front(&r, release_to_arena, &ar);
		KUNIT_EXPECT_EQ(test, ar.errors, 0);
		KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 0);
		KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(ar.a));
		KUNIT_EXPECT_EQ(test, gomem_arena_check(ar.a), 0);
		gomem_bufs_fini(&b);
		gomem_arena_destroy(ar.a);
	}
}

/*
 * Clip after partial reads:   [0 1 2 3][4 5 6 7][8 9 10 11]
 *                                          ^ 6 read
 * releases [0 1 2 3] only, leaves [4 5 6 7][8 9 10 11] with the reader at
 * offset 2: the segment being read stays whole until it is read through.
 */
static void clip_front_after_partial_reads(struct kunit *test)
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
	split(test, &b, d, 12, cuts, 2);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 6);
	gomem_reader_clip_front(&r, release_piece, &rel);
	KUNIT_EXPECT_EQ(test, rel.calls, 1);
	KUNIT_EXPECT_EQ(test, rel.n, 4);
	KUNIT_EXPECT_EQ(test, memcmp(rel.bytes, d, 4), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 2);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 8);
	expect_at(test, &r, 2);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_reader_unread(&r, 3)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, 3, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x060708);
	/* Cursor at a segment's end: the whole segment goes. */
	gomem_reader_unread(&r, 1);
	gomem_reader_clip_front(&r, release_piece, &rel);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 1);
	KUNIT_EXPECT_EQ(test, rel.n, 8);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_u8(&r, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 8);
	/* Nothing consumed: nothing released. */
	gomem_reader_unread(&r, 1);
	gomem_reader_clip_front(&r, release_piece, &rel);
	KUNIT_EXPECT_EQ(test, rel.calls, 2);
	/* At the end: everything goes. */
	gomem_reader_move_to_end(&r);
	gomem_reader_clip_front(&r, release_piece, &rel);
	KUNIT_EXPECT_EQ(test, rel.n, 12);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 0);
	KUNIT_EXPECT_EQ(test, memcmp(rel.bytes, d, 12), 0);
	expect_at(test, &r, 0);
	gomem_bufs_fini(&b);
}

/* Peek and pull point into the segment, or copy when bytes straddle. */
static void peek_pull_pieces_zero_copy(struct kunit *test)
{
	static const u8 d[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	size_t cuts[] = { 4, 5 };
	struct gomem_reader r;
	struct gomem_bufs b;
	struct kvec v[3];
	const u8 *s0, *s2;
	u8 tmp[10];

	split(test, &b, d, 10, cuts, 2);
	s0 = gomem_bufs_segs(&b)[0].iov_base;
	s2 = gomem_bufs_segs(&b)[2].iov_base;
	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_PTR_EQ(test, gomem_reader_peek(&r, 4, NULL),
			    (const void *)s0);
	KUNIT_EXPECT_NULL(test, gomem_reader_peek(&r, 0, tmp));
	KUNIT_EXPECT_PTR_EQ(test, gomem_reader_peek(&r, 6, tmp),
			    (const void *)tmp);
	KUNIT_EXPECT_EQ(test, memcmp(tmp, d, 6), 0);
	KUNIT_EXPECT_NULL(test, gomem_reader_peek(&r, 6, NULL));
	expect_at(test, &r, 0);
	KUNIT_EXPECT_PTR_EQ(test, gomem_reader_pull(&r, 2, NULL),
			    (const void *)s0);
	expect_at(test, &r, 2);
	KUNIT_EXPECT_EQ(test, gomem_reader_pieces(&r, 8, v, 2), -E2BIG);
	KUNIT_EXPECT_EQ(test, gomem_reader_pieces(&r, 8, v, 3), 3);
	KUNIT_EXPECT_PTR_EQ(test, (const u8 *)v[0].iov_base, s0 + 2);
	KUNIT_EXPECT_EQ(test, v[0].iov_len, 2);
	KUNIT_EXPECT_EQ(test, v[1].iov_len, 1);
	KUNIT_EXPECT_PTR_EQ(test, (const u8 *)v[2].iov_base, s2);
	KUNIT_EXPECT_EQ(test, v[2].iov_len, 5);
	KUNIT_EXPECT_EQ(test, gomem_reader_pieces(&r, 0, v, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, gomem_reader_pull(&r, 3, tmp),
			    (const void *)tmp);
	KUNIT_EXPECT_EQ(test, memcmp(tmp, d + 2, 3), 0);
	expect_at(test, &r, 5);
	gomem_bufs_fini(&b);
}

static int stop_at_second(void *arg, const void *p, size_t len)
{
	int *calls = arg;

	return ++*calls == 2 ? 77 : 0;
}

/* Range hands out and consumes pieces; a callback may stop it. */
static void range_consumes_pieces(struct kunit *test)
{
	static const u8 d[10];
	size_t cuts[] = { 3, 6 }, acc[3] = { 0, 0, 0 };
	struct gomem_reader r;
	struct gomem_bufs b;
	int calls = 0;

	split(test, &b, d, 10, cuts, 2);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 1);
	KUNIT_EXPECT_EQ(test, gomem_reader_range_n(&r, 4, count_piece, acc),
			0);
	KUNIT_EXPECT_EQ(test, acc[0], 2);
	KUNIT_EXPECT_EQ(test, acc[1], 4);
	expect_at(test, &r, 5);
	KUNIT_EXPECT_EQ(test, gomem_reader_range(&r, stop_at_second, &calls),
			77);
	expect_at(test, &r, 10);
	gomem_reader_unread(&r, 9);
	KUNIT_EXPECT_EQ(test, gomem_reader_range(&r, NULL, NULL), 0);
	expect_at(test, &r, 10);
	gomem_bufs_fini(&b);
}

/* Segments pushed after the reader ran dry, an empty one first, are read. */
static void late_push_is_read(struct kunit *test)
{
	static const u8 d[4] = { 1, 2, 3, 4 };
	size_t cuts[] = { 2, 2 };
	struct gomem_reader r;
	struct gomem_bufs b, more;
	u64 v;

	split(test, &b, d, 2, NULL, 0);
	split(test, &more, d, 4, cuts, 2);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 1);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, 2, &v), -ENODATA);
	/* [1 2] + [] [3 4] from the second list. */
	KUNIT_EXPECT_EQ(test, gomem_bufs_push_many(&b, more.segs + 1, 2,
						   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_reader_read_be(&r, 3, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x020304);
	expect_at(test, &r, 4);
	gomem_bufs_fini(&b);
	gomem_bufs_fini(&more);
}

/*
 * iov_iter interop, reader in the middle of a segment:
 * copy_from_iter() gives what gomem_bufs_copy_to() gives from there, and
 * copy_to_iter() writes the segments in place.
 */
static void iov_iter_matches_copy_to(struct kunit *test)
{
	size_t cuts[] = { 5, 5, 12 };
	u8 d[20], flat[20], out[20], src[20];
	struct gomem_reader r;
	struct gomem_bufs b;
	struct iov_iter it;
	int i;

	for (i = 0; i < 20; i++) {
		d[i] = 100 + i;
		src[i] = 200 + i;
	}
	split(test, &b, d, 20, cuts, 3);
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 7);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&b, flat, 20), 20);
	KUNIT_EXPECT_EQ(test, gomem_reader_iov_iter(&r, &it, ITER_SOURCE),
			13);
	KUNIT_EXPECT_TRUE(test, iov_iter_is_kvec(&it));
	KUNIT_EXPECT_EQ(test, copy_from_iter(out, 20, &it), 13);
	KUNIT_EXPECT_EQ(test, memcmp(out, flat + 7, 13), 0);
	expect_at(test, &r, 7);

	gomem_reader_iov_iter(&r, &it, ITER_DEST);
	iov_iter_truncate(&it, 6);
	KUNIT_EXPECT_EQ(test, copy_to_iter(src, 20, &it), 6);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&b, out, 20), 20);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, out[i],
				i >= 7 && i < 13 ? src[i - 7] : d[i]);

	gomem_reader_move_to_end(&r);
	KUNIT_EXPECT_EQ(test, gomem_reader_iov_iter(&r, &it, ITER_SOURCE), 0);
	gomem_bufs_fini(&b);
}

/*
 * csum_and_copy_from_iter() (gomem_compat.h) over the list (odd-length
 * segments, which the checksum must fold across) equals the same over the
 * bytes held flat.
 */
static void iov_iter_checksum_matches_flat(struct kunit *test)
{
	size_t cuts[] = { 1, 4, 4, 77, 150, 151, 298 };
	u8 *d = kunit_kmalloc(test, 300, GFP_KERNEL);
	u8 *o1 = kunit_kzalloc(test, 300, GFP_KERNEL);
	u8 *o2 = kunit_kzalloc(test, 300, GFP_KERNEL);
	struct iov_iter it, flat;
	struct gomem_reader r;
	struct gomem_bufs b;
	u16 s1, s2;
	struct kvec kv;
	int i;

	if (!GOMEM_HAVE_CSUM_ITER)
		kunit_skip(test, "no csum_and_copy_from_iter(): needs CONFIG_NET since 6.12");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, o1);
	KUNIT_ASSERT_NOT_NULL(test, o2);
	for (i = 0; i < 300; i++)
		d[i] = i * 37 + 11;
	split(test, &b, d, 300, cuts, ARRAY_SIZE(cuts));
	gomem_reader_init(&r, &b);
	gomem_reader_skip(&r, 3);
	kv.iov_base = d + 3;
	kv.iov_len = 297;
	iov_iter_kvec(&flat, ITER_SOURCE, &kv, 1, 297);
	KUNIT_EXPECT_EQ(test, gomem_reader_iov_iter(&r, &it, ITER_SOURCE), 297);
	KUNIT_EXPECT_EQ(test, gomem_csum_copy_from_iter(o1, 297, &it, &s1),
			297);
	KUNIT_EXPECT_EQ(test, gomem_csum_copy_from_iter(o2, 297, &flat, &s2),
			297);
	KUNIT_EXPECT_EQ(test, s1, s2);
	KUNIT_EXPECT_EQ(test, memcmp(o1, d + 3, 297), 0);
	gomem_bufs_fini(&b);
}

struct release_log {
	const void *seen[16];
	unsigned int n, twice;
};

static void log_release(void *arg, void *buf, size_t len)
{
	struct release_log *rl = arg;
	unsigned int i;

	for (i = 0; i < rl->n; i++)
		rl->twice += rl->seen[i] == buf;
	if (rl->n < ARRAY_SIZE(rl->seen))
		rl->seen[rl->n++] = buf;
}

/*
 * A list never holds its own segments twice: push_many of (part of) its own
 * array, and append to itself, are caller bugs, refused whole.
 *
 *   [0][1]..[7]  + push_many(own [0..8))  -> refused, still 8 segments
 *                + push_many(own [5..7))  -> refused
 *                + append(itself)         -> refused
 *   read all, clip_front -> each of the 8 buffers released exactly once
 *
 * (Before: 16 segments, and clip_front released every buffer twice.)
 */
static void push_many_of_own_segments_is_refused(struct kunit *test)
{
	struct release_log rl = { .n = 0 };
	long bad = bad_input_count();
	struct gomem_reader r;
	struct gomem_bufs b;
	u8 d[8], out[8];
	int i;

	gomem_bufs_init(&b);
	for (i = 0; i < 8; i++) {
		d[i] = i;
		KUNIT_EXPECT_EQ(test, gomem_bufs_push(&b, d + i, 1, GFP_KERNEL),
				0);
	}
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_push_many(&b, gomem_bufs_segs(&b),
								 8, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_push_many(&b, gomem_bufs_segs(&b) + 5,
								 2, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_bufs_append(&b, &b, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bad_input_count() - bad, 3);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 8);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&b), 8);
	KUNIT_EXPECT_EQ(test, gomem_bufs_copy_to(&b, out, sizeof(out)), 8);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, out[i], i);

	gomem_reader_init(&r, &b);
	KUNIT_EXPECT_EQ(test, gomem_reader_skip(&r, gomem_bufs_size(&b)), 0);
	gomem_reader_clip_front(&r, log_release, &rl);
	KUNIT_EXPECT_EQ(test, rl.n, 8);
	KUNIT_EXPECT_EQ(test, rl.twice, 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&b), 0);
	gomem_bufs_fini(&b);
}

/* Random cuts and random operations against the same bytes held flat. */
static void random_ops_match_flat(struct kunit *test)
{
	u8 *d = kunit_kmalloc(test, 300, GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int round;

	KUNIT_ASSERT_NOT_NULL(test, d);
	prandom_seed_state(&rnd, random_seed);
	for (round = 0; round < 100 * GOMEM_TEST_SCALE; round++) {
		size_t n = prandom_u32_state(&rnd) % 300, cuts[40], last = 0;
		unsigned int ncuts = 0, i, op;
		struct gomem_reader r;
		struct gomem_bufs b;
		size_t pos = 0;

		for (i = 0; i < n; i++)
			d[i] = prandom_u32_state(&rnd);
		while (ncuts < 40 && prandom_u32_state(&rnd) % 4) {
			last += prandom_u32_state(&rnd) % 9;
			if (last > n)
				break;
			cuts[ncuts++] = last;
		}
		split(test, &b, d, n, cuts, ncuts);
		gomem_reader_init(&r, &b);
		for (op = 0; op < 200; op++) {
			size_t k = prandom_u32_state(&rnd) % 12, left = n - pos;
			u64 v, ref;
			u8 buf[16], x;
			long ret;

			switch (prandom_u32_state(&rnd) % 5) {
			case 4:
				ret = gomem_reader_read_u8(&r, &x);
				KUNIT_EXPECT_EQ(test, ret, left ? 0 : -ENODATA);
				if (left)
					KUNIT_EXPECT_EQ(test, x, d[pos++]);
				break;
			case 0:
				k = k % 8 + 1;
				ret = gomem_reader_read_be(&r, k, &v);
				KUNIT_EXPECT_EQ(test, ret,
						k <= left ? 0 : -ENODATA);
				if (ret)
					break;
				for (ref = 0, i = 0; i < k; i++)
					ref = ref << 8 | d[pos++];
				KUNIT_EXPECT_EQ(test, v, ref);
				break;
			case 1:
				ret = gomem_reader_read(&r, buf, k);
				KUNIT_EXPECT_EQ(test, ret, !k ? 0 : !left ?
						-ENODATA : (long)min(k, left));
				if (ret <= 0)
					break;
				KUNIT_EXPECT_EQ(test,
						memcmp(buf, d + pos, ret), 0);
				pos += ret;
				break;
			case 2:
				ret = gomem_reader_skip(&r, k);
				KUNIT_EXPECT_EQ(test, ret,
						k <= left ? 0 : -ENODATA);
				if (!ret)
					pos += k;
				break;
			case 3:
				k = min(k, pos);
				KUNIT_EXPECT_EQ(test,
						gomem_reader_unread(&r, k), 0);
				pos -= k;
				break;
			}
			KUNIT_ASSERT_EQ(test, gomem_reader_offset(&r), pos);
		}
		expect_at(test, &r, pos);
		gomem_bufs_fini(&b);
	}
}

static int gomem_reader_suite_init(struct kunit_suite *suite)
{
	while (!random_seed)
		random_seed = get_random_u32();
	kunit_info(suite, "reader_seed=0x%x (module parameter to repeat)\n",
		   random_seed);
	return 0;
}

static struct kunit_case gomem_reader_cases[] = {
	KUNIT_CASE(gomem_memory_push_and_reset),
	KUNIT_CASE(gomem_memory_reader_reads_all),
	KUNIT_CASE(bufs_grow_past_inline),
	KUNIT_CASE(push_many_of_own_segments_is_refused),
	KUNIT_CASE(bufs_refuse_bad_segments),
	KUNIT_CASE(bufs_append_equal_replace),
	KUNIT_CASE(empty_segments_are_skipped),
	KUNIT_CASE(one_byte_segments),
	KUNIT_CASE(int_straddles_every_boundary),
	KUNIT_CASE(caller_bugs_leave_reader),
	KUNIT_CASE_PARAM(leb128_at_every_cut, leb128_gen_params),
	KUNIT_CASE(short_read_then_end),
	KUNIT_CASE(clip_front_after_partial_reads),
	KUNIT_CASE(clip_front_into_an_arena_keeps_unread_bytes),
	KUNIT_CASE(peek_pull_pieces_zero_copy),
	KUNIT_CASE(range_consumes_pieces),
	KUNIT_CASE(late_push_is_read),
	KUNIT_CASE(iov_iter_matches_copy_to),
	KUNIT_CASE(iov_iter_checksum_matches_flat),
	KUNIT_CASE(random_ops_match_flat),
	{}
};

static struct kunit_suite gomem_reader_suite = {
	.name = "gomem_reader",
	.suite_init = gomem_reader_suite_init,
	.test_cases = gomem_reader_cases,
};

kunit_test_suite(gomem_reader_suite);
