/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: error codes, Linux's numbers (they reach user space). */

#ifndef _HV_ERRNO_H
#define _HV_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ERANGE		34
#define ENOSYS		38

#endif
