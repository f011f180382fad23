// SPDX-License-Identifier: GPL-2.0
/* gomem buddy: placeholder until its issue lands. */
