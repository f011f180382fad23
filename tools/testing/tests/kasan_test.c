// SPDX-License-Identifier: GPL-2.0
/*
 * gomem's KASAN annotations (gomem_kasan.h) in userspace, on ASan's shadow
 * (include/linux/kasan.h, GOMEM_SHIM_KASAN): free memory of arenas, pools
 * (their per-CPU caches included) and buddies is poisoned, an allocation
 * unpoisons exactly its bytes and leaves the rest of its granule a redzone,
 * memory leaving gomem is unpoisoned whole; and a consumer's use-after-free
 * or overflow dies with an ASan report (checked in a child process).
 *
 * Run by make -C tools test; prints "kasan: N checks passed" or the first
 * failure, and exits non-zero on any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/asan_interface.h>

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/gomem_kshim.h>
#include <gomem/arena.h>
#include <gomem/buddy.h>
#include <gomem/pool.h>
#include "gomem_report.h"

static unsigned int checks, failed;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failed++;						\
		fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__,	\
			__LINE__, #cond);				\
	}								\
} while (0)

static bool poisoned(const void *p)
{
	return __asan_address_is_poisoned(p);
}

/* [@p, @p + @len) all poisoned? */
static bool all_poisoned(const void *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!poisoned((const char *)p + i))
			return false;
	return true;
}

/* Exactly [@p, @p + @size) valid and the rest of its 32-byte granule not. */
static bool exact(const void *p, size_t size)
{
	size_t room = (size + 31) & ~(size_t)31;

	return !__asan_region_is_poisoned((void *)p, size) &&
	       all_poisoned((const char *)p + size, room - size);
}

/* Run @fn(@arg) in a child: true if ASan killed it (a report). */
static bool dies(void (*fn)(char *), char *arg)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		/* The child's report is expected: keep it off the log. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static void touch(char *p)
{
	WRITE_ONCE(*p, 1);
}

static void arena_case(enum gomem_index index, bool qc)
{
	struct gomem_arena *a = gomem_arena_create(SZ_64K, index, GFP_KERNEL);
	char *p, *q, *r;

	CHECK(!IS_ERR(a));
	if (IS_ERR(a))
		return;
	gomem_arena_set_quick_cache(a, qc);
	if (qc)
		a->fi.map_min = 0;	/* park from the second free block on */
	CHECK(all_poisoned(gomem_arena_find(a, 1) + 64, 64));
	p = gomem_arena_alloc(a, 33);
	q = gomem_arena_alloc(a, 100);
	r = gomem_arena_alloc(a, 64);
	CHECK(p && q && r);
	CHECK(exact(p, 33));
	CHECK(exact(q, 100));
	CHECK(exact(r, 64));
	CHECK(poisoned(r + 64));	/* the free memory after it */
	/* The consumer's bugs: one byte past, and after the free. */
	CHECK(dies(touch, p + 33));
	CHECK(!dies(touch, p + 32));
	CHECK(gomem_arena_free(a, q, 100) == 0);
	CHECK(all_poisoned(q, 128));	/* parked or in the tree */
	CHECK(a->fi.nr_parked == qc);
	CHECK(dies(touch, q));
	/* Freed in pieces: each piece's granules poisoned as it goes. */
	CHECK(gomem_arena_free(a, r + 32, 32) == 0);
	CHECK(all_poisoned(r + 32, 32) && !poisoned(r));
	CHECK(gomem_arena_free(a, r, 32) == 0);
	CHECK(all_poisoned(r, 64));
	/* A refused double free changes nothing. */
	gomem_quiet_caller_bugs = 1;
	CHECK(gomem_arena_free(a, q, 100) != 0);
	gomem_quiet_caller_bugs = 0;
	CHECK(all_poisoned(q, 128) && exact(p, 33));
	/* The same size again (a parked block, with qc): exact again. */
	q = gomem_arena_alloc(a, 97);
	CHECK(q && exact(q, 97));
	memset(q, 0xa5, 97);
	CHECK(gomem_arena_check(a) == 0);
	gomem_arena_destroy(a);
}

static void arena_init_case(void)
{
	static char region[SZ_4K] __aligned(64);
	struct gomem_arena a;
	char *p;

	CHECK(gomem_arena_init(&a, region, sizeof(region),
			       GOMEM_INDEX_TREAP) == 0);
	CHECK(all_poisoned(region, sizeof(region)));
	p = gomem_arena_alloc(&a, 40);
	CHECK(p && exact(p, 40));
	gomem_arena_fini(&a);
	/* The caller's memory again, all of it. */
	CHECK(!__asan_region_is_poisoned(region, sizeof(region)));
}

static void pool_case(enum gomem_pool_percpu percpu, bool wipe)
{
	struct gomem_pool_params params = {
		.initial_size = SZ_16K,
		.max_arena_size = SZ_64K,
		.index = GOMEM_INDEX_TREAP,
		.percpu = percpu,
	};
	struct gomem_pool *pool;
	char *p[8];
	int i;

	shim_init_on_free = wipe;
	pool = gomem_pool_create("kasan", &params);
	CHECK(!IS_ERR(pool));
	if (IS_ERR(pool))
		return;
	for (i = 0; i < 8; i++) {
		p[i] = gomem_malloc(pool, 70 + i, GFP_KERNEL);
		CHECK(p[i] && exact(p[i], 70 + i));
	}
	for (i = 0; i < 8; i += 2) {
		CHECK(gomem_free(pool, p[i], 70 + i) == 0);
		/* In the per-CPU cache or the arena: free to ASan. */
		CHECK(all_poisoned(p[i], 96));
		CHECK(dies(touch, p[i]));
	}
	CHECK(dies(touch, p[1] + 71));
	for (i = 0; i < 8; i += 2) {
		p[i] = gomem_malloc(pool, 65, GFP_KERNEL);
		CHECK(p[i] && exact(p[i], 65));
	}
	for (i = 0; i < 8; i++)
		CHECK(gomem_free(pool, p[i], i & 1 ? 70 + i : 65) == 0);
	CHECK(gomem_pool_check(pool) == 0);
	gomem_pool_destroy(pool);
	shim_init_on_free = false;
}

static void buddy_case(void)
{
	static char region[SZ_64K] __aligned(SZ_4K);
	struct gomem_buddy *b = gomem_buddy_create_on(region, sizeof(region),
						      SZ_1K, GFP_KERNEL);
	char *p;

	CHECK(!IS_ERR(b));
	if (IS_ERR(b))
		return;
	CHECK(all_poisoned(region, sizeof(region)));
	p = gomem_buddy_alloc(b, 1500);
	/* The whole block is the caller's (gomem_buddy_block_size()). */
	CHECK(p && !__asan_region_is_poisoned(p, (2 * SZ_1K)));
	CHECK(poisoned(p + (2 * SZ_1K)) || !gomem_buddy_block_size(b, p + (2 * SZ_1K)));
	CHECK(gomem_buddy_free(b, p) == 0);
	CHECK(all_poisoned(p, (2 * SZ_1K)));
	CHECK(dies(touch, p));
	gomem_buddy_destroy(b);
	CHECK(!__asan_region_is_poisoned(region, sizeof(region)));
}

int main(void)
{
	arena_case(GOMEM_INDEX_TREAP, true);
	arena_case(GOMEM_INDEX_TREAP, false);
	arena_case(GOMEM_INDEX_AVL, true);
	arena_case(GOMEM_INDEX_AVL, false);
	arena_init_case();
	pool_case(GOMEM_PERCPU_OFF, false);
	pool_case(GOMEM_PERCPU_ON, false);
	pool_case(GOMEM_PERCPU_ON, true);
	pool_case(GOMEM_PERCPU_OFF, true);
	buddy_case();
	printf("kasan: %u checks passed, %u failed\n", checks - failed, failed);
	return failed ? 1 : 0;
}
