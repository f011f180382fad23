// SPDX-License-Identifier: GPL-2.0
/*
 * The every-context stress on pools (gomem_stress.h): a kthread bound to
 * each of two CPUs, a timer (softirq) and a hard irq_work, random sizes
 * (mostly ones the per-CPU front end caches, some larger), frees whole and
 * in two pieces, a quarter of the blocks handed to the other CPU's thread
 * to free, trims, checks and (if asked) shrinker calls meanwhile.  Every
 * byte handed out carries a pattern, compared in full before its free.
 * The suite gomem_pool_percpu runs it for a number of operations, the soak
 * (kunit/gomem_soak_test.c) for a time.
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <gomem/gomem.h>
#include "../gomem_internal.h"
#include "gomem_compat.h"
#include "gomem_stress.h"

struct stress_thread {
	struct gomem_stress *s;
	unsigned int id;		/* 0 or 1 */
	struct completion done;
	struct gomem_stress_blk live[GOMEM_STRESS_LIVE];
	struct gomem_stress_blk mine[GOMEM_STRESS_BOX];	/* handed over */
};

/* Compare every byte of @b with its pattern. */
static bool stress_check(struct gomem_stress *s,
			 const struct gomem_stress_blk *b)
{
	atomic_long_add(b->len, &s->bytes_checked);
	return !memchr_inv(b->p, b->pat, b->len);
}

/* Free a checked block whole, or in two pieces split on a granule. */
static void stress_free(struct gomem_stress *s, struct gomem_stress_blk *b,
			u32 r)
{
	size_t cut = round_down(b->len / 2, GOMEM_GRANULE);
	struct gomem_pool *pool = b->pool;

	if (!stress_check(s, b))
		atomic_long_inc(&s->errors);
	if (!cut || (r & 1)) {
		if (gomem_free(pool, b->p, b->len))
			atomic_long_inc(&s->errors);
		atomic_long_inc(&s->frees);
	} else {
		/* Either piece first: a cut on a granule is safe both ways. */
		if (r & 2) {
			if (gomem_free(pool, b->p + cut, b->len - cut) ||
			    gomem_free(pool, b->p, cut))
				atomic_long_inc(&s->errors);
		} else {
			if (gomem_free(pool, b->p, cut) ||
			    gomem_free(pool, b->p + cut, b->len - cut))
				atomic_long_inc(&s->errors);
		}
		atomic_long_add(2, &s->frees);
	}
	b->p = NULL;
}

/* Malloc @b->len bytes of @b->pool and fill them; false if it failed. */
static bool stress_malloc(struct gomem_stress *s, struct gomem_stress_blk *b,
			  gfp_t gfp)
{
	b->p = gomem_malloc(b->pool, b->len, gfp);
	if (!b->p) {
		atomic_long_inc(&s->failures);
		return false;
	}
	atomic_long_inc(&s->mallocs);
	memset(b->p, b->pat, b->len);
	return true;
}

/* A few GFP_ATOMIC blocks in and out, from the timer or the irq_work. */
static void stress_churn(struct gomem_stress *s, u32 r)
{
	struct gomem_stress_blk b[4];
	int i;

	for (i = 0; i < 4; i++) {
		b[i].pool = s->pool[(r >> i) & 1];
		b[i].len = 1 + (r >> (i * 8)) % 2048;
		b[i].pat = 0xc0 + i;
		stress_malloc(s, &b[i], GFP_ATOMIC);
	}
	for (i = 0; i < 4; i++)
		if (b[i].p)
			stress_free(s, &b[i], r >> i);
}

/*
 * A random word for the timer and the irq_work: a Weyl sequence through
 * a 32-bit mixer (murmur3's finaliser), lock-free.  Not get_random_u32():
 * on PREEMPT_RT its crng lock is a sleeping lock, which a hard irq_work
 * may not take (lockdep: "Invalid wait context").
 */
static u32 stress_random(struct gomem_stress *s)
{
	u32 x = (u32)atomic_add_return(0x9e3779b9, &s->rng);

	x ^= x >> 16;
	x *= 0x85ebca6b;
	x ^= x >> 13;
	x *= 0xc2b2ae35;
	return x ^ (x >> 16);
}

static void stress_timer_fn(struct timer_list *t)
{
	struct gomem_stress *s = timer_container_of(s, t, timer);

	stress_churn(s, stress_random(s));
	atomic_inc(&s->timer_runs);
	if (!READ_ONCE(s->stop))
		mod_timer(&s->timer, jiffies + 1);
}

static void stress_irq_work_fn(struct irq_work *w)
{
	struct gomem_stress *s = container_of(w, struct gomem_stress, work);

	if (in_hardirq())
		WRITE_ONCE(s->hardirq, true);
	stress_churn(s, stress_random(s));
	atomic_inc(&s->irq_runs);
}

/* Hand @b to the other thread; false if its box is full. */
static bool stress_hand_over(struct gomem_stress *s, unsigned int to,
			     struct gomem_stress_blk *b)
{
	bool handed = false;

	/* Checked first: once handed over, it may be freed at any time. */
	if (!stress_check(s, b))
		atomic_long_inc(&s->errors);
	spin_lock(&s->box_lock);
	if (s->box_nr[to] < GOMEM_STRESS_BOX) {
		s->box[to][s->box_nr[to]++] = *b;
		handed = true;
	}
	spin_unlock(&s->box_lock);
	if (handed)
		b->p = NULL;
	return handed;
}

/* Every pool of the run, once: trim it, check it, or both. */
static void stress_maintain(struct gomem_stress *s, bool trim, bool check)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (i && s->pool[1] == s->pool[0])
			break;
		if (trim) {
			gomem_pool_trim(s->pool[i]);
			atomic_long_inc(&s->trims);
		}
		if (check) {
			if (gomem_pool_check(s->pool[i]))
				atomic_long_inc(&s->errors);
			atomic_long_inc(&s->checks);
		}
	}
}

static bool stress_more(struct gomem_stress *s, unsigned long n)
{
	return s->ops ? n < s->ops : time_before(jiffies, s->until);
}

static int stress_thread_fn(void *arg)
{
	struct stress_thread *th = arg;
	struct gomem_stress *s = th->s;
	struct gomem_stress_blk *live = th->live, *mine = th->mine;
	unsigned int i, got;
	struct rnd_state rs;
	unsigned long n;
	int j;

	prandom_seed_state(&rs, s->seed + th->id);
	for (n = 0; stress_more(s, n); n++) {
		u32 r = prandom_u32_state(&rs);
		struct gomem_stress_blk *b = &live[r % GOMEM_STRESS_LIVE];

		if (b->p) {
			/* A quarter goes to the other CPU's thread to free. */
			if ((r >> 8) % 4 || !stress_hand_over(s, !th->id, b))
				stress_free(s, b, r >> 10);
		} else {
			gfp_t gfp = (r >> 8) & 1 ? GFP_KERNEL : GFP_ATOMIC;

			b->pool = s->pool[(r >> 7) & 1];
			b->len = (r >> 9) % 8 ? 1 + (r >> 12) % SZ_4K :
						SZ_4K + 1 + (r >> 12) % SZ_8K;
			b->pat = th->id * 64 + (r & 63);
			if (!stress_malloc(s, b, gfp) && gfp == GFP_KERNEL)
				atomic_long_inc(&s->errors);
		}
		/* What the other thread handed over, freed on this CPU. */
		spin_lock(&s->box_lock);
		got = s->box_nr[th->id];
		memcpy(mine, s->box[th->id], got * sizeof(*mine));
		s->box_nr[th->id] = 0;
		spin_unlock(&s->box_lock);
		for (i = 0; i < got; i++)
			stress_free(s, &mine[i], r >> (i % 8));
		if (n % 8 == 0)
			irq_work_queue(&s->work);
		if (n % 64 == 63 || n % 512 == 511)
			stress_maintain(s, n % 64 == 63, n % 512 == 511);
		if (s->shrink && n % 1024 == 1023) {
			unsigned long count;

			gomem_shrinker_run(16, &count);
			atomic_long_inc(&s->shrinks);
		}
		if (n % 32 == 0)
			cond_resched();
	}
	for (j = 0; j < GOMEM_STRESS_LIVE; j++)
		if (live[j].p)
			stress_free(s, &live[j], j);
	kthread_complete_and_exit(&th->done, 0);
}

/**
 * gomem_stress_run() - run the stress and wait for its end
 * @s: zeroed, then @s->pool, @s->cpu, @s->seed and @s->ops or @s->until set
 *
 * When it returns, every block it handed out has been checked and freed,
 * the timer and the irq_work have stopped; the caller judges the counters
 * and the pools' stats.
 *
 * Context: process context; sleeps.  Both CPUs must be online.
 * Return: 0, or -ENOMEM / a kthread_create() error before anything ran.
 */
int gomem_stress_run(struct gomem_stress *s)
{
	struct stress_thread *th = kcalloc(2, sizeof(*th), GFP_KERNEL);
	struct task_struct *t[2];
	unsigned int i, k;

	if (!th)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		th[i].s = s;
		th[i].id = i;
		init_completion(&th[i].done);
		t[i] = kthread_create(stress_thread_fn, &th[i], "gomem_stress/%u",
				      s->cpu[i]);
		if (IS_ERR(t[i])) {
			int ret = PTR_ERR(t[i]);

			/* Never woken: it exits without running its fn. */
			if (i)
				kthread_stop(t[0]);
			kfree(th);
			return ret;
		}
		kthread_bind(t[i], s->cpu[i]);
	}
	spin_lock_init(&s->box_lock);
	atomic_set(&s->rng, s->seed);	/* the seed replays these too */
	/* Hard even on PREEMPT_RT, where plain irq_work runs in a thread. */
	s->work = IRQ_WORK_INIT_HARD(stress_irq_work_fn);
	timer_setup(&s->timer, stress_timer_fn, 0);
	mod_timer(&s->timer, jiffies + 1);
	for (i = 0; i < 2; i++)
		wake_up_process(t[i]);
	for (i = 0; i < 2; i++)
		wait_for_completion(&th[i].done);
	WRITE_ONCE(s->stop, true);
	timer_delete_sync(&s->timer);	/* 6.15 removed del_timer_sync() */
	irq_work_sync(&s->work);
	/* Blocks handed over after their taker had finished. */
	for (i = 0; i < 2; i++)
		for (k = 0; k < s->box_nr[i]; k++)
			stress_free(s, &s->box[i][k], k);
	kfree(th);
	return 0;
}
