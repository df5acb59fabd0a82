// Argument parsing and engine status to Redis error mapping.
#include "src/commands/arguments.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"
#include "src/stats.h"

namespace cairn {

namespace {

bool StartsOrEndsWithSpace(std::string_view text) {
  return isspace(static_cast<unsigned char>(text.front())) ||
         isspace(static_cast<unsigned char>(text.back()));
}

}  // namespace

bool ParseDouble(std::string_view text, double* value) {
  if (text.empty() || text.size() > 5000 || StartsOrEndsWithSpace(text)) return false;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double parsed = strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(parsed)) return false;
  if (errno == ERANGE && (parsed == HUGE_VAL || parsed == -HUGE_VAL || parsed == 0)) {
    return false;
  }
  *value = parsed;
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return lower;
}

void ReplyHelp(ReplyBuilder* reply, std::string_view command,
               std::initializer_list<const char*> lines) {
  reply->ArrayHeader(lines.size() + 3);
  reply->SimpleString(std::string(command) +
                      " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : lines) reply->SimpleString(line);
  reply->SimpleString("HELP");
  reply->SimpleString("    Prints this help.");
}

void ReplySubcommandSyntaxError(CommandContext& context) {
  std::string command(context.args[0]);
  for (char& c : command) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  context.reply->Error("ERR unknown subcommand or wrong number of arguments for '" +
                       context.args[1].substr(0, 128) + "'. Try " + command + " HELP.");
}

bool ReplyIfError(const Status& status, ReplyBuilder* reply) {
  if (status.ok()) return false;
  // Engine messages carry Redis's error text; ReplyBuilder adds "ERR " to the others.
  reply->Error(status.message());
  return true;
}

void CountLookup(CommandContext& context, std::string_view key, bool found) {
  ServerStats& stats = context.server->stats();
  (found ? stats.keyspace_hits : stats.keyspace_misses).fetch_add(1, std::memory_order_relaxed);
  if (found) {
    context.server->storage().RecordAccess(context.client->db(), key);
  } else {
    NotifyKeyMiss(context, key);  // Redis emits "keymiss" where it counts the miss
  }
}

}  // namespace cairn
