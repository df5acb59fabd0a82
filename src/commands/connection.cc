// Connection group: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET.
#include "src/client.h"
#include "src/client_registry.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/client_info.h"
#include "src/config/config.h"
#include "src/protocol/reply_builder.h"
#include "src/pubsub.h"
#include "src/server.h"
#include "src/version.h"

namespace cairn {
namespace {

constexpr char kWrongPass[] = "WRONGPASS invalid username-password pair or user is disabled.";

void Ping(CommandContext& context) {
  if (context.args.size() > 2) {
    context.reply->Error("ERR wrong number of arguments for 'ping' command");
  } else if (context.client->protocol() == 2 && InPubSubMode(*context.client)) {
    // A RESP2 subscriber tells replies from messages by shape: Redis answers with an array.
    context.reply->ArrayHeader(2);
    context.reply->Bulk("pong");
    context.reply->Bulk(context.args.size() == 2 ? context.args[1] : std::string());
  } else if (context.args.size() == 2) {
    context.reply->Bulk(context.args[1]);
  } else {
    context.reply->SimpleString("PONG");
  }
}

void Echo(CommandContext& context) { context.reply->Bulk(context.args[1]); }

void Quit(CommandContext& context) {
  context.reply->Ok();
  context.client->close_after_reply = true;
}

void Select(CommandContext& context) {
  int64_t db = 0;
  if (!ParseInt64(context.args[1], &db)) {
    context.reply->Error(kErrNotInteger);
  } else if (db < INT32_MIN || db > INT32_MAX) {
    // Redis's getIntFromObjectOrReply: a 64-bit integer outside int gets its own text.
    context.reply->Error(
        "ERR value is out of range, value must between -2147483648 and 2147483647");
  } else if (db < 0 || db >= context.server->config().databases()) {
    context.reply->Error(kErrDbIndex);
  } else {
    context.client->set_db(static_cast<int>(db));
    context.reply->Ok();
  }
}

// The only user is "default", whose password is requirepass (none: any password works).
bool CheckCredentials(Server* server, const std::string& user, const std::string& password) {
  if (user != "default") return false;
  std::string required = server->config().requirepass();
  return required.empty() || password == required;
}

void Auth(CommandContext& context) {
  const auto& args = context.args;
  if (args.size() > 3) {
    context.reply->Error(kErrSyntax);
    return;
  }
  if (args.size() == 2 && context.server->config().requirepass().empty()) {
    context.reply->Error(
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?");
    return;
  }
  const std::string& user = args.size() == 2 ? std::string("default") : args[1];
  if (!CheckCredentials(context.server, user, args.back())) {
    context.reply->Error(kWrongPass);
    return;
  }
  context.client->set_authenticated(true);
  context.reply->Ok();
}

void Hello(CommandContext& context) {
  const auto& args = context.args;
  Client* client = context.client;
  int64_t version = 0;
  if (args.size() >= 2) {
    if (!ParseInt64(args[1], &version)) {
      context.reply->Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (version < 2 || version > 3) {
      context.reply->Error("NOPROTO unsupported protocol version");
      return;
    }
  }
  const std::string* user = nullptr;
  const std::string* password = nullptr;
  const std::string* name = nullptr;
  for (size_t j = 2; j < args.size(); ++j) {
    size_t more = args.size() - 1 - j;
    if (EqualsIgnoreCase(args[j], "AUTH") && more >= 2) {
      user = &args[j + 1];
      password = &args[j + 2];
      j += 2;
    } else if (EqualsIgnoreCase(args[j], "SETNAME") && more >= 1) {
      name = &args[j + 1];
      j += 1;
    } else {
      context.reply->Error("ERR Syntax error in HELLO option '" + args[j] + "'");
      return;
    }
  }
  if (user != nullptr) {
    if (!CheckCredentials(context.server, *user, *password)) {
      context.reply->Error(kWrongPass);
      return;
    }
    client->set_authenticated(true);
  }
  if (!client->authenticated()) {
    context.reply->Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO AUTH <user> <pass> option can be used to authenticate the client and "
        "select the RESP protocol version at the same time");
    return;
  }
  if (name != nullptr) {
    if (!IsValidClientName(*name)) {
      context.reply->Error(kErrInvalidClientName);
      return;
    }
    client->set_name(*name);
  }
  if (version != 0) {
    client->set_protocol(static_cast<int>(version));
    context.reply->set_protocol(static_cast<int>(version));
  }
  ReplyBuilder* reply = context.reply;
  reply->MapHeader(7);
  reply->Bulk("server");
  reply->Bulk("redis");
  reply->Bulk("version");
  reply->Bulk(kRedisCompatibleVersion);
  reply->Bulk("proto");
  reply->Integer(client->protocol());
  reply->Bulk("id");
  reply->Integer(static_cast<int64_t>(client->id()));
  reply->Bulk("mode");
  reply->Bulk("standalone");
  reply->Bulk("role");
  reply->Bulk("master");
  reply->Bulk("modules");
  reply->ArrayHeader(0);
}

void Reset(CommandContext& context) {
  Client* client = context.client;
  client->set_db(0);
  client->set_protocol(2);
  context.reply->set_protocol(2);
  client->set_name("");
  client->set_authenticated(context.server->config().requirepass().empty());
  client->replies_off = false;
  client->skip_next_reply = false;
  client->transaction.Discard();
  if (client->is_monitor()) {
    client->set_monitor(false);
    context.server->clients().RemoveMonitor(client);
  }
  context.server->pubsub().RemoveClient(client);
  context.reply->SimpleString("RESET");
}

}  // namespace

void RegisterConnectionCommands(CommandRegistry& registry) {
  registry.Add("PING", &Ping);
  registry.Add("ECHO", &Echo);
  registry.Add("QUIT", &Quit);
  registry.Add("SELECT", &Select);
  registry.Add("AUTH", &Auth);
  registry.Add("HELLO", &Hello);
  registry.Add("RESET", &Reset);
}

}  // namespace cairn
