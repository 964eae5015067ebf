// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Tests of ringkv-server's start-up arguments: redis-server's argument rules, the order in
// which file, stdin and options apply, --help/--version/--check-config, and the shipped
// ringkv.conf (tests run with the repository root as working directory).
#include "server/config/command_line.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/config/directive.h"
#include "tests/server/config/temp_dir.h"

namespace ringkv::server::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::TempDir;
using Action = CommandLine::Action;

CommandLine Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "ringkv-server");
  return ParseCommandLine(args);
}

std::vector<std::vector<std::string>> OptionArgs(const CommandLine& cl) {
  std::vector<std::vector<std::string>> out;
  for (const CommandLineOption& o : cl.options) out.push_back(o.args);
  return out;
}

using Lines = std::vector<std::vector<std::string>>;

TEST(ParseCommandLineTest, NoArguments) {
  CommandLine cl = Parse({});
  EXPECT_EQ(cl.action, Action::kRun);
  EXPECT_EQ(cl.config_file, "");
  EXPECT_FALSE(cl.config_from_stdin);
  EXPECT_THAT(cl.options, IsEmpty());
}

TEST(ParseCommandLineTest, ConfigFileThenOptions) {
  CommandLine cl = Parse({"/etc/ringkv.conf", "--port", "7000", "--bind", "127.0.0.1", "::1"});
  EXPECT_EQ(cl.config_file, "/etc/ringkv.conf");
  EXPECT_EQ(OptionArgs(cl), (Lines{{"port", "7000"}, {"bind", "127.0.0.1", "::1"}}));
  EXPECT_EQ(cl.options[0].argv_index, 2);
  EXPECT_EQ(cl.options[1].argv_index, 4);
  EXPECT_EQ(cl.options[1].text, "bind \"127.0.0.1\" \"::1\"");
}

TEST(ParseCommandLineTest, WholeLineInOneArgument) {
  CommandLine cl = Parse({"--port 7000", "--hz", "5"});
  EXPECT_EQ(cl.config_file, "");
  EXPECT_EQ(OptionArgs(cl), (Lines{{"port", "7000"}, {"hz", "5"}}));
  // The single argument is split with the config-file quoting rules.
  cl = Parse({"--requirepass \"a b\""});
  EXPECT_EQ(OptionArgs(cl), (Lines{{"requirepass", "a b"}}));
}

TEST(ParseCommandLineTest, ValueAfterBareNameMayStartWithDashes) {
  CommandLine cl = Parse({"--requirepass", "--secret", "--port", "1"});
  EXPECT_EQ(OptionArgs(cl), (Lines{{"requirepass", "--secret"}, {"port", "1"}}));
}

TEST(ParseCommandLineTest, BareSaveMeansEmptySave) {
  EXPECT_EQ(OptionArgs(Parse({"--save", "--port", "1"})), (Lines{{"save", ""}, {"port", "1"}}));
  EXPECT_EQ(OptionArgs(Parse({"--port", "1", "--save"})), (Lines{{"port", "1"}, {"save", ""}}));
  EXPECT_EQ(OptionArgs(Parse({"--save", ""})), (Lines{{"save", ""}}));
}

TEST(ParseCommandLineTest, StdinAsFirstOrLastArgument) {
  CommandLine cl = Parse({"-"});
  EXPECT_TRUE(cl.config_from_stdin);
  cl = Parse({"a.conf", "--port", "1", "-"});
  EXPECT_TRUE(cl.config_from_stdin);
  EXPECT_EQ(cl.config_file, "a.conf");
  // Elsewhere "-" is an ordinary value.
  cl = Parse({"--requirepass", "-", "--port", "1"});
  EXPECT_FALSE(cl.config_from_stdin);
  EXPECT_EQ(OptionArgs(cl), (Lines{{"requirepass", "-"}, {"port", "1"}}));
}

TEST(ParseCommandLineTest, VersionAndHelpAsFirstArgument) {
  EXPECT_EQ(Parse({"-v"}).action, Action::kVersion);
  EXPECT_EQ(Parse({"--version"}).action, Action::kVersion);
  EXPECT_EQ(Parse({"-h"}).action, Action::kHelp);
  EXPECT_EQ(Parse({"--help"}).action, Action::kHelp);
  // Later, as in redis-server, they are just directives (and then unknown ones).
  EXPECT_EQ(Parse({"--port", "1", "--version"}).action, Action::kRun);
}

TEST(ParseCommandLineTest, CheckConfigAnywhereAnOptionMayStart) {
  CommandLine cl = Parse({"a.conf", "--check-config", "--port", "1"});
  EXPECT_EQ(cl.action, Action::kCheckConfig);
  EXPECT_EQ(OptionArgs(cl), (Lines{{"port", "1"}}));
  EXPECT_EQ(Parse({"--port", "1", "--test-config"}).action, Action::kCheckConfig);
}

TEST(ParseCommandLineTest, ValueWithoutOptionStartsItsOwnLine) {
  CommandLine cl = Parse({"-x", "y"});
  EXPECT_EQ(OptionArgs(cl), (Lines{{"-x", "y"}}));
}

class LoadConfigTest : public ::testing::Test {
 protected:
  absl::StatusOr<LoadedConfig> Load(std::vector<std::string> args,
                                    const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    return LoadConfig(Parse(std::move(args)), in);
  }
  TempDir dir_;
};

TEST_F(LoadConfigTest, OptionsOverrideTheFile) {
  std::string conf = dir_.Write("a.conf", "port 7000\nhz 20\ntimeout 5\n");
  absl::StatusOr<LoadedConfig> l = Load({conf, "--port", "7001", "--TIMEOUT", "6"});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config.port, 7001);
  EXPECT_EQ(l->config.hz, 20);
  EXPECT_EQ(l->config.timeout, 6);
  EXPECT_EQ(l->config_file, conf);
}

TEST_F(LoadConfigTest, ConfigFilePathIsMadeAbsolute) {
  std::string conf = dir_.Write("a.conf", "port 7000\n");
  std::string rel = std::filesystem::relative(conf).string();
  absl::StatusOr<LoadedConfig> l = Load({rel});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config_file, conf);
}

TEST_F(LoadConfigTest, StdinAppliesAfterTheFileAndBeforeOptions) {
  std::string conf = dir_.Write("a.conf", "port 1\nhz 1\ntimeout 1\n");
  absl::StatusOr<LoadedConfig> l = Load({conf, "--timeout", "3", "-"}, "hz 2\ntimeout 2\n");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config.port, 1);
  EXPECT_EQ(l->config.hz, 2);
  EXPECT_EQ(l->config.timeout, 3);
}

TEST_F(LoadConfigTest, StdinErrorsSaySo) {
  absl::StatusOr<LoadedConfig> l = Load({"-"}, "\nport 1 2\n");
  EXPECT_EQ(l.status().message(),
            "*** FATAL CONFIG FILE ERROR (ringkv) ***\n"
            "Reading the configuration from standard input, at line 2\n"
            ">>> 'port 1 2'\nwrong number of arguments");
}

TEST_F(LoadConfigTest, NoFileGivesDefaultsPlusOptions) {
  absl::StatusOr<LoadedConfig> l = Load({"--port", "0", "--bind", "::1"});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config.port, 0);
  EXPECT_THAT(l->config.bind, ElementsAre("::1"));
  EXPECT_EQ(l->config_file, "");
}

TEST_F(LoadConfigTest, OptionErrorsNameTheArgument) {
  absl::StatusOr<LoadedConfig> l = Load({"--hz", "5", "--port", "99999"});
  EXPECT_EQ(l.status().message(),
            "*** FATAL CONFIG FILE ERROR (ringkv) ***\n"
            "Reading the command line, at argument 3\n"
            ">>> 'port \"99999\"'\nargument must be between 0 and 65535 inclusive");
  l = Load({"--port", "1", "2"});
  EXPECT_EQ(l.status().message(),
            "*** FATAL CONFIG FILE ERROR (ringkv) ***\n"
            "Reading the command line, at argument 1\n"
            ">>> 'port \"1\" \"2\"'\nwrong number of arguments");
  l = Load({"--bogus"});
  EXPECT_THAT(l.status().message(), HasSubstr(">>> 'bogus'\nBad directive or wrong number"));
  l = Load({"--requirepass 'x"});
  EXPECT_THAT(l.status().message(),
              HasSubstr(">>> 'requirepass 'x'\nUnbalanced quotes in configuration line"));
  // `save` takes <seconds> <changes> pairs.
  l = Load({"--save", "10"});
  EXPECT_THAT(l.status().message(), HasSubstr(">>> 'save \"10\"'\nInvalid save parameters"));
  l = Load({"--save", "10 -1"});
  EXPECT_THAT(l.status().message(), HasSubstr("Invalid save parameters"));
}

// Redis's rules: the defaults until a `save` line; the first line of a file replaces them and
// later lines add; `save ""` clears; the command line applies after the file.
TEST_F(LoadConfigTest, SaveRulesReplaceTheDefaultsThenAccumulate) {
  using Rules = std::vector<std::pair<int64_t, int64_t>>;
  absl::StatusOr<LoadedConfig> l = Load({});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->config.save_rules, (Rules{{3600, 1}, {300, 100}, {60, 10000}}));
  std::string conf = dir_.Write("s.conf", "save 900 1\nsave 300 10 60 5\n");
  l = Load({conf});
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->config.save_rules, (Rules{{900, 1}, {300, 10}, {60, 5}}));
  l = Load({conf, "--save", ""});
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->config.save_rules.empty());
  l = Load({conf, "--save", "", "--save", "5 1"});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->config.save_rules, (Rules{{5, 1}}));
}

TEST_F(LoadConfigTest, FileErrorsComeBeforeOptions) {
  std::string conf = dir_.Write("a.conf", "port x\n");
  absl::StatusOr<LoadedConfig> l = Load({conf, "--port", "1"});
  EXPECT_THAT(l.status().message(),
              HasSubstr(absl::StrCat("Reading the configuration file '", conf, "', at line 1")));
}

TEST_F(LoadConfigTest, IncludeOnTheCommandLine) {
  std::string inc = dir_.Write("inc.conf", "hz 42\n");
  absl::StatusOr<LoadedConfig> l = Load({"--include", inc});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config.hz, 42);
}

struct Startup {
  std::optional<int> exit_code;
  std::string out, err;
  LoadedConfig loaded;
};

Startup RunStartup(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), "ringkv-server");
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  StartupResult r = HandleStartupArgs(args, in, out, err);
  return Startup{r.exit_code, out.str(), err.str(), std::move(r.loaded)};
}

TEST(HandleStartupArgsTest, Version) {
  Startup s = RunStartup({"--version"});
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_EQ(s.out, "ringkv v0.1.0\n");
  EXPECT_EQ(RunStartup({"-v"}).out, "ringkv v0.1.0\n");
}

TEST(HandleStartupArgsTest, Help) {
  Startup s = RunStartup({"--help"});
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_THAT(s.out, HasSubstr("Usage: ringkv-server [/path/to/ringkv.conf] [options] [-]"));
  EXPECT_THAT(s.out, HasSubstr("--check-config"));
  EXPECT_EQ(s.err, "");
}

TEST(HandleStartupArgsTest, CheckConfigOk) {
  TempDir dir;
  std::string conf = dir.Write("a.conf", "port 7000\n");
  Startup s = RunStartup({conf, "--check-config"});
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_EQ(s.out, "config OK\n");
  EXPECT_EQ(s.err, "");
}

TEST(HandleStartupArgsTest, CheckConfigError) {
  TempDir dir;
  std::string conf = dir.Write("a.conf", "# x\nport 99999\n");
  Startup s = RunStartup({conf, "--test-config"});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_EQ(s.out, "");
  EXPECT_EQ(s.err,
            absl::StrCat("\n*** FATAL CONFIG FILE ERROR (ringkv) ***\n",
                         "Reading the configuration file '", conf, "', at line 2\n",
                         ">>> 'port 99999'\n", "argument must be between 0 and 65535 inclusive\n"));
}

TEST(HandleStartupArgsTest, RunReturnsTheConfig) {
  Startup s = RunStartup({"--port", "7002"});
  EXPECT_FALSE(s.exit_code.has_value());
  EXPECT_EQ(s.loaded.config.port, 7002);
}

TEST(HandleStartupArgsTest, StartupErrorExitsOne) {
  Startup s = RunStartup({"/nonexistent/ringkv.conf"});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_EQ(s.err,
            "\nFatal error, can't open config file '/nonexistent/ringkv.conf': No such file or "
            "directory\n");
}

// The shipped config file: it must load, it must spell out the defaults, and it must mention
// (and so document) every directive.
TEST(ShippedConfigTest, RingkvConfPassesCheckConfig) {
  Startup s = RunStartup({"ringkv.conf", "--check-config"});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.out, "config OK\n");
}

TEST(ShippedConfigTest, RingkvConfSetsTheDefaults) {
  std::istringstream in;
  absl::StatusOr<LoadedConfig> l = LoadConfig(Parse({"ringkv.conf"}), in);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->config.port, 6379);
  EXPECT_THAT(l->config.bind, ElementsAre("127.0.0.1"));
  EXPECT_TRUE(l->config.protected_mode);
  const ServerConfig defaults;
  for (const auto& d : DirectiveTable::Default().all()) {
    EXPECT_EQ(d->Format(l->config), d->Format(defaults)) << d->name();
  }
}

TEST(ShippedConfigTest, RingkvConfMentionsEveryDirective) {
  std::string text = TempDir::Read("ringkv.conf");
  ASSERT_FALSE(text.empty());
  for (const auto& d : DirectiveTable::Default().all()) {
    std::string name(d->name());
    EXPECT_TRUE(absl::StrContains(text, "\n" + name + " ") ||
                absl::StrContains(text, "\n# " + name + " "))
        << name;
  }
}

}  // namespace
}  // namespace ringkv::server::config
