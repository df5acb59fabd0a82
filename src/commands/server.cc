// Server group: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, SHUTDOWN, SLOWLOG, MONITOR,
// LASTSAVE, SAVE, BGSAVE, DEBUG.
#include "src/server.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/config/config.h"
#include "src/logging.h"
#include "src/persistence.h"
#include "src/protocol/reply_builder.h"
#include "src/stats.h"
#include "src/time_util.h"

namespace cairn {
namespace {

void DbSize(CommandContext& context) {
  context.reply->Integer(
      static_cast<int64_t>(context.server->storage().keyspace().DbSize(context.client->db())));
}

// FLUSHDB/FLUSHALL take an optional ASYNC or SYNC; both are fast here (range deletes), so
// they behave the same.
bool ParseFlushMode(CommandContext& context) {
  if (context.args.size() > 2 ||
      (context.args.size() == 2 && !EqualsIgnoreCase(context.args[1], "ASYNC") &&
       !EqualsIgnoreCase(context.args[1], "SYNC"))) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  return true;
}

void FlushDb(CommandContext& context) {
  if (!ParseFlushMode(context)) return;
  Status status = context.server->storage().keyspace().FlushDB(context.client->db());
  if (!ReplyIfError(status, context.reply)) context.reply->Ok();
}

void FlushAll(CommandContext& context) {
  if (!ParseFlushMode(context)) return;
  Status status = context.server->storage().keyspace().FlushAll();
  if (!ReplyIfError(status, context.reply)) context.reply->Ok();
}

void SwapDb(CommandContext& context) {
  int64_t first = 0, second = 0;
  if (!ParseInt64(context.args[1], &first) || first < INT32_MIN || first > INT32_MAX) {
    context.reply->Error("ERR invalid first DB index");
    return;
  }
  if (!ParseInt64(context.args[2], &second) || second < INT32_MIN || second > INT32_MAX) {
    context.reply->Error("ERR invalid second DB index");
    return;
  }
  int64_t databases = context.server->config().databases();
  if (first < 0 || first >= databases || second < 0 || second >= databases) {
    context.reply->Error(kErrDbIndex);
    return;
  }
  Status status = context.server->storage().keyspace().SwapDB(static_cast<int>(first),
                                                              static_cast<int>(second));
  if (!ReplyIfError(status, context.reply)) context.reply->Ok();
}

void Time(CommandContext& context) {
  int64_t now = NowUs();
  context.reply->ArrayHeader(2);
  context.reply->Bulk(std::to_string(now / 1000000));
  context.reply->Bulk(std::to_string(now % 1000000));
}

void LastSave(CommandContext& context) {
  int64_t last = context.server->persistence().last_save_time();
  context.reply->Integer(last != 0 ? last : context.server->start_time_ms() / 1000);
}

void Save(CommandContext& context) {
  if (context.server->persistence().in_progress()) {
    context.reply->Error("ERR Background save already in progress");
    return;
  }
  std::string error;
  if (context.server->persistence().Save(&error)) {
    context.reply->Ok();
  } else {
    context.reply->Error(error);
  }
}

void BgSave(CommandContext& context) {
  bool schedule = false;
  if (context.args.size() == 2 && EqualsIgnoreCase(context.args[1], "SCHEDULE")) {
    schedule = true;
  } else if (context.args.size() > 1) {
    context.reply->Error(kErrSyntax);
    return;
  }
  Persistence& persistence = context.server->persistence();
  std::string error;
  if (persistence.in_progress() && schedule) {
    persistence.ScheduleBackgroundSave();
    context.reply->SimpleString("Background saving scheduled");
  } else if (persistence.BackgroundSave(&error)) {
    context.reply->SimpleString("Background saving started");
  } else {
    context.reply->Error(error);
  }
}

void Shutdown(CommandContext& context) {
  bool nosave = false, save = false, abort = false;
  for (size_t i = 1; i < context.args.size(); ++i) {
    const std::string& flag = context.args[i];
    if (EqualsIgnoreCase(flag, "NOSAVE")) {
      nosave = true;
    } else if (EqualsIgnoreCase(flag, "SAVE")) {
      save = true;
    } else if (EqualsIgnoreCase(flag, "ABORT")) {
      abort = true;
    } else if (!EqualsIgnoreCase(flag, "NOW") && !EqualsIgnoreCase(flag, "FORCE")) {
      context.reply->Error(kErrSyntax);
      return;
    }
  }
  bool force = false;
  for (size_t i = 1; i < context.args.size(); ++i) {
    if (EqualsIgnoreCase(context.args[i], "FORCE")) force = true;
  }
  if ((abort && context.args.size() > 2) || (nosave && save)) {
    context.reply->Error(kErrSyntax);
    return;
  }
  if (abort) {
    // Shutdown here never waits for replicas, so there is never one in progress to abort.
    context.reply->Error("ERR No shutdown in progress.");
    return;
  }
  bool want_save = save || (!nosave && !context.server->config().save_rules().empty());
  std::string error;
  if (want_save && !context.server->persistence().Save(&error)) {
    LogWarning("Error trying to save the DB, can't exit: " + error);
    if (!force) {
      context.reply->Error("ERR Errors trying to SHUTDOWN. Check logs.");
      return;
    }
  }
  context.client->close_after_reply = true;
  context.server->RequestShutdown();
}

void SlowLogGet(CommandContext& context) {
  if (context.args.size() > 3) {
    ReplySubcommandSyntaxError(context);
    return;
  }
  int64_t count = 10;
  if (context.args.size() == 3 && (!ParseInt64(context.args[2], &count) || count < -1)) {
    context.reply->Error("ERR count should be greater than or equal to -1");
    return;
  }
  size_t wanted = count == -1 ? SIZE_MAX : static_cast<size_t>(count);
  std::vector<SlowLogEntry> entries = context.server->stats().slowlog.Newest(wanted);
  ReplyBuilder* reply = context.reply;
  reply->ArrayHeader(entries.size());
  for (const SlowLogEntry& entry : entries) {
    reply->ArrayHeader(6);
    reply->Integer(static_cast<int64_t>(entry.id));
    reply->Integer(entry.unix_time);
    reply->Integer(entry.duration_us);
    reply->BulkArray(entry.args.data(), entry.args.size());
    reply->Bulk(entry.client_address);
    reply->Bulk(entry.client_name);
  }
}

void SlowLogLen(CommandContext& context) {
  context.reply->Integer(static_cast<int64_t>(context.server->stats().slowlog.size()));
}

void SlowLogReset(CommandContext& context) {
  context.server->stats().slowlog.Reset();
  context.reply->Ok();
}

void SlowLogHelp(CommandContext& context) {
  ReplyHelp(context.reply, "SLOWLOG",
            {"GET [<count>]",
             "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
             "    Entries are made of:",
             "    id, timestamp, time in microseconds, arguments array, client IP and port,",
             "    client name", "LEN", "    Return the length of the slowlog.", "RESET",
             "    Reset the slowlog."});
}

void Monitor(CommandContext& context) {
  Client* client = context.client;
  if (client->is_monitor()) return;  // like Redis: a second MONITOR is silently ignored
  client->set_monitor(true);
  context.server->clients().AddMonitor(client);
  context.reply->Ok();
}

void Debug(CommandContext& context) {
  const auto& args = context.args;
  if (args.size() == 2 && EqualsIgnoreCase(args[1], "HELP")) {
    ReplyHelp(context.reply, "DEBUG",
              {"SET-ACTIVE-EXPIRE <0|1>",
               "    Setting it to 0 disables expiring keys in background when they are not",
               "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
               "    default.", "SLEEP <seconds>",
               "    Stop the server for <seconds>. Decimals allowed."});
  } else if (args.size() == 3 && EqualsIgnoreCase(args[1], "SLEEP")) {
    double seconds = 0;
    if (!ParseDouble(args[2], &seconds) || seconds < 0 || std::isinf(seconds)) {
      context.reply->Error(kErrNotFloat);
      return;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
    context.reply->Ok();
  } else if (args.size() == 3 && EqualsIgnoreCase(args[1], "SET-ACTIVE-EXPIRE")) {
    context.server->storage().SetActiveExpiry(args[2] != "0");
    context.reply->Ok();
  } else {
    ReplySubcommandSyntaxError(context);
  }
}

}  // namespace

void RegisterServerCommands(CommandRegistry& registry) {
  registry.Add("DBSIZE", &DbSize);
  registry.Add("FLUSHDB", &FlushDb);
  registry.Add("FLUSHALL", &FlushAll);
  registry.Add("SWAPDB", &SwapDb);
  registry.Add("TIME", &Time);
  registry.Add("LASTSAVE", &LastSave);
  registry.Add("SAVE", &Save);
  registry.Add("BGSAVE", &BgSave);
  registry.Add("SHUTDOWN", &Shutdown);
  registry.Add("SLOWLOG GET", &SlowLogGet);
  registry.Add("SLOWLOG LEN", &SlowLogLen);
  registry.Add("SLOWLOG RESET", &SlowLogReset);
  registry.Add("SLOWLOG HELP", &SlowLogHelp);
  registry.Add("MONITOR", &Monitor);
  registry.Add("DEBUG", &Debug);
}

}  // namespace cairn
