/* exit_status: the process exit status and what runs on the way out.
 * Checks that exit(42) reaches the host as status 42, that atexit handlers run in reverse
 * order of registration, and that stdio buffers (stdout is a pipe or file here, so fully
 * buffered, and the last text lacks a newline) are flushed by exit after the handlers. */
#include <stdio.h>
#include <stdlib.h>

static void first_registered(void) { printf("atexit: first registered, runs last (no newline)"); }
static void second_registered(void) { printf("atexit: second registered, runs first\n"); }

int main(void)
{
    atexit(first_registered);
    atexit(second_registered);
    printf("main: calling exit(42)\n");
    printf("unterminated line flushed at exit: ");
    printf("yes\n");
    exit(42);
}
