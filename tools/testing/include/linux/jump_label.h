/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/jump_label.h>: a static key is a plain bool. */
#ifndef _SHIM_LINUX_JUMP_LABEL_H
#define _SHIM_LINUX_JUMP_LABEL_H

#include <linux/types.h>

struct static_key_false {
	bool enabled;
};

#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = { false }
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name
#define static_branch_unlikely(key)	__builtin_expect((key)->enabled, 0)
#define static_branch_likely(key)	__builtin_expect((key)->enabled, 1)
#define static_branch_enable(key)	((key)->enabled = true)
#define static_branch_disable(key)	((key)->enabled = false)
#define static_key_enabled(key)		((key)->enabled)

#endif /* _SHIM_LINUX_JUMP_LABEL_H */
