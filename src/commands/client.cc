// CLIENT subcommands: ID INFO LIST KILL SETNAME GETNAME PAUSE UNPAUSE REPLY UNBLOCK
// NO-EVICT HELP.
#include "src/client.h"

#include <climits>
#include <set>

#include "src/blocking.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/client_info.h"
#include "src/protocol/reply_builder.h"
#include "src/pubsub.h"
#include "src/server.h"
#include "src/time_util.h"

namespace cairn {
namespace {

// Client types; replicas and masters do not exist until replication arrives, but the names
// are validated like Redis's getClientTypeByName.
bool IsKnownClientType(const std::string& name) {
  for (const char* type : {"normal", "slave", "replica", "pubsub", "master"}) {
    if (EqualsIgnoreCase(name, type)) return true;
  }
  return false;
}

// Redis's getClientType for the types that exist here: a client with subscriptions is a
// pubsub client, any other (MONITOR included) a normal one.
const char* ClientTypeOf(const Client& client) {
  return InPubSubMode(client) ? "pubsub" : "normal";
}

void ClientId(CommandContext& context) {
  context.reply->Integer(static_cast<int64_t>(context.client->id()));
}

void ClientInfo(CommandContext& context) {
  context.reply->Verbatim("txt", FormatClientInfo(*context.client, NowMs()));
}

void ClientList(CommandContext& context) {
  const auto& args = context.args;
  std::string type;  // empty: every type
  bool by_id = false;
  std::set<uint64_t> ids;
  if (args.size() == 4 && EqualsIgnoreCase(args[2], "TYPE")) {
    if (!IsKnownClientType(args[3])) {
      context.reply->Error("ERR Unknown client type '" + args[3] + "'");
      return;
    }
    type = ToLower(args[3]);
  } else if (args.size() > 3 && EqualsIgnoreCase(args[2], "ID")) {
    by_id = true;
    for (size_t j = 3; j < args.size(); ++j) {
      int64_t id = 0;
      if (!ParseInt64(args[j], &id)) {
        context.reply->Error("ERR Invalid client ID");
        return;
      }
      if (id > 0) ids.insert(static_cast<uint64_t>(id));  // no client has an id below 1
    }
  } else if (args.size() != 2) {
    context.reply->Error(kErrSyntax);
    return;
  }
  std::string text;
  int64_t now = NowMs();
  context.server->clients().ForEach([&](const Client& client) {
    if (!type.empty() && type != ClientTypeOf(client)) return;
    if (!by_id || ids.count(client.id()) > 0) text += FormatClientInfo(client, now);
  });
  context.reply->Verbatim("txt", text);
}

struct KillFilter {
  int64_t id = 0;
  std::string type;
  std::string user;
  std::string address;
  std::string local_address;
  bool skip_me = true;
};

// Parses the filter form of CLIENT KILL; false after replying with the error.
bool ParseKillFilter(CommandContext& context, KillFilter* filter) {
  const auto& args = context.args;
  for (size_t i = 2; i < args.size(); i += 2) {
    bool more = i + 1 < args.size();
    const std::string& option = args[i];
    if (!more) {
      context.reply->Error(kErrSyntax);
      return false;
    }
    const std::string& value = args[i + 1];
    if (EqualsIgnoreCase(option, "ID")) {
      if (!ParseInt64(value, &filter->id) || filter->id < 1) {
        context.reply->Error("ERR client-id should be greater than 0");
        return false;
      }
    } else if (EqualsIgnoreCase(option, "TYPE")) {
      if (!IsKnownClientType(value)) {
        context.reply->Error("ERR Unknown client type '" + value + "'");
        return false;
      }
      filter->type = ToLower(value);
    } else if (EqualsIgnoreCase(option, "USER")) {
      if (value != "default") {
        context.reply->Error("ERR No such user '" + value + "'");
        return false;
      }
      filter->user = value;
    } else if (EqualsIgnoreCase(option, "ADDR")) {
      filter->address = value;
    } else if (EqualsIgnoreCase(option, "LADDR")) {
      filter->local_address = value;
    } else if (EqualsIgnoreCase(option, "SKIPME")) {
      if (EqualsIgnoreCase(value, "yes")) {
        filter->skip_me = true;
      } else if (EqualsIgnoreCase(value, "no")) {
        filter->skip_me = false;
      } else {
        context.reply->Error(kErrSyntax);
        return false;
      }
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

void ClientKill(CommandContext& context) {
  Client* self = context.client;
  KillFilter filter;
  bool old_form = context.args.size() == 3;
  if (old_form) {
    filter.address = context.args[2];
    filter.skip_me = false;
  } else if (!ParseKillFilter(context, &filter)) {
    return;
  }
  bool kill_self = false;
  auto matches = [&](const Client& client) {
    if (filter.id != 0 && client.id() != static_cast<uint64_t>(filter.id)) return false;
    if (!filter.type.empty() && filter.type != ClientTypeOf(client)) return false;
    if (!filter.address.empty() && client.address() != filter.address) return false;
    if (!filter.local_address.empty() && client.local_address() != filter.local_address) {
      return false;
    }
    if (&client == self) {
      if (filter.skip_me) return false;
      kill_self = true;  // closed after this reply instead of right away
      return false;
    }
    return true;
  };
  size_t killed = context.server->clients().Kill(matches);
  if (kill_self) {
    self->close_after_reply = true;
    ++killed;
  }
  if (!old_form) {
    context.reply->Integer(static_cast<int64_t>(killed));
  } else if (killed == 0) {
    context.reply->Error("ERR No such client");
  } else {
    context.reply->Ok();
  }
}

void ClientSetName(CommandContext& context) {
  if (!IsValidClientName(context.args[2])) {
    context.reply->Error(kErrInvalidClientName);
    return;
  }
  context.client->set_name(context.args[2]);
  context.reply->Ok();
}

void ClientGetName(CommandContext& context) {
  std::string name = context.client->name();
  if (name.empty()) {
    context.reply->Null();
  } else {
    context.reply->Bulk(name);
  }
}

void ClientPause(CommandContext& context) {
  const auto& args = context.args;
  if (args.size() > 4) {
    ReplySubcommandSyntaxError(context);
    return;
  }
  int64_t timeout_ms = 0;
  if (!ParseInt64(args[2], &timeout_ms)) {
    context.reply->Error("ERR timeout is not an integer or out of range");
    return;
  }
  if (timeout_ms < 0) {
    context.reply->Error("ERR timeout is negative");
    return;
  }
  bool all = true;
  if (args.size() == 4) {
    if (EqualsIgnoreCase(args[3], "WRITE")) {
      all = false;
    } else if (!EqualsIgnoreCase(args[3], "ALL")) {
      context.reply->Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  int64_t now = NowMs();
  int64_t end = timeout_ms > LLONG_MAX - now ? LLONG_MAX : now + timeout_ms;
  context.server->clients().Pause(end, all);
  context.reply->Ok();
}

void ClientUnpause(CommandContext& context) {
  context.server->clients().Unpause();
  context.reply->Ok();
}

void ClientReply(CommandContext& context) {
  Client* client = context.client;
  const std::string& mode = context.args[2];
  if (EqualsIgnoreCase(mode, "ON")) {
    client->replies_off = false;
    client->skip_next_reply = false;
    client->skip_this_reply = false;
    context.reply->Ok();
  } else if (EqualsIgnoreCase(mode, "OFF")) {
    client->replies_off = true;
  } else if (EqualsIgnoreCase(mode, "SKIP")) {
    if (!client->replies_off) client->skip_next_reply = true;
  } else {
    context.reply->Error(kErrSyntax);
  }
}

// Replies 1 if the client was blocked (it then gets the timeout reply or the UNBLOCKED
// error), else 0.
void ClientUnblock(CommandContext& context) {
  const auto& args = context.args;
  if (args.size() > 4) {
    ReplySubcommandSyntaxError(context);
    return;
  }
  int64_t id = 0;
  if (!ParseInt64(args[2], &id)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  auto reason = BlockingManager::UnblockReason::kTimeout;
  if (args.size() == 4) {
    if (EqualsIgnoreCase(args[3], "ERROR")) {
      reason = BlockingManager::UnblockReason::kError;
    } else if (!EqualsIgnoreCase(args[3], "TIMEOUT")) {
      context.reply->Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  }
  bool unblocked = context.server->blocking().Unblock(static_cast<uint64_t>(id), reason);
  context.reply->Integer(unblocked ? 1 : 0);
}

void ClientNoEvict(CommandContext& context) {
  const std::string& value = context.args[2];
  if (EqualsIgnoreCase(value, "ON")) {
    context.client->set_no_evict(true);
  } else if (EqualsIgnoreCase(value, "OFF")) {
    context.client->set_no_evict(false);
  } else {
    context.reply->Error(kErrSyntax);
    return;
  }
  context.reply->Ok();
}

void ClientHelp(CommandContext& context) {
  ReplyHelp(context.reply, "CLIENT",
            {"GETNAME",
             "    Return the name of the current connection.",
             "ID",
             "    Return the ID of the current connection.",
             "INFO",
             "    Return information about the current client connection.",
             "KILL <ip:port>",
             "    Kill connection made from <ip:port>.",
             "KILL <option> <value> [<option> <value> [...]]",
             "    Kill connections. Options are:",
             "    * ADDR (<ip:port>|<unixsocket>:0)",
             "      Kill connections made from the specified address",
             "    * LADDR (<ip:port>|<unixsocket>:0)",
             "      Kill connections made to specified local address",
             "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
             "      Kill connections by type.",
             "    * USER <username>",
             "      Kill connections authenticated by <username>.",
             "    * SKIPME (YES|NO)",
             "      Skip killing current connection (default: yes).",
             "    * ID <client-id>",
             "      Kill connections by client id.",
             "LIST [options ...]",
             "    Return information about client connections. Options:",
             "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
             "      Return clients of specified type.",
             "UNPAUSE",
             "    Stop the current client pause, resuming traffic.",
             "PAUSE <timeout> [WRITE|ALL]",
             "    Suspend all, or just write, clients for <timeout> milliseconds.",
             "REPLY (ON|OFF|SKIP)",
             "    Control the replies sent to the current connection.",
             "SETNAME <name>",
             "    Assign the name <name> to the current connection.",
             "UNBLOCK <clientid> [TIMEOUT|ERROR]",
             "    Unblock the specified blocked client.",
             "NO-EVICT (ON|OFF)",
             "    Protect current client connection from eviction."});
}

}  // namespace

void RegisterClientCommands(CommandRegistry& registry) {
  registry.Add("CLIENT ID", &ClientId);
  registry.Add("CLIENT INFO", &ClientInfo);
  registry.Add("CLIENT LIST", &ClientList);
  registry.Add("CLIENT KILL", &ClientKill);
  registry.Add("CLIENT SETNAME", &ClientSetName);
  registry.Add("CLIENT GETNAME", &ClientGetName);
  registry.Add("CLIENT PAUSE", &ClientPause);
  registry.Add("CLIENT UNPAUSE", &ClientUnpause);
  registry.Add("CLIENT REPLY", &ClientReply);
  registry.Add("CLIENT UNBLOCK", &ClientUnblock);
  registry.Add("CLIENT NO-EVICT", &ClientNoEvict);
  registry.Add("CLIENT HELP", &ClientHelp);
}

}  // namespace cairn
