// SPDX-License-Identifier: GPL-2.0
/*
 * Real anonymous faults, as will-it-scale's page_fault1 takes them: map a
 * private anonymous region, write one byte to each page, unmap it, again,
 * until the window ends. Each first write to a page is one fault through
 * do_anonymous_page(): a zeroed page, its rmap, the pte set under the pte
 * lock, the very path faultline models. The time per page includes its
 * share of the mmap() and of the munmap() that zaps and frees the pages,
 * as page_fault1's count does.
 *
 * THP is off for the region (MADV_NOHUGEPAGE, which turns off the
 * multi-size anonymous THPs as well), so each 4 KiB page is its own
 * fault. The faults counted are the minor faults of the touching loop
 * alone (getrusage before and after it, per region): they must equal the
 * pages touched. --populate maps the region with MAP_POPULATE, so the
 * touching loop takes none, and the check must say so (the negative
 * control). The populating faults are GUP's own and are not counted here.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kernel.h"

const char kernel_fault_method[] =
	"will-it-scale page_fault1: mmap a private anonymous region, write one byte per page "
	"(one fault each, THP off), munmap, again; ns per page includes its share of mmap and "
	"munmap; faults = getrusage minor faults of the touching loop";

/* Poll the stop flag every this many pages (2 MiB at 4 KiB pages). */
#define FAULT_POLL_PAGES	512

/*
 * Write one byte to each page until npages or the window's end; returns
 * the pages written, *stop set at the end. Not instrumented: under ASan
 * each write would fault in shadow memory too, which is no fault of the
 * region's.
 */
__attribute__((no_sanitize("address")))
static size_t touch(volatile char *p, size_t page, size_t npages, const struct kernel_window *w,
		    bool *stop)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		p[i * page] = 1;
		if (i % FAULT_POLL_PAGES == FAULT_POLL_PAGES - 1 && kernel_window_stop(w)) {
			*stop = true;
			return i + 1;
		}
	}
	return i;
}

int kernel_fault_body(const struct kernel_job *j, struct kernel_window *w, struct kernel_result *r)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), npages = j->region_bytes / page;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (j->populate ? MAP_POPULATE : 0);
	bool stop = false;

	kernel_window_open(w);
	while (!stop) {
		volatile char *p = mmap(NULL, j->region_bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
		uint64_t f0;

		if (p == MAP_FAILED) {
			r->what = "mmap the region";
			kernel_window_close(w, r);
			return errno;
		}
		/* Ignored where THP is not built in: then every page is small anyway. */
		madvise((void *)p, j->region_bytes, MADV_NOHUGEPAGE);
		f0 = kernel_minflt();
		r->pages += touch(p, page, npages, w, &stop);
		r->faults += kernel_minflt() - f0;
		r->calls++;
		munmap((void *)p, j->region_bytes);
		stop = stop || kernel_window_stop(w);
	}
	kernel_window_close(w, r);
	return 0;
}
