/* `-M spike` console and exit through HTIF: the `tohost`/`fromhost` words in section .tohost.
 * Device 0 command 0 with payload (code << 1) | 1 exits with status `code`; device 1
 * command 1 writes one character to the console. */
#include "runtime.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

#define HTIF_CMD(dev, cmd, payload) ((uint64_t)(dev) << 56 | (uint64_t)(cmd) << 48 | (uint64_t)(payload))

void rt_platform_init(void) {}

void rt_putc(char c) {
    while (tohost != 0) {
    }
    tohost = HTIF_CMD(1, 1, (uint8_t)c);
    /* The host acknowledges a console write through fromhost; consume it. */
    while (fromhost == 0) {
    }
    fromhost = 0;
}

void rt_exit(int status) {
    /* QEMU passes the code to exit(), so only 1-255 survive as a failing status. */
    uint64_t code = status < 0 || status > 255 ? 255 : (uint64_t)status;
    for (;;) tohost = HTIF_CMD(0, 0, code << 1 | 1);
}
