/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model of the buddy allocator, shared by the gomem_buddy
 * suite and tools/testing/fuzz/buddy_fuzz.c: one owner per unit (the
 * first unit of its block + 1; 0: free).
 */
#ifndef _GOMEM_BUDDY_MODEL_H
#define _GOMEM_BUDDY_MODEL_H

#include <linux/types.h>

int gomem_buddy_model_largest_order(const u32 *owner, unsigned long nr);
bool gomem_buddy_model_take(u32 *owner, unsigned long nr, unsigned long u,
			    unsigned long n);
bool gomem_buddy_model_give(u32 *owner, unsigned long nr, unsigned long u,
			    unsigned long n);

#endif /* _GOMEM_BUDDY_MODEL_H */
