// The compaction filter of the `sub` and `zscore` column families. Deleting a collection
// only removes its metadata (O(1) DEL, UNLINK, overwrite, expiry); its members stay behind
// under a version that no metadata carries any more. During compaction this filter drops
// every member whose key has no metadata, or metadata of another version or a type without
// members, so the space comes back without anyone walking the members.
#pragma once

#include <rocksdb/compaction_filter.h>

#include <atomic>
#include <memory>

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace cairn {

class MemberCollectorFactory : public rocksdb::CompactionFilterFactory {
 public:
  // Until Attach, every member is kept (the database is not open yet).
  void Attach(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta_cf);
  // Before the database closes: compactions still running keep everything from then on.
  void Detach();

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& context) override;
  const char* Name() const override { return "cairn.MemberCollector"; }

 private:
  // meta_cf_ is set before db_ is published, and db_ cleared first on Detach.
  std::atomic<rocksdb::DB*> db_{nullptr};
  std::atomic<rocksdb::ColumnFamilyHandle*> meta_cf_{nullptr};
};

}  // namespace cairn
