// Persistence: checkpoints for SAVE/BGSAVE and the save rules.
#include "src/persistence.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/storage.h"
#include "src/config/config.h"
#include "src/logging.h"
#include "src/server.h"
#include "src/stats.h"
#include "src/time_util.h"

namespace cairn {
namespace {

// Failed automatic saves are retried no sooner than this, as Redis does.
constexpr int64_t kRetryAfterFailureSeconds = 5;

// Complete checkpoints in root ("checkpoint-<unix ms>"; RocksDB builds one under a .tmp
// name and renames it when done), newest first.
std::vector<std::filesystem::path> ListCheckpoints(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  constexpr std::string_view kPrefix = "checkpoint-";
  std::vector<std::pair<int64_t, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    std::string_view digits = std::string_view(name).substr(kPrefix.size());
    if (digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    found.emplace_back(std::stoll(std::string(digits)), fs::absolute(entry.path(), ec));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
  std::vector<fs::path> paths;
  for (auto& [ms, path] : found) paths.push_back(std::move(path));
  return paths;
}

}  // namespace

Persistence::~Persistence() { WaitForBackgroundSave(); }

bool Persistence::Save(std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  return CreateCheckpoint(error);
}

bool Persistence::BackgroundSave(std::string* error) {
  bool expected = false;
  if (!in_progress_.compare_exchange_strong(expected, true)) {
    *error = "ERR Background save already in progress";
    return false;
  }
  if (background_.joinable()) background_.join();
  current_start_time_.store(NowMs() / 1000);
  background_ = std::thread([this] {
    std::string save_error;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!CreateCheckpoint(&save_error)) LogWarning("Background saving error: " + save_error);
    }
    current_start_time_.store(-1);
    in_progress_.store(false);
  });
  return true;
}

void Persistence::WaitForBackgroundSave() {
  if (background_.joinable()) background_.join();
}

// The checkpoint directory is the new snapshot; older ones are removed once it exists.
bool Persistence::CreateCheckpoint(std::string* error) {
  namespace fs = std::filesystem;
  int64_t start_ms = NowMs();
  last_attempt_time_ = start_ms / 1000;
  uint64_t dirty_before = server_->stats().dirty.load();
  fs::path root = fs::path(server_->config().dir()) / "checkpoints";
  std::error_code ec;
  fs::create_directories(root, ec);
  fs::path target = root / ("checkpoint-" + std::to_string(start_ms));
  Status status = server_->storage().CreateCheckpoint(target.string());
  int64_t duration = (NowMs() - start_ms) / 1000;
  last_save_duration_sec_.store(duration);
  if (!status.ok()) {
    last_save_ok_.store(false);
    *error = "ERR " + status.ToString();
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(last_checkpoint_mutex_);
    last_checkpoint_ = fs::absolute(target, ec).string();
  }
  RemoveOldCheckpoints(root.string());
  server_->stats().dirty.fetch_sub(std::min(dirty_before, server_->stats().dirty.load()));
  last_save_ok_.store(true);
  last_save_time_.store(NowMs() / 1000);
  saves_.fetch_add(1);
  LogNotice("DB saved on disk (checkpoint " + target.string() + ")");
  return true;
}

// Keeps the newest checkpoint-keep checkpoints; called with mutex_ held, after a new one
// is complete, so a failed save never leaves fewer than before.
void Persistence::RemoveOldCheckpoints(const std::string& root) {
  size_t keep = static_cast<size_t>(std::max<int64_t>(1, server_->config().checkpoint_keep()));
  std::vector<std::filesystem::path> checkpoints = ListCheckpoints(root);
  std::error_code ec;
  for (size_t i = keep; i < checkpoints.size(); i++)
    std::filesystem::remove_all(checkpoints[i], ec);
}

std::string Persistence::last_checkpoint() const {
  {
    std::lock_guard<std::mutex> lock(last_checkpoint_mutex_);
    if (!last_checkpoint_.empty()) return last_checkpoint_;
  }
  std::vector<std::filesystem::path> checkpoints =
      ListCheckpoints(std::filesystem::path(server_->config().dir()) / "checkpoints");
  return checkpoints.empty() ? std::string() : checkpoints.front().string();
}

void Persistence::Cron() {
  if (in_progress_.load()) return;
  std::string error;
  if (scheduled_.exchange(false)) {
    BackgroundSave(&error);
    return;
  }
  int64_t now = NowMs() / 1000;
  uint64_t dirty = server_->stats().dirty.load();
  int64_t since = last_save_time_.load();
  if (since == 0) since = server_->start_time_ms() / 1000;
  for (const SaveRule& rule : server_->config().save_rules()) {
    bool due = dirty >= static_cast<uint64_t>(rule.changes) && now - since >= rule.seconds;
    bool may_retry = last_save_ok_.load() || now - last_attempt_time_ > kRetryAfterFailureSeconds;
    if (due && may_retry) {
      LogNotice(std::to_string(rule.changes) + " changes in " + std::to_string(rule.seconds) +
                " seconds. Saving...");
      BackgroundSave(&error);
      return;
    }
  }
}

}  // namespace cairn
