/* exit_code: a test's exit status reaches the host: main returns 42, the runtime writes
 * 0x3333 | 42 << 16 to the sifive_test finisher (or 42 << 1 | 1 to HTIF tohost), and the
 * emulator must exit with status 42 after the transcript is out. */
#include "runtime.h"

int main(void) {
    printf("exiting with status 42\n");
    return 42;
}
