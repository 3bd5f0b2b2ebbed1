/* A guest reset through sifive_test (0x7777) restarts the machine at the reset vector, RAM kept. */
#include "runtime.h"
#define MAGIC_ADDR 0x80f00000ul
int main(void) {
    volatile uint64_t* magic = (volatile uint64_t*)MAGIC_ADDR;
    if (*magic != 0x1234) {
        printf("first boot\n");
        *magic = 0x1234;
        *(volatile uint32_t*)0x100000 = 0x7777;
        for (;;) __asm__ volatile("wfi");
    }
    printf("second boot\n");
    *magic = 0;
    return 0;
}
