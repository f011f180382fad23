/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of the kernel that the glue files below the module use
 * (gomem_arena.c, gomem_backing.c, gomem_pool.c, gomem_pcp.c, gomem_rm.c:
 * locks, lists, rbtree, work items, notifier chains, vmalloc variants), so that
 * the harness compiles them unchanged.  The files above them (gomem_core.c,
 * gomem_debugfs.c, gomem_bench.c: module parameters, debugfs, seq_file) are
 * kernel-only and need no shim.  Every <linux/...> header below that is
 * not an algorithm header (atomic.h, gfp.h, list.h, ...) just includes
 * this one.
 *
 * Threads may stand in for CPUs (each sets shim_cpu, below): spinlocks are
 * real and correct across threads, costing what the kernel's uncontended
 * raw spinlock does (one locked compare-and-exchange to take it, a release
 * store to drop it) but not its interrupt masking (local_irq_save() and
 * friends are no-ops: no interrupts in userspace).  Mutexes, notifier
 * chains and the registry stay single-threaded: create and destroy pools
 * from one thread.  Work items run at once, in the queueing thread.
 */
#ifndef _SHIM_LINUX_GOMEM_KSHIM_H
#define _SHIM_LINUX_GOMEM_KSHIM_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/errno.h>

/* ---- sizes, pages, math ---- */
#define SZ_1K		0x00000400
#define SZ_4K		0x00001000
#define SZ_16K		0x00004000
#define SZ_32K		0x00008000
#define SZ_64K		0x00010000
#define SZ_128K		0x00020000
#define SZ_256K		0x00040000
#define SZ_1M		0x00100000
#define SZ_4M		0x00400000
#define SZ_64M		0x04000000
#define SZ_1G		0x40000000
#ifndef PAGE_SIZE
#define PAGE_SIZE	4096UL
#endif
#define PAGE_ALIGN(x)	ALIGN((x), PAGE_SIZE)
#ifndef PAGE_SHIFT
#define PAGE_SHIFT	12
#endif

/* A 16 GiB machine, for the absurd-size check of gomem_malloc(). */
static inline unsigned long totalram_pages(void)
{
	return 1UL << 22;
}
#define PMD_SIZE	(2UL << 20)

static inline u64 div64_u64(u64 a, u64 b)
{
	return a / b;
}

/* ---- gfp, vmalloc variants, slab extras ---- */
#ifndef __GFP_DIRECT_RECLAIM
#define __GFP_DIRECT_RECLAIM	0x400u
#endif
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	/* The shim's GFP_KERNEL is the only blocking mask. */
	return gfp & (GFP_KERNEL | __GFP_DIRECT_RECLAIM);
}

#define might_sleep()		do { } while (0)
#define might_sleep_if(c)	do { (void)(c); } while (0)
#define might_alloc(gfp)	do { (void)(gfp); } while (0)

/* __vmalloc() and vmalloc_huge(): linux/slab.h. */

#define scnprintf(buf, n, fmt...)	snprintf(buf, n, fmt)

/* ---- atomics ---- */
typedef struct { long counter; } atomic_long_t;
#define atomic_long_read(v)	__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_long_inc(v)	__atomic_fetch_add(&(v)->counter, 1, __ATOMIC_RELAXED)
#define atomic_long_dec(v)	__atomic_fetch_sub(&(v)->counter, 1, __ATOMIC_RELAXED)
typedef struct { int counter; } atomic_t;
#define ATOMIC_INIT(i)		{ (i) }
#define atomic_inc_return(v)	(__atomic_fetch_add(&(v)->counter, 1, __ATOMIC_RELAXED) + 1)

/*
 * ---- locks ----
 * The kernel's queued spinlock, uncontended: lock is one
 * atomic_try_cmpxchg_acquire() of 0 to 1 (x86: lock cmpxchg), unlock one
 * smp_store_release() (x86: a plain store).  The same here; contended,
 * shim_spin_lock_slow() spins on loads, and yields the CPU now and then: unlike the kernel's, a holder here can be preempted.  The
 * preempt count the kernel bumps (two per-CPU increments) is not kept.
 */
typedef struct { int locked; } raw_spinlock_t;
typedef raw_spinlock_t spinlock_t;

void shim_spin_lock_slow(raw_spinlock_t *l);

static inline void raw_spin_lock_init(raw_spinlock_t *l)
{
	l->locked = 0;
}

static inline void raw_spin_lock(raw_spinlock_t *l)
{
	int unlocked = 0;

	if (__builtin_expect(!__atomic_compare_exchange_n(&l->locked,
			&unlocked, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
			0))
		shim_spin_lock_slow(l);
}

/*
 * Interrupts, for the callers that differ by context: a harness thread
 * sets shim_irq to stand in for an interrupt on its "CPU": 1, in_task() is
 * false; 2, also every trylock fails, as in the kernel when an interrupt
 * meets its CPU's holder (only when built with GOMEM_SHIM_TRYLOCK_FAULTS,
 * the pool fuzzer: the benches keep the kernel's cost of a trylock).
 */
extern __thread unsigned int shim_irq;
#define in_task()	(!shim_irq)

static inline int raw_spin_trylock(raw_spinlock_t *l)
{
	int unlocked = 0;

#ifdef GOMEM_SHIM_TRYLOCK_FAULTS
	if (shim_irq > 1)
		return 0;
#endif
	return __atomic_compare_exchange_n(&l->locked, &unlocked, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void raw_spin_unlock(raw_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#define raw_spin_lock_irqsave(l, f)	do { (f) = 0; raw_spin_lock(l); } while (0)
#define raw_spin_unlock_irqrestore(l, f) do { (void)(f); raw_spin_unlock(l); } while (0)
#define raw_spin_lock_irq(l)		raw_spin_lock(l)
#define raw_spin_unlock_irq(l)		raw_spin_unlock(l)
#define lockdep_assert_held(l)		do { (void)(l); } while (0)
#define DEFINE_SPINLOCK(x)		spinlock_t x = { 0 }
#define spin_lock_init(l)		raw_spin_lock_init(l)
#define spin_lock(l)			raw_spin_lock(l)
#define spin_unlock(l)			raw_spin_unlock(l)
#define spin_lock_irqsave(l, f)		raw_spin_lock_irqsave(l, f)
#define spin_unlock_irqrestore(l, f)	raw_spin_unlock_irqrestore(l, f)

/*
 * ---- per-CPU data, interrupts, CPU hotplug ----
 * SHIM_NR_CPUS possible "CPUs"; the current one is the thread-local
 * shim_cpu, which a harness sets (0 unless it does).  A per-CPU area is
 * SHIM_NR_CPUS copies, SHIM_PCPU_UNIT apart.  Threads stand
 * in for CPUs: a benchmark or fuzzer thread sets its shim_cpu (two threads
 * on one "CPU" are still correct: the per-CPU locks the pool takes are the
 * real spinlocks above).  Interrupt masking is a no-op (no interrupts
 * here), so its cost in the kernel (pushf/cli, popf) is not reproduced.
 * Hotplug never happens.
 */
#define SHIM_NR_CPUS		4
extern __thread unsigned int shim_cpu;
#define __percpu
#define nr_cpu_ids		SHIM_NR_CPUS
#define for_each_possible_cpu(c) for ((c) = 0; (c) < SHIM_NR_CPUS; (c)++)
#define smp_processor_id()	(shim_cpu)
#define local_irq_save(f)	do { (f) = 0; } while (0)
#define local_irq_restore(f)	do { (void)(f); } while (0)

/*
 * Each per-CPU allocation is SHIM_NR_CPUS units of SHIM_PCPU_UNIT bytes,
 * copy c at c units from copy 0: a CPU's pointer is one shift and one add
 * from the thread-local shim_cpu, about the kernel's this_cpu_ptr() (an
 * add of the %gs-relative this_cpu_off).
 */
#define SHIM_PCPU_UNIT		(64UL << 10)
void *shim_alloc_percpu(size_t size, size_t align);
void shim_free_percpu(void *p);
static inline void *shim_per_cpu_ptr(void *p, unsigned int cpu)
{
	return (char *)p + cpu * SHIM_PCPU_UNIT;
}
#define __alloc_percpu(size, align)	shim_alloc_percpu(size, align)
#define __alloc_percpu_gfp(size, align, gfp)	shim_alloc_percpu(size, align)
#define free_percpu(p)		shim_free_percpu((void *)(p))
#define per_cpu_ptr(p, cpu)	((typeof(p))shim_per_cpu_ptr((void *)(p), (cpu)))
#define this_cpu_ptr(p)		per_cpu_ptr(p, shim_cpu)
#define raw_cpu_ptr(p)		this_cpu_ptr(p)
#define this_cpu_write(pcp, val)	(*this_cpu_ptr(&(pcp)) = (val))

struct hlist_node {
	struct hlist_node *next, **pprev;
};
#define hlist_entry_safe(p, type, member) \
	((p) ? container_of(p, type, member) : NULL)
enum cpuhp_state { CPUHP_INVALID = -1, CPUHP_BP_PREPARE_DYN = 1 };
static inline int cpuhp_setup_state_multi(enum cpuhp_state s, const char *n,
		int (*up)(unsigned int cpu, struct hlist_node *node),
		int (*down)(unsigned int cpu, struct hlist_node *node))
{
	return s;
}
#define cpuhp_remove_multi_state(s)		do { (void)(s); } while (0)
static inline int cpuhp_state_add_instance_nocalls(int s, struct hlist_node *n)
{
	return 0;
}

static inline int cpuhp_state_remove_instance_nocalls(int s,
						       struct hlist_node *n)
{
	return 0;
}

/* A real lock: a pool's growth serialises on one across threads. */
struct mutex { int locked; };
#define DEFINE_MUTEX(m)		struct mutex m = { 0 }
#define mutex_init(m)		do { (m)->locked = 0; } while (0)
#define mutex_destroy(m)	do { } while (0)
int sched_yield(void);
static inline void mutex_lock(struct mutex *m)
{
	while (__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static inline void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
}

static inline int mutex_trylock(struct mutex *m)
{
	return !__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE);
}

/* shim.c: gomem_should_fail() fails this many in 1000 (0: never). */
extern unsigned int gomem_shim_fail_permille;
void gomem_shim_fail_reset(unsigned int permille, unsigned int seed);

/* ---- lists ---- */
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e->prev = NULL;
}

static inline void list_move_tail(struct list_head *e, struct list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	list_add_tail(e, h);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_splice_init(struct list_head *from,
				    struct list_head *to)
{
	if (list_empty(from))
		return;
	from->prev->next = to->next;
	to->next->prev = from->prev;
	to->next = from->next;
	from->next->prev = to;
	INIT_LIST_HEAD(from);
}

#define list_entry(p, type, member)	container_of(p, type, member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, typeof(*pos), member),	\
	     n = list_entry(pos->member.next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, typeof(*n), member))

/*
 * ---- rbtree ----
 * The kernel's API over a real red-black tree (shim/rbtree.c, written for
 * the harness): balanced as lib/rbtree.c keeps it, so a pool's arena
 * lookup walks as many nodes as in the kernel.  The colour is the low bit
 * of the parent word, as in the kernel (a node is three words).
 */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			((struct rb_root) { NULL })
#define rb_entry(p, type, member)	container_of(p, type, member)
#define rb_parent(n)	((struct rb_node *)((n)->__rb_parent_color & ~3UL))

/* Hang @n, red, at *@link under @parent; rb_insert_color() rebalances. */
static inline void rb_link_node(struct rb_node *n, struct rb_node *parent,
				struct rb_node **link)
{
	n->__rb_parent_color = (unsigned long)parent;	/* red */
	n->rb_left = n->rb_right = NULL;
	*link = n;
}

void rb_insert_color(struct rb_node *n, struct rb_root *root);
void rb_erase(struct rb_node *n, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *n);
struct rb_node *rb_prev(const struct rb_node *n);

/* ---- work items: run at once ---- */
struct work_struct {
	void (*func)(struct work_struct *w);
};

struct workqueue_struct;
#define system_unbound_wq	((struct workqueue_struct *)NULL)
#define INIT_WORK(w, f)		((w)->func = (f))

static inline bool queue_work(struct workqueue_struct *wq,
			      struct work_struct *w)
{
	w->func(w);
	return true;
}

static inline bool flush_work(struct work_struct *w)
{
	return false;
}

/* ---- notifier chains: a list called in order ---- */
#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action,
			     void *data);
	struct notifier_block *next;
};

struct blocking_notifier_head {
	struct notifier_block *head;
};

#define BLOCKING_NOTIFIER_HEAD(name)	struct blocking_notifier_head name = { NULL }

static inline int notifier_from_errno(int err)
{
	return err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

static inline int blocking_notifier_chain_register(struct blocking_notifier_head *h,
						   struct notifier_block *nb)
{
	nb->next = h->head;
	h->head = nb;
	return 0;
}

static inline int blocking_notifier_chain_unregister(struct blocking_notifier_head *h,
						     struct notifier_block *nb)
{
	struct notifier_block **p;

	for (p = &h->head; *p; p = &(*p)->next)
		if (*p == nb) {
			*p = nb->next;
			return 0;
		}
	return -ENOENT;
}

static inline int blocking_notifier_call_chain(struct blocking_notifier_head *h,
					       unsigned long val, void *v)
{
	struct notifier_block *nb;
	int ret = NOTIFY_DONE;

	for (nb = h->head; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	return ret;
}

/* Like the kernel's: a refusal of @up calls @down on those that took it. */
static inline int blocking_notifier_call_chain_robust(struct blocking_notifier_head *h,
						      unsigned long up,
						      unsigned long down,
						      void *v)
{
	struct notifier_block *nb, *stop = NULL;
	int ret = NOTIFY_DONE;

	for (nb = h->head; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, up, v);
		if (ret & NOTIFY_STOP_MASK) {
			stop = nb;
			break;
		}
	}
	for (nb = h->head; stop && nb != stop; nb = nb->next)
		nb->notifier_call(nb, down, v);
	return ret;
}

#define KBUILD_MODNAME		"gomem"

#endif
