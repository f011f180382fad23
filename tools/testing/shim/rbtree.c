// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's red-black tree (linux/rbtree.h's API, gomem_kshim.h): a
 * textbook red-black tree (Cormen et al., "Introduction to Algorithms",
 * ch. 13, with the erase fix-up written without a sentinel), written for
 * the harness so that a pool's arena lookup walks as deep a tree as the
 * kernel's lib/rbtree.c builds: height at most 2 log2(n + 1).  The colour
 * is the low bit of the parent word, as in the kernel, so a node is the
 * kernel's size (three words) and the pool's structs keep their layout.
 * tests/rbtree_test.c checks the invariants.
 */
#include <linux/gomem_kshim.h>

#define RB_RED		0UL
#define RB_BLACK	1UL

static inline bool rb_is_black(const struct rb_node *n)
{
	/* NULL leaves are black. */
	return !n || (n->__rb_parent_color & RB_BLACK);
}

static inline bool rb_is_red(const struct rb_node *n)
{
	return !rb_is_black(n);
}

static inline void rb_set_black(struct rb_node *n)
{
	n->__rb_parent_color |= RB_BLACK;
}

static inline void rb_set_red(struct rb_node *n)
{
	n->__rb_parent_color &= ~RB_BLACK;
}

static inline unsigned long rb_color(const struct rb_node *n)
{
	return n->__rb_parent_color & RB_BLACK;
}

static inline void rb_set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~RB_BLACK) | color;
}

static inline void rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->__rb_parent_color = (unsigned long)p | rb_color(n);
}

/* Put @new where @old hangs from its parent (or the root). */
static void rb_change_child(struct rb_node *old, struct rb_node *new,
			    struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* x's right child y takes x's place; x becomes y's left child. */
static void rb_rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right, *p = rb_parent(x);

	x->rb_right = y->rb_left;
	if (y->rb_left)
		rb_set_parent(y->rb_left, x);
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	y->rb_left = x;
	rb_set_parent(x, y);
}

static void rb_rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left, *p = rb_parent(x);

	x->rb_left = y->rb_right;
	if (y->rb_right)
		rb_set_parent(y->rb_right, x);
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	y->rb_right = x;
	rb_set_parent(x, y);
}

/* @n was linked red by rb_link_node(): restore the invariants. */
void rb_insert_color(struct rb_node *n, struct rb_root *root)
{
	struct rb_node *p, *g, *u;

	while ((p = rb_parent(n)) && rb_is_red(p)) {
		g = rb_parent(p);	/* exists: a red node is never the root */
		if (p == g->rb_left) {
			u = g->rb_right;
			if (rb_is_red(u)) {
				rb_set_black(p);
				rb_set_black(u);
				rb_set_red(g);
				n = g;
				continue;
			}
			if (n == p->rb_right) {
				rb_rotate_left(p, root);
				n = p;
				p = rb_parent(n);
			}
			rb_set_black(p);
			rb_set_red(g);
			rb_rotate_right(g, root);
		} else {
			u = g->rb_left;
			if (rb_is_red(u)) {
				rb_set_black(p);
				rb_set_black(u);
				rb_set_red(g);
				n = g;
				continue;
			}
			if (n == p->rb_left) {
				rb_rotate_right(p, root);
				n = p;
				p = rb_parent(n);
			}
			rb_set_black(p);
			rb_set_red(g);
			rb_rotate_left(g, root);
		}
	}
	rb_set_black(root->rb_node);
}

/*
 * A black node was removed above @x (possibly NULL), a child of @p: @x's
 * side is one black short.
 */
static void rb_erase_fixup(struct rb_node *x, struct rb_node *p,
			   struct rb_root *root)
{
	struct rb_node *w;

	while (x != root->rb_node && rb_is_black(x)) {
		if (x == p->rb_left) {
			w = p->rb_right;	/* non-NULL: black heights */
			if (rb_is_red(w)) {
				rb_set_black(w);
				rb_set_red(p);
				rb_rotate_left(p, root);
				w = p->rb_right;
			}
			if (rb_is_black(w->rb_left) &&
			    rb_is_black(w->rb_right)) {
				rb_set_red(w);
				x = p;
				p = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->rb_right)) {
				rb_set_black(w->rb_left);
				rb_set_red(w);
				rb_rotate_right(w, root);
				w = p->rb_right;
			}
			rb_set_color(w, rb_color(p));
			rb_set_black(p);
			rb_set_black(w->rb_right);
			rb_rotate_left(p, root);
		} else {
			w = p->rb_left;
			if (rb_is_red(w)) {
				rb_set_black(w);
				rb_set_red(p);
				rb_rotate_right(p, root);
				w = p->rb_left;
			}
			if (rb_is_black(w->rb_left) &&
			    rb_is_black(w->rb_right)) {
				rb_set_red(w);
				x = p;
				p = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->rb_left)) {
				rb_set_black(w->rb_right);
				rb_set_red(w);
				rb_rotate_left(w, root);
				w = p->rb_left;
			}
			rb_set_color(w, rb_color(p));
			rb_set_black(p);
			rb_set_black(w->rb_left);
			rb_rotate_right(p, root);
		}
		x = root->rb_node;
		break;
	}
	if (x)
		rb_set_black(x);
}

void rb_erase(struct rb_node *n, struct rb_root *root)
{
	struct rb_node *x, *p, *s;
	unsigned long removed;

	if (!n->rb_left || !n->rb_right) {
		/* At most one child: it takes n's place. */
		x = n->rb_left ? n->rb_left : n->rb_right;
		p = rb_parent(n);
		removed = rb_color(n);
		rb_change_child(n, x, p, root);
		if (x)
			rb_set_parent(x, p);
	} else {
		/* Two children: the successor s takes n's place and colour. */
		s = n->rb_right;
		while (s->rb_left)
			s = s->rb_left;
		removed = rb_color(s);
		x = s->rb_right;
		if (rb_parent(s) == n) {
			p = s;
		} else {
			p = rb_parent(s);
			p->rb_left = x;
			if (x)
				rb_set_parent(x, p);
			s->rb_right = n->rb_right;
			rb_set_parent(n->rb_right, s);
		}
		s->rb_left = n->rb_left;
		rb_set_parent(n->rb_left, s);
		rb_change_child(n, s, rb_parent(n), root);
		s->__rb_parent_color = n->__rb_parent_color;
	}
	if (removed == RB_BLACK)
		rb_erase_fixup(x, p, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *n)
{
	struct rb_node *p;

	if (n->rb_right) {
		n = n->rb_right;
		while (n->rb_left)
			n = n->rb_left;
		return (struct rb_node *)n;
	}
	while ((p = rb_parent(n)) && n == p->rb_right)
		n = p;
	return p;
}

struct rb_node *rb_prev(const struct rb_node *n)
{
	struct rb_node *p;

	if (n->rb_left) {
		n = n->rb_left;
		while (n->rb_right)
			n = n->rb_right;
		return (struct rb_node *)n;
	}
	while ((p = rb_parent(n)) && n == p->rb_left)
		n = p;
	return p;
}
