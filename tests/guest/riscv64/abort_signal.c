/* abort_signal: a guest killed by a signal.
 * Checks that abort() (SIGABRT, default action) terminates the emulator the way it would
 * terminate the real program: a shell sees status 128+6 = 134. Output printed before abort is
 * flushed by hand, because abort does not flush stdio. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
