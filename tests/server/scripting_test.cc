// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Scripting through the dispatcher, in-process: what a differential test against redis-server
// cannot show. Scripts are atomic against clients on other threads, including over keys they do
// not declare; a long script makes others wait, then answers them -BUSY; SCRIPT KILL and
// FUNCTION KILL stop a script that has not written and refuse one that has; scripts inside
// MULTI/EXEC, WATCH flagged by a script's writes, ACL rules applied to redis.call, and scripts
// leaving nothing behind for the next one. Reply bytes were checked against redis-server 7.0.15.
// (That writes inside scripts wake blocked clients is shown by the BullMQ and Bull scenarios in
// tests/compat/node, whose workers block in BZPOPMIN / BRPOPLPUSH / XREAD until a script adds
// a job.)
#include <atomic>
#include <chrono>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr std::string_view kBusyEval =
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
constexpr std::string_view kBusyFunction =
    "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN "
    "NOSAVE.\r\n";

// A second client with its own reply buffer, for use from another thread.
struct OtherClient {
  explicit OtherClient(uint64_t id) : encoder(&out) { client.id = id; }
  std::string Run(ServerContext& context, std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context, client, encoder, v);
    std::string bytes = out.ToString();
    out.Clear();
    return bytes;
  }
  ClientState client;
  protocol::OutputBuffer out;
  protocol::ReplyEncoder encoder;
};

class ScriptingTest : public CommandTest {
 protected:
  // Waits (bounded) until a script runs.
  bool WaitForScript() {
    for (int i = 0; i < 2000 && !context_.scripts.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return context_.scripts.running();
  }
};

TEST_F(ScriptingTest, EvalCachesTheScriptForEvalsha) {
  EXPECT_EQ(RunRaw({"EVAL", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", "1", "k", "a"}),
            "*4\r\n$1\r\nk\r\n$1\r\na\r\n:1\r\n:1\r\n");
  const std::string sha = scripting::Sha1Hex("return {KEYS[1], ARGV[1], #KEYS, #ARGV}");
  EXPECT_EQ(RunRaw({"SCRIPT", "EXISTS", sha, "0000"}), "*2\r\n:1\r\n:0\r\n");
  // Without keys KEYS[1] is nil, and an array ends at its first nil.
  EXPECT_EQ(RunRaw({"EVALSHA", sha, "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SCRIPT", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EVALSHA", sha, "0"}), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
}

TEST_F(ScriptingTest, SelectInsideAScriptDoesNotMoveTheCaller) {
  EXPECT_EQ(
      RunRaw({"EVAL", "redis.call('select', 3); redis.call('set', 'k', 'in3'); return 1", "0"}),
      ":1\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "3"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$3\r\nin3\r\n");
}

// Another thread increments two keys, one declared and one not, as fast as it can; a script that
// reads each twice with a long loop in between must see no change.
TEST_F(ScriptingTest, ScriptsAreAtomicOverDeclaredAndUndeclaredKeys) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    OtherClient other(2);
    while (!stop.load()) {
      other.Run(context_, {"INCR", "declared"});
      other.Run(context_, {"INCR", "undeclared"});
    }
  });
  constexpr std::string_view kScript =
      "local a = redis.call('get', KEYS[1]); local b = redis.call('get', 'undeclared')\n"
      "for i = 1, 200000 do end\n"
      "return {a == redis.call('get', KEYS[1]) and 1 or 0,"
      " b == redis.call('get', 'undeclared') and 1 or 0}";
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(RunRaw({"EVAL", kScript, "1", "declared"}), "*2\r\n:1\r\n:1\r\n");
  }
  stop = true;
  writer.join();
}

TEST_F(ScriptingTest, ShortScriptsMakeOthersWaitNotFail) {
  context_.live.busy_reply_threshold_ms = 60000;
  EXPECT_EQ(RunRaw({"SET", "k", "before"}), "+OK\r\n");
  std::string reply;
  std::thread runner([&] {
    OtherClient script(2);
    reply = script.Run(context_, {"EVAL",
                                  "redis.call('set', 'k', 'during'); for i = 1, 3000000 do end; "
                                  "redis.call('set', 'k', 'after'); return 1",
                                  "0"});
  });
  ASSERT_TRUE(WaitForScript());
  // Waits for the script, then sees its whole effect.
  EXPECT_EQ(RunRaw({"GET", "k"}), "$5\r\nafter\r\n");
  runner.join();
  EXPECT_EQ(reply, ":1\r\n");
}

TEST_F(ScriptingTest, BusyRepliesAndScriptKill) {
  context_.live.busy_reply_threshold_ms = 20;
  std::string reply;
  std::thread runner([&] {
    OtherClient script(2);
    reply = script.Run(context_, {"EVAL", "local i = 0\nwhile true do i = i + 1 end", "0"});
  });
  ASSERT_TRUE(WaitForScript());
  EXPECT_EQ(RunRaw({"GET", "k"}), kBusyEval);
  // FUNCTION KILL does not stop an EVAL script: Redis points to SCRIPT KILL.
  EXPECT_EQ(RunRaw({"FUNCTION", "KILL"}), kBusyEval);
  EXPECT_EQ(RunRaw({"SCRIPT", "KILL"}), "+OK\r\n");
  runner.join();
  EXPECT_EQ(reply.rfind("-ERR Script killed by user with SCRIPT KILL... script: ", 0), 0u) << reply;
  EXPECT_EQ(RunRaw({"SCRIPT", "KILL"}), "-NOTBUSY No scripts in execution right now.\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
}

TEST_F(ScriptingTest, PcallCannotSwallowAKill) {
  context_.live.busy_reply_threshold_ms = 20;
  std::string reply;
  std::thread runner([&] {
    OtherClient script(2);
    reply = script.Run(context_,
                       {"EVAL", "while true do pcall(function() while true do end end) end", "0"});
  });
  ASSERT_TRUE(WaitForScript());
  EXPECT_EQ(RunRaw({"SCRIPT", "KILL"}), "+OK\r\n");
  runner.join();
  EXPECT_NE(reply.find("Script killed by user with SCRIPT KILL..."), std::string::npos) << reply;
}

TEST_F(ScriptingTest, AScriptThatWroteCannotBeKilled) {
  context_.live.busy_reply_threshold_ms = 20;
  std::string reply;
  std::thread runner([&] {
    OtherClient script(2);
    reply = script.Run(context_, {"EVAL",
                                  "redis.call('set', 'w', '1'); for i = 1, 60000000 do end; "
                                  "return 'done'",
                                  "0"});
  });
  // Waits for the write itself: a script that has started but not yet written can be killed.
  for (int i = 0; i < 5000 && !context_.scripts.RunningScriptWrote(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(context_.scripts.RunningScriptWrote());
  EXPECT_EQ(RunRaw({"SCRIPT", "KILL"}),
            "-UNKILLABLE Sorry the script already executed write commands against the dataset. "
            "You can either wait the script termination or kill the server in a hard way using "
            "the SHUTDOWN NOSAVE command.\r\n");
  runner.join();
  EXPECT_EQ(reply, "$4\r\ndone\r\n");
  EXPECT_EQ(RunRaw({"GET", "w"}), "$1\r\n1\r\n");
}

TEST_F(ScriptingTest, FunctionKillAndStats) {
  context_.live.busy_reply_threshold_ms = 20;
  EXPECT_EQ(RunRaw({"FUNCTION", "LOAD",
                    "#!lua name=spin\n"
                    "redis.register_function{function_name='spin', callback=function() "
                    "while true do end end, flags={'no-writes'}}"}),
            "$4\r\nspin\r\n");
  std::string reply;
  std::thread runner([&] {
    OtherClient script(2);
    reply = script.Run(context_, {"FCALL", "spin", "0"});
  });
  ASSERT_TRUE(WaitForScript());
  // SCRIPT KILL does not stop a function: Redis points to FUNCTION KILL.
  EXPECT_EQ(RunRaw({"SCRIPT", "KILL"}), kBusyFunction);
  EXPECT_EQ(RunRaw({"GET", "k"}), kBusyFunction);
  const std::string stats = RunRaw({"FUNCTION", "STATS"});
  EXPECT_EQ(stats.rfind("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n"
                        "$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n"
                        "$11\r\nduration_ms\r\n:",
                        0),
            0u)
      << stats;
  EXPECT_EQ(RunRaw({"FUNCTION", "KILL"}), "+OK\r\n");
  runner.join();
  EXPECT_NE(reply.find("Script killed by user with SCRIPT KILL..."), std::string::npos) << reply;
  EXPECT_EQ(RunRaw({"FUNCTION", "STATS"}),
            "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n"
            "$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n");
}

TEST_F(ScriptingTest, EvalInsideMultiExec) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.call('incr', 'undeclared')", "0"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"INCR", "undeclared"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*2\r\n:1\r\n:2\r\n");
}

TEST_F(ScriptingTest, AScriptsWriteFlagsWatchers) {
  OtherClient other(2);
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(other.Run(context_, {"EVAL", "return redis.call('set', 'k', 'v')", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*-1\r\n");
}

TEST_F(ScriptingTest, AclRulesApplyToRedisCall) {
  EXPECT_EQ(RunRaw({"ACL", "SETUSER", "reader", "on", ">pw", "~*", "+eval", "+get"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "reader", "pw"}), "+OK\r\n");
  const std::string set_reply = RunRaw({"EVAL", "return redis.call('set', 'a', '1')", "0"});
  EXPECT_EQ(set_reply.rfind("-ERR The user executing the script can't run this command or "
                            "subcommand script: ",
                            0),
            0u)
      << set_reply;
  EXPECT_EQ(RunRaw({"EVAL", "return redis.call('get', 'a')", "0"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EVAL",
                    "return {redis.acl_check_cmd('get', 'a'), "
                    "redis.acl_check_cmd('set', 'a', '1') == false}",
                    "0"}),
            "*2\r\n:1\r\n:1\r\n");
  // The caller is still the same user afterwards.
  EXPECT_EQ(RunRaw({"SET", "a", "1"}).rfind("-NOPERM ", 0), 0u);
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
}

TEST_F(ScriptingTest, ScriptsLeaveNothingBehind) {
  EXPECT_EQ(RunRaw({"EVAL", "leak = 1", "0"})
                .rfind("-ERR user_script:1: Attempt to modify a "
                       "readonly table script: ",
                       0),
            0u);
  EXPECT_EQ(
      RunRaw({"EVAL", "rawset(_G, 'leak', 1)", "0"}).find("Attempt to modify a readonly table"),
      5u);
  EXPECT_EQ(RunRaw({"EVAL", "return redis.setresp(3)", "0"}), "$-1\r\n");
  // The next script starts in RESP2 again: a missing key is false, not nil.
  EXPECT_EQ(RunRaw({"EVAL", "return redis.call('get', 'nokey') == false", "0"}), ":1\r\n");
  // Functions do not see the KEYS/ARGV of an earlier EVAL.
  EXPECT_EQ(RunRaw({"FUNCTION", "LOAD",
                    "#!lua name=lib\nredis.register_function('peek', function() return KEYS end)"}),
            "$3\r\nlib\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return 1", "1", "k"}), ":1\r\n");
  EXPECT_NE(RunRaw({"FCALL", "peek", "0"})
                .find("Script attempted to access nonexistent global variable 'KEYS'"),
            std::string::npos);
}

TEST_F(ScriptingTest, BlockingCommandsDoNotBlockInScripts) {
  EXPECT_EQ(RunRaw({"EVAL", "return redis.call('blmpop', '0', '1', 'nolist', 'left')", "0"}),
            "$-1\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.pcall('xread', 'block', '0', 'streams', 's', '$')", "0"}),
            "-ERR xread command is not allowed with BLOCK option from scripts\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.pcall('blpop', 'l', '0')", "0"}),
            "-ERR This Redis command is not allowed from script\r\n");
}

}  // namespace
}  // namespace ringkv::server
