/* files: file-system system calls and stdio on files, in a fresh directory made by mkdtemp
 * under /tmp. Checks open/write/read/lseek/pread/pwrite/fstat/stat/ftruncate/rename/unlink,
 * directory listing with getdents (through readdir), error returns with errno (ENOENT, EEXIST),
 * and fopen/fprintf/fgets/fseek/ftell. Prints only values that do not depend on the host:
 * sizes, modes, contents and error names, never inode numbers or times. Calls whose order
 * matters are sequenced into variables (argument evaluation order is unspecified in C). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char *path(const char *name)
{
    static char buf[2][128];
    static int which;
    which ^= 1;
    snprintf(buf[which], sizeof buf[which], "%s/%s", dir, name);
    return buf[which];
}

static const char *errname(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EISDIR: return "EISDIR";
    default: return "other";
    }
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void raw_io(void)
{
    int fd = open(path("raw.bin"), O_CREAT | O_RDWR | O_TRUNC, 0640);
    if (fd < 0) {
        perror("open");
        exit(1);
    }
    const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    printf("write: %zd\n", write(fd, text, 36));
    printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek set: %lld\n", (long long)lseek(fd, 10, SEEK_SET));
    char buf[64] = {0};
    printf("read: %zd [%s]\n", read(fd, buf, 6), buf);
    printf("lseek cur: %lld\n", (long long)lseek(fd, -2, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    printf("read: %zd [%s]\n", read(fd, buf, 4), buf);
    printf("pwrite: %zd\n", pwrite(fd, "XYZ", 3, 5));
    memset(buf, 0, sizeof buf);
    printf("pread: %zd [%s]\n", pread(fd, buf, 10, 0), buf);
    printf("offset after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    /* A hole: writing past the end extends the file with zeros. */
    lseek(fd, 100, SEEK_SET);
    write(fd, "!", 1);
    struct stat st;
    fstat(fd, &st);
    printf("fstat: size=%lld reg=%d mode=%o\n", (long long)st.st_size, S_ISREG(st.st_mode),
           (unsigned)(st.st_mode & 0777));
    memset(buf, 'q', sizeof buf);
    pread(fd, buf, 4, 40);
    printf("hole bytes: %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
    printf("read at eof: %zd\n", read(fd, buf, 10));
    ftruncate(fd, 20);
    fstat(fd, &st);
    printf("ftruncate: size=%lld\n", (long long)st.st_size);
    close(fd);
    errno = 0;
    ssize_t r = read(fd, buf, 1);
    printf("read closed fd: %zd %s\n", r, errname(errno));

    printf("stat: %d", stat(path("raw.bin"), &st));
    printf(" size=%lld\n", (long long)st.st_size);
    errno = 0;
    int rc = stat(path("nope"), &st);
    printf("stat missing: %d %s\n", rc, errname(errno));
    errno = 0;
    rc = open(path("raw.bin"), O_CREAT | O_EXCL | O_WRONLY, 0600);
    printf("open O_EXCL: %d %s\n", rc, errname(errno));
    printf("rename: %d\n", rename(path("raw.bin"), path("moved.bin")));
    int old_rc = stat(path("raw.bin"), &st);
    int new_rc = stat(path("moved.bin"), &st);
    printf("stat after rename: old=%d new=%d\n", old_rc, new_rc);
}

static void stdio_io(void)
{
    FILE *f = fopen(path("text.txt"), "w");
    for (int i = 1; i <= 5; i++)
        fprintf(f, "line %d: %d squared is %d\n", i, i, i * i);
    fputs("no newline at end", f);
    fclose(f);

    f = fopen(path("text.txt"), "r");
    char line[128];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        printf("fgets %d: %s%s", n, line, strchr(line, '\n') ? "" : "<EOF>\n");
    }
    printf("feof=%d ftell=%ld\n", feof(f) != 0, ftell(f));
    fseek(f, 8, SEEK_SET);
    int c1 = fgetc(f);
    int c2 = fgetc(f);
    printf("after fseek: %c%c\n", c1, c2);
    fclose(f);

    f = fopen(path("text.txt"), "a+");
    fprintf(f, "\nappended");
    fflush(f);
    printf("append ftell=%ld\n", ftell(f));
    fclose(f);
}

static void listing(void)
{
    mkdir(path("sub"), 0755);
    errno = 0;
    int rc = mkdir(path("sub"), 0755);
    printf("mkdir again: %d %s\n", rc, errname(errno));
    struct stat st;
    stat(path("sub"), &st);
    printf("sub is dir: %d\n", S_ISDIR(st.st_mode));

    DIR *d = opendir(dir);
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 16)
        names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_name);
    printf("listing:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");

    errno = 0;
    rc = rmdir(dir);
    printf("rmdir non-empty parent: %d %s\n", rc, errname(errno));
    int rc1 = unlink(path("moved.bin"));
    int rc2 = unlink(path("text.txt"));
    printf("unlink: %d %d\n", rc1, rc2);
    errno = 0;
    rc = unlink(path("moved.bin"));
    printf("unlink missing: %d %s\n", rc, errname(errno));
    rc1 = rmdir(path("sub"));
    rc2 = rmdir(dir);
    printf("rmdir: %d %d\n", rc1, rc2);
}

int main(void)
{
    strcpy(dir, "/tmp/mimic-files-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    raw_io();
    stdio_io();
    listing();
    return 0;
}
