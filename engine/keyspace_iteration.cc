// Whole-db iteration over keys: KEYS, SCAN and RANDOMKEY. All of them read the meta column
// family through MetaWalker, so a pattern's literal prefix (and a hashtag in it) narrows the
// walk to the key ranges that can match.
#include <algorithm>
#include <random>

#include "encoding/glob.h"
#include "encoding/key_slot.h"
#include "encoding/metadata.h"
#include "engine/keyspace.h"
#include "engine/meta_walker.h"
#include "engine/storage.h"

namespace cairn {

namespace {

// A meta value that is live at `now` and, if asked, of the given type.
bool Visible(std::string_view raw, uint64_t now, std::optional<ValueType> type) {
  Metadata meta;
  std::string_view payload;
  if (!DecodeMetadata(raw, &meta, &payload) || meta.IsExpired(now)) return false;
  return !type || meta.type == *type;
}

bool MatchesAll(std::string_view pattern) { return pattern.empty() || pattern == "*"; }

struct PatternScope {
  std::string prefix;
  std::optional<uint16_t> only_slot;
};

PatternScope ScopeOf(std::string_view pattern) {
  PatternScope scope;
  if (MatchesAll(pattern)) return scope;
  scope.prefix = GlobLiteralPrefix(pattern);
  scope.only_slot = SlotOfKeysWithPrefix(scope.prefix);
  return scope;
}

int RandomInt(int bound) {
  thread_local std::minstd_rand engine(std::random_device{}());
  return std::uniform_int_distribution<int>(0, bound - 1)(engine);
}

}  // namespace

Status Keyspace::Keys(int db, std::string_view pattern, std::vector<std::string>* keys) {
  keys->clear();
  Status s = storage_->CheckDb(db);
  if (!s.ok()) return s;
  PatternScope scope = ScopeOf(pattern);
  MetaWalker walker(storage_, storage_->catalog().Physical(db), scope.prefix, scope.only_slot);
  uint64_t now = storage_->NowMs();
  // Unlike SCAN's, an empty KEYS pattern only matches the empty key name, as in Redis.
  bool match_all = pattern == "*";
  for (walker.Seek(0); walker.Valid(); walker.Next()) {
    if (!Visible(walker.value(), now, std::nullopt)) continue;
    if (match_all || GlobMatch(pattern, walker.user_key())) keys->emplace_back(walker.user_key());
  }
  return walker.status();
}

Status Keyspace::Scan(int db, uint64_t cursor, std::string_view pattern, size_t count,
                      std::optional<ValueType> type, std::vector<std::string>* keys,
                      uint64_t* next_cursor) {
  keys->clear();
  *next_cursor = 0;
  Status s = storage_->CheckDb(db);
  if (!s.ok()) return s;
  uint64_t start_slot = ScanCursorTable::SlotOf(cursor);
  if (start_slot >= kNumSlots) return Status::OK();
  uint16_t slot = static_cast<uint16_t>(start_slot);
  std::string resume_after;
  if (!cursors_.Recall(ScanCursorTable::TokenOf(cursor), db, slot, &resume_after)) {
    resume_after.clear();
  }
  PatternScope scope = ScopeOf(pattern);
  MetaWalker walker(storage_, storage_->catalog().Physical(db), scope.prefix, scope.only_slot);
  uint64_t budget = std::max<uint64_t>(count, 1);
  walker.SetPause(budget, slot);
  walker.Seek(slot, resume_after);
  uint64_t now = storage_->NowMs();
  bool match_all = MatchesAll(pattern);
  size_t processed = 0;
  uint16_t last_slot = slot;
  std::string last_key;
  while (walker.Valid() && (processed == 0 || walker.work() < budget)) {
    processed++;
    last_slot = walker.slot();
    last_key.assign(walker.user_key());
    if (Visible(walker.value(), now, type) &&
        (match_all || GlobMatch(pattern, walker.user_key()))) {
      keys->push_back(last_key);
    }
    walker.Next();
  }
  s = walker.status();
  if (!s.ok()) return s;
  if (walker.paused()) {
    *next_cursor = ScanCursorTable::MakeCursor(walker.paused_slot(), 0);
  } else if (walker.Valid()) {
    // Resume right after the last examined key if the walk stopped inside its slot.
    *next_cursor =
        walker.slot() == last_slot && processed > 0
            ? ScanCursorTable::MakeCursor(last_slot, cursors_.Remember(db, last_slot, last_key))
            : ScanCursorTable::MakeCursor(walker.slot(), 0);
  }
  return Status::OK();
}

Status Keyspace::RandomKey(int db, std::string* key, bool* found) {
  *found = false;
  Status s = storage_->CheckDb(db);
  if (!s.ok() || storage_->catalog().KeyCount(db) <= 0) return s;
  constexpr int kAttempts = 16;
  constexpr int kEntriesPerAttempt = 16;
  MetaWalker walker(storage_, storage_->catalog().Physical(db), "", std::nullopt);
  uint64_t now = storage_->NowMs();
  for (int attempt = 0; attempt < kAttempts; attempt++) {
    walker.Seek(static_cast<uint16_t>(RandomInt(kNumSlots)));
    if (!walker.Valid()) walker.Seek(0);  // wrap around
    for (int i = 0; i < kEntriesPerAttempt && walker.Valid(); i++, walker.Next()) {
      if (Visible(walker.value(), now, std::nullopt)) {
        key->assign(walker.user_key());
        *found = true;
        return Status::OK();
      }
    }
    s = walker.status();
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace cairn
