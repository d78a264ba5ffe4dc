// SPDX-License-Identifier: GPL-2.0
/*
 * A real GUP-fast on anonymous memory: vmsplice(2) of a buffer into a
 * pipe, then splice(2) of the pipe to /dev/null, until the window ends.
 *
 * vmsplice_to_pipe() -> iter_to_pipe() (fs/splice.c) takes the pages with
 * iov_iter_get_pages2(), 16 at a time -> __iov_iter_get_pages_alloc()
 * (lib/iov_iter.c) -> get_user_pages_fast(addr, n, 0, pages) ->
 * gup_fast_fallback() (mm/gup.c) -> gup_fast(): interrupts off, the
 * lockless walk down to gup_fast_pte_range(), which loads each pte,
 * takes a reference on its folio and re-checks the pte, as faultline's
 * gup_fast_one() does. Only pages it could not take go to the slow path.
 * The splice to /dev/null (splice_write_null) releases the pipe buffers,
 * dropping those references. No data is copied either way.
 *
 * The buffer is written before the window, so every page is present,
 * writable and not the shared zero page (a read fault would map that
 * page, whose special pte GUP-fast refuses). The check: the window takes
 * no fault at all (a GUP that faults went the slow way, and getrusage
 * counts GUP's faults), and every call moves the whole buffer.
 * --gup-unfaulted drops the pages (MADV_DONTNEED) before each call, so
 * every GUP must fault them back: the negative control.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include "kernel.h"

const char kernel_gup_method[] =
	"vmsplice(2) of a written anonymous buffer into a pipe (iter_to_pipe -> "
	"iov_iter_get_pages2 -> get_user_pages_fast, 16 pages per call -> gup_fast), then "
	"splice(2) of the pipe to /dev/null (drops the references); faults = getrusage minor "
	"faults of the window, which must be 0";

struct gup_state {
	char *buf;
	size_t len;
	int pipe[2], null;
};

static int splice_once(struct gup_state *g, const char **what)
{
	struct iovec iov = { g->buf, g->len };
	size_t left = g->len;
	ssize_t n = vmsplice(g->pipe[1], &iov, 1, 0);

	if (n != (ssize_t)g->len) {
		*what = n < 0 ? "vmsplice" : "vmsplice (short: the pipe is too small)";
		return n < 0 ? errno : EMSGSIZE;
	}
	while (left) {
		n = splice(g->pipe[0], NULL, g->null, NULL, left, 0);
		if (n <= 0) {
			*what = "splice to /dev/null";
			return n < 0 ? errno : EIO;
		}
		left -= (size_t)n;
	}
	return 0;
}

static int gup_setup(const struct kernel_job *j, struct gup_state *g, const char **what)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;

	g->len = j->pages_per_call * page;
	g->buf = mmap(NULL, g->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->buf == MAP_FAILED) {
		*what = "mmap the buffer";
		return errno;
	}
	madvise(g->buf, g->len, MADV_NOHUGEPAGE);
	for (i = 0; i < g->len; i += page)
		g->buf[i] = 1;
	if (pipe2(g->pipe, O_CLOEXEC)) {
		*what = "pipe2";
		return errno;
	}
	/* Room for the whole buffer: one vmsplice moves it all. */
	if (g->len > 65536 && fcntl(g->pipe[1], F_SETPIPE_SZ, (int)g->len) < (int)g->len) {
		*what = "F_SETPIPE_SZ (raise fs.pipe-max-size)";
		return errno ? errno : EMSGSIZE;
	}
	g->null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (g->null < 0) {
		*what = "open /dev/null";
		return errno;
	}
	return splice_once(g, what);	/* warm: the pipe's buffers exist */
}

int kernel_gup_body(const struct kernel_job *j, struct kernel_window *w, struct kernel_result *r)
{
	struct gup_state g = { .buf = MAP_FAILED, .pipe = { -1, -1 }, .null = -1 };
	uint64_t f0;
	int err = gup_setup(j, &g, &r->what);

	if (!err) {
		kernel_window_open(w);
		f0 = kernel_minflt();
		while (!kernel_window_stop(w)) {
			if (j->unfaulted)
				madvise(g.buf, g.len, MADV_DONTNEED);
			err = splice_once(&g, &r->what);
			if (err)
				break;
			r->calls++;
			r->pages += j->pages_per_call;
		}
		r->faults = kernel_minflt() - f0;
		kernel_window_close(w, r);
	}
	if (g.null >= 0)
		close(g.null);
	if (g.pipe[0] >= 0) {
		close(g.pipe[0]);
		close(g.pipe[1]);
	}
	if (g.buf != MAP_FAILED)
		munmap(g.buf, g.len);
	return err;
}
