/* args_auxv: the initial process state that the loader builds on the guest stack.
 * Checks argc/argv (including an empty argument and one with a space), that envp follows argv's
 * NULL and that auxv follows envp's NULL, one environment variable set by the test
 * (MIMIC_TEST_ENV), and auxv entries whose values are fixed or checkable from inside:
 * AT_PAGESZ, AT_CLKTCK, AT_SECURE, AT_BASE (0 for a static binary), AT_PHDR/AT_PHENT/AT_PHNUM
 * against the program's own ELF header, AT_ENTRY against _start, AT_RANDOM's 16 bytes,
 * AT_UID/AT_GID against getuid/getgid, AT_HWCAP's IMAFDC letters, AT_EXECFN's basename.
 * Run as: args_auxv alpha 'two words' '' -x   with MIMIC_TEST_ENV=hello in the environment. */
#define _GNU_SOURCE
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start; /* defined by the linker at the ELF header */
extern char _start[];

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    printf("argv[0] basename=%s\n", base_name(argv[0]));
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    printf("argv[argc]==NULL: %d\n", argv[argc] == NULL);
    printf("envp follows argv: %d, environ==envp: %d\n", envp == argv + argc + 1, environ == envp);
    const char *v = getenv("MIMIC_TEST_ENV");
    printf("MIMIC_TEST_ENV=%s\n", v ? v : "(unset)");

    /* Walk past envp's NULL: the auxv pairs must be there, ending with AT_NULL. */
    char **e = envp;
    while (*e)
        e++;
    Elf64_auxv_t *aux = (Elf64_auxv_t *)(e + 1);
    int n = 0, saw_pagesz = 0;
    for (; aux->a_type != AT_NULL && n < 64; aux++, n++)
        if (aux->a_type == AT_PAGESZ && aux->a_un.a_val == getauxval(AT_PAGESZ))
            saw_pagesz = 1;
    printf("auxv on stack after envp: terminated=%d has AT_PAGESZ=%d\n", aux->a_type == AT_NULL,
           saw_pagesz);

    printf("AT_PAGESZ=%lu sysconf=%ld\n", getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_BASE=%lu\n", getauxval(AT_BASE));
    const char *ehdr = (const char *)&__ehdr_start;
    printf("AT_PHDR is ours: %d\n", getauxval(AT_PHDR) == (uintptr_t)(ehdr + __ehdr_start.e_phoff));
    printf("AT_PHENT=%lu AT_PHNUM matches: %d\n", getauxval(AT_PHENT),
           getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
    printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (uintptr_t)_start);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    unsigned acc = 0;
    for (int i = 0; rnd && i < 16; i++)
        acc |= rnd[i];
    printf("AT_RANDOM readable: %d\n", rnd != NULL && acc != 0);
    printf("AT_UID/EUID/GID/EGID match: %d %d %d %d\n", getauxval(AT_UID) == getuid(),
           getauxval(AT_EUID) == geteuid(), getauxval(AT_GID) == getgid(),
           getauxval(AT_EGID) == getegid());
    unsigned long hw = getauxval(AT_HWCAP);
    const char *letters = "IMAFDC";
    printf("AT_HWCAP has:");
    for (const char *l = letters; *l; l++)
        printf(" %c=%lu", *l, (hw >> (*l - 'A')) & 1);
    printf("\n");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN basename=%s\n", execfn ? base_name(execfn) : "(none)");
    return 0;
}
