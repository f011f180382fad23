/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/kasan.h>: gomem's KASAN annotations
 * (gomem_kasan.h) on ASan's manual poisoning.
 *
 * A program built with GOMEM_SHIM_KASAN (make -C tools test: the programs
 * of tests/) gets "generic KASAN": kasan_poison() in shim.c sets
 * ASan's shadow, so that ASan reports a use-after-free or an overflow into
 * gomem's free memory or redzones, as KASAN does in the debug kernel.  ASan
 * cannot be switched off for a while as kasan_disable_current() switches
 * KASAN's reports off, so such a program builds the files whose code reads
 * index nodes inside free memory (treap, AVL, quick cache) without ASan
 * (UBSan stays); the others (the KUnit runner, fuzzers, benchmarks) keep
 * ASan there and get empty annotations.
 */
#ifndef _SHIM_LINUX_KASAN_H
#define _SHIM_LINUX_KASAN_H

#include <linux/types.h>

#ifdef GOMEM_SHIM_KASAN
#define CONFIG_KASAN_GENERIC		1
#define KASAN_SHADOW_SCALE_SHIFT	3	/* ASan's granule: 8 bytes */
#endif

static inline void kasan_disable_current(void) { }
static inline void kasan_enable_current(void) { }

#endif
