/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem: binary buddy allocator over one region (see gomem_buddy.c).
 *
 * The caller serialises calls on one buddy (like drm_mm); none of them
 * sleeps except gomem_buddy_create() and gomem_buddy_destroy().
 */
#ifndef _GOMEM_BUDDY_H
#define _GOMEM_BUDDY_H

#include <linux/types.h>

/* GoMem's MinPowerOf2: the default allocation unit is 1 KiB. */
#define GOMEM_BUDDY_DEFAULT_UNIT	1024
/* Smallest unit accepted; also the alignment of every block. */
#define GOMEM_BUDDY_MIN_UNIT		16

/* Orders 0..GOMEM_BUDDY_MAX_ORDER: blocks of 1 to 2^31 units. */
#define GOMEM_BUDDY_MAX_ORDER		31

/**
 * struct gomem_buddy - a binary buddy allocator
 *
 * Public only so that tests can inspect it; use the functions below.
 */
struct gomem_buddy {
	/* private: */
	/*
	 * @base: first byte of the region
	 * @size: bytes managed, @nr_units << @unit_shift
	 * @nr_units: units inside the region
	 * @unit_shift: log2 of the allocation unit
	 * @max_order: order of the largest block that can exist
	 * @vm_base: what gomem_buddy_create() vmalloc'd, NULL for caller memory
	 * @free_bytes: bytes not allocated
	 * @nr_allocated: live blocks
	 * @bad_input: calls refused as caller bugs
	 * @avail: bit k set when the free list of order k is not empty
	 * @head: per order, first unit of the first free block, or U32_MAX
	 * @hot: per order, one freed block parked unmerged, or U32_MAX
	 * @hot_mask: bit k set when @hot[k] holds a block
	 * @next: per unit, next free block of the same order (free block starts)
	 * @prev: per unit, previous free block of the same order
	 * @state: per unit, %GOMEM_BUDDY_FREE, %GOMEM_BUDDY_HOT or
	 *	%GOMEM_BUDDY_USED with the block's order for the first unit of a
	 *	block, 0 for any other unit
	 */
	u8 *base;
	size_t size;
	unsigned long nr_units;
	unsigned int unit_shift;
	unsigned int max_order;
	void *vm_base;
	size_t free_bytes;
	unsigned long nr_allocated;
	unsigned long bad_input;
	unsigned long avail;
	u32 head[GOMEM_BUDDY_MAX_ORDER + 1];
	u32 hot[GOMEM_BUDDY_MAX_ORDER + 1];
	unsigned long hot_mask;
	u32 *next;
	u32 *prev;
	u8 *state;
};

#define GOMEM_BUDDY_HOT		0x20
#define GOMEM_BUDDY_FREE	0x40
#define GOMEM_BUDDY_USED	0x80
#define GOMEM_BUDDY_ORDER_MASK	0x1f

struct gomem_buddy *gomem_buddy_create(size_t size, size_t unit, gfp_t gfp);
struct gomem_buddy *gomem_buddy_create_on(void *base, size_t size,
					  size_t unit, gfp_t gfp);
void gomem_buddy_destroy(struct gomem_buddy *b);

void *gomem_buddy_alloc(struct gomem_buddy *b, size_t size);
int gomem_buddy_free(struct gomem_buddy *b, void *ptr);
size_t gomem_buddy_block_size(const struct gomem_buddy *b, const void *ptr);

void *gomem_buddy_base(const struct gomem_buddy *b);
size_t gomem_buddy_size(const struct gomem_buddy *b);
size_t gomem_buddy_unit(const struct gomem_buddy *b);
size_t gomem_buddy_free_bytes(const struct gomem_buddy *b);
size_t gomem_buddy_largest_free(struct gomem_buddy *b);
unsigned long gomem_buddy_nr_allocated(const struct gomem_buddy *b);
unsigned long gomem_buddy_bad_input(const struct gomem_buddy *b);
bool gomem_buddy_contains(const struct gomem_buddy *b, const void *ptr);
int gomem_buddy_check(const struct gomem_buddy *b);

#endif /* _GOMEM_BUDDY_H */
