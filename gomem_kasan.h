/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem KASAN annotations: what gomem tells the kernel's address sanitizer
 * about the memory it manages.  A leaf header like gomem_init.h: the
 * algorithm files (buddy) and the arena include it; the harness supplies
 * linux/kasan.h, mapped to ASan's manual poisoning where the program is
 * built for it (tools/testing/include/linux/kasan.h).
 *
 * KASAN sees an arena or a buddy region as one vmalloc'd block, every byte
 * of it valid.  gomem therefore marks its own state in the shadow, as SLUB
 * does for slab objects (generic KASAN only, the mode of the debug kernel):
 *
 *  - Free memory is poisoned: an arena's whole region when it is set up,
 *    every range a free gives back, a buddy's free blocks, and the blocks a
 *    pool's per-CPU cache holds.  A read or write there is reported as a
 *    use-after-free.
 *  - An allocation unpoisons exactly the bytes it hands out, to KASAN's
 *    8-byte precision; the rest of its granule (arena) or block (buddy) is
 *    marked as a redzone, so that an overflow past the end is reported as
 *    out-of-bounds.
 *  - The index keeps its nodes inside free blocks (gomem_index.h).  Its
 *    code runs between gomem_meta_begin() and gomem_meta_end(), which turn
 *    KASAN's reports off for the current task, as SLUB's
 *    metadata_access_enable() does around its own metadata; the memory
 *    itself stays poisoned.  (The harness cannot switch ASan off for a
 *    while: it builds the index files without ASan instead.)
 *  - Memory that leaves gomem (a caller's region at gomem_arena_fini() or
 *    destroy, a buddy's at destroy) is unpoisoned whole.
 *
 * The interfaces used are those the kernels export: kasan_poison() (6.1:
 * EXPORT_SYMBOL, 6.12: EXPORT_SYMBOL_GPL, declared only in mm/kasan/kasan.h,
 * hence the prototype below; it wants addresses and sizes aligned to
 * KASAN's granule, which gomem's are) and kasan_disable_current() /
 * kasan_enable_current().  Without CONFIG_KASAN_GENERIC everything here is
 * an empty inline: a kernel without KASAN pays nothing.
 */
#ifndef _GOMEM_KASAN_H
#define _GOMEM_KASAN_H

#include <linux/bits.h>
#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#ifdef CONFIG_KASAN_GENERIC

/* mm/kasan/shadow.c; declared in mm/kasan/kasan.h, which is not public. */
void kasan_poison(const void *addr, size_t size, u8 value, bool init);

#define GOMEM_KASAN_GRANULE	BIT(KASAN_SHADOW_SCALE_SHIFT)
/*
 * Shadow values, those of mm/kasan/kasan.h, so that a report names the
 * bug: KASAN_PAGE_FREE ("use-after-free") for free memory,
 * KASAN_VMALLOC_INVALID ("vmalloc-out-of-bounds") for the redzone after an
 * allocation (gomem's memory is vmalloc'd, or a caller's).
 */
#define GOMEM_KASAN_FREE	0xFF
#define GOMEM_KASAN_REDZONE	0xF8

static __always_inline void gomem_poison_free(const void *p, size_t len)
{
	kasan_poison(p, round_up(len, GOMEM_KASAN_GRANULE), GOMEM_KASAN_FREE,
		     false);
}

static __always_inline void gomem_unpoison(const void *p, size_t len)
{
	kasan_poison(p, round_up(len, GOMEM_KASAN_GRANULE), 0, false);
}

/*
 * An allocation of @size bytes at @p in @room bytes (its granules or its
 * block): [@p, @p + @size) accessible, to the byte in the last KASAN
 * granule (a shadow value k says its first k bytes are), the rest of
 * @room a redzone.  @p and @room are multiples of the KASAN granule.
 */
static __always_inline void gomem_unpoison_alloc(const void *p, size_t size,
						 size_t room)
{
	size_t full = round_down(size, GOMEM_KASAN_GRANULE);
	size_t part = size - full;
	const char *c = p;

	if (full)
		kasan_poison(c, full, 0, false);
	if (part) {
		kasan_poison(c + full, GOMEM_KASAN_GRANULE, part, false);
		full += GOMEM_KASAN_GRANULE;
	}
	if (room > full)
		kasan_poison(c + full, room - full, GOMEM_KASAN_REDZONE, false);
}

static __always_inline void gomem_meta_begin(void)
{
	kasan_disable_current();
}

static __always_inline void gomem_meta_end(void)
{
	kasan_enable_current();
}

#else /* !CONFIG_KASAN_GENERIC */

static __always_inline void gomem_poison_free(const void *p, size_t len) { }
static __always_inline void gomem_unpoison(const void *p, size_t len) { }
static __always_inline void gomem_unpoison_alloc(const void *p, size_t size,
						 size_t room) { }
static __always_inline void gomem_meta_begin(void) { }
static __always_inline void gomem_meta_end(void) { }

#endif /* CONFIG_KASAN_GENERIC */

/*
 * Fill [@p, @p + @len) with @c, memory a good free gives back (zeroed by
 * init_on_free, or the pattern of poison mode, gomem_init.h), which
 * may hold poisoned bytes (the redzone of its allocation, a block a
 * per-CPU cache held): unpoisoned first, for the memset; the caller
 * poisons it again once it is free.
 */
static __always_inline void gomem_wipe(void *p, int c, size_t len)
{
	gomem_unpoison(p, len);
	memset(p, c, len);
}

#endif /* _GOMEM_KASAN_H */
