// SAVE on a running server, then a private hard-linked copy of the checkpoint it made.
#include "tools/backup/server_snapshot.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <filesystem>
#include <vector>

namespace cairn {

namespace fs = std::filesystem;

namespace {

// Another SAVE (a save rule, an operator) may prune our checkpoint before it is linked.
constexpr int kSnapshotAttempts = 3;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;
struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

Status Command(redisContext* context, const std::vector<std::string>& words, ReplyPtr* out) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& word : words) {
    argv.push_back(word.data());
    lengths.push_back(word.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    return Status::IOError("connection to the server failed: " + std::string(context->errstr));
  }
  out->reset(reply);
  if (reply->type == REDIS_REPLY_ERROR) {
    return Status::IOError(words[0] + " failed: " + std::string(reply->str, reply->len));
  }
  return Status::OK();
}

Status Connect(const ServerAddress& address, ContextPtr* out) {
  ContextPtr context(redisConnect(address.host.c_str(), address.port));
  if (context == nullptr || context->err != 0) {
    std::string why = context ? context->errstr : "out of memory";
    return Status::IOError("cannot connect to " + address.host + ":" +
                           std::to_string(address.port) + ": " + why);
  }
  ReplyPtr reply;
  if (!address.password.empty()) {
    Status s = Command(context.get(), {"AUTH", address.password}, &reply);
    if (!s.ok()) return s;
  }
  *out = std::move(context);
  return Status::OK();
}

// INFO persistence's cairn_last_checkpoint when the server reports it; otherwise the newest
// checkpoint-* under CONFIG GET dir.
Status FindCheckpoint(redisContext* context, std::string* path) {
  ReplyPtr reply;
  Status s = Command(context, {"INFO", "persistence"}, &reply);
  if (!s.ok()) return s;
  std::string info(reply->str ? reply->str : "", reply->str ? reply->len : 0);
  static constexpr std::string_view kField = "cairn_last_checkpoint:";
  size_t at = info.find(kField);
  if (at != std::string::npos) {
    size_t end = info.find_first_of("\r\n", at);
    *path = info.substr(at + kField.size(), end - at - kField.size());
    if (!path->empty()) return Status::OK();
  }
  s = Command(context, {"CONFIG", "GET", "dir"}, &reply);
  if (!s.ok()) return s;
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) {
    return Status::IOError("unexpected reply to CONFIG GET dir");
  }
  fs::path root = fs::path(reply->element[1]->str) / "checkpoints";
  int64_t newest = -1;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("checkpoint-", 0) != 0) continue;
    int64_t stamp = 0;
    const char* digits = name.data() + 11;
    auto [ptr, err] = std::from_chars(digits, name.data() + name.size(), stamp);
    if (err == std::errc() && ptr == name.data() + name.size() && stamp > newest) {
      newest = stamp;
      *path = entry.path().string();
    }
  }
  if (newest < 0) return Status::NotFound("no checkpoint found under " + root.string());
  return Status::OK();
}

}  // namespace

bool ParseServerAddress(const std::string& text, ServerAddress* out) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data() + colon + 1, end, port);
  if (ec != std::errc() || ptr != end || port <= 0 || port > 65535) return false;
  out->host = host;
  out->port = port;
  return true;
}

Status SnapshotServer(const ServerAddress& address, std::unique_ptr<PrivateCopy>* out) {
  ContextPtr context;
  Status s = Connect(address, &context);
  Status last;
  for (int attempt = 0; s.ok() && attempt < kSnapshotAttempts; attempt++) {
    ReplyPtr reply;
    s = Command(context.get(), {"SAVE"}, &reply);
    std::string checkpoint;
    if (s.ok()) s = FindCheckpoint(context.get(), &checkpoint);
    if (!s.ok()) break;
    fs::path checkpoint_path(checkpoint);
    if (!fs::exists(checkpoint_path / "CURRENT")) {
      return Status::IOError("checkpoint " + checkpoint +
                             " is not readable here: cairn-backup --server must run on the "
                             "server's host");
    }
    // Outside checkpoints/, which the server prunes wholesale, but on the same filesystem.
    std::string parent = checkpoint_path.parent_path().parent_path().string();
    last = PrivateCopy::Create(checkpoint, parent, out);
    // Checkpoints are immutable until pruned, so one still whole after linking was linked whole.
    if (last.ok() && fs::exists(checkpoint_path / "CURRENT")) return Status::OK();
    if (last.ok()) last = Status::IOError("checkpoint " + checkpoint + " vanished while linked");
  }
  return s.ok() ? last : s;
}

}  // namespace cairn
