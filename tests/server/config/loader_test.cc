// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Tests of reading config files: line handling, every directive type, includes, and the exact
// fatal error text for every kind of bad line. The reasons were checked against Redis 7.0.15
// (Debian's redis-server given the same lines); the file name in the second line is ringkv's.
#include "server/config/loader.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/config/directive.h"
#include "server/config/syntax.h"
#include "tests/server/config/temp_dir.h"

namespace ringkv::server::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::TempDir;

std::string Fatal(const std::string& file, int line, const std::string& shown,
                  const std::string& reason) {
  return absl::StrCat("*** FATAL CONFIG FILE ERROR (ringkv) ***\n",
                      "Reading the configuration file '", file, "', at line ", line, "\n>>> '",
                      shown, "'\n", reason);
}

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = dir_.path() + "/t.conf"; }

  // Loads `text` as file "t.conf" on top of the defaults.
  absl::Status Load(std::string_view text, ServerConfig* cfg) {
    dir_.Write("t.conf", text);
    return ConfigLoader().ApplyFile(path_, cfg);
  }
  ServerConfig LoadOk(std::string_view text) {
    ServerConfig cfg;
    absl::Status s = Load(text, &cfg);
    EXPECT_TRUE(s.ok()) << s.message();
    return cfg;
  }
  // The error message of loading `text`, which must fail.
  std::string LoadError(std::string_view text) {
    ServerConfig cfg;
    absl::Status s = Load(text, &cfg);
    EXPECT_FALSE(s.ok());
    return std::string(s.message());
  }
  // The error of a one-line file (preceded by a comment and a blank line, as line 3).
  void ExpectLineError(const std::string& line, const std::string& reason) {
    EXPECT_EQ(LoadError("# c\n\n" + line + "\n"), Fatal(path_, 3, line, reason)) << line;
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(LoaderTest, EmptyFileGivesDefaults) {
  ServerConfig cfg = LoadOk("");
  const DirectiveTable& t = DirectiveTable::Default();
  ServerConfig defaults;
  for (const auto& d : t.all()) EXPECT_EQ(d->Format(cfg), d->Format(defaults)) << d->name();
}

TEST_F(LoaderTest, CommentsBlankLinesAndCrLf) {
  ServerConfig cfg = LoadOk(
      "# a comment\n"
      "   # an indented comment\n"
      "\n"
      "  \t \n"
      "port 7000\r\n"
      "\ttimeout   30   \n"
      "hz 20");  // no final newline
  EXPECT_EQ(cfg.port, 7000);
  EXPECT_EQ(cfg.timeout, 30);
  EXPECT_EQ(cfg.hz, 20);
}

TEST_F(LoaderTest, NoCommentAfterADirective) {
  // As in Redis, '#' starts a comment only at the beginning of a line.
  ExpectLineError("port 7000 # web", "wrong number of arguments");
}

TEST_F(LoaderTest, DirectiveNamesAndWordValuesAreCaseInsensitive) {
  ServerConfig cfg = LoadOk("PORT 7001\nProtected-Mode NO\nLOGLEVEL Warning\nio-backend EPOLL\n");
  EXPECT_EQ(cfg.port, 7001);
  EXPECT_FALSE(cfg.protected_mode);
  EXPECT_EQ(cfg.loglevel, LogLevel::kWarning);
  EXPECT_EQ(cfg.io_backend, IoBackendKind::kEpoll);
}

TEST_F(LoaderTest, LaterLinesOverrideEarlierOnes) {
  ServerConfig cfg = LoadOk("port 1\nport 2\nbind 10.0.0.1\nbind ::1 127.0.0.1\n");
  EXPECT_EQ(cfg.port, 2);
  EXPECT_THAT(cfg.bind, ElementsAre("::1", "127.0.0.1"));
}

TEST_F(LoaderTest, EveryDirectiveType) {
  ServerConfig cfg = LoadOk(
      "port 0\n"
      "bind 127.0.0.1 -::1 * ::* 10.1.2.3 fe80::1\n"
      "threads 4\n"
      "io-backend io_uring\n"
      "databases 32\n"
      "maxclients 4294967295\n"
      "timeout 60\n"
      "tcp-keepalive 0\n"
      "tcp-backlog 1024\n"
      "protected-mode no\n"
      "requirepass \"p w\\x21\"\n"
      "unixsocket /tmp/ringkv.sock\n"
      "unixsocketperm 700\n"
      "loglevel nothing\n"
      "pidfile '/run/ringkv.pid'\n"
      "daemonize no\n"
      "proto-max-bulk-len 1mb\n"
      "client-query-buffer-limit 2GB\n"
      "client-output-buffer-limit normal 1kb 2k 3 slave 4mb 5m 6\n"
      "client-output-buffer-limit pubsub 7gb 8g 9\n"
      "dir /tmp\n"
      "hz 100\n");
  EXPECT_EQ(cfg.port, 0);
  EXPECT_THAT(cfg.bind, ElementsAre("127.0.0.1", "-::1", "*", "::*", "10.1.2.3", "fe80::1"));
  EXPECT_EQ(cfg.threads, 4);
  EXPECT_EQ(cfg.io_backend, IoBackendKind::kIoUring);
  EXPECT_EQ(cfg.databases, 32);
  EXPECT_EQ(cfg.maxclients, 4294967295);
  EXPECT_EQ(cfg.timeout, 60);
  EXPECT_EQ(cfg.tcp_keepalive, 0);
  EXPECT_EQ(cfg.tcp_backlog, 1024);
  EXPECT_FALSE(cfg.protected_mode);
  EXPECT_EQ(cfg.requirepass, "p w!");
  EXPECT_EQ(cfg.unixsocket, "/tmp/ringkv.sock");
  EXPECT_EQ(cfg.unixsocketperm, 0700u);
  EXPECT_EQ(cfg.loglevel, LogLevel::kNothing);
  EXPECT_EQ(cfg.pidfile, "/run/ringkv.pid");
  EXPECT_FALSE(cfg.daemonize);
  EXPECT_EQ(cfg.proto_max_bulk_len, 1 << 20);
  EXPECT_EQ(cfg.client_query_buffer_limit, int64_t{2} << 30);
  EXPECT_EQ(cfg.output_limit(ClientClass::kNormal), (ClientBufferLimit{1024, 2000, 3}));
  EXPECT_EQ(cfg.output_limit(ClientClass::kReplica), (ClientBufferLimit{4 << 20, 5000000, 6}));
  EXPECT_EQ(cfg.output_limit(ClientClass::kPubSub),
            (ClientBufferLimit{uint64_t{7} << 30, 8000000000, 9}));
  EXPECT_EQ(cfg.dir, "/tmp");
  EXPECT_EQ(cfg.hz, 100);
}

TEST_F(LoaderTest, EmptyBindMeansNoTcpListener) {
  EXPECT_THAT(LoadOk("bind\n").bind, IsEmpty());
  EXPECT_THAT(LoadOk("bind \"\"\n").bind, IsEmpty());
}

TEST_F(LoaderTest, HzIsClampedAsInRedis) {
  EXPECT_EQ(LoadOk("hz 0\n").hz, 1);
  EXPECT_EQ(LoadOk("hz 1000\n").hz, 500);
  ExpectLineError("hz -1", "argument must be between 0 and 2147483647 inclusive");
}

TEST_F(LoaderTest, OctalPermissions) {
  EXPECT_EQ(LoadOk("unixsocketperm 0777\n").unixsocketperm, 0777u);
  ExpectLineError("unixsocketperm 999", "argument couldn't be parsed as an octal number");
  ExpectLineError("unixsocketperm abc", "argument couldn't be parsed as an octal number");
  ExpectLineError("unixsocketperm 1777", "argument must be between 0 and 777 inclusive");
  ExpectLineError("unixsocketperm -1", "argument must be between 0 and 777 inclusive");
}

TEST_F(LoaderTest, UnknownDirective) {
  ExpectLineError("foo bar", "Bad directive or wrong number of arguments");
  // A Redis directive ringkv does not act on is refused, not ignored.
  ExpectLineError("activedefrag yes", "Bad directive or wrong number of arguments");
  ExpectLineError("\"\"", "Bad directive or wrong number of arguments");
}

TEST_F(LoaderTest, WrongArgumentCount) {
  ExpectLineError("port 1 2", "wrong number of arguments");
  ExpectLineError("port", "wrong number of arguments");
  ExpectLineError("requirepass a b", "wrong number of arguments");
  ExpectLineError("protected-mode", "wrong number of arguments");
  ExpectLineError("loglevel a b", "wrong number of arguments");
}

TEST_F(LoaderTest, OutOfRange) {
  ExpectLineError("port 99999", "argument must be between 0 and 65535 inclusive");
  ExpectLineError("port -1", "argument must be between 0 and 65535 inclusive");
  ExpectLineError("timeout -1", "argument must be between 0 and 2147483647 inclusive");
  ExpectLineError("maxclients 0", "argument must be between 1 and 4294967295 inclusive");
  ExpectLineError("databases 0", "argument must be between 1 and 2147483647 inclusive");
  ExpectLineError("tcp-keepalive -1", "argument must be between 0 and 2147483647 inclusive");
  ExpectLineError("threads 1025", "argument must be between 0 and 1024 inclusive");
  ExpectLineError("proto-max-bulk-len 100",
                  "argument must be between 1048576 and 9223372036854775807 inclusive");
  ExpectLineError("proto-max-bulk-len 1m",
                  "argument must be between 1048576 and 9223372036854775807 inclusive");
  ExpectLineError("client-query-buffer-limit 9223372036854775808",
                  "argument must be between 1048576 and 9223372036854775807 inclusive");
}

TEST_F(LoaderTest, NotAnInteger) {
  for (const char* v : {"abc", "007", "+1", "1.0", "-0", "1kb", "99999999999999999999"}) {
    ExpectLineError(absl::StrCat("port ", v), "argument couldn't be parsed into an integer");
  }
  ExpectLineError("port \" 1\"", "argument couldn't be parsed into an integer");
}

TEST_F(LoaderTest, BadEnum) {
  ExpectLineError("loglevel loud",
                  "argument(s) must be one of the following: debug, verbose, "
                  "notice, warning, nothing");
  ExpectLineError("io-backend kqueue",
                  "argument(s) must be one of the following: auto, io_uring, epoll");
}

TEST_F(LoaderTest, BadBool) {
  ExpectLineError("protected-mode maybe", "argument must be 'yes' or 'no'");
  ExpectLineError("daemonize 1", "argument must be 'yes' or 'no'");
}

TEST_F(LoaderTest, BadMemoryValue) {
  for (const char* v : {"1xb", "10kk", "1.5mb", "-1", "+1", "kb", "1tb"}) {
    ExpectLineError(absl::StrCat("proto-max-bulk-len ", v), "argument must be a memory value");
  }
}

TEST_F(LoaderTest, UnbalancedQuotes) {
  ExpectLineError("bind \"127.0.0.1", "Unbalanced quotes in configuration line");
  ExpectLineError("requirepass 'abc", "Unbalanced quotes in configuration line");
  ExpectLineError("requirepass \"a\"b", "Unbalanced quotes in configuration line");
}

TEST_F(LoaderTest, DaemonizeYesIsRefused) {
  ExpectLineError("daemonize yes", "daemonize yes is not supported; run under a supervisor");
  ExpectLineError("daemonize YES", "daemonize yes is not supported; run under a supervisor");
}

TEST_F(LoaderTest, BindAddresses) {
  ExpectLineError("bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
                  "Too many bind addresses specified.");
  ExpectLineError("bind 127.0.0.1 localhost",
                  "Invalid bind address 'localhost': must be an IPv4 or IPv6 address, * or ::*");
  ExpectLineError("bind 300.0.0.1",
                  "Invalid bind address '300.0.0.1': must be an IPv4 or IPv6 address, * or ::*");
}

TEST_F(LoaderTest, ClientOutputBufferLimitErrors) {
  ExpectLineError("client-output-buffer-limit normal 0 0",
                  "Wrong number of arguments in buffer limit configuration.");
  ExpectLineError("client-output-buffer-limit normal 1 2 3 pubsub 1 2",
                  "Wrong number of arguments in buffer limit configuration.");
  ExpectLineError("client-output-buffer-limit foo 0 0 0",
                  "Invalid client class specified in buffer limit configuration.");
  ExpectLineError("client-output-buffer-limit master 0 0 0",
                  "Invalid client class specified in buffer limit configuration.");
  ExpectLineError("client-output-buffer-limit normal 1mb 2 -3",
                  "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  ExpectLineError("client-output-buffer-limit normal 1xb 2 3",
                  "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
}

TEST_F(LoaderTest, ClientOutputBufferLimitIsAllOrNothingPerLine) {
  ServerConfig cfg;
  ASSERT_FALSE(Load("client-output-buffer-limit normal 1 2 3 pubsub x 0 0\n", &cfg).ok());
  EXPECT_EQ(cfg.output_limit(ClientClass::kNormal), ClientBufferLimit{});
}

TEST_F(LoaderTest, DirMustExist) {
  ExpectLineError("dir /nonexistent-ringkv-dir", "No such file or directory");
  ExpectLineError("dir \"\"", "No such file or directory");
  std::string file = dir_.Write("plain", "x");
  ExpectLineError("dir " + file, "Not a directory");
}

TEST_F(LoaderTest, LogFileMustBeWritable) {
  ExpectLineError("logfile /nonexistent-ringkv-dir/x.log",
                  "Can't open the log file: No such file or directory");
  std::string log = dir_.path() + "/ringkv.log";
  EXPECT_EQ(LoadOk("logfile " + log + "\n").logfile, log);
  EXPECT_TRUE(std::filesystem::exists(log));
}

TEST_F(LoaderTest, UnixSocketPathLength) {
  ExpectLineError("unixsocket /" + std::string(107, 'a'),
                  "unixsocket path is too long (the limit is 107 bytes)");
  EXPECT_EQ(LoadOk("unixsocket /" + std::string(106, 'a') + "\n").unixsocket.size(), 107u);
}

TEST_F(LoaderTest, FailureLeavesEarlierLinesApplied) {
  ServerConfig cfg;
  ASSERT_FALSE(Load("port 7000\nport x\nhz 99\n", &cfg).ok());
  EXPECT_EQ(cfg.port, 7000);
  EXPECT_EQ(cfg.hz, 10);
}

TEST_F(LoaderTest, MissingFile) {
  ServerConfig cfg;
  absl::Status s = ConfigLoader().ApplyFile(dir_.path() + "/nope.conf", &cfg);
  EXPECT_EQ(s.message(), absl::StrCat("Fatal error, can't open config file '", dir_.path(),
                                      "/nope.conf': No such file or directory"));
  s = ConfigLoader().ApplyFile(dir_.path(), &cfg);
  EXPECT_EQ(s.message(), absl::StrCat("Fatal error, can't open config file '", dir_.path(),
                                      "': Is a directory"));
}

TEST_F(LoaderTest, IncludeAppliesAtItsPosition) {
  std::string inc = dir_.Write("inc.conf", "port 2\nhz 20\n");
  ServerConfig cfg = LoadOk("port 1\nhz 5\ninclude " + inc + "\nport 3\n");
  EXPECT_EQ(cfg.port, 3);  // after the include
  EXPECT_EQ(cfg.hz, 20);   // from the include, overriding the line before it
}

TEST_F(LoaderTest, IncludeDirectiveIsCaseInsensitive) {
  std::string inc = dir_.Write("inc.conf", "port 2\n");
  EXPECT_EQ(LoadOk("INCLUDE " + inc + "\n").port, 2);
}

TEST_F(LoaderTest, IncludePathIsRelativeToTheWorkingDirectory) {
  // Redis opens include paths as given, relative to the process's working directory, not to
  // the including file. The tests run in the repository root.
  dir_.Write("inc.conf", "port 2\n");
  EXPECT_EQ(LoadError("include inc.conf\n"),
            Fatal(path_, 1, "include inc.conf",
                  "can't open config file 'inc.conf': No such file or directory"));
  std::string rel = std::filesystem::relative(dir_.path() + "/inc.conf").string();
  ASSERT_NE(rel.front(), '/');
  EXPECT_EQ(LoadOk("include " + rel + "\n").port, 2);
}

TEST_F(LoaderTest, MissingIncludeNamesTheIncludingLine) {
  std::string missing = dir_.path() + "/missing.conf";
  EXPECT_EQ(LoadError("# x\ninclude " + missing + "\n"),
            Fatal(path_, 2, "include " + missing,
                  "can't open config file '" + missing + "': No such file or directory"));
}

TEST_F(LoaderTest, ErrorInIncludedFileNamesThatFileAndLine) {
  std::string inc = dir_.Write("inc.conf", "port 0\n\nport\n");
  EXPECT_EQ(LoadError("hz 5\ninclude " + inc + "\n"),
            Fatal(inc, 3, "port", "wrong number of arguments"));
}

TEST_F(LoaderTest, IncludeWithWrongArityIsABadDirective) {
  ExpectLineError("include", "Bad directive or wrong number of arguments");
  ExpectLineError("include a b", "Bad directive or wrong number of arguments");
}

TEST_F(LoaderTest, IncludeLoopIsAnErrorNotARecursion) {
  std::string self = dir_.path() + "/t.conf";
  EXPECT_EQ(
      LoadError("include " + self + "\n"),
      Fatal(self, 1, "include " + self, "include loop: '" + self + "' is already being read"));

  std::string a = dir_.path() + "/a.conf", b = dir_.path() + "/b.conf";
  dir_.Write("a.conf", "include " + b + "\n");
  dir_.Write("b.conf", "port 5\ninclude " + a + "\n");
  EXPECT_EQ(LoadError("include " + a + "\n"),
            Fatal(b, 2, "include " + a, "include loop: '" + a + "' is already being read"));

  // The same file spelled differently is still the same file.
  std::string odd = dir_.path() + "/./t.conf";
  EXPECT_EQ(LoadError("include " + odd + "\n"),
            Fatal(self, 1, "include " + odd, "include loop: '" + odd + "' is already being read"));
}

TEST_F(LoaderTest, IncludingTheSameFileTwiceInSequenceIsFine) {
  std::string inc = dir_.Write("inc.conf", "hz 7\n");
  EXPECT_EQ(LoadOk("include " + inc + "\nhz 8\ninclude " + inc + "\n").hz, 7);
}

TEST_F(LoaderTest, IncludeGlobAppliesMatchesInSortedOrder) {
  std::filesystem::create_directory(dir_.path() + "/d");
  dir_.Write("d/20-b.conf", "port 20\nhz 20\n");
  dir_.Write("d/10-a.conf", "port 10\ntimeout 10\n");
  dir_.Write("d/skip.txt", "port 99\n");
  ServerConfig cfg = LoadOk("include " + dir_.path() + "/d/*.conf\n");
  EXPECT_EQ(cfg.port, 20);
  EXPECT_EQ(cfg.hz, 20);
  EXPECT_EQ(cfg.timeout, 10);
  // No match includes nothing, as in Redis 7.
  EXPECT_EQ(LoadOk("include " + dir_.path() + "/d/*.none\n").port, 6379);
}

TEST_F(LoaderTest, ApplyTextNamesItsSource) {
  ServerConfig cfg;
  absl::Status s = ConfigLoader().ApplyText("port 1\nport x\n", "standard input", &cfg);
  EXPECT_EQ(s.message(),
            "*** FATAL CONFIG FILE ERROR (ringkv) ***\nReading standard input, at line 2\n"
            ">>> 'port x'\nargument couldn't be parsed into an integer");
}

TEST(DirectiveTableTest, DefaultsInTheTableMatchServerConfig) {
  // The table's default text is what docs and CONFIG REWRITE see; ServerConfig's initializers
  // are what a server without a file runs with. They must agree.
  const ServerConfig defaults;
  for (const auto& d : DirectiveTable::Default().all()) {
    ServerConfig cfg;
    cfg.port = 1;  // disturb a few fields so that a default that does not apply is noticed
    cfg.bind = {"10.0.0.1"};
    cfg.hz = 77;
    cfg.client_output_buffer_limit = {};
    cfg.dir = "/";
    std::optional<std::vector<std::string>> args = SplitArgs(std::string(d->info().default_value));
    ASSERT_TRUE(args.has_value()) << d->name();
    ASSERT_TRUE(d->Apply(*args, &cfg).ok()) << d->name();
    EXPECT_EQ(d->Format(cfg), d->Format(defaults)) << d->name();
  }
}

TEST(DirectiveTableTest, FindIsCaseInsensitiveAndKnowsAliases) {
  std::vector<std::unique_ptr<Directive>> v;
  v.push_back(
      MakeInt({"port", {"listening-port"}, "6379", false, ""}, &ServerConfig::port, 0, 65535));
  DirectiveTable t(std::move(v));
  ASSERT_NE(t.Find("port"), nullptr);
  EXPECT_EQ(t.Find("PoRt"), t.Find("port"));
  EXPECT_EQ(t.Find("Listening-Port"), t.Find("port"));
  EXPECT_EQ(t.Find("nope"), nullptr);
  EXPECT_EQ(t.IndexOf(t.Find("port")), 0u);

  // A loader over this table accepts the alias.
  TempDir dir;
  std::string p = dir.Write("a.conf", "listening-port 7\n");
  ServerConfig cfg;
  ASSERT_TRUE(ConfigLoader(t).ApplyFile(p, &cfg).ok());
  EXPECT_EQ(cfg.port, 7);
}

TEST(DirectiveTableTest, EveryDirectiveHasDocsAndAType) {
  for (const auto& d : DirectiveTable::Default().all()) {
    EXPECT_FALSE(d->info().doc.empty()) << d->name();
    EXPECT_NE(DirectiveTypeName(d->type()), "unknown") << d->name();
    EXPECT_EQ(d->name(),
              absl::AsciiStrToLower(absl::string_view(d->name().data(), d->name().size())));
  }
}

}  // namespace
}  // namespace ringkv::server::config
