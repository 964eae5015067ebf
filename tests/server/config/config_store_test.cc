// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the running configuration: CONFIG GET patterns and formatting, CONFIG SET's
// all-or-nothing semantics and Redis 7.0 error texts, change callbacks with rollback, and
// snapshot publication to concurrent readers.
#include "server/config/config_store.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ringkv::server::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using Args = std::vector<std::string>;

class ConfigStoreTest : public ::testing::Test {
 protected:
  std::vector<std::pair<std::string, std::string>> Get(Args patterns) {
    return store_.Get(patterns);
  }
  absl::Status Set(Args name_values) { return store_.Set(name_values); }
  std::string GetOne(const std::string& name) {
    auto r = Get({name});
    return r.size() == 1 ? r[0].second : "<missing>";
  }

  ConfigStore store_{LoadedConfig{}};
};

TEST_F(ConfigStoreTest, GetExactNameEchoesTheRequestedSpelling) {
  EXPECT_THAT(Get({"port"}), ElementsAre(Pair("port", "6379")));
  EXPECT_THAT(Get({"PORT"}), ElementsAre(Pair("PORT", "6379")));
  EXPECT_THAT(Get({"nosuch"}), IsEmpty());
}

TEST_F(ConfigStoreTest, GetFormatsValuesAsRedis) {
  EXPECT_EQ(GetOne("bind"), "127.0.0.1");
  EXPECT_EQ(GetOne("protected-mode"), "yes");
  EXPECT_EQ(GetOne("proto-max-bulk-len"), "536870912");
  EXPECT_EQ(GetOne("client-query-buffer-limit"), "1073741824");
  EXPECT_EQ(GetOne("client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(GetOne("unixsocketperm"), "0");
  EXPECT_EQ(GetOne("loglevel"), "notice");
  EXPECT_EQ(GetOne("io-backend"), "auto");
  EXPECT_EQ(GetOne("requirepass"), "");
  EXPECT_EQ(GetOne("daemonize"), "no");
  EXPECT_EQ(GetOne("dir"), "./");
  EXPECT_EQ(GetOne("hz"), "10");
}

// CONFIG SET save replaces the whole list each time (a config file's lines add up instead).
TEST_F(ConfigStoreTest, SetSaveReplacesTheRules) {
  EXPECT_EQ(GetOne("save"), "3600 1 300 100 60 10000");
  ASSERT_TRUE(Set({"save", "10 1 20 2"}).ok());
  EXPECT_EQ(GetOne("save"), "10 1 20 2");
  ASSERT_TRUE(Set({"save", "5 5"}).ok());
  EXPECT_EQ(GetOne("save"), "5 5");
  ASSERT_TRUE(Set({"save", ""}).ok());
  EXPECT_EQ(GetOne("save"), "");
  EXPECT_FALSE(Set({"save", "5"}).ok());
  EXPECT_FALSE(Set({"save", "x 1"}).ok());
  EXPECT_EQ(GetOne("save"), "");
  EXPECT_FALSE(Set({"dbfilename", "a/b"}).ok());
  EXPECT_FALSE(Set({"snapshot-compression", "snappy"}).ok());
  ASSERT_TRUE(Set({"snapshot-compression", "zstd"}).ok());
  EXPECT_EQ(GetOne("dbfilename"), "dump.ringkv");
  EXPECT_EQ(GetOne("stop-writes-on-bgsave-error"), "yes");
}

TEST_F(ConfigStoreTest, GetGlobPatterns) {
  EXPECT_THAT(Get({"*max*clients"}), UnorderedElementsAre(Pair("maxclients", "10000")));
  EXPECT_THAT(Get({"*-max-bulk-*"}), UnorderedElementsAre(Pair("proto-max-bulk-len", "536870912")));
  // Aliases match patterns too, as in Redis 7 (CONFIG GET *ziplist* lists the old names).
  EXPECT_THAT(Get({"hash-max-*-entries"}),
              UnorderedElementsAre(Pair("hash-max-listpack-entries", "512"),
                                   Pair("hash-max-ziplist-entries", "512")));
  EXPECT_THAT(Get({"tcp-*"}),
              UnorderedElementsAre(Pair("tcp-backlog", "511"), Pair("tcp-keepalive", "300")));
  EXPECT_THAT(Get({"P?RT"}), ElementsAre(Pair("port", "6379")));
  EXPECT_THAT(Get({"zzz*"}), IsEmpty());
  size_t names = 0;
  for (const auto& d : DirectiveTable::Default().all()) names += 1 + d->info().aliases.size();
  EXPECT_EQ(Get({"*"}).size(), names);
}

TEST_F(ConfigStoreTest, GetSeveralPatternsReturnsEachDirectiveOnce) {
  EXPECT_THAT(
      Get({"port", "port", "p?rt", "hz", "*ort"}),
      ElementsAre(Pair("port", "6379"), Pair("hz", "10"), Pair("cluster-announce-port", "0"),
                  Pair("cluster-announce-bus-port", "0")));
}

TEST_F(ConfigStoreTest, SetOne) {
  ASSERT_TRUE(Set({"timeout", "30"}).ok());
  EXPECT_EQ(store_.Snapshot()->timeout, 30);
  EXPECT_EQ(GetOne("timeout"), "30");
}

TEST_F(ConfigStoreTest, SetSeveralAtOnce) {
  ASSERT_TRUE(Set({"timeout", "30", "MAXCLIENTS", "50", "loglevel", "debug",
                   "client-output-buffer-limit", "normal 1mb 2 3 pubsub 4 5 6"})
                  .ok());
  std::shared_ptr<const ServerConfig> cfg = store_.Snapshot();
  EXPECT_EQ(cfg->timeout, 30);
  EXPECT_EQ(cfg->maxclients, 50);
  EXPECT_EQ(cfg->loglevel, LogLevel::kDebug);
  EXPECT_EQ(GetOne("client-output-buffer-limit"),
            "normal 1048576 2 3 slave 268435456 67108864 60 pubsub 4 5 6");
}

TEST_F(ConfigStoreTest, SetStringKeepsSpaces) {
  ASSERT_TRUE(Set({"requirepass", "a b  c"}).ok());
  EXPECT_EQ(store_.Snapshot()->requirepass, "a b  c");
}

TEST_F(ConfigStoreTest, SetMemoryAcceptsUnitsAndGetPrintsBytes) {
  ASSERT_TRUE(Set({"proto-max-bulk-len", "2MB"}).ok());
  EXPECT_EQ(GetOne("proto-max-bulk-len"), "2097152");
}

TEST_F(ConfigStoreTest, SetHzClamps) {
  ASSERT_TRUE(Set({"hz", "2000"}).ok());
  EXPECT_EQ(GetOne("hz"), "500");
}

TEST_F(ConfigStoreTest, SetErrorsUseRedisWording) {
  EXPECT_EQ(Set({"foo", "1"}).message(),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(Set({"port", "7000"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable "
            "config");
  EXPECT_EQ(Set({"daemonize", "yes"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_EQ(Set({"maxclients", "1", "MaxClients", "2"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'MaxClients') - duplicate "
            "parameter");
  EXPECT_EQ(Set({"protected-mode", "maybe"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'");
  EXPECT_EQ(Set({"maxclients", "0"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must "
            "be between 1 and 4294967295 inclusive");
  EXPECT_EQ(Set({"proto-max-bulk-len", "1.5mb"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - "
            "argument must be a memory value");
  EXPECT_EQ(Set({"loglevel", "bad"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must "
            "be one of the following: debug, verbose, notice, warning, nothing");
  EXPECT_EQ(Set({"client-output-buffer-limit", "normal 1 2"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
            "Wrong number of arguments in buffer limit configuration.");
  EXPECT_EQ(Set({"hz", "-1"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be "
            "between 0 and 2147483647 inclusive");
  EXPECT_EQ(Set({"timeout"}).message(), "ERR wrong number of arguments for 'config|set' command");
  EXPECT_EQ(Set({"timeout", "1", "hz"}).message(), "ERR syntax error");
}

TEST_F(ConfigStoreTest, SetIsAllOrNothing) {
  const uint64_t v0 = store_.version();
  // A bad value after good ones changes nothing.
  EXPECT_FALSE(Set({"timeout", "1", "hz", "20", "protected-mode", "maybe"}).ok());
  // A bad name after good ones changes nothing either, even before values are looked at.
  EXPECT_FALSE(Set({"timeout", "1", "port", "1"}).ok());
  EXPECT_FALSE(Set({"timeout", "1", "nosuch", "1"}).ok());
  std::shared_ptr<const ServerConfig> cfg = store_.Snapshot();
  EXPECT_EQ(cfg->timeout, 0);
  EXPECT_EQ(cfg->hz, 10);
  EXPECT_TRUE(cfg->protected_mode);
  EXPECT_EQ(store_.version(), v0);
}

TEST_F(ConfigStoreTest, ImmutableDirectivesReadOnlyAtRunTime) {
  for (const char* name : {"port", "bind", "threads", "io-backend", "databases", "tcp-backlog",
                           "unixsocket", "unixsocketperm", "logfile", "pidfile", "daemonize"}) {
    EXPECT_THAT(std::string(Set({name, "1"}).message()),
                ::testing::HasSubstr("can't set immutable config"))
        << name;
  }
}

TEST_F(ConfigStoreTest, CallbacksSeeTheNewValue) {
  std::vector<int> seen;
  int id = store_.OnChange("TIMEOUT", [&](const ServerConfig& cfg) {
    seen.push_back(cfg.timeout);
    return absl::OkStatus();
  });
  ASSERT_GT(id, 0);
  ASSERT_TRUE(Set({"timeout", "5"}).ok());
  ASSERT_TRUE(Set({"timeout", "5"}).ok());  // unchanged: no call
  ASSERT_TRUE(Set({"hz", "5"}).ok());       // another directive: no call
  ASSERT_TRUE(Set({"timeout", "6"}).ok());
  EXPECT_THAT(seen, ElementsAre(5, 6));
  store_.RemoveOnChange(id);
  ASSERT_TRUE(Set({"timeout", "7"}).ok());
  EXPECT_THAT(seen, ElementsAre(5, 6));
}

TEST_F(ConfigStoreTest, OnChangeOfUnknownNameFails) {
  EXPECT_EQ(store_.OnChange("nosuch", [](const ServerConfig&) { return absl::OkStatus(); }), -1);
}

TEST_F(ConfigStoreTest, FailingCallbackRollsBackEverything) {
  std::vector<std::string> log;
  (void)store_.OnChange("timeout", [&](const ServerConfig& cfg) {
    log.push_back("timeout=" + std::to_string(cfg.timeout));
    return absl::OkStatus();
  });
  (void)store_.OnChange("maxclients", [&](const ServerConfig& cfg) {
    log.push_back("maxclients=" + std::to_string(cfg.maxclients));
    if (cfg.maxclients > 100) return absl::ResourceExhaustedError("not enough file descriptors");
    return absl::OkStatus();
  });
  absl::Status s = Set({"timeout", "9", "maxclients", "1000", "hz", "20"});
  EXPECT_EQ(s.message(),
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - not enough file "
            "descriptors");
  // timeout's callback ran with the new value, then again with the old one to undo it.
  EXPECT_THAT(log, ElementsAre("timeout=9", "maxclients=1000", "timeout=0"));
  std::shared_ptr<const ServerConfig> cfg = store_.Snapshot();
  EXPECT_EQ(cfg->timeout, 0);
  EXPECT_EQ(cfg->maxclients, 10000);
  EXPECT_EQ(cfg->hz, 10);
}

TEST_F(ConfigStoreTest, SnapshotsAreImmutableAndVersionsAdvance) {
  std::shared_ptr<const ServerConfig> before = store_.Snapshot();
  uint64_t v = store_.version();
  ASSERT_TRUE(Set({"timeout", "42"}).ok());
  EXPECT_EQ(before->timeout, 0);
  EXPECT_EQ(store_.Snapshot()->timeout, 42);
  EXPECT_GT(store_.version(), v);
}

TEST_F(ConfigStoreTest, ReaderFollowsChanges) {
  ConfigReader reader(store_);
  EXPECT_EQ(reader.Get().timeout, 0);
  ASSERT_TRUE(Set({"timeout", "11"}).ok());
  EXPECT_EQ(reader.Get().timeout, 11);
  EXPECT_EQ(reader.Get().timeout, 11);
}

TEST_F(ConfigStoreTest, ConcurrentReadersSeeWholeSnapshots) {
  // Two directives are always set together to the same value; a reader must never see them
  // differ, which would mean a half-applied CONFIG SET.
  constexpr int kWrites = 300;
  constexpr int kReaders = 3;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      ConfigReader reader(store_);
      while (!done.load(std::memory_order_acquire)) {
        const ServerConfig& cfg = reader.Get();
        if (cfg.timeout != cfg.tcp_keepalive - 300) torn.fetch_add(1);
      }
    });
  }
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_TRUE(Set({"timeout", std::to_string(i), "tcp-keepalive", std::to_string(i + 300)}).ok());
  }
  done.store(true, std::memory_order_release);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(store_.Snapshot()->timeout, kWrites);
}

TEST(ConfigStoreAliasTest, GetAndSetThroughAliases) {
  std::vector<std::unique_ptr<Directive>> v;
  v.push_back(MakeInt({"maxclients", {"max-connections"}, "10000", true, ""},
                      &ServerConfig::maxclients, 1, 100000));
  DirectiveTable table(std::move(v));
  ConfigStore store(LoadedConfig{}, table);
  EXPECT_THAT(store.Get(Args{"max-*"}), ElementsAre(Pair("max-connections", "10000")));
  EXPECT_THAT(store.Get(Args{"*max*"}),
              ElementsAre(Pair("maxclients", "10000"), Pair("max-connections", "10000")));
  ASSERT_TRUE(store.Set(Args{"max-connections", "5"}).ok());
  EXPECT_EQ(store.Snapshot()->maxclients, 5);
  // A name and its alias are the same parameter.
  EXPECT_EQ(store.Set(Args{"maxclients", "6", "max-connections", "7"}).message(),
            "ERR CONFIG SET failed (possibly related to argument 'max-connections') - duplicate "
            "parameter");
}

}  // namespace
}  // namespace ringkv::server::config
