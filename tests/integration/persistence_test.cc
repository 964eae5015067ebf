// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Snapshots against the real server (server/persistence/): every type round-trips through SAVE
// and a restart, a BGSAVE holds exactly the data as of the command while writes continue, kill -9
// at every stage of a save leaves the previous snapshot loadable, bad files stop the start-up
// with a clear message, a failing disk is reported (BGSAVE status, MISCONF) while serving goes
// on, and SHUTDOWN / SIGTERM / save rules / LOADING behave as in Redis.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

namespace fs = std::filesystem;
using protocol::Reply;

class PersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ringkv-persist-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    server_.reset();
    unsetenv("RINGKV_TEST_SNAPSHOT_STALL");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Starts (or restarts) the server on dir_ with `extra` options (no save rules by default).
  void Start(std::vector<std::string> extra = {}) {
    server_.reset();
    std::vector<std::string> args = {"--dir", dir_, "--threads", "2", "--enable-debug-command",
                                     "yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto s = ServerProcess::Start(args);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(s).value();
    auto c = RawConn::Connect(server_->port());
    ASSERT_TRUE(c.ok()) << c.status();
    conn_ = std::move(c).value();
    WaitLoaded();
  }
  void Kill9() {
    kill(server_->pid(), SIGKILL);
    server_.reset();
  }
  Reply Call(const std::vector<std::string>& args) {
    auto r = conn_->Call(args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }
  std::string Info(const std::string& field) {
    const std::string text = Call({"INFO", "persistence"}).str;
    const std::string key = field + ":";
    auto pos = text.find("\r\n" + key);
    if (pos == std::string::npos) return "<missing>";
    pos += 2 + key.size();
    return text.substr(pos, text.find("\r\n", pos) - pos);
  }
  void WaitLoaded() {
    for (int i = 0; i < 500 && Info("loading") != "0"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void WaitBgsaveDone() {
    for (int i = 0; i < 1000 && Info("rdb_bgsave_in_progress") != "0"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(Info("rdb_bgsave_in_progress"), "0");
  }
  // Compares two captures, naming the first difference instead of printing both.
  static void ExpectSame(const std::map<std::string, std::string>& got,
                         const std::map<std::string, std::string>& want) {
    EXPECT_EQ(got.size(), want.size());
    for (const auto& [k, v] : want) {
      auto it = got.find(k);
      if (it == got.end()) {
        ADD_FAILURE() << "missing key " << k;
        return;
      }
      if (it->second != v) {
        ADD_FAILURE() << "key " << k << " differs: " << it->second.substr(0, 200) << " vs "
                      << v.substr(0, 200);
        return;
      }
    }
  }
  // Every key of databases 0..3 with its type, TTL and value, independent of encodings and
  // iteration order.
  std::map<std::string, std::string> Capture() {
    std::map<std::string, std::string> out;
    for (int db = 0; db < 4; ++db) {
      Call({"SELECT", std::to_string(db)});
      Reply keys = Call({"KEYS", "*"});
      for (const Reply& k : keys.elements) {
        const std::string& key = k.str;
        const std::string type = Call({"TYPE", key}).str;
        std::string v = type + " ttl=" + std::to_string(Call({"PEXPIRETIME", key}).integer) + " ";
        std::vector<std::string> items;
        if (type == "string") {
          items.push_back(Call({"GET", key}).str);
        } else if (type == "hash") {
          Reply all = Call({"HGETALL", key});
          for (size_t i = 0; i + 1 < all.elements.size(); i += 2) {
            Reply t = Call({"HPEXPIRETIME", key, "FIELDS", "1", all.elements[i].str});
            items.push_back(all.elements[i].str + "=" + all.elements[i + 1].str + "@" +
                            std::to_string(t.elements.empty() ? -9 : t.elements[0].integer));
          }
          std::sort(items.begin(), items.end());
        } else if (type == "list") {
          for (const Reply& e : Call({"LRANGE", key, "0", "-1"}).elements) items.push_back(e.str);
        } else if (type == "set") {
          for (const Reply& e : Call({"SMEMBERS", key}).elements) items.push_back(e.str);
          std::sort(items.begin(), items.end());
        } else if (type == "zset") {
          for (const Reply& e : Call({"ZRANGE", key, "0", "-1", "WITHSCORES"}).elements) {
            items.push_back(e.str);
          }
        } else if (type == "stream") {
          // Entries, ID counters, groups, consumers and pending entries with their times.
          items.push_back(Call({"XINFO", "STREAM", key, "FULL", "COUNT", "0"}).DebugString());
        }
        v += Call({"OBJECT", "ENCODING", key}).str + " ";
        for (const auto& i : items) v += i + "|";
        out[absl::StrCat(db, ":", key)] = v;
      }
    }
    Call({"SELECT", "0"});
    return out;
  }
  void FillEveryType() {
    Call({"SET", "int", "-42"});
    Call({"SET", "emb", "hello"});
    Call({"SET", "raw", std::string(3000, 'r')});
    Call({"SET", "bin", std::string("\0\r\n\xff", 4)});
    Call({"SET", "ttl", "v", "PX", "900000"});
    Call({"HSET", "h", "a", "1", "b", "2"});
    Call({"HPEXPIRE", "h", "500000", "FIELDS", "1", "b"});
    std::vector<std::string> big = {"HSET", "hbig"};
    for (int i = 0; i < 600; ++i) {
      big.push_back("f" + std::to_string(i));
      big.push_back(std::string(static_cast<size_t>(i % 70), 'v'));
    }
    Call(big);
    Call({"RPUSH", "l", "a", "b", "", "c"});
    std::vector<std::string> biglist = {"RPUSH", "lbig"};
    for (int i = 0; i < 3000; ++i) biglist.push_back("item-" + std::to_string(i));
    Call(biglist);
    Call({"SADD", "si", "1", "2", "-3"});
    Call({"SADD", "ss", "a", "b"});
    std::vector<std::string> bigset = {"SADD", "sbig"};
    for (int i = 0; i < 300; ++i) bigset.push_back("m" + std::to_string(i));
    Call(bigset);
    Call({"ZADD", "z", "1.5", "a", "-inf", "b", "inf", "c"});
    std::vector<std::string> bigz = {"ZADD", "zbig"};
    for (int i = 0; i < 200; ++i) {
      bigz.push_back(std::to_string(i * 0.25));
      bigz.push_back("m" + std::to_string(i));
    }
    Call(bigz);
    for (int i = 1; i <= 250; ++i) {
      Call({"XADD", "st", absl::StrCat(i, "-1"), "a", std::to_string(i), "b", "x"});
    }
    Call({"XADD", "st", "300-0", "other", "fields", "n", "3"});
    Call({"XDEL", "st", "7-1", "120-1"});
    Call({"XGROUP", "CREATE", "st", "g", "0"});
    Call({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "st", ">"});
    Call({"XGROUP", "CREATECONSUMER", "st", "g", "bob"});
    Call({"XGROUP", "CREATE", "st", "g2", "$", "ENTRIESREAD", "5"});
    Call({"SELECT", "3"});
    Call({"SET", "in-db-3", "x"});
    Call({"EXPIRE", "in-db-3", "5000"});
    Call({"SELECT", "0"});
  }
  // Runs the server binary directly and returns its exit status; *log receives its output.
  int RunToExit(const std::vector<std::string>& extra, std::string* log) {
    std::string cmd =
        absl::StrCat("timeout 20 ", RINGKV_SERVER_BIN_FOR_TESTS, " --port 0 --save '' --dir ", dir_,
                     " --unixsocket ", dir_, "/s.sock");
    for (const auto& a : extra) absl::StrAppend(&cmd, " ", a);
    int status = 0;
    *log = RunShell(cmd + " 2>&1", &status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string SnapshotDir() {
    std::ifstream in(dir_ + "/dump.ringkv/LATEST");
    std::string magic, name;
    std::getline(in, magic);
    std::getline(in, name);
    return dir_ + "/dump.ringkv/" + name;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawConn> conn_;
};

TEST_F(PersistenceTest, EveryTypeRoundTripsThroughSaveAndRestart) {
  Start({"--save", ""});
  EXPECT_EQ(Info("loading"), "0");
  FillEveryType();
  const auto before = Capture();
  ASSERT_EQ(before.size(), 16u);
  EXPECT_EQ(Call({"SAVE"}).str, "OK");
  EXPECT_EQ(Info("rdb_saves"), "1");
  EXPECT_EQ(Info("rdb_changes_since_last_save"), "0");
  EXPECT_EQ(Call({"LASTSAVE"}).integer >= time(nullptr) - 5, true);
  Start({"--save", ""});
  ExpectSame(Capture(), before);
  EXPECT_EQ(Info("rdb_last_load_keys_loaded"), "16");
  // DEBUG RELOAD: save, flush, load, all in place.
  EXPECT_EQ(Call({"DEBUG", "RELOAD"}).str, "OK");
  ExpectSame(Capture(), before);
  // zstd and no compression read back the same.
  EXPECT_EQ(Call({"CONFIG", "SET", "snapshot-compression", "zstd"}).str, "OK");
  EXPECT_EQ(Call({"DEBUG", "RELOAD"}).str, "OK");
  ExpectSame(Capture(), before);
  EXPECT_EQ(Call({"CONFIG", "SET", "snapshot-compression", "none"}).str, "OK");
  EXPECT_EQ(Call({"DEBUG", "RELOAD"}).str, "OK");
  ExpectSame(Capture(), before);
  // Only the newest snapshot is kept.
  size_t snaps = 0;
  for (const auto& e : fs::directory_iterator(dir_ + "/dump.ringkv")) {
    if (e.path().filename().string().rfind("snap-", 0) == 0) ++snaps;
  }
  EXPECT_EQ(snaps, 1u);
}

// FUNCTION libraries are saved with the data and loaded back (Redis keeps them in its RDB);
// EVAL scripts are not (Redis does not keep them either).
TEST_F(PersistenceTest, FunctionLibrariesRoundTripThroughSaveAndRestart) {
  Start({"--save", ""});
  EXPECT_EQ(Call({"FUNCTION", "LOAD",
                  "#!lua name=keep\nredis.register_function('twice', function(keys, args) "
                  "return redis.call('incrby', keys[1], 2 * args[1]) end)"})
                .str,
            "keep");
  EXPECT_EQ(Call({"SCRIPT", "LOAD", "return 1"}).str, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(Call({"FCALL", "twice", "1", "n", "3"}).integer, 6);
  EXPECT_EQ(Call({"SAVE"}).str, "OK");
  Start({"--save", ""});
  EXPECT_EQ(Call({"FCALL", "twice", "1", "n", "3"}).integer, 12);
  EXPECT_EQ(
      Call({"SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"}).elements.at(0).integer,
      0);
  // DEBUG RELOAD keeps them too; a save after FUNCTION DELETE drops them.
  EXPECT_EQ(Call({"DEBUG", "RELOAD"}).str, "OK");
  EXPECT_EQ(Call({"FCALL", "twice", "1", "n", "1"}).integer, 14);
  EXPECT_EQ(Call({"FUNCTION", "DELETE", "keep"}).str, "OK");
  EXPECT_EQ(Call({"SAVE"}).str, "OK");
  Start({"--save", ""});
  EXPECT_EQ(Call({"FCALL", "twice", "1", "n", "1"}).str, "ERR Function not found");
  EXPECT_EQ(Call({"GET", "n"}).str, "14");
}

// The test keeps its own record: DEBUG POPULATE's keys hold "value:<i>"; everything sent after
// BGSAVE on the same connection (overwrites, deletes, new keys, a FLUSHALL) must not show up.
TEST_F(PersistenceTest, BgsaveHoldsThePointInTimeWhileWritesContinue) {
  Start({"--save", ""});
  constexpr int kKeys = 200000;
  EXPECT_EQ(Call({"DEBUG", "POPULATE", std::to_string(kKeys)}).str, "OK");
  // BGSAVE and a burst of writes right behind it, in one pipeline.
  std::string burst;
  auto cmd = [&](const std::vector<std::string>& args) {
    burst += "*" + std::to_string(args.size()) + "\r\n";
    for (const auto& a : args) burst += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  };
  cmd({"BGSAVE"});
  constexpr int kWrites = 30000;
  for (int i = 0; i < kWrites; ++i) {
    const std::string k = "key:" + std::to_string((i * 7919) % kKeys);
    switch (i % 4) {
      case 0:
        cmd({"SET", k, "changed"});
        break;
      case 1:
        cmd({"DEL", k});
        break;
      case 2:
        cmd({"SET", "new:" + std::to_string(i), "x"});
        break;
      default:
        cmd({"APPEND", k, "+"});
        break;
    }
  }
  cmd({"FLUSHALL"});
  cmd({"SET", "after-flush", "1"});
  conn_->Send(burst);
  auto first = conn_->Read();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->str, "Background saving started");
  for (int i = 0; i < kWrites + 2; ++i) ASSERT_TRUE(conn_->Read(20000).ok());
  WaitBgsaveDone();
  EXPECT_EQ(Info("rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(Call({"DBSIZE"}).integer, 1);
  Kill9();
  Start({"--save", ""});
  EXPECT_EQ(Call({"DBSIZE"}).integer, kKeys);
  for (int base = 0; base < kKeys; base += 1000) {
    std::vector<std::string> mget = {"MGET"};
    for (int i = base; i < base + 1000; ++i) mget.push_back("key:" + std::to_string(i));
    Reply r = Call(mget);
    ASSERT_EQ(r.elements.size(), 1000u);
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(r.elements[static_cast<size_t>(i)].str, "value:" + std::to_string(base + i));
    }
  }
  EXPECT_EQ(Call({"EXISTS", "after-flush", "new:2"}).integer, 0);
}

// kill -9 while a save is stalled at each stage: the restart finds the previous snapshot whole.
TEST_F(PersistenceTest, KillDuringAnyStageOfASaveKeepsThePreviousSnapshot) {
  Start({"--save", ""});
  FillEveryType();
  ASSERT_EQ(Call({"SAVE"}).str, "OK");
  const auto good = Capture();
  for (const char* stage : {"start", "sst", "ingest", "rename", "pointer"}) {
    SCOPED_TRACE(stage);
    setenv("RINGKV_TEST_SNAPSHOT_STALL", absl::StrCat(stage, ":3000").c_str(), 1);
    Start({"--save", ""});
    unsetenv("RINGKV_TEST_SNAPSHOT_STALL");
    ExpectSame(Capture(), good);
    Call({"SET", "int", "999"});
    Call({"DEL", "hbig"});
    Call({"SET", "only-in-the-new-one", "1"});
    ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    ASSERT_EQ(Info("rdb_bgsave_in_progress"), "1");
    Kill9();
    Start({"--save", ""});
    ExpectSame(Capture(), good);
  }
  // Kills at arbitrary moments of a larger save.
  ASSERT_EQ(Call({"DEBUG", "POPULATE", "100000"}).str, "OK");
  ASSERT_EQ(Call({"SAVE"}).str, "OK");
  const auto big = Call({"DBSIZE"}).integer;
  for (int delay_ms : {0, 5, 20, 60}) {
    Call({"SET", "extra", std::to_string(delay_ms)});
    ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    Kill9();
    Start({"--save", ""});
    // Either the new snapshot made it whole or the previous one is there.
    const auto n = Call({"DBSIZE"}).integer;
    EXPECT_TRUE(n == big || n == big + 1) << n;
    ASSERT_EQ(Call({"SAVE"}).str, "OK");
  }
}

TEST_F(PersistenceTest, BadSnapshotFilesStopTheStartWithTheReason) {
  Start({"--save", ""});
  FillEveryType();
  ASSERT_EQ(Call({"SAVE"}).str, "OK");
  server_.reset();
  std::string log;
  // A foreign pointer file.
  {
    std::ofstream(dir_ + "/dump.ringkv/LATEST") << "REDIS0011 not ours\n";
    EXPECT_EQ(RunToExit({}, &log), 1) << log;
    EXPECT_NE(log.find("Fatal error loading the snapshot under " + dir_ + "/dump.ringkv"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("is not a ringkv snapshot pointer"), std::string::npos) << log;
  }
  // A pointer to a snapshot that is not there.
  std::ofstream(dir_ + "/dump.ringkv/LATEST") << "ringkv-snapshot 1\nsnap-123\n";
  EXPECT_EQ(RunToExit({}, &log), 1) << log;
  EXPECT_NE(log.find("can't open the snapshot " + dir_ + "/dump.ringkv/snap-123"),
            std::string::npos)
      << log;
  // Back to the real one, then damage its table files: truncated, then corrupted.
  std::string snap;
  for (const auto& e : fs::directory_iterator(dir_ + "/dump.ringkv")) {
    if (e.path().filename().string().rfind("snap-", 0) == 0) snap = e.path().filename();
  }
  std::ofstream(dir_ + "/dump.ringkv/LATEST") << "ringkv-snapshot 1\n" << snap << "\n";
  std::string biggest;
  uintmax_t size = 0;
  for (const auto& e : fs::directory_iterator(SnapshotDir())) {
    if (e.path().extension() == ".sst" && e.file_size() > size) {
      size = e.file_size();
      biggest = e.path();
    }
  }
  ASSERT_FALSE(biggest.empty());
  const std::string backup = biggest + ".orig";
  fs::copy_file(biggest, backup);
  fs::resize_file(biggest, size / 2);
  EXPECT_EQ(RunToExit({}, &log), 1) << log;
  EXPECT_NE(log.find("Fatal error loading the snapshot"), std::string::npos) << log;
  fs::remove(biggest);
  fs::copy_file(backup, biggest);
  {
    std::fstream f(biggest, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 3));
    const std::string junk(64, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  EXPECT_EQ(RunToExit({}, &log), 1) << log;
  EXPECT_NE(log.find("Fatal error loading the snapshot"), std::string::npos) << log;
  EXPECT_NE(log.find("orruption"), std::string::npos) << log;
}

// The snapshot path is taken by a plain file, then writes are limited by RLIMIT_FSIZE: BGSAVE
// fails, INFO says so, writes get MISCONF while save rules exist, reads go on; a later good save
// lifts it.
TEST_F(PersistenceTest, FailingDiskIsReportedAndServingContinues) {
  std::ofstream(dir_ + "/blocked") << "not a directory";
  Start({"--save", "3600 1"});
  EXPECT_EQ(Call({"CONFIG", "SET", "dbfilename", "blocked"}).str, "OK");
  Call({"SET", "k", "v"});
  ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
  WaitBgsaveDone();
  EXPECT_EQ(Info("rdb_last_bgsave_status"), "err");
  EXPECT_NE(server_->WaitForLog("is not a directory").find("Background saving error"),
            std::string::npos);
  Reply w = Call({"SET", "k2", "v"});
  EXPECT_EQ(w.type, Reply::Type::kError);
  EXPECT_EQ(w.str.rfind("MISCONF ", 0), 0u) << w.str;
  EXPECT_EQ(Call({"GET", "k"}).str, "v");
  Reply save = Call({"SAVE"});
  EXPECT_EQ(save.type, Reply::Type::kError);
  EXPECT_NE(save.str.find("is not a directory"), std::string::npos) << save.str;
  // stop-writes-on-bgsave-error no lets writes through.
  EXPECT_EQ(Call({"CONFIG", "SET", "stop-writes-on-bgsave-error", "no"}).str, "OK");
  EXPECT_EQ(Call({"SET", "k2", "v"}).str, "OK");
  EXPECT_EQ(Call({"CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"}).str, "OK");
  // A good place: BGSAVE succeeds and writes are accepted again.
  EXPECT_EQ(Call({"CONFIG", "SET", "dbfilename", "good"}).str, "OK");
  ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
  WaitBgsaveDone();
  EXPECT_EQ(Info("rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(Call({"SET", "k3", "v"}).str, "OK");

  // A file-size limit the snapshot files cannot fit in (a full disk as the process sees it).
  server_.reset();
  struct rlimit old;
  getrlimit(RLIMIT_FSIZE, &old);
  struct rlimit small = old;
  small.rlim_cur = 64 * 1024;
  setrlimit(RLIMIT_FSIZE, &small);
  Start({"--save", "3600 1", "--dbfilename", "full", "--snapshot-compression", "none"});
  setrlimit(RLIMIT_FSIZE, &old);
  EXPECT_EQ(Call({"DEBUG", "POPULATE", "20000", "key", "100"}).str, "OK");
  ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
  WaitBgsaveDone();
  EXPECT_EQ(Info("rdb_last_bgsave_status"), "err");
  EXPECT_EQ(Call({"DBSIZE"}).integer, 20000);
  EXPECT_EQ(Call({"PING"}).str.rfind("MISCONF", 0), 0u);
  // Nothing half-written is left behind, and no snapshot was made current.
  for (const auto& e : fs::directory_iterator(dir_ + "/full")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  EXPECT_FALSE(fs::exists(dir_ + "/full/LATEST"));
  // SIGTERM would try the final save, fail and keep running (as Redis); NOSAVE ends it.
  conn_->SendCommand({"SHUTDOWN", "NOSAVE"});
  EXPECT_TRUE(conn_->WaitClosed());
}

TEST_F(PersistenceTest, ShutdownSigtermAndRulesSaveAsRedisDoes) {
  // SIGTERM with save rules: a final snapshot.
  Start({"--save", "3600 1"});
  Call({"SET", "a", "1"});
  EXPECT_EQ(server_->Terminate(), 0);
  server_.reset();
  Start({"--save", "3600 1"});
  EXPECT_EQ(Call({"GET", "a"}).str, "1");
  // SHUTDOWN NOSAVE: none.
  Call({"SET", "a", "2"});
  conn_->SendCommand({"SHUTDOWN", "NOSAVE"});
  EXPECT_TRUE(conn_->WaitClosed());
  server_.reset();
  Start({"--save", ""});
  EXPECT_EQ(Call({"GET", "a"}).str, "1");
  // No rules: SIGTERM saves nothing, SHUTDOWN SAVE does.
  Call({"SET", "a", "3"});
  EXPECT_EQ(server_->Terminate(), 0);
  Start({"--save", ""});
  EXPECT_EQ(Call({"GET", "a"}).str, "1");
  Call({"SET", "a", "4"});
  EXPECT_EQ(Call({"SHUTDOWN", "SAVE", "NOSAVE"}).type, Reply::Type::kError);
  conn_->SendCommand({"SHUTDOWN", "SAVE"});
  EXPECT_TRUE(conn_->WaitClosed());
  server_.reset();
  Start({"--save", "1 1"});
  EXPECT_EQ(Call({"GET", "a"}).str, "4");
  // A rule fires by itself: 1 change after 1 second.
  const std::string saves = Info("rdb_saves");
  Call({"SET", "b", "1"});
  EXPECT_NE(server_->WaitForLog("1 changes in 1 seconds. Saving...", 8000).find("Saving..."),
            std::string::npos);
  server_->WaitForLog("Background saving: ", 8000);
  EXPECT_NE(Info("rdb_saves"), saves);
  EXPECT_EQ(Info("rdb_changes_since_last_save"), "0");
}

TEST_F(PersistenceTest, ConcurrentSaveRequestsAndLoading) {
  Start({"--save", ""});
  Call({"SET", "k", "v"});
  ASSERT_EQ(Call({"SAVE"}).str, "OK");
  setenv("RINGKV_TEST_SNAPSHOT_STALL", "sst:1500", 1);
  Start({"--save", ""});
  unsetenv("RINGKV_TEST_SNAPSHOT_STALL");
  ASSERT_EQ(Call({"BGSAVE"}).str, "Background saving started");
  EXPECT_EQ(Call({"BGSAVE"}).str, "ERR Background save already in progress");
  EXPECT_EQ(Call({"SAVE"}).str, "ERR Background save already in progress");
  EXPECT_EQ(Call({"BGSAVE", "SCHEDULE"}).str, "Background saving scheduled");
  EXPECT_EQ(Call({"BGSAVE", "NOW"}).str, "ERR syntax error");
  EXPECT_EQ(Info("rdb_bgsave_in_progress"), "1");
  EXPECT_EQ(Call({"MULTI"}).str, "OK");
  EXPECT_EQ(Call({"BGSAVE"}).type, Reply::Type::kError);
  Call({"DISCARD"});
  // The scheduled one runs after the first: two saves in all.
  for (int i = 0; i < 800 && Info("rdb_saves") != "2"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Info("rdb_saves"), "2");
  // While the start-up load runs: loading:1 and -LOADING for data commands.
  setenv("RINGKV_TEST_SNAPSHOT_STALL", "load:1500", 1);
  server_.reset();
  auto s = ServerProcess::Start({"--dir", dir_, "--save", ""});
  unsetenv("RINGKV_TEST_SNAPSHOT_STALL");
  ASSERT_TRUE(s.ok());
  server_ = std::move(s).value();
  conn_ = std::move(RawConn::Connect(server_->port())).value();
  EXPECT_EQ(Info("loading"), "1");
  Reply r = Call({"GET", "k"});
  EXPECT_EQ(r.str, "LOADING Redis is loading the dataset in memory");
  WaitLoaded();
  EXPECT_EQ(Call({"GET", "k"}).str, "v");
}

}  // namespace
}  // namespace ringkv::testing
