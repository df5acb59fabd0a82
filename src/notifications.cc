// Keyspace notifications: the publishing of keyspace/keyevent messages and the existence
// probes behind "new", "del" and "keymiss".
#include "src/notifications.h"

#include <string>

#include "encoding/metadata.h"
#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/config/config.h"
#include "src/config/options.h"
#include "src/pubsub.h"
#include "src/server.h"

namespace cairn {
namespace {

int64_t EnabledClasses(Server* server) { return server->config().notify_keyspace_events(); }

// A lookup that does not count as an access or a keyspace hit/miss: the probes must not
// change what OBJECT IDLETIME or INFO stats report. An error counts as missing.
bool KeyExists(CommandContext& context, std::string_view key) {
  ValueType type;
  return context.server->storage().keyspace().Type(context.client->db(), key, &type).ok();
}

}  // namespace

bool KeyspaceEventWanted(Server* server, int type_flag) {
  int64_t flags = EnabledClasses(server);
  return (flags & type_flag) != 0 && (flags & (kNotifyKeyspace | kNotifyKeyevent)) != 0;
}

void NotifyKeyspaceEvent(Server* server, int type_flag, std::string_view event,
                         std::string_view key, int db) {
  int64_t flags = EnabledClasses(server);
  if ((flags & type_flag) == 0) return;
  std::string db_text = std::to_string(db);
  if (flags & kNotifyKeyspace) {
    std::string channel = "__keyspace@" + db_text + "__:";
    channel.append(key);
    server->pubsub().Publish(channel, std::string(event));
  }
  if (flags & kNotifyKeyevent) {
    std::string channel = "__keyevent@" + db_text + "__:";
    channel.append(event);
    server->pubsub().Publish(channel, std::string(key));
  }
}

void NotifyKeyspaceEvent(CommandContext& context, int type_flag, std::string_view event,
                         std::string_view key) {
  NotifyKeyspaceEvent(context.server, type_flag, event, key, context.client->db());
}

void NotifyKeyMiss(CommandContext& context, std::string_view key) {
  NotifyKeyspaceEvent(context, kNotifyKeyMiss, "keymiss", key);
}

void NotifyMissingKeys(CommandContext& context, std::span<const std::string> keys) {
  if (!KeyspaceEventWanted(context.server, kNotifyKeyMiss)) return;
  for (const std::string& key : keys) {
    if (!KeyExists(context, key)) NotifyKeyMiss(context, key);
  }
}

std::vector<std::string> ExistingKeysIfWanted(CommandContext& context, int type_flag,
                                              std::span<const std::string> keys) {
  std::vector<std::string> existing;
  if (!KeyspaceEventWanted(context.server, type_flag)) return existing;
  std::unordered_set<std::string_view> seen;
  for (const std::string& key : keys) {
    if (seen.insert(key).second && KeyExists(context, key)) existing.push_back(key);
  }
  return existing;
}

NewKeyEvents::NewKeyEvents(CommandContext& context)
    : context_(context), wanted_(KeyspaceEventWanted(context.server, kNotifyNew)) {}

void NewKeyEvents::Probe(std::string_view key) {
  if (wanted_ && !KeyExists(context_, key)) missing_.emplace(key);
}

void NewKeyEvents::Stored(std::string_view key) {
  if (missing_.empty()) return;
  auto it = missing_.find(std::string(key));
  if (it == missing_.end()) return;
  missing_.erase(it);
  NotifyKeyspaceEvent(context_, kNotifyNew, "new", key);
}

}  // namespace cairn
