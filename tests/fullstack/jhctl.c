// SPDX-License-Identifier: GPL-2.0-only
/* jhctl: a libc-free ARM/ARM64/x86-64 test client for /dev/jailhouse, built static for the full-stack rig. */

/*
 * Usage (every command prints one line "jhctl: <what> = <result>", where
 * result is the ioctl's return value or -<errno>; the exit status is 0 on
 * success, else the errno):
 *   jhctl enable FILE               JAILHOUSE_ENABLE with FILE's bytes
 *   jhctl disable                   JAILHOUSE_DISABLE
 *   jhctl create FILE               JAILHOUSE_CELL_CREATE
 *   jhctl load CELL [FILE ADDR]...  JAILHOUSE_CELL_LOAD (CELL: id or name)
 *   jhctl start CELL | destroy CELL
 *   jhctl raw CMD [ARG]             ioctl(fd, CMD, ARG), numbers in hex
 *   jhctl console                   read() with O_NONBLOCK until EAGAIN/EOF;
 *                                   also prints "jhctl: console read ended
 *                                   with N" (0: end of file, -11: EAGAIN)
 *   jhctl cmds                      print the ioctl numbers
 */

#include <jailhouse/ioctl.h>

#define AT_FDCWD	-100
#define O_RDONLY	0
#define O_RDWR		2
#define O_NONBLOCK	04000
#define EAGAIN		11

typedef unsigned long size_t;

#if defined(__aarch64__)
#define SYS_openat	56
#define SYS_close	57
#define SYS_read	63
#define SYS_write	64
#define SYS_ioctl	29
#define SYS_exit	93

static long syscall6(long nr, long a, long b, long c, long d)
{
	register long x8 asm("x8") = nr;
	register long x0 asm("x0") = a;
	register long x1 asm("x1") = b;
	register long x2 asm("x2") = c;
	register long x3 asm("x3") = d;

	asm volatile("svc #0" : "+r" (x0) : "r" (x8), "r" (x1), "r" (x2),
		     "r" (x3) : "memory", "cc");
	return x0;
}
#elif defined(__arm__)
/* EABI numbers */
#define SYS_openat	322
#define SYS_close	6
#define SYS_read	3
#define SYS_write	4
#define SYS_ioctl	54
#define SYS_exit	1

static long syscall6(long nr, long a, long b, long c, long d)
{
	register long r7 asm("r7") = nr;
	register long r0 asm("r0") = a;
	register long r1 asm("r1") = b;
	register long r2 asm("r2") = c;
	register long r3 asm("r3") = d;

	asm volatile("svc #0" : "+r" (r0) : "r" (r7), "r" (r1), "r" (r2),
		     "r" (r3) : "memory", "cc");
	return r0;
}
#elif defined(__x86_64__)
#define SYS_openat	257
#define SYS_close	3
#define SYS_read	0
#define SYS_write	1
#define SYS_ioctl	16
#define SYS_exit	60

static long syscall6(long nr, long a, long b, long c, long d)
{
	register long r10 asm("r10") = d;
	long ret;

	asm volatile("syscall" : "=a" (ret) : "a" (nr), "D" (a), "S" (b),
		     "d" (c), "r" (r10) : "rcx", "r11", "memory", "cc");
	return ret;
}
#else
#error "jhctl: no system call table for this architecture"
#endif

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	syscall6(SYS_write, 1, (long)s, len(s), 0);
}

static void out_num(long v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;

	*p = 0;
	do {
		*--p = '0' + u % 10;
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	out(p);
}

static void out_hex(unsigned long v)
{
	char buf[20], *p = buf + sizeof(buf) - 1;

	*p = 0;
	do {
		*--p = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	out(p);
}

static unsigned long parse(const char *s)
{
	unsigned long v = 0;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d = *s >= 'a' ? *s - 'a' + 10 :
			*s >= 'A' ? *s - 'A' + 10 : *s - '0';
		v = v * base + d;
	}
	return v;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static __attribute__((noreturn)) void leave(long status)
{
	syscall6(SYS_exit, status, 0, 0, 0);
	for (;;)
		;
}

static int report(const char *what, long ret)
{
	out("jhctl: ");
	out(what);
	out(" = ");
	out_num(ret);
	out("\n");
	return ret < 0 ? (int)-ret : 0;
}

/* Files are read into one static arena. */
static char arena[8 << 20] __attribute__((aligned(4096)));
static size_t arena_used;

static char *load_file(const char *path, size_t *size)
{
	long fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0);
	char *start = arena + arena_used;
	long n;

	if (fd < 0) {
		report("open", fd);
		leave(2);
	}
	*size = 0;
	while ((n = syscall6(SYS_read, fd, (long)(start + *size),
			     sizeof(arena) - arena_used - *size, 0)) > 0)
		*size += n;
	syscall6(SYS_close, fd, 0, 0, 0);
	arena_used += (*size + 4095) & ~4095UL;
	return start;
}

static void cell_id(struct jailhouse_cell_id *id, const char *arg)
{
	size_t n;

	memset(id, 0, sizeof(*id));
	if (arg[0] >= '0' && arg[0] <= '9') {
		id->id = parse(arg);
		return;
	}
	id->id = JAILHOUSE_CELL_ID_UNUSED;
	for (n = 0; arg[n] && n < JAILHOUSE_CELL_ID_NAMELEN; n++)
		id->name[n] = arg[n];
}

static long jh_ioctl(long fd, unsigned long cmd, void *arg)
{
	return syscall6(SYS_ioctl, fd, cmd, (long)arg, 0);
}

static int run(int argc, char **argv)
{
	static struct {
		struct jailhouse_cell_load head;
		struct jailhouse_preload_image images[16];
	} load;
	struct jailhouse_cell_create create;
	struct jailhouse_cell_id id;
	const char *cmd = argc > 1 ? argv[1] : "";
	char buf[512];
	size_t size;
	long fd, ret;
	int n;

	if (streq(cmd, "cmds")) {
		out("ENABLE ");
		out_hex(JAILHOUSE_ENABLE);
		out(" DISABLE ");
		out_hex(JAILHOUSE_DISABLE);
		out(" CELL_CREATE ");
		out_hex(JAILHOUSE_CELL_CREATE);
		out(" CELL_LOAD ");
		out_hex(JAILHOUSE_CELL_LOAD);
		out(" CELL_START ");
		out_hex(JAILHOUSE_CELL_START);
		out(" CELL_DESTROY ");
		out_hex(JAILHOUSE_CELL_DESTROY);
		out("\n");
		return 0;
	}

	fd = syscall6(SYS_openat, AT_FDCWD, (long)"/dev/jailhouse",
		      streq(cmd, "console") ? O_RDONLY | O_NONBLOCK : O_RDWR, 0);
	if (fd < 0)
		return report("open /dev/jailhouse", fd);

	if (streq(cmd, "enable") && argc == 3)
		return report("enable", jh_ioctl(fd, JAILHOUSE_ENABLE,
						 load_file(argv[2], &size)));
	if (streq(cmd, "disable"))
		return report("disable", jh_ioctl(fd, JAILHOUSE_DISABLE, 0));
	if (streq(cmd, "create") && argc == 3) {
		memset(&create, 0, sizeof(create));
		create.config_address = (unsigned long)load_file(argv[2], &size);
		create.config_size = size;
		return report("create", jh_ioctl(fd, JAILHOUSE_CELL_CREATE,
						 &create));
	}
	if (streq(cmd, "load") && argc >= 3 && argc % 2 == 1) {
		cell_id(&load.head.cell_id, argv[2]);
		for (n = 3; n + 1 < argc && n / 2 - 1 < 16; n += 2) {
			struct jailhouse_preload_image *image =
				&load.images[load.head.num_preload_images++];

			image->source_address =
				(unsigned long)load_file(argv[n], &size);
			image->size = size;
			image->target_address = parse(argv[n + 1]);
		}
		return report("load", jh_ioctl(fd, JAILHOUSE_CELL_LOAD, &load));
	}
	if ((streq(cmd, "start") || streq(cmd, "destroy")) && argc == 3) {
		cell_id(&id, argv[2]);
		return report(cmd, jh_ioctl(fd, streq(cmd, "start") ?
					    JAILHOUSE_CELL_START :
					    JAILHOUSE_CELL_DESTROY, &id));
	}
	if (streq(cmd, "raw") && argc >= 3) {
		ret = jh_ioctl(fd, parse(argv[2]),
			       (void *)(argc > 3 ? parse(argv[3]) : 0));
		return report("raw", ret);
	}
	if (streq(cmd, "console")) {
		while ((ret = syscall6(SYS_read, fd, (long)buf, sizeof(buf),
				       0)) > 0)
			syscall6(SYS_write, 1, (long)buf, ret, 0);
		/* how the read ended, which upstream's tool tells apart */
		out("\njhctl: console read ended with ");
		out_num(ret);
		out("\n");
		if (ret == -EAGAIN)
			ret = 0;
		return report("console", ret);
	}
	out("usage: jhctl enable|disable|create|load|start|destroy|raw|console|cmds ...\n");
	return 64;
}

void start_c(long *sp);

void start_c(long *sp)
{
	leave(run((int)sp[0], (char **)(sp + 1)));
}

#if defined(__aarch64__)
asm(".globl _start\n"
    "_start:\n"
    "	mov x29, #0\n"
    "	mov x0, sp\n"
    "	bl start_c\n");
#elif defined(__x86_64__)
asm(".globl _start\n"
    "_start:\n"
    "	xor %ebp, %ebp\n"
    "	mov %rsp, %rdi\n"
    "	and $-16, %rsp\n"
    "	call start_c\n");
#else
asm(".globl _start\n"
    "_start:\n"
    "	mov fp, #0\n"
    "	mov r0, sp\n"
    "	bl start_c\n");
#endif
