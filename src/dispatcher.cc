// Dispatcher: the path every command takes from parsed arguments to its reply.
#include "src/dispatcher.h"

#include <cstdio>

#include "engine/key_locks.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/command_table/command_table.h"
#include "src/config/config.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"
#include "src/stats.h"
#include "src/time_util.h"

namespace cairn {
namespace {

// The error prefix INFO errorstats counts: the first word of an error reply.
std::string ErrorPrefix(std::string_view reply) {
  size_t end = reply.find_first_of(" \r", 1);
  return std::string(reply.substr(1, end == std::string_view::npos ? end : end - 1));
}

bool IsServerWide(const CommandSpec& spec) {
  return spec.name == "flushall" || spec.name == "flushdb" || spec.name == "swapdb";
}

// MONITOR shows arguments quoted like Redis's sdscatrepr.
void AppendQuoted(std::string* line, const std::string& arg) {
  line->push_back('"');
  for (unsigned char c : arg) {
    switch (c) {
      case '\\':
        line->append("\\\\");
        break;
      case '"':
        line->append("\\\"");
        break;
      case '\n':
        line->append("\\n");
        break;
      case '\r':
        line->append("\\r");
        break;
      case '\t':
        line->append("\\t");
        break;
      case '\a':
        line->append("\\a");
        break;
      case '\b':
        line->append("\\b");
        break;
      default:
        if (c >= 32 && c < 127) {
          line->push_back(static_cast<char>(c));
        } else {
          char hex[8];
          snprintf(hex, sizeof(hex), "\\x%02x", c);
          line->append(hex);
        }
    }
  }
  line->push_back('"');
}

}  // namespace

Dispatcher::Outcome Dispatcher::Execute(Client* client, const std::vector<std::string>& args) {
  if (args.empty()) return Outcome::kDone;
  std::string error;
  const CommandSpec* spec = server_->command_table().Lookup(args, &error);
  if (spec == nullptr) {
    RejectCommand(client, nullptr, error);
    return Outcome::kDone;
  }
  if (!server_->command_table().CheckArity(*spec, args.size(), &error)) {
    RejectCommand(client, spec, error);
    return Outcome::kDone;
  }
  if (!client->authenticated() && !spec->HasFlag(CommandFlag::kNoAuth)) {
    RejectCommand(client, spec, "NOAUTH Authentication required.");
    return Outcome::kDone;
  }
  bool is_write = spec->HasFlag(CommandFlag::kWrite) || spec->HasFlag(CommandFlag::kMayReplicate);
  if (server_->clients().MustWait(is_write, NowMs())) return Outcome::kWaitForUnpause;

  // CLIENT REPLY OFF hides every reply; CLIENT REPLY SKIP hides the next command's.
  bool reply_wanted = !client->replies_off && !client->skip_this_reply;
  client->skip_this_reply = client->skip_next_reply;
  client->skip_next_reply = false;
  std::string discarded;
  std::string* output = reply_wanted ? &client->output_buffer : &discarded;
  Invoke(client, *spec, args, output);
  return Outcome::kDone;
}

void Dispatcher::Invoke(Client* client, const CommandSpec& spec,
                        const std::vector<std::string>& args, std::string* output) {
  size_t reply_start = output->size();
  ReplyBuilder reply(output, client->protocol());
  CommandContext context{server_, client, args, &reply};
  KeyLocks& locks = server_->storage().locks();
  client->set_last_command(spec.full_name);
  int64_t start_us = MonotonicUs();
  {
    std::vector<std::string> keys;
    for (size_t position : server_->command_table().KeyPositions(spec, args)) {
      keys.push_back(args[position]);
    }
    if (IsServerWide(spec)) {
      auto exclusive = locks.LockExclusive();
      spec.handler(context);
    } else {
      auto shared = locks.LockShared();
      auto key_guard = locks.LockKeys(client->db(), keys);
      spec.handler(context);
    }
  }
  int64_t duration_us = MonotonicUs() - start_us;
  bool failed = output->size() > reply_start && (*output)[reply_start] == '-';
  if (failed) {
    server_->stats().CountError(ErrorPrefix(std::string_view(*output).substr(reply_start)));
  }
  Account(client, spec, args, duration_us, failed);
}

void Dispatcher::Account(Client* client, const CommandSpec& spec,
                         const std::vector<std::string>& args, int64_t duration_us, bool failed) {
  ServerStats& stats = server_->stats();
  stats.total_commands_processed.fetch_add(1, std::memory_order_relaxed);
  auto it = stats.commands.find(spec.full_name);
  if (it != stats.commands.end()) {
    CommandStats& command = *it->second;
    command.calls.fetch_add(1, std::memory_order_relaxed);
    command.microseconds.fetch_add(static_cast<uint64_t>(duration_us), std::memory_order_relaxed);
    if (failed) command.failed_calls.fetch_add(1, std::memory_order_relaxed);
  }
  if (!failed && spec.HasFlag(CommandFlag::kWrite)) {
    stats.dirty.fetch_add(1, std::memory_order_relaxed);
  }
  int64_t threshold = server_->config().slowlog_log_slower_than();
  if (threshold >= 0 && duration_us >= threshold && !spec.HasFlag(CommandFlag::kAdmin)) {
    SlowLogEntry entry{0, NowMs() / 1000, duration_us, {}, client->address(), client->name()};
    // Like Redis: at most 32 arguments, each at most 128 bytes.
    size_t shown = std::min<size_t>(args.size(), 32);
    for (size_t i = 0; i < shown; ++i) {
      if (i == 31 && args.size() > 32) {
        entry.args.push_back("... (" + std::to_string(args.size() - 31) + " more arguments)");
      } else if (args[i].size() > 128) {
        entry.args.push_back(args[i].substr(0, 128) + "... (" +
                             std::to_string(args[i].size() - 128) + " more bytes)");
      } else {
        entry.args.push_back(args[i]);
      }
    }
    stats.slowlog.Add(std::move(entry), static_cast<size_t>(server_->config().slowlog_max_len()));
  }
  if (server_->clients().has_monitors() && !spec.HasFlag(CommandFlag::kAdmin) &&
      !spec.HasFlag(CommandFlag::kNoAuth)) {
    FeedMonitors(client, args);
  }
}

void Dispatcher::FeedMonitors(Client* client, const std::vector<std::string>& args) {
  int64_t now_us = NowUs();
  char stamp[64];
  snprintf(stamp, sizeof(stamp), "+%lld.%06lld [%d ", static_cast<long long>(now_us / 1000000),
           static_cast<long long>(now_us % 1000000), client->db());
  std::string line = stamp;
  line.append(client->address()).append("]");
  for (const std::string& arg : args) {
    line.push_back(' ');
    AppendQuoted(&line, arg);
  }
  line.append("\r\n");
  server_->clients().FeedMonitors(line);
}

void Dispatcher::RejectCommand(Client* client, const CommandSpec* spec, const std::string& error) {
  ReplyBuilder(&client->output_buffer, client->protocol()).Error(error);
  ServerStats& stats = server_->stats();
  stats.CountError(ErrorPrefix("-" + error));
  if (spec == nullptr) return;
  auto it = stats.commands.find(spec->full_name);
  if (it != stats.commands.end()) it->second->rejected_calls.fetch_add(1);
}

}  // namespace cairn
