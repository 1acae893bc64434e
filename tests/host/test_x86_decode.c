/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test of hypervisor/arch/x86/decode.c and guest-paging.c: a table
 * of encodings (from GNU as) with what the decoder must make of them, the
 * register results of loads, and walks through fake guest page tables of
 * every paging mode.
 */

#include <hv/errno.h>
#include <hv/string.h>
#include <asm/decode.h>
#include "host.h"

#define W	true
#define R	false
#define IMM	-1
#define ERR(e)	.err = (e)

struct decode_case {
	unsigned int bits;
	u8 bytes[X86_MAX_INSN_LEN];
	unsigned int nbytes;
	int err;
	unsigned int len, size;
	bool is_write;
	int reg;
	bool high8;
	unsigned int reg_size;
	bool sign;
	u64 imm;
	const char *what;
};

#define B(...)	.bytes = { __VA_ARGS__ }, \
	.nbytes = sizeof((u8[]){ __VA_ARGS__ })
/* len, size, write, reg, high8, reg_size, sign, imm */
#define OK(l, s, w, r, h, rs, sg, i) \
	.len = l, .size = s, .is_write = w, .reg = r, .high8 = h, \
	.reg_size = rs, .sign = sg, .imm = i

static const struct decode_case cases[] = {
	{ 64, B(0x88, 0x03), OK(2, 1, W, X86_RAX, 0, 1, 0, 0),
	  "mov %al,(%rbx)" },
	{ 64, B(0x88, 0x63, 0x01), OK(3, 1, W, X86_RAX, 1, 1, 0, 0),
	  "mov %ah,1(%rbx)" },
	{ 64, B(0x40, 0x88, 0x37), OK(3, 1, W, X86_RSI, 0, 1, 0, 0),
	  "mov %sil,(%rdi): REX makes 6 sil" },
	{ 64, B(0x45, 0x88, 0x48, 0x10), OK(4, 1, W, X86_R9, 0, 1, 0, 0),
	  "mov %r9b,0x10(%r8)" },
	{ 64, B(0x89, 0x03), OK(2, 4, W, X86_RAX, 0, 4, 0, 0),
	  "mov %eax,(%rbx)" },
	{ 64, B(0x4d, 0x89, 0x48, 0x08), OK(4, 8, W, X86_R9, 0, 8, 0, 0),
	  "mov %r9,8(%r8)" },
	{ 64, B(0x66, 0x89, 0x4a, 0x02), OK(4, 2, W, X86_RCX, 0, 2, 0, 0),
	  "mov %cx,2(%rdx)" },
	{ 64, B(0x4d, 0x8b, 0x50, 0x08), OK(4, 8, R, X86_R10, 0, 8, 0, 0),
	  "mov 8(%r8),%r10" },
	{ 64, B(0x8b, 0x16), OK(2, 4, R, X86_RDX, 0, 4, 0, 0),
	  "mov (%rsi),%edx" },
	{ 64, B(0x8b, 0x1d, 0x78, 0x56, 0x34, 0x12),
	  OK(6, 4, R, X86_RBX, 0, 4, 0, 0), "RIP-relative load" },
	{ 64, B(0x46, 0x8b, 0x64, 0x98, 0x20),
	  OK(5, 4, R, X86_R12, 0, 4, 0, 0), "SIB with REX.X and REX.R" },
	{ 64, B(0x42, 0xc7, 0x44, 0x98, 0x20, 0xfe, 0xca, 0x00, 0x00),
	  OK(9, 4, W, IMM, 0, 4, 0, 0xcafe), "movl $0xcafe,0x20(%rax,%r11,4)" },
	{ 64, B(0xc6, 0x80, 0x00, 0x01, 0x00, 0x00, 0x42),
	  OK(7, 1, W, IMM, 0, 1, 0, 0x42), "movb $0x42,0x100(%rax)" },
	{ 64, B(0x66, 0xc7, 0x80, 0x02, 0x01, 0x00, 0x00, 0x43, 0x42),
	  OK(9, 2, W, IMM, 0, 2, 0, 0x4243), "movw $imm16: 2-byte immediate" },
	{ 64, B(0xc7, 0x80, 0x04, 0x01, 0x00, 0x00, 0x47, 0x46, 0x45, 0x44),
	  OK(10, 4, W, IMM, 0, 4, 0, 0x44454647), "movl $imm32" },
	{ 64, B(0x48, 0xc7, 0x40, 0x10, 0xfe, 0xff, 0xff, 0xff),
	  OK(8, 8, W, IMM, 0, 8, 0, 0xfffffffffffffffeULL),
	  "movq $-2: imm32 sign-extended" },
	{ 64, B(0x0f, 0xb6, 0x81, 0x08, 0x01, 0x00, 0x00),
	  OK(7, 1, R, X86_RAX, 0, 4, 0, 0), "movzbl" },
	{ 64, B(0x0f, 0xb7, 0x81, 0x08, 0x01, 0x00, 0x00),
	  OK(7, 2, R, X86_RAX, 0, 4, 0, 0), "movzwl" },
	{ 64, B(0x0f, 0xbf, 0x81, 0x08, 0x01, 0x00, 0x00),
	  OK(7, 2, R, X86_RAX, 0, 4, 1, 0), "movswl" },
	{ 64, B(0x48, 0x0f, 0xbe, 0x41, 0x40),
	  OK(5, 1, R, X86_RAX, 0, 8, 1, 0), "movsbq" },
	{ 64, B(0x4c, 0x0f, 0xb7, 0x79, 0x40),
	  OK(5, 2, R, X86_R15, 0, 8, 0, 0), "movzwq to r15" },
	{ 64, B(0x48, 0x63, 0x41, 0x40), OK(4, 4, R, X86_RAX, 0, 8, 1, 0),
	  "movslq" },
	{ 64, B(0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00),
	  OK(9, 4, R, X86_RAX, 0, 4, 0, 0), "movabs moffs64,%eax" },
	{ 64, B(0xa3, 0xb0, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00),
	  OK(9, 4, W, X86_RAX, 0, 4, 0, 0), "movabs %eax,moffs64" },
	{ 64, B(0x67, 0xa2, 0x20, 0x00, 0xe0, 0xfe),
	  OK(6, 1, W, X86_RAX, 0, 1, 0, 0), "mov %al,moffs32 (0x67)" },
	{ 64, B(0x64, 0x89, 0x03), OK(3, 4, W, X86_RAX, 0, 4, 0, 0),
	  "segment prefix" },
	{ 64, B(0x8b, 0x04, 0xcd, 0x00, 0x00, 0x00, 0x00),
	  OK(7, 4, R, X86_RAX, 0, 4, 0, 0), "SIB without base: disp32" },
	{ 64, B(0x8b, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00),
	  OK(7, 4, R, X86_RAX, 0, 4, 0, 0), "SIB base rsp, disp32" },
	{ 64, B(0x8b, 0x45, 0x00), OK(3, 4, R, X86_RAX, 0, 4, 0, 0),
	  "(%rbp) needs disp8" },
	{ 64, B(0x41, 0x8b, 0x45, 0x00), OK(4, 4, R, X86_RAX, 0, 4, 0, 0),
	  "(%r13) needs disp8" },
	{ 64, B(0x67, 0x8b, 0x46, 0x12), OK(4, 4, R, X86_RAX, 0, 4, 0, 0),
	  "32-bit address in 64-bit mode" },
	{ 64, B(0x88, 0x2b), OK(2, 1, W, X86_RCX, 1, 1, 0, 0),
	  "mov %ch,(%rbx)" },
	{ 64, B(0x8a, 0x33), OK(2, 1, R, X86_RDX, 1, 1, 0, 0),
	  "mov (%rbx),%dh" },
	{ 64, B(0x48, 0x66, 0x89, 0x03), OK(4, 2, W, X86_RAX, 0, 2, 0, 0),
	  "REX before a legacy prefix is ignored" },
	{ 64, B(0x83, 0x03, 0x01), ERR(-EINVAL), .what = "add to memory" },
	{ 64, B(0x89, 0xc3), ERR(-EINVAL), .what = "register operand" },
	{ 64, B(0xf3, 0xa4), ERR(-EINVAL), .what = "rep movsb" },
	{ 64, B(0xf0, 0x83, 0x08, 0x01), ERR(-EINVAL), .what = "lock or" },
	{ 64, B(0xc7, 0x08, 0x01, 0x00, 0x00, 0x00), ERR(-EINVAL),
	  .what = "c7 /1 is not mov" },
	{ 64, B(0x0f, 0x0b), ERR(-EINVAL), .what = "ud2" },
	{ 64, B(0x8b, 0x80, 0x00, 0x01), ERR(-ERANGE),
	  .what = "displacement cut off" },
	{ 64, B(0x66, 0x66), ERR(-ERANGE), .what = "prefixes only" },
	{ 64, B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x66, 0x66, 0x89, 0x80), ERR(-EINVAL),
	  .what = "longer than 15 bytes" },
	{ 32, B(0x89, 0x03), OK(2, 4, W, X86_RAX, 0, 4, 0, 0),
	  "32-bit: mov %eax,(%ebx)" },
	{ 32, B(0x66, 0x8b, 0x4b, 0x20), OK(4, 2, R, X86_RCX, 0, 2, 0, 0),
	  "32-bit: mov 0x20(%ebx),%cx" },
	{ 32, B(0x88, 0x54, 0x7e, 0x04), OK(4, 1, W, X86_RDX, 0, 1, 0, 0),
	  "32-bit: SIB" },
	{ 32, B(0xc7, 0x80, 0x00, 0x08, 0x00, 0x00, 0xde, 0xc0, 0x0d, 0x60),
	  OK(10, 4, W, IMM, 0, 4, 0, 0x600dc0de), "32-bit: movl $imm" },
	{ 32, B(0xa1, 0x00, 0x03, 0xe0, 0xfe), OK(5, 4, R, X86_RAX, 0, 4, 0, 0),
	  "32-bit: moffs32" },
	{ 32, B(0x67, 0x8b, 0x40, 0x10), OK(4, 4, R, X86_RAX, 0, 4, 0, 0),
	  "32-bit: 16-bit address 0x10(%bx,%si)" },
	{ 32, B(0x67, 0x66, 0x8b, 0x46, 0x00), OK(5, 2, R, X86_RAX, 0, 2, 0, 0),
	  "32-bit: (%bp) needs disp8" },
	{ 32, B(0x41, 0x89, 0x03), ERR(-EINVAL), .what = "32-bit: no REX" },
	{ 32, B(0x63, 0x03), ERR(-EINVAL), .what = "32-bit: arpl" },
	{ 16, B(0x66, 0x89, 0x07), OK(3, 4, W, X86_RAX, 0, 4, 0, 0),
	  "16-bit: mov %eax,(%bx)" },
	{ 16, B(0xa1, 0x34, 0x12), OK(3, 2, R, X86_RAX, 0, 2, 0, 0),
	  "16-bit: moffs16" },
	{ 16, B(0x67, 0x89, 0x03), OK(3, 2, W, X86_RAX, 0, 2, 0, 0),
	  "16-bit: 32-bit address" },
	{ 16, B(0x89, 0x06, 0x00, 0x03), OK(4, 2, W, X86_RAX, 0, 2, 0, 0),
	  "16-bit: [disp16]" },
	{ 16, B(0xc7, 0x45, 0x02, 0x34, 0x12), OK(5, 2, W, IMM, 0, 2, 0, 0x1234),
	  "16-bit: movw $imm16" },
	{ 48, B(0x89, 0x03), ERR(-EINVAL), .what = "no such mode" },
};

static void test_decode_table(void)
{
	const struct decode_case *c;
	struct x86_mmio_insn insn;
	unsigned int n;
	int err;

	for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		c = &cases[n];
		memset(&insn, 0x55, sizeof(insn));
		err = x86_decode_mmio(c->bytes, c->nbytes, c->bits, &insn);
		if (err != c->err) {
			printf("case \"%s\": error %d\n", c->what, err);
			CHECK_EQ(err, c->err);
			continue;
		}
		if (err)
			continue;
		if (insn.len != c->len || insn.size != c->size ||
		    insn.is_write != c->is_write || insn.reg != c->reg ||
		    insn.reg_high8 != c->high8 ||
		    (!c->is_write && insn.reg_size != c->reg_size) ||
		    (!c->is_write && insn.sign_extend != c->sign) ||
		    (c->reg == IMM && insn.imm != c->imm))
			printf("case \"%s\": len %u size %u write %d reg %d "
			       "high8 %d reg_size %u sign %d imm %llx\n",
			       c->what, insn.len, insn.size, insn.is_write,
			       insn.reg, insn.reg_high8, insn.reg_size,
			       insn.sign_extend, insn.imm);
		CHECK_EQ(insn.len, c->len);
		CHECK_EQ(insn.size, c->size);
		CHECK_EQ(insn.is_write, c->is_write);
		CHECK_EQ(insn.reg, c->reg);
		CHECK_EQ(insn.reg_high8, c->high8);
		if (!c->is_write) {
			CHECK_EQ(insn.reg_size, c->reg_size);
			CHECK_EQ(insn.sign_extend, c->sign);
		}
		if (c->reg == IMM)
			CHECK_EQ(insn.imm, c->imm);
	}
	/* every prefix of a complete encoding is "need more bytes" */
	c = &cases[11];
	for (n = 0; n < c->nbytes; n++)
		CHECK_EQ(x86_decode_mmio(c->bytes, n, c->bits, &insn), -ERANGE);
}

static void test_register_results(void)
{
	struct x86_mmio_insn insn;
	const u64 old = 0x1122334455667788ULL;

	memset(&insn, 0, sizeof(insn));
	insn.reg = X86_RAX;

	/* loads */
	insn.size = insn.reg_size = 1;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xabcd), 0x11223344556677cdULL);
	insn.reg_high8 = true;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xab), 0x112233445566ab88ULL);
	insn.reg_high8 = false;
	insn.size = insn.reg_size = 2;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xffffbeef),
		 0x112233445566beefULL);
	insn.size = insn.reg_size = 4;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xdeadbeef), 0xdeadbeefULL);
	insn.size = insn.reg_size = 8;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xfedcba9876543210ULL),
		 0xfedcba9876543210ULL);
	/* movzbl, movswl, movsbq, movslq, movsx to 16 bits */
	insn.size = 1;
	insn.reg_size = 4;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0xf0), 0xf0);
	insn.size = 2;
	insn.sign_extend = true;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0x80f0), 0xffff80f0ULL);
	insn.size = 1;
	insn.reg_size = 8;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0x80), 0xffffffffffffff80ULL);
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0x7f), 0x7f);
	insn.size = 4;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0x8001ff80),
		 0xffffffff8001ff80ULL);
	insn.size = 1;
	insn.reg_size = 2;
	CHECK_EQ(x86_mmio_load_result(&insn, old, 0x81), 0x112233445566ff81ULL);

	/* stores */
	insn.sign_extend = false;
	insn.size = 1;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0x88);
	insn.reg_high8 = true;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0x77);
	insn.reg_high8 = false;
	insn.size = 2;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0x7788);
	insn.size = 4;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0x55667788);
	insn.size = 8;
	CHECK_EQ(x86_mmio_store_value(&insn, old), old);
	insn.reg = -1;
	insn.imm = 0xfffffffffffffffeULL;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0xfffffffffffffffeULL);
	insn.size = 2;
	CHECK_EQ(x86_mmio_store_value(&insn, old), 0xfffe);
}

/* ---- guest page tables in a fake guest-physical memory ---- */

#define GUEST_MEM	0x40000
static u8 guest_mem[GUEST_MEM] __attribute__((aligned(4096)));
static unsigned int guest_reads;

static int read_guest(void *ctx, u64 gphys, void *buf, unsigned int len)
{
	CHECK(ctx == guest_mem);
	guest_reads++;
	if (gphys >= GUEST_MEM || GUEST_MEM - gphys < len)
		return -EFAULT;
	memcpy(buf, guest_mem + gphys, len);
	return 0;
}

static void put64(u64 gphys, u64 val)
{
	memcpy(guest_mem + gphys, &val, 8);
}

static void put32(u64 gphys, u32 val)
{
	memcpy(guest_mem + gphys, &val, 4);
}

static int walk(const struct x86_guest_paging *pg, u64 virt, u64 *gphys)
{
	return x86_guest_virt2phys(pg, virt, read_guest, guest_mem, gphys);
}

#define CR0_PE_PG	0x80000001ULL
#define CR4_PSE		0x10ULL
#define CR4_PAE		0x20ULL
#define EFER_LME_LMA	0x500ULL

static void test_guest_paging(void)
{
	struct x86_guest_paging pg = { .cr0 = 0x11 };
	u64 gphys = 0;
	/* 0x0000_7f80_1234_5678: PML4 0xff, PDPT 0x0, PD 0x91, PT 0x145 */
	const u64 virt = 0x00007f8012345678ULL;

	memset(guest_mem, 0, sizeof(guest_mem));

	/* no paging: linear is physical (32 bits outside long mode) */
	CHECK_EQ(walk(&pg, 0x1234567890ULL, &gphys), 0);
	CHECK_EQ(gphys, 0x34567890);
	CHECK_EQ(guest_reads, 0);

	/* 4-level: CR3 0x1000 -> 0x2000 -> 0x3000 -> 0x4000 -> 0xfee00000 */
	pg.cr0 = CR0_PE_PG;
	pg.cr4 = CR4_PAE;
	pg.efer = EFER_LME_LMA;
	pg.cr3 = 0x1000 | 0x18;		/* PWT/PCD bits are no address */
	put64(0x1000 + 0xff * 8, 0x2000 | 0x27);
	put64(0x2000 + 0x0 * 8, 0x3000 | 0x7);
	put64(0x3000 + 0x91 * 8, 0x4000 | 0x7);
	put64(0x4000 + 0x145 * 8, 0x80000000fee00000ULL | 0x63);
	CHECK_EQ(walk(&pg, virt, &gphys), 0);
	CHECK_EQ(gphys, 0xfee00678);
	/* a 2 MiB page in the PD: NX and the PAT bit are no address */
	put64(0x3000 + 0x91 * 8, 0x8000000012201000ULL | 0x83);
	CHECK_EQ(walk(&pg, virt, &gphys), 0);
	CHECK_EQ(gphys, 0x12345678);
	/* a 1 GiB page in the PDPT */
	put64(0x2000, 0x40000000ULL | 0x83);
	CHECK_EQ(walk(&pg, virt, &gphys), 0);
	CHECK_EQ(gphys, 0x52345678);
	/* not present */
	put64(0x2000, 0x40000000ULL | 0x82);
	CHECK_EQ(walk(&pg, virt, &gphys), -EFAULT);
	/* a table outside the guest's memory */
	put64(0x2000, 0x7fff000ULL | 0x3);
	CHECK_EQ(walk(&pg, virt, &gphys), -EFAULT);

	/* PAE: PDPTE 0 at CR3 0x5020, PD 0x6000, PT 0x7000 */
	memset(guest_mem, 0, sizeof(guest_mem));
	pg.efer = 0;
	pg.cr3 = 0x5020;
	put64(0x5020 + 0 * 8, 0x6000 | 0x1);
	put64(0x6000 + 0x91 * 8, 0x7000 | 0x3);
	put64(0x7000 + 0x145 * 8, 0xabcd000 | 0x3);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), 0);
	CHECK_EQ(gphys, 0xabcd678);
	put64(0x6000 + 0x91 * 8, 0xfe00000 | 0x83);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), 0);
	CHECK_EQ(gphys, 0xff45678);

	/* 32-bit: PD at 0x8000, PT at 0x9000; 4 MiB pages need CR4.PSE */
	memset(guest_mem, 0, sizeof(guest_mem));
	pg.cr4 = 0;
	pg.cr3 = 0x8000;
	put32(0x8000 + (0x12345678 >> 22) * 4, 0x9000 | 0x3);
	put32(0x9000 + 0x345 * 4, 0xfec00000 | 0x3);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), 0);
	CHECK_EQ(gphys, 0xfec00678);
	put32(0x8000 + (0x12345678 >> 22) * 4, 0x9000 | 0x83);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), 0);
	CHECK_EQ(gphys, 0xfec00678);	/* PS ignored without PSE */
	pg.cr4 = CR4_PSE;
	put32(0x8000 + (0x12345678 >> 22) * 4, 0xfec00000 | 0x83);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), 0);
	CHECK_EQ(gphys, 0xfef45678);
	put32(0x8000 + (0x12345678 >> 22) * 4, 0xfec00000 | 0x82);
	CHECK_EQ(walk(&pg, 0x12345678, &gphys), -EFAULT);
}

/* Writes of control registers (AMD exits name only the register). */
static void test_cr_writes(void)
{
	static const struct {
		unsigned int bits;
		u8 bytes[6];
		unsigned int nbytes;
		int err;
		unsigned int len, cr;
		int reg;
		bool lmsw;
	} crs[] = {
		/* mov %rax,%cr0 / mov %eax,%cr0 */
		{ 64, { 0x0f, 0x22, 0xc0 }, 3, 0, 3, 0, X86_RAX, false },
		{ 32, { 0x0f, 0x22, 0xc0 }, 3, 0, 3, 0, X86_RAX, false },
		/* mov %rsp,%cr4; the mod field is ignored */
		{ 64, { 0x0f, 0x22, 0xe4 }, 3, 0, 3, 4, X86_RSP, false },
		{ 64, { 0x0f, 0x22, 0x24 }, 3, 0, 3, 4, X86_RSP, false },
		/* mov %r9,%cr4 */
		{ 64, { 0x41, 0x0f, 0x22, 0xe1 }, 4, 0, 4, 4, X86_R9, false },
		/* 0x41 is inc %ecx outside 64-bit code */
		{ 32, { 0x41, 0x0f, 0x22, 0xe1 }, 4, -EINVAL, 0, 0, 0, false },
		/* mov %rax,%cr8 (REX.R) and lock mov %eax,%cr0 (AMD: cr8) */
		{ 64, { 0x44, 0x0f, 0x22, 0xc0 }, 4, -EINVAL, 0, 0, 0, false },
		{ 32, { 0xf0, 0x0f, 0x22, 0xc0 }, 4, -EINVAL, 0, 0, 0, false },
		/* lmsw %dx; lmsw (%rax) is refused */
		{ 64, { 0x0f, 0x01, 0xf2 }, 3, 0, 3, 0, X86_RDX, true },
		{ 16, { 0x66, 0x0f, 0x01, 0xf0 }, 4, 0, 4, 0, X86_RAX, true },
		{ 64, { 0x0f, 0x01, 0x30 }, 3, -EINVAL, 0, 0, 0, false },
		/* mov %cr0,%rax (a read), clts */
		{ 64, { 0x0f, 0x20, 0xc0 }, 3, -EINVAL, 0, 0, 0, false },
		{ 64, { 0x0f, 0x06, 0x90 }, 3, -EINVAL, 0, 0, 0, false },
		/* cut short */
		{ 64, { 0x41, 0x0f, 0x22 }, 3, -ERANGE, 0, 0, 0, false },
	};
	struct x86_cr_insn insn;
	unsigned int n;
	int err;

	for (n = 0; n < sizeof(crs) / sizeof(crs[0]); n++) {
		memset(&insn, 0x55, sizeof(insn));
		err = x86_decode_cr_write(crs[n].bytes, crs[n].nbytes,
					  crs[n].bits, &insn);
		if (err != crs[n].err)
			printf("CR case %u: error %d\n", n, err);
		CHECK_EQ(err, crs[n].err);
		if (err || crs[n].err)
			continue;
		CHECK_EQ(insn.len, crs[n].len);
		CHECK_EQ(insn.cr, crs[n].cr);
		CHECK_EQ(insn.reg, crs[n].reg);
		CHECK_EQ(insn.lmsw, crs[n].lmsw);
	}
}

int main(void)
{
	test_decode_table();
	test_cr_writes();
	test_register_results();
	test_guest_paging();
	return host_done("x86 decode");
}
