// The registration function of every command group file. Server adds them all to its
// command table at start-up.
#pragma once

namespace cairn {

class CommandRegistry;

void RegisterCommandCommands(CommandRegistry& registry);      // command.cc
void RegisterConfigCommands(CommandRegistry& registry);       // config.cc
void RegisterConnectionCommands(CommandRegistry& registry);   // connection.cc
void RegisterClientCommands(CommandRegistry& registry);       // client.cc
void RegisterServerCommands(CommandRegistry& registry);       // server.cc
void RegisterInfoCommand(CommandRegistry& registry);          // info.cc
void RegisterStringCommands(CommandRegistry& registry);       // string.cc
void RegisterGenericCommands(CommandRegistry& registry);      // generic.cc
void RegisterPubSubCommands(CommandRegistry& registry);       // pubsub.cc
void RegisterTransactionCommands(CommandRegistry& registry);  // transaction.cc
void RegisterHashCommands(CommandRegistry& registry);         // hash.cc
void RegisterListCommands(CommandRegistry& registry);         // list.cc
void RegisterSetCommands(CommandRegistry& registry);          // set.cc
void RegisterZSetCommands(CommandRegistry& registry);         // zset.cc
// Blocking pops and moves: list_blocking.cc and zset_blocking.cc
void RegisterListBlockingCommands(CommandRegistry& registry);
void RegisterZSetBlockingCommands(CommandRegistry& registry);
// HSCAN, SSCAN and ZSCAN: collection_scan.cc
void RegisterCollectionScanCommands(CommandRegistry& registry);

inline void RegisterAllCommands(CommandRegistry& registry) {
  RegisterCommandCommands(registry);
  RegisterConfigCommands(registry);
  RegisterConnectionCommands(registry);
  RegisterClientCommands(registry);
  RegisterServerCommands(registry);
  RegisterInfoCommand(registry);
  RegisterStringCommands(registry);
  RegisterGenericCommands(registry);
  RegisterPubSubCommands(registry);
  RegisterTransactionCommands(registry);
  RegisterHashCommands(registry);
  RegisterListCommands(registry);
  RegisterSetCommands(registry);
  RegisterZSetCommands(registry);
  RegisterListBlockingCommands(registry);
  RegisterZSetBlockingCommands(registry);
  RegisterCollectionScanCommands(registry);
}

}  // namespace cairn
