/* hello: the smallest useful guest program, and the README's demo.
 * Checks that a static glibc binary starts, writes to stdout through stdio and exits with 0. */
#include <stdio.h>

int main(void)
{
    printf("Hello, world!\n");
    return 0;
}
