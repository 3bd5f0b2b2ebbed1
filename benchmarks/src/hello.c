/* The start-up measurement (run.py's "Start-up" table): a program that does almost nothing, so
 * that its time is the emulator's own start, loading, and translating libc's start-up code. */
#include <stdio.h>

int main(void) {
    puts("hello, world");
    return 0;
}
