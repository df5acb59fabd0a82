// Persisted db mapping and counts.
#include "engine/db_catalog.h"

#include "encoding/coding.h"
#include "engine/rocks_status.h"

namespace cairn {

namespace {

constexpr const char* kMappingKey = "cairn.dbmap";

class Int64AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    uint64_t base = 0;
    if (existing_value != nullptr) {
      if (existing_value->size() != 8) return false;
      base = DecodeFixed64(existing_value->data());
    }
    if (value.size() != 8) return false;
    new_value->clear();
    // Two's complement wrap-around makes negative deltas plain additions.
    PutFixed64(new_value, base + DecodeFixed64(value.data()));
    return true;
  }
  const char* Name() const override { return "cairn.Int64Add"; }
};

std::string EncodeInt64(int64_t value) {
  std::string out;
  PutFixed64(&out, static_cast<uint64_t>(value));
  return out;
}

Status ReadCount(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::ReadOptions& read,
                 const std::string& key, int64_t* count) {
  std::string value;
  rocksdb::Status s = db->Get(read, cf, key, &value);
  if (s.IsNotFound()) {
    *count = 0;
    return Status::OK();
  }
  if (!s.ok()) return FromRocks(s);
  if (value.size() != 8) return Status::Corruption("malformed count " + key);
  *count = static_cast<int64_t>(DecodeFixed64(value.data()));
  return Status::OK();
}

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewInt64AddOperator() {
  return std::make_shared<Int64AddOperator>();
}

std::string DbCatalog::CountKey(const char* what, uint8_t physical) {
  return std::string("cairn.") + what + "." + std::to_string(physical);
}

Status DbCatalog::Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                       const rocksdb::ReadOptions& read, int databases) {
  cf_ = cf;
  databases_ = databases;
  std::string mapping;
  rocksdb::Status s = db->Get(read, cf, kMappingKey, &mapping);
  if (s.IsNotFound()) {
    for (int i = 0; i < kMaxDatabases; i++) mapping.push_back(static_cast<char>(i));
  } else if (!s.ok()) {
    return FromRocks(s);
  }
  if (mapping.size() != kMaxDatabases) return Status::Corruption("malformed db mapping");
  std::array<bool, kMaxDatabases> seen{};
  for (int i = 0; i < kMaxDatabases; i++) {
    uint8_t physical = static_cast<uint8_t>(mapping[static_cast<size_t>(i)]);
    if (physical >= kMaxDatabases || seen[physical]) {
      return Status::Corruption("db mapping is not a permutation");
    }
    seen[physical] = true;
    logical_to_physical_[static_cast<size_t>(i)].store(physical);
  }
  for (int i = 0; i < kMaxDatabases; i++) {
    int64_t keys = 0, expires = 0;
    uint8_t physical = static_cast<uint8_t>(i);
    Status st = ReadCount(db, cf, read, CountKey("keys", physical), &keys);
    if (st.ok()) st = ReadCount(db, cf, read, CountKey("expires", physical), &expires);
    if (!st.ok()) return st;
    key_counts_[physical].store(keys);
    expire_counts_[physical].store(expires);
  }
  return Status::OK();
}

int DbCatalog::Logical(uint8_t physical) const {
  for (int i = 0; i < databases_; i++) {
    if (Physical(i) == physical) return i;
  }
  return -1;
}

int64_t DbCatalog::KeyCount(int logical) const {
  return key_counts_[Physical(logical)].load(std::memory_order_relaxed);
}

int64_t DbCatalog::ExpireCount(int logical) const {
  return expire_counts_[Physical(logical)].load(std::memory_order_relaxed);
}

void DbCatalog::AddCountDeltas(rocksdb::WriteBatch* batch, uint8_t physical, int64_t keys,
                               int64_t expires) const {
  if (keys != 0) batch->Merge(cf_, CountKey("keys", physical), EncodeInt64(keys));
  if (expires != 0) batch->Merge(cf_, CountKey("expires", physical), EncodeInt64(expires));
}

void DbCatalog::ApplyCountDeltas(uint8_t physical, int64_t keys, int64_t expires) {
  if (keys != 0) key_counts_[physical].fetch_add(keys, std::memory_order_relaxed);
  if (expires != 0) expire_counts_[physical].fetch_add(expires, std::memory_order_relaxed);
}

void DbCatalog::AddResetCounts(rocksdb::WriteBatch* batch, uint8_t physical) const {
  batch->Put(cf_, CountKey("keys", physical), EncodeInt64(0));
  batch->Put(cf_, CountKey("expires", physical), EncodeInt64(0));
}

void DbCatalog::ApplyResetCounts(uint8_t physical) {
  key_counts_[physical].store(0, std::memory_order_relaxed);
  expire_counts_[physical].store(0, std::memory_order_relaxed);
}

std::string DbCatalog::EncodedMapping(int swap_a, int swap_b) const {
  std::string mapping;
  for (int i = 0; i < kMaxDatabases; i++) {
    int source = i == swap_a ? swap_b : (i == swap_b ? swap_a : i);
    mapping.push_back(static_cast<char>(Physical(source)));
  }
  return mapping;
}

void DbCatalog::AddSwap(rocksdb::WriteBatch* batch, int a, int b) const {
  batch->Put(cf_, kMappingKey, EncodedMapping(a, b));
}

void DbCatalog::ApplySwap(int a, int b) {
  uint8_t physical_a = Physical(a);
  logical_to_physical_[static_cast<size_t>(a)].store(Physical(b), std::memory_order_release);
  logical_to_physical_[static_cast<size_t>(b)].store(physical_a, std::memory_order_release);
}

}  // namespace cairn
