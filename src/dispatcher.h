// Dispatcher: runs one parsed command for a client — lookup, arity and auth checks,
// CLIENT PAUSE, key locks from the command's key specs, the handler, then the bookkeeping
// (stats, slow log, MONITOR feed, reply suppression).
#pragma once

#include <string>
#include <vector>

namespace cairn {

class Client;
class Server;
struct CommandSpec;

class Dispatcher {
 public:
  explicit Dispatcher(Server* server) : server_(server) {}

  enum class Outcome { kDone, kWaitForUnpause };
  // Appends the reply (if any) to client->output_buffer.
  Outcome Execute(Client* client, const std::vector<std::string>& args);
  // Runs a command whose locks the caller already holds (EXEC's queued commands): the
  // handler and its bookkeeping (stats, slow log, MONITOR); the reply goes to *output.
  void InvokeLocked(Client* client, const CommandSpec& spec, const std::vector<std::string>& args,
                    std::string* output);
  // Runs a parked blocking command again after a wake-up (src/blocking.h): key locks,
  // handler, and the bookkeeping once it no longer parks.
  void Rerun(Client* client, const std::vector<std::string>& args);
  // The bookkeeping of a parked command that ends without running again (timeout, CLIENT
  // UNBLOCK): like Redis, a blocked call counts once, when it ends.
  void AccountUnblocked(Client* client, const std::vector<std::string>& args, bool failed);

 private:
  void Invoke(Client* client, const CommandSpec& spec, const std::vector<std::string>& args,
              std::string* output);
  void Account(Client* client, const CommandSpec& spec, const std::vector<std::string>& args,
               int64_t duration_us, bool failed);
  void FeedMonitors(Client* client, const std::vector<std::string>& args);
  void RejectCommand(Client* client, const CommandSpec* spec, const std::string& error);

  Server* const server_;
};

}  // namespace cairn
