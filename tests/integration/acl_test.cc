// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ACL against the real server: the aclfile read at start-up, ACL SAVE/LOAD round trips, clients of
// removed users disconnected, requirepass from the config file and from CONFIG SET, and
// redis-cli's --user/--pass. A server whose default user has a password does not answer PING
// with PONG, which ServerProcess waits for, so those tests start the binary themselves.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

std::string TempPath(const std::string& stem) {
  char tmpl[64];
  snprintf(tmpl, sizeof(tmpl), "/tmp/ringkv-acl-%s-XXXXXX", stem.c_str());
  int fd = mkstemp(tmpl);
  if (fd >= 0) close(fd);
  return tmpl;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Reply Call(RawConn& c, const std::vector<std::string>& args) {
  auto r = c.Call(args);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Reply{};
}

std::unique_ptr<RawConn> Connect(int port) {
  auto c = RawConn::Connect(port);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(c).value() : nullptr;
}

std::vector<std::string> Strings(const Reply& r) {
  std::vector<std::string> out;
  for (const Reply& e : r.elements) out.push_back(e.str);
  return out;
}

// ringkv-server started directly, ready once it answers PING at all (NOAUTH counts).
class PasswordServer {
 public:
  ~PasswordServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      for (int i = 0; i < 1000 && waitpid(pid_, &status, WNOHANG) != pid_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
    if (!log_.empty()) unlink(log_.c_str());
  }

  // `config_file` first, then the options.
  bool Start(const std::string& config_file, std::vector<std::string> options) {
    port_ = FreePort();
    log_ = TempPath("log");
    std::vector<std::string> argv = {RINGKV_SERVER_BIN_FOR_TESTS,
                                     config_file,
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--dbfilename",
                                     "ringkv-acl-test-no-snapshot"};
    argv.insert(argv.end(), options.begin(), options.end());
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = freopen(log_.c_str(), "w", stdout);
      (void)f;
      dup2(STDOUT_FILENO, STDERR_FILENO);
      std::vector<char*> cargv;
      for (std::string& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      execv(cargv[0], cargv.data());
      _exit(127);
    }
    for (int i = 0; i < 2000; ++i) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      if (auto c = RawConn::Connect(port_); c.ok() && (*c)->Call({"PING"}).ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  int port() const { return port_; }
  std::string Log() const { return ReadFile(log_); }

 private:
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }

  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_;
};

class AclIntegrationTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& p : files_) {
      unlink(p.c_str());
    }
  }

  std::string NewFile(const std::string& stem, const std::string& text) {
    std::string p = TempPath(stem);
    WriteFile(p, text);
    files_.push_back(p);
    return p;
  }

  void StartServer(std::vector<std::string> args) {
    auto server = ServerProcess::Start(std::move(args));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }

  std::vector<std::string> files_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AclIntegrationTest, AclFileIsLoadedAtStartupAndSavedBack) {
  const std::string path =
      NewFile("users", "user default on nopass ~* &* +@all\nuser alice on >apw ~a* +@read\n");
  StartServer({"--aclfile", path});
  auto admin = Connect(server_->port());
  ASSERT_NE(admin, nullptr);
  std::vector<std::string> list = Strings(Call(*admin, {"ACL", "LIST"}));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0],
            "user alice on #e528e908837a6f2c169a132a07f95107a5cc523f61d09d028c2fa799aeef4257 ~a* "
            "resetchannels -@all +@read");
  EXPECT_EQ(Call(*admin, {"CONFIG", "GET", "aclfile"}).elements[1].str, path);

  auto alice = Connect(server_->port());
  EXPECT_EQ(Call(*alice, {"AUTH", "alice", "apw"}).str, "OK");
  EXPECT_EQ(Call(*alice, {"GET", "a1"}).type, Reply::Type::kNull);
  EXPECT_EQ(Call(*alice, {"GET", "b"}).str,
            "NOPERM this user has no permissions to access one of the keys used as arguments");
  EXPECT_EQ(Call(*alice, {"SET", "a1", "v"}).str,
            "NOPERM this user has no permissions to run the 'set' command");

  EXPECT_EQ(Call(*admin, {"ACL", "SETUSER", "bob", "on", ">bpw", "+@all", "~*"}).str, "OK");
  EXPECT_EQ(Call(*admin, {"ACL", "SAVE"}).str, "OK");
  list = Strings(Call(*admin, {"ACL", "LIST"}));
  std::string expected;
  for (const std::string& line : list) absl::StrAppend(&expected, line, "\n");
  EXPECT_EQ(ReadFile(path), expected);

  // Restarted on the file it saved, the server has the same users.
  server_.reset();
  StartServer({"--aclfile", path});
  auto again = Connect(server_->port());
  EXPECT_EQ(Strings(Call(*again, {"ACL", "LIST"})), list);
  EXPECT_EQ(Call(*again, {"AUTH", "bob", "bpw"}).str, "OK");
  EXPECT_EQ(Call(*again, {"ACL", "WHOAMI"}).str, "bob");
}

TEST_F(AclIntegrationTest, AclLoadReplacesUsersAndDropsTheirClients) {
  const std::string path = NewFile("users", "user alice on >apw +@all ~*\n");
  StartServer({"--aclfile", path});
  auto admin = Connect(server_->port());
  auto alice = Connect(server_->port());
  ASSERT_EQ(Call(*alice, {"AUTH", "alice", "apw"}).str, "OK");

  // An invalid file changes nothing and says why.
  WriteFile(path, "user alice on >apw +@all ~*\nbogus\n");
  EXPECT_EQ(Call(*admin, {"ACL", "LOAD"}).str,
            absl::StrCat("ERR ", path,
                         ":2 should start with user keyword followed by the username. WARNING: ACL "
                         "errors detected, no change to the previously active ACL rules was "
                         "performed"));
  EXPECT_EQ(Call(*alice, {"PING"}).str, "PONG");

  WriteFile(path, "user alice on >new +@all ~*\nuser carol on >cpw +@all ~*\n");
  EXPECT_EQ(Call(*admin, {"ACL", "LOAD"}).str, "OK");
  EXPECT_TRUE(alice->WaitClosed());
  EXPECT_EQ(Call(*admin, {"ACL", "USERS"}).elements.size(), 3u);
  auto carol = Connect(server_->port());
  EXPECT_EQ(Call(*carol, {"AUTH", "alice", "apw"}).str,
            "WRONGPASS invalid username-password pair or user is disabled.");
  EXPECT_EQ(Call(*carol, {"AUTH", "carol", "cpw"}).str, "OK");
}

TEST_F(AclIntegrationTest, InvalidOrMissingAclFileStopsStartup) {
  auto missing = ServerProcess::Start({"--aclfile", "/nonexistent/users.acl"});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(),
                                "Error loading ACLs, opening file '/nonexistent/users.acl'"))
      << missing.status();
  const std::string path = NewFile("bad", "user x on +nosuchcommand\n");
  auto bad = ServerProcess::Start({"--aclfile", path});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(
      absl::StrContains(bad.status().message(), "Error in applying operation '+nosuchcommand'"))
      << bad.status();
}

TEST_F(AclIntegrationTest, DeletedUserIsDisconnected) {
  StartServer({"--threads", "2"});
  auto admin = Connect(server_->port());
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "bob", "on", ">pw", "+@all", "~*"}).str, "OK");
  std::vector<std::unique_ptr<RawConn>> bobs;
  for (int i = 0; i < 4; ++i) {  // spread over both workers
    bobs.push_back(Connect(server_->port()));
    ASSERT_EQ(Call(*bobs.back(), {"AUTH", "bob", "pw"}).str, "OK");
  }
  // Turning the user off keeps its connections (Redis 7.0); deleting it drops them.
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "bob", "off"}).str, "OK");
  EXPECT_EQ(Call(*bobs[0], {"PING"}).str, "PONG");
  EXPECT_EQ(Call(*admin, {"ACL", "DELUSER", "bob"}).integer, 1);
  for (auto& b : bobs) EXPECT_TRUE(b->WaitClosed());
  EXPECT_EQ(Call(*admin, {"PING"}).str, "PONG");
}

// CLIENT LIST names each client's user; CLIENT KILL USER picks that user's clients only.
TEST_F(AclIntegrationTest, ClientListAndKillByUser) {
  StartServer({"--threads", "2"});
  auto admin = Connect(server_->port());
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "carol", "on", ">pw", "+@all", "~*"}).str, "OK");
  auto carol = Connect(server_->port());
  ASSERT_EQ(Call(*carol, {"AUTH", "carol", "pw"}).str, "OK");
  const int64_t id = Call(*carol, {"CLIENT", "ID"}).integer;
  std::string list = Call(*admin, {"CLIENT", "LIST", "ID", absl::StrCat(id)}).str;
  EXPECT_NE(list.find(" user=carol "), std::string::npos) << list;
  EXPECT_NE(Call(*admin, {"CLIENT", "INFO"}).str.find(" user=default "), std::string::npos);
  EXPECT_EQ(Call(*admin, {"CLIENT", "KILL", "USER", "nobody"}).str, "ERR No such user 'nobody'");
  EXPECT_EQ(Call(*admin, {"CLIENT", "KILL", "USER", "carol"}).integer, 1);
  EXPECT_TRUE(carol->WaitClosed());
  EXPECT_EQ(Call(*admin, {"PING"}).str, "PONG");
  // RESET goes back to the default user, and CLIENT LIST says so.
  auto dave = Connect(server_->port());
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "dave", "on", "nopass", "+@all"}).str, "OK");
  ASSERT_EQ(Call(*dave, {"AUTH", "dave", "x"}).str, "OK");
  EXPECT_NE(Call(*dave, {"CLIENT", "INFO"}).str.find(" user=dave "), std::string::npos);
  Call(*dave, {"RESET"});
  EXPECT_NE(Call(*dave, {"CLIENT", "INFO"}).str.find(" user=default "), std::string::npos);
}

TEST_F(AclIntegrationTest, DefaultUserPasswordGatesNewConnections) {
  StartServer({});
  auto admin = Connect(server_->port());
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "default", "resetpass", ">pw"}).str, "OK");
  auto c = Connect(server_->port());
  EXPECT_EQ(Call(*c, {"GET", "k"}).str, "NOAUTH Authentication required.");
  EXPECT_EQ(Call(*c, {"AUTH", "pw"}).str, "OK");
  EXPECT_EQ(Call(*c, {"GET", "k"}).type, Reply::Type::kNull);
  // Back to nopass: the client that connected meanwhile needs no AUTH any more (Redis's
  // authRequired looks at the default user, not at the client alone).
  auto waiting = Connect(server_->port());
  EXPECT_EQ(Call(*waiting, {"GET", "k"}).str, "NOAUTH Authentication required.");
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "default", "nopass"}).str, "OK");
  EXPECT_EQ(Call(*waiting, {"GET", "k"}).type, Reply::Type::kNull);
}

TEST_F(AclIntegrationTest, RequirepassFromTheConfigFileAndConfigSet) {
  const std::string conf = NewFile("conf", "requirepass secret\n");
  PasswordServer server;
  ASSERT_TRUE(server.Start(conf, {})) << server.Log();
  auto c = Connect(server.port());
  EXPECT_EQ(Call(*c, {"GET", "k"}).str, "NOAUTH Authentication required.");
  EXPECT_EQ(Call(*c, {"AUTH", "wrong"}).str,
            "WRONGPASS invalid username-password pair or user is disabled.");
  EXPECT_EQ(Call(*c, {"AUTH", "secret"}).str, "OK");
  EXPECT_EQ(Call(*c, {"ACL", "WHOAMI"}).str, "default");
  EXPECT_EQ(Call(*c, {"ACL", "GETUSER", "default"}).elements[3].elements[0].str,
            "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b");

  EXPECT_EQ(Call(*c, {"CONFIG", "SET", "requirepass", "new"}).str, "OK");
  auto d = Connect(server.port());
  EXPECT_EQ(Call(*d, {"AUTH", "default", "secret"}).str,
            "WRONGPASS invalid username-password pair or user is disabled.");
  EXPECT_EQ(Call(*d, {"AUTH", "default", "new"}).str, "OK");
  // The authenticated client stays so.
  EXPECT_EQ(Call(*c, {"GET", "k"}).type, Reply::Type::kNull);

  auto waiting = Connect(server.port());
  EXPECT_EQ(Call(*waiting, {"GET", "k"}).str, "NOAUTH Authentication required.");
  EXPECT_EQ(Call(*c, {"CONFIG", "SET", "requirepass", ""}).str, "OK");
  EXPECT_EQ(Call(*waiting, {"GET", "k"}).type, Reply::Type::kNull);
  auto fresh = Connect(server.port());
  EXPECT_EQ(Call(*fresh, {"GET", "k"}).type, Reply::Type::kNull);
  EXPECT_EQ(Call(*fresh, {"AUTH", "x"}).str,
            "ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?");
}

TEST_F(AclIntegrationTest, RedisCliUserAndPass) {
  if (access("/usr/bin/redis-cli", X_OK) != 0) {
    GTEST_SKIP() << "redis-cli not installed (Debian package redis-tools)";
  }
  StartServer({});
  auto admin = Connect(server_->port());
  ASSERT_EQ(Call(*admin, {"ACL", "SETUSER", "alice", "on", ">apw", "+@all", "-flushall", "~*"}).str,
            "OK");
  const std::string cli = absl::StrCat("timeout 20 redis-cli -p ", server_->port());
  int status = 0;
  EXPECT_EQ(RunShell(cli + " --user alice --pass apw --no-auth-warning ACL WHOAMI", &status),
            "alice\n");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(RunShell(cli + " --user alice --pass apw --no-auth-warning FLUSHALL", &status),
            "NOPERM this user has no permissions to run the 'flushall' command\n\n");
  std::string out =
      RunShell(cli + " --user alice --pass wrong --no-auth-warning ACL WHOAMI", &status);
  EXPECT_TRUE(absl::StrContains(out, "WRONGPASS")) << out;
  ASSERT_EQ(Call(*admin, {"CONFIG", "SET", "requirepass", "dpw"}).str, "OK");
  EXPECT_EQ(RunShell(cli + " -a dpw --no-auth-warning ACL WHOAMI", &status), "default\n");
  EXPECT_EQ(RunShell(cli + " --no-auth-warning GET k", &status),
            "NOAUTH Authentication required.\n\n");
}

}  // namespace
}  // namespace ringkv::testing
