/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem trace events, in the "gomem" system: what a counter cannot show.
 * Off, each costs a patched-out jump.  Enable them through tracefs:
 *
 *	echo 1 > /sys/kernel/tracing/events/gomem/enable
 *	cat /sys/kernel/tracing/trace_pipe
 *
 * Defined the way out-of-tree modules do it: gomem_pool.c defines
 * CREATE_TRACE_POINTS, and Kbuild puts this directory on that file's
 * include path, which TRACE_INCLUDE_PATH below names.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gomem

#if !defined(_TRACE_GOMEM_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_GOMEM_H

#include <linux/tracepoint.h>
#include <linux/types.h>
#include <gomem/pool.h>

/* Pool names are short and fixed: an array, the same on every kernel. */
#define GOMEM_TRACE_NAME	(GOMEM_POOL_NAME_MAX + 1)

TRACE_EVENT(gomem_pool_malloc,
	TP_PROTO(const char *pool, const void *ptr, size_t size, gfp_t gfp,
		 unsigned long caller),
	TP_ARGS(pool, ptr, size, gfp, caller),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__field(const void *, ptr)
		__field(size_t, size)
		__field(unsigned long, gfp)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		__entry->ptr = ptr;
		__entry->size = size;
		__entry->gfp = (__force unsigned long)gfp;
		__entry->caller = caller;
	),
	TP_printk("pool=%s ptr=%p size=%zu gfp=%#lx caller=%pS",
		  __entry->pool, __entry->ptr, __entry->size, __entry->gfp,
		  (void *)__entry->caller)
);

TRACE_EVENT(gomem_pool_free,
	TP_PROTO(const char *pool, const void *ptr, size_t size,
		 unsigned long caller),
	TP_ARGS(pool, ptr, size, caller),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__field(const void *, ptr)
		__field(size_t, size)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		__entry->ptr = ptr;
		__entry->size = size;
		__entry->caller = caller;
	),
	TP_printk("pool=%s ptr=%p size=%zu caller=%pS", __entry->pool,
		  __entry->ptr, __entry->size, (void *)__entry->caller)
);

/* A malloc the pool could not serve (not bad input: see gomem_bad_input). */
TRACE_EVENT(gomem_pool_fail,
	TP_PROTO(const char *pool, size_t size, gfp_t gfp),
	TP_ARGS(pool, size, gfp),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__field(size_t, size)
		__field(unsigned long, gfp)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		__entry->size = size;
		__entry->gfp = (__force unsigned long)gfp;
	),
	TP_printk("pool=%s size=%zu gfp=%#lx", __entry->pool, __entry->size,
		  __entry->gfp)
);

/*
 * An arena joins the pool or grows in place (grow: @base and @size are the
 * new bytes), or leaves it (release: trim, dedicated).
 */
DECLARE_EVENT_CLASS(gomem_pool_arena,
	TP_PROTO(const char *pool, const void *base, size_t size,
		 bool dedicated),
	TP_ARGS(pool, base, size, dedicated),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__field(const void *, base)
		__field(size_t, size)
		__field(bool, dedicated)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		__entry->base = base;
		__entry->size = size;
		__entry->dedicated = dedicated;
	),
	TP_printk("pool=%s base=%p size=%zu%s", __entry->pool, __entry->base,
		  __entry->size, __entry->dedicated ? " dedicated" : "")
);

DEFINE_EVENT(gomem_pool_arena, gomem_pool_grow,
	TP_PROTO(const char *pool, const void *base, size_t size,
		 bool dedicated),
	TP_ARGS(pool, base, size, dedicated)
);

DEFINE_EVENT(gomem_pool_arena, gomem_pool_release,
	TP_PROTO(const char *pool, const void *base, size_t size,
		 bool dedicated),
	TP_ARGS(pool, base, size, dedicated)
);

TRACE_EVENT(gomem_pool_trim,
	TP_PROTO(const char *pool, unsigned long released),
	TP_ARGS(pool, released),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__field(unsigned long, released)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		__entry->released = released;
	),
	TP_printk("pool=%s released=%lu", __entry->pool, __entry->released)
);

/* A call refused as a caller bug (also counted; warned once). */
TRACE_EVENT(gomem_bad_input,
	TP_PROTO(const char *pool, const char *what, const void *ptr,
		 size_t size),
	TP_ARGS(pool, what, ptr, size),
	TP_STRUCT__entry(
		__array(char, pool, GOMEM_TRACE_NAME)
		__array(char, what, 16)
		__field(const void *, ptr)
		__field(size_t, size)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, GOMEM_TRACE_NAME);
		strscpy(__entry->what, what, 16);
		__entry->ptr = ptr;
		__entry->size = size;
	),
	TP_printk("pool=%s %s ptr=%p size=%zu", __entry->pool, __entry->what,
		  __entry->ptr, __entry->size)
);

#endif /* _TRACE_GOMEM_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gomem
#include <trace/define_trace.h>
