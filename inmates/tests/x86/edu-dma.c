/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: DMA isolation with QEMU's edu device
 * (1234:11e8) in the cell.  Its DMA engine copies between memory (an
 * address the device puts on the bus, translated by the IOMMU) and its
 * 4 KiB buffer at device offset 0x40000.  A round trip through that
 * buffer within the cell's own RAM must work; reading foreign memory
 * (options root=ADDR and hv=ADDR: physical addresses of the root's and
 * the hypervisor's memory, where the root and the hypervisor image keep
 * known contents) must not deliver those contents, and a marker written
 * to root=ADDR and hvw=ADDR (a spare page of the hypervisor's) must not
 * land there (the root checks that).  Without an IOMMU the
 * device reaches physical memory directly and this test fails.
 */

#include <inmate.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
# define DMA_RUN		0x1
# define DMA_TO_RAM		0x2
#define EDU_BUFFER		0x40000
#define LEN			64
#define ROOT_SECRET		0x5ec7e75ec7e75ec7ULL	/* the root's pattern */
#define HV_SIGNATURE		"JHIMAGE"		/* image header */
#define MARKER			0x0badd0a0badd0a00ULL	/* what we write */

static unsigned long bar0;
static u64 out[LEN / 8] __attribute__((aligned(64)));
static u64 in[LEN / 8] __attribute__((aligned(64)));

/* One DMA transfer; false if the device did not finish in 2 s. */
static bool dma(u64 src, u64 dst, u32 cmd)
{
	u64 end = pm_timer_read() + 2000000000ULL;

	mmio_write32(bar0 + EDU_DMA_SRC, src);
	mmio_write32(bar0 + EDU_DMA_SRC + 4, src >> 32);
	mmio_write32(bar0 + EDU_DMA_DST, dst);
	mmio_write32(bar0 + EDU_DMA_DST + 4, dst >> 32);
	mmio_write32(bar0 + EDU_DMA_COUNT, LEN);
	mmio_write32(bar0 + EDU_DMA_CMD, cmd | DMA_RUN);
	while (mmio_read32(bar0 + EDU_DMA_CMD) & DMA_RUN)
		if (pm_timer_read() > end)
			return false;
	return true;
}

static void fill(u64 *buf, u64 value)
{
	unsigned int n;

	for (n = 0; n < LEN / 8; n++)
		buf[n] = value;
}

/* Read @len bytes at bus address @addr through the device into in[]. */
static bool read_via_device(u64 addr)
{
	fill(out, 0x1111111111111111ULL);
	fill(in, 0);
	/* the device's buffer starts with a filler, not an old copy */
	return dma((unsigned long)out, EDU_BUFFER, 0) &&
		dma(addr, EDU_BUFFER, 0) &&
		dma(EDU_BUFFER, (unsigned long)in, DMA_TO_RAM);
}

static bool write_via_device(u64 addr)
{
	fill(out, MARKER);
	return dma((unsigned long)out, EDU_BUFFER, 0) &&
		dma(EDU_BUFFER, addr, DMA_TO_RAM);
}

void inmate_main(void)
{
	u64 root = cmdline_parse_int("root", 0);
	u64 hv = cmdline_parse_int("hv", 0);
	u64 hvw = cmdline_parse_int("hvw", 0);
	int bdf = pci_open_device(EDU_VENDOR, EDU_DEVICE, &bar0);
	bool ok;

	EXPECT_TRUE(bdf >= 0);
	if (bdf < 0)
		goto out;

	/* own memory: out -> device -> in */
	fill(out, 0x0123456789abcdefULL);
	fill(in, 0);
	ok = dma((unsigned long)out, EDU_BUFFER, 0) &&
		dma(EDU_BUFFER, (unsigned long)in, DMA_TO_RAM);
	EXPECT_TRUE(ok);
	EXPECT_EQUAL(memcmp(in, out, LEN), 0);
	printk("edu-dma: DMA within the cell's memory %s\n",
	       ok && !memcmp(in, out, LEN) ? "works" : "FAILED");

	if (root) {
		EXPECT_TRUE(read_via_device(root));
		printk("edu-dma: read of root memory at %llx gave %llx\n",
		       root, in[0]);
		EXPECT_TRUE(in[0] != ROOT_SECRET);
		EXPECT_TRUE(write_via_device(root));
	}
	if (hv) {
		EXPECT_TRUE(read_via_device(hv));
		printk("edu-dma: read of hypervisor memory at %llx gave %llx\n",
		       hv, in[0]);
		EXPECT_TRUE(memcmp(in, HV_SIGNATURE, 8) != 0);
	}
	if (hvw)
		EXPECT_TRUE(write_via_device(hvw));
	printk("edu-dma: foreign reads and writes done\n");
out:
	test_summary();
}
