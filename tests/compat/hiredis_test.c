/* Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
 *
 * hiredis (Debian's libhiredis-dev 0.14, the C client many language bindings wrap) against
 * ringkv: plain commands, a pipeline, error replies, MULTI/EXEC and the session-hash pattern.
 * Starts the ringkv-server given as argv[1] on a free loopback port and stops it at the end.
 * Exit status 0 when every check passed; each failure is printed. */
#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static int free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr*)&a, sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, (struct sockaddr*)&a, &len);
  close(fd);
  return ntohs(a.sin_port);
}

static redisReply* cmd(redisContext* c, const char* fmt, const char* arg) {
  return (redisReply*)(arg ? redisCommand(c, fmt, arg) : redisCommand(c, fmt));
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <ringkv-server>\n", argv[0]);
    return 2;
  }
  int port = free_port();
  char port_s[16];
  snprintf(port_s, sizeof(port_s), "%d", port);
  /* An empty directory of its own: no snapshot of the working directory is loaded. */
  char dir[] = "/tmp/ringkv-hiredis-XXXXXX";
  if (mkdtemp(dir) == NULL) return 2;
  pid_t pid = fork();
  if (pid == 0) {
    execl(argv[1], argv[1], "--port", port_s, "--bind", "127.0.0.1", "--threads", "2", "--save", "",
          "--dir", dir, (char*)NULL);
    _exit(127);
  }
  redisContext* c = NULL;
  for (int i = 0; i < 400; ++i) {
    c = redisConnect("127.0.0.1", port);
    if (c != NULL && !c->err) break;
    if (c != NULL) redisFree(c);
    c = NULL;
    usleep(50000);
  }
  if (c == NULL) {
    fprintf(stderr, "could not connect to ringkv-server\n");
    kill(pid, SIGKILL);
    return 1;
  }

  redisReply* r = cmd(c, "SET greeting %s", "hello");
  CHECK(r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0);
  freeReplyObject(r);
  r = cmd(c, "GET greeting", NULL);
  CHECK(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, "hello") == 0);
  freeReplyObject(r);
  r = cmd(c, "GET %s", "missing");
  CHECK(r && r->type == REDIS_REPLY_NIL);
  freeReplyObject(r);
  r = cmd(c, "INCR greeting", NULL);
  CHECK(r && r->type == REDIS_REPLY_ERROR &&
        strcmp(r->str, "ERR value is not an integer or out of range") == 0);
  freeReplyObject(r);

  /* A pipeline of 1000 INCRs, replies read afterwards. */
  for (int i = 0; i < 1000; ++i) redisAppendCommand(c, "INCR counter");
  for (int i = 0; i < 1000; ++i) {
    void* reply = NULL;
    CHECK(redisGetReply(c, &reply) == REDIS_OK);
    r = (redisReply*)reply;
    CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == i + 1);
    freeReplyObject(r);
  }

  /* MULTI/EXEC. */
  freeReplyObject(cmd(c, "MULTI", NULL));
  r = cmd(c, "SET tx %s", "1");
  CHECK(r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "QUEUED") == 0);
  freeReplyObject(r);
  freeReplyObject(cmd(c, "INCR tx", NULL));
  r = cmd(c, "EXEC", NULL);
  CHECK(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
        r->element[1]->type == REDIS_REPLY_INTEGER && r->element[1]->integer == 2);
  freeReplyObject(r);

  /* The session hash. */
  r = redisCommand(c, "HSET session:c user_id %s csrf %s", "1001", "token");
  CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == 2);
  freeReplyObject(r);
  r = cmd(c, "EXPIRE session:c %s", "30");
  CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer == 1);
  freeReplyObject(r);
  r = cmd(c, "HGETALL session:c", NULL);
  CHECK(r && r->type == REDIS_REPLY_ARRAY && r->elements == 4);
  freeReplyObject(r);
  r = cmd(c, "HGET session:c %s", "user_id");
  CHECK(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, "1001") == 0);
  freeReplyObject(r);
  r = cmd(c, "TTL session:c", NULL);
  CHECK(r && r->type == REDIS_REPLY_INTEGER && r->integer > 0 && r->integer <= 30);
  freeReplyObject(r);

  redisFree(c);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  rmdir(dir); /* empty: nothing was saved */
  if (failures == 0) printf("hiredis: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
