// SPDX-License-Identifier: GPL-2.0
/*
 * Reader benchmark: GoMem's reader_bench_test.go shapes (one "op" walks a
 * whole 1 KiB or 3 KiB message), first over GoMem's layout, then over the
 * same 1 KiB cut into 13-byte segments so that most integers and LEB128
 * values straddle a boundary.  Prints ns per op and ns per call.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <gomem/reader.h>
#include "bench.h"

static u8 data[3][1024];
static struct gomem_bufs bufs;

/* Each returns the number of reader calls it made. */
static unsigned int op_read(struct gomem_bufs *b)
{
	struct gomem_reader r;
	static u8 out[1024];
	unsigned int calls = 0;

	gomem_reader_init(&r, b);
	while (gomem_reader_remaining(&r)) {
		bench_keep(gomem_reader_read(&r, out, sizeof(out)));
		calls++;
	}
	return calls;
}

static unsigned int op_read_u8(struct gomem_bufs *b)
{
	struct gomem_reader r;
	unsigned int calls = 0;
	u8 x;

	gomem_reader_init(&r, b);
	while (!gomem_reader_read_u8(&r, &x)) {
		bench_keep(x);
		calls++;
	}
	return calls;
}

static unsigned int op_read_be32(struct gomem_bufs *b)
{
	struct gomem_reader r;
	unsigned int calls = 0;
	u64 v;

	gomem_reader_init(&r, b);
	while (gomem_reader_remaining(&r) >= 4) {
		gomem_reader_read_be(&r, 4, &v);
		bench_keep(v);
		calls++;
	}
	return calls;
}

static unsigned int op_leb128(struct gomem_bufs *b)
{
	struct gomem_reader r;
	unsigned int calls = 0;
	u64 v;

	gomem_reader_init(&r, b);
	while (!gomem_reader_read_leb128(&r, &v, NULL)) {
		bench_keep(v);
		calls++;
	}
	return calls;
}

static unsigned int op_skip64(struct gomem_bufs *b)
{
	struct gomem_reader r;
	unsigned int calls = 0;

	gomem_reader_init(&r, b);
	while (!gomem_reader_skip(&r, 64))
		calls++;
	bench_keep(r.pos);
	return calls;
}

static int count_piece(void *arg, const void *p, size_t len)
{
	*(size_t *)arg += len;
	return 0;
}

static unsigned int op_range(struct gomem_bufs *b)
{
	struct gomem_reader r;
	size_t n = 0;

	gomem_reader_init(&r, b);
	gomem_reader_range(&r, count_piece, &n);
	bench_keep(n);
	return 1;
}

static unsigned int op_peek16(struct gomem_bufs *b)
{
	struct gomem_reader r;
	unsigned int calls = 0;
	const void *p;
	u8 tmp[16];

	gomem_reader_init(&r, b);
	while ((p = gomem_reader_pull(&r, 16, tmp))) {
		bench_keep((uintptr_t)p);
		calls++;
	}
	return calls;
}

struct row {
	const char *name;
	unsigned int (*op)(struct gomem_bufs *b);
	double gomem_ns;	/* GoMem on an M2 Pro, per op; 0 if none */
};

static const struct row rows[] = {
	{ "read 1 KiB",		op_read,	0 },
	{ "read_u8",		op_read_u8,	2235 },
	{ "read_be32",		op_read_be32,	3587 },
	{ "leb128",		op_leb128,	3052 },
	{ "skip 64",		op_skip64,	0 },
	{ "range",		op_range,	0 },
	{ "pull 16",		op_peek16,	0 },
};

/* Best of a few runs of @op: the machine is shared, the minimum is cleanest. */
static double time_op(unsigned int (*op)(struct gomem_bufs *b),
		      struct gomem_bufs *b, unsigned long iters,
		      double *per_call)
{
	double best = 0;
	int rep;

	op(b);	/* warm up */
	for (rep = 0; rep < 5; rep++) {
		unsigned long long calls = 0;
		unsigned long k;
		uint64_t t0 = bench_now_ns(), t;

		for (k = 0; k < iters; k++)
			calls += op(b);
		t = bench_now_ns() - t0;
		if (!rep || (double)t / iters < best) {
			best = (double)t / iters;
			*per_call = (double)t / calls;
		}
	}
	return best;
}

static void run_rows(const char *layout, struct gomem_bufs *b, bool big)
{
	unsigned int i;

	printf("\n%s (%zu bytes in %u segments)\n", layout, gomem_bufs_size(b),
	       gomem_bufs_count(b));
	printf("%-12s %12s %12s %14s\n", "op", "ns/op", "ns/call",
	       big ? "GoMem ns/op" : "");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		double per_call, per_op;

		per_op = time_op(rows[i].op, b, 4000 * bench_scale() + 1,
				 &per_call);
		printf("%-12s %12.1f %12.2f", rows[i].name, per_op, per_call);
		if (big && rows[i].gomem_ns)
			printf(" %14.0f", rows[i].gomem_ns);
		printf("\n");
	}
}

static void bench_reader(void)
{
	size_t at;
	int i;

	/* LEB128 rows read GoMem's data: byte i is i % 128, one per value. */
	for (i = 0; i < 1024; i++)
		data[0][i] = i % 128;

	printf("GoMem's layouts: one 1 KiB buffer (read: 3 x 1 KiB; range:\n");
	printf("2 x 512 B); one op walks the whole message; GoMem's column is\n");
	printf("its reader_bench_test.go on an M2 Pro, the reader re-created\n");
	printf("per op as here; best of 5 runs\n");
	gomem_bufs_init(&bufs);
	for (i = 0; i < 3; i++)
		gomem_bufs_push(&bufs, data[i], 1024, GFP_KERNEL);
	{
		double per_call, per_op;

		per_op = time_op(op_read, &bufs, 40000 * bench_scale() + 1,
				 &per_call);
		printf("\n%-12s %12.1f ns/op (3 x 1 KiB reads; GoMem 112)\n",
		       "read 3 KiB", per_op);
	}
	gomem_bufs_reset(&bufs);
	gomem_bufs_push(&bufs, data[0], 1024, GFP_KERNEL);
	run_rows("one 1 KiB buffer", &bufs, true);

	gomem_bufs_reset(&bufs);
	for (at = 0; at < 1024; at += 13)
		gomem_bufs_push(&bufs, data[0] + at, min_t(size_t, 13, 1024 - at),
				GFP_KERNEL);
	run_rows("1 KiB in 13-byte segments", &bufs, false);
	gomem_bufs_fini(&bufs);
}

GOMEM_BENCH(bench_reader);
