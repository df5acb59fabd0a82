// The table of Cairn's configuration options (name, aliases, type, default, limits,
// mutability, one line of documentation) and how each type of option parses its arguments,
// shows its value (CONFIG GET) and writes itself back into a file (CONFIG REWRITE).
// Pure data and text: Config (config.h) owns the live values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// Index of every option in the table; typed accessors in Config use it.
enum class OptionId : size_t {
  kBind,
  kPort,
  kDir,
  kWorkers,
  kDatabases,
  kMaxclients,
  kTimeout,
  kTcpKeepalive,
  kTcpBacklog,
  kRequirepass,
  kLoglevel,
  kLogfile,
  kPidfile,
  kDaemonize,
  kAppendonly,
  kAppendfsync,
  kSave,
  kCheckpointKeep,
  kMinFreeDisk,
  kCompression,
  kProtoMaxBulkLen,
  kClientQueryBufferLimit,
  kClientOutputBufferLimit,
  kMaxmemory,
  kMaxmemoryPolicy,
  kHotCacheShare,
  kBlockCacheShare,
  kLfuLogFactor,
  kLfuDecayTime,
  kHz,
  kSlowlogLogSlowerThan,
  kSlowlogMaxLen,
  kNotifyKeyspaceEvents,
  kHashMaxListpackEntries,
  kHashMaxListpackValue,
  kSetMaxIntsetEntries,
  kZsetMaxListpackEntries,
  kZsetMaxListpackValue,
  kListMaxListpackSize,
  kListCompressDepth,
  kCount,
};
inline constexpr size_t kOptionCount = static_cast<size_t>(OptionId::kCount);

enum class OptionType {
  kBool,                // yes|no
  kInteger,             // Redis's strict integer syntax, within [min, max]
  kMemory,              // bytes with an optional unit, within [min, max]
  kEnum,                // one of enum_names, any case
  kString,              // any bytes
  kAddressList,         // several words (bind)
  kSaveRules,           // "<seconds> <changes>" pairs, "" for none (save)
  kOutputBufferLimits,  // "<class> <hard> <soft> <soft seconds>" groups
  kKeyspaceEvents,      // Redis's event class letters (notify-keyspace-events)
};

struct OptionSpec {
  OptionId id;
  std::string_view name;
  std::vector<std::string_view> aliases = {};
  OptionType type;
  std::string_view default_value;  // as written in a config file
  int64_t min = 0;                 // kInteger/kMemory bounds, inclusive
  int64_t max = 0;
  std::vector<std::string_view> enum_names = {};  // kEnum, in Redis's order (its error lists them)
  bool mutable_at_runtime = true;
  // Accepted values outside [clamp_min, clamp_max] are stored clamped (Redis does it to hz).
  int64_t clamp_min = INT64_MIN;
  int64_t clamp_max = INT64_MAX;
  std::string_view doc;
};

// Every option, in OptionId order.
const std::vector<OptionSpec>& AllOptions();
const OptionSpec& OptionSpecFor(OptionId id);
// By name or alias, any case; null if there is none.
const OptionSpec* FindOption(std::string_view name);
// Options whose single config-file argument is split into several (bind "a b").
bool IsMultiArgOption(const OptionSpec& spec);

// A parsed value. text is the canonical form CONFIG GET shows; number holds bools (0/1),
// integers, bytes, enum indexes and event flags; numbers holds the save pairs and the
// client-output-buffer-limit triples; words holds bind's addresses.
struct OptionValue {
  std::string text;
  int64_t number = 0;
  std::vector<int64_t> numbers;
  std::vector<std::string> words;
};

// notify-keyspace-events flags, with Redis's NOTIFY_* bit values.
enum KeyspaceEventFlag : int64_t {
  kNotifyKeyspace = 1 << 0,  // K
  kNotifyKeyevent = 1 << 1,  // E
  kNotifyGeneric = 1 << 2,   // g
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZset = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x
  kNotifyEvicted = 1 << 9,   // e
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m
  kNotifyModule = 1 << 13,   // d
  kNotifyNew = 1 << 14,      // n
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,  // A
};

// Client classes of client-output-buffer-limit, in Redis's order.
inline constexpr size_t kOutputBufferClassCount = 3;  // normal, replica (slave), pubsub

// Parses the arguments of a directive into *value, or fails with Redis's message in *error.
// current is the live value: client-output-buffer-limit only changes the classes it names.
bool ParseOptionValue(const OptionSpec& spec, const std::vector<std::string>& args,
                      const OptionValue& current, OptionValue* value, std::string* error);

// Rebuilds value->text from value->numbers (save pairs appended while loading a file).
void FormatSaveRules(OptionValue* value);

// A line CONFIG REWRITE writes; force means "append it even if the file lacks the option",
// which is the case when the value differs from the default (save: always, as in Redis).
struct RewriteLine {
  std::string text;
  bool force;
};
std::vector<RewriteLine> RewriteLinesFor(const OptionSpec& spec, const OptionValue& value,
                                         const OptionValue& default_value);

}  // namespace cairn
