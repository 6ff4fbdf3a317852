/* A read buffer preloaded (LD_PRELOAD) into the evaluator's `nix repl` workers.
 *
 * Nix 2.8 quotes the source lines of every error it prints, and finds them by reading the
 * file from its start one byte per read(2) call: an error at line 30,000 of a 1 MB file costs
 * a million system calls (about half a second), and a package set with a few hundred broken
 * attributes in such a file spends most of its evaluation in the kernel. This library turns
 * one-byte reads of a regular file opened read-only into reads of 64 KiB served from memory,
 * and keeps every other use of the descriptor exactly as without it: before any other
 * read, lseek or dup onto the descriptor, the kernel's file offset is moved back to the byte
 * the caller has consumed, and close forgets the buffer.
 *
 * Only descriptors read one byte at a time through read(2) are touched (Nix's line reader);
 * pipes, sockets, terminals and files opened for writing pass straight through. The library
 * removes itself from LD_PRELOAD when it is loaded, so programs Nix starts (git, builders)
 * run without it. It is written in C, without the sanitizers, because it runs inside a
 * program that eka-ci did not build.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { kMaxDescriptors = 4096, kChunk = 65536 };

enum State { kUnknown = 0, kBuffered, kPassThrough };

struct Buffer {
  enum State state;
  off_t start;    /* file offset of data[0] */
  size_t length;  /* bytes in data */
  size_t next;    /* next byte to hand out */
  char* data;
};

static struct Buffer buffers[kMaxDescriptors];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*realRead)(int, void*, size_t);
static int (*realClose)(int);
static off_t (*realLseek)(int, off_t, int);
static int (*realDup)(int);
static int (*realDup2)(int, int);
static int (*realDup3)(int, int, int);

__attribute__((constructor)) static void initialise(void) {
  realRead = (ssize_t(*)(int, void*, size_t))dlsym(RTLD_NEXT, "read");
  realClose = (int (*)(int))dlsym(RTLD_NEXT, "close");
  realLseek = (off_t(*)(int, off_t, int))dlsym(RTLD_NEXT, "lseek");
  realDup = (int (*)(int))dlsym(RTLD_NEXT, "dup");
  realDup2 = (int (*)(int, int))dlsym(RTLD_NEXT, "dup2");
  realDup3 = (int (*)(int, int, int))dlsym(RTLD_NEXT, "dup3");
  unsetenv("LD_PRELOAD");
}

static int tracked(int fd) { return fd >= 0 && fd < kMaxDescriptors; }

/* Gives the kernel's offset back to the caller's position and drops the buffer. Locked. */
static void settle(int fd) {
  struct Buffer* b = &buffers[fd];
  if (b->state != kBuffered) return;
  realLseek(fd, b->start + (off_t)b->next, SEEK_SET);
  b->state = kUnknown;
  b->length = b->next = 0;
}

/* Forgets everything about a descriptor that is closed or replaced. Locked. */
static void forget(int fd) {
  struct Buffer* b = &buffers[fd];
  free(b->data);
  b->data = NULL;
  b->state = kUnknown;
  b->length = b->next = 0;
}

static int bufferable(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  int flags = fcntl(fd, F_GETFL);
  return flags != -1 && (flags & O_ACCMODE) == O_RDONLY;
}

/* One byte for a bufferable descriptor: from the buffer, refilled 64 KiB at a time. Locked. */
static ssize_t readOne(int fd, char* out) {
  struct Buffer* b = &buffers[fd];
  if (b->state == kBuffered && b->next < b->length) {
    *out = b->data[b->next++];
    return 1;
  }
  if (b->state == kUnknown && !bufferable(fd)) {
    b->state = kPassThrough;
    return realRead(fd, out, 1);
  }
  if (b->data == NULL && (b->data = malloc(kChunk)) == NULL) return realRead(fd, out, 1);
  off_t start = b->state == kBuffered ? b->start + (off_t)b->length : realLseek(fd, 0, SEEK_CUR);
  if (start < 0) {
    b->state = kPassThrough;
    return realRead(fd, out, 1);
  }
  ssize_t got = realRead(fd, b->data, kChunk);
  if (got <= 0) {
    b->state = kUnknown;
    b->length = b->next = 0;
    return got;
  }
  b->state = kBuffered;
  b->start = start;
  b->length = (size_t)got;
  b->next = 1;
  *out = b->data[0];
  return 1;
}

ssize_t read(int fd, void* buf, size_t count) {
  if (!tracked(fd)) return realRead(fd, buf, count);
  pthread_mutex_lock(&lock);
  ssize_t result;
  if (count == 1 && buffers[fd].state != kPassThrough) {
    result = readOne(fd, (char*)buf);
    pthread_mutex_unlock(&lock);
    return result;
  }
  settle(fd);
  pthread_mutex_unlock(&lock);
  return realRead(fd, buf, count);
}

/* Before any other use of fd's offset: the kernel's is the caller's again. */
static void settleTracked(int fd) {
  if (!tracked(fd)) return;
  pthread_mutex_lock(&lock);
  settle(fd);
  pthread_mutex_unlock(&lock);
}

off_t lseek(int fd, off_t offset, int whence) {
  settleTracked(fd);
  return realLseek(fd, offset, whence);
}

off_t lseek64(int fd, off_t offset, int whence) { return lseek(fd, offset, whence); }

int close(int fd) {
  if (tracked(fd)) {
    pthread_mutex_lock(&lock);
    forget(fd);
    pthread_mutex_unlock(&lock);
  }
  return realClose(fd);
}

int dup(int fd) {
  settleTracked(fd);
  return realDup(fd);
}

/* Before fd is duplicated onto target: fd's offset is settled, target's buffer forgotten. */
static void beforeDuplicating(int fd, int target) {
  if (!tracked(fd) && !tracked(target)) return;
  pthread_mutex_lock(&lock);
  if (tracked(fd)) settle(fd);
  if (tracked(target) && target != fd) forget(target);
  pthread_mutex_unlock(&lock);
}

int dup2(int fd, int target) {
  beforeDuplicating(fd, target);
  return realDup2(fd, target);
}

int dup3(int fd, int target, int flags) {
  beforeDuplicating(fd, target);
  return realDup3(fd, target, flags);
}
