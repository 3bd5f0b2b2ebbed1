/* The bare-metal benchmarks' runtime on `-M virt`: picolibc's stdout on the NS16550A UART and exit
 * through the sifive_test finisher, so a workload's status (0 = its checksum matched) becomes the
 * emulator's exit status. */
#include <stdint.h>
#include <stdio.h>

#define UART_BASE 0x10000000ul
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define FINISHER_BASE 0x100000ul
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

int main(void);
_Noreturn void bm_exit(int status);

static int uart_put(char c, FILE* file) {
    (void)file;
    volatile uint8_t* uart = (volatile uint8_t*)UART_BASE;
    while (!(uart[UART_LSR] & UART_LSR_THRE)) {
    }
    uart[UART_THR] = (uint8_t)c;
    return (unsigned char)c;
}

static FILE bm_stdout = FDEV_SETUP_STREAM(uart_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE* const stdout = &bm_stdout;
FILE* const stderr = &bm_stdout;
FILE* const stdin = NULL;

_Noreturn void bm_exit(int status) {
    /* The finisher hands the code to the emulator's exit(): only 1-255 survive as a failure. */
    uint32_t code = status < 0 || status > 255 ? 255 : (uint32_t)status;
    *(volatile uint32_t*)FINISHER_BASE = code == 0 ? FINISHER_PASS : (FINISHER_FAIL | code << 16);
    for (;;) __asm__ volatile("wfi");
}

void _exit(int status) {
    bm_exit(status);
}

void bm_main(void) {
    bm_exit(main());
}

void bm_trap(uint64_t cause, uint64_t epc, uint64_t tval) {
    printf("trap: mcause=0x%llx mepc=0x%llx mtval=0x%llx\n", (unsigned long long)cause, (unsigned long long)epc,
           (unsigned long long)tval);
    bm_exit(3);
}
