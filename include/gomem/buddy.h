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

/**
 * struct gomem_buddy - a binary buddy allocator (fields are private)
 * @base: first byte of the region
 * @size: bytes managed, @nr_units << @unit_shift
 * @nr_units: units inside the region
 * @unit_shift: log2 of the allocation unit
 * @max_order: the tree's root covers 1 << @max_order units
 * @vm_base: what gomem_buddy_create() vmalloc'd, NULL for caller memory
 * @free_bytes: bytes not allocated
 * @nr_allocated: live blocks
 * @bad_input: calls refused as caller bugs
 * @alloc_order: per unit, 1 + order of the live block starting there
 * @longest: heap-ordered tree, 1 + order of the largest free block below
 *
 * Public only so that tests can inspect it; use the functions below.
 */
struct gomem_buddy {
	u8 *base;
	size_t size;
	unsigned long nr_units;
	unsigned int unit_shift;
	unsigned int max_order;
	void *vm_base;
	size_t free_bytes;
	unsigned long nr_allocated;
	unsigned long bad_input;
	u8 *alloc_order;
	u8 longest[];
};

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
size_t gomem_buddy_largest_free(const struct gomem_buddy *b);
unsigned long gomem_buddy_nr_allocated(const struct gomem_buddy *b);
unsigned long gomem_buddy_bad_input(const struct gomem_buddy *b);
bool gomem_buddy_contains(const struct gomem_buddy *b, const void *ptr);
int gomem_buddy_check(const struct gomem_buddy *b);

#endif /* _GOMEM_BUDDY_H */
