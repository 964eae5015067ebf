// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The first slice's commands through the dispatcher: exact reply bytes as redis-server 7.0 sends
// them (captured from Debian's redis-server for the same commands).
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

TEST_F(CommandTest, PingAndEcho) {
  EXPECT_EQ(RunRaw({"PING"}), "+PONG\r\n");
  EXPECT_EQ(RunRaw({"ping", "hi"}), "$2\r\nhi\r\n");
  EXPECT_EQ(RunRaw({"PING", "a", "b"}), "-ERR wrong number of arguments for 'ping' command\r\n");
  EXPECT_EQ(RunRaw({"ECHO", ""}), "$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"ECHO"}), "-ERR wrong number of arguments for 'echo' command\r\n");
}

TEST_F(CommandTest, UnknownCommandQuotesArgsUpTo128Bytes) {
  EXPECT_EQ(RunRaw({"FOO"}), "-ERR unknown command 'FOO', with args beginning with: \r\n");
  std::string big(200, 'x');
  EXPECT_EQ(RunRaw({"foo", big}), "-ERR unknown command 'foo', with args beginning with: '" +
                                      std::string(128, 'x') + "' \r\n");
}

TEST_F(CommandTest, CommandNamesAreCaseInsensitive) {
  EXPECT_EQ(RunRaw({"SeT", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"gEt", "k"}), "$1\r\nv\r\n");
}

TEST_F(CommandTest, SetOptions) {
  EXPECT_EQ(RunRaw({"SET", "k", "v", "NX"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "w", "NX"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "w", "XX"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "other", "w", "XX"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\nw\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "NX", "XX"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "1", "PX", "5"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "10", "KEEPTTL"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "BOGUS"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "0"}), "-ERR invalid expire time in 'set' command\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "PX", "-5"}), "-ERR invalid expire time in 'set' command\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "9223372036854775807"}),
            "-ERR invalid expire time in 'set' command\r\n");
  // A failed SET changes nothing.
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\nw\r\n");
}

TEST_F(CommandTest, SetWithExpiryExpiresOnTimeNeverEarly) {
  EXPECT_EQ(RunRaw({"SET", "k", "v", "PX", "100"}), "+OK\r\n");
  // Redis treats a key as expired once now > expire time: at exactly +100 ms it still exists.
  clock_.Advance(100);
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\nv\r\n");
  clock_.Advance(1);
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
}

TEST_F(CommandTest, SetExatAndKeepTtl) {
  std::string at = std::to_string(clock_.NowMs() / 1000 + 10);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EXAT", at}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v2", "KEEPTTL"}), "+OK\r\n");
  clock_.Advance(11'000);
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  // A plain SET clears the TTL.
  EXPECT_EQ(RunRaw({"SET", "j", "v", "EX", "5"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "j", "v"}), "+OK\r\n");
  clock_.Advance(6'000);
  EXPECT_EQ(RunRaw({"GET", "j"}), "$1\r\nv\r\n");
}

TEST_F(CommandTest, DelAndExistsCountEveryNamedKey) {
  RunRaw({"SET", "a", "1"});
  RunRaw({"SET", "b", "2"});
  EXPECT_EQ(RunRaw({"EXISTS", "a", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"DEL", "a", "b", "c", "a"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "a", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"DEL"}), "-ERR wrong number of arguments for 'del' command\r\n");
}

TEST_F(CommandTest, EmptyKeysAndValuesAreValid) {
  EXPECT_EQ(RunRaw({"SET", "", ""}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", ""}), "$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", ""}), ":1\r\n");
}

TEST_F(CommandTest, SelectValidatesTheIndex) {
  EXPECT_EQ(RunRaw({"SELECT", "15"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(client_.db, 15);
}

TEST_F(CommandTest, HelloNegotiatesTheProtocol) {
  protocol::Reply r = Run({"HELLO"});
  ASSERT_EQ(r.type, protocol::Reply::Type::kArray);  // RESP2 renders the map flat
  EXPECT_EQ(r.elements.size(), 14u);
  EXPECT_EQ(RunRaw({"HELLO", "4"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(RunRaw({"HELLO", "x"}), "-ERR Protocol version is not an integer or out of range\r\n");
  r = Run({"HELLO", "3", "SETNAME", "app"});
  ASSERT_EQ(r.type, protocol::Reply::Type::kMap);
  EXPECT_EQ(client_.resp, protocol::RespVersion::kResp3);
  EXPECT_EQ(client_.name, "app");
  EXPECT_EQ(RunRaw({"GET", "missing"}), "_\r\n");
  EXPECT_EQ(RunRaw({"HELLO", "3", "BOGUS"}), "-ERR Syntax error in HELLO option 'BOGUS'\r\n");
}

TEST_F(CommandTest, AuthWithoutPasswordBehavesLikeRedisNopassDefaultUser) {
  EXPECT_EQ(RunRaw({"AUTH", "x"}),
            "-ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "default", "anything"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "bob", "x"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
}

TEST_F(CommandTest, RequirepassGatesCommands) {
  context_.live.set_requirepass("s3cret");
  client_.authenticated = false;
  EXPECT_EQ(RunRaw({"GET", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "wrong"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "s3cret"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
}

TEST_F(CommandTest, CommandCountInfoAndDocsComeFromTheTable) {
  protocol::Reply count = Run({"COMMAND", "COUNT"});
  EXPECT_EQ(count.integer, static_cast<int64_t>(table_.all().size()));
  protocol::Reply all = Run({"COMMAND"});
  EXPECT_EQ(all.elements.size(), table_.all().size());
  // Redis 7.0.15 sends exactly these bytes for COMMAND INFO get (RESP2).
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "get"}),
            "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n"
            "+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
            "+access\r\n"
            "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n"
            "$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\n"
            "spec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
            "*0\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "nosuch"}), "*1\r\n*-1\r\n");
  protocol::Reply docs = Run({"COMMAND", "DOCS", "get"});
  ASSERT_EQ(docs.elements.size(), 2u);
  EXPECT_EQ(docs.elements[0].str, "get");
  EXPECT_EQ(RunRaw({"COMMAND", "FOO"}), "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
}

TEST_F(CommandTest, QuitMarksTheConnectionForClosing) {
  EXPECT_EQ(RunRaw({"QUIT"}), "+OK\r\n");
  EXPECT_TRUE(client_.close_after_reply);
}

TEST_F(CommandTest, InfoHasRedisSectionsAndFields) {
  RunRaw({"SET", "a", "1"});
  protocol::Reply r = Run({"INFO"});
  EXPECT_NE(r.str.find("# Server\r\nredis_version:"), std::string::npos) << r.str;
  EXPECT_NE(r.str.find("total_commands_processed:"), std::string::npos) << r.str;
  EXPECT_NE(r.str.find("db0:keys=1,"), std::string::npos) << r.str;
  r = Run({"INFO", "clients"});
  EXPECT_EQ(r.str.find("# Server"), std::string::npos) << r.str;
  EXPECT_NE(r.str.find("connected_clients:"), std::string::npos) << r.str;
}

}  // namespace
}  // namespace ringkv::server

namespace ringkv::server {
namespace {

// The per-connection lookup cache must never run a different command than the one named.
TEST_F(CommandTest, DispatchLookupCacheFollowsTheCommandName) {
  const CommandSpec* last = nullptr;
  auto run = [&](std::vector<std::string_view> args) {
    Dispatch(context_, client_, encoder_, args, &last);
    std::string bytes = out_.ToString();
    out_.Clear();
    return bytes;
  };
  EXPECT_EQ(run({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(last, table_.Find("set"));
  EXPECT_EQ(run({"get", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"GeT", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(last, table_.Find("get"));
  EXPECT_EQ(run({"gets", "k"}), "-ERR unknown command 'gets', with args beginning with: 'k' \r\n");
  EXPECT_EQ(run({"ge", "k"}), "-ERR unknown command 'ge', with args beginning with: 'k' \r\n");
  EXPECT_EQ(run({"EXISTS", "k"}), ":1\r\n");
}

}  // namespace
}  // namespace ringkv::server

namespace ringkv::server {
namespace {

// Every HELP reply has Redis's addReplyHelp shape: header, lines, then "HELP" and its line.
TEST_F(CommandTest, HelpRepliesEndLikeRedis) {
  for (std::string_view cmd : {"CLIENT", "CONFIG", "OBJECT", "MEMORY"}) {
    protocol::Reply r = Run({cmd, "HELP"});
    ASSERT_GE(r.elements.size(), 3u) << cmd;
    EXPECT_EQ(r.elements[0].str,
              std::string(cmd) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    EXPECT_EQ(r.elements[r.elements.size() - 2].str, "HELP") << cmd;
    EXPECT_EQ(r.elements.back().str, "    Prints this help.") << cmd;
  }
}

}  // namespace
}  // namespace ringkv::server
