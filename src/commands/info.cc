// INFO: server, clients, memory, persistence, stats, replication, cpu, modules,
// commandstats, errorstats, cluster, keyspace and rocksdb sections, with Redis's field names.
#include <malloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "engine/hot_cache.h"
#include "engine/keyspace.h"
#include "engine/memory_budget.h"
#include "engine/storage.h"
#include "src/blocking.h"
#include "src/client.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/config/config.h"
#include "src/persistence.h"
#include "src/protocol/reply_builder.h"
#include "src/pubsub.h"
#include "src/server.h"
#include "src/stats.h"
#include "src/time_util.h"
#include "src/version.h"

namespace cairn {
namespace {

class InfoWriter {
 public:
  void Section(const char* title) {
    if (!text_.empty()) text_ += "\r\n";
    text_ += "# ";
    text_ += title;
    text_ += "\r\n";
  }
  void Field(const std::string& name, const std::string& value) {
    text_ += name;
    text_ += ':';
    text_ += value;
    text_ += "\r\n";
  }
  void Field(const std::string& name, int64_t value) { Field(name, std::to_string(value)); }
  void Field(const std::string& name, uint64_t value) { Field(name, std::to_string(value)); }
  void Field(const std::string& name, int value) { Field(name, std::to_string(value)); }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

std::string HumanBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "K", "M", "G", "T", "P"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    snprintf(text, sizeof(text), "%lluB", static_cast<unsigned long long>(bytes));
  } else {
    snprintf(text, sizeof(text), "%.2f%s", value, kUnits[unit]);
  }
  return text;
}

std::string Fixed(double value, int decimals) {
  char text[64];
  snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t HeapBytes() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

void ServerSection(Server* server, InfoWriter* out) {
  utsname name;
  uname(&name);
  int64_t now_us = NowUs();
  int64_t uptime = (now_us / 1000 - server->start_time_ms()) / 1000;
  out->Section("Server");
  out->Field("redis_version", kRedisCompatibleVersion);
  out->Field("cairn_version", kCairnVersion);
  out->Field("redis_git_sha1", "00000000");
  out->Field("redis_git_dirty", 0);
  out->Field("redis_mode", "standalone");
  out->Field("os", std::string(name.sysname) + " " + name.release + " " + name.machine);
  out->Field("arch_bits", static_cast<int>(sizeof(void*) * 8));
  out->Field("multiplexing_api", "epoll");
  out->Field("gcc_version", std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                                std::to_string(__GNUC_PATCHLEVEL__));
  out->Field("process_id", static_cast<int64_t>(getpid()));
  out->Field("process_supervised", "no");
  out->Field("run_id", server->run_id());
  out->Field("tcp_port", static_cast<int64_t>(server->port()));
  out->Field("server_time_usec", now_us);
  out->Field("uptime_in_seconds", uptime);
  out->Field("uptime_in_days", uptime / 86400);
  out->Field("hz", server->config().hz());
  out->Field("configured_hz", server->config().hz());
  out->Field("lru_clock", (now_us / 1000000) & ((1 << 24) - 1));
  char executable[4096] = {0};
  ssize_t length = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
  out->Field("executable", length > 0 ? std::string(executable, static_cast<size_t>(length)) : "");
  out->Field("config_file", server->config_file());
  out->Field("io_threads_active", 0);
  out->Field("workers", static_cast<uint64_t>(server->worker_count()));
}

void ClientsSection(Server* server, InfoWriter* out) {
  size_t max_input = 0, max_output = 0;
  server->clients().ForEach([&](const Client& client) {
    max_input = std::max(max_input, client.query_buffer_size());
    max_output = std::max(max_output, client.output_buffer_size());
  });
  out->Section("Clients");
  out->Field("connected_clients", static_cast<uint64_t>(server->clients().size()));
  out->Field("cluster_connections", 0);
  out->Field("maxclients", server->config().maxclients());
  out->Field("client_recent_max_input_buffer", static_cast<uint64_t>(max_input));
  out->Field("client_recent_max_output_buffer", static_cast<uint64_t>(max_output));
  out->Field("blocked_clients", static_cast<uint64_t>(server->blocking().blocked_clients()));
  out->Field("tracking_clients", 0);
  out->Field("clients_in_timeout_table",
             static_cast<uint64_t>(server->blocking().clients_in_timeout_table()));
}

void MemorySection(Server* server, InfoWriter* out) {
  uint64_t heap = HeapBytes();
  uint64_t rss = ResidentBytes();
  uint64_t total =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  uint64_t maxmemory = static_cast<uint64_t>(server->config().maxmemory());
  StorageMemory storage = server->storage().MemoryUsage();
  MemoryBudget budget = server->storage().memory_budget();
  uint64_t dataset = storage.hot_cache_bytes + storage.memtable_bytes + storage.block_cache_bytes;
  out->Section("Memory");
  out->Field("used_memory", heap);
  out->Field("used_memory_human", HumanBytes(heap));
  out->Field("used_memory_rss", rss);
  out->Field("used_memory_rss_human", HumanBytes(rss));
  // The budget's parts, and everything else the heap holds (connections, RocksDB's own).
  out->Field("used_memory_dataset", dataset);
  out->Field("used_memory_hot_cache", storage.hot_cache_bytes);
  out->Field("used_memory_memtables", storage.memtable_bytes);
  out->Field("used_memory_block_cache", storage.block_cache_bytes);
  out->Field("used_memory_other", heap > dataset ? heap - dataset : 0);
  out->Field("used_memory_table_readers", storage.table_reader_bytes);
  out->Field("total_system_memory", total);
  out->Field("total_system_memory_human", HumanBytes(total));
  out->Field("maxmemory", maxmemory);
  out->Field("maxmemory_human", HumanBytes(maxmemory));
  out->Field("maxmemory_policy", server->config().maxmemory_policy());
  // maxmemory 0 is Cairn's automatic budget; these are the bytes actually applied.
  out->Field("cairn_maxmemory_effective", budget.total_bytes);
  out->Field("cairn_hot_cache_capacity", budget.hot_cache_bytes);
  out->Field("cairn_block_cache_capacity", budget.block_cache_bytes);
  out->Field("cairn_memtable_limit", budget.memtable_bytes);
  out->Field("cairn_hot_cache_keys", server->storage().hot_cache().Stats().entries);
  out->Field("mem_fragmentation_ratio",
             Fixed(heap == 0 ? 0 : static_cast<double>(rss) / static_cast<double>(heap), 2));
  out->Field("mem_allocator", "libc");
}

void PersistenceSection(Server* server, InfoWriter* out) {
  Persistence& persistence = server->persistence();
  int64_t started = persistence.current_save_start_time();
  out->Section("Persistence");
  out->Field("loading", 0);
  out->Field("async_loading", 0);
  // Checkpoints are hard links made without fork: no copy-on-write, no key-by-key save.
  for (const char* zero :
       {"current_cow_peak", "current_cow_size", "current_cow_size_age", "current_fork_perc",
        "current_save_keys_processed", "current_save_keys_total"}) {
    out->Field(zero, 0);
  }
  out->Field("rdb_changes_since_last_save", server->stats().dirty.load());
  out->Field("rdb_bgsave_in_progress", persistence.in_progress() ? 1 : 0);
  int64_t last_save = persistence.last_save_time();
  out->Field("rdb_last_save_time", last_save != 0 ? last_save : server->start_time_ms() / 1000);
  out->Field("rdb_last_bgsave_status", persistence.last_save_ok() ? "ok" : "err");
  out->Field("rdb_last_bgsave_time_sec", persistence.last_save_duration_sec());
  out->Field("rdb_current_bgsave_time_sec", started < 0 ? -1 : NowMs() / 1000 - started);
  out->Field("rdb_saves", persistence.saves());
  out->Field("rdb_last_cow_size", 0);
  out->Field("rdb_last_load_keys_expired", 0);
  out->Field("rdb_last_load_keys_loaded", 0);
  out->Field("aof_enabled", 1);
  out->Field("aof_rewrite_in_progress", 0);
  out->Field("aof_rewrite_scheduled", 0);
  out->Field("aof_last_rewrite_time_sec", -1);
  out->Field("aof_current_rewrite_time_sec", -1);
  out->Field("aof_last_bgrewrite_status", "ok");
  out->Field("aof_rewrites", 0);
  out->Field("aof_rewrites_consecutive_failures", 0);
  bool disk_full = server->storage().disk_full();
  out->Field("aof_last_write_status", disk_full ? "err" : "ok");
  out->Field("aof_last_cow_size", 0);
  out->Field("module_fork_in_progress", 0);
  out->Field("module_fork_last_cow_size", 0);
  out->Field("aof_fsync_policy", server->config().appendfsync());
  out->Field("cairn_checkpoint_keep", server->config().checkpoint_keep());
  out->Field("cairn_disk_full", disk_full ? 1 : 0);
  out->Field("cairn_last_checkpoint", persistence.last_checkpoint());
}

void StatsSection(Server* server, InfoWriter* out) {
  ServerStats& stats = server->stats();
  out->Section("Stats");
  out->Field("total_connections_received", stats.total_connections_received.load());
  out->Field("total_commands_processed", stats.total_commands_processed.load());
  out->Field("instantaneous_ops_per_sec", stats.instantaneous_ops_per_sec.load());
  out->Field("total_net_input_bytes", stats.net_input_bytes.load());
  out->Field("total_net_output_bytes", stats.net_output_bytes.load());
  out->Field("rejected_connections", stats.rejected_connections.load());
  out->Field("sync_full", 0);
  out->Field("sync_partial_ok", 0);
  out->Field("sync_partial_err", 0);
  out->Field("expired_keys", stats.expired_keys.load());
  out->Field("evicted_keys", 0);
  out->Field("evicted_clients", 0);
  out->Field("keyspace_hits", stats.keyspace_hits.load());
  out->Field("keyspace_misses", stats.keyspace_misses.load());
  HotCacheStats cache = server->storage().hot_cache().Stats();
  uint64_t lookups = cache.hits + cache.misses;
  out->Field("cairn_cache_hits", cache.hits);
  out->Field("cairn_cache_misses", cache.misses);
  out->Field("cairn_cache_evictions", cache.evictions);
  out->Field(
      "cairn_cache_hit_ratio",
      Fixed(lookups == 0 ? 0 : static_cast<double>(cache.hits) / static_cast<double>(lookups), 4));
  PubSub& pubsub = server->pubsub();
  out->Field("pubsub_channels", static_cast<uint64_t>(pubsub.Count(PubSubKind::kChannel)));
  out->Field("pubsub_patterns", static_cast<uint64_t>(pubsub.Count(PubSubKind::kPattern)));
  out->Field("pubsubshard_channels",
             static_cast<uint64_t>(pubsub.Count(PubSubKind::kShardChannel)));
  out->Field("total_forks", 0);
  out->Field("unexpected_error_replies", 0);
  out->Field("total_error_replies", stats.total_error_replies.load());
  out->Field("client_query_buffer_limit_disconnections",
             stats.client_query_buffer_limit_disconnections.load());
  out->Field("client_output_buffer_limit_disconnections",
             stats.client_output_limit_disconnections.load());
}

void ReplicationSection(Server* server, InfoWriter* out) {
  out->Section("Replication");
  out->Field("role", "master");
  out->Field("connected_slaves", 0);
  out->Field("master_failover_state", "no-failover");
  out->Field("master_replid", server->run_id());
  out->Field("master_replid2", std::string(40, '0'));
  out->Field("master_repl_offset", 0);
  out->Field("second_repl_offset", -1);
  out->Field("repl_backlog_active", 0);
  out->Field("repl_backlog_size", 1048576);
  out->Field("repl_backlog_first_byte_offset", 0);
  out->Field("repl_backlog_histlen", 0);
}

std::string Seconds(const timeval& time) {
  return Fixed(static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6, 6);
}

void CpuSection(Server*, InfoWriter* out) {
  rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  out->Section("CPU");
  out->Field("used_cpu_sys", Seconds(self.ru_stime));
  out->Field("used_cpu_user", Seconds(self.ru_utime));
  out->Field("used_cpu_sys_children", Seconds(children.ru_stime));
  out->Field("used_cpu_user_children", Seconds(children.ru_utime));
}

void ModulesSection(Server*, InfoWriter* out) { out->Section("Modules"); }

void CommandStatsSection(Server* server, InfoWriter* out) {
  out->Section("Commandstats");
  std::map<std::string, const CommandStats*> sorted;
  for (const auto& entry : server->stats().commands) sorted[entry.first] = entry.second.get();
  for (const auto& [name, stats] : sorted) {
    uint64_t calls = stats->calls.load();
    uint64_t rejected = stats->rejected_calls.load();
    uint64_t failed = stats->failed_calls.load();
    if (calls == 0 && rejected == 0 && failed == 0) continue;
    uint64_t usec = stats->microseconds.load();
    out->Field(
        "cmdstat_" + name,
        "calls=" + std::to_string(calls) + ",usec=" + std::to_string(usec) + ",usec_per_call=" +
            Fixed(calls == 0 ? 0 : static_cast<double>(usec) / static_cast<double>(calls), 2) +
            ",rejected_calls=" + std::to_string(rejected) +
            ",failed_calls=" + std::to_string(failed));
  }
}

void ErrorStatsSection(Server* server, InfoWriter* out) {
  out->Section("Errorstats");
  for (const auto& [prefix, count] : server->stats().ErrorCounts()) {
    out->Field("errorstat_" + prefix, "count=" + std::to_string(count));
  }
}

void ClusterSection(Server*, InfoWriter* out) {
  out->Section("Cluster");
  out->Field("cluster_enabled", 0);
}

void KeyspaceSection(Server* server, InfoWriter* out) {
  out->Section("Keyspace");
  Storage& storage = server->storage();
  for (int db = 0; db < server->config().databases(); ++db) {
    int64_t keys = storage.keyspace().DbSize(db);
    if (keys == 0) continue;
    out->Field("db" + std::to_string(db), "keys=" + std::to_string(keys) + ",expires=" +
                                              std::to_string(storage.keyspace().ExpiresCount(db)) +
                                              ",avg_ttl=0");
  }
}

void RocksDBSection(Server* server, InfoWriter* out) {
  out->Section("RocksDB");
  for (const auto& [name, value] : server->storage().RocksDBInfo()) out->Field(name, value);
}

struct SectionEntry {
  const char* name;
  void (*write)(Server*, InfoWriter*);
  bool in_default;
  bool in_all;
};

const SectionEntry kSections[] = {
    {"server", ServerSection, true, true},
    {"clients", ClientsSection, true, true},
    {"memory", MemorySection, true, true},
    {"persistence", PersistenceSection, true, true},
    {"stats", StatsSection, true, true},
    {"replication", ReplicationSection, true, true},
    {"cpu", CpuSection, true, true},
    {"modules", ModulesSection, true, true},
    {"commandstats", CommandStatsSection, false, true},
    {"errorstats", ErrorStatsSection, true, true},
    {"cluster", ClusterSection, true, true},
    {"keyspace", KeyspaceSection, true, true},
    {"rocksdb", RocksDBSection, true, true},
};

void Info(CommandContext& context) {
  std::set<std::string> wanted;
  bool everything = false, all = false, defaults = context.args.size() == 1;
  for (size_t i = 1; i < context.args.size(); ++i) {
    std::string section = ToLower(context.args[i]);
    if (section == "everything")
      everything = true;
    else if (section == "all")
      all = true;
    else if (section == "default")
      defaults = true;
    else
      wanted.insert(section);
  }
  InfoWriter out;
  for (const SectionEntry& section : kSections) {
    bool include = everything || (all && section.in_all) || (defaults && section.in_default) ||
                   wanted.count(section.name) > 0;
    if (include) section.write(context.server, &out);
  }
  context.reply->Verbatim("txt", out.text());
}

}  // namespace

void RegisterInfoCommand(CommandRegistry& registry) { registry.Add("INFO", &Info); }

}  // namespace cairn
