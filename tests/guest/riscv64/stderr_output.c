/* stderr_output: both output streams and raw file descriptors.
 * Checks that stdout and stderr reach the host's fds 1 and 2 separately (the test compares each
 * stream with its own expected file), unbuffered stderr vs buffered stdout, raw write(2) on fd 2,
 * writev on fd 1, and perror's message text for ENOENT. Exits with status 3. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    printf("out: line 1\n");
    fprintf(stderr, "err: line 1\n");
    fflush(stdout);
    write(2, "err: raw write\n", 15);
    struct iovec iov[3] = {{"out: ", 5}, {"writev ", 7}, {"pieces\n", 7}};
    writev(1, iov, 3);
    errno = ENOENT;
    perror("err: perror");
    fprintf(stderr, "err: strerror(EACCES)=%s\n", strerror(EACCES));
    printf("out: last line\n");
    return 3;
}
