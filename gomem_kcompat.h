/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem module compat: what the module (not its tests: kunit/gomem_compat.h)
 * needs that differs between the kernels it builds on (6.1 and 6.12).  One
 * shim per difference, each naming the kernel version and the change;
 * nothing else in the module tells the kernels apart.  Each tells them
 * apart by what the headers define, not by LINUX_VERSION_CODE.
 */
#ifndef _GOMEM_KCOMPAT_H
#define _GOMEM_KCOMPAT_H

#include <linux/dcache.h>
#include <linux/fault-inject.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

typedef unsigned long (*gomem_shrink_fn)(struct shrinker *s,
					  struct shrink_control *sc);

/*
 * gomem_shrinker_create() - a registered shrinker named @name, or NULL;
 * gomem_shrinker_destroy() unregisters and frees it (NULL: nothing).
 *
 * 6.7 made shrinkers objects the kernel allocates: shrinker_alloc(),
 * shrinker_register(), shrinker_free() (6.12 has only those), and added
 * the flag SHRINKER_ALLOCATED with them, which tells them apart here.
 * Before, the owner embedded a struct shrinker and called
 * register_shrinker(), which takes a printf-style name since 6.0 (6.1),
 * and unregister_shrinker().
 */
#ifdef SHRINKER_ALLOCATED
static inline struct shrinker *gomem_shrinker_create(const char *name,
						     gomem_shrink_fn count,
						     gomem_shrink_fn scan)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
	return s;
}

static inline void gomem_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}
#else
static inline struct shrinker *gomem_shrinker_create(const char *name,
						     gomem_shrink_fn count,
						     gomem_shrink_fn scan)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
	return s;
}

static inline void gomem_shrinker_destroy(struct shrinker *s)
{
	if (!s)
		return;
	unregister_shrinker(s);
	kfree(s);
}
#endif

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
/*
 * gomem_fault_attr_put() - drop what fault_create_debugfs_attr() kept of
 * the directory, after the directory is removed.
 *
 * 6.1 keeps a reference to the directory in @attr->dname (a struct dentry
 * *, taken with dget()) that its owner must drop; 6.12 keeps a copy of the
 * name (a char array: nothing to drop).  Told apart by the field's type,
 * so the kernel version where it changed (or a stable backport) does not
 * matter; the branch not taken is compiled out.
 */
static inline void gomem_fault_attr_put(struct fault_attr *attr)
{
	if (__same_type(attr->dname, struct dentry *))
		dput((void *)attr->dname);
}
#endif

#endif /* _GOMEM_KCOMPAT_H */
