// Wall time of two commands run alternately in pairs (BENCHMARKS.md, "Issue 18: twenty-eighth
// session"): N pairs after three untimed ones, the order within a pair flipped every pair,
// each command's standard output and error sent to /dev/null. Prints each command's median,
// mean and 10th percentile in ms, and B over A. Alternating pairs keep a slow phase of the
// machine from falling on one command only, as hyperfine's runs of one command after the
// other can.
//
//   cc -O2 -o /tmp/pairs benches/pairs.c
//   /tmp/pairs 100 OLD/covenant check -p P deals.jsonl --format jsonl -- NEW/covenant check -p P deals.jsonl --format jsonl
//
// Each command is an absolute or relative path and its arguments (no shell, no PATH search).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double run(char **argv) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t p = fork();
  if (p < 0) {
    perror("fork");
    exit(2);
  }
  if (p == 0) {
    int fd = open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(argv[0], argv);
    _exit(127);
  }
  int status;
  waitpid(p, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    fprintf(stderr, "error: %s could not be run\n", argv[0]);
    exit(2);
  }
  return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

static int by_value(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  int split = 2;
  while (split < argc && strcmp(argv[split], "--") != 0) split++;
  if (n < 1 || split == 2 || split >= argc - 1) {
    fprintf(stderr, "usage: pairs N A [ARGS...] -- B [ARGS...]\n");
    return 2;
  }
  argv[split] = NULL;
  char **a = argv + 2, **b = argv + split + 1;
  double *ta = malloc(n * sizeof *ta), *tb = malloc(n * sizeof *tb), sa = 0, sb = 0;
  if (!ta || !tb) return 2;
  for (int k = 0; k < 3; k++) {
    run(a);
    run(b);
  }
  for (int k = 0; k < n; k++) {
    if (k & 1) {
      tb[k] = run(b);
      ta[k] = run(a);
    } else {
      ta[k] = run(a);
      tb[k] = run(b);
    }
    sa += ta[k];
    sb += tb[k];
  }
  qsort(ta, n, sizeof *ta, by_value);
  qsort(tb, n, sizeof *tb, by_value);
  printf("A median %.3f mean %.3f p10 %.3f | B median %.3f mean %.3f p10 %.3f | B/A median %.4f mean %.4f\n",
         ta[n / 2], sa / n, ta[n / 10], tb[n / 2], sb / n, tb[n / 10], tb[n / 2] / ta[n / 2], sb / sa);
  return 0;
}
