// MemberCollectorFactory and its filter (see member_collector.h).
#include "engine/member_collector.h"

#include <rocksdb/db.h>

#include <string>
#include <string_view>

#include "encoding/meta_key.h"
#include "encoding/metadata.h"
#include "encoding/sub_key.h"

namespace cairn {

namespace {

// One filter serves one compaction, on one thread. Members of a key are adjacent, so the
// verdict for the last key incarnation seen is remembered: one metadata read per key
// incarnation, not per member.
class MemberCollector : public rocksdb::CompactionFilter {
 public:
  MemberCollector(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta_cf)
      : db_(db), meta_cf_(meta_cf) {}

  bool Filter(int /*level*/, const rocksdb::Slice& key, const rocksdb::Slice& /*value*/,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    SubKeyParts parts;
    if (!DecodeSubKey(std::string_view(key.data(), key.size()), &parts)) return false;
    size_t prefix_size = key.size() - parts.member_part.size();
    std::string_view prefix(key.data(), prefix_size);
    if (prefix != last_prefix_) {
      last_prefix_.assign(prefix);
      last_verdict_drop_ = IsDead(parts);
    }
    return last_verdict_drop_;
  }

  const char* Name() const override { return "cairn.MemberCollector"; }

 private:
  // Dead: no metadata, or metadata of another incarnation or of a type without members.
  // A read error keeps the member; the next compaction decides again.
  bool IsDead(const SubKeyParts& parts) const {
    std::string meta_key = EncodeMetaKey(parts.db, parts.slot, parts.user_key);
    std::string raw;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_cf_, meta_key, &raw);
    if (s.IsNotFound()) return true;
    if (!s.ok()) return false;
    Metadata meta;
    std::string_view payload;
    if (!DecodeMetadata(raw, &meta, &payload)) return false;
    return meta.version != parts.version || meta.type == cairn::ValueType::kString;
  }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* meta_cf_;
  mutable std::string last_prefix_;
  mutable bool last_verdict_drop_ = false;
};

class KeepEverything : public rocksdb::CompactionFilter {
 public:
  bool Filter(int, const rocksdb::Slice&, const rocksdb::Slice&, std::string*,
              bool*) const override {
    return false;
  }
  const char* Name() const override { return "cairn.KeepEverything"; }
};

}  // namespace

void MemberCollectorFactory::Attach(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta_cf) {
  meta_cf_.store(meta_cf);
  db_.store(db);
}

void MemberCollectorFactory::Detach() { db_.store(nullptr); }

std::unique_ptr<rocksdb::CompactionFilter> MemberCollectorFactory::CreateCompactionFilter(
    const rocksdb::CompactionFilter::Context& /*context*/) {
  rocksdb::DB* db = db_.load();
  if (db == nullptr) return std::make_unique<KeepEverything>();
  return std::make_unique<MemberCollector>(db, meta_cf_.load());
}

}  // namespace cairn
