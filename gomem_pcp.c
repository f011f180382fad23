// SPDX-License-Identifier: GPL-2.0
/*
 * gomem pool, per-CPU front end: magazines of recently freed blocks in
 * front of each pool's arenas (gomem_pool.c), served without the pool's
 * lock.
 */

/**
 * DOC: Per-CPU front end
 *
 * ``percpu`` in gomem_pool_params, default the module parameter
 * ``percpu``, on.  Bonwick and Adams' magazines: each CPU has a cache per
 * pool with one magazine per granule count 1..128 (32 B to 4 KiB; 32
 * rounds for 1-2 granules, 16 for 3-4, 8 above; about 13 KiB per CPU and
 * pool with the arena hints).  A malloc of n bytes <= 4 KiB pops a block
 * of exactly ceil(n / 32) granules.  An empty magazine of
 * 1-4 granules (the dense classes) refills with one arena allocation of
 * cap / 2 + 1 blocks carved into whole-granule blocks; above that a miss
 * takes the one block asked for from the arenas (batch refills of sparse
 * classes cost more than they save on random sizes -- 508 against 446
 * instructions per pair, ``make -C tools bench-cg`` -- and fragment the
 * arenas).  A free of a granule-aligned run of <= 4 KiB that lies in a
 * regular arena pushes the block; a full magazine gives its older half
 * back under one hold of the pool's lock; when no malloc of its size came
 * over its last two overflows, the class also goes cold: its frees go to
 * the arenas until a malloc of its size misses (the rests of
 * gomem_free_rest() are such a class).
 *
 * Above 4 KiB, up to ``GOMEM_POOL_PERCPU_BIG_MAX`` (8 KiB), each CPU holds
 * one block, not a magazine: a free is held when the slot is empty and
 * this CPU's last malloc of over 4 KiB asked for as many granules; the
 * next such malloc takes it if it asks for as many, else gives it back to
 * its arena before the arenas serve it (pool_pcp_big_free()).  So a
 * driver's 8 KiB buffer, allocated and freed in turn, never reaches the
 * arenas (bench-cg: 483 -> 144 instructions per pair), and sizes that vary
 * hold nothing for long.
 *
 * Frames mode: after a malloc of over 8 KiB made the pool grow, a CPU
 * caches, for its next 16,384 frees, only blocks in the lowest eighth of
 * their arena and at most 64 KiB, so that the small blocks it serves again
 * do not sit in the holes large ones need (pool_pcp_frames()).
 *
 * Cached blocks stay allocated in their arenas; the stats count them as
 * ``cached``.  Each CPU's magazines hold at most ``percpu_cache_kb`` (1
 * MiB: random sizes spread over the sparse classes, and below 256 KiB most
 * of their mallocs miss; with many live blocks the hit rate keeps rising
 * up to 1 MiB -- the README's table); a free that would pass the bound
 * goes to the arena, and the magazines keep what they hold.  The big block
 * comes on top.  Trim, check and destroy drain every CPU's cache first, a
 * magazine per lock hold; a dead CPU's cache is drained by a CPU-hotplug
 * state (one instance per pool); a malloc that cannot grow the pool drains
 * every CPU's cache and tries the arenas again before it fails; one that
 * would grow it does the same when it asks for more than the caches serve
 * (over ``GOMEM_POOL_PERCPU_BIG_MAX``), else gives the big blocks back first.
 *
 * The hit is a leaf: gomem_malloc() and gomem_free() tail-call it, and it
 * tail-calls everything else (a miss, zeroing, init_on_free, a hint
 * lookup, a flush, the double free it sees), so that it saves no registers
 * but for the lock's slow path.
 *
 * Its locking: each CPU's cache has a raw spinlock, taken before the
 * pool's lock when both are held.  Mallocs and frees only *try* their
 * CPU's lock, with interrupts on (the comment before
 * gomem_pool_pcp_held_call()): an interrupt that meets its CPU's holder,
 * or a call that meets a drain, passes the cache by and goes to the
 * arenas under the pool's lock (irqsave, as always).
 * That is the page allocator's per-CPU lists' scheme since Linux 6.2
 * (pcp_spin_trylock()), and it keeps interrupt masking off the hit:
 * local_irq_save() and its restore cost a fifth of a hit under qemu (the
 * in-kernel 64 B pair with init_on_alloc=0: 349 ns before, 269 after;
 * README, "Per-CPU front end").  Lockdep marks no lock as taken in
 * interrupts for a trylock, so the hit's holds with interrupts on are
 * sound.  The drains (trim, check, destroy, a failed atomic malloc,
 * hotplug) take a cache's lock with interrupts off and wait for it only in
 * task context; in an interrupt they try it and leave a held cache as it
 * is (pool_pcp_drain_cpu()).  Not local_lock_t: on PREEMPT_RT it is a
 * sleeping per-CPU spinlock, which would break the hardirq callers the
 * pool supports, and it cannot be taken for another CPU, which the drains
 * need.  The raw lock is uncontended except against the drains (Bonwick's
 * per-CPU cache lock).
 *
 * Free validates the pointer without the pool's lock: against a per-CPU
 * hint (the regular arena last found for its 64 KiB of address, one of 256
 * slots, valid while the sequence count &gomem_pool.gen, bumped at every
 * link and unlink, is unchanged), and on a miss by a binary search of the
 * pool's sorted array of regular arena ranges under that sequence count
 * (__pool_pcp_hint()).  Before it took the pool's lock for an rbtree
 * lookup, which with many arenas most frees needed: two threads on one
 * pool ran at half the speed of one.  A free that races with the unlink of
 * its (empty) arena -- a double free -- is taken out by the release work
 * before the arena goes (pool_pcp_scrub()).
 *
 * What the fast path cannot see: a double free is refused at once only
 * when the block is on top of its magazine on this CPU (freed last in its
 * class there), or is the big block this CPU holds.  Otherwise it is
 * cached twice, or cached while free in its arena (the second free went
 * to the arena: the block was back there, or the cache was at its bound,
 * and the arena takes a cached block's free as it is allocated there); a
 * flush then refuses the second copy (warned, counted), but if a malloc
 * hands it out first, two callers share memory (SLUB without debug has
 * the same hole).  The module parameter
 * ``percpu_strict`` (debug) gives pools created while it is set no front
 * end, so that every free takes the arena's full check.
 */

#include <kunit/visibility.h>
#include <linux/cpuhotplug.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <gomem/pool.h>
#include "gomem_init.h"
#include "gomem_internal.h"
#include "gomem_kasan.h"
#include "gomem_pool_priv.h"
#include "gomem_report.h"

#include <trace/events/gomem.h>

/*
 * Granule counts the front end caches: 1 to 128 (32 B to 4 KiB).  It
 * cached up to 8 KiB for a day (2026-12-03): the in-kernel 8 KiB pair row
 * went under kmalloc's, but the footprint bench's 4-8 KiB frame slices,
 * served from the caches, scattered the arenas' free room, and its media
 * trace read 1.65 times its live bytes at a 1 MiB top (1.09 without the
 * front end; README, "Footprint"): up to 128 blocks of 4-8 KiB per CPU,
 * one per class.  Above 4 KiB a CPU now holds one block (the big block,
 * pool_pcp_big_free()), whose footprint over 32 seeds of that trace
 * equals the front end's without it.
 */
#define POOL_PCP_CLASSES	(GOMEM_POOL_PERCPU_MAX / GOMEM_GRANULE)

/*
 * Frames mode (pool_pcp_frames()): for this many frees after a malloc of
 * over GOMEM_POOL_PERCPU_BIG_MAX bytes made the pool grow, a CPU caches at
 * most this many bytes, and only blocks in the lowest 1 /
 * POOL_PCP_FRAMES_LOW of their arena.
 */
#define POOL_PCP_FRAMES_FREES	16384
#define POOL_PCP_FRAMES_BYTES	(64 * 1024)
#define POOL_PCP_FRAMES_LOW	8

/* Magazine rounds per class: 32 for 1-2 granules, 16 for 3-4, 8 above. */
#define POOL_PCP_SLOTS		(2 * 32 + 2 * 16 + (POOL_PCP_CLASSES - 4) * 8)

/*
 * A regular arena's range, as a per-CPU hint: @end 0 for none; a vmalloc
 * address, never near the top of the address space, so that @end + 4 KiB
 * cannot wrap.
 */
struct pool_hint {
	unsigned long base;
	unsigned long end;
};

/*
 * Arena hints per CPU cache: one per 64 KiB of address, a 16 MiB window,
 * 4 KiB per CPU and pool (bench-cg, instructions per pair on random
 * 64..4096 / steady 10,000 live: one hint 179 / 399; 64 of them 125 /
 * 395; 256 of them 125 / 321; 256 of 128 KiB each 143 / 285).
 */
#define POOL_HINT_SHIFT		16
#define POOL_HINTS		256

/**
 * struct pool_pcp_class - one magazine of a CPU's cache
 * @off: its first slot in &pool_pcp.slot
 * @nr: blocks held, the newest on top (slot @off + @nr - 1)
 * @cap: slots in use; 0 while the class is cold (pool_pcp_free())
 */
struct pool_pcp_class {
	u16 off;
	u8 nr;
	u8 cap;
};

/* The rounds of the magazine of @g granules (POOL_PCP_SLOTS). */
static unsigned int pool_pcp_cap(unsigned int g)
{
	return g <= 2 ? 32 : g <= 4 ? 16 : 8;
}

/**
 * struct pool_pcp - one CPU's cache in front of a pool
 * @lock: guards every field below it; before the pool's lock when both
 *	are held; the hit only tries it
 * @gen: &gomem_pool.gen when the hints were taken
 * @cached: bytes in the magazines
 * @mallocs: mallocs served here (counted in the pool's stats)
 * @frees: frees taken here
 * @malloc_bytes: bytes asked for by @mallocs
 * @free_bytes: bytes given back by @frees
 * @big: one block of 129 to 256 granules (4 KiB + 32 B to 8 KiB), or NULL
 *	(pool_pcp_big_free())
 * @big_g: the granules of @big
 * @big_want: the granules of this CPU's last malloc of over 4 KiB since
 *	@big was last filled, 0 for none
 * @cls: the magazines, class g - 1 holding blocks of g granules
 * @used: per class, 2 when a malloc takes a block from it or misses it,
 *	halved at each overflow, 0: cold at the next (pool_pcp_free()); apart
 *	from @cls,
 *	which stays 4 bytes an entry, so that the hit indexes it by a shift
 * @slot: the magazines' rounds
 * @hint: regular arenas of the pool known linked at @gen, by address
 *	(pool_pcp_hint())
 * @limit: the bound the hit's free checks: &gomem_pool.pcp_limit, or 0
 *	(every free takes pool_pcp_free()) until the first free and in frames
 *	mode
 * @frames: frees left in frames mode (pool_pcp_frames()), 0 when off
 */
struct pool_pcp {
	raw_spinlock_t lock;
	unsigned long gen;
	size_t cached;
	unsigned long mallocs;
	unsigned long frees;
	u64 malloc_bytes;
	u64 free_bytes;
	struct pool_pcp_class cls[POOL_PCP_CLASSES];
	u8 used[POOL_PCP_CLASSES];
	void *slot[POOL_PCP_SLOTS];
	struct pool_hint hint[POOL_HINTS];
	void *big;
	u16 big_g;
	u16 big_want;
	size_t limit;
	unsigned int frames;
};

/*
 * The hint slot of address @p: one per 64 KiB of address, so that frees
 * into a few arenas (random sizes spread the classes' blocks over them)
 * find theirs without the search.  One hint per CPU, as before, missed
 * on 77% of the frees of random 64..4096 (bench-cg).
 */
static __always_inline struct pool_hint *
pool_pcp_hint(struct pool_pcp *c, unsigned long p)
{
	return &c->hint[(p >> POOL_HINT_SHIFT) & (POOL_HINTS - 1)];
}

/*
 * The hits and the slow paths take this CPU's cache with
 *
 *	c = raw_cpu_ptr(pool->pcp);
 *	if (!raw_spin_trylock(&c->lock))
 *		(pass the cache by)
 *
 * interrupts on: the lock is held by the context this call interrupted,
 * or by a drain on another CPU (the Locking part of the DOC block).  A
 * migration between the pointer and the lock only makes the call use
 * another CPU's cache, under that cache's lock: correct, and rare.  Spelt
 * out at each place, so that sparse sees every lock and unlock.
 *
 * The drains and scans (pool_pcp_drain_cpu(), pool_pcp_check()) lock a
 * CPU's cache with interrupts off, waiting for it in task context only:
 * there no holder on this CPU can be one we interrupted, and a holder on
 * another CPU lets go.  Anywhere else we may have interrupted this CPU's
 * holder, or another CPU's waiter may wait for us, so they only try, and
 * leave a held cache.
 */

/**
 * gomem_pool_pcp_held_call() - call a function holding this CPU's cache lock
 * @pool: the pool
 * @fn: called with the lock held as a malloc or a free holds it --
 *	preemption off, interrupts on -- so that a test can interrupt it
 * @arg: passed to @fn
 *
 * For KUnit.
 *
 * Context: task context; @fn runs atomic.
 * Return: 0, or -EBUSY (@fn not called) when the front end is off or the
 * lock is held.
 */
int gomem_pool_pcp_held_call(struct gomem_pool *pool, void (*fn)(void *arg),
			     void *arg)
{
	struct pool_pcp *c;

	if (!pool->pcp)
		return -EBUSY;
	c = raw_cpu_ptr(pool->pcp);
	if (!raw_spin_trylock(&c->lock))
		return -EBUSY;
	fn(arg);
	raw_spin_unlock(&c->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_pcp_held_call);

/*
 * Take and drop every CPU's cache lock once: whatever ran under one before
 * (a lookup in a replaced ranges array) has ended.  Process context.
 */
void pool_pcp_sync(struct gomem_pool *pool)
{
	unsigned long flags;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);

		raw_spin_lock_irqsave(&c->lock, flags);
		raw_spin_unlock_irqrestore(&c->lock, flags);
	}
}

/* Does @p lie in one of the arenas on @dead? */
static bool pool_in_dead(struct list_head *dead, const void *p)
{
	struct pool_arena *pa;

	list_for_each_entry(pa, dead, link)
		if ((unsigned long)p - (unsigned long)pa->region.base <
		    pa->region.size)
			return true;
	return false;
}

/*
 * Take out of every CPU's cache the blocks that lie in the arenas on
 * @dead, before they are destroyed.  Only a free that raced with the
 * unlink (a double free of memory of an empty arena, seen through a hint
 * read just before the unlink bumped &gomem_pool.gen) can have put one
 * there: a cached block keeps its arena non-empty.  Such a free held its
 * CPU's lock; taking each lock after the unlink waits for it, and every
 * later free sees the new gen (ordered by the pool's lock, then the CPU's).
 * Return: the blocks taken out (bad frees).
 */
unsigned long pool_pcp_scrub(struct gomem_pool *pool,
			     struct list_head *dead)
{
	unsigned long flags, bad = 0;
	unsigned int cpu, i, j, g;

	if (!pool->pcp)
		return 0;
	for_each_possible_cpu(cpu) {
		struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);

		raw_spin_lock_irqsave(&c->lock, flags);
		for (g = 1; g <= POOL_PCP_CLASSES; g++) {
			struct pool_pcp_class *cl = &c->cls[g - 1];
			void **slot = &c->slot[cl->off];

			for (i = 0, j = 0; i < cl->nr; i++) {
				if (pool_in_dead(dead, slot[i])) {
					c->cached -= (size_t)g * GOMEM_GRANULE;
					bad++;
				} else {
					slot[j++] = slot[i];
				}
			}
			cl->nr = j;
		}
		if (c->big && pool_in_dead(dead, c->big)) {
			c->cached -= (size_t)c->big_g * GOMEM_GRANULE;
			c->big = NULL;
			bad++;
		}
		raw_spin_unlock_irqrestore(&c->lock, flags);
	}
	return bad;
}

/* Set the magazines of every CPU's cache up, empty, no hint. */
static void pool_pcp_setup(struct gomem_pool *pool)
{
	unsigned int cpu, g, off;

	/* The per-CPU allocator serves up to PCPU_MIN_UNIT_SIZE (32 KiB). */
	BUILD_BUG_ON(sizeof(struct pool_pcp) > 32 * 1024);
	for_each_possible_cpu(cpu) {
		struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);

		raw_spin_lock_init(&c->lock);
		c->gen = ~0UL;
		for (g = 1, off = 0; g <= POOL_PCP_CLASSES; g++) {
			c->cls[g - 1].off = off;
			c->cls[g - 1].cap = pool_pcp_cap(g);
			off += c->cls[g - 1].cap;
		}
		WARN_ON_ONCE(off != POOL_PCP_SLOTS);
	}
}

/*
 * Give the @n oldest blocks of a magazine back to the arenas.  A block an
 * arena refuses (a double free the fast path could not see) is dropped and
 * counted in bad_frees; the first is left in *@bad for the caller to
 * report with the locks dropped.  Return: the blocks refused.
 */
static unsigned int __pool_pcp_flush(struct gomem_pool *pool,
				     struct pool_pcp *c,
				     struct pool_pcp_class *cl,
				     unsigned int g, unsigned int n,
				     void **bad)
{
	size_t bytes = (size_t)g * GOMEM_GRANULE;
	void **slot = &c->slot[cl->off];
	unsigned int i, refused = 0;
	bool release = false;

	lockdep_assert_held(&c->lock);
	lockdep_assert_held(&pool->lock);
	for (i = 0; i < n; i++) {
		if (unlikely(__pool_free(pool, slot[i], bytes, &release,
					 true))) {
			if (!refused++)
				*bad = slot[i];
		}
	}
	/* Cached blocks never lie in dedicated arenas: @release stays. */
	WARN_ON_ONCE(release);
	memmove(slot, slot + n, (cl->nr - n) * sizeof(*slot));
	cl->nr -= n;
	c->cached -= n * bytes;
	return refused;
}

/* Report what a flush refused, with every lock dropped. */
void pool_pcp_report(struct gomem_pool *pool, void *bad,
		     unsigned int g, unsigned int refused)
{
	if (likely(!refused))
		return;
	/* The arena warned of its refusals; count them as a free would. */
	pool_report_bad_free(pool, bad, (size_t)g * GOMEM_GRANULE, -EINVAL);
}

/*
 * Give @c's big block back to its arena.  Return: 1 when the arena refused
 * it (counted in bad_frees; *@bad and *@g for pool_pcp_report()), else 0.
 */
static unsigned int __pool_pcp_flush_big(struct gomem_pool *pool,
					 struct pool_pcp *c, void **bad,
					 unsigned int *g)
{
	size_t bytes = (size_t)c->big_g * GOMEM_GRANULE;
	bool release = false;
	unsigned int refused = 0;

	lockdep_assert_held(&c->lock);
	lockdep_assert_held(&pool->lock);
	if (unlikely(__pool_free(pool, c->big, bytes, &release, true))) {
		*bad = c->big;
		*g = c->big_g;
		refused = 1;
	}
	WARN_ON_ONCE(release);	/* never in a dedicated arena */
	c->big = NULL;
	c->cached -= bytes;
	return refused;
}

/*
 * Give @c's big block back to its arena, locked as pool_pcp_drain_cpu()
 * locks a magazine.  Return: 1 when given back, else 0.
 */
static unsigned long pool_pcp_drain_cpu_big(struct gomem_pool *pool,
					    struct pool_pcp *c)
{
	unsigned int g = 0, refused = 0;
	unsigned long flags, n = 0;
	void *bad = NULL;

	if (!READ_ONCE(c->big))
		return 0;
	local_irq_save(flags);
	if (in_task()) {
		raw_spin_lock(&c->lock);
	} else if (!raw_spin_trylock(&c->lock)) {
		local_irq_restore(flags);
		return 0;	/* held: see the comment above */
	}
	if (c->big) {
		raw_spin_lock(&pool->lock);
		n = 1;
		refused = __pool_pcp_flush_big(pool, c, &bad, &g);
		raw_spin_unlock(&pool->lock);
	}
	raw_spin_unlock(&c->lock);
	local_irq_restore(flags);
	pool_pcp_report(pool, bad, g, refused);
	return n;
}

/*
 * Drain one CPU's cache into the arenas, a magazine per hold of its lock
 * and the pool's (bounded time with interrupts off).  Any context; outside
 * task context a magazine whose lock is held is left (pool_pcp_drain_cpu()).
 */
static unsigned long pool_pcp_drain_cpu(struct gomem_pool *pool,
					unsigned int cpu)
{
	struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);
	unsigned long flags, n = 0;
	unsigned int g, refused;
	void *bad = NULL;

	for (g = 1; g <= POOL_PCP_CLASSES; g++) {
		struct pool_pcp_class *cl = &c->cls[g - 1];

		/* A racy peek: an empty magazine is skipped, a filled one locked. */
		if (!READ_ONCE(cl->nr))
			continue;
		local_irq_save(flags);
		if (in_task()) {
			raw_spin_lock(&c->lock);
		} else if (!raw_spin_trylock(&c->lock)) {
			local_irq_restore(flags);
			continue;	/* held: see the comment above */
		}
		raw_spin_lock(&pool->lock);
		n += cl->nr;
		refused = __pool_pcp_flush(pool, c, cl, g, cl->nr, &bad);
		raw_spin_unlock(&pool->lock);
		raw_spin_unlock(&c->lock);
		local_irq_restore(flags);
		pool_pcp_report(pool, bad, g, refused);
	}
	return n + pool_pcp_drain_cpu_big(pool, c);
}

/*
 * Before the pool grows: every CPU's big block back to its arena, so that
 * no growth is due to one (pool_pcp_big_free()).  Task context.  Return:
 * the blocks given back.
 */
unsigned long pool_pcp_drain_big(struct gomem_pool *pool)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		n += pool_pcp_drain_cpu_big(pool, per_cpu_ptr(pool->pcp, cpu));
	return n;
}

/*
 * Drain every CPU's cache.  Any context.  Return: the blocks given back
 * to the arenas.
 */
unsigned long pool_pcp_drain(struct gomem_pool *pool)
{
	unsigned long n = 0;
	unsigned int cpu;

	if (!pool->pcp)
		return 0;
	for_each_possible_cpu(cpu)
		n += pool_pcp_drain_cpu(pool, cpu);
	return n;
}

/* CPU hotplug: a dead CPU's cache goes back to the arenas. */
int pool_pcp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct gomem_pool *pool = hlist_entry_safe(node, struct gomem_pool,
						   cpuhp_node);

	if (pool->pcp)
		pool_pcp_drain_cpu(pool, cpu);
	return 0;
}

/*
 * A malloc from the empty magazine of a dense class: one arena allocation
 * of up to cap / 2 + 1 blocks, one for the caller, the rest cached, within
 * the CPU's byte bound.  Return: the caller's block, or NULL.
 */
static void *__pool_pcp_refill(struct gomem_pool *pool, struct pool_pcp *c,
			       struct pool_pcp_class *cl, unsigned int g)
{
	size_t bytes = (size_t)g * GOMEM_GRANULE;
	unsigned int k = cl->cap / 2 + 1, i;
	unsigned long flags;
	size_t room;
	char *p;

	lockdep_assert_held(&c->lock);
	room = c->cached < pool->pcp_limit ? pool->pcp_limit - c->cached : 0;
	if ((k - 1) * bytes > room)
		k = room / bytes + 1;
	raw_spin_lock_irqsave(&pool->lock, flags);
	p = __pool_alloc(pool, k * bytes);
	if (!p && k > 1) {
		k = 1;
		p = __pool_alloc(pool, bytes);
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (!p)
		return NULL;
	/* Whole granules each: every block is freed on its own, exactly. */
	gomem_poison_free(p + bytes, (k - 1) * bytes);	/* cached: KASAN */
	for (i = k - 1; i >= 1; i--)
		c->slot[cl->off + cl->nr++] = p + i * bytes;
	c->cached += (k - 1) * bytes;
	return p;
}

/* Count a malloc of @size bytes served by @c, its block unpoisoned. */
static __always_inline void __pool_pcp_served(struct pool_pcp *c, void *p,
					      size_t size, unsigned int g)
{
	gomem_unpoison_alloc(p, size, (size_t)g * GOMEM_GRANULE);
	c->mallocs++;
	c->malloc_bytes += size;
}

/*
 * A malloc missed its class on this CPU: note the demand, and if the class
 * is cold (see pool_pcp_free()), give it its rounds back.  The
 * first look is without the lock (a stale answer costs a cold free or a
 * lock round).
 */
void pool_pcp_warm(struct gomem_pool *pool, size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	struct pool_pcp *c;

	/* A miss is demand too: the class is not cold while mallocs ask. */
	this_cpu_write(pool->pcp->used[g - 1], 2);
	/* Unlocked, maybe another CPU's: a hint, rechecked under the lock. */
	if (likely(data_race(raw_cpu_ptr(pool->pcp)->cls[g - 1].cap)))
		return;
	c = raw_cpu_ptr(pool->pcp);
	if (!raw_spin_trylock(&c->lock))
		return;		/* the next miss warms it */
	if (!c->cls[g - 1].cap)
		c->cls[g - 1].cap = pool_pcp_cap(g);
	raw_spin_unlock(&c->lock);
}

/*
 * A malloc of a dense class (1-4 granules) that found its magazine empty:
 * under this CPU's lock again, a block another call cached meanwhile, or
 * a batch refill.  Return: the block, or NULL.
 */
void *pool_pcp_alloc_refill(struct gomem_pool *pool, size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	struct pool_pcp_class *cl;
	struct pool_pcp *c;
	void *p;

	c = raw_cpu_ptr(pool->pcp);
	if (!raw_spin_trylock(&c->lock))
		return NULL;	/* the arenas serve it */
	cl = &c->cls[g - 1];
	if (cl->nr) {
		p = c->slot[cl->off + --cl->nr];
		c->cached -= (size_t)g * GOMEM_GRANULE;
	} else {
		p = __pool_pcp_refill(pool, c, cl, g);
	}
	if (likely(p))
		__pool_pcp_served(c, p, size, g);
	raw_spin_unlock(&c->lock);
	return p;
}

/*
 * Malloc of 1 to GOMEM_POOL_PERCPU_MAX bytes from this CPU's cache, the
 * hit only.  Return: the block, or NULL (nothing changed) when its
 * magazine is empty.
 */
static __always_inline void *pool_pcp_alloc(struct gomem_pool *pool,
					    size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	struct pool_pcp_class *cl;
	struct pool_pcp *c;
	void *p = NULL;

	c = raw_cpu_ptr(pool->pcp);
	if (unlikely(!raw_spin_trylock(&c->lock)))
		return NULL;
	cl = &c->cls[g - 1];
	if (likely(cl->nr)) {
		p = c->slot[cl->off + --cl->nr];
		c->used[g - 1] = 2;
		c->cached -= (size_t)g * GOMEM_GRANULE;
		__pool_pcp_served(c, p, size, g);
	}
	raw_spin_unlock(&c->lock);
	return p;
}

/*
 * Learn, without the pool's lock, whether [@p, +@bytes) lies in a regular
 * arena; if so it becomes the CPU's hint.  A binary search of
 * &gomem_pool.ranges under the sequence count &gomem_pool.gen (see
 * __pool_gen_begin()); under this CPU's cache lock, which keeps the array
 * it walks from being freed (pool_ranges_retire()) and the arena it finds
 * from being released before pool_pcp_scrub() has seen what it caches.
 */
static __always_inline bool __pool_pcp_hint(struct gomem_pool *pool,
					    struct pool_pcp *c,
					    unsigned long p, size_t bytes)
{
	unsigned long gen, base = 0, end = 0;
	const struct pool_range *r;
	unsigned int lo, mid, n;
	struct pool_hint *h;

	lockdep_assert_held(&c->lock);
	do {
		gen = READ_ONCE(pool->gen);
		if (unlikely(gen & 1)) {
			cpu_relax();
			continue;
		}
		smp_rmb();	/* the ranges after an even gen */
		n = READ_ONCE(pool->nr_ranges);
		/*
		 * The count before the array: a larger array is in place
		 * before a count beyond the old one's room (__pool_link()).
		 */
		smp_rmb();
		r = READ_ONCE(pool->ranges);
		base = 0;
		end = 0;
		for (lo = 0; lo < n;) {
			mid = lo + (n - lo) / 2;
			if (p < READ_ONCE(r[mid].base)) {
				n = mid;
			} else if (p >= READ_ONCE(r[mid].end)) {
				lo = mid + 1;
			} else {
				base = READ_ONCE(r[mid].base);
				end = READ_ONCE(r[mid].end);
				break;
			}
		}
		smp_rmb();	/* the ranges before gen again */
	} while (unlikely(READ_ONCE(pool->gen) != gen || (gen & 1)));
	/* An arena linked or unlinked since: every hint may be stale. */
	if (c->gen != gen) {
		memset(c->hint, 0, sizeof(c->hint));
		c->gen = gen;
	}
	if (!end || end - p < bytes)
		return false;
	h = pool_pcp_hint(c, p);
	h->base = base;
	h->end = end;
	return true;
}

/*
 * Does [@p, +@bytes) lie in a regular arena of @pool: by this CPU's hint,
 * which holds while no arena was linked or unlinked (pool_pcp_scrub()),
 * or else by the search?
 */
static __always_inline bool pool_pcp_in_arena(struct gomem_pool *pool,
					      struct pool_pcp *c,
					      unsigned long p, size_t bytes)
{
	struct pool_hint *h = pool_pcp_hint(c, p);

	if (likely(c->gen == READ_ONCE(pool->gen) && p >= h->base &&
		   p + bytes <= h->end))
		return true;
	return __pool_pcp_hint(pool, c, p, bytes);
}

/*
 * Frames mode.  A free that the CPU caches is served again to the next
 * malloc of its size where it lies; in a FIFO stream (buffers freed in the
 * order they came) it lies among blocks about to be freed, and lives
 * another round in the middle of what would have become a hole for a
 * large block -- where the arena's first fit would have put the new block
 * low, among the other small ones.  The in-kernel bench's frag trace read
 * 1.23 times its live bytes for it over 32 seeds, at any bound from 64 KiB
 * (1.11) up, against 1.02 without the front end.  So a CPU whose pool
 * serves it blocks over GOMEM_POOL_PERCPU_BIG_MAX (which need such holes)
 * caches, for its next POOL_PCP_FRAMES_FREES frees, only blocks in the
 * lowest eighth of their arena and at most POOL_PCP_FRAMES_BYTES: that
 * trace then reads 1.04 (README, "Footprint").  The mode starts when such
 * a malloc makes the pool grow (pool_malloc_slow()), not at every one: a
 * pool whose large blocks fit in its arenas keeps its caches (entered at
 * every large malloc, the mode doubled the time of pool_patterns' 1..16
 * KiB row).  It sets @limit to 0, so the hit's free pays nothing for it:
 * every free comes to pool_pcp_free() instead.
 */
void pool_pcp_frames(struct gomem_pool *pool)
{
	struct pool_pcp *c = raw_cpu_ptr(pool->pcp);

	if (!raw_spin_trylock(&c->lock))
		return;
	c->frames = POOL_PCP_FRAMES_FREES;
	c->limit = 0;
	raw_spin_unlock(&c->lock);
}

/*
 * Under @c's lock, with @c->limit 0: set the bound on a CPU's first free,
 * count frames mode down (leaving it at 0), and say whether frames mode
 * refuses [@p, +@bytes), which pool_pcp_in_arena() found in the hint.
 */
static bool pool_pcp_frames_refuse(struct gomem_pool *pool,
				   struct pool_pcp *c, unsigned long p,
				   size_t bytes)
{
	struct pool_hint *h = pool_pcp_hint(c, p);

	if (!c->frames || !--c->frames) {
		c->limit = pool->pcp_limit;
		return false;
	}
	return p - h->base >= (h->end - h->base) / POOL_PCP_FRAMES_LOW ||
	       c->cached + bytes > POOL_PCP_FRAMES_BYTES;
}

/*
 * Free a granule-aligned run of at most GOMEM_POOL_PERCPU_MAX bytes into
 * this CPU's cache.  Return: 0 when cached, 1 when the arenas must take it
 * (not in a regular arena: dedicated, foreign; or the cache is at its
 * bound), -EINVAL for the double free the fast path sees: the block on top
 * of its magazine.  *@bad and *@refused: what a flush refused.
 */
int pool_pcp_free(struct gomem_pool *pool, void *ptr, size_t size,
		  void **bad, unsigned int *refused)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	size_t bytes = (size_t)g * GOMEM_GRANULE;
	unsigned long p = (unsigned long)ptr, flags;
	struct pool_pcp_class *cl;
	struct pool_pcp *c;
	int ret = 0;

	c = raw_cpu_ptr(pool->pcp);
	if (unlikely(!raw_spin_trylock(&c->lock)))
		return 1;	/* the arenas take it */
	if (!pool_pcp_in_arena(pool, c, p, bytes)) {
		ret = 1;
		goto out;
	}
	if (unlikely(!c->limit) && pool_pcp_frames_refuse(pool, c, p, bytes)) {
		ret = 1;
		goto out;
	}
	cl = &c->cls[g - 1];
	if (unlikely(cl->nr && c->slot[cl->off + cl->nr - 1] == ptr)) {
		ret = -EINVAL;
		goto out;
	}
	/*
	 * Over the bound the arena takes the block and the magazines keep
	 * theirs: flushing them would only empty what the next mallocs hit.
	 */
	if (unlikely(c->cached + bytes > pool->pcp_limit)) {
		ret = 1;
		goto out;
	}
	if (unlikely(!cl->cap)) {
		ret = 1;		/* cold: see below */
		goto out;
	}
	if (unlikely(cl->nr == cl->cap)) {
		/*
		 * Full.  If no malloc of its size came over its last two
		 * overflows (@used: 2 at a malloc, halved at each overflow),
		 * the class only receives -- the rests of gomem_free_rest(),
		 * pieces of a size nobody asks for: it goes cold, this block
		 * and its later frees to the arenas, until a malloc of its
		 * size misses (pool_pcp_warm()); the half it keeps serves
		 * the next mallocs.  Caching them only to flush them cost
		 * the free_rest pattern 138 ns against 74 without the front
		 * end.  Either way half a magazine back.
		 */
		bool cold = !c->used[g - 1];

		raw_spin_lock_irqsave(&pool->lock, flags);
		*refused = __pool_pcp_flush(pool, c, cl, g, cl->nr / 2, bad);
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		c->used[g - 1] >>= 1;
		if (cold) {
			cl->cap = 0;
			ret = 1;
			goto out;
		}
	}
	/* init_on_free: zeroed before anyone can get it again. */
	if (gomem_want_init_on_free())
		gomem_wipe(ptr, 0, bytes);
	gomem_poison_free(ptr, bytes);	/* cached blocks are free to KASAN */
	c->slot[cl->off + cl->nr++] = ptr;
	c->cached += bytes;
	c->frees++;
	c->free_bytes += size;
out:
	raw_spin_unlock(&c->lock);
	return ret;
}

/*
 * A malloc of GOMEM_POOL_PERCPU_MAX + 1 to GOMEM_POOL_PERCPU_BIG_MAX
 * bytes: this CPU's big block if it has the granules asked for.  A big
 * block of another size goes back to its arena first, so that the arenas
 * serve this malloc as if the block had never been held
 * (pool_pcp_big_free()).  Return: the block, or NULL for the arenas.
 */
static void *pool_pcp_big_alloc(struct gomem_pool *pool, size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE), bg = 0;
	unsigned int refused = 0;
	unsigned long flags;
	struct pool_pcp *c;
	void *p, *bad = NULL;

	c = raw_cpu_ptr(pool->pcp);
	if (unlikely(!raw_spin_trylock(&c->lock)))
		return NULL;	/* the arenas serve it */
	c->big_want = g;
	p = c->big;
	if (likely(p) && likely(c->big_g == g)) {
		c->big = NULL;
		c->cached -= (size_t)g * GOMEM_GRANULE;
		__pool_pcp_served(c, p, size, g);
	} else if (p) {
		raw_spin_lock_irqsave(&pool->lock, flags);
		refused = __pool_pcp_flush_big(pool, c, &bad, &bg);
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		p = NULL;
	}
	raw_spin_unlock(&c->lock);
	pool_pcp_report(pool, bad, bg, refused);
	return p;
}

/*
 * Free a granule-aligned run of GOMEM_POOL_PERCPU_MAX + 1 to
 * GOMEM_POOL_PERCPU_BIG_MAX bytes.  Each CPU holds one such block, and
 * takes one only when the slot is empty and the last malloc of over 4 KiB
 * on this CPU asked for as many granules: a malloc and a free of one size
 * in turn (a driver's 8 KiB buffer) then never reach the arenas, while
 * sizes that vary hold nothing for long.  Magazines of these sizes held
 * frame slices that scattered the arenas' free room: the footprint bench
 * read up to 1.65 times its live bytes.
 * Return: 0 when cached, 1 when the arenas must take it, -EINVAL for the
 * double free of the block this CPU holds.
 */
static __always_inline int pool_pcp_big_free(struct gomem_pool *pool,
					     void *ptr, size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	size_t bytes = (size_t)g * GOMEM_GRANULE;
	unsigned long p = (unsigned long)ptr;
	struct pool_pcp *c;
	int ret = 0;

	c = raw_cpu_ptr(pool->pcp);
	if (unlikely(!raw_spin_trylock(&c->lock)))
		return 1;	/* the arenas take it */
	if (unlikely(c->big == ptr)) {
		ret = -EINVAL;
		goto out;
	}
	if (c->big || c->big_want != g ||
	    !pool_pcp_in_arena(pool, c, p, bytes)) {
		ret = 1;
		goto out;
	}
	if (gomem_want_init_on_free())
		gomem_wipe(ptr, 0, bytes);
	gomem_poison_free(ptr, bytes);	/* cached blocks are free to KASAN */
	c->big = ptr;
	c->big_g = g;
	c->big_want = 0;
	c->cached += bytes;
	c->frees++;
	c->free_bytes += size;
out:
	raw_spin_unlock(&c->lock);
	return ret;
}

/*
 * The common free into this CPU's cache: the hint holds, the magazine has
 * room within the CPU's bound, and the block is not the one on top.
 * Return: true when cached; false, with nothing changed, for
 * pool_pcp_free() to decide the rest.
 */
static __always_inline bool pool_pcp_free_fast(struct gomem_pool *pool,
					       void *ptr, size_t size)
{
	unsigned int g = DIV_ROUND_UP(size, GOMEM_GRANULE);
	size_t bytes = (size_t)g * GOMEM_GRANULE;
	unsigned long p = (unsigned long)ptr;
	struct pool_pcp_class *cl;
	struct pool_hint *h;
	struct pool_pcp *c;
	bool ok;

	c = raw_cpu_ptr(pool->pcp);
	if (unlikely(!raw_spin_trylock(&c->lock)))
		return false;
	cl = &c->cls[g - 1];
	/* init_on_free (a memset) is left to pool_pcp_free(). */
	h = pool_pcp_hint(c, p);
	ok = c->gen == READ_ONCE(pool->gen) && p >= h->base &&
	     p + bytes <= h->end &&
	     cl->nr < cl->cap && c->cached + bytes <= c->limit &&
	     !(cl->nr && c->slot[cl->off + cl->nr - 1] == ptr) &&
	     !gomem_want_init_on_free();
	if (likely(ok)) {
		gomem_poison_free(ptr, bytes);	/* free to KASAN */
		c->slot[cl->off + cl->nr++] = ptr;
		c->cached += bytes;
		c->frees++;
		c->free_bytes += size;
	}
	raw_spin_unlock(&c->lock);
	return ok;
}

/* The end of a malloc that zeroes (__GFP_ZERO or init_on_alloc). */
static noinline void *pool_malloc_done(struct gomem_pool *pool, void *p,
				       size_t size, gfp_t gfp,
				       unsigned long ip)
{
	memset(p, 0, size);
	trace_gomem_pool_malloc(pool->name, p, size, gfp, ip);
	return p;
}

/*
 * gomem_malloc() of 1 to GOMEM_POOL_PERCPU_MAX bytes with the front end
 * on: the hit, with everything else tail-called, so that it saves no
 * registers but for the lock's slow path.
 */
static noinline void *pool_malloc_pcp(struct gomem_pool *pool, size_t size,
				      gfp_t gfp, unsigned long ip)
{
	void *p = pool_pcp_alloc(pool, size);

	if (unlikely(!p))
		return pool_malloc_slow(pool, size, gfp, ip);
	if (gomem_want_init_on_alloc(gfp))
		return pool_malloc_done(pool, p, size, gfp, ip);
	trace_gomem_pool_malloc(pool->name, p, size, gfp, ip);
	return p;
}

/*
 * gomem_malloc() of GOMEM_POOL_PERCPU_MAX + 1 to GOMEM_POOL_PERCPU_BIG_MAX
 * bytes with the front end on: this CPU's big block, else the arenas.
 */
static noinline void *pool_malloc_big(struct gomem_pool *pool, size_t size,
				      gfp_t gfp, unsigned long ip)
{
	void *p = pool_pcp_big_alloc(pool, size);

	if (!p)
		return pool_malloc_slow(pool, size, gfp, ip);
	if (gomem_want_init_on_alloc(gfp))
		return pool_malloc_done(pool, p, size, gfp, ip);
	trace_gomem_pool_malloc(pool->name, p, size, gfp, ip);
	return p;
}

/*
 * gomem_free() of a granule-aligned run of 1 to GOMEM_POOL_PERCPU_MAX
 * bytes with the front end on: the common case, the rest tail-called.
 */
static noinline int pool_free_pcp(struct gomem_pool *pool, void *ptr,
				  size_t size, unsigned long ip)
{
	if (unlikely(!pool_pcp_free_fast(pool, ptr, size)))
		return pool_free_slow(pool, ptr, size, ip);
	trace_gomem_pool_free(pool->name, ptr, size, ip);
	return 0;
}

/*
 * gomem_free() of a granule-aligned run of GOMEM_POOL_PERCPU_MAX + 1 to
 * GOMEM_POOL_PERCPU_BIG_MAX bytes with the front end on: this CPU's big
 * block, else the arenas.
 */
static noinline int pool_free_big(struct gomem_pool *pool, void *ptr,
				  size_t size, unsigned long ip)
{
	int ret = pool_pcp_big_free(pool, ptr, size);

	if (likely(!ret)) {
		trace_gomem_pool_free(pool->name, ptr, size, ip);
		return 0;
	}
	if (ret < 0)
		return pool_free_refused(pool, ptr, size);
	return pool_free_arena(pool, ptr, size, ip);
}

/* The bytes every CPU's cache holds; lockless reads. */
size_t pool_pcp_cached(struct gomem_pool *pool)
{
	size_t bytes = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		bytes += READ_ONCE(per_cpu_ptr(pool->pcp, cpu)->cached);
	return bytes;
}

/* Add every CPU's cached bytes and counters to @st; lockless reads. */
void pool_pcp_sum(struct gomem_pool *pool, struct gomem_pool_stats *st)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);

		st->cached += READ_ONCE(c->cached);
		st->mallocs += READ_ONCE(c->mallocs);
		st->frees += READ_ONCE(c->frees);
		st->malloc_bytes += READ_ONCE(c->malloc_bytes);
		st->free_bytes += READ_ONCE(c->free_bytes);
	}
}

/*
 * Check every CPU's magazines against its byte count and bound (a cache
 * whose lock an interrupted holder has is skipped, as by the drains).
 * Return: 0, or -EUCLEAN.
 */
int pool_pcp_check(struct gomem_pool *pool)
{
	unsigned long flags;
	unsigned int cpu;
	int ret = 0;

	for_each_possible_cpu(cpu) {
		struct pool_pcp *c = per_cpu_ptr(pool->pcp, cpu);
		unsigned int g;
		size_t bytes = 0;

		local_irq_save(flags);
		if (in_task()) {
			raw_spin_lock(&c->lock);
		} else if (!raw_spin_trylock(&c->lock)) {
			local_irq_restore(flags);
			continue;	/* as pool_pcp_drain_cpu() */
		}
		for (g = 1; g <= POOL_PCP_CLASSES; g++) {
			/* A cold class (cap 0) keeps what it held. */
			if (c->cls[g - 1].nr > pool_pcp_cap(g))
				ret = -EUCLEAN;
			bytes += (size_t)c->cls[g - 1].nr * g * GOMEM_GRANULE;
		}
		/* The bound is the magazines'; the big block comes on top. */
		if (bytes > pool->pcp_limit)
			ret = -EUCLEAN;
		if (c->big) {
			if (c->big_g <= POOL_PCP_CLASSES ||
			    c->big_g > GOMEM_POOL_PERCPU_BIG_MAX / GOMEM_GRANULE)
				ret = -EUCLEAN;
			bytes += (size_t)c->big_g * GOMEM_GRANULE;
		}
		if (bytes != c->cached)
			ret = -EUCLEAN;
		raw_spin_unlock(&c->lock);
		local_irq_restore(flags);
	}
	return ret;
}

/*
 * Give @pool its per-CPU caches, empty.  Process context.
 * Return: 0, or -ENOMEM.
 */
int pool_pcp_create(struct gomem_pool *pool)
{
	pool->pcp = gomem_should_fail(sizeof(*pool->pcp)) ? NULL :
		    __alloc_percpu_gfp(sizeof(*pool->pcp),
				       __alignof__(*pool->pcp),
				       GFP_KERNEL | __GFP_NOWARN);
	if (!pool->pcp)
		return -ENOMEM;
	pool_pcp_setup(pool);
	return 0;
}

/**
 * gomem_malloc() - allocate from a pool
 * @pool: the pool
 * @size: bytes, at least 1
 * @gfp: GFP_KERNEL (may grow the pool, sleeps) or GFP_ATOMIC / GFP_NOWAIT
 *	 (served from the existing arenas only), with any modifiers; zone
 *	 modifiers (__GFP_HIGHMEM, __GFP_DMA32, ...) are ignored: pool memory
 *	 is vmalloc'd or the module buddy's, never from a zone asked for
 *
 * The memory is 32-byte aligned (the arena granule).  It is zeroed, over
 * @size bytes and once, with __GFP_ZERO, and also without it where the
 * kernel zeroes every allocation (init_on_alloc=1, Debian's default) or
 * gomem's parameter ``init_on_alloc`` is set: what kmalloc() does there.
 * The memset runs after the pool's lock is dropped.  A request larger
 * than the pool's max arena size gets a dedicated arena; that needs a
 * blocking @gfp too.  Free it with
 * gomem_free(), whole or in pieces.
 *
 * Context: any context.  Sleeps only if @gfp allows blocking and the arenas
 * cannot serve the request.  Takes the pool's raw spinlock.
 * Return: the memory, or NULL (counted in the pool's failures) when it
 * cannot be served, or for @size 0 or larger than the machine's memory (a
 * caller bug: warned once, counted as bad input).
 */
void *gomem_malloc(struct gomem_pool *pool, size_t size, gfp_t gfp)
{
	/* Catch a blocking gfp in atomic context even when no growth is due. */
	might_alloc(gfp);
	/* size - 1: size 0 wraps and takes the slow path's refusal. */
	if (likely(pool->pcp) && likely(size - 1 < GOMEM_POOL_PERCPU_MAX))
		return pool_malloc_pcp(pool, size, gfp, _RET_IP_);
	if (pool->pcp && size - 1 < GOMEM_POOL_PERCPU_BIG_MAX)
		return pool_malloc_big(pool, size, gfp, _RET_IP_);
	return pool_malloc_slow(pool, size, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(gomem_malloc);

/**
 * gomem_free() - free memory of a pool, whole or a piece
 * @pool: the pool
 * @ptr: first byte to free
 * @size: bytes to free, at least 1
 *
 * Any byte range of an allocation may be freed, in pieces and in any order
 * (GoMem's segment free), under the arena's granule rule and its safety
 * rule (the Arena DOC block in gomem_arena.c, "Granules"); tail frees
 * (gomem_free_rest()) are always safe.  A dedicated arena that becomes
 * empty is released by a work item.  Under init_on_free (the kernel's or
 * gomem's parameter) the granules released are zeroed before they can be
 * reused, under the pool's lock (the check that the free is good runs
 * there): interrupts stay off for a memset of about @size bytes more.
 *
 * Context: any context, hardirq included; never sleeps.  Takes the pool's
 * raw spinlock.
 * Return: 0, or -EINVAL for @ptr outside the pool, @size 0, or a piece
 * that is not in use (a caller bug: warned once, counted in bad_frees).
 */
int gomem_free(struct gomem_pool *pool, void *ptr, size_t size)
{
	/* size - 1: size 0 wraps and takes the slow path's refusal. */
	if (likely(pool->pcp) && likely(size - 1 < GOMEM_POOL_PERCPU_MAX) &&
	    IS_ALIGNED((unsigned long)ptr, GOMEM_GRANULE))
		return pool_free_pcp(pool, ptr, size, _RET_IP_);
	if (pool->pcp && size - 1 < GOMEM_POOL_PERCPU_BIG_MAX &&
	    IS_ALIGNED((unsigned long)ptr, GOMEM_GRANULE))
		return pool_free_big(pool, ptr, size, _RET_IP_);
	return pool_free_slow(pool, ptr, size, _RET_IP_);
}
EXPORT_SYMBOL_GPL(gomem_free);
