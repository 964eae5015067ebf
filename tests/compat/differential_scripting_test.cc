// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of scripting: a fixed list of EVAL / EVALSHA / EVAL_RO / EVALSHA_RO, SCRIPT,
// FCALL / FCALL_RO and FUNCTION cases goes to ringkv and to Debian's redis-server 7.0.15, once
// with the caller in RESP3 (seed 1) and once in RESP2 (seed 2); every reply must be the same
// bytes. The cases cover the script API (redis.call / pcall and every reply type, argument
// conversion, commands a script may not run), Lua -> reply and reply -> Lua conversions (also
// under redis.setresp(3)), errors and their positions, the protected globals, shebang flags, the
// cjson, bit, cmsgpack and struct libraries, and function libraries (loading, errors, calling,
// listing, deleting). The list is not random: each case is one behaviour, named by its script.
//
// Replies whose order Redis leaves unspecified are avoided (single-key objects, single-member
// sets) or normalized: FUNCTION LIST is compared with its libraries, and each library's
// functions, sorted (Redis lists them in its hash tables' order, ringkv in its own).
//
// Left out on purpose:
//   - ringkv's documented differences: math.random sequences, pairs() over _G listing nothing,
//     FUNCTION DUMP / RESTORE (unsupported; so FUNCTION HELP's text differs too), SCRIPT DEBUG
//     (unsupported; SCRIPT HELP says so).
//   - {big_number = <text that is not a number>}: both servers send it as it is, and the test's
//     reply parser refuses it.
//   - error({}) and other error tables without an err field: redis-server 7.0.15 crashes on them
//     (a NULL message in luaCallFunction).
//   - The two differences that remain (WAIT, the length of a RESP3 array with nulls): in
//     ScriptingKnownDifferences below (disabled), with the reasons.
//
// Skipped (with the reason) when /usr/bin/redis-server is not installed.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "protocol/reply_parser.h"
#include "tests/compat/differential_harness.h"

namespace ringkv::compat {
namespace {

using protocol::Reply;

// EVAL of `script` with numkeys and the keys and args in `rest` (default: no keys, no args).
Command Eval(const std::string& script, std::vector<std::string> rest = {"0"}) {
  Command c = {"EVAL", script};
  c.insert(c.end(), rest.begin(), rest.end());
  return c;
}

// The same under redis.setresp(3).
Command Eval3(const std::string& script) { return Eval("redis.setresp(3) " + script); }

// FUNCTION LOAD of a library named `name` whose body is `body`.
Command Load(const std::string& name, const std::string& body) {
  return {"FUNCTION", "LOAD", "#!lua name=" + name + "\n" + body};
}

// A reply as a string that keeps every type and value (status and bulk differ, as do RESP3's
// types), with the elements of the aggregates chosen by `sort_level` sorted.
std::string Render(const Reply& r, int sort_level);

std::string RenderElements(const Reply& r, int sort_level) {
  std::vector<std::string> parts;
  for (const Reply& e : r.elements) parts.push_back(Render(e, sort_level - 1));
  if (sort_level == 1) std::sort(parts.begin(), parts.end());
  std::string out = "[";
  for (const std::string& p : parts) out += p + ",";
  return out + "]";
}

std::string Render(const Reply& r, int sort_level) {
  switch (r.type) {
    case Reply::Type::kSimpleString:
      return "+" + r.str;
    case Reply::Type::kError:
      return "-" + r.str;
    case Reply::Type::kInteger:
      return ":" + std::to_string(r.integer);
    case Reply::Type::kBulk:
      return "$" + r.str;
    case Reply::Type::kNull:
      return "_";
    case Reply::Type::kDouble:
      return "," + r.str;
    case Reply::Type::kBool:
      return r.boolean ? "#t" : "#f";
    case Reply::Type::kBigNumber:
      return "(" + r.str;
    case Reply::Type::kVerbatim:
      return "=" + r.format + ":" + r.str;
    case Reply::Type::kMap:
      return "%" + RenderElements(r, 0);
    case Reply::Type::kSet:
      return "~" + RenderElements(r, sort_level);
    default:
      return "*" + RenderElements(r, sort_level);
  }
}

// FUNCTION LIST with the libraries sorted, and in each library the functions sorted. (A null
// renders as "_" whatever its RESP2 form: FUNCTION LIST's are all null bulk strings.)
std::string NormalizeFunctionList(const Reply& r) {
  std::vector<std::string> libraries;
  for (const Reply& lib : r.elements) {
    std::string out = lib.type == Reply::Type::kMap ? "%{" : "*{";
    for (size_t i = 0; i + 1 < lib.elements.size(); i += 2) {
      const bool functions = lib.elements[i].str == "functions";
      out += Render(lib.elements[i], 0) + "=" + Render(lib.elements[i + 1], functions ? 1 : 0);
    }
    libraries.push_back(out + "}");
  }
  std::sort(libraries.begin(), libraries.end());
  std::string out = "FUNCTION LIST";
  for (const std::string& lib : libraries) out += " " + lib;
  return out;
}

std::string Normalize(const Command& cmd, const std::string& bytes, const Reply& r) {
  // "<bad reply>", "<timeout>", "<closed>": the same on both sides must not pass as a match.
  if (bytes.empty() || bytes[0] == '<') {
    std::string line;
    for (const std::string& arg : cmd) line += "'" + arg + "' ";
    ADD_FAILURE() << "no reply (" << bytes << ") to: " << Printable(line);
  }
  if (cmd.size() >= 2 && Upper(cmd[0]) == "FUNCTION" && Upper(cmd[1]) == "LIST" &&
      r.type == Reply::Type::kArray) {
    return NormalizeFunctionList(r);
  }
  return bytes;
}

// --- The cases, by subject. ---

// EVAL, EVALSHA, SCRIPT: arguments, the script cache and its errors.
std::vector<Command> ScriptCommandCases() {
  const std::string hello_sha = "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b";  // return 'hello'
  return {
      {"SCRIPT", "LOAD", "return 'hello'"},
      {"EVALSHA", hello_sha, "0"},
      {"EVALSHA", Upper(hello_sha), "0"},
      {"EVALSHA_RO", hello_sha, "0"},
      {"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"},
      {"EVALSHA", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "0"},
      {"EVALSHA", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101", "0"},    // 39 characters
      {"EVALSHA", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101bb", "0"},  // 41 characters
      {"EVALSHA", "abc", "0"},
      {"EVALSHA_RO", "ffffffffffffffffffffffffffffffffffffffff", "0"},
      {"EVALSHA", hello_sha},
      {"SCRIPT", "EXISTS", hello_sha, "ffff", Upper(hello_sha)},
      {"SCRIPT", "LOAD", "return 'hello'"},
      {"SCRIPT", "LOAD", "return ("},
      {"SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])"},
      {"EVALSHA_RO", "8822dee64c14b51d475f4b45eb44843318ccc8e1", "1", "k"},  // the script above
      {"SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1"},
      {"SCRIPT", "LOAD", "#!nope\nreturn 1"},
      // EVAL caches what it runs: EVALSHA finds it afterwards.
      Eval("return 'cached'"),
      {"EVALSHA", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1", "0"},  // return 'cached'
      {"SCRIPT", "EXISTS", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1",
       "d1e2bdc2ac3d1e3d09c3f2a8f7e5d1f9a7a4c4d2"},
      {"SCRIPT", "FLUSH"},
      {"SCRIPT", "EXISTS", hello_sha},
      {"EVALSHA", hello_sha, "0"},
      {"SCRIPT", "LOAD", "return 'hello'"},
      {"SCRIPT", "FLUSH", "ASYNC"},
      {"SCRIPT", "EXISTS", hello_sha},
      {"SCRIPT", "FLUSH", "sync"},
      {"SCRIPT", "FLUSH", "BAD"},
      {"SCRIPT", "KILL"},
      {"FUNCTION", "KILL"},
      {"SCRIPT"},
      // numkeys and the KEYS / ARGV tables.
      Eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", {"2", "a", "b", "c", "d"}),
      Eval("return {#KEYS, #ARGV}"),
      Eval("return {#KEYS, #ARGV}", {"0", "x", "y"}),
      Eval("return KEYS", {"3", "k1", "k2", "k3"}),
      Eval("return ARGV", {"0", "", "a b", "3.5"}),
      Eval("return #ARGV[1]", {"0", std::string("bin\0ary", 7)}),
      Eval("return ARGV[1]", {"0", std::string("bin\0ary", 7)}),
      Eval("return 1", {"-1"}),
      Eval("return 1", {"3", "a"}),
      Eval("return 1", {"2", "a"}),
      Eval("return 1", {"x"}),
      Eval("return 1", {"1.5"}),
      Eval("return 1", {""}),
      Eval("return 1", {"99999999999999999999"}),
      Eval("return 1", {}),
      {"EVAL"},
      {"EVAL_RO", "return 1"},
      {"EVALSHA"},
      {"EVALSHA_RO", hello_sha},
  };
}

// redis.call / redis.pcall: every reply type, arguments and refused commands.
std::vector<Command> CallCases() {
  return {
      Eval("return redis.call('set', KEYS[1], ARGV[1])", {"1", "k", "v"}),
      Eval("return redis.call('get', KEYS[1])", {"1", "k"}),
      Eval("return redis.call('get', 'nokey')"),
      Eval("return redis.call('incr', 'counter')"),
      Eval("return redis.call('incr', 'k')"),
      Eval("return redis.pcall('incr', 'k')"),
      Eval("return redis.call('rpush', 'list', 'a', 'b', 'c')"),
      Eval("return redis.call('lrange', 'list', 0, -1)"),
      Eval("return redis.call('lrange', 'nolist', 0, -1)"),
      Eval("return redis.call('lpop', 'nolist')"),
      Eval("return redis.call('set', 'k', 'v', 'nx')"),
      Eval("return redis.call('set', 'k', 'v', 'px', '-1')"),
      Eval("return redis.pcall('set', 'k', 'v', 'px', '-1')"),
      Eval("return redis.call('ping')"),
      Eval("return redis.call('echo', 'hi')"),
      Eval("return redis.call('type', 'k')"),
      Eval("return redis.call('type', 'list')"),
      Eval("return redis.call('exists', 'k', 'list', 'nokey')"),
      Eval("return redis.call('dbsize')"),
      Eval("return redis.call('zadd', 'z', 1, 'a', 2.5, 'b')"),
      Eval("return redis.call('zrange', 'z', 0, -1, 'withscores')"),
      Eval("return redis.call('zscore', 'z', 'b')"),
      Eval("return redis.call('zscore', 'z', 'none')"),
      Eval("return redis.call('hset', 'h', 'f', 'v')"),
      Eval("return redis.call('hgetall', 'h')"),
      Eval("return redis.call('sadd', 's', 'm')"),
      Eval("return redis.call('smembers', 's')"),
      Eval("return redis.call('xadd', 'x', '1-1', 'a', 'b')"),
      Eval("return redis.call('xrange', 'x', '-', '+')"),  // nested arrays
      Eval("return redis.call('xrange', 'nox', '-', '+')"),
      Eval("return redis.call('zpopmin', 'noz')"),
      Eval("local r = redis.call('get', 'nokey') return {type(r), tostring(r)}"),
      Eval("local r = redis.call('lpop', 'nolist') return {type(r), tostring(r)}"),
      Eval("local r = redis.call('set', 'k2', 'v') return {type(r), r.ok}"),
      Eval("local r = redis.call('set', 'k2', 'v', 'nx') return {type(r), tostring(r)}"),
      Eval("local r = redis.call('zscore', 'z', 'b') return type(r)"),
      Eval("local r = redis.pcall('incr', 'k') return {type(r), r.err}"),
      Eval("local r = redis.pcall('incr', 'k') return r.err"),
      Eval("return redis.call('incr', 'k')"),
      // Numbers as arguments: integers as such, other numbers with %.17g.
      Eval("redis.call('set', 'n', 3.5) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 1e20) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 7e15) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 7000000000000001) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', -0.1) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 1/3) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 2^53) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 2^63) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 123456789.123) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 1e-5) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', -0) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 1/0) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 0/0) return redis.call('get', 'n')"),
      Eval("redis.call('set', 'n', 42) return redis.call('get', 'n')"),
      Eval("return redis.call('incrby', 'cnt', 2.5)"),
      Eval("return redis.call('incrby', 'cnt', 5)"),
      // Arguments that are not strings or numbers; no arguments; unknown command; arity.
      Eval("return redis.call('set', 'n', {})"),
      Eval("return redis.call('set', 'n', true)"),
      Eval("return redis.call('set', 'n', nil)"),
      Eval("return redis.pcall('set', 'n', {})"),
      Eval("return redis.pcall('set', 'n', false)"),
      Eval("return redis.call()"),
      Eval("return redis.pcall()"),
      Eval("return redis.call('nosuch')"),
      Eval("return redis.pcall('nosuch')"),
      Eval("return redis.call('get')"),
      Eval("return redis.pcall('get')"),
      Eval("return redis.call('get', 'a', 'b')"),
      // Commands a script may not run.
      Eval("return redis.call('multi')"),
      Eval("return redis.pcall('multi')"),
      Eval("return redis.call('exec')"),
      Eval("return redis.call('watch', 'k')"),
      Eval("return redis.call('subscribe', 'c')"),
      Eval("return redis.call('psubscribe', 'c*')"),
      Eval("return redis.call('eval', 'return 1', '0')"),
      Eval("return redis.call('eval_ro', 'return 1', '0')"),
      Eval("return redis.call('evalsha', 'ffffffffffffffffffffffffffffffffffffffff', '0')"),
      Eval("return redis.call('script', 'load', 'return 1')"),
      Eval("return redis.call('fcall', 'f', '0')"),
      Eval("return redis.call('function', 'list')"),
      Eval("return redis.call('client', 'pause', '1')"),
      Eval("return redis.call('quit')"),
      Eval("return redis.call('reset')"),
      Eval("return redis.call('auth', 'x')"),
      // Blocking commands do not block inside a script.
      Eval("return redis.call('blpop', 'nolist', 0)"),
      Eval("return redis.call('brpop', 'list', 0)"),
      Eval("return redis.call('blmove', 'list', 'list2', 'left', 'left', '0')"),
      Eval("local r = redis.call('blpop', 'nolist', 0) return {type(r), tostring(r)}"),
      // SELECT inside a script does not change the caller's database.
      Eval("redis.call('select', 1) redis.call('set', 'db1', 'x') return redis.call('get', "
           "'db1')"),
      {"GET", "db1"},
      Eval("return redis.call('get', 'db1')"),
      Eval("return redis.call('select', '99')"),
      Eval("redis.call('select', 1) return redis.call('del', 'db1')"),
      // Which server commands a script may run (redis.pcall returns the refusal).
      Eval("return redis.pcall('client', 'setname', 'x')"),
      Eval("return redis.pcall('client', 'getname')"),
      Eval("return redis.pcall('client', 'reply', 'on')"),
      Eval("return redis.pcall('client', 'tracking', 'on')"),
      Eval("return redis.pcall('client', 'no-evict', 'on')"),
      Eval("return redis.pcall('client', 'kill', 'id', '99999')"),
      Eval("return redis.pcall('client', 'unpause')"),
      Eval("return redis.pcall('pubsub', 'channels')"),
      Eval("return redis.pcall('spublish', 'c', 'm')"),
      Eval("return redis.pcall('publish', 'c', 'm')"),
      Eval("return redis.pcall('ssubscribe', 'c')"),
      Eval("return redis.pcall('unsubscribe')"),
      Eval("return redis.pcall('monitor')"),
      Eval("return redis.pcall('discard')"),
      Eval("return redis.pcall('unwatch')"),
      Eval("return redis.pcall('hello', '2')"),
      Eval("return redis.pcall('shutdown')"),
      Eval("return redis.pcall('script', 'flush')"),
      Eval("return redis.pcall('script', 'kill')"),
      Eval("return redis.pcall('function', 'kill')"),
      Eval("return redis.pcall('function', 'stats')"),
      Eval("return redis.pcall('object', 'help') ~= nil"),
      Eval("return redis.pcall('echo')"),
      Eval("return redis.pcall('ping', 'x', 'y')"),
      Eval("return redis.pcall('dbsize', 'x')"),
      Eval("return redis.pcall('keys')"),
      Eval("return redis.pcall('touch', 'k', 'nokey')"),
      Eval("return redis.pcall('copy', 'k2', 'k3')"),
      Eval("return redis.pcall('renamenx', 'k3', 'k2')"),
      Eval("return redis.pcall('move', 'k3', '1')"),
      Eval("return redis.pcall('swapdb', '0', '1')"),
      Eval("return redis.pcall('swapdb', '0', '1')"),
      Eval("return redis.pcall('xread', 'count', '1', 'streams', 'x', '0')"),
      // What INFO errorstats counts for errors in scripts.
      {"CONFIG", "RESETSTAT"},
      Eval("return redis.call('nosuch')"),
      {"INFO", "errorstats"},
      {"CONFIG", "RESETSTAT"},
      Eval("error('x')"),
      {"INFO", "errorstats"},
      {"CONFIG", "RESETSTAT"},
      Eval("return redis.error_reply('MY x')"),
      {"INFO", "errorstats"},
      {"CONFIG", "RESETSTAT"},
      Eval("local r = redis.pcall('incr', 'k') return 1"),
      {"INFO", "errorstats"},
      // MULTI around scripts.
      {"MULTI"},
      Eval("return redis.call('set', 'm', '1')"),
      Eval("error('in multi')"),
      {"SCRIPT", "LOAD", "return 1"},
      {"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"},
      {"EXEC"},
      {"MULTI"},
      Eval("return 1", {}),
      {"EXEC"},
      // EVAL_RO and no-writes.
      {"EVAL_RO", "return redis.call('get', 'k2')", "0"},
      {"EVAL_RO", "return redis.call('set', 'k', 'v')", "0"},
      {"EVAL_RO", "return redis.pcall('set', 'k', 'v')", "0"},
      {"EVAL_RO", "#!lua\nreturn redis.call('set', 'k', 'v')", "0"},
      {"EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get', 'k2')", "0"},
      {"EVAL_RO", "#!lua flags=bad\nreturn 1", "0"},
  };
}

// Lua values to replies, with the script in RESP2 (the default).
std::vector<Command> LuaToReplyCases() {
  return {
      Eval("return 3.99"),
      Eval("return -3.99"),
      Eval("return 0.5"),
      Eval("return {3.99, -3.99, 0.5, -0.5}"),
      Eval("return 2^53"),
      Eval("return 1e300"),
      Eval("return 'str'"),
      Eval("return ''"),
      Eval("return 'a\\0b'"),
      Eval("return true"),
      Eval("return false"),
      Eval("return nil"),
      Eval("return"),
      Eval("return {1, 2, nil, 4}"),
      Eval("return {nil, 1}"),
      Eval("return {[2] = 1}"),
      Eval("return {1, nil, 3, n = 4}"),
      Eval("return {a = 1}"),
      Eval("return {1, true, false, 'a', 3.7}"),
      Eval("return {1, {2, {3, {}}}, 'x', {}}"),
      Eval("return {}"),
      Eval("local t = {} for i = 1, 300 do t[i] = i end return t"),
      Eval("return string.rep('x', 100000):len()"),
      Eval("return {ok = 'fine'}"),
      Eval("return {ok = ''}"),
      Eval("return {ok = 123}"),
      Eval("return {ok = {1}}"),
      Eval("return {ok = 'has\\r\\nnewline'}"),
      Eval("return {err = 'My Error'}"),
      Eval("return {err = 'ERR My Error'}"),
      Eval("return {err = ''}"),
      Eval("return {err = '-'}"),
      Eval("return {err = 123}"),
      Eval("return {err = {1}}"),
      Eval("return {err = 'has\\r\\nnewline'}"),
      Eval("return {ok = 'x', err = 'y'}"),
      Eval("return {1, {err = 'inner'}, 3}"),
      Eval("return {1, {ok = 'inner'}, 3}"),
      Eval("return {1, redis.error_reply('E inner'), 3}"),
      Eval("return redis.error_reply('FOO bar')"),
      Eval("return redis.error_reply('foo')"),
      Eval("return redis.error_reply('-foo')"),
      Eval("return redis.status_reply('PONG')"),
      Eval("return redis.status_reply('a\\nb')"),
      Eval("return function() end"),
      Eval("return coroutine.create(function() end)"),
      Eval("return cjson.null"),
      Eval("return {1, cjson.null, 2}"),
      Eval("return {map = {a = 1}}"),
      Eval("return {double = 3.14}"),
      Eval("redis.setresp(2) return {double = 1.5}"),
      Eval("redis.setresp(2) return true"),
      Eval("redis.setresp(2) return {map = {a = 1}}"),
  };
}

// redis.setresp(3): RESP3 Lua types to replies (converted down for a RESP2 caller), and RESP3
// replies to Lua values.
std::vector<Command> Resp3Cases() {
  return {
      {"HSET", "h", "f", "v"},
      {"SADD", "s", "m"},
      {"ZADD", "z", "1.5", "m"},
      {"SET", "str", "abc"},
      Eval3("return {map = {a = 1}}"),
      Eval3("return {map = {a = {1, 2}}}"),
      Eval3("return {map = {a = {map = {b = 1}}}}"),
      Eval3("return {map = {}}"),
      Eval3("return {map = {[1] = 2}}"),
      Eval3("return {map = {a = true}}"),
      Eval3("return {map = {a = false}}"),
      Eval3("return {map = 5}"),
      Eval3("return {set = {a = true}}"),
      Eval3("return {set = {}}"),
      Eval3("return {set = {a = false}}"),
      Eval3("return {set = {[1] = true}}"),
      Eval3("return {double = 3.14}"),
      Eval3("return {double = 3}"),
      Eval3("return {double = 0.1}"),
      Eval3("return {double = 1e300}"),
      Eval3("return {double = 1/0}"),
      Eval3("return {double = -1/0}"),
      Eval3("return {double = '3.5'}"),
      Eval3("return {double = 'abc'}"),
      Eval3("return {double = true}"),
      Eval3("return {big_number = '123456789012345678901234567890'}"),
      Eval3("return {big_number = 12345}"),
      // Not {big_number = '1\\r\\n2'}: both send "(1  2", which the test's reply parser refuses.
      Eval3("return {big_number = true}"),
      Eval3("return true"),
      Eval3("return false"),
      Eval3("return nil"),
      Eval3("return {1, {map = {x = 'y'}}, {set = {q = true}}}"),
      Eval3("return {{double = 1.5}, {big_number = '7'}, true, false}"),
      Eval3("return {ok = 'fine'}"),
      Eval3("return {err = 'E bad'}"),
      // Replies to Lua under RESP3.
      Eval3("return redis.call('hgetall', 'h')"),
      Eval3("return redis.call('hgetall', 'nokey')"),
      Eval3("return redis.call('smembers', 's')"),
      Eval3("return redis.call('zscore', 'z', 'm')"),
      Eval3("return redis.call('zrange', 'z', 0, -1, 'withscores')"),
      Eval3("return redis.call('get', 'nokey')"),
      Eval3("return redis.call('exists', 's') == 1"),
      Eval3("return {redis.call('sismember', 's', 'm')}"),
      Eval3("local r = redis.call('hgetall', 'h') return {type(r.map), r.map.f}"),
      Eval3("local r = redis.call('smembers', 's') return {type(r.set), tostring(r.set.m)}"),
      Eval3("local r = redis.call('zscore', 'z', 'm') return {type(r), tostring(r.double)}"),
      Eval3("local r = redis.call('zscore', 'z', 'nom') return {type(r), tostring(r)}"),
      Eval3("local r = redis.call('get', 'nokey') return {type(r), tostring(r)}"),
      Eval3("local r = redis.call('hget', 'h', 'nof') return {type(r), tostring(r)}"),
      Eval3("local r = redis.call('exists', 'nokey') return {type(r), tostring(r)}"),
      Eval3("local r = redis.call('set', 'a', 'b') return {type(r), r.ok}"),
      Eval3("local r = redis.pcall('incr', 'str') return {type(r), r.err}"),
      Eval3("local r = redis.call('zrange', 'z', 0, -1, 'withscores') "
            "return {type(r[1]), type(r[1][2]), tostring(r[1][2].double)}"),
      Eval3("redis.setresp(2) return redis.call('hgetall', 'h')"),
      Eval3("redis.setresp(2) local r = redis.call('zscore', 'z', 'm') return type(r)"),
      Eval("redis.setresp(4)"),
      Eval("redis.setresp()"),
      Eval("redis.setresp('x')"),
      Eval("redis.setresp(2, 3)"),
  };
}

// Errors raised by scripts, compile errors, line numbers, protected globals, shebangs.
std::vector<Command> ErrorCases() {
  return {
      Eval("error('x')"),
      Eval("error('x', 0)"),
      Eval("error({err = 'CODE msg'})"),
      Eval("error({err = 'msg'})"),
      Eval("error(nil)"),
      Eval("error(42)"),
      Eval("local a = nil; return a + 1"),
      Eval("local t = {} t.x.y = 1"),
      Eval("return #nil"),
      Eval("return ('x')()"),
      Eval("return 1 +"),
      Eval("return (("),
      Eval("x ="),
      Eval("return x"),
      Eval("return undefined_global_var"),
      Eval("local t = undefined_global_var"),
      Eval("x = 1"),
      Eval("_G.x = 1"),
      Eval("_G['y'] = 2"),
      Eval("string.x = 1"),
      Eval("string.len = nil"),
      Eval("redis.call = nil"),
      Eval("redis.x = 1"),
      Eval("cjson.encode = nil"),
      Eval("math.pi = 3"),
      Eval("table.insert = print"),
      Eval("function f() end"),
      Eval("local function f() end return 1"),
      Eval("local x = 1 x = 2 return x"),
      // pcall of a script error, and of redis.pcall.
      Eval("local ok, e = pcall(error, 'x') return {tostring(ok), e}"),
      Eval("local ok, e = pcall(function() local a = nil + 1 end) return e"),
      Eval("local ok, e = pcall(redis.call, 'incr', 'str') return tostring(ok)"),
      Eval("local ok = pcall(function() return redis.call('nosuch') end) return tostring(ok)"),
      Eval("local ok, v = pcall(redis.call, 'get', 'str') return {tostring(ok), v}"),
      Eval("local r = redis.pcall('incr', 'str') return r"),
      Eval("local r = redis.pcall('nosuch') return r"),
      Eval("return redis.call('incr', 'str')"),
      // Positions: the line of a multi-line script.
      Eval("local a = 1\nlocal b = 2\nerror('line3')"),
      Eval("local a = 1\nlocal b = 2\nlocal c = nil + 1"),
      Eval("local a = 1\nlocal b = 2\nredis.call('nosuch')"),
      Eval("local a = 1\nlocal b = 2\nreturn nosuchfn()"),
      Eval("local a = 1\nlocal b = 2\nreturn ("),
      Eval("local a = 1\nlocal b = 2\nerror({err = 'E on 3'})"),
      Eval("local a = 1\nlocal b = 2\nreturn redis.call('incr', 'str')"),
      // Shebangs.
      Eval("#!lua\nreturn 1"),
      Eval("#!lua\n"),
      Eval("#!lua\nerror('line2')"),
      Eval("#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')"),
      Eval("#!lua flags=no-writes\nreturn redis.pcall('set', 'k', 'v')"),
      Eval("#!lua flags=no-writes\nreturn redis.call('get', 'k2')"),
      Eval("#!lua flags=no-writes,allow-oom\nreturn 1"),
      Eval("#!lua flags=no-writes,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1"),
      Eval("#!lua flags=\nreturn redis.call('set', 'k', 'v')"),
      Eval("#!lua flags=no-writes\nreturn 1 +"),
      Eval("#!js\nreturn 1"),
      Eval("#!luax\nreturn 1"),
      Eval("#!lua flags=bad\nreturn 1"),
      Eval("#!lua flags=no-writes,bad\nreturn 1"),
      Eval("#!lua foo=bar\nreturn 1"),
      Eval("#!lua name=x\nreturn 1"),
      Eval("#!\nreturn 1"),
  };
}

// The libraries a script may use, and what it may not.
std::vector<Command> LibraryCases() {
  return {
      // cjson.
      Eval("return cjson.encode({1, 2, 3, 'a', true, false})"),
      Eval("return cjson.encode({a = {1, 2}})"),
      Eval("return cjson.encode({})"),
      Eval("return cjson.encode('x\"y\\n')"),
      Eval("return cjson.encode(3.5)"),
      Eval("return cjson.encode(1e20)"),
      Eval("return cjson.encode(0.1)"),
      Eval("return cjson.encode(cjson.null)"),
      Eval("return cjson.encode({[1] = 1, [3] = 3})"),
      Eval("return cjson.encode({[1] = 1, [30] = 3})"),
      Eval("return cjson.encode({1, {2, {3}}})"),
      Eval("return cjson.encode(function() end)"),
      Eval("return cjson.encode(1/0)"),
      Eval("return cjson.encode()"),
      Eval("local t = {} t[1] = t return cjson.encode(t)"),
      Eval("local t = cjson.decode('[1,2,[3,4],\"x\",true,null]') "
           "return {t[1], t[2], t[3][2], t[4], tostring(t[5]), tostring(t[6])}"),
      Eval("return cjson.decode('{\"a\":[1,2.5]}').a[2]"),
      Eval("return tostring(cjson.decode('{\"a\":[1,2.5]}').a[2])"),
      Eval("return cjson.encode(cjson.decode('[1,2,3]'))"),
      Eval("return cjson.encode(cjson.decode('{\"k\":\"v\"}'))"),
      Eval("return cjson.encode(cjson.decode('[1e400]'))"),
      Eval("return cjson.decode('\"\\\\u00e9\"')"),
      Eval("return tostring(cjson.decode('123456789012345678'))"),
      Eval("return cjson.decode('[1,')"),
      Eval("return cjson.decode('')"),
      Eval("return cjson.decode('{a:1}')"),
      Eval("return cjson.decode()"),
      // bit.
      Eval("return bit.band(0xff, 0x0f)"),
      Eval("return bit.bor(1, 2, 4)"),
      Eval("return bit.bxor(5, 3)"),
      Eval("return bit.lshift(1, 40)"),
      Eval("return bit.lshift(1, 31)"),
      Eval("return bit.rshift(-1, 28)"),
      Eval("return bit.arshift(-256, 4)"),
      Eval("return bit.tohex(255)"),
      Eval("return bit.tohex(255, -4)"),
      Eval("return bit.tohex(-1)"),
      Eval("return bit.bnot(0)"),
      Eval("return bit.tobit(2^32 + 5)"),
      Eval("return bit.rol(1, 33)"),
      Eval("return bit.bswap(0x12345678)"),
      Eval("return bit.band('x')"),
      // cmsgpack.
      Eval("return cmsgpack.pack(1, 'a', {1, 2}, true)"),
      Eval("return cmsgpack.pack({a = 1})"),
      Eval("return cmsgpack.pack(3.5)"),
      Eval("return cmsgpack.pack(-1, -33, 128, 65536, 2^40, -2^40)"),
      Eval("return cmsgpack.pack(nil)"),
      Eval("return cmsgpack.pack()"),
      Eval("return cmsgpack.pack(string.rep('x', 40))"),
      Eval("return cmsgpack.pack(string.rep('x', 300))"),
      Eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'a', {1, 2}, 7))}"),
      Eval("local t = cmsgpack.unpack(cmsgpack.pack({1, 2, {3}})) return t[3][1]"),
      Eval("return cmsgpack.unpack(cmsgpack.pack({a = 'b'})).a"),
      Eval("return cmsgpack.unpack(cmsgpack.pack(0.1)) == 0.1"),
      Eval("return cmsgpack.unpack('\\x93\\x01\\x02\\x03')"),
      Eval("return cmsgpack.unpack('')"),
      Eval("return cmsgpack.unpack('\\xc1')"),
      Eval("return cmsgpack.unpack('\\x92\\x01')"),
      Eval("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2))}"),
      Eval("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}"),
      // struct.
      Eval("return struct.pack('>I2', 258)"),
      Eval("return struct.pack('<i4 B', -2, 7)"),
      Eval("return struct.pack('HIh', 1, 2, 3)"),
      Eval("return struct.pack('z', 'abc')"),
      Eval("return struct.pack('c3', 'abcdef')"),
      Eval("return struct.pack('d', 1.5)"),
      Eval("return {struct.unpack('>I2', struct.pack('>I2', 258))}"),
      Eval("return {struct.unpack('<i4B', struct.pack('<i4B', -2, 7))}"),
      Eval("return {struct.unpack('c3', 'abcdef')}"),
      Eval("return struct.size('>I2i4b')"),
      Eval("return struct.size('s')"),
      Eval("return struct.pack('q')"),
      Eval("return struct.pack('y', 1)"),
      Eval("return struct.unpack('>I4', 'ab')"),
      // The redis table's helpers and constants. ringkv reports version 7.0.15, the reference's
      // own: the version cases must go if that ever changes.
      Eval("return redis.sha1hex('')"),
      Eval("return redis.sha1hex('hello')"),
      Eval("return redis.sha1hex(123)"),
      Eval("return redis.sha1hex()"),
      Eval("return redis.REDIS_VERSION_NUM"),
      Eval("return redis.REDIS_VERSION"),
      Eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}"),
      Eval("return redis.log(redis.LOG_DEBUG, 'hello')"),
      Eval("return redis.log()"),
      Eval("return redis.log(99, 'x')"),
      Eval("return redis.log('x', 'x')"),
      Eval("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, "
           "redis.REPL_ALL}"),
      Eval("return redis.set_repl(redis.REPL_ALL)"),
      Eval("return redis.set_repl(99)"),
      Eval("return redis.set_repl()"),
      Eval("return redis.replicate_commands()"),
      Eval("return redis.acl_check_cmd('get', 'k')"),
      Eval("return redis.acl_check_cmd('nosuch')"),
      Eval("return redis.acl_check_cmd()"),
      Eval("return redis.breakpoint()"),
      Eval("return redis.debug('x')"),
      Eval("return redis.setresp"),
      Eval("return type(redis.setresp)"),
      Eval("return _G.redis == redis"),
      Eval("return type(_G)"),
      // What the sandbox keeps and removes.
      Eval("return type(loadstring)"),
      Eval("return loadstring('return 1')()"),
      Eval("return loadstring('return (')"),
      Eval("return type(os)"),
      Eval("return type(os.clock)"),
      Eval("return type(print)"),
      Eval("return type(dofile)"),
      Eval("return type(loadfile)"),
      Eval("return type(require)"),
      Eval("return type(debug)"),
      Eval("return type(io)"),
      Eval("return type(module)"),
      Eval("return type(gcinfo)"),
      Eval("local t = {} setmetatable(t, {__index = function() return 5 end}) return t.x"),
      // Standard library results, formatted the same way.
      Eval("return string.format('%d %s %5.2f', 3, 'x', 1.5)"),
      Eval("return tostring(1e100)"),
      Eval("return tostring(0/0)"),
      Eval("return tostring(2^53)"),
      Eval("return table.concat({1, 2, 3}, ',')"),
      Eval("return string.rep('ab', 3)"),
      Eval("return math.floor(3.7)"),
      Eval("return math.huge"),
      Eval("return -math.huge"),
      Eval("return 0/0"),
      Eval("return tonumber('0x10')"),
      Eval("return unpack({1, 2, 3})"),
      Eval("return select('#', 1, 2, 3)"),
      Eval("return string.byte('A')"),
  };
}

// FUNCTION and FCALL.
std::vector<Command> FunctionCases() {
  return {
      {"FUNCTION", "FLUSH"},
      {"FUNCTION", "STATS"},
      {"FUNCTION", "LIST"},
      Load("lib1",
           "redis.register_function('f1', function(keys, args) "
           "return {keys[1], args[1], #keys, #args} end)"),
      {"FCALL", "f1", "1", "k", "a"},
      {"FCALL", "f1", "0"},
      {"FCALL_RO", "f1", "0"},
      {"FCALL", "nosuch", "0"},
      {"FCALL_RO", "nosuch", "0"},
      {"FCALL", "f1", "-1"},
      {"FCALL", "f1", "5", "a"},
      {"FCALL", "f1", "x"},
      {"FCALL", "f1"},
      {"FCALL"},
      // A second library: duplicates, REPLACE.
      Load("lib1", "redis.register_function('f1', function() return 1 end)"),
      {"FUNCTION", "LOAD", "REPLACE",
       "#!lua name=lib1\nredis.register_function('f1', function() return 2 end)"},
      {"FCALL", "f1", "0"},
      {"FUNCTION", "LOAD", "replace",
       "#!lua name=lib1\nredis.register_function('f1', function() return 3 end)"},
      {"FCALL", "f1", "0"},
      {"FUNCTION", "LOAD", "BAD",
       "#!lua name=lib1\nredis.register_function('f1', function() return 4 end)"},
      Load("lib2", "redis.register_function('f1', function() return 1 end)"),
      {"FUNCTION", "LOAD", "REPLACE",
       "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)"},
      // Named arguments, a description, keys and args.
      Load("lib2",
           "redis.register_function{function_name = 'f2', callback = function(keys, args) "
           "return redis.call('set', keys[1], args[1]) end, description = 'sets a key'}"),
      {"FCALL", "f2", "1", "fk", "fv"},
      {"FCALL_RO", "f2", "1", "fk", "fv"},
      {"GET", "fk"},
      Load("lib3",
           "local x = 5\nredis.register_function('w1', function() return x end)\n"
           "redis.register_function('w2', function() return {1, {ok = 'fine'}} end)"),
      {"FCALL", "w1", "0"},
      {"FCALL", "w2", "0"},
      {"FUNCTION", "LIST"},
      {"FUNCTION", "LIST", "WITHCODE"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "lib1"},
      {"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "lib3"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "lib*", "WITHCODE"},
      {"FUNCTION", "LIST", "libraryname", "lib?"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"},
      {"FUNCTION", "LIST", "LIBRARYNAME"},
      {"FUNCTION", "LIST", "BAD"},
      {"FUNCTION", "STATS"},
      // Flags. (Not listed: ringkv lists flags as bulk strings; see the known differences.)
      Load("lnw",
           "redis.register_function{function_name = 'nw_set', callback = function(keys, "
           "args) return redis.call('set', keys[1], args[1]) end, flags = {'no-writes'}}\n"
           "redis.register_function{function_name = 'nw_get', callback = function(keys) "
           "return redis.call('get', keys[1]) end, flags = {'no-writes', 'allow-oom'}}"),
      {"FCALL", "nw_set", "1", "fk", "v2"},
      {"FCALL_RO", "nw_set", "1", "fk", "v2"},
      {"FCALL_RO", "nw_get", "1", "fk"},
      {"FCALL", "nw_get", "1", "fk"},
      {"FUNCTION", "DELETE", "lnw"},
      {"FCALL", "nw_get", "1", "fk"},
      // Errors while running a function.
      Load("lrun",
           "redis.register_function('r_err', function() error('boom') end)\n"
           "redis.register_function('r_glob', function() x = 1 end)\n"
           "redis.register_function('r_cmd', function() return redis.call('nosuch') end)\n"
           "redis.register_function('r_keys', function() return KEYS end)\n"
           "redis.register_function('r_reg', function() "
           "return redis.register_function('z', function() end) end)\n"
           "redis.register_function('r_line', function() local a = 1\n"
           "local b = nil + a\nend)\n"
           "redis.register_function('r_pcall', function() "
           "return redis.pcall('incr', 'str') end)\n"
           "redis.register_function('r_fcall', function() "
           "return redis.call('fcall', 'w1', '0') end)\n"
           "redis.register_function('r_eval', function() "
           "return redis.call('eval', 'return 1', '0') end)\n"
           "redis.register_function('r_setresp', function() "
           "redis.setresp(3) return {double = 2.5} end)"),
      {"SET", "str", "abc"},
      {"FCALL", "r_err", "0"},
      {"FCALL", "r_glob", "0"},
      {"FCALL", "r_cmd", "0"},
      {"FCALL", "r_keys", "0"},
      {"FCALL", "r_reg", "0"},
      {"FCALL", "r_line", "0"},
      {"FCALL", "r_pcall", "0"},
      {"FCALL", "r_fcall", "0"},
      {"FCALL", "r_eval", "0"},
      {"FCALL", "r_setresp", "0"},
      Eval("return redis.call('fcall', 'w1', '0')"),
      // Errors while loading.
      {"FUNCTION", "LOAD", "redis.register_function('f', function() end)"},
      {"FUNCTION", "LOAD", ""},
      {"FUNCTION", "LOAD", "#!js name=x\nfoo"},
      {"FUNCTION", "LOAD", "#!lua\nredis.register_function('f', function() end)"},
      {"FUNCTION", "LOAD", "#!lua name=\nredis.register_function('a8', function() end)"},
      {"FUNCTION", "LOAD", "#!lua name=bad-name!\nredis.register_function('f', function() end)"},
      {"FUNCTION", "LOAD", "#!lua name=la5 foo=bar\nredis.register_function('f5', function() end)"},
      {"FUNCTION", "LOAD",
       "#!lua name=la5 name=lib6\nredis.register_function('f5', function() end)"},
      {"FUNCTION", "LOAD", "#!lua name=la9 \nredis.register_function('a9', function() end)"},
      {"FUNCTION", "LOAD", "#!lua  name=lb1\nredis.register_function('b1', function() end)"},
      Load("le1", ""),
      Load("le2", "return 1"),
      Load("le3", "redis.register_function('f4', function() end"),
      Load("le4", "local a = nil + 1"),
      Load("le5", "error('boom')"),
      Load("le6", "x = 1"),
      Load("le7", "return undefined_xyz"),
      Load("le8", "redis.register_function('f1', function() return 1 end)"),
      Load("le9",
           "redis.register_function('g1', function() end)\n"
           "redis.register_function('g1', function() end)"),
      Load("le10",
           "redis.register_function('g2', function() end)\n"
           "redis.register_function('g3', function() end)\nerror('late')"),
      {"FCALL", "g2", "0"},
      Load("le11", "redis.register_function('g4', function() return 1 end, 'extra')"),
      Load("le12", "redis.register_function('g5')"),
      Load("le13", "redis.register_function()"),
      Load("le14", "redis.register_function{function_name = 'g6'}"),
      Load("le15", "redis.register_function{callback = function() end}"),
      Load("le16",
           "redis.register_function{function_name = 'g7', callback = function() end, "
           "flags = {'bad'}}"),
      Load("le17",
           "redis.register_function{function_name = 'g8', callback = function() end, "
           "flags = 'no-writes'}"),
      Load("le18",
           "redis.register_function{function_name = 'g9', callback = function() end, foo = 5}"),
      Load("le19", "redis.register_function('g10', 'notfn')"),
      Load("le20", "redis.register_function{function_name = 'g11', callback = 'x'}"),
      Load("le21",
           "redis.log(redis.LOG_NOTICE, 'loading')\n"
           "redis.register_function('g12', function() return 12 end)"),
      {"FCALL", "g12", "0"},
      Load("le22",
           "local t = cjson.encode({1})\n"
           "redis.register_function('g13', function() return t end)"),
      {"FCALL", "g13", "0"},
      Load("le23",
           "local s = string.len('abc')\n"
           "redis.register_function('g14', function() return s end)"),
      {"FCALL", "g14", "0"},
      Load("le24",
           "local t = redis.REDIS_VERSION\n"
           "redis.register_function('g15', function() return t end)"),
      {"FCALL", "g15", "0"},
      Load("le25", "local a = KEYS"),
      Load("le26", "redis.register_function('ly', function() return 1 end)"),
      {"FCALL", "ly", "0"},
      {"FUNCTION", "STATS"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "le*"},
      // DELETE and FLUSH.
      {"FUNCTION", "DELETE", "lib1"},
      {"FUNCTION", "DELETE", "lib1"},
      {"FUNCTION", "DELETE", "nolib"},
      {"FCALL", "f1", "0"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "lib1"},
      {"FUNCTION", "FLUSH", "ASYNC"},
      {"FUNCTION", "LIST"},
      {"FCALL", "w1", "0"},
      {"FUNCTION", "FLUSH", "SYNC"},
      {"FUNCTION", "FLUSH", "x"},
      {"FUNCTION", "FLUSH", "SYNC", "ASYNC"},
      {"FUNCTION", "STATS"},
      {"FUNCTION"},
  };
}

std::vector<Command> AllCases() {
  // Scripts and libraries outlive FLUSHALL: each run starts with both flushed.
  std::vector<Command> all = {{"SCRIPT", "FLUSH"}, {"FUNCTION", "FLUSH"}};
  for (const std::vector<Command>& part :
       {ScriptCommandCases(), CallCases(), LuaToReplyCases(), Resp3Cases(), ErrorCases(),
        LibraryCases(), FunctionCases()}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

// Runs `cases` once with the caller in RESP3 and once in RESP2, in order.
void RunCases(const std::string& name, std::vector<Command> cases) {
  DifferentialSuite suite;
  suite.name = name;
  suite.seeds = 2;
  suite.commands_per_seed = static_cast<int>(cases.size());
  suite.deadline_seconds = 60;
  auto shared = std::make_shared<std::vector<Command>>(std::move(cases));
  suite.make_generator = [shared](uint32_t, int64_t) {
    auto next = std::make_shared<size_t>(0);
    return std::function<Command()>([shared, next] { return (*shared)[(*next)++]; });
  };
  suite.normalize = Normalize;
  RunDifferential(suite);
}

TEST(DifferentialTest, ScriptingMatchesRedisByteForByte) { RunCases("scripting", AllCases()); }

// The edges where ringkv differed from Redis 7.0.15 when this test was written, each fixed since
// (the commands that set up their state aside).
TEST(DifferentialTest, ScriptingEdgesMatchRedis) {
  RunCases(
      "scripting-edges",
      {
          {"SCRIPT", "FLUSH"},
          {"FUNCTION", "FLUSH"},
          // Subcommand arity and unknown subcommands: Redis 7's generic errors.
          {"SCRIPT", "EXISTS"},
          {"SCRIPT", "LOAD"},
          {"SCRIPT", "KILL", "x"},
          {"SCRIPT", "HELP", "x"},
          {"SCRIPT", "BAD"},
          {"SCRIPT", "FLUSH", "SYNC", "ASYNC"},
          {"FUNCTION", "BAD"},
          {"FUNCTION", "LOAD"},
          {"FUNCTION", "DELETE"},
          {"FUNCTION", "DELETE", "a", "b"},
          {"FUNCTION", "STATS", "x"},
          {"FUNCTION", "KILL", "x"},
          // Redis 7.0 replaces pcall so that a caught error table becomes its err string.
          {"SET", "str", "abc"},
          Eval("local ok, e = pcall(redis.call, 'incr', 'str') return {tostring(ok), type(e), e}"),
          Eval("local ok, e = pcall(function() error({err = 'X y'}) end) return {type(e), e}"),
          Eval("local ok, e = pcall(redis.call, 'incr', 'str') error(e)"),
          // redis.pcall's error table carries ignore_error_stats_update in Redis.
          Eval("local r = redis.pcall('incr', 'str') return tostring(r.ignore_error_stats_update)"),
          // Bad arguments to error_reply / status_reply are returned, not raised.
          Eval("return redis.error_reply()"),
          Eval("return redis.status_reply(5)"),
          // The read-only globals: messages and metatables.
          Eval("rawset(_G, 'x', 1)"),
          Eval("setmetatable(_G, nil)"),
          Eval("return type(getmetatable(_G))"),
          Eval("return type(getmetatable('').__index)"),
          // Removed from Redis's sandbox.
          Eval("return type(setfenv)"),
          Eval("return type(getfenv)"),
          Eval("return type(newproxy)"),
          // A shebang line without its newline.
          Eval("#!lua"),
          Eval("#!lua "),
          Eval("#!"),
          Eval("#!lua flags=no-writes"),
          {"FUNCTION", "LOAD", "#!lua name=nonewline"},
          // register_function takes numbers where Redis takes strings (lua_isstring).
          Load("kd1", "redis.register_function(1, function() return 1 end)"),
          Load("kd2",
               "redis.register_function{function_name = 'kd2', callback = function() end, "
               "description = 5}"),
          Load("kd3", "redis.register_function{'kd3', function() end}"),
          // Redis 7.0 names the library in the bad-function-name error.
          Load("kd4", "redis.register_function('bad name', function() end)"),
          Load("kd5", "redis.register_function('', function() end)"),
          // At load time the redis table has only register_function, log and the constants.
          Load("kd6", "redis.call('ping')"),
          Load("kd7", "redis.setresp(3)"),
          Load("kd8", "redis.sha1hex('x')"),
          // Function flags are status strings in FUNCTION LIST.
          Load("kd9",
               "redis.register_function{function_name = 'kd9', callback = function() end, "
               "flags = {'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', "
               "'allow-cross-slot-keys'}}"),
          {"FUNCTION", "LIST", "LIBRARYNAME", "kd9"},
          {"FUNCTION", "LIST", "WITHCODE", "WITHCODE"},
          // Blocking commands: BLMPOP and BZMPOP run (without blocking) in Redis scripts; XREAD
          // and XREADGROUP with BLOCK are refused.
          Eval("return redis.pcall('blmpop', '0', '1', 'nol', 'left')"),
          Eval("return redis.pcall('bzmpop', '0', '1', 'noz', 'min')"),
          {"XADD", "x", "1-1", "f", "v"},
          Eval("return redis.pcall('xread', 'block', '10', 'streams', 'x', '0')"),
          Eval("return redis.pcall('xreadgroup', 'group', 'g', 'c', 'block', '0', 'streams', 'x', "
               "'>')"),
          // ACL is a noscript command in Redis 7.0.
          Eval("return redis.pcall('acl', 'whoami')"),
          // An error from redis.call (or returned from redis.pcall) counts once in errorstats.
          {"SET", "str", "abc"},
          {"CONFIG", "RESETSTAT"},
          Eval("return redis.call('incr', 'str')"),
          {"INFO", "errorstats"},
          {"CONFIG", "RESETSTAT"},
          Eval("return redis.pcall('incr', 'str')"),
          {"INFO", "errorstats"},
          // LIBRARYNAME's pattern ignores case in Redis.
          Load("KD10", "redis.register_function('kd10', function() return 1 end)"),
          {"FUNCTION", "LIST", "LIBRARYNAME", "kd1?"},
      });
  // These two once broke the server for what followed, so each runs on servers of its own.
  // setfenv(0, ...) replaced the worker's globals: every later script on it failed.
  RunCases("scripting-setfenv", {Eval("setfenv(0, {}) return 1"), Eval("return type(1)")});
  // A verbatim string crashed ringkv (a lua_rawget on a string).
  RunCases("scripting-verbatim",
           {Eval3("return {verbatim_string = {format = 'txt', string = 'hello'}}"), {"PING"}});
}

// Differences that remain, documented in docs/compatibility.md; disabled because they fail.
TEST(DifferentialTest, DISABLED_ScriptingKnownDifferences) {
  RunCases("scripting-known-differences",
           {
               // WAIT is refused in Redis scripts; ringkv has no WAIT (no replication), so it is
               // an unknown command there.
               Eval("return redis.call('wait', '0', '0')"),
               // Under RESP3 a null inside an array is a hole in the Lua table; the length Lua
               // reports for a table with holes depends on how it was built (Redis: 1, ringkv:
               // 3). Both are valid Lua lengths.
               {"SET", "a", "1"},
               Eval3("local r = redis.call('mget', 'a', 'nokey', 'a') return #r"),
           });
}

}  // namespace
}  // namespace ringkv::compat
