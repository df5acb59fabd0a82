// Server: start-up, the accept loop, signals, the cron, and the clean shutdown.
#include "src/server.h"

#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "engine/memory_budget.h"
#include "engine/storage.h"
#include "src/blocking.h"
#include "src/client_registry.h"
#include "src/command_table/command_table.h"
#include "src/commands/all_commands.h"
#include "src/config/config.h"
#include "src/dispatcher.h"
#include "src/logging.h"
#include "src/network/worker.h"
#include "src/notifications.h"
#include "src/persistence.h"
#include "src/pubsub.h"
#include "src/stats.h"
#include "src/time_util.h"
#include "src/transaction.h"

namespace cairn {
namespace {

constexpr timeval kCronInterval = {0, 100 * 1000};

// The cores this process may run on (taskset/cpusets count, not the machine's): more
// workers than cores only adds context switches.
int64_t UsableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return CPU_COUNT(&set);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

FsyncPolicy ParseFsyncPolicy(const std::string& name) {
  if (name == "always") return FsyncPolicy::kAlways;
  if (name == "no") return FsyncPolicy::kNo;
  return FsyncPolicy::kEverySec;
}

Compression ParseCompression(const std::string& name) {
  if (name == "zstd") return Compression::kZstdBottommost;
  if (name == "none") return Compression::kNone;
  return Compression::kLz4;
}

MemoryShares SharesOf(const Config& config) {
  MemoryShares shares;
  shares.hot_cache_percent = static_cast<uint32_t>(config.hot_cache_share());
  shares.block_cache_percent = static_cast<uint32_t>(config.block_cache_share());
  return shares;
}

std::string RandomRunId() {
  std::random_device device;
  std::mt19937_64 generator(device());
  static const char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  for (char& c : id) c = kHex[generator() % 16];
  return id;
}

std::string SocketAddress(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {0};
  uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
    port = ntohs(v4->sin_port);
  } else {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
    port = ntohs(v6->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

void ConfigureClientSocket(int fd, int keepalive_seconds) {
  evutil_make_socket_nonblocking(fd);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (keepalive_seconds > 0) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    int interval = std::max(1, keepalive_seconds / 3);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive_seconds, sizeof(keepalive_seconds));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  }
}

}  // namespace

Server::Server(Config* config)
    : config_(config),
      run_id_(RandomRunId()),
      clients_(std::make_unique<ClientRegistry>()),
      stats_(std::make_unique<ServerStats>()),
      dispatcher_(std::make_unique<Dispatcher>(this)),
      persistence_(std::make_unique<Persistence>(this)),
      pubsub_(std::make_unique<PubSub>()),
      watches_(std::make_unique<WatchTable>()),
      blocking_(std::make_unique<BlockingManager>(this)) {}

Server::~Server() {
  StopEverything();
  for (struct event* ev : events_) event_free(ev);
  if (shutdown_event_ != nullptr) event_free(shutdown_event_);
  if (base_ != nullptr) event_base_free(base_);
}

bool Server::Start(std::string* error) {
  start_time_ms_ = NowMs();
  evthread_use_pthreads();
  signal(SIGPIPE, SIG_IGN);
  if (!BuildCommandTable(error) || !OpenStorage(error)) return false;
  storage_->SetKeyModifiedCallback([this](int db, std::string_view key) {
    watches_->Touch(db, key);
    blocking_->KeyModified(db, key);
  });
  base_ = event_base_new();
  if (!Listen(error)) return false;
  InstallConfigHooks();
  int64_t worker_count = config_->workers();
  if (worker_count <= 0) worker_count = UsableCores();
  for (int64_t i = 0; i < worker_count; ++i) {
    workers_.push_back(std::make_unique<Worker>(this, static_cast<int>(i)));
    workers_.back()->Start();
  }
  shutdown_event_ = event_new(base_, -1, EV_PERSIST, &Server::OnShutdownRequest, this);
  event_add(shutdown_event_, nullptr);
  for (int signal_number : {SIGTERM, SIGINT}) {
    struct event* ev = evsignal_new(base_, signal_number, &Server::OnSignal, this);
    event_add(ev, nullptr);
    events_.push_back(ev);
  }
  struct event* cron = event_new(base_, -1, EV_PERSIST, &Server::OnCron, this);
  event_add(cron, &kCronInterval);
  events_.push_back(cron);
  LogNotice("Server initialized, " + std::to_string(worker_count) + " workers");
  LogNotice("Ready to accept connections tcp on port " + std::to_string(port_));
  return true;
}

bool Server::BuildCommandTable(std::string* error) {
  command_table_ = std::make_unique<CommandTable>();
  RegisterAllCommands(*command_table_);
  if (!command_table_->Build(error)) return false;
  command_table_->ForEach([this](const CommandSpec& spec) {
    auto stats = std::make_unique<CommandStats>();
    spec.stats = stats.get();
    stats_->commands.emplace(spec.full_name, std::move(stats));
  });
  return true;
}

bool Server::OpenStorage(std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = config_->dir();
  fs::create_directories(dir, ec);
  if (ec) {
    *error = "Can't create the data directory " + dir.string() + ": " + ec.message();
    return false;
  }
  StorageOptions options;
  options.dir = (dir / "db").string();
  options.databases = static_cast<int>(config_->databases());
  options.fsync = ParseFsyncPolicy(config_->appendfsync());
  options.min_free_disk_bytes = static_cast<uint64_t>(config_->min_free_disk());
  options.compression = ParseCompression(config_->compression());
  // Workers make writes durable once per event-loop pass, before sending replies.
  options.deferred_wal_flush = true;
  MemoryShares shares = SharesOf(*config_);
  Status shares_ok = CheckMemoryShares(shares);
  if (!shares_ok.ok()) {
    *error = "Invalid memory shares: " + shares_ok.message();
    return false;
  }
  MemoryBudget budget = SplitMemoryBudget(static_cast<uint64_t>(config_->maxmemory()), shares);
  options.hot_cache_bytes = budget.hot_cache_bytes;
  options.block_cache_bytes = budget.block_cache_bytes;
  options.memtable_bytes = budget.memtable_bytes;
  options.write_buffer_bytes = budget.write_buffer_bytes;
  // Active expiry reclaimed a key: Redis's activeExpireCycle counts it and emits "expired".
  options.on_expired = [this](int db, const std::string& key) {
    stats_->expired_keys++;
    NotifyKeyspaceEvent(this, kNotifyExpired, "expired", key, db);
  };
  Status status = Storage::Open(options, &storage_);
  if (!status.ok()) {
    *error = status.ToString();
    return false;
  }
  return true;
}

bool Server::Listen(std::string* error) {
  port_ = static_cast<uint16_t>(config_->port());
  for (const std::string& host : config_->bind_addresses()) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
    addrinfo* found = nullptr;
    std::string port_text = std::to_string(port_);
    std::string bind_host = host[0] == '-' ? host.substr(1) : host;  // "-::1": optional
    if (getaddrinfo(bind_host.c_str(), port_text.c_str(), &hints, &found) != 0) {
      *error = "Invalid bind address '" + host + "'";
      return false;
    }
    int fd = socket(found->ai_family, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (found->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    bool ok = fd >= 0 && bind(fd, found->ai_addr, found->ai_addrlen) == 0 &&
              listen(fd, static_cast<int>(config_->tcp_backlog())) == 0;
    freeaddrinfo(found);
    if (!ok) {
      std::string reason = strerror(errno);
      if (fd >= 0) close(fd);
      if (host[0] == '-') continue;
      *error = "Could not create server TCP listening socket " + bind_host + ":" + port_text +
               ": " + reason;
      return false;
    }
    evutil_make_socket_nonblocking(fd);
    listen_fds_.push_back(fd);
    struct event* ev = event_new(base_, fd, EV_READ | EV_PERSIST, &Server::OnAccept, this);
    event_add(ev, nullptr);
    events_.push_back(ev);
  }
  if (listen_fds_.empty()) {
    *error = "Configured to not listen anywhere, exiting.";
    return false;
  }
  return true;
}

void Server::InstallConfigHooks() {
  config_->OnChange("appendfsync", [this](std::string*) {
    storage_->SetFsyncPolicy(ParseFsyncPolicy(config_->appendfsync()));
    return true;
  });
  config_->OnChange("min-free-disk", [this](std::string*) {
    storage_->SetMinFreeDisk(static_cast<uint64_t>(config_->min_free_disk()));
    return true;
  });
  // maxmemory and its split resize the hot cache, block cache and memtable bound live.
  auto apply_memory = [this](std::string* error) {
    MemoryShares shares = SharesOf(*config_);
    Status s = CheckMemoryShares(shares);
    if (s.ok()) {
      s = storage_->ResizeMemory(
          SplitMemoryBudget(static_cast<uint64_t>(config_->maxmemory()), shares));
    }
    if (!s.ok()) *error = s.message();
    return s.ok();
  };
  for (const char* option : {"maxmemory", "hot-cache-share", "block-cache-share"}) {
    config_->OnChange(option, apply_memory);
  }
  auto apply_lfu = [this](std::string*) {
    storage_->access_tracker().SetLfuParameters(static_cast<int>(config_->lfu_log_factor()),
                                                static_cast<int>(config_->lfu_decay_time()));
    return true;
  };
  apply_lfu(nullptr);
  config_->OnChange("lfu-log-factor", apply_lfu);
  config_->OnChange("lfu-decay-time", apply_lfu);
  auto apply_encoding_limits = [this](std::string*) {
    EncodingLimits& limits = storage_->encoding_limits();
    limits.hash_max_listpack_entries = static_cast<uint64_t>(config_->hash_max_listpack_entries());
    limits.hash_max_listpack_value = static_cast<uint64_t>(config_->hash_max_listpack_value());
    limits.set_max_intset_entries = static_cast<uint64_t>(config_->set_max_intset_entries());
    limits.zset_max_listpack_entries = static_cast<uint64_t>(config_->zset_max_listpack_entries());
    limits.zset_max_listpack_value = static_cast<uint64_t>(config_->zset_max_listpack_value());
    return true;
  };
  apply_encoding_limits(nullptr);
  for (const char* name :
       {"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
        "zset-max-listpack-entries", "zset-max-listpack-value"}) {
    config_->OnChange(name, apply_encoding_limits);
  }
  config_->OnChange("loglevel", [this](std::string*) {
    LogLevel level;
    if (ParseLogLevel(config_->loglevel(), &level)) SetLogLevel(level);
    return true;
  });
}

void Server::OnAccept(int fd, short, void* arg) { static_cast<Server*>(arg)->Accept(fd); }

void Server::Accept(int listen_fd) {
  for (int accepted = 0; accepted < 1000; ++accepted) {
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof(peer);
    int fd = accept(listen_fd, reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (fd < 0) return;
    stats_->total_connections_received++;
    if (clients_->size() >= static_cast<size_t>(config_->maxclients())) {
      // Counted before the client can see the refusal, so an INFO it sends next agrees.
      stats_->rejected_connections++;
      static const char kFull[] = "-ERR max number of clients reached\r\n";
      ssize_t ignored = send(fd, kFull, sizeof(kFull) - 1, MSG_NOSIGNAL);
      (void)ignored;
      close(fd);
      continue;
    }
    sockaddr_storage local{};
    socklen_t local_length = sizeof(local);
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length);
    ConfigureClientSocket(fd, static_cast<int>(config_->tcp_keepalive()));
    Worker* worker = workers_[next_worker_++ % workers_.size()].get();
    worker->AdoptConnection(fd, SocketAddress(peer), SocketAddress(local));
  }
}

void Server::OnSignal(int signal_number, short, void* arg) {
  LogWarning(std::string("Received ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
             " scheduling shutdown...");
  static_cast<Server*>(arg)->RequestShutdown();
}

void Server::RequestShutdown() { event_active(shutdown_event_, EV_READ, 0); }

void Server::OnShutdownRequest(int, short, void* arg) {
  Server* server = static_cast<Server*>(arg);
  event_base_loopbreak(server->base_);
}

void Server::OnCron(int, short, void* arg) {
  Server* server = static_cast<Server*>(arg);
  server->stats_->SampleOperations(NowMs());
  server->persistence_->Cron();
}

void Server::Run() {
  event_base_dispatch(base_);
  LogWarning("User requested shutdown...");
  StopEverything();
  LogWarning("Cairn is now ready to exit, bye bye...");
}

void Server::StopEverything() {
  for (int fd : listen_fds_) close(fd);
  listen_fds_.clear();
  for (auto& worker : workers_) worker->Stop();
  workers_.clear();
  if (persistence_) persistence_->WaitForBackgroundSave();
  if (storage_) storage_->Close();
}

void Server::ResetStats() {
  stats_->Reset();
  storage_->hot_cache().ResetStats();
}

}  // namespace cairn
