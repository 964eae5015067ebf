// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-cli: reply formatting and argument splitting as pure functions, then the binary itself
// compared byte for byte with Debian's redis-cli against the same redis-server.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/cli/cli_args.h"
#include "client/cli/reply_format.h"
#include "client/cli/split_args.h"
#include "gtest/gtest.h"
#include "tests/client/test_server.h"

namespace ringkv::client::cli {
namespace {

using protocol::Reply;
using Type = protocol::Reply::Type;

Reply Str(Type t, std::string s) {
  Reply r;
  r.type = t;
  r.str = std::move(s);
  return r;
}
Reply Int(int64_t v) {
  Reply r;
  r.type = Type::kInteger;
  r.integer = v;
  return r;
}
Reply Agg(Type t, std::vector<Reply> e) {
  Reply r;
  r.type = t;
  r.elements = std::move(e);
  return r;
}

TEST(ReplyFormatTest, ScalarsStandard) {
  EXPECT_EQ(FormatStandard(Str(Type::kSimpleString, "OK")), "OK\n");
  EXPECT_EQ(FormatStandard(Str(Type::kError, "ERR x")), "(error) ERR x\n");
  EXPECT_EQ(FormatStandard(Int(-3)), "(integer) -3\n");
  EXPECT_EQ(FormatStandard(Str(Type::kBulk, "v")), "\"v\"\n");
  EXPECT_EQ(FormatStandard(Reply()), "(nil)\n");
  EXPECT_EQ(FormatStandard(Str(Type::kDouble, "3.14")), "(double) 3.14\n");
  Reply t;
  t.type = Type::kBool;
  t.boolean = true;
  EXPECT_EQ(FormatStandard(t), "(true)\n");
  EXPECT_EQ(FormatStandard(Str(Type::kVerbatim, "line1\nline2")), "line1\nline2\n");
  EXPECT_EQ(FormatStandard(Str(Type::kBigNumber, "12345678901234567890")),
            "(big number) 12345678901234567890\n");
}

TEST(ReplyFormatTest, ReprEscapes) {
  EXPECT_EQ(Repr(std::string("a\"b\\c\n\r\t\a\b\x01\xff", 12)),
            "\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff\"");
}

TEST(ReplyFormatTest, AggregatesStandard) {
  EXPECT_EQ(FormatStandard(Agg(Type::kArray, {})), "(empty array)\n");
  EXPECT_EQ(FormatStandard(Agg(Type::kMap, {})), "(empty hash)\n");
  EXPECT_EQ(FormatStandard(Agg(Type::kSet, {})), "(empty set)\n");
  Reply nested = Agg(
      Type::kArray,
      {Int(1), Agg(Type::kArray, {Int(2), Str(Type::kBulk, "a"), Agg(Type::kArray, {})}), Reply()});
  EXPECT_EQ(FormatStandard(nested),
            "1) (integer) 1\n"
            "2) 1) (integer) 2\n"
            "   2) \"a\"\n"
            "   3) (empty array)\n"
            "3) (nil)\n");
  std::vector<Reply> eleven;
  for (int i = 1; i <= 11; ++i) eleven.push_back(Int(i));
  std::string wide = FormatStandard(Agg(Type::kArray, eleven));
  EXPECT_TRUE(wide.starts_with(" 1) (integer) 1\n")) << wide;
  EXPECT_TRUE(absl::StrContains(wide, "\n11) (integer) 11\n")) << wide;
  EXPECT_EQ(FormatStandard(Agg(Type::kSet, {Str(Type::kBulk, "a"), Str(Type::kBulk, "b")})),
            "1~ \"a\"\n2~ \"b\"\n");
  // A map value that spans lines starts on its own line, indented under the key.
  Reply map =
      Agg(Type::kMap, {Str(Type::kBulk, "a"), Agg(Type::kArray, {Int(1), Int(2)}),
                       Str(Type::kBulk, "b"), Agg(Type::kMap, {Str(Type::kBulk, "x"), Int(1)})});
  EXPECT_EQ(FormatStandard(map),
            "1# \"a\" => \n"
            "   1) (integer) 1\n"
            "   2) (integer) 2\n"
            "2# \"b\" => 1# \"x\" => (integer) 1\n");
}

TEST(ReplyFormatTest, Raw) {
  EXPECT_EQ(FormatRaw(Str(Type::kBulk, "v")), "v");
  EXPECT_EQ(FormatRaw(Reply()), "");
  EXPECT_EQ(FormatRaw(Str(Type::kError, "ERR x")), "ERR x\n");
  EXPECT_EQ(FormatRaw(Agg(Type::kArray, {Int(1), Str(Type::kBulk, "b")})), "1\nb");
  EXPECT_EQ(FormatRaw(Agg(Type::kMap, {Str(Type::kBulk, "f"), Str(Type::kBulk, "v"),
                                       Str(Type::kBulk, "g"), Str(Type::kBulk, "w")})),
            "f v\ng w");
  std::vector<std::string> info = {"info", "server"};
  EXPECT_TRUE(PrintsRawStrings(info));
  EXPECT_EQ(FormatForCommand(Str(Type::kBulk, "# Server\r\n"), OutputMode::kStandard, info),
            "# Server\r\n");
  std::vector<std::string> get = {"GET", "a"};
  EXPECT_EQ(FormatForCommand(Str(Type::kBulk, "v"), OutputMode::kRaw, get), "v\n");
}

TEST(SplitArgsTest, QuotingRules) {
  using V = std::vector<std::string>;
  EXPECT_EQ(SplitArgs("  set  a   b "), V({"set", "a", "b"}));
  EXPECT_EQ(SplitArgs("set \"a b\" 'c d'"), V({"set", "a b", "c d"}));
  EXPECT_EQ(SplitArgs("set k \"\\x41\\n\\t\\\"\""), V({"set", "k", "A\n\t\""}));
  EXPECT_EQ(SplitArgs("set k 'it\\'s'"), V({"set", "k", "it's"}));
  EXPECT_EQ(SplitArgs("set k \"\""), V({"set", "k", ""}));
  EXPECT_EQ(SplitArgs(""), V({}));
  EXPECT_FALSE(SplitArgs("set \"unterminated").has_value());
  EXPECT_FALSE(SplitArgs("set \"a\"b").has_value());
  EXPECT_FALSE(SplitArgs("set 'a'b").has_value());
}

TEST(CliArgsTest, Flags) {
  absl::StatusOr<CliArgs> a =
      ParseCliArgs({"-h", "example", "-p", "7000", "-a", "pw", "--user", "u", "-n", "2", "-3", "-r",
                    "5", "--raw", "set", "-x", "1"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->connection.host, "example");
  EXPECT_EQ(a->connection.port, 7000);
  EXPECT_EQ(a->connection.password, "pw");
  EXPECT_EQ(a->connection.user, "u");
  EXPECT_EQ(a->connection.db, 2);
  EXPECT_TRUE(a->connection.resp3);
  EXPECT_EQ(a->repeat, 5);
  EXPECT_EQ(a->output, OutputMode::kRaw);
  EXPECT_EQ(a->command, (std::vector<std::string>{"set", "-x", "1"}));
  EXPECT_FALSE(ParseCliArgs({"-p", "notanumber"}).ok());
  EXPECT_FALSE(ParseCliArgs({"--bogus"}).ok());
  EXPECT_FALSE(ParseCliArgs({"-p"}).ok());
  absl::StatusOr<CliArgs> s = ParseCliArgs({"-s", "/tmp/x.sock", "--pipe"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->connection.unix_path, "/tmp/x.sock");
  EXPECT_TRUE(s->pipe);
  EXPECT_TRUE(s->command.empty());
}

// --- The binary, against redis-server and next to redis-cli.

class CliBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason = testing::TestServer::SkipReason();
    if (!reason.empty()) GTEST_SKIP() << "no server to test against: " << reason;
    absl::StatusOr<std::unique_ptr<testing::TestServer>> s = testing::TestServer::Start();
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
  }
  testing::ProcessResult Cli(std::vector<std::string> args, const std::string& input = "",
                             const char* binary = RINGKV_CLI_PATH) {
    std::vector<std::string> argv = {binary, "-p", std::to_string(server_->port())};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunProcess(argv, input);
  }
  std::unique_ptr<testing::TestServer> server_;
};

TEST_F(CliBinaryTest, OneShotRawOutput) {
  testing::ProcessResult r = Cli({"set", "a", "1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "OK\n");
  EXPECT_EQ(Cli({"get", "a"}).out, "1\n");
  EXPECT_EQ(Cli({"get", "missing"}).out, "\n");
  EXPECT_EQ(Cli({"-r", "3", "incr", "n"}).out, "1\n2\n3\n");
  r = Cli({"set", "a", "b", "c"});
  EXPECT_EQ(r.exit_code, 0);  // redis-cli exits 0 on an error reply too
  EXPECT_EQ(r.out, "ERR syntax error\n\n");
  EXPECT_EQ(Cli({"-n", "4", "set", "x", "1"}).out, "OK\n");
  EXPECT_EQ(Cli({"-n", "4", "dbsize"}).out, "1\n");
  EXPECT_EQ(Cli({"dbsize"}).out, "2\n");
}

TEST_F(CliBinaryTest, MatchesRedisCli) {
  if (!testing::TestServer::IsRedis()) GTEST_SKIP() << "compares with redis-server output";
  if (access("/usr/bin/redis-cli", X_OK) != 0) GTEST_SKIP() << "redis-cli is not installed";
  Cli({"rpush", "l", "x", "y\n\"z\""});
  Cli({"hset", "h", "f", "v", "g", "w"});
  Cli({"sadd", "s", "a"});
  Cli({"zadd", "z", "1.5", "m", "2", "n"});
  Cli({"set", "bin", std::string("a\x01\xff", 3)});
  const std::vector<std::vector<std::string>> commands = {
      {"get", "bin"},
      {"lrange", "l", "0", "-1"},
      {"lrange", "nol", "0", "-1"},
      {"hgetall", "h"},
      {"hgetall", "noh"},
      {"smembers", "s"},
      {"zrange", "z", "0", "-1", "withscores"},
      {"zscore", "z", "m"},
      {"config", "get", "maxmemory*"},
      {"eval", "return {1,{2,'a',{}},redis.call('get','nokey')}", "0"},
      {"eval", "return {map={a={1,2},b={map={x=1}}}}", "0"},
      {"eval", "redis.setresp(3); return {true, false}", "0"},
      {"eval", "return {double=3.5}", "0"},
      {"incr", "h"},
      {"type", "h"},
  };
  for (const std::vector<std::string>& c : commands) {
    for (std::vector<std::string> mode :
         std::vector<std::vector<std::string>>{{}, {"--no-raw"}, {"-3", "--no-raw"}, {"-3"}}) {
      std::vector<std::string> args = mode;
      args.insert(args.end(), c.begin(), c.end());
      testing::ProcessResult mine = Cli(args);
      testing::ProcessResult theirs = Cli(args, "", "/usr/bin/redis-cli");
      EXPECT_EQ(mine.out, theirs.out) << "command: " << absl::StrJoin(args, " ");
      EXPECT_EQ(mine.exit_code, theirs.exit_code) << absl::StrJoin(args, " ");
    }
  }
}

TEST_F(CliBinaryTest, ConnectionRefused) {
  int port = testing::PickFreePort();
  testing::ProcessResult r =
      testing::RunProcess({RINGKV_CLI_PATH, "-p", std::to_string(port), "ping"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, absl::StrCat("Could not connect to Redis at 127.0.0.1:", port,
                                ": Connection refused\n"));
  EXPECT_EQ(r.out, "");
}

TEST_F(CliBinaryTest, PipeMode) {
  std::string input = "SET a 1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nNOSUCH x\r\n";
  testing::ProcessResult r = Cli({"--pipe"}, input);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "All data transferred. Waiting for the last reply...\n"
            "Last reply received from server.\n"
            "errors: 1, replies: 3\n");
  EXPECT_TRUE(r.err.starts_with("ERR unknown command 'NOSUCH'")) << r.err;
  // A large clean load.
  std::string many;
  for (int i = 0; i < 20000; ++i) {
    many += absl::StrCat("*3\r\n$3\r\nSET\r\n$", std::to_string(i).size() + 2, "\r\nk:", i,
                         "\r\n$1\r\nv\r\n");
  }
  r = Cli({"--pipe"}, many);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "errors: 0, replies: 20000\n")) << r.out;
  EXPECT_EQ(Cli({"dbsize"}).out, "20001\n");
}

TEST_F(CliBinaryTest, InteractiveFromStdin) {
  testing::ProcessResult r =
      Cli({}, "set x 1\nget x\n\n\"unbalanced\nselect 2\nget x\nquit\nget x\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "OK\n1\nInvalid argument(s)\nOK\n\n");
  // Formatted output on request, and "N cmd" repeats.
  r = Cli({"--no-raw"}, "3 incr c\nlrange nolist 0 -1\n");
  EXPECT_EQ(r.out, "(integer) 1\n(integer) 2\n(integer) 3\n(empty array)\n");
}

// The interactive mode on a real terminal: line editing and history go through libedit only when
// stdin is a tty, so this drives ringkv-cli on a pseudo-terminal.
class PtyCli {
 public:
  PtyCli(int port, const std::string& home) {
    pid_ = forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      setenv("HOME", home.c_str(), 1);
      setenv("TERM", "dumb", 1);
      std::string p = std::to_string(port);
      execl(RINGKV_CLI_PATH, RINGKV_CLI_PATH, "-p", p.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtyCli() {
    if (fd_ >= 0) close(fd_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool ok() const { return pid_ > 0 && fd_ >= 0; }
  void Type(std::string_view keys) {
    for (size_t off = 0; off < keys.size();) {
      ssize_t n = write(fd_, keys.data() + off, keys.size() - off);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }
  // Reads until `needle` has appeared `count` times in everything read so far (or 5 s pass).
  bool WaitFor(std::string_view needle, int count = 1) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      int seen = 0;
      for (size_t pos = seen_.find(needle); pos != std::string::npos;
           pos = seen_.find(needle, pos + 1)) {
        ++seen;
      }
      if (seen >= count) return true;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof(buf));
      if (n <= 0) return false;
      seen_.append(buf, static_cast<size_t>(n));
    }
    return false;
  }
  int Wait() {
    int status = 0;
    for (int i = 0; i < 500; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  const std::string& seen() const { return seen_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string seen_;
};

TEST_F(CliBinaryTest, InteractiveTerminalEditsLinesAndKeepsHistory) {
  char home_tmpl[] = "/tmp/ringkv-cli-home-XXXXXX";
  ASSERT_NE(mkdtemp(home_tmpl), nullptr);
  std::string home = home_tmpl;
  {
    PtyCli cli(server_->port(), home);
    ASSERT_TRUE(cli.ok());
    std::string prompt = absl::StrCat("127.0.0.1:", server_->port(), "> ");
    ASSERT_TRUE(cli.WaitFor(prompt)) << cli.seen();
    cli.Type("set greeting hello\r");
    ASSERT_TRUE(cli.WaitFor("OK")) << cli.seen();
    // Line editing: type "get greetinX", erase the X with backspace, finish the word.
    cli.Type("get greetinX\x7fg\r");
    ASSERT_TRUE(cli.WaitFor("\"hello\"")) << cli.seen();
    // History: the up arrow brings back the last line.
    cli.Type("\x1b[A\r");
    ASSERT_TRUE(cli.WaitFor("\"hello\"", 2)) << cli.seen();
    cli.Type("quit\r");
    int status = cli.Wait();
    ASSERT_TRUE(WIFEXITED(status)) << cli.seen();
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  std::ifstream history(home + "/.ringkvcli_history");
  std::stringstream raw;
  raw << history.rdbuf();
  // libedit's history file escapes spaces as \\040.
  std::string text = absl::StrReplaceAll(raw.str(), {{"\\040", " "}});
  EXPECT_TRUE(absl::StrContains(text, "get greeting")) << text;
  EXPECT_TRUE(absl::StrContains(text, "set greeting hello")) << text;
  std::remove((home + "/.ringkvcli_history").c_str());
  rmdir(home.c_str());
}

}  // namespace
}  // namespace ringkv::client::cli
