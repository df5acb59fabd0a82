// The command table built from the real embedded Redis 7.0 facts: lookup and its error
// texts, arity, derived flags and ACL categories, key extraction, COMMAND's replies (the
// expected bytes were taken from a real redis-server 7.0), and the strict JSON reader.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "src/command_table/command_reply.h"
#include "src/command_table/command_table.h"
#include "src/command_table/json.h"
#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

void Dummy(CommandContext&) {}
void Other(CommandContext&) {}

constexpr const char* kImplemented[] = {
    "GET",
    "SET",
    "MSET",
    "COPY",
    "ZUNIONSTORE",
    "MIGRATE",
    "EXISTS",
    "DEL",
    "XREAD",
    "SORT",
    "SPUBLISH",
    "EVAL",
    "BITFIELD",
    "CLIENT KILL",
    "CLIENT LIST",
    "COMMAND",
    "COMMAND INFO",
    "COMMAND COUNT",
    "COMMAND GETKEYS",
    "getdel",
};

class CommandTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kImplemented) table_.Add(name, Dummy);
    std::string error;
    ASSERT_TRUE(table_.Build(&error)) << error;
  }

  const CommandSpec& Spec(const std::string& full_name) {
    const CommandSpec* spec = table_.FindByFullName(full_name);
    EXPECT_NE(spec, nullptr) << full_name;
    return *spec;
  }

  std::vector<size_t> Keys(std::vector<std::string> args) {
    const CommandSpec* spec = table_.Find(args);
    EXPECT_NE(spec, nullptr) << args[0];
    return spec == nullptr ? std::vector<size_t>{} : CommandTable::KeyPositions(*spec, args);
  }

  template <typename Build>
  std::string Encode(int protocol, Build build) {
    std::string out;
    ReplyBuilder reply(&out, protocol);
    build(&reply);
    return out;
  }

  CommandTable table_;
};

using Positions = std::vector<size_t>;

TEST_F(CommandTableTest, LookupIsCaseInsensitiveAndResolvesSubcommands) {
  std::string error;
  const CommandSpec* get = table_.Lookup(std::vector<std::string>{"gEt", "k"}, &error);
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->name, "get");
  EXPECT_EQ(get->full_name, "get");
  EXPECT_EQ(get->handler, &Dummy);

  const CommandSpec* kill = table_.Lookup(std::vector<std::string>{"client", "KILL", "x"}, &error);
  ASSERT_NE(kill, nullptr);
  EXPECT_EQ(kill->name, "kill");
  EXPECT_EQ(kill->full_name, "client|kill");
  ASSERT_NE(kill->parent, nullptr);
  EXPECT_EQ(kill->parent->name, "client");

  // A container alone resolves to itself; its arity then rejects the call.
  const CommandSpec* client = table_.Lookup(std::vector<std::string>{"CLIENT"}, &error);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->is_container());
  EXPECT_EQ(client->handler, nullptr);
  EXPECT_FALSE(CommandTable::CheckArity(*client, 1, &error));
  EXPECT_EQ(error, "ERR wrong number of arguments for 'client' command");
}

TEST_F(CommandTableTest, UnknownCommandAndSubcommandErrors) {
  std::string error;
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"foo", "a", "b"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown command 'foo', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"foo"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown command 'foo', with args beginning with: ");
  // Only implemented commands exist.
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"hset", "h"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown command 'hset', with args beginning with: 'h' ");

  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"client", "Nope", "x"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown subcommand 'Nope'. Try CLIENT HELP.");
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"Command", "foo"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown subcommand 'foo'. Try COMMAND HELP.");
  // A registered container lists only registered subcommands.
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"client", "id"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown subcommand 'id'. Try CLIENT HELP.");
}

TEST_F(CommandTableTest, UnknownCommandErrorTruncatesLikeRedis) {
  std::string error;
  std::vector<std::string> args = {std::string(200, 'c'), std::string(100, 'a'),
                                   std::string(100, 'b'), "never"};
  EXPECT_EQ(table_.Lookup(args, &error), nullptr);
  // The name is cut at 128 bytes; arguments are shown while fewer than 128 bytes are, each
  // cut to what is left of them.
  std::string expected = "ERR unknown command '" + std::string(128, 'c') +
                         "', with args beginning with: '" + std::string(100, 'a') + "' '" +
                         std::string(128 - 103, 'b') + "' ";
  EXPECT_EQ(error, expected);

  EXPECT_EQ(table_.Lookup(std::vector<std::string>{"x\r\ny", "a\nb"}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown command 'x  y', with args beginning with: 'a b' ");
  EXPECT_EQ(table_.Lookup(std::vector<std::string>{std::string("ab\0cd", 5)}, &error), nullptr);
  EXPECT_EQ(error, "ERR unknown command 'ab', with args beginning with: ");
}

TEST_F(CommandTableTest, ArityChecks) {
  std::string error;
  EXPECT_TRUE(CommandTable::CheckArity(Spec("get"), 2, &error));
  EXPECT_FALSE(CommandTable::CheckArity(Spec("get"), 3, &error));
  EXPECT_EQ(error, "ERR wrong number of arguments for 'get' command");
  EXPECT_FALSE(CommandTable::CheckArity(Spec("get"), 1));
  EXPECT_TRUE(CommandTable::CheckArity(Spec("mset"), 3));
  EXPECT_TRUE(CommandTable::CheckArity(Spec("mset"), 9));
  EXPECT_FALSE(CommandTable::CheckArity(Spec("mset"), 2));
  EXPECT_TRUE(CommandTable::CheckArity(Spec("client|kill"), 3));
  EXPECT_FALSE(CommandTable::CheckArity(Spec("client|kill"), 2, &error));
  EXPECT_EQ(error, "ERR wrong number of arguments for 'client|kill' command");
  EXPECT_TRUE(CommandTable::CheckArity(Spec("command"), 1));
}

TEST_F(CommandTableTest, FindByFullName) {
  EXPECT_EQ(table_.FindByFullName("GET"), &Spec("get"));
  EXPECT_EQ(table_.FindByFullName("Client|Kill"), &Spec("client|kill"));
  EXPECT_TRUE(table_.FindByFullName("client")->is_container());
  for (const char* bad : {"", "get|x", "client|", "|get", "client|kill|x", "nosuch"}) {
    EXPECT_EQ(table_.FindByFullName(bad), nullptr) << bad;
  }
}

TEST_F(CommandTableTest, CountsAndIteration) {
  // Top-level: the 14 plain commands plus the CLIENT and COMMAND containers.
  EXPECT_EQ(table_.size(), 16u);
  std::vector<std::string> names = table_.FullNames();
  EXPECT_EQ(names.size(), 16u + 2u + 3u);
  auto position = [&names](const std::string& name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  EXPECT_EQ(position("client") + 1, position("client|kill"));
  EXPECT_EQ(position("client|kill") + 1, position("client|list"));
  EXPECT_LT(position("bitfield"), position("zunionstore"));
}

TEST_F(CommandTableTest, FlagsLegacyRangeAndMovableKeys) {
  struct Case {
    const char* name;
    int first, last, step;
    bool movable;
  };
  for (const Case& c :
       {Case{"get", 1, 1, 1, false}, Case{"mset", 1, -1, 2, false}, Case{"exists", 1, -1, 1, false},
        Case{"copy", 1, 2, 1, false}, Case{"set", 1, 1, 1, false},
        Case{"zunionstore", 1, 1, 1, true}, Case{"migrate", 3, 3, 1, true},
        Case{"xread", 0, 0, 0, true}, Case{"sort", 1, 1, 1, true}, Case{"eval", 0, 0, 0, true},
        Case{"client|kill", 0, 0, 0, false}}) {
    const CommandSpec& spec = Spec(c.name);
    EXPECT_EQ(spec.first_key, c.first) << c.name;
    EXPECT_EQ(spec.last_key, c.last) << c.name;
    EXPECT_EQ(spec.key_step, c.step) << c.name;
    EXPECT_EQ(spec.HasFlag(CommandFlag::kMovableKeys), c.movable) << c.name;
  }
  EXPECT_TRUE(Spec("get").HasFlag(CommandFlag::kReadonly));
  EXPECT_TRUE(Spec("get").HasFlag(CommandFlag::kFast));
  EXPECT_TRUE(Spec("set").HasFlag(CommandFlag::kWrite));
  EXPECT_TRUE(Spec("set").HasFlag(CommandFlag::kDenyOom));
  EXPECT_TRUE(Spec("client|kill").HasFlag(CommandFlag::kAdmin));
  EXPECT_EQ(Spec("xread").tips.size(), 0u);
  EXPECT_EQ(Spec("migrate").tips, std::vector<std::string>{"nondeterministic_output"});
  EXPECT_EQ(Spec("get").group, "string");
  EXPECT_EQ(Spec("zunionstore").group, "sorted-set");  // "sorted_set" in the facts
}

TEST_F(CommandTableTest, AclCategoriesIncludeImplicitOnes) {
  auto names = [this](const char* command) {
    return ReplyNamesOf(Spec(command).acl_categories, AclCategoryNames());
  };
  using Names = std::vector<std::string_view>;
  EXPECT_EQ(names("get"), (Names{"read", "string", "fast"}));
  EXPECT_EQ(names("set"), (Names{"write", "string", "slow"}));
  EXPECT_EQ(names("client|kill"), (Names{"admin", "slow", "dangerous", "connection"}));
  EXPECT_EQ(names("xread"), (Names{"read", "stream", "slow", "blocking"}));
  EXPECT_EQ(names("client"), (Names{"slow"}));
  EXPECT_EQ(names("spublish"), (Names{"pubsub", "fast"}));
  EXPECT_EQ(AclCategoryByName("SortedSet"), Bit(AclCategory::kSortedSet));
  EXPECT_EQ(AclCategoryByName("nosuch"), 0u);
}

TEST_F(CommandTableTest, KeyPositionsFromIndexAndRangeSpecs) {
  EXPECT_EQ(Keys({"GET", "k"}), Positions({1}));
  EXPECT_EQ(Keys({"SET", "k", "v", "EX", "10"}), Positions({1}));
  EXPECT_EQ(Keys({"MSET", "a", "1", "b", "2", "c", "3"}), Positions({1, 3, 5}));
  EXPECT_EQ(Keys({"COPY", "src", "dst", "REPLACE"}), Positions({1, 2}));
  // Negative lastkey: up to the last argument.
  EXPECT_EQ(Keys({"EXISTS", "a", "b", "c"}), Positions({1, 2, 3}));
  EXPECT_EQ(Keys({"DEL", "a"}), Positions({1}));
  EXPECT_EQ(Keys({"getdel", "a"}), Positions({1}));
}

TEST_F(CommandTableTest, KeyPositionsFromKeynumSpecs) {
  EXPECT_EQ(Keys({"ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"}), Positions({1, 3, 4}));
  EXPECT_EQ(Keys({"ZUNIONSTORE", "d", "0", "a"}), Positions{});
  EXPECT_EQ(Keys({"ZUNIONSTORE", "d", "5", "a"}), Positions{});
  EXPECT_EQ(Keys({"ZUNIONSTORE", "d", "x", "a"}), Positions{});
  EXPECT_EQ(Keys({"ZUNIONSTORE", "d", "-1", "a"}), Positions{});
  EXPECT_EQ(Keys({"EVAL", "return 1", "2", "k1", "k2", "arg"}), Positions({3, 4}));
  EXPECT_EQ(Keys({"EVAL", "return 1", "0"}), Positions{});
}

TEST_F(CommandTableTest, KeyPositionsFromKeywordSpecs) {
  // XREAD: STREAMS then keys, then as many IDs (limit 2 halves what follows the keyword).
  EXPECT_EQ(Keys({"XREAD", "COUNT", "1", "streams", "a", "b", "0", "0"}), Positions({4, 5}));
  EXPECT_EQ(Keys({"XREAD", "STREAMS", "a", "b", "1"}), Positions({2}));
  EXPECT_EQ(Keys({"XREAD", "COUNT", "1", "BLOCK"}), Positions{});
  // MIGRATE: a KEYS search that starts from the end; its spec is incomplete, so the native
  // parser decides.
  EXPECT_EQ(Keys({"MIGRATE", "h", "1", "", "0", "0", "COPY", "KEYS", "a", "b"}), Positions({8, 9}));
  EXPECT_EQ(Keys({"MIGRATE", "h", "1", "k", "0", "0"}), Positions({3}));
  EXPECT_EQ(Keys({"MIGRATE", "h", "1", "k", "0", "0", "KEYS", "a"}), Positions{});
  EXPECT_EQ(Keys({"MIGRATE", "h", "1", "", "0", "0", "AUTH", "keys", "KEYS", "a"}), Positions({9}));

  std::vector<std::string> args = {"MIGRATE", "h", "1", "", "0", "0", "KEYS", "a", "b"};
  std::vector<KeyReference> keys;
  EXPECT_FALSE(GetKeysUsingKeySpecs(Spec("migrate"), args, {}, &keys));
  EXPECT_TRUE(keys.empty());
  EXPECT_TRUE(GetKeysUsingKeySpecs(Spec("migrate"), args, {false, true}, &keys));
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].position, 3u);
  EXPECT_EQ(keys[1].position, 7u);
  EXPECT_EQ(keys[2].position, 8u);
  EXPECT_TRUE(keys[2].flags & Bit(KeySpecFlag::kIncomplete));
}

TEST_F(CommandTableTest, NativeKeyParsersAndFlags) {
  EXPECT_EQ(Keys({"SORT", "k", "BY", "store", "LIMIT", "0", "1", "STORE", "d"}), Positions({1, 8}));
  EXPECT_EQ(Keys({"SORT", "k", "STORE", "d1", "STORE", "d2"}), Positions({1, 5}));
  EXPECT_EQ(Keys({"SORT", "k", "STORE"}), Positions({1}));

  std::vector<KeyReference> keys;
  std::vector<std::string> set_get = {"SET", "k", "v", "get"};
  GetCommandKeys(Spec("set"), set_get, &keys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(ReplyNamesOf(keys[0].flags, KeySpecFlagNames()),
            (std::vector<std::string_view>{"RW", "access", "update"}));
  std::vector<std::string> set_plain = {"SET", "k", "v"};
  GetCommandKeys(Spec("set"), set_plain, &keys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].flags, Bit(KeySpecFlag::kOW) | Bit(KeySpecFlag::kUpdate));

  std::vector<std::string> bitfield_read = {"BITFIELD", "k", "GET", "u8", "0"};
  GetCommandKeys(Spec("bitfield"), bitfield_read, &keys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].flags, Bit(KeySpecFlag::kRO) | Bit(KeySpecFlag::kAccess));
  std::vector<std::string> bitfield_write = {"BITFIELD", "k",  "GET", "u8", "0",
                                             "SET",      "u8", "0",   "1"};
  GetCommandKeys(Spec("bitfield"), bitfield_write, &keys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].flags & Bit(KeySpecFlag::kUpdate));
}

TEST_F(CommandTableTest, NotKeySpecs) {
  EXPECT_FALSE(CommandHasKeys(Spec("spublish")));
  EXPECT_EQ(Keys({"SPUBLISH", "channel", "message"}), Positions{});
  std::vector<std::string> args = {"SPUBLISH", "channel", "message"};
  std::vector<KeyReference> keys;
  EXPECT_TRUE(GetKeysUsingKeySpecs(Spec("spublish"), args, {true, false}, &keys));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].position, 1u);
  EXPECT_TRUE(CommandHasKeys(Spec("get")));
  EXPECT_FALSE(CommandHasKeys(Spec("client|kill")));
}

TEST(CommandTableBuildTest, RejectsBadRegistrations) {
  struct Case {
    std::vector<const char*> names;
    const char* error;
  };
  for (const Case& c : {
           Case{{"GET", "NOSUCHCOMMAND"}, "no Redis 7.0 command facts for 'NOSUCHCOMMAND'"},
           Case{{"GET", "get"}, "command 'GET' registered twice"},
           Case{{"CLIENT KILL", "client kill"}, "command 'CLIENT KILL' registered twice"},
           Case{{"CLIENT NOPE"}, "no Redis 7.0 command facts for 'CLIENT NOPE'"},
           // COMMAND's arity allows a call without a subcommand: it needs its own handler.
           Case{{"COMMAND COUNT"},
                "container 'command' can be called without a subcommand but has no handler "
                "for that"},
       }) {
    CommandTable table;
    for (const char* name : c.names) table.Add(name, Other);
    std::string error;
    EXPECT_FALSE(table.Build(&error));
    EXPECT_EQ(error, c.error);
  }
  CommandTable table;
  table.Add("GET", nullptr);
  std::string error;
  EXPECT_FALSE(table.Build(&error));
  EXPECT_EQ(error, "command 'GET' registered without a handler");
}

TEST(CommandTableBuildTest, RejectsBadFacts) {
  struct Case {
    const char* json;
    const char* error;
  };
  for (const Case& c : {
           Case{"[1]", "the command facts are not a JSON object"},
           Case{"{\"GET\": {\"arity\": 2,}}",
                "cannot parse the command facts: JSON error at offset 20: expected a string "
                "key"},
           Case{"{\"GET\": {\"arity\": \"2\"}}",
                "bad command facts for 'GET': 'arity' must be "
                "an integer"},
           Case{"{\"GET\": {\"arity\": 2, \"command_flags\": [\"FLY\"]}}",
                "bad command facts for 'GET': unknown name 'FLY' in command_flags"},
           Case{"{\"GET\": {\"arity\": 2, \"key_specs\": [{\"begin_search\": {\"at\": {}}, "
                "\"find_keys\": {\"unknown\": null}}]}}",
                "bad command facts for 'GET': unknown begin_search type 'at'"},
       }) {
    CommandTable table(c.json);
    table.Add("GET", Other);
    std::string error;
    EXPECT_FALSE(table.Build(&error)) << c.json;
    EXPECT_EQ(error, c.error);
  }
}

TEST_F(CommandTableTest, CommandInfoReplyMatchesRedis) {
  const std::string key_spec_tail =
      "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
      "index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n"
      "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n";
  EXPECT_EQ(Encode(3, [this](ReplyBuilder* r) { ReplyCommandInfo(&Spec("get"), r); }),
            "*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n"
            "+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n"
            "+access\r\n" +
                key_spec_tail + "~0\r\n");
  EXPECT_EQ(Encode(3, [this](ReplyBuilder* r) { ReplyCommandInfo(&Spec("client|kill"), r); }),
            "*10\r\n$11\r\nclient|kill\r\n:-3\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n"
            "+stale\r\n:0\r\n:0\r\n:0\r\n~4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n"
            "+@connection\r\n~0\r\n~0\r\n~0\r\n");
  EXPECT_EQ(Encode(2, [this](ReplyBuilder* r) { ReplyCommandInfo(nullptr, r); }), "$-1\r\n");
  std::string migrate =
      Encode(2, [this](ReplyBuilder* r) { ReplyCommandInfo(&Spec("migrate"), r); });
  EXPECT_TRUE(migrate.starts_with(
      "*10\r\n$7\r\nmigrate\r\n:-6\r\n*2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n:1\r\n"
      "*4\r\n+@keyspace\r\n"))
      << migrate;
  EXPECT_NE(migrate.find("*1\r\n$23\r\nnondeterministic_output\r\n*2\r\n"), std::string::npos);

  // COMMAND INFO: every top-level command, or the named ones with nulls for unknown names.
  std::vector<std::string> args = {"COMMAND", "INFO", "get", "nosuch", "CLIENT"};
  std::string info = Encode(3, [&](ReplyBuilder* r) { CommandInfoReply(table_, args, r); });
  EXPECT_EQ(info.substr(0, 16), "*3\r\n*10\r\n$3\r\nget");
  EXPECT_NE(info.find("_\r\n*10\r\n$6\r\nclient\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n"
                      "~0\r\n~0\r\n*2\r\n*10\r\n$11\r\nclient|kill\r\n"),
            std::string::npos);
  std::vector<std::string> all = {"COMMAND"};
  EXPECT_EQ(Encode(2, [&](ReplyBuilder* r) { CommandInfoReply(table_, all, r); }).substr(0, 5),
            "*16\r\n");
}

TEST_F(CommandTableTest, CommandDocsReply) {
  std::vector<std::string> args = {"COMMAND", "DOCS", "get", "get|x", "nosuch"};
  EXPECT_EQ(Encode(3, [&](ReplyBuilder* r) { CommandDocsReply(table_, args, r); }),
            "%1\r\n$3\r\nget\r\n%3\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
            "$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
            "$14\r\nkey_spec_index\r\n:0\r\n");
  // Nested arguments, tokens, since and flags, in Redis's field order.
  std::string migrate =
      Encode(3, [this](ReplyBuilder* r) { ReplyCommandDocs(Spec("migrate"), r); });
  EXPECT_NE(migrate.find("%6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
                         "$14\r\nkey_spec_index\r\n:1\r\n$5\r\ntoken\r\n$4\r\nKEYS\r\n$5\r\nsince"
                         "\r\n$5\r\n3.0.6\r\n$5\r\nflags\r\n~2\r\n+optional\r\n+multiple\r\n"),
            std::string::npos);
  EXPECT_NE(migrate.find("%4\r\n$4\r\nname\r\n$14\r\nauthentication\r\n$4\r\ntype\r\n$5\r\noneof"
                         "\r\n$5\r\nflags\r\n~1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n"),
            std::string::npos);
  // A container's docs hold its (registered) subcommands as a map.
  std::string client = Encode(2, [this](ReplyBuilder* r) { ReplyCommandDocs(Spec("client"), r); });
  EXPECT_NE(client.find("$11\r\nsubcommands\r\n*4\r\n$11\r\nclient|kill\r\n"), std::string::npos);
}

TEST_F(CommandTableTest, CommandListReply) {
  auto list = [this](std::vector<std::string> args) {
    return Encode(2, [&](ReplyBuilder* r) { CommandListReply(table_, args, r); });
  };
  EXPECT_EQ(list({"COMMAND", "LIST", "FILTERBY", "pattern", "CLIENT*"}),
            "*3\r\n$6\r\nclient\r\n$11\r\nclient|kill\r\n$11\r\nclient|list\r\n");
  EXPECT_EQ(list({"COMMAND", "LIST", "filterby", "ACLCAT", "stream"}), "*1\r\n$5\r\nxread\r\n");
  EXPECT_EQ(list({"COMMAND", "LIST", "FILTERBY", "aclcat", "nosuch"}), "*0\r\n");
  EXPECT_EQ(list({"COMMAND", "LIST", "FILTERBY", "MODULE", "x"}), "*0\r\n");
  EXPECT_EQ(list({"COMMAND", "LIST"}).substr(0, 5), "*21\r\n");
  for (std::vector<std::string> bad : {std::vector<std::string>{"COMMAND", "LIST", "x"},
                                       {"COMMAND", "LIST", "FILTERBY", "aclcat"},
                                       {"COMMAND", "LIST", "FILTERBY", "foo", "x"},
                                       {"COMMAND", "LIST", "FILTERBY", "module", "a", "b"}}) {
    EXPECT_EQ(list(bad), "-ERR syntax error\r\n");
  }
}

TEST_F(CommandTableTest, CommandGetKeysReply) {
  auto getkeys = [this](std::vector<std::string> args, bool flags = false) {
    return Encode(2, [&](ReplyBuilder* r) { CommandGetKeysReply(table_, args, flags, r); });
  };
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"}, true),
            "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "eval", "return 1", "0"}), "*0\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "nosuch", "a"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "client", "kill", "x"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "spublish", "a", "b"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "zunionstore", "d", "0", "a"}),
            "-ERR Invalid arguments specified for command\r\n");
  EXPECT_EQ(getkeys({"COMMAND", "GETKEYS", "migrate", "h", "p", "k", "0", "0", "keys", "a"}),
            "-ERR Invalid arguments specified for command\r\n");
}

TEST(JsonTest, ParsesEveryKindOfValue) {
  JsonValue value;
  std::string error;
  ASSERT_TRUE(ParseJson(
      " {\"a\": [1, -2.5e1, 0, true, false, null], \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t"
      "\\u00e9\\u20AC\\ud83d\\ude00\", \"o\": {}, \"e\": [], \"big\": 12345678901234567890} ",
      &value, &error))
      << error;
  ASSERT_TRUE(value.is_object());
  const JsonValue* a = value.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->array.size(), 6u);
  EXPECT_TRUE(a->array[0].is_integer());
  EXPECT_EQ(a->array[0].integer, 1);
  EXPECT_FALSE(a->array[1].is_integer());
  EXPECT_EQ(a->array[1].number, -25.0);
  EXPECT_TRUE(a->array[2].is_integer());
  EXPECT_TRUE(a->array[3].is_bool() && a->array[3].boolean);
  EXPECT_TRUE(a->array[4].is_bool() && !a->array[4].boolean);
  EXPECT_TRUE(a->array[5].is_null());
  EXPECT_EQ(value.Find("s")->string, "q\"\\/\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_TRUE(value.Find("o")->is_object());
  EXPECT_TRUE(value.Find("e")->is_array());
  EXPECT_TRUE(value.Find("big")->is_number());
  EXPECT_FALSE(value.Find("big")->is_integer());  // beyond int64
  EXPECT_EQ(value.Find("missing"), nullptr);
}

TEST(JsonTest, ReportsErrorsWithOffsets) {
  struct Case {
    std::string text;
    const char* error;
  };
  for (const Case& c : {
           Case{"", "JSON error at offset 0: unexpected end of input"},
           Case{"[1,]", "JSON error at offset 3: invalid value"},
           Case{"{\"a\":1,}", "JSON error at offset 7: expected a string key"},
           Case{"{\"a\" 1}", "JSON error at offset 5: expected ':'"},
           Case{"[1 2]", "JSON error at offset 3: expected ',' or ']'"},
           Case{"01", "JSON error at offset 1: leading zero in number"},
           Case{"1.", "JSON error at offset 2: expected digits after '.'"},
           Case{"1e", "JSON error at offset 2: expected digits in exponent"},
           Case{"\"abc", "JSON error at offset 4: unterminated string"},
           Case{"\"a\\x\"", "JSON error at offset 3: invalid escape"},
           Case{"\"\\u12G4\"", "JSON error at offset 6: invalid hex digit in \\u escape"},
           Case{"\"\\ud83d\"", "JSON error at offset 7: unpaired high surrogate"},
           Case{"\"\\ude00\"", "JSON error at offset 7: unpaired low surrogate"},
           Case{std::string("\"a\nb\""), "JSON error at offset 2: control character in string"},
           Case{"tru", "JSON error at offset 0: invalid literal"},
           Case{"[] x", "JSON error at offset 3: unexpected trailing characters"},
           Case{"{\"k\":1,\"k\":2}", "JSON error at offset 13: duplicate object key"},
           Case{"1e999", "JSON error at offset 5: number out of range"},
           Case{std::string(300, '['), "JSON error at offset 257: nesting too deep"},
       }) {
    JsonValue value;
    std::string error;
    EXPECT_FALSE(ParseJson(c.text, &value, &error)) << c.text;
    EXPECT_EQ(error, c.error) << c.text;
  }
}

TEST(JsonTest, ParsesTheEmbeddedFacts) {
  JsonValue facts;
  std::string error;
  ASSERT_TRUE(ParseJson(kCommandFactsJson, &facts, &error)) << error;
  const JsonValue* kill = facts.Find("CLIENT KILL");
  ASSERT_NE(kill, nullptr);
  EXPECT_EQ(kill->Find("container")->string, "CLIENT");
  EXPECT_EQ(kill->Find("arity")->integer, -3);
  // The MIGRATE token for an empty key is the two characters "".
  const JsonValue& migrate_key = facts.Find("MIGRATE")->Find("arguments")->array[2];
  EXPECT_EQ(migrate_key.Find("arguments")->array[1].Find("token")->string, "\"\"");
}

}  // namespace
}  // namespace cairn
