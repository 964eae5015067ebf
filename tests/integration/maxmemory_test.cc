// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory against the real server: noeviction refuses writes with Redis's -OOM while reads and
// deletes work; the evicting policies keep used_memory at the limit, take only what they may
// (volatile-* never a key without a TTL), LRU keeps recently used keys, "evicted" keyspace
// events are published, and the policy switches live.
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class MaxmemoryTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args) {
    args.insert(args.end(), {"--threads", "2"});
    auto s = ServerProcess::Start(args);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(s).value();
    auto c = RawConn::Connect(server_->port());
    ASSERT_TRUE(c.ok());
    conn_ = std::move(c).value();
  }
  Reply Call(const std::vector<std::string>& args) {
    auto r = conn_->Call(args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }
  int64_t InfoInt(const std::string& section, const std::string& field) {
    const std::string text = Call({"INFO", section}).str;
    const auto pos = text.find("\r\n" + field + ":");
    if (pos == std::string::npos) return -1;
    return std::stoll(text.substr(pos + 3 + field.size()));
  }
  // Sends `n` SETs of 1000-byte values in one pipeline; returns how many answered OK.
  int SetMany(const std::string& prefix, int n) {
    std::string batch;
    const std::string value(1000, 'v');
    for (int i = 0; i < n; ++i) {
      const std::string k = prefix + std::to_string(i);
      batch += "*3\r\n$3\r\nSET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n$1000\r\n" +
               value + "\r\n";
    }
    conn_->Send(batch);
    int ok = 0;
    for (int i = 0; i < n; ++i) {
      auto r = conn_->Read(10000);
      if (!r.ok()) break;
      if (r->str == "OK") ++ok;
      last_error_ = r->type == Reply::Type::kError ? r->str : last_error_;
    }
    return ok;
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawConn> conn_;
  std::string last_error_;
};

TEST_F(MaxmemoryTest, NoevictionRefusesWritesButNotReadsOrDeletes) {
  Start({"--maxmemory", "1mb"});
  EXPECT_EQ(InfoInt("memory", "maxmemory"), 1 << 20);
  const int ok = SetMany("k", 3000);
  EXPECT_GT(ok, 500);
  EXPECT_LT(ok, 3000);
  EXPECT_EQ(last_error_, "OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_EQ(Call({"SET", "more", "x"}).str, last_error_);
  EXPECT_EQ(Call({"LPUSH", "l", "x"}).str, last_error_);
  EXPECT_EQ(Call({"GET", "k0"}).str, std::string(1000, 'v'));
  EXPECT_EQ(Call({"DBSIZE"}).integer, ok);
  EXPECT_EQ(InfoInt("stats", "evicted_keys"), 0);
  // Deleting makes room again.
  std::vector<std::string> del = {"DEL"};
  for (int i = 0; i < 300; ++i) del.push_back("k" + std::to_string(i));
  EXPECT_EQ(Call(del).integer, 300);
  EXPECT_EQ(Call({"SET", "more", "x"}).str, "OK");
  // Raising the limit live lets writes through.
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "0"}).str, "OK");
  EXPECT_EQ(SetMany("z", 500), 500);
}

TEST_F(MaxmemoryTest, AllkeysRandomHoldsTheLimitAndPublishesEvictedEvents) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-random", "--notify-keyspace-events",
         "Ee"});
  auto listener = RawConn::Connect(server_->port());
  ASSERT_TRUE(listener.ok());
  (*listener)->SendCommand({"SUBSCRIBE", "__keyevent@0__:evicted"});
  ASSERT_TRUE((*listener)->Read().ok());
  EXPECT_EQ(SetMany("k", 10000), 10000);  // every write succeeds
  const int64_t used = InfoInt("memory", "used_memory");
  EXPECT_LE(used, (2 << 20) + 4096) << used;
  const int64_t evicted = InfoInt("stats", "evicted_keys");
  EXPECT_GT(evicted, 5000);
  EXPECT_EQ(Call({"DBSIZE"}).integer + evicted, 10000);
  auto event = (*listener)->Read();
  ASSERT_TRUE(event.ok());
  ASSERT_EQ(event->elements.size(), 3u);
  EXPECT_EQ(event->elements[1].str, "__keyevent@0__:evicted");
  EXPECT_EQ(event->elements[2].str.rfind("k", 0), 0u);
}

TEST_F(MaxmemoryTest, AllkeysLruKeepsRecentlyUsedKeys) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "10"});
  ASSERT_EQ(SetMany("old", 1500), 1500);
  // The LRU clock counts seconds: let the old keys age, then use a third of them.
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  for (int i = 0; i < 500; ++i) Call({"GET", "old" + std::to_string(i)});
  ASSERT_EQ(SetMany("new", 1500), 1500);
  int used_kept = 0;
  int idle_kept = 0;
  for (int i = 0; i < 1500; ++i) {
    const bool kept = Call({"EXISTS", "old" + std::to_string(i)}).integer == 1;
    (i < 500 ? used_kept : idle_kept) += kept ? 1 : 0;
  }
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 500);
  // True LRU evicts the 1000 idle keys first and then the used ones, which are older than every
  // new key; keys touched in the same second tie on the clock. Random eviction would keep about
  // as many idle keys as used ones.
  EXPECT_GE(used_kept, 350) << "idle kept: " << idle_kept;
  EXPECT_LT(idle_kept, used_kept / 2) << "used kept: " << used_kept;
}

TEST_F(MaxmemoryTest, VolatilePoliciesNeverTakeKeysWithoutATtl) {
  Start({"--maxmemory", "1mb", "--maxmemory-policy", "volatile-lru"});
  for (int i = 0; i < 200; ++i) {
    Call({"SET", "ttl" + std::to_string(i), std::string(1000, 'v'), "EX", "1000"});
  }
  const int ok = SetMany("plain", 3000);
  EXPECT_LT(ok, 3000);
  EXPECT_EQ(last_error_, "OOM command not allowed when used memory > 'maxmemory'.");
  // Every key with a TTL went first; no key without one did.
  EXPECT_EQ(InfoInt("stats", "evicted_keys"), 200);
  EXPECT_EQ(Call({"DBSIZE"}).integer, ok);
  EXPECT_EQ(Call({"EXISTS", "plain0"}).integer, 1);
}

TEST_F(MaxmemoryTest, PoliciesAreSetLiveAndUnknownOnesRefused) {
  Start({});
  EXPECT_EQ(Call({"CONFIG", "GET", "maxmemory-policy"}).elements[1].str, "noeviction");
  for (const char* p : {"allkeys-lru", "allkeys-lfu", "volatile-ttl", "allkeys-random",
                        "volatile-random", "volatile-lru", "volatile-lfu", "noeviction"}) {
    EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", p}).str, "OK") << p;
    const std::string text = Call({"INFO", "memory"}).str;
    EXPECT_NE(text.find(std::string("maxmemory_policy:") + p), std::string::npos) << p;
  }
  Reply bogus = Call({"CONFIG", "SET", "maxmemory-policy", "bogus"});
  EXPECT_EQ(bogus.type, Reply::Type::kError);
  EXPECT_NE(bogus.str.find("argument(s) must be one of the following"), std::string::npos)
      << bogus.str;
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-log-factor", "-1"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-decay-time", "x"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-samples", "0"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "-1"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "GET", "maxmemory-policy"}).elements[1].str, "noeviction");
  // Switching from noeviction to an evicting policy while over the limit frees memory.
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "1mb"}).str, "OK");
  EXPECT_LT(SetMany("k", 2000), 2000);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).str, "OK");
  EXPECT_EQ(SetMany("m", 2000), 2000);
  EXPECT_LE(InfoInt("memory", "used_memory"), (1 << 20) + 4096);
}

// OBJECT FREQ and IDLETIME follow the policy, with Redis's errors for the other kind; the LFU
// counter grows with use and lfu-log-factor, and decays with lfu-decay-time.
TEST_F(MaxmemoryTest, ObjectFreqAndIdletimeFollowThePolicy) {
  Start({});
  Call({"SET", "k", "v"});
  EXPECT_EQ(Call({"OBJECT", "IDLETIME", "k"}).integer, 0);
  Reply freq = Call({"OBJECT", "FREQ", "k"});
  EXPECT_EQ(freq.type, Reply::Type::kError);
  EXPECT_EQ(freq.str.rfind("ERR An LFU maxmemory policy is not selected", 0), 0u) << freq.str;

  // No decay while counting (a minute boundary would take one off).
  EXPECT_EQ(Call({"CONFIG", "GET", "lfu-decay-time"}).elements[1].str, "1");
  EXPECT_EQ(Call({"CONFIG", "GET", "lfu-log-factor"}).elements[1].str, "10");
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-decay-time", "0"}).str, "OK");
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}).str, "OK");
  Reply idle = Call({"OBJECT", "IDLETIME", "k"});
  EXPECT_EQ(idle.type, Reply::Type::kError);
  EXPECT_EQ(idle.str.rfind("ERR An LFU maxmemory policy is selected, idle time not tracked", 0), 0u)
      << idle.str;
  // New keys start at 5 (LFU_INIT_VAL); with lfu-log-factor 0 every access counts.
  Call({"SET", "n", "v"});
  EXPECT_EQ(Call({"OBJECT", "FREQ", "n"}).integer, 5);
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-log-factor", "0"}).str, "OK");
  for (int i = 0; i < 10; ++i) Call({"GET", "n"});
  EXPECT_EQ(Call({"OBJECT", "FREQ", "n"}).integer, 15);
  // At factor 10 (the default) ten more accesses add little.
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-log-factor", "10"}).str, "OK");
  for (int i = 0; i < 10; ++i) Call({"GET", "n"});
  EXPECT_LE(Call({"OBJECT", "FREQ", "n"}).integer, 17);
  EXPECT_EQ(Call({"OBJECT", "FREQ", "missing"}).type, Reply::Type::kNull);
  EXPECT_EQ(Call({"CONFIG", "GET", "lfu-decay-time"}).elements[1].str, "0");
  EXPECT_EQ(Call({"CONFIG", "SET", "lfu-decay-time", "1"}).str, "OK");
  EXPECT_EQ(Call({"CONFIG", "GET", "lfu-decay-time"}).elements[1].str, "1");
  // Without maxmemory the clients' buffers are still reported (summed from their last state).
  EXPECT_GT(InfoInt("memory", "mem_clients_normal"), 0);
  EXPECT_EQ(InfoInt("memory", "used_memory"),
            InfoInt("memory", "used_memory_dataset") + InfoInt("memory", "mem_clients_normal"));
}

// A "<field>: <n> kB" line of /proc/<pid>/status, in bytes; -1 if absent.
int64_t ProcStatusBytes(int pid, const std::string& field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}
int64_t VmRssBytes(int pid) { return ProcStatusBytes(pid, "VmRSS"); }
int64_t RssAnonBytes(int pid) { return ProcStatusBytes(pid, "RssAnon"); }

// Each io_uring worker's receive buffers (256 x 16 KiB) are faulted in at start-up only when
// maxmemory is set (its overhead measurement takes the process as it starts as its baseline),
// and when CONFIG SET turns maxmemory on; otherwise a start skips faulting in 4 MiB a worker.
TEST_F(MaxmemoryTest, ReceiveBuffersAreResidentOnlyUnderMaxmemory) {
  Start({});
  if (server_->WaitForLog("I/O backend").find("I/O backend: io_uring") == std::string::npos) {
    GTEST_SKIP() << "the epoll backend has no receive buffer ring";
  }
  constexpr int64_t kTwoWorkersBuffers = 2 * (4 << 20);
  const int64_t without = RssAnonBytes(server_->pid());
  ASSERT_GT(without, 0);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "100mb"}).str, "OK");
  const int64_t set_live = RssAnonBytes(server_->pid());
  EXPECT_GE(set_live - without, kTwoWorkersBuffers * 9 / 10)
      << "RssAnon " << without << " -> " << set_live;
  // Turning it off and on again faults nothing more in (the pages are there).
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "0"}).str, "OK");
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "50mb"}).str, "OK");
  EXPECT_LT(RssAnonBytes(server_->pid()) - set_live, kTwoWorkersBuffers / 4);

  auto with = ServerProcess::Start({"--threads", "2", "--maxmemory", "100mb"});
  ASSERT_TRUE(with.ok()) << with.status();
  // Logged once every worker has set up its backend (one may answer PING before the other).
  (*with)->WaitForLog("I/O backend");
  const int64_t at_start = RssAnonBytes((*with)->pid());
  EXPECT_GE(at_start - without, kTwoWorkersBuffers * 9 / 10)
      << "RssAnon without maxmemory " << without << ", with it from the start " << at_start;
}

// The bound on the process: under churn with mixed value sizes (overwrites and evictions of
// values from 100 bytes to 12 KB, three times maxmemory written), RSS stays within 10% of
// maxmemory, and client buffers are counted and reported.
TEST_F(MaxmemoryTest, RssStaysWithinTenPercentUnderChurn) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's shadow memory and quarantine make the RSS of this build meaningless";
#endif
  constexpr int64_t kMax = 512LL << 20;
  Start({"--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru"});
  if (Call({"INFO", "memory"}).str.find("mem_allocator:jemalloc") == std::string::npos) {
    GTEST_SKIP() << "the server is not linked with jemalloc (sanitizer build)";
  }
  std::mt19937_64 rng(7);
  const size_t sizes[] = {100, 700, 3000, 12000};
  const std::string big(12000, 'x');
  int64_t written = 0;
  int64_t max_rss = 0;
  while (written < 3 * kMax) {
    std::string batch;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
      const std::string k = "churn:" + std::to_string(rng() % 400000);
      const size_t len = sizes[rng() % 4];
      batch += "*3\r\n$3\r\nSET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n$" +
               std::to_string(len) + "\r\n" + big.substr(0, len) + "\r\n";
      written += static_cast<int64_t>(len);
    }
    conn_->Send(batch);
    for (int i = 0; i < n; ++i) {
      auto r = conn_->Read(10000);
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->str, "OK");
    }
    max_rss = std::max(max_rss, VmRssBytes(server_->pid()));
  }
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 10000);
  EXPECT_LE(InfoInt("memory", "used_memory"), kMax + (1 << 20));
  EXPECT_GT(InfoInt("memory", "mem_clients_normal"), 0);
  EXPECT_LE(max_rss, kMax + kMax / 10) << "RSS peaked at " << (max_rss >> 20) << " MB";
  std::cerr << "RSS peak " << (max_rss >> 20) << " MB, overhead counted "
            << InfoInt("memory", "mem_overhead_counted_for_evict") << " bytes\n";
}

// Client buffers count against maxmemory: a client in the middle of sending a large value holds
// its unparsed input, and keys are evicted to make room for it.
TEST_F(MaxmemoryTest, ClientBuffersCountAgainstTheLimit) {
  Start({"--maxmemory", "3mb", "--maxmemory-policy", "allkeys-random"});
  ASSERT_EQ(SetMany("k", 1500), 1500);  // about 1.6 MB of data
  EXPECT_EQ(InfoInt("stats", "evicted_keys"), 0);
  auto other = RawConn::Connect(server_->port());
  ASSERT_TRUE(other.ok());
  // A SET whose 2 MB value is only half sent.
  (*other)->Send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$2000000\r\n" + std::string(1000000, 'b'));
  int64_t clients = 0;
  for (int i = 0; i < 100 && clients < 1000000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    clients = InfoInt("memory", "mem_clients_normal");
  }
  EXPECT_GE(clients, 1000000);
  // Each command evicts for at most the tenacity's time budget (slow builds need several).
  for (int i = 0; i < 200 && InfoInt("memory", "used_memory") > (3 << 20); ++i) {
    EXPECT_EQ(Call({"SET", "trigger", "v"}).str, "OK");
  }
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 100);
  EXPECT_LE(InfoInt("memory", "used_memory"), (3 << 20) + 4096);
}

// CONFIG SET switches the policy (and the LFU settings) while other clients write and read at
// the limit: every reply is OK or, under noeviction only, -OOM, and memory stays bounded.
TEST_F(MaxmemoryTest, PolicySwitchesUnderLoad) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"});
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> ok_replies{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto c = RawConn::Connect(server_->port());
      if (!c.ok()) {
        ++bad;
        return;
      }
      const std::string value(500, 'v');
      for (int round = 0; !stop.load(); ++round) {
        std::string batch;
        for (int i = 0; i < 100; ++i) {
          const std::string k = "w" + std::to_string(w) + ":" + std::to_string(round * 100 + i);
          batch += "*3\r\n$3\r\nSET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n$500\r\n" +
                   value + "\r\n";
          batch += "*2\r\n$3\r\nGET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n";
        }
        (*c)->Send(batch);
        for (int i = 0; i < 200; ++i) {
          auto r = (*c)->Read(10000);
          if (!r.ok()) {
            ++bad;
            return;
          }
          if (r->type == Reply::Type::kError && r->str.rfind("OOM", 0) != 0) ++bad;
          if (r->str == "OK") ++ok_replies;
        }
      }
    });
  }
  const char* policies[] = {"allkeys-lfu", "volatile-lru", "allkeys-random", "volatile-lfu",
                            "noeviction",  "volatile-ttl", "allkeys-lru",    "volatile-random"};
  for (int round = 0; round < 3; ++round) {
    for (const char* p : policies) {
      EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", p}).str, "OK") << p;
      EXPECT_EQ(Call({"CONFIG", "SET", "lfu-log-factor", std::to_string(round * 5)}).str, "OK");
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
  }
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}).str, "OK");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(ok_replies.load(), 1000);
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 1000);
  // Writes after the last switch evicted down to the limit.
  EXPECT_EQ(SetMany("after", 100), 100);
  EXPECT_LE(InfoInt("memory", "used_memory"), (2 << 20) + 65536);
}

// allkeys-lfu under a limit keeps the keys read often while new keys stream in.
TEST_F(MaxmemoryTest, AllkeysLfuKeepsTheKeysReadOften) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lfu"});
  ASSERT_EQ(SetMany("hot", 200), 200);
  for (int round = 0; round < 20; ++round) {
    std::string batch;
    for (int i = 0; i < 200; ++i) {
      const std::string k = "hot" + std::to_string(i);
      batch += "*2\r\n$3\r\nGET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n";
    }
    conn_->Send(batch);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(conn_->Read(10000).ok());
  }
  // 4000 one-off keys of 1000 bytes: twice the limit.
  ASSERT_EQ(SetMany("cold", 4000), 4000);
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 2000);
  int hot_left = 0;
  for (int i = 0; i < 200; ++i) hot_left += Call({"EXISTS", "hot" + std::to_string(i)}).integer;
  EXPECT_GE(hot_left, 190);
}

}  // namespace
}  // namespace ringkv::testing
