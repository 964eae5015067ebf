// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ACL users, rules, checks and authentication through the dispatcher, in-process. Expected
// replies and error texts were taken from Debian's redis-server 7.0.15 (a limited user created
// with ACL SETUSER, then each command tried). Several clients share one server context, as
// several connections share one server.
#include "server/acl.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kWrongPass =
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
constexpr std::string_view kKeyDenied =
    "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
constexpr std::string_view kChannelDenied =
    "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n";
// SHA-256 of "pw", as Redis 7.0.15 shows it.
constexpr absl::string_view kPwHash =
    "30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4";

std::string CommandDenied(std::string_view name) {
  return absl::StrCat("-NOPERM this user has no permissions to run the '",
                      absl::string_view(name.data(), name.size()), "' command\r\n");
}

class AclTest : public CommandTest {
 protected:
  AclTest() : other_encoder_(&other_out_), admin_encoder_(&admin_out_) {
    other_.id = 2;
    admin_.id = 3;
  }

  // Runs a command as the second client.
  std::string Other(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context_, other_, other_encoder_, v);
    std::string bytes = other_out_.ToString();
    other_out_.Clear();
    return bytes;
  }

  // ACL SETUSER name rules... must succeed (run by a third client that stays the default user).
  void SetUser(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v = {"ACL", "SETUSER"};
    v.insert(v.end(), args.begin(), args.end());
    Dispatch(context_, admin_, admin_encoder_, v);
    std::string bytes = admin_out_.ToString();
    admin_out_.Clear();
    ASSERT_EQ(bytes, "+OK\r\n");
  }

  // The commands/keys/channels of a user's root selector, from ACL GETUSER.
  std::string Field(std::string_view user, std::string_view field) {
    protocol::Reply r = Run({"ACL", "GETUSER", user});
    for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
      if (r.elements[i].str == field) return r.elements[i + 1].str;
    }
    return "<missing>";
  }

  std::string ListLine(std::string_view user) {
    protocol::Reply r = Run({"ACL", "LIST"});
    std::string prefix = absl::StrCat("user ", absl::string_view(user.data(), user.size()), " ");
    for (const protocol::Reply& e : r.elements) {
      if (e.str.rfind(prefix, 0) == 0) return e.str;
    }
    return "<missing>";
  }

  // Authenticates the main client as `user` with password "pw".
  void Login(std::string_view user) { ASSERT_EQ(RunRaw({"AUTH", user, "pw"}), "+OK\r\n"); }

  ClientState other_;
  protocol::OutputBuffer other_out_;
  protocol::ReplyEncoder other_encoder_;
  ClientState admin_;
  protocol::OutputBuffer admin_out_;
  protocol::ReplyEncoder admin_encoder_;
};

// ---- Users and their description ---------------------------------------------------------------

TEST_F(AclTest, DefaultUserAllowsEverythingWithoutPassword) {
  EXPECT_EQ(RunRaw({"ACL", "LIST"}), "*1\r\n$34\r\nuser default on nopass ~* &* +@all\r\n");
  EXPECT_EQ(RunRaw({"ACL", "USERS"}), "*1\r\n$7\r\ndefault\r\n");
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "$7\r\ndefault\r\n");
  // redis-server 7.0.15's bytes, RESP2.
  EXPECT_EQ(RunRaw({"ACL", "GETUSER", "default"}),
            "*12\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$6\r\nnopass\r\n$9\r\npasswords\r\n*0\r\n"
            "$8\r\ncommands\r\n$5\r\n+@all\r\n$4\r\nkeys\r\n$2\r\n~*\r\n$8\r\nchannels\r\n$2\r\n"
            "&*\r\n$9\r\nselectors\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"ACL", "GETUSER", "nosuch"}), "$-1\r\n");
  EXPECT_TRUE(context_.acl.default_user()->unrestricted());
}

TEST_F(AclTest, GetUserShapeMatchesRedisInBothProtocols) {
  SetUser({"cap", "reset", "on", ">pw", "~k*", "%R~r*", "&ch*", "-@all", "+@hash", "-hdel",
           "(~x +get)"});
  const std::string resp2 =
      "*12\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$16\r\nsanitize-payload\r\n$9\r\npasswords\r\n*1\r\n"
      "$64\r\n30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4\r\n$8\r\ncommands"
      "\r\n$18\r\n-@all +@hash -hdel\r\n$4\r\nkeys\r\n$9\r\n~k* %R~r*\r\n$8\r\nchannels\r\n$4\r\n"
      "&ch*\r\n$9\r\nselectors\r\n*1\r\n*6\r\n$8\r\ncommands\r\n$10\r\n-@all +get\r\n$4\r\nkeys"
      "\r\n$2\r\n~x\r\n$8\r\nchannels\r\n$0\r\n\r\n";
  EXPECT_EQ(RunRaw({"ACL", "GETUSER", "cap"}), resp2);
  RunRaw({"HELLO", "3"});
  EXPECT_EQ(
      RunRaw({"ACL", "GETUSER", "cap"}),
      "%6\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$16\r\nsanitize-payload\r\n$9\r\npasswords\r\n"
      "*1\r\n$64\r\n30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4\r\n$8\r\n"
      "commands\r\n$18\r\n-@all +@hash -hdel\r\n$4\r\nkeys\r\n$9\r\n~k* %R~r*\r\n$8\r\n"
      "channels\r\n$4\r\n&ch*\r\n$9\r\nselectors\r\n*1\r\n%3\r\n$8\r\ncommands\r\n$10\r\n"
      "-@all +get\r\n$4\r\nkeys\r\n$2\r\n~x\r\n$8\r\nchannels\r\n$0\r\n\r\n");
  EXPECT_EQ(ListLine("cap"),
            absl::StrCat("user cap on sanitize-payload #", kPwHash,
                         " ~k* %R~r* resetchannels &ch* -@all +@hash -hdel (~x resetchannels "
                         "-@all +get)"));
}

TEST_F(AclTest, NewUserIsOffWithNothingAllowed) {
  SetUser({"u"});
  EXPECT_EQ(ListLine("u"), "user u off resetchannels -@all");
  SetUser({"u", ""});  // an empty rule does nothing
  EXPECT_EQ(ListLine("u"), "user u off resetchannels -@all");
  EXPECT_EQ(RunRaw({"ACL", "USERS"}), "*2\r\n$7\r\ndefault\r\n$1\r\nu\r\n");
}

TEST_F(AclTest, FlagRules) {
  SetUser({"u", "ON", "NOPASS", "sanitize-payload"});
  EXPECT_EQ(ListLine("u"), "user u on nopass sanitize-payload resetchannels -@all");
  SetUser({"u", "off", "skip-sanitize-payload"});
  EXPECT_EQ(ListLine("u"), "user u off nopass skip-sanitize-payload resetchannels -@all");
  SetUser({"u", "reset"});
  EXPECT_EQ(ListLine("u"), "user u off sanitize-payload resetchannels -@all");
}

TEST_F(AclTest, PasswordRules) {
  const std::string hash_a(64, 'a');
  SetUser({"u", ">p1", ">p2", ">p1", "<p2", "#" + hash_a});
  protocol::Reply r = Run({"ACL", "GETUSER", "u"});
  ASSERT_EQ(r.elements.size(), 12u);
  ASSERT_EQ(r.elements[3].elements.size(), 2u);
  EXPECT_EQ(r.elements[3].elements[0].str, AclHashPassword("p1"));
  EXPECT_EQ(r.elements[3].elements[1].str, hash_a);
  SetUser({"u", "!" + hash_a});
  EXPECT_EQ(Run({"ACL", "GETUSER", "u"}).elements[3].elements.size(), 1u);
  // nopass drops the passwords; a new password drops nopass; resetpass drops both.
  SetUser({"u", "nopass"});
  EXPECT_EQ(ListLine("u"), "user u off nopass resetchannels -@all");
  SetUser({"u", ">pw"});
  EXPECT_EQ(ListLine("u"), absl::StrCat("user u off #", kPwHash, " resetchannels -@all"));
  SetUser({"u", "resetpass"});
  EXPECT_EQ(ListLine("u"), "user u off resetchannels -@all");
  // An empty password is a password.
  SetUser({"u", ">"});
  EXPECT_EQ(Run({"ACL", "GETUSER", "u"}).elements[3].elements[0].str, AclHashPassword(""));
}

TEST_F(AclTest, PasswordsAreSha256) {
  EXPECT_EQ(AclHashPassword(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(AclHashPassword("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(AclHashPassword("pw"), kPwHash);
  // Two blocks, and a length that fills the first block's padding exactly.
  EXPECT_EQ(AclHashPassword("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(AclHashPassword(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(AclHashPassword(std::string("a\0b", 3)).size(), 64u);
}

TEST_F(AclTest, KeyAndChannelRules) {
  SetUser({"u", "~a", "~a", "%R~b", "%W~b", "%r~c", "%wR~d", "%W~"});
  EXPECT_EQ(Field("u", "keys"), "~a ~b %R~c ~d %W~");
  SetUser({"u", "%R"});  // the empty pattern again, now readable too
  EXPECT_EQ(Field("u", "keys"), "~a ~b %R~c ~d ~");
  SetUser({"u", "allkeys"});
  EXPECT_EQ(Field("u", "keys"), "~*");
  SetUser({"u", "resetkeys", "~x*"});
  EXPECT_EQ(Field("u", "keys"), "~x*");
  SetUser({"u", "~*"});
  EXPECT_EQ(Field("u", "keys"), "~*");
  SetUser({"u", "&a", "&a", "&b*"});
  EXPECT_EQ(Field("u", "channels"), "&a &b*");
  SetUser({"u", "allchannels"});
  EXPECT_EQ(Field("u", "channels"), "&*");
  SetUser({"u", "resetchannels", "&c"});
  EXPECT_EQ(Field("u", "channels"), "&c");
  EXPECT_EQ(ListLine("u"), "user u off ~* resetchannels &c -@all");
  SetUser({"u", "&*"});
  EXPECT_EQ(ListLine("u"), "user u off ~* &* -@all");
}

TEST_F(AclTest, CommandRulesAreDescribedAsRedisDescribesThem) {
  SetUser({"u", "-@all", "+@read"});
  EXPECT_EQ(Field("u", "commands"), "-@all +@read");
  SetUser({"u", "+@all", "-@dangerous"});
  EXPECT_EQ(Field("u", "commands"), "+@all -@dangerous");
  SetUser({"u", "+@all", "-get", "-@read"});
  EXPECT_EQ(Field("u", "commands"), "+@all -@read");
  SetUser({"u", "allcommands", "-config|get"});
  EXPECT_EQ(Field("u", "commands"), "+@all -config|get");
  SetUser({"u", "nocommands", "+config", "-config|set"});
  EXPECT_EQ(Field("u", "commands"), "-@all +config -config|set");
  SetUser({"u", "nocommands", "+GET", "+set"});
  EXPECT_EQ(Field("u", "commands"), "-@all +get +set");
  SetUser({"u", "-@all", "+config|get", "+client|id"});
  EXPECT_EQ(Field("u", "commands"), "-@all +client|id +config|get");
  // First arguments of otherwise denied commands; -select drops them.
  SetUser({"u", "nocommands", "+select|1", "+select|2", "+select|1"});
  EXPECT_EQ(Field("u", "commands"), "-@all +select|1 +select|2");
  SetUser({"u", "-select", "+select|3"});
  EXPECT_EQ(Field("u", "commands"), "-@all +select|3");
  SetUser({"u", "+select"});
  EXPECT_EQ(Field("u", "commands"), "-@all +select");
}

TEST_F(AclTest, SelectorRules) {
  SetUser({"u", "(~x +get", "+set)", "()"});
  protocol::Reply r = Run({"ACL", "GETUSER", "u"});
  ASSERT_EQ(r.elements[11].elements.size(), 2u);
  EXPECT_EQ(r.elements[11].elements[0].elements[1].str, "-@all +get +set");
  EXPECT_EQ(r.elements[11].elements[0].elements[3].str, "~x");
  EXPECT_EQ(r.elements[11].elements[1].elements[1].str, "-@all");
  EXPECT_EQ(ListLine("u"),
            "user u off resetchannels -@all (~x resetchannels -@all +get +set) (resetchannels "
            "-@all)");
  SetUser({"u", "clearselectors"});
  EXPECT_EQ(ListLine("u"), "user u off resetchannels -@all");
}

TEST_F(AclTest, SetUserErrorsAreRedisTextsAndChangeNothing) {
  SetUser({"u", "on", "~a"});
  auto err = [this](std::initializer_list<std::string_view> ops) {
    std::vector<std::string_view> v = {"ACL", "SETUSER", "u"};
    v.insert(v.end(), ops.begin(), ops.end());
    Dispatch(context_, client_, encoder_, v);
    std::string bytes = out_.ToString();
    out_.Clear();
    return bytes;
  };
  auto modifier = [](std::string_view op, std::string_view why) {
    return absl::StrCat("-ERR Error in ACL SETUSER modifier '",
                        absl::string_view(op.data(), op.size()),
                        "': ", absl::string_view(why.data(), why.size()), "\r\n");
  };
  EXPECT_EQ(err({"bogus"}), modifier("bogus", "Syntax error"));
  EXPECT_EQ(err({"~a b"}), modifier("~a b", "Syntax error"));
  EXPECT_EQ(err({"%X~a"}), modifier("%X~a", "Syntax error"));
  EXPECT_EQ(err({"%RR~a"}), modifier("%RR~a", "Syntax error"));
  EXPECT_EQ(err({"%~a"}), modifier("%~a", "Syntax error"));
  EXPECT_EQ(err({"%"}), modifier("%", "Syntax error"));
  EXPECT_EQ(err({")"}), modifier(")", "Syntax error"));
  EXPECT_EQ(err({"(on)"}), modifier("(on)", "Syntax error"));
  EXPECT_EQ(err({"+get|"}), modifier("+get|", "Syntax error"));
  EXPECT_EQ(err({"*"}), modifier("*", "Syntax error"));
  const std::string_view unknown = "Unknown command or category name in ACL";
  for (std::string_view op : {"+nosuch", "-nosuch", "+", "-", "+@", "-@", "+@nosuch", "+|", "+|get",
                              "+config|nosuch", "-select|0"}) {
    EXPECT_EQ(err({op}), modifier(op, unknown)) << op;
  }
  EXPECT_EQ(err({"+config|get|x"}),
            modifier("+config|get|x", "Allowing first-arg of a subcommand is not supported"));
  const std::string_view bad_hash =
      "The password hash must be exactly 64 characters and contain only lowercase hexadecimal "
      "characters";
  EXPECT_EQ(err({"#abc"}), modifier("#abc", bad_hash));
  EXPECT_EQ(err({"!"}), modifier("!", bad_hash));
  EXPECT_EQ(err({"#" + std::string(64, 'A')}), modifier("#" + std::string(64, 'A'), bad_hash));
  EXPECT_EQ(
      err({"<nopw"}),
      modifier("<nopw", "The password you are trying to remove from the user does not exist"));
  EXPECT_EQ(err({"allkeys", "~b"}),
            modifier("~b",
                     "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
                     "and does not have any effect. Try 'resetkeys' to start with an empty list "
                     "of patterns"));
  EXPECT_EQ(err({"allchannels", "&b"}),
            modifier("&b",
                     "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
                     "valid and does not have any effect. Try 'resetchannels' to start with an "
                     "empty list of channels"));
  EXPECT_EQ(err({"(~a", "+get"}),
            "-ERR Unmatched parenthesis in acl selector starting at '(~a'.\r\n");
  EXPECT_EQ(err({"reset", "("}), "-ERR Unmatched parenthesis in acl selector starting at '('.\r\n");
  EXPECT_EQ(err({"(~a) "}), "-ERR Unmatched parenthesis in acl selector starting at '(~a) '.\r\n");
  // A CR or LF in the echoed rule must not break the reply line.
  EXPECT_EQ(err({"~a\r\nb"}), modifier("~a  b", "Syntax error"));
  EXPECT_EQ(RunRaw({"ACL", "SETUSER", "a b"}),
            "-ERR Usernames can't contain spaces or null characters\r\n");
  EXPECT_EQ(RunRaw({"ACL", "SETUSER", std::string_view("a\0b", 3)}),
            "-ERR Usernames can't contain spaces or null characters\r\n");
  EXPECT_EQ(RunRaw({"ACL", "SETUSER"}),
            "-ERR wrong number of arguments for 'acl|setuser' command\r\n");
  // Every failed SETUSER left the user as it was.
  EXPECT_EQ(ListLine("u"), "user u on ~a resetchannels -@all");
}

// ---- Authentication -----------------------------------------------------------------------------

TEST_F(AclTest, AuthAsUser) {
  SetUser({"alice", "on", ">pw", "+@all", "~*"});
  EXPECT_EQ(RunRaw({"AUTH", "alice", "bad"}), kWrongPass);
  EXPECT_EQ(RunRaw({"AUTH", "nouser", "pw"}), kWrongPass);
  EXPECT_EQ(RunRaw({"AUTH", "a", "b", "c"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "x"}),
            "-ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?\r\n");
  Login("alice");
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "$5\r\nalice\r\n");
  // A disabled user cannot log in, but connections already in keep working (Redis 7.0).
  SetUser({"alice", "off"});
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(Other({"AUTH", "alice", "pw"}), kWrongPass);
  // nopass: any password.
  SetUser({"alice", "on", "nopass"});
  EXPECT_EQ(Other({"AUTH", "alice", "whatever"}), "+OK\r\n");
  EXPECT_EQ(Other({"ACL", "WHOAMI"}), "$5\r\nalice\r\n");
  // AUTH default <anything> while default is nopass.
  EXPECT_EQ(Other({"AUTH", "default", "x"}), "+OK\r\n");
  EXPECT_EQ(Other({"ACL", "WHOAMI"}), "$7\r\ndefault\r\n");
}

TEST_F(AclTest, RequirepassIsTheDefaultUsersPassword) {
  context_.live.set_requirepass("s3cret");
  client_.authenticated = false;
  EXPECT_EQ(RunRaw({"GET", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(RunRaw({"AUTH", "wrong"}), kWrongPass);
  EXPECT_EQ(RunRaw({"AUTH", "s3cret"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(ListLine("default"),
            absl::StrCat("user default on #", AclHashPassword("s3cret"), " ~* &* +@all"));
  EXPECT_TRUE(AclAuthRequired(context_));
  // A second password added by ACL SETUSER works too, until requirepass changes again.
  SetUser({"default", ">other"});
  EXPECT_EQ(RunRaw({"AUTH", "default", "other"}), "+OK\r\n");
  context_.live.set_requirepass("new");
  EXPECT_EQ(RunRaw({"AUTH", "other"}), kWrongPass);
  EXPECT_EQ(RunRaw({"AUTH", "new"}), "+OK\r\n");
  // No password: nopass again, and AUTH <password> is a mistake.
  context_.live.set_requirepass("");
  EXPECT_EQ(ListLine("default"), "user default on nopass ~* &* +@all");
  EXPECT_FALSE(AclAuthRequired(context_));
  EXPECT_THAT(RunRaw({"AUTH", "x"}), HasSubstr("without any password configured"));
}

TEST_F(AclTest, HelloAuth) {
  SetUser({"bob", "on", ">pw", "+@all", "~*"});
  context_.live.set_requirepass("s3cret");
  AclSetDefaultUser(context_, client_);
  ASSERT_FALSE(client_.authenticated);
  EXPECT_EQ(RunRaw({"HELLO", "3"}),
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            "the RESP protocol version at the same time\r\n");
  EXPECT_EQ(RunRaw({"HELLO", "3", "AUTH", "bob", "bad"}), kWrongPass);
  EXPECT_EQ(RunRaw({"HELLO", "3", "AUTH", "nouser", "x"}), kWrongPass);
  EXPECT_EQ(client_.resp, protocol::RespVersion::kResp2);
  protocol::Reply r = Run({"HELLO", "3", "AUTH", "bob", "pw"});
  EXPECT_EQ(r.type, protocol::Reply::Type::kMap);
  EXPECT_TRUE(client_.authenticated);
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "$3\r\nbob\r\n");
  EXPECT_EQ(RunRaw({"HELLO", "2", "AUTH", "default"}),
            "-ERR Syntax error in HELLO option 'AUTH'\r\n");
}

TEST_F(AclTest, ResetGoesBackToTheDefaultUser) {
  SetUser({"bob", "on", ">pw", "+@all", "~*"});
  Login("bob");
  EXPECT_EQ(RunRaw({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "$7\r\ndefault\r\n");
  EXPECT_TRUE(client_.authenticated);  // default is nopass
  // With a password on the default user, RESET leaves the client unauthenticated.
  context_.live.set_requirepass("s3cret");
  Login("bob");
  EXPECT_EQ(RunRaw({"RESET"}), "+RESET\r\n");
  EXPECT_FALSE(client_.authenticated);
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "-NOAUTH Authentication required.\r\n");
  // A default user that is off never authenticates by itself either.
  context_.live.set_requirepass("");
  ASSERT_EQ(Other({"ACL", "SETUSER", "default", "off"}), "+OK\r\n");
  AclSetDefaultUser(context_, client_);
  EXPECT_FALSE(client_.authenticated);
  EXPECT_TRUE(AclAuthRequired(context_));
}

TEST_F(AclTest, DeletedUserLosesItsClients) {
  SetUser({"bob", "on", ">pw", "+@all", "~*", "&*"});
  ASSERT_EQ(Other({"AUTH", "bob", "pw"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DELUSER", "bob", "nosuch"}), ":1\r\n");
  // Without a socket there is no one to disconnect: the client can only authenticate again.
  EXPECT_EQ(Other({"GET", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(Other({"AUTH", "bob", "pw"}), kWrongPass);
  EXPECT_EQ(Other({"AUTH", "default", "x"}), "+OK\r\n");
  EXPECT_EQ(Other({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DELUSER", "default", "x"}),
            "-ERR The 'default' user cannot be removed\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DELUSER", "x", "y"}), ":0\r\n");
  // Deleting the user the caller runs as: the reply goes out, then the connection closes.
  SetUser({"carol", "on", ">pw", "+@all", "~*"});
  Login("carol");
  EXPECT_EQ(RunRaw({"ACL", "DELUSER", "carol"}), ":1\r\n");
  EXPECT_TRUE(client_.close_after_reply);
  EXPECT_FALSE(client_.authenticated);
}

// ---- Checks on real commands
// ---------------------------------------------------------------------

TEST_F(AclTest, CategoriesGateRealCommands) {
  SetUser({"r", "on", ">pw", "~*", "-@all", "+@read", "+@connection"});
  Login("r");
  EXPECT_FALSE(context_.acl.Find("r")->unrestricted());
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v"}), CommandDenied("set"));
  EXPECT_EQ(RunRaw({"DEL", "k"}), CommandDenied("del"));
  EXPECT_EQ(RunRaw({"PING"}), "+PONG\r\n");
  EXPECT_EQ(RunRaw({"ACL", "LIST"}), CommandDenied("acl|list"));
  EXPECT_EQ(RunRaw({"CONFIG", "GET", "x"}), CommandDenied("config|get"));
  // Commands without authentication (AUTH, HELLO, QUIT, RESET) are never denied.
  EXPECT_EQ(RunRaw({"AUTH", "r", "pw"}), "+OK\r\n");
  SetUser({"r", "-@connection"});
  EXPECT_EQ(RunRaw({"PING"}), CommandDenied("ping"));
  EXPECT_EQ(RunRaw({"AUTH", "r", "pw"}), "+OK\r\n");
  // Wrong arity is reported before permissions, unknown commands too.
  EXPECT_EQ(RunRaw({"SET", "k"}), "-ERR wrong number of arguments for 'set' command\r\n");
  EXPECT_THAT(RunRaw({"NOSUCH"}), HasSubstr("unknown command"));
}

TEST_F(AclTest, SubcommandsAndFirstArgs) {
  SetUser({"s", "on", ">pw", "-@all", "+acl|whoami", "+select|0", "+client|id"});
  Login("s");
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI"}), "$1\r\ns\r\n");
  EXPECT_EQ(RunRaw({"acl", "users"}), CommandDenied("acl|users"));
  EXPECT_EQ(RunRaw({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "1"}), CommandDenied("select"));
  EXPECT_EQ(RunRaw({"CLIENT", "ID"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "SETNAME", "x"}), CommandDenied("client|setname"));
  // A subcommand Redis does not know is judged by the command as a whole.
  EXPECT_EQ(RunRaw({"CLIENT", "NOSUCH"}), CommandDenied("client"));
}

TEST_F(AclTest, KeyPatternsSeparateReadsFromWrites) {
  SetUser({"k", "on", ">pw", "+@all", "~k*", "%R~r*", "%W~w*"});
  Login("k");
  EXPECT_EQ(RunRaw({"GET", "k1"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"GET", "x"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"GET", "r1"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "r1", "v"}), kKeyDenied);
  // SET without GET only writes (Redis's setGetKeys); with GET it reads too.
  EXPECT_EQ(RunRaw({"SET", "w1", "v"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "w1", "v", "GET"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"SET", "kx", "v", "get"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"GET", "w1"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"APPEND", "w1", "v"}), ":2\r\n");  // RW insert: write only
  EXPECT_EQ(RunRaw({"INCR", "w5"}), kKeyDenied);       // RW access update: both
  EXPECT_EQ(RunRaw({"GETSET", "w9", "v"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"TTL", "w1"}), kKeyDenied);         // RO access: read
  EXPECT_EQ(RunRaw({"LPUSH", "w2", "v"}), ":1\r\n");    // RW insert: write only
  EXPECT_EQ(RunRaw({"DEL", "w2"}), ":1\r\n");           // RM delete: write only
  EXPECT_EQ(RunRaw({"EXISTS", "w1", "r1"}), ":1\r\n");  // RO without access: any pattern
  EXPECT_EQ(RunRaw({"TYPE", "w1"}), "+string\r\n");
  EXPECT_EQ(RunRaw({"MSET", "w10", "v", "k2", "v"}), "+OK\r\n");
  // Several keys: every one must be allowed.
  EXPECT_EQ(RunRaw({"MGET", "k1", "r1"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"MGET", "k1", "w1"}), kKeyDenied);
  // Source read, destination written.
  EXPECT_EQ(RunRaw({"COPY", "r1", "w1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"COPY", "w1", "r1"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"LMOVE", "r1", "w1", "LEFT", "RIGHT"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"LMOVE", "k1", "w1", "LEFT", "RIGHT"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"RENAME", "r1", "w9"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "w3", "r1", "k1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "r3", "r1"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"ZUNIONSTORE", "w3", "2", "r1", "k1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"ZUNIONSTORE", "w3", "2", "r1", "w1"}), kKeyDenied);
  // Movable keys: counted key lists, then the keys they name.
  EXPECT_EQ(RunRaw({"LMPOP", "2", "r1", "k1", "LEFT"}), kKeyDenied);  // pops: read and write
  EXPECT_EQ(RunRaw({"LMPOP", "1", "k1", "LEFT"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "r1", "k1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"ZINTERCARD", "1", "w1"}), kKeyDenied);
  // A malformed count names no keys; the command itself refuses it.
  EXPECT_EQ(RunRaw({"ZUNIONSTORE", "w3", "x", "r1"}),
            "-ERR value is not an integer or out of range\r\n");
  // Commands without keys are not affected.
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":4\r\n");
}

TEST_F(AclTest, AllowedBySomeSelector) {
  SetUser({"m", "on", ">pw", "-@all", "+get", "~a*", "(+set ~b*)"});
  Login("m");
  EXPECT_EQ(RunRaw({"GET", "a1"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "b1", "v"}), "+OK\r\n");
  // Neither selector: the most specific refusal wins (a key over a command).
  EXPECT_EQ(RunRaw({"GET", "b1"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"SET", "a1", "v"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"DEL", "a1"}), CommandDenied("del"));
}

TEST_F(AclTest, ChannelPatterns) {
  SetUser({"p", "on", ">pw", "+@all", "~*", "resetchannels", "&ch*", "&lit*"});
  Login("p");
  EXPECT_EQ(RunRaw({"PUBLISH", "ch1", "m"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"PUBLISH", "x", "m"}), kChannelDenied);
  EXPECT_EQ(RunRaw({"SPUBLISH", "x", "m"}), kChannelDenied);
  EXPECT_EQ(RunRaw({"SUBSCRIBE", "ch1", "x"}), kChannelDenied);
  EXPECT_EQ(RunRaw({"SSUBSCRIBE", "x"}), kChannelDenied);
  // PSUBSCRIBE patterns are compared literally with the ACL patterns.
  EXPECT_EQ(RunRaw({"PSUBSCRIBE", "ch1"}), kChannelDenied);
  EXPECT_EQ(RunRaw({"ACL", "DRYRUN", "p", "PSUBSCRIBE", "lit*"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DRYRUN", "p", "SUBSCRIBE", "ch9", "lit"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DRYRUN", "p", "UNSUBSCRIBE", "x"}), "+OK\r\n");
  SetUser({"p", "allchannels"});
  EXPECT_EQ(RunRaw({"PUBLISH", "x", "m"}), ":0\r\n");
}

TEST_F(AclTest, DeniedWhileQueueingAbortsTheTransaction) {
  SetUser({"t", "on", ">pw", "+@all", "-del", "~k*"});
  Login("t");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "x"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"DEL", "k"}), CommandDenied("del"));
  EXPECT_EQ(RunRaw({"GET", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  protocol::Reply log = Run({"ACL", "LOG", "2"});
  ASSERT_EQ(log.elements.size(), 2u);
  EXPECT_EQ(log.elements[0].elements[3].str, "command");
  EXPECT_EQ(log.elements[0].elements[5].str, "multi");
}

TEST_F(AclTest, ExecRecheckText) {
  SetUser({"t", "on", ">pw", "+@all", "~k*"});
  Login("t");
  const CommandSpec* get = table_.Find("get");
  std::vector<std::string_view> args = {"GET", "x"};
  std::string error;
  EXPECT_FALSE(AclAllowsInExec(context_, client_, *get, args, &error));
  EXPECT_EQ(error,
            "NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
            "EXEC call. This command is no longer allowed for the following reason: no permission "
            "to touch the specified keys");
  args = {"GET", "k"};
  EXPECT_TRUE(AclAllowsInExec(context_, client_, *get, args, &error));
}

TEST_F(AclTest, UnrestrictedFlagFollowsTheRules) {
  AclUser* def = context_.acl.default_user();
  EXPECT_TRUE(def->unrestricted());
  SetUser({"default", "-get"});
  EXPECT_FALSE(def->unrestricted());
  EXPECT_EQ(RunRaw({"GET", "k"}), CommandDenied("get"));
  SetUser({"default", "+@all"});
  EXPECT_TRUE(def->unrestricted());
  SetUser({"default", "resetchannels"});
  EXPECT_FALSE(def->unrestricted());
  SetUser({"default", "allchannels", "resetkeys", "~a"});
  EXPECT_FALSE(def->unrestricted());
  // A non-root selector with everything counts too.
  SetUser({"default", "(~* &* +@all)"});
  EXPECT_TRUE(def->unrestricted());
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
}

// ---- The other subcommands
// -----------------------------------------------------------------------

TEST_F(AclTest, DryRun) {
  SetUser({"d", "-@all", "+get", "+config|get", "~k*", "&c*", "+publish"});
  auto dry = [this](std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v = {"ACL", "DRYRUN"};
    v.insert(v.end(), args.begin(), args.end());
    Dispatch(context_, client_, encoder_, v);
    std::string bytes = out_.ToString();
    out_.Clear();
    return bytes;
  };
  auto bulk = [](std::string_view s) {
    return absl::StrCat("$", s.size(), "\r\n", absl::string_view(s.data(), s.size()), "\r\n");
  };
  EXPECT_EQ(dry({"d", "get", "k1"}), "+OK\r\n");
  EXPECT_EQ(dry({"d", "get", "x"}), bulk("This user has no permissions to access the 'x' key"));
  EXPECT_EQ(dry({"d", "set", "k1", "v"}),
            bulk("This user has no permissions to run the 'set' command"));
  EXPECT_EQ(dry({"d", "publish", "x", "m"}),
            bulk("This user has no permissions to access the 'x' channel"));
  EXPECT_EQ(dry({"d", "config", "set", "a", "b"}),
            bulk("This user has no permissions to run the 'config|set' command"));
  EXPECT_EQ(dry({"d", "config", "get", "a"}), "+OK\r\n");
  EXPECT_EQ(dry({"d", "config", "nosuch", "a"}), "-ERR Command 'config' not found\r\n");
  EXPECT_EQ(dry({"d", "config"}), "-ERR wrong number of arguments for 'config' command\r\n");
  EXPECT_EQ(dry({"d", "config", "get"}),
            "-ERR wrong number of arguments for 'config|get' command\r\n");
  EXPECT_EQ(dry({"d", "get"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(dry({"d", "nosuch"}), "-ERR Command 'nosuch' not found\r\n");
  EXPECT_EQ(dry({"nouser", "get", "x"}), "-ERR User 'nouser' not found\r\n");
  EXPECT_EQ(dry({"d"}), "-ERR wrong number of arguments for 'acl|dryrun' command\r\n");
  // DRYRUN logs nothing.
  EXPECT_EQ(RunRaw({"ACL", "LOG"}), "*0\r\n");
}

TEST_F(AclTest, Cat) {
  protocol::Reply r = Run({"ACL", "CAT"});
  ASSERT_EQ(r.elements.size(), 21u);
  EXPECT_EQ(r.elements[0].str, "keyspace");
  EXPECT_EQ(r.elements[20].str, "scripting");
  r = Run({"ACL", "CAT", "READ"});
  std::vector<std::string> names;
  for (const auto& e : r.elements) names.push_back(e.str);
  EXPECT_THAT(names, ::testing::Contains("get"));
  EXPECT_THAT(names, ::testing::Contains("object|encoding"));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("set")));
  r = Run({"ACL", "CAT", "connection"});
  names.clear();
  for (const auto& e : r.elements) names.push_back(e.str);
  EXPECT_THAT(names, ::testing::Contains("client|id"));
  EXPECT_THAT(names, ::testing::Contains("auth"));
  EXPECT_EQ(RunRaw({"ACL", "CAT", "nosuch"}), "-ERR Unknown category 'nosuch'\r\n");
  EXPECT_EQ(RunRaw({"ACL", "CAT", "a", "b"}),
            "-ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP.\r\n");
}

TEST_F(AclTest, GenPass) {
  protocol::Reply r = Run({"ACL", "GENPASS"});
  EXPECT_EQ(r.str.size(), 64u);
  EXPECT_EQ(r.str.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(Run({"ACL", "GENPASS"}).str, r.str);
  EXPECT_EQ(Run({"ACL", "GENPASS", "1"}).str.size(), 1u);
  EXPECT_EQ(Run({"ACL", "GENPASS", "5"}).str.size(), 2u);
  EXPECT_EQ(Run({"ACL", "GENPASS", "4096"}).str.size(), 1024u);
  const std::string range =
      "-ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
      "number up to 4096\r\n";
  EXPECT_EQ(RunRaw({"ACL", "GENPASS", "0"}), range);
  EXPECT_EQ(RunRaw({"ACL", "GENPASS", "-5"}), range);
  EXPECT_EQ(RunRaw({"ACL", "GENPASS", "4097"}), range);
  EXPECT_EQ(RunRaw({"ACL", "GENPASS", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(RunRaw({"ACL", "GENPASS", "99999999999999999999"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(
      RunRaw({"ACL", "GENPASS", "1", "2"}),
      "-ERR unknown subcommand or wrong number of arguments for 'GENPASS'. Try ACL HELP.\r\n");
}

TEST_F(AclTest, LogRecordsRefusalsAndFailedAuth) {
  SetUser({"lim", "on", ">pw", "~k*", "&ch*", "+get", "+publish"});
  EXPECT_EQ(RunRaw({"AUTH", "lim", "bad"}), kWrongPass);
  Login("lim");
  clock_.Advance(1500);
  EXPECT_EQ(RunRaw({"GET", "x"}), kKeyDenied);
  EXPECT_EQ(RunRaw({"GET", "x"}), kKeyDenied);  // grouped with the previous one
  EXPECT_EQ(RunRaw({"DEL", "x"}), CommandDenied("del"));
  EXPECT_EQ(RunRaw({"PUBLISH", "x", "m"}), kChannelDenied);
  ASSERT_EQ(RunRaw({"AUTH", "default", "x"}), "+OK\r\n");
  protocol::Reply log = Run({"ACL", "LOG"});
  ASSERT_EQ(log.elements.size(), 4u);
  auto field = [](const protocol::Reply& e, size_t i) { return e.elements[i * 2 + 1]; };
  const protocol::Reply& channel = log.elements[0];
  EXPECT_EQ(channel.elements[0].str, "count");
  EXPECT_EQ(field(channel, 1).str, "channel");
  EXPECT_EQ(field(channel, 2).str, "toplevel");
  EXPECT_EQ(field(channel, 3).str, "x");
  EXPECT_EQ(field(channel, 4).str, "lim");
  EXPECT_EQ(channel.elements[10].str, "age-seconds");
  EXPECT_EQ(channel.elements[12].str, "client-info");
  const protocol::Reply& cmd = log.elements[1];
  EXPECT_EQ(field(cmd, 1).str, "command");
  EXPECT_EQ(field(cmd, 3).str, "del");
  const protocol::Reply& key = log.elements[2];
  EXPECT_EQ(field(key, 0).integer, 2);
  EXPECT_EQ(field(key, 1).str, "key");
  const protocol::Reply& auth = log.elements[3];
  EXPECT_EQ(field(auth, 1).str, "auth");
  EXPECT_EQ(field(auth, 3).str, "AUTH");
  EXPECT_EQ(field(auth, 4).str, "lim");
  EXPECT_EQ(field(auth, 5).str, "1.5");  // RESP2 double, Redis's formatting
  EXPECT_EQ(Run({"ACL", "LOG", "1"}).elements.size(), 1u);
  EXPECT_EQ(RunRaw({"ACL", "LOG", "-1"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"ACL", "LOG", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(RunRaw({"ACL", "LOG", "1", "2"}),
            "-ERR unknown subcommand or wrong number of arguments for 'LOG'. Try ACL HELP.\r\n");
  EXPECT_EQ(RunRaw({"ACL", "LOG", "reset"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"ACL", "LOG"}), "*0\r\n");
}

TEST_F(AclTest, LogKeepsAtMostTheConfiguredEntries) {
  for (int i = 0; i < 200; ++i) {
    AclLogEntry e;
    e.reason = "key";
    e.context = "toplevel";
    e.object = std::to_string(i);
    context_.acl.AddLogEntry(std::move(e), 128);
  }
  std::vector<AclLogEntry> all = context_.acl.LogEntries(1000);
  ASSERT_EQ(all.size(), 128u);
  EXPECT_EQ(all.front().object, "199");
  context_.acl.AddLogEntry(AclLogEntry{}, 0);
  EXPECT_TRUE(context_.acl.LogEntries(10).empty());
}

TEST_F(AclTest, HelpAndSubcommandErrors) {
  protocol::Reply help = Run({"ACL", "HELP"});
  ASSERT_EQ(help.elements.size(), 29u);
  EXPECT_EQ(help.elements[0].str, "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_EQ(help.elements[28].str, "    Prints this help.");
  EXPECT_EQ(RunRaw({"ACL"}), "-ERR wrong number of arguments for 'acl' command\r\n");
  EXPECT_EQ(RunRaw({"ACL", "NOSUCH"}), "-ERR unknown subcommand 'NOSUCH'. Try ACL HELP.\r\n");
  EXPECT_EQ(RunRaw({"ACL", "HELP", "x"}),
            "-ERR wrong number of arguments for 'acl|help' command\r\n");
  EXPECT_EQ(RunRaw({"ACL", "GETUSER"}),
            "-ERR wrong number of arguments for 'acl|getuser' command\r\n");
  EXPECT_EQ(RunRaw({"ACL", "WHOAMI", "x"}),
            "-ERR wrong number of arguments for 'acl|whoami' command\r\n");
  EXPECT_EQ(RunRaw({"ACL", "DELUSER"}),
            "-ERR wrong number of arguments for 'acl|deluser' command\r\n");
  // No aclfile configured.
  const std::string no_file =
      "-ERR This Redis instance is not configured to use an ACL file. You may want to specify "
      "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
      "Redis configuration file set) in order to store users in the Redis configuration.\r\n";
  EXPECT_EQ(RunRaw({"ACL", "SAVE"}), no_file);
  EXPECT_EQ(RunRaw({"ACL", "LOAD"}), no_file);
}

// ---- The ACL file
// ---------------------------------------------------------------------------------

TEST_F(AclTest, FileRoundTrip) {
  SetUser({"alice", "on", ">apw", "~a*", "+@read", "(+set ~b*)"});
  SetUser({"bob", "on", "nopass", "+@all", "~*", "&*", "-flushall"});
  SetUser({"default", "resetpass", ">d"});
  const std::string text = context_.acl.FileText(table_);
  EXPECT_EQ(text, absl::StrCat("user alice on #", AclHashPassword("apw"),
                               " ~a* resetchannels -@all +@read (~b* resetchannels -@all +set)\n"
                               "user bob on nopass ~* &* +@all -flushall\n"
                               "user default on #",
                               AclHashPassword("d"), " ~* &* +@all\n"));
  Acl other;
  std::vector<std::shared_ptr<AclUser>> replaced;
  ASSERT_EQ(other.LoadFile(table_, "users.acl", text, &replaced), "");
  EXPECT_TRUE(replaced.empty());
  EXPECT_EQ(other.FileText(table_), text);
  // Loading again replaces (and returns) every user but default.
  ASSERT_EQ(other.LoadFile(table_, "users.acl", "user default on nopass ~* &* +@all\n", &replaced),
            "");
  ASSERT_EQ(replaced.size(), 2u);
  EXPECT_EQ(other.FileText(table_), "user default on nopass ~* &* +@all\n");
  // A file without a default user gives the built-in one.
  replaced.clear();
  ASSERT_EQ(other.LoadFile(table_, "f", "\n  \n user x on\r\n", &replaced), "");
  EXPECT_EQ(other.FileText(table_),
            "user default on nopass ~* &* +@all\nuser x on resetchannels -@all\n");
}

TEST_F(AclTest, FileErrorsChangeNothing) {
  Acl acl;
  std::vector<std::shared_ptr<AclUser>> replaced;
  ASSERT_EQ(acl.LoadFile(table_, "f", "user keep on\n", &replaced), "");
  std::string err = acl.LoadFile(table_, "/tmp/u.acl",
                                 "user default on nopass ~* &* +@all\n"
                                 "bogus line\n"
                                 "user x on +nosuchcmd +nosuch2\n"
                                 "user x on\n"
                                 "user y ~a b c\n"
                                 "# comment\n"
                                 "User z\n"
                                 "user\n"
                                 "user w (~a\n"
                                 "user v\ton\n",
                                 &replaced);
  EXPECT_EQ(err,
            "/tmp/u.acl:2 should start with user keyword followed by the username. "
            "/tmp/u.acl:3: Error in applying operation '+nosuchcmd': Unknown command or category "
            "name in ACL. /tmp/u.acl:3: Error in applying operation '+nosuch2': Unknown command or "
            "category name in ACL. WARNING: Duplicate user 'x' found on line 4. "
            "/tmp/u.acl:5: Syntax error. "
            "/tmp/u.acl:6 should start with user keyword followed by the username. "
            "/tmp/u.acl:7 should start with user keyword followed by the username. "
            "/tmp/u.acl:8 should start with user keyword followed by the username. "
            "/tmp/u.acl:9: Unmatched parenthesis in selector definition."
            "'/tmp/u.acl:10: username 'v\ton' contains invalid characters. "
            "WARNING: ACL errors detected, no change to the previously active ACL rules was "
            "performed");
  EXPECT_EQ(acl.FileText(table_),
            "user default on nopass ~* &* +@all\nuser keep on resetchannels -@all\n");
  EXPECT_EQ(AclReadFile("/nonexistent/acl", &err),
            "Error loading ACLs, opening file '/nonexistent/acl': No such file or directory");
}

// A refused EXEC ends the transaction and says why (Redis's rejectCommand -> execCommandAbort),
// inside MULTI or not.
TEST_F(AclTest, RefusedExecAbortsTheTransaction) {
  SetUser({"e1", "on", ">pw", "~*", "+multi", "+get"});
  Login("e1");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}),
            "-EXECABORT Transaction discarded because of: NOPERM this user has no permissions to "
            "run the 'exec' command\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");  // no transaction any more
  EXPECT_EQ(RunRaw({"EXEC"}),
            "-EXECABORT Transaction discarded because of: NOPERM this user has no permissions to "
            "run the 'exec' command\r\n");
}

// Refusals inside a script: Redis's words for them, and ACL LOG's "lua" context.
TEST_F(AclTest, ScriptRefusalsUseRedisWordsAndTheLuaContext) {
  SetUser({"s1", "on", ">pw", "~x*", "&ch*", "+eval", "+set", "+publish"});
  Login("s1");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.pcall('set','k1','v')", "0"}),
            "-ERR The user executing the script can't access at least one of the keys mentioned "
            "in the command arguments\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.pcall('publish','zz','m')", "0"}),
            "-ERR The user executing the script can't publish to the channel mentioned in the "
            "command\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return redis.pcall('del','x1')", "0"}),
            "-ERR The user executing the script can't run this command or subcommand\r\n");
  std::vector<std::string_view> args = {"ACL", "LOG", "1"};
  Dispatch(context_, admin_, admin_encoder_, args);
  const std::string entry = admin_out_.ToString();
  admin_out_.Clear();
  EXPECT_NE(entry.find("$7\r\ncontext\r\n$3\r\nlua\r\n"), std::string::npos) << entry;
}

}  // namespace
}  // namespace ringkv::server
