// Server: owns the storage engine, the command table, the configuration, the worker
// threads and the registry of connected clients; the object every handler reaches through
// CommandContext::server. The main thread runs the listeners, signals and the cron.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct event;
struct event_base;

namespace cairn {

class Config;
class CommandTable;
class Storage;
class ClientRegistry;
class Dispatcher;
class Persistence;
class PubSub;
class WatchTable;
class BlockingManager;
class Worker;
struct ServerStats;

class Server {
 public:
  explicit Server(Config* config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens storage, binds the listeners and starts the workers. On failure *error says why.
  bool Start(std::string* error);
  // Blocks until shutdown is requested (SIGTERM/SIGINT, SHUTDOWN); then stops cleanly.
  void Run();
  // Safe from any thread: makes Run() return after a clean stop.
  void RequestShutdown();

  Config& config() { return *config_; }
  Storage& storage() { return *storage_; }
  const CommandTable& command_table() const { return *command_table_; }
  ClientRegistry& clients() { return *clients_; }
  ServerStats& stats() { return *stats_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  Persistence& persistence() { return *persistence_; }
  PubSub& pubsub() { return *pubsub_; }
  WatchTable& watches() { return *watches_; }
  BlockingManager& blocking() { return *blocking_; }
  size_t worker_count() const { return workers_.size(); }
  int64_t start_time_ms() const { return start_time_ms_; }
  uint16_t port() const { return port_; }
  const std::string& config_file() const { return config_file_; }
  void set_config_file(std::string path) { config_file_ = std::move(path); }
  const std::string& run_id() const { return run_id_; }

  // CONFIG RESETSTAT: zeroes the counters INFO stats/commandstats/errorstats report.
  void ResetStats();

 private:
  bool OpenStorage(std::string* error);
  bool BuildCommandTable(std::string* error);
  bool Listen(std::string* error);
  void InstallConfigHooks();
  static void OnAccept(int fd, short events, void* arg);
  static void OnSignal(int signal, short events, void* arg);
  static void OnShutdownRequest(int fd, short events, void* arg);
  static void OnCron(int fd, short events, void* arg);
  void Accept(int listen_fd);
  void StopEverything();

  Config* config_;
  std::string config_file_;
  std::string run_id_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<CommandTable> command_table_;
  std::unique_ptr<ClientRegistry> clients_;
  std::unique_ptr<ServerStats> stats_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Persistence> persistence_;
  std::unique_ptr<PubSub> pubsub_;
  std::unique_ptr<WatchTable> watches_;
  std::unique_ptr<BlockingManager> blocking_;  // destroyed after the workers
  std::vector<std::unique_ptr<Worker>> workers_;
  size_t next_worker_ = 0;
  int64_t start_time_ms_ = 0;
  uint16_t port_ = 0;

  struct event_base* base_ = nullptr;
  std::vector<int> listen_fds_;
  std::vector<struct event*> events_;
  struct event* shutdown_event_ = nullptr;
};

}  // namespace cairn
