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
 */
#ifndef _GOMEM_INIT_H
#define _GOMEM_INIT_H

#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/types.h>

/* Module parameters init_on_alloc and init_on_free (gomem_core.c). */
DECLARE_STATIC_KEY_FALSE(gomem_force_init_on_alloc);
DECLARE_STATIC_KEY_FALSE(gomem_force_init_on_free);

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

#endif /* _GOMEM_INIT_H */
