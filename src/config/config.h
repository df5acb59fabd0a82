// Config: the live configuration of a cairn-server. Loaded at start-up from the config file
// and the command line the way redis-server does it, changed at runtime by CONFIG SET,
// listed by CONFIG GET and written back by CONFIG REWRITE. Options are described in
// options.h; conf/cairn.conf documents each one.
//
// Thread safety: Load/LoadFile/ApplyArguments run before the server starts its threads.
// Everything else may be called from any thread. Numbers, booleans and enums are atomics;
// strings and lists are copied out under a shared lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/config/options.h"

namespace cairn {

// One "save <seconds> <changes>" rule: checkpoint after seconds if changes writes happened.
struct SaveRule {
  int64_t seconds;
  int64_t changes;
};

enum class ClientClass { kNormal = 0, kReplica = 1, kPubsub = 2 };

// client-output-buffer-limit of one class; 0 disables a limit.
struct OutputBufferLimit {
  uint64_t hard_bytes;
  uint64_t soft_bytes;
  int64_t soft_seconds;
};

class Config {
 public:
  // Runs after CONFIG SET changed the option; reads the new value from the Config. Returning
  // false (with *error) makes CONFIG SET fail and restore the previous values.
  using ChangeHook = std::function<bool(std::string* error)>;

  Config();  // every option at its default
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  // Start-up. On failure *error holds Redis's report, ready for stderr:
  //   *** FATAL CONFIG FILE ERROR (Cairn 0.1.0) ***
  //   Reading the configuration file, at line 3
  //   >>> 'port "99999"'
  //   argument must be between 0 and 65535 inclusive
  // Load reads path (if not empty) then the command-line arguments that followed it.
  bool Load(const std::string& path, const std::vector<std::string>& arguments, std::string* error);
  bool LoadFile(const std::string& path, std::string* error);
  // "--name value [value ...]" arguments. Like redis-server, they are turned into config
  // lines appended after the file's, so line numbers in errors continue the file's.
  bool ApplyArguments(const std::vector<std::string>& arguments, std::string* error);

  // CONFIG SET: all or nothing. *error is the complete reply text ("ERR ...").
  bool Set(const std::vector<std::pair<std::string, std::string>>& changes, std::string* error);
  // CONFIG GET: name/value pairs of the options matching any of the glob patterns.
  std::vector<std::pair<std::string, std::string>> Get(
      const std::vector<std::string>& patterns) const;
  // CONFIG REWRITE of the file given to LoadFile. *error is the complete reply text.
  bool Rewrite(std::string* error);
  // Registers a hook run after a CONFIG SET that changed option name (an option's name;
  // anything else is a programming error and aborts).
  void OnChange(const std::string& name, ChangeHook hook);

  // Absolute path of the config file, or "" when started without one.
  std::string config_file() const;

  std::vector<std::string> bind_addresses() const;
  int64_t port() const { return Number(OptionId::kPort); }
  std::string dir() const { return Text(OptionId::kDir); }
  int64_t workers() const { return Number(OptionId::kWorkers); }
  int64_t databases() const { return Number(OptionId::kDatabases); }
  int64_t maxclients() const { return Number(OptionId::kMaxclients); }
  int64_t timeout() const { return Number(OptionId::kTimeout); }
  int64_t tcp_keepalive() const { return Number(OptionId::kTcpKeepalive); }
  int64_t tcp_backlog() const { return Number(OptionId::kTcpBacklog); }
  std::string requirepass() const { return Text(OptionId::kRequirepass); }
  std::string loglevel() const { return EnumName(OptionId::kLoglevel); }
  std::string logfile() const { return Text(OptionId::kLogfile); }
  std::string pidfile() const { return Text(OptionId::kPidfile); }
  bool daemonize() const { return Number(OptionId::kDaemonize) != 0; }
  bool appendonly() const { return Number(OptionId::kAppendonly) != 0; }
  std::string appendfsync() const { return EnumName(OptionId::kAppendfsync); }
  std::vector<SaveRule> save_rules() const;
  int64_t checkpoint_keep() const { return Number(OptionId::kCheckpointKeep); }
  int64_t min_free_disk() const { return Number(OptionId::kMinFreeDisk); }
  std::string compression() const { return EnumName(OptionId::kCompression); }
  int64_t proto_max_bulk_len() const { return Number(OptionId::kProtoMaxBulkLen); }
  int64_t client_query_buffer_limit() const { return Number(OptionId::kClientQueryBufferLimit); }
  OutputBufferLimit output_buffer_limit(ClientClass client_class) const;
  int64_t maxmemory() const { return Number(OptionId::kMaxmemory); }
  std::string maxmemory_policy() const { return EnumName(OptionId::kMaxmemoryPolicy); }
  int64_t hot_cache_share() const { return Number(OptionId::kHotCacheShare); }
  int64_t block_cache_share() const { return Number(OptionId::kBlockCacheShare); }
  int64_t lfu_log_factor() const { return Number(OptionId::kLfuLogFactor); }
  int64_t lfu_decay_time() const { return Number(OptionId::kLfuDecayTime); }
  int64_t hz() const { return Number(OptionId::kHz); }
  int64_t slowlog_log_slower_than() const { return Number(OptionId::kSlowlogLogSlowerThan); }
  int64_t slowlog_max_len() const { return Number(OptionId::kSlowlogMaxLen); }
  // KeyspaceEventFlag bits (options.h).
  int64_t notify_keyspace_events() const { return Number(OptionId::kNotifyKeyspaceEvents); }
  // The compact-encoding limits OBJECT ENCODING follows (storage.encoding_limits()).
  int64_t hash_max_listpack_entries() const { return Number(OptionId::kHashMaxListpackEntries); }
  int64_t hash_max_listpack_value() const { return Number(OptionId::kHashMaxListpackValue); }
  int64_t set_max_intset_entries() const { return Number(OptionId::kSetMaxIntsetEntries); }
  int64_t zset_max_listpack_entries() const { return Number(OptionId::kZsetMaxListpackEntries); }
  int64_t zset_max_listpack_value() const { return Number(OptionId::kZsetMaxListpackValue); }
  int64_t list_max_listpack_size() const { return Number(OptionId::kListMaxListpackSize); }
  int64_t list_compress_depth() const { return Number(OptionId::kListCompressDepth); }

 private:
  struct PendingChange;

  int64_t Number(OptionId id) const {
    return numbers_[static_cast<size_t>(id)].load(std::memory_order_relaxed);
  }
  std::string Text(OptionId id) const;
  std::string EnumName(OptionId id) const;
  OptionValue Current(OptionId id) const;
  void Store(OptionId id, OptionValue value);

  bool LoadText(std::string_view text, size_t first_line_number, std::string* error);
  bool LoadLine(std::string_view line, std::string* reason);
  bool ResolveChanges(const std::vector<std::pair<std::string, std::string>>& changes,
                      std::vector<PendingChange>* pending, std::string* error) const;
  bool ParseChanges(std::vector<PendingChange>* pending, std::string* error) const;
  bool ApplyChanges(std::vector<PendingChange>* pending, std::string* error);

  std::vector<OptionValue> defaults_;

  mutable std::shared_mutex values_mutex_;
  std::vector<OptionValue> values_;  // by OptionId, guarded by values_mutex_
  std::array<std::atomic<int64_t>, kOptionCount> numbers_{};
  std::array<std::atomic<int64_t>, kOutputBufferClassCount * 3> output_limits_{};

  // Serialises Set, Rewrite and OnChange, so hooks run one change at a time.
  mutable std::mutex change_mutex_;
  std::vector<std::vector<ChangeHook>> hooks_;  // by OptionId

  // Written only while loading, before other threads exist.
  std::string file_path_;
  size_t file_newlines_ = 0;
  bool save_loaded_ = false;  // a save line was read: later ones add rules, as in Redis
};

}  // namespace cairn
