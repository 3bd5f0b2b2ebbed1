/* htif_exit (-M spike): a non-zero exit status through HTIF: main returns 7, the runtime writes
 * 7 << 1 | 1 to tohost, and the emulator must exit with status 7 after the transcript is out. */
#include "runtime.h"

int main(void) {
    printf("exiting through HTIF with status 7\n");
    return 7;
}
