/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem memory-initialisation policy: when gomem zeroes the memory it hands
 * out and the memory it takes back.  A leaf header like gomem_report.h: the
 * algorithm files (treap, AVL, buddy) include it and nothing else of the
 * glue; the harness supplies linux/mm.h and linux/jump_label.h with switches
 * its tests flip.
 *
 * gomem follows the kernel's hardening switches (init_on_alloc= and
 * init_on_free= on the command line, CONFIG_INIT_ON_{ALLOC,FREE}_DEFAULT_ON)
 * through the kernel's own tests, want_init_on_alloc() and
 * want_init_on_free(), both static branches: a kernel with the policy off
 * pays a patched-out jump.  The module parameters ``init_on_alloc`` and
 * ``init_on_free`` (gomem_core.c) can only add zeroing, never remove it.
 *
 *  - On allocation (init_on_alloc, or __GFP_ZERO where the API takes a gfp):
 *    exactly the bytes asked for are zeroed, once.
 *  - On free (init_on_free): the granules (arena) or the block (buddy) the
 *    caller gives back are zeroed after the free has been checked and before
 *    the index writes its node into them, so a refused free (a double free)
 *    zeroes nothing and no node is clobbered.
 *
 * Poison mode (module parameter ``poison``, off by default; like
 * slub_debug=P): free memory holds GOMEM_POISON_BYTE instead, but for the
 * index nodes (the last granule of each free block), and the pattern is
 * checked when memory is handed out again and by the checkers, so that a
 * write into freed memory is reported (gomem_arena.c, gomem_buddy.c).  It
 * replaces init_on_free's zeroing, as SLUB's poisoning does: freed memory
 * holds the pattern, not the caller's data.
 */
#ifndef _GOMEM_INIT_H
#define _GOMEM_INIT_H

#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/types.h>

/* Module parameters init_on_alloc, init_on_free, poison (gomem_core.c). */
DECLARE_STATIC_KEY_FALSE(gomem_force_init_on_alloc);
DECLARE_STATIC_KEY_FALSE(gomem_force_init_on_free);
DECLARE_STATIC_KEY_FALSE(gomem_poison);

/* What free memory holds in poison mode: POISON_FREE, as SLUB writes. */
#define GOMEM_POISON_BYTE	0x6b

/*
 * Zero what an allocation hands out?  @gfp: the caller's flags, or 0 for an
 * API without them (arena, buddy): then only the policy decides.
 */
static __always_inline bool gomem_want_init_on_alloc(gfp_t gfp)
{
	return want_init_on_alloc(gfp) ||
	       static_branch_unlikely(&gomem_force_init_on_alloc);
}

/* Zero what a free gives back, before the memory can be reused? */
static __always_inline bool gomem_want_init_on_free(void)
{
	return want_init_on_free() ||
	       static_branch_unlikely(&gomem_force_init_on_free);
}

/* Poison mode: free memory holds GOMEM_POISON_BYTE, checked on reuse. */
static __always_inline bool gomem_want_poison(void)
{
	return static_branch_unlikely(&gomem_poison);
}

#endif /* _GOMEM_INIT_H */
