// SPDX-License-Identifier: GPL-2.0
/* Which backend measures a case. */
#include "backend.h"

const struct gb_backend *gb_backend_of(const struct gb_case *c)
{
	return c->backend == GB_BACKEND_SYSCALL ? &gb_backend_syscall :
						  &gb_backend_module;
}
