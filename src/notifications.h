// Keyspace notifications (notify-keyspace-events): Redis's notifyKeyspaceEvent, which
// publishes "__keyspace@<db>__:<key>" -> <event> and "__keyevent@<db>__:<event>" -> <key>
// through pub/sub, and the helpers handlers use to emit exactly the events Redis 7.0 emits.
// The engine does not report which keys a write created or deleted, so those helpers look
// the keys up before the write — only while an event class that needs the answer is on, so
// a server with notifications off pays nothing but a config read.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace cairn {

class Server;
struct CommandContext;

// Redis's notifyKeyspaceEvent: does nothing unless the class type_flag (a kNotify* bit of
// src/config/options.h) and K or E are enabled. Safe from any thread.
void NotifyKeyspaceEvent(Server* server, int type_flag, std::string_view event,
                         std::string_view key, int db);
// The same in the calling client's selected db.
void NotifyKeyspaceEvent(CommandContext& context, int type_flag, std::string_view event,
                         std::string_view key);

// True when an event of class type_flag would be published.
bool KeyspaceEventWanted(Server* server, int type_flag);

// "keymiss" (class m) for a key a read command looked up and did not find.
void NotifyKeyMiss(CommandContext& context, std::string_view key);
// "keymiss" for each of keys that does not exist, in order, repeats included (EXISTS and
// TOUCH, which learn only how many keys exist). Looks keys up only when m is on.
void NotifyMissingKeys(CommandContext& context, std::span<const std::string> keys);

// The distinct keys of `keys` that exist, in order, or nothing when events of class
// type_flag are off: what a command that deletes keys (DEL) must report afterwards.
std::vector<std::string> ExistingKeysIfWanted(CommandContext& context, int type_flag,
                                              std::span<const std::string> keys);

// Redis emits "new" (class n) when a write adds a key that did not exist. Probe each key
// the command may create before the write, then call Stored for each key the write stored,
// in Redis's order: "new" goes out the first time a key that was missing is stored.
class NewKeyEvents {
 public:
  explicit NewKeyEvents(CommandContext& context);
  void Probe(std::string_view key);
  void Stored(std::string_view key);

 private:
  CommandContext& context_;
  bool wanted_;
  std::unordered_set<std::string> missing_;
};

}  // namespace cairn
