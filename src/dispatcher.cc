// Dispatcher: the path every command takes from parsed arguments to its reply.
#include "src/dispatcher.h"

#include <cstdio>

#include "engine/key_locks.h"
#include "engine/storage.h"
#include "src/blocking.h"
#include "src/client.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/command_table/command_table.h"
#include "src/commands/arguments.h"
#include "src/config/config.h"
#include "src/protocol/reply_builder.h"
#include "src/pubsub.h"
#include "src/server.h"
#include "src/stats.h"
#include "src/time_util.h"
#include "src/transaction.h"

namespace cairn {
namespace {

// The error prefix INFO errorstats counts: the first word of an error reply.
std::string ErrorPrefix(std::string_view reply) {
  size_t end = reply.find_first_of(" \r", 1);
  return std::string(reply.substr(1, end == std::string_view::npos ? end : end - 1));
}

// The commands that act on the transaction itself run at once even inside MULTI.
bool IsTransactionControl(const CommandSpec& spec) {
  return spec.full_name == "exec" || spec.full_name == "discard" || spec.full_name == "multi" ||
         spec.full_name == "watch" || spec.full_name == "quit" || spec.full_name == "reset";
}

// Redis's redactClientCommandArgument: the positions of passwords (and user names given
// with them) that the slow log must not show.
std::vector<bool> RedactedArguments(const CommandSpec& spec, const std::vector<std::string>& args) {
  std::vector<bool> redacted(args.size(), false);
  if (spec.full_name == "auth") {
    for (size_t i = 1; i < args.size(); ++i) redacted[i] = true;
  } else if (spec.full_name == "hello") {
    for (size_t j = 2; j < args.size(); ++j) {
      if (EqualsIgnoreCase(args[j], "AUTH") && j + 2 < args.size()) {
        redacted[j + 1] = redacted[j + 2] = true;
        j += 2;
      } else if (EqualsIgnoreCase(args[j], "SETNAME")) {
        ++j;
      }
    }
  } else if (spec.full_name == "config|set") {
    for (size_t j = 2; j + 1 < args.size(); j += 2) {
      if (EqualsIgnoreCase(args[j], "requirepass")) redacted[j + 1] = true;
    }
  }
  return redacted;
}

// The arguments a slow log entry keeps: like Redis, at most 32, each at most 128 bytes,
// secrets redacted.
std::vector<std::string> SlowLogArguments(const CommandSpec& spec,
                                          const std::vector<std::string>& args) {
  std::vector<bool> redacted = RedactedArguments(spec, args);
  std::vector<std::string> shown;
  for (size_t i = 0; i < std::min<size_t>(args.size(), 32); ++i) {
    if (i == 31 && args.size() > 32) {
      shown.push_back("... (" + std::to_string(args.size() - 31) + " more arguments)");
    } else if (redacted[i]) {
      shown.push_back("(redacted)");
    } else if (args[i].size() > 128) {
      shown.push_back(args[i].substr(0, 128) + "... (" + std::to_string(args[i].size() - 128) +
                      " more bytes)");
    } else {
      shown.push_back(args[i]);
    }
  }
  return shown;
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
  bool runnable = spec != nullptr &&
                  server_->command_table().CheckArity(*spec, args.size(), &error) &&
                  (client->authenticated() || spec->HasFlag(CommandFlag::kNoAuth)) &&
                  AllowedInPubSubMode(*client, *spec, &error);
  bool in_multi = client->transaction.in_multi();
  if (runnable && in_multi && spec->HasFlag(CommandFlag::kNoMulti)) {
    runnable = false;
    error = "ERR Command not allowed inside a transaction";
  }
  bool queue = runnable && in_multi && !IsTransactionControl(*spec);
  if (runnable) {
    bool is_write = spec->HasFlag(CommandFlag::kWrite) ||
                    spec->HasFlag(CommandFlag::kMayReplicate) ||
                    (spec->full_name == "exec" && client->transaction.queued_write());
    if (server_->clients().MustWait(is_write)) return Outcome::kWaitForUnpause;
  }

  // Like Redis's resetClient: CLIENT REPLY SKIP hides the reply of the command after it,
  // whether that command runs or is rejected.
  client->skip_this_reply = client->skip_next_reply;
  client->skip_next_reply = false;
  size_t reply_start = client->output_buffer.size();
  if (queue) {
    client->transaction.Queue(*spec, args);
    ReplyBuilder(&client->output_buffer, client->protocol()).SimpleString("QUEUED");
  } else if (runnable) {
    Invoke(client, *spec, args, &client->output_buffer);
  } else {
    // Like Redis's flagTransaction: a command rejected while queuing dooms the EXEC.
    if (in_multi) client->transaction.FlagError();
    RejectCommand(client, spec, error.empty() ? "NOAUTH Authentication required." : error);
  }
  // The reply is dropped after the command ran, not before: Redis checks the flags as the
  // reply is added, so CLIENT REPLY ON and RESET answer even when replies were off.
  if (client->replies_off || client->skip_this_reply) client->output_buffer.resize(reply_start);
  return Outcome::kDone;
}

void Dispatcher::Invoke(Client* client, const CommandSpec& spec,
                        const std::vector<std::string>& args, std::string* output) {
  client->set_last_command(&spec.full_name);
  // EXEC takes the locks of its queued commands itself, all at once.
  if (spec.full_name == "exec") return InvokeLocked(client, spec, args, output);
  KeyLocks& locks = server_->storage().locks();
  if (NeedsExclusiveLock(spec)) {
    auto exclusive = locks.LockExclusive();
    InvokeLocked(client, spec, args, output);
    return;
  }
  // Views into args: locking copies no key bytes.
  std::vector<KeyLockRequest> keys;
  Storage& storage = server_->storage();
  for (size_t position : server_->command_table().KeyPositions(spec, args)) {
    keys.push_back(KeyLockRequest{client->db(), args[position]});
    storage.PrefetchAccess(client->db(), args[position]);
  }
  auto shared = locks.LockShared();
  auto key_guard = locks.LockKeys(keys);
  InvokeLocked(client, spec, args, output);
}

void Dispatcher::InvokeLocked(Client* client, const CommandSpec& spec,
                              const std::vector<std::string>& args, std::string* output) {
  size_t reply_start = output->size();
  ReplyBuilder reply(output, client->protocol());
  CommandContext context{server_, client, args, &reply};
  int64_t start_us = MonotonicUs();
  std::vector<std::pair<int, std::string>> replaced_watches;
  if (NeedsExclusiveLock(spec)) {
    replaced_watches = WatchedKeysReplacedBy(server_, spec, args, client->db());
  }
  client->just_parked = false;
  spec.handler(context);
  int64_t duration_us = MonotonicUs() - start_us;
  if (client->just_parked) return;  // counted when it ends (src/blocking.h)
  bool failed = output->size() > reply_start && (*output)[reply_start] == '-';
  if (!failed) {
    for (const auto& [db, key] : replaced_watches) server_->watches().Touch(db, key);
    // Keys of the swapped databases may now hold what blocked clients wait for.
    if (spec.full_name == "swapdb") server_->blocking().WakeAll();
  }
  if (failed) {
    server_->stats().CountError(ErrorPrefix(std::string_view(*output).substr(reply_start)));
  }
  Account(client, spec, args, duration_us, failed);
}

void Dispatcher::Rerun(Client* client, const std::vector<std::string>& args) {
  std::string error;
  const CommandSpec* spec = server_->command_table().Lookup(args, &error);
  if (spec != nullptr) Invoke(client, *spec, args, &client->output_buffer);
}

void Dispatcher::AccountUnblocked(Client* client, const std::vector<std::string>& args,
                                  bool failed) {
  std::string error;
  const CommandSpec* spec = server_->command_table().Lookup(args, &error);
  if (spec == nullptr) return;
  if (failed) server_->stats().CountError("UNBLOCKED");
  Account(client, *spec, args, 0, failed);
}

void Dispatcher::Account(Client* client, const CommandSpec& spec,
                         const std::vector<std::string>& args, int64_t duration_us, bool failed) {
  ServerStats& stats = server_->stats();
  stats.total_commands_processed.fetch_add(1, std::memory_order_relaxed);
  if (spec.stats != nullptr) {
    CommandStats& command = *spec.stats;
    command.calls.fetch_add(1, std::memory_order_relaxed);
    command.microseconds.fetch_add(static_cast<uint64_t>(duration_us), std::memory_order_relaxed);
    if (failed) command.failed_calls.fetch_add(1, std::memory_order_relaxed);
  }
  if (!failed && spec.HasFlag(CommandFlag::kWrite)) {
    stats.dirty.fetch_add(1, std::memory_order_relaxed);
  }
  int64_t threshold = server_->config().slowlog_log_slower_than();
  // Like Redis, administrative commands are logged too (they are only kept from MONITOR).
  if (threshold >= 0 && duration_us >= threshold && !spec.HasFlag(CommandFlag::kSkipSlowlog)) {
    SlowLogEntry entry{0,
                       NowMs() / 1000,
                       duration_us,
                       SlowLogArguments(spec, args),
                       client->address(),
                       client->name()};
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
  if (spec->stats != nullptr) spec->stats->rejected_calls.fetch_add(1);
}

}  // namespace cairn
