// The calling convention of a command handler: what it gets, and how it is registered.
#pragma once

#include <string>
#include <vector>

namespace cairn {

class Server;
class Client;
class ReplyBuilder;

// Everything a handler may touch while it runs. The dispatcher has already checked arity,
// authentication and took the locks of the keys named by the command's key specs.
struct CommandContext {
  Server* server;
  Client* client;                        // the calling connection (never null)
  const std::vector<std::string>& args;  // args[0] is the command name as the client sent it
  ReplyBuilder* reply;
};

using CommandHandler = void (*)(CommandContext& context);

// Binds handlers to command names. Each group file (src/commands/string.cc, ...) exports a
// Register...Commands(CommandRegistry&) that calls Add once per command it implements.
// Subcommands are named "CONTAINER SUB", e.g. "CLIENT KILL", as in the command facts.
class CommandRegistry {
 public:
  virtual ~CommandRegistry() = default;
  virtual void Add(const std::string& name, CommandHandler handler) = 0;
};

}  // namespace cairn
