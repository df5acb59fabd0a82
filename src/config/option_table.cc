// The option table: every configuration option Cairn knows, with Redis 7.0's names,
// defaults, limits and mutability unless the doc line says Cairn differs.
#include <climits>

#include "src/config/config_text.h"
#include "src/config/options.h"

namespace cairn {

namespace {

constexpr int64_t kIntMax = INT_MAX;
constexpr int64_t kInt64Max = INT64_MAX;
constexpr int64_t kMb = 1024 * 1024;

std::vector<OptionSpec> BuildOptions() {
  using T = OptionType;
  using I = OptionId;
  return {
      {.id = I::kBind,
       .name = "bind",
       .type = T::kAddressList,
       .default_value = "127.0.0.1",
       .doc = "Addresses to listen on; a leading '-' makes an address optional."},
      {.id = I::kPort,
       .name = "port",
       .type = T::kInteger,
       .default_value = "6379",
       .min = 0,
       .max = 65535,
       .doc = "TCP port to accept connections on."},
      {.id = I::kDir,
       .name = "dir",
       .type = T::kString,
       .default_value = "./data",
       .mutable_at_runtime = false,
       .doc = "Data directory holding the RocksDB database and checkpoints (Cairn)."},
      {.id = I::kWorkers,
       .name = "workers",
       .type = T::kInteger,
       .default_value = "0",
       .min = 0,
       .max = 1024,
       .mutable_at_runtime = false,
       .doc = "Worker threads running connections; 0 means one per CPU core (Cairn)."},
      {.id = I::kDatabases,
       .name = "databases",
       .type = T::kInteger,
       .default_value = "16",
       .min = 1,
       .max = kIntMax,
       .mutable_at_runtime = false,
       .doc = "Number of logical databases (SELECT 0 .. databases-1)."},
      {.id = I::kMaxclients,
       .name = "maxclients",
       .type = T::kInteger,
       .default_value = "10000",
       .min = 1,
       .max = UINT_MAX,
       .doc = "Maximum number of connected clients."},
      {.id = I::kTimeout,
       .name = "timeout",
       .type = T::kInteger,
       .default_value = "0",
       .min = 0,
       .max = kIntMax,
       .doc = "Close idle client connections after N seconds; 0 never."},
      {.id = I::kTcpKeepalive,
       .name = "tcp-keepalive",
       .type = T::kInteger,
       .default_value = "300",
       .min = 0,
       .max = kIntMax,
       .doc = "TCP keepalive interval in seconds; 0 disables it."},
      {.id = I::kTcpBacklog,
       .name = "tcp-backlog",
       .type = T::kInteger,
       .default_value = "511",
       .min = 0,
       .max = kIntMax,
       .mutable_at_runtime = false,
       .doc = "listen() backlog of the TCP sockets."},
      {.id = I::kRequirepass,
       .name = "requirepass",
       .type = T::kString,
       .default_value = "",
       .doc = "Password clients must AUTH with; empty means no password."},
      {.id = I::kLoglevel,
       .name = "loglevel",
       .type = T::kEnum,
       .default_value = "notice",
       .enum_names = {"debug", "verbose", "notice", "warning", "nothing"},
       .doc = "Server log verbosity."},
      {.id = I::kLogfile,
       .name = "logfile",
       .type = T::kString,
       .default_value = "",
       .mutable_at_runtime = false,
       .doc = "Log file path; empty logs to standard output."},
      {.id = I::kPidfile,
       .name = "pidfile",
       .type = T::kString,
       .default_value = "",
       .mutable_at_runtime = false,
       .doc = "File to write the server's pid to; empty for none."},
      {.id = I::kDaemonize,
       .name = "daemonize",
       .type = T::kBool,
       .default_value = "no",
       .mutable_at_runtime = false,
       .doc = "Run in the background."},
      {.id = I::kAppendonly,
       .name = "appendonly",
       .type = T::kBool,
       .default_value = "yes",
       .doc = "Accepted for compatibility: RocksDB's write-ahead log is always on (Cairn)."},
      {.id = I::kAppendfsync,
       .name = "appendfsync",
       .type = T::kEnum,
       .default_value = "everysec",
       .enum_names = {"everysec", "always", "no"},
       .doc = "When the write-ahead log is synced to disk."},
      {.id = I::kSave,
       .name = "save",
       .type = T::kSaveRules,
       .default_value = "3600 1 300 100 60 10000",
       .doc = "Checkpoint after <seconds> if at least <changes> writes happened."},
      {.id = I::kProtoMaxBulkLen,
       .name = "proto-max-bulk-len",
       .type = T::kMemory,
       .default_value = "512mb",
       .min = kMb,
       .max = kInt64Max,
       .doc = "Largest bulk string a client may send."},
      {.id = I::kClientQueryBufferLimit,
       .name = "client-query-buffer-limit",
       .type = T::kMemory,
       .default_value = "1gb",
       .min = kMb,
       .max = kInt64Max,
       .doc = "Largest query buffer of one client."},
      {.id = I::kClientOutputBufferLimit,
       .name = "client-output-buffer-limit",
       .type = T::kOutputBufferLimits,
       .default_value = "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60",
       .doc = "Per client class: hard limit, soft limit and soft seconds of pending output."},
      {.id = I::kMaxmemory,
       .name = "maxmemory",
       .type = T::kMemory,
       .default_value = "0",
       .min = 0,
       .max = kInt64Max,
       .doc = "Memory bound in bytes; 0 means no bound."},
      {.id = I::kMaxmemoryPolicy,
       .name = "maxmemory-policy",
       .type = T::kEnum,
       .default_value = "noeviction",
       .enum_names = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                      "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"},
       .doc = "What to evict when maxmemory is reached."},
      {.id = I::kLfuLogFactor,
       .name = "lfu-log-factor",
       .type = T::kInteger,
       .default_value = "10",
       .min = 0,
       .max = kIntMax,
       .doc = "Logarithmic factor of the LFU access counter."},
      {.id = I::kLfuDecayTime,
       .name = "lfu-decay-time",
       .type = T::kInteger,
       .default_value = "1",
       .min = 0,
       .max = kIntMax,
       .doc = "Minutes after which the LFU access counter decays."},
      {.id = I::kHz,
       .name = "hz",
       .type = T::kInteger,
       .default_value = "10",
       .min = 0,
       .max = kIntMax,
       .clamp_min = 1,
       .clamp_max = 500,
       .doc = "Frequency of background tasks per second (stored within 1..500)."},
      {.id = I::kSlowlogLogSlowerThan,
       .name = "slowlog-log-slower-than",
       .type = T::kInteger,
       .default_value = "10000",
       .min = -1,
       .max = kInt64Max,
       .doc = "Log commands slower than N microseconds; -1 disables, 0 logs all."},
      {.id = I::kSlowlogMaxLen,
       .name = "slowlog-max-len",
       .type = T::kInteger,
       .default_value = "128",
       .min = 0,
       .max = kInt64Max,
       .doc = "Number of entries the slow log keeps."},
      {.id = I::kNotifyKeyspaceEvents,
       .name = "notify-keyspace-events",
       .type = T::kKeyspaceEvents,
       .default_value = "",
       .doc = "Keyspace event classes published over pub/sub; empty disables them."},
  };
}

}  // namespace

const std::vector<OptionSpec>& AllOptions() {
  static const std::vector<OptionSpec> options = BuildOptions();
  return options;
}

const OptionSpec& OptionSpecFor(OptionId id) { return AllOptions()[static_cast<size_t>(id)]; }

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : AllOptions()) {
    if (EqualsNoCase(spec.name, name)) return &spec;
    for (std::string_view alias : spec.aliases) {
      if (EqualsNoCase(alias, name)) return &spec;
    }
  }
  return nullptr;
}

bool IsMultiArgOption(const OptionSpec& spec) {
  return spec.type == OptionType::kAddressList || spec.type == OptionType::kSaveRules ||
         spec.type == OptionType::kOutputBufferLimits;
}

}  // namespace cairn
