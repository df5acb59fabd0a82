// Tests of the configuration: Redis's config text rules, loading files and command-line
// options (with Redis's error reports), CONFIG SET atomicity and hooks, CONFIG GET globs,
// CONFIG REWRITE round trips, and the shipped conf/cairn.conf.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "src/config/config.h"
#include "src/config/config_text.h"

namespace cairn {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/cairn-config-XXXXXX";
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string path = path_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string Read(const std::string& name) const {
    std::ifstream file(path_ + "/" + name, std::ios::binary);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
  }

 private:
  std::string path_;
};

std::string GetOne(const Config& config, const std::string& name) {
  Pairs pairs = config.Get({name});
  return pairs.size() == 1 ? pairs[0].second : "<" + std::to_string(pairs.size()) + " matches>";
}

std::string LoadError(const std::string& text, const std::vector<std::string>& arguments = {}) {
  TempDir dir;
  Config config;
  std::string error;
  EXPECT_FALSE(config.Load(dir.Write("c.conf", text), arguments, &error));
  return error;
}

std::string ArgumentsError(const std::vector<std::string>& arguments) {
  Config config;
  std::string error;
  EXPECT_FALSE(config.Load("", arguments, &error));
  return error;
}

std::string Fatal(int line, const std::string& text, const std::string& reason) {
  return "*** FATAL CONFIG FILE ERROR (Cairn 0.1.0) ***\nReading the configuration file, at "
         "line " +
         std::to_string(line) + "\n>>> '" + text + "'\n" + reason;
}

TEST(ConfigTextTest, SplitsLikeSdssplitargs) {
  std::vector<std::string> args;
  ASSERT_TRUE(SplitConfigArgs("  set  \"a b\" 'c d'  e\"f g\" ", &args));
  EXPECT_EQ(args, (std::vector<std::string>{"set", "a b", "c d", "ef g"}));
  ASSERT_TRUE(SplitConfigArgs(R"("\x41\n\t\"\\\q" 'it\'s')", &args));
  EXPECT_EQ(args, (std::vector<std::string>{"A\n\t\"\\q", "it's"}));
  ASSERT_TRUE(SplitConfigArgs("x \"\" ''", &args));
  EXPECT_EQ(args, (std::vector<std::string>{"x", "", ""}));
  ASSERT_TRUE(SplitConfigArgs("   ", &args));
  EXPECT_TRUE(args.empty());
  EXPECT_FALSE(SplitConfigArgs("port \"6379", &args));
  EXPECT_FALSE(SplitConfigArgs("port '6379", &args));
  EXPECT_FALSE(SplitConfigArgs("port \"63\"79", &args));  // closing quote then no blank
}

TEST(ConfigTextTest, QuotingRoundTrips) {
  std::string bytes = std::string("a \"b\"\\\n\r\t\a\b\x01\xff", 13);
  EXPECT_EQ(QuoteConfigValue(bytes), R"("a \"b\"\\\n\r\t\a\b\x01\xff")");
  std::vector<std::string> args;
  ASSERT_TRUE(SplitConfigArgs(QuoteConfigValue(bytes), &args));
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args[0], bytes);
}

TEST(ConfigTextTest, MemoryAndIntegers) {
  uint64_t bytes = 0;
  const std::pair<const char*, uint64_t> sizes[] = {
      {"0", 0},         {"17", 17},         {"1b", 1},           {"1k", 1000},
      {"1K", 1000},     {"1kb", 1024},      {"2KB", 2048},       {"1m", 1000000},
      {"3mb", 3 << 20}, {"1g", 1000000000}, {"1Gb", 1ull << 30}, {"", 0}};
  for (const auto& [text, expected] : sizes) {
    EXPECT_TRUE(ParseMemorySize(text, &bytes)) << text;
    EXPECT_EQ(bytes, expected) << text;
  }
  for (const char* bad : {"-1", "1x", "1 mb", " 1", "+1", "1kbb", "99999999999999999999gb"}) {
    EXPECT_FALSE(ParseMemorySize(bad, &bytes)) << bad;
  }
  int64_t number = 0;
  EXPECT_TRUE(ParseConfigInteger("-15", &number));
  EXPECT_EQ(number, -15);
  EXPECT_TRUE(ParseConfigInteger("0", &number));
  for (const char* bad : {"", "-", "01", "-0", "+1", " 1", "1 ", "1.0", "9223372036854775808"}) {
    EXPECT_FALSE(ParseConfigInteger(bad, &number)) << bad;
  }
  EXPECT_EQ(FormatMemorySize(0), "0");
  EXPECT_EQ(FormatMemorySize(1000), "1000");
  EXPECT_EQ(FormatMemorySize(2048), "2kb");
  EXPECT_EQ(FormatMemorySize(3 << 20), "3mb");
  EXPECT_EQ(FormatMemorySize(1ll << 30), "1gb");
}

TEST(ConfigTest, DefaultsInCanonicalForm) {
  Config config;
  EXPECT_EQ(config.port(), 6379);
  EXPECT_EQ(config.bind_addresses(), std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(config.dir(), "./data");
  EXPECT_EQ(config.workers(), 0);
  EXPECT_EQ(config.databases(), 16);
  EXPECT_EQ(config.loglevel(), "notice");
  EXPECT_EQ(config.appendfsync(), "everysec");
  EXPECT_TRUE(config.appendonly());
  EXPECT_FALSE(config.daemonize());
  EXPECT_EQ(config.proto_max_bulk_len(), 512 << 20);
  EXPECT_EQ(config.client_query_buffer_limit(), 1 << 30);
  EXPECT_EQ(config.maxmemory_policy(), "noeviction");
  EXPECT_EQ(config.hz(), 10);
  EXPECT_EQ(config.slowlog_log_slower_than(), 10000);
  EXPECT_EQ(config.notify_keyspace_events(), 0);
  EXPECT_EQ(config.config_file(), "");
  ASSERT_EQ(config.save_rules().size(), 3u);
  EXPECT_EQ(config.save_rules()[1].seconds, 300);
  EXPECT_EQ(config.save_rules()[1].changes, 100);
  OutputBufferLimit replica = config.output_buffer_limit(ClientClass::kReplica);
  EXPECT_EQ(replica.hard_bytes, 256u << 20);
  EXPECT_EQ(replica.soft_bytes, 64u << 20);
  EXPECT_EQ(replica.soft_seconds, 60);
  EXPECT_EQ(GetOne(config, "client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(GetOne(config, "save"), "3600 1 300 100 60 10000");
  EXPECT_EQ(GetOne(config, "proto-max-bulk-len"), "536870912");
  EXPECT_EQ(GetOne(config, "appendonly"), "yes");
  EXPECT_EQ(GetOne(config, "requirepass"), "");
  size_t names = 0;  // CONFIG GET * lists the aliases too, as Redis does
  for (const OptionSpec& spec : AllOptions()) names += 1 + spec.aliases.size();
  EXPECT_EQ(config.Get({"*"}).size(), names);
  for (size_t i = 0; i < AllOptions().size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(AllOptions()[i].id), i) << AllOptions()[i].name;
  }
}

TEST(ConfigTest, LoadsFileWithCommentsQuotesAndUnits) {
  TempDir dir;
  std::string path = dir.Write("c.conf",
                               "# a comment\n"
                               "\n"
                               "   PORT 7000   \r\n"
                               "bind 10.0.0.1 \"-::1\"\n"
                               "requirepass \"s3 cr\\x21t\"\n"
                               "maxmemory 2GB\n"
                               "loglevel WARNING\n"
                               "daemonize Yes\n"
                               "save 60 1\n"
                               "save \"120 5\"\n"
                               "client-output-buffer-limit pubsub 1mb 512kb 10\n"
                               "notify-keyspace-events Kmng$\n"
                               "hz 1000\n"
                               "dir '/var/lib/cairn'");
  Config config;
  std::string error;
  ASSERT_TRUE(config.Load(path, {}, &error)) << error;
  EXPECT_EQ(config.port(), 7000);
  EXPECT_EQ(config.bind_addresses(), (std::vector<std::string>{"10.0.0.1", "-::1"}));
  EXPECT_EQ(config.requirepass(), "s3 cr!t");
  EXPECT_EQ(config.maxmemory(), 2ll << 30);
  EXPECT_EQ(config.loglevel(), "warning");
  EXPECT_TRUE(config.daemonize());
  EXPECT_EQ(GetOne(config, "save"), "60 1 120 5");  // the first save line drops the defaults
  EXPECT_EQ(GetOne(config, "client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 10");
  EXPECT_EQ(GetOne(config, "notify-keyspace-events"), "g$nKm");
  EXPECT_EQ(config.notify_keyspace_events(),
            kNotifyGeneric | kNotifyString | kNotifyNew | kNotifyKeyspace | kNotifyKeyMiss);
  EXPECT_EQ(config.hz(), 500);
  EXPECT_EQ(config.dir(), "/var/lib/cairn");
  EXPECT_EQ(config.config_file(), std::filesystem::path(path).lexically_normal().string());
}

TEST(ConfigTest, SaveEmptyDisablesAndLaterLinesAdd) {
  TempDir dir;
  Config config;
  std::string error;
  ASSERT_TRUE(config.Load(dir.Write("c.conf", "save 10 1\nsave \"\"\nsave 60 1\n"),
                          {"--save", "80", "3"}, &error))
      << error;
  EXPECT_EQ(GetOne(config, "save"), "60 1 80 3");
  Config disabled;
  ASSERT_TRUE(disabled.Load("", {"--save", "--port", "1"}, &error)) << error;
  EXPECT_TRUE(disabled.save_rules().empty());
  EXPECT_EQ(disabled.port(), 1);
  Config last;
  ASSERT_TRUE(last.Load("", {"--save"}, &error)) << error;
  EXPECT_TRUE(last.save_rules().empty());
}

TEST(ConfigTest, FileErrorsNameTheLine) {
  EXPECT_EQ(LoadError("port 0\n\n# c\nport \"99999\"\n"),
            Fatal(4, "port \"99999\"", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(LoadError("foo bar\n"),
            Fatal(1, "foo bar", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(LoadError("port 1 2\n"), Fatal(1, "port 1 2", "wrong number of arguments"));
  EXPECT_EQ(LoadError("\n  port \"1\n"),
            Fatal(2, "port \"1", "Unbalanced quotes in configuration line"));
  EXPECT_EQ(LoadError("timeout 01"),
            Fatal(1, "timeout 01", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(LoadError("maxmemory 1x"), Fatal(1, "maxmemory 1x", "argument must be a memory value"));
  EXPECT_EQ(LoadError("daemonize maybe"),
            Fatal(1, "daemonize maybe", "argument must be 'yes' or 'no'"));
  EXPECT_EQ(LoadError("appendfsync sometimes"),
            Fatal(1, "appendfsync sometimes",
                  "argument(s) must be one of the following: everysec, always, no"));
  EXPECT_EQ(LoadError("proto-max-bulk-len 100"),
            Fatal(1, "proto-max-bulk-len 100",
                  "argument must be between 1048576 and 9223372036854775807 inclusive"));
  EXPECT_EQ(LoadError("save 1 2 3"), Fatal(1, "save 1 2 3", "Invalid save parameters"));
  EXPECT_EQ(LoadError("save 0 1"), Fatal(1, "save 0 1", "Invalid save parameters"));
  EXPECT_EQ(LoadError("client-output-buffer-limit master 1 2 3"),
            Fatal(1, "client-output-buffer-limit master 1 2 3",
                  "Invalid client class specified in buffer limit configuration."));
  EXPECT_EQ(LoadError("client-output-buffer-limit normal 1x 2 3"),
            Fatal(1, "client-output-buffer-limit normal 1x 2 3",
                  "Error in hard, soft or soft_seconds setting in buffer limit configuration."));
  EXPECT_EQ(LoadError("notify-keyspace-events Q"),
            Fatal(1, "notify-keyspace-events Q",
                  "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  Config config;
  std::string error;
  EXPECT_FALSE(config.LoadFile("/nonexistent/cairn.conf", &error));
  EXPECT_EQ(error,
            "Fatal error, can't open config file '/nonexistent/cairn.conf': No such file or "
            "directory");
}

TEST(ConfigTest, CommandLineOverridesAndContinuesLineNumbers) {
  TempDir dir;
  std::string path = dir.Write("c.conf", "port 7000\nloglevel debug\n");
  Config config;
  std::string error;
  ASSERT_TRUE(
      config.Load(path, {"--port", "7001", "--bind", "127.0.0.1", "::1", "--hz 20"}, &error))
      << error;
  EXPECT_EQ(config.port(), 7001);
  EXPECT_EQ(config.loglevel(), "debug");
  EXPECT_EQ(config.bind_addresses(), (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(config.hz(), 20);
  // Like redis-server: the arguments are appended to the file after a newline.
  EXPECT_EQ(LoadError("port 1\nport 2\n", {"--port", "99999"}),
            Fatal(4, "port \"99999\"", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(LoadError("port 1\nport 2", {"--port", "1", "--port", "99999"}),
            Fatal(4, "port \"99999\"", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(ArgumentsError({"--port", "99999"}),
            Fatal(2, "port \"99999\"", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(ArgumentsError({"--foo", "bar"}),
            Fatal(2, "foo \"bar\"", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(ArgumentsError({"--port"}), Fatal(2, "port", "wrong number of arguments"));
  // After a bare option name, an argument starting with "--" is its value.
  Config dashes;
  ASSERT_TRUE(dashes.Load("", {"--requirepass", "--secret", "--port", "5"}, &error)) << error;
  EXPECT_EQ(dashes.requirepass(), "--secret");
  EXPECT_EQ(dashes.port(), 5);
}

TEST(ConfigTest, SetChangesSeveralOptionsAtOnce) {
  Config config;
  std::string error;
  ASSERT_TRUE(config.Set({{"maxmemory", "10mb"},
                          {"LOGLEVEL", "Verbose"},
                          {"client-output-buffer-limit", "slave 1mb 2 3"},
                          {"save", ""},
                          {"bind", "0.0.0.0 ::"},
                          {"hz", "0"}},
                         &error))
      << error;
  EXPECT_EQ(config.maxmemory(), 10 << 20);
  EXPECT_EQ(GetOne(config, "maxmemory"), "10485760");
  EXPECT_EQ(config.loglevel(), "verbose");
  EXPECT_EQ(GetOne(config, "client-output-buffer-limit"),
            "normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60");
  EXPECT_EQ(config.output_buffer_limit(ClientClass::kReplica).soft_bytes, 2u);
  EXPECT_TRUE(config.save_rules().empty());
  EXPECT_EQ(config.bind_addresses(), (std::vector<std::string>{"0.0.0.0", "::"}));
  EXPECT_EQ(config.hz(), 1);
  ASSERT_TRUE(config.Set({{"maxmemory", ""}, {"client-output-buffer-limit", ""}}, &error));
  EXPECT_EQ(config.maxmemory(), 0);  // "" is 0 bytes in Redis too
  ASSERT_TRUE(config.Set({{"notify-keyspace-events", "An"}}, &error));
  EXPECT_EQ(GetOne(config, "notify-keyspace-events"), "A");
}

TEST(ConfigTest, SetErrorsFollowRedis) {
  Config config;
  std::string error;
  EXPECT_FALSE(config.Set({{"port", "1"}, {"foo", "2"}}, &error));
  EXPECT_EQ(error, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_FALSE(config.Set({{"maxmemory", "1x"}, {"foo", "2"}}, &error));
  EXPECT_EQ(error, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_FALSE(config.Set({{"daemonize", "yes"}, {"foo", "2"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_FALSE(config.Set({{"Port", "1"}, {"PORT", "2"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'PORT') - duplicate parameter");
  EXPECT_FALSE(config.Set({{"MAXMEMORY-policy", "x"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
            "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
            "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
            "noeviction");
  EXPECT_FALSE(config.Set({{"slowlog-log-slower-than", "-2"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - "
            "argument must be between -1 and 9223372036854775807 inclusive");
  EXPECT_FALSE(config.Set({{"save", "1  2"}}, &error));  // split at single spaces
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters");
  EXPECT_FALSE(config.Set({{"dir", "/tmp"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set immutable "
            "config");
}

TEST(ConfigTest, SetIsAllOrNothing) {
  Config config;
  std::string error;
  EXPECT_FALSE(config.Set({{"timeout", "30"}, {"maxclients", "0"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must "
            "be between 1 and 4294967295 inclusive");
  EXPECT_EQ(config.timeout(), 0);
  EXPECT_EQ(config.maxclients(), 10000);
}

TEST(ConfigTest, HooksRunOnChangeAndFailureRollsBack) {
  Config config;
  std::vector<std::string> seen;
  bool refuse_port = false;
  config.OnChange("timeout", [&](std::string*) {
    seen.push_back("timeout=" + std::to_string(config.timeout()));
    return true;
  });
  config.OnChange("port", [&](std::string* error) {
    seen.push_back("port=" + std::to_string(config.port()));
    if (refuse_port && config.port() == 7000) {
      *error = "Unable to listen on this port";
      return false;
    }
    return true;
  });
  std::string error;
  ASSERT_TRUE(config.Set({{"timeout", "0"}, {"port", "6380"}}, &error));
  EXPECT_EQ(seen, std::vector<std::string>{"port=6380"});  // timeout did not change
  seen.clear();
  refuse_port = true;
  EXPECT_FALSE(config.Set({{"timeout", "5"}, {"port", "7000"}, {"hz", "20"}}, &error));
  EXPECT_EQ(error,
            "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
            "this port");
  EXPECT_EQ(config.timeout(), 0);
  EXPECT_EQ(config.port(), 6380);
  EXPECT_EQ(config.hz(), 10);
  // The hooks that ran see the restored values again.
  EXPECT_EQ(seen, (std::vector<std::string>{"timeout=5", "port=7000", "timeout=0", "port=6380"}));
}

TEST(ConfigTest, GetMatchesGlobsAndExactNames) {
  Config config;
  EXPECT_EQ(config.Get({"PORT"}), (Pairs{{"PORT", "6379"}}));
  EXPECT_EQ(config.Get({"port", "PORT", "p?rt"}), (Pairs{{"port", "6379"}}));
  EXPECT_EQ(config.Get({"nonexistent", "zz*"}), Pairs{});
  Pairs lfu = config.Get({"LFU-*"});
  EXPECT_EQ(lfu, (Pairs{{"lfu-log-factor", "10"}, {"lfu-decay-time", "1"}}));
  Pairs several = config.Get({"*max*len*", "[pt]ort"});
  EXPECT_EQ(
      several,
      (Pairs{{"proto-max-bulk-len", "536870912"}, {"slowlog-max-len", "128"}, {"port", "6379"}}));
}

TEST(ConfigTest, RewriteWithoutFileFails) {
  Config config;
  std::string error;
  EXPECT_FALSE(config.Rewrite(&error));
  EXPECT_EQ(error, "ERR The server is running without a config file");
}

TEST(ConfigTest, RewriteKeepsLayoutAndRoundTrips) {
  TempDir dir;
  std::string path = dir.Write("c.conf",
                               "# Cairn\n"
                               "port 7000\n"
                               "\n"
                               "# the saves\n"
                               "save 100 1\n"
                               "save 200 2\n"
                               "  maxmemory 1mb\n"
                               "port 7001\n"
                               "loglevel verbose\n");
  Config config;
  std::string error;
  ASSERT_TRUE(config.Load(path, {}, &error)) << error;
  ASSERT_TRUE(config.Set({{"save", "300 3"},
                          {"maxmemory", "3mb"},
                          {"requirepass", "p \"w\""},
                          {"client-output-buffer-limit", "normal 1kb 2 3"},
                          {"loglevel", "notice"},
                          {"notify-keyspace-events", "Ex"}},
                         &error))
      << error;
  // Someone edits the file meanwhile: the unknown line is kept as a comment.
  std::ofstream(path, std::ios::app) << "frobnicate yes\n";
  ASSERT_TRUE(config.Rewrite(&error)) << error;
  EXPECT_EQ(dir.Read("c.conf"),
            "# Cairn\n"
            "port 7001\n"
            "\n"
            "# the saves\n"
            "save 300 3\n"
            "\n"
            "maxmemory 3mb\n"
            "\n"  // the second port line, blanked
            "loglevel notice\n"
            "# ??? frobnicate yes\n"
            "\n"
            "# Generated by CONFIG REWRITE\n"
            "requirepass \"p \\\"w\\\"\"\n"
            "client-output-buffer-limit normal 1kb 2 3\n"
            "notify-keyspace-events \"xE\"\n");
  Config reloaded;
  ASSERT_TRUE(reloaded.Load(path, {}, &error)) << error;
  EXPECT_EQ(reloaded.Get({"*"}), config.Get({"*"}));
  // A second rewrite changes nothing.
  ASSERT_TRUE(reloaded.Rewrite(&error)) << error;
  std::string once = dir.Read("c.conf");
  ASSERT_TRUE(reloaded.Rewrite(&error)) << error;
  EXPECT_EQ(dir.Read("c.conf"), once);
}

TEST(ConfigTest, RewriteDisabledSaveAndMissingFile) {
  TempDir dir;
  std::string path = dir.Write("c.conf", "port 7000\n");
  Config config;
  std::string error;
  ASSERT_TRUE(config.Load(path, {"--save", ""}, &error)) << error;
  std::filesystem::remove(path);
  ASSERT_TRUE(config.Rewrite(&error)) << error;
  EXPECT_EQ(dir.Read("c.conf"), "# Generated by CONFIG REWRITE\nport 7000\nsave \"\"\n");
  Config reloaded;
  ASSERT_TRUE(reloaded.Load(path, {}, &error)) << error;
  EXPECT_TRUE(reloaded.save_rules().empty());
}

TEST(ConfigTest, ReadersSeeWholeValuesWhileSetRuns) {
  Config config;
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop.load()) {
      std::string pass = config.requirepass();
      if (pass != "" && pass != std::string(64, 'x')) bad++;
      int64_t timeout = config.timeout();
      if (timeout != 0 && timeout != 77) bad++;
    }
  });
  std::string error;
  for (int i = 0; i < 2000; ++i) {
    bool odd = i % 2 != 0;
    ASSERT_TRUE(config.Set(
        {{"requirepass", odd ? std::string(64, 'x') : ""}, {"timeout", odd ? "77" : "0"}}, &error));
  }
  stop = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
}

std::string ShippedConfPath() {
#ifdef CAIRN_SOURCE_DIR
  return std::string(CAIRN_SOURCE_DIR) + "/conf/cairn.conf";
#else
  // This file is tests/unit/server_config_test.cc; CMake passes absolute source paths.
  std::filesystem::path source(__FILE__);
  if (!source.is_absolute()) return "";
  return (source.parent_path().parent_path().parent_path() / "conf" / "cairn.conf").string();
#endif
}

TEST(ConfigTest, ShippedConfLoadsAndSetsEveryOptionToItsDefault) {
  std::string path = ShippedConfPath();
  if (path.empty() || !std::filesystem::exists(path)) {
    GTEST_SKIP() << "conf/cairn.conf not found (no CAIRN_SOURCE_DIR, relative __FILE__)";
  }
  Config config;
  std::string error;
  ASSERT_TRUE(config.Load(path, {}, &error)) << error;
  EXPECT_EQ(config.Get({"*"}), Config().Get({"*"}));
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const OptionSpec& spec : AllOptions()) {
    std::string directive = "\n";
    directive += spec.name;
    directive += ' ';
    EXPECT_NE(text.find(directive), std::string::npos)
        << spec.name << " is not set in conf/cairn.conf";
  }
}

}  // namespace
}  // namespace cairn
