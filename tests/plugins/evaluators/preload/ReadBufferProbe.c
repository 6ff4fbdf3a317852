/* Exercises the file-descriptor calls the read buffer (plugins/evaluators/nix/preload/) wraps
 * and prints what a caller sees, one line per step. NixReadBufferTest runs it with and without
 * the buffer preloaded: every line but the "kernel offset" ones must be the same.
 *
 *   read-buffer-probe FILE   (FILE: at least 70,000 bytes)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel's offset of fd, from /proc (read with large reads, which the buffer passes on). */
static long kernelOffset(int fd) {
  char path[64], text[512];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  int info = open(path, O_RDONLY);
  ssize_t n = info < 0 ? -1 : read(info, text, sizeof text - 1);
  if (info >= 0) close(info);
  if (n <= 0) return -1;
  text[n] = '\0';
  const char* pos = strstr(text, "pos:");
  return pos == NULL ? -1 : strtol(pos + 4, NULL, 10);
}

static unsigned long checksum(const unsigned char* data, size_t n) {
  unsigned long sum = 5381;
  for (size_t i = 0; i < n; ++i) sum = sum * 33 + data[i];
  return sum;
}

/* n one-byte reads; prints how many bytes came and their checksum. */
static void readBytes(const char* label, int fd, size_t n) {
  unsigned char* data = malloc(n);
  size_t got = 0;
  while (got < n && read(fd, data + got, 1) == 1) ++got;
  printf("%s: %zu bytes, checksum %lu\n", label, got, checksum(data, got));
  free(data);
}

static void readBlock(const char* label, int fd, size_t n) {
  unsigned char* data = malloc(n);
  ssize_t got = read(fd, data, n);
  printf("%s: %zd bytes, checksum %lu\n", label, got, checksum(data, got > 0 ? (size_t)got : 0));
  free(data);
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const char* file = argv[1];
  const char* preload = getenv("LD_PRELOAD");
  printf("LD_PRELOAD seen by the program: %s\n", preload == NULL ? "(unset)" : preload);

  int fd = open(file, O_RDONLY);
  if (fd < 0) return 3;
  readBytes("10 one-byte reads", fd, 10);
  printf("kernel offset after them: %ld\n", kernelOffset(fd));
  printf("lseek(0, SEEK_CUR): %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  readBytes("5 more one-byte reads", fd, 5);
  readBlock("a 100-byte read", fd, 100);
  printf("lseek(0, SEEK_CUR): %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  readBytes("70000 one-byte reads (across a refill)", fd, 70000);
  printf("lseek(0, SEEK_CUR): %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  lseek(fd, 3, SEEK_SET);
  readBytes("one-byte reads after lseek(3)", fd, 4);
  int copy = dup(fd);
  printf("lseek(0, SEEK_CUR) of a dup: %ld\n", (long)lseek(copy, 0, SEEK_CUR));
  readBytes("one-byte reads of the dup", fd, 4);
  close(copy);
  close(fd);

  /* The same descriptor number for another file: nothing of the first may come back. */
  char other[] = "/tmp/ekaci-read-buffer-probe-XXXXXX";
  int w = mkstemp(other);
  if (w < 0 || write(w, "other file\n", 11) != 11) return 4;
  close(w);
  int again = open(other, O_RDONLY);
  printf("reopened descriptor is the same number: %s\n", again == fd ? "yes" : "no");
  readBytes("one-byte reads of the other file", again, 20);
  close(again);

  /* A file opened for reading and writing passes through. */
  int rw = open(other, O_RDWR);
  readBytes("one-byte reads of a read-write file", rw, 3);
  printf("kernel offset of the read-write file: %ld\n", kernelOffset(rw));
  if (write(rw, "X", 1) != 1) return 5;
  lseek(rw, 0, SEEK_SET);
  readBytes("read-write file after writing at 3", rw, 11);
  close(rw);
  unlink(other);

  /* A pipe passes through. */
  int p[2];
  if (pipe(p) != 0 || write(p[1], "pipe", 4) != 4) return 6;
  close(p[1]);
  readBytes("one-byte reads of a pipe", p[0], 10);
  close(p[0]);
  return 0;
}
