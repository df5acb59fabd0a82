// Single-file archives of a backup directory for shipping off-site: a ustar tar stream,
// compressed with zstd (with frame checksums), written and read without external tools.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/status.h"

namespace cairn {

struct ArchiveStats {
  uint64_t files = 0;
  uint64_t bytes = 0;          // file contents, uncompressed
  uint64_t archive_bytes = 0;  // the .tar.zst file
};

// Called after each file with the running totals.
using ArchiveProgress = std::function<void(const ArchiveStats&)>;

// Writes every regular file under `dir` (paths relative to it) to `archive`. The archive is
// written under a temporary name and renamed into place once complete.
Status ExportArchive(const std::string& dir, const std::string& archive,
                     const ArchiveProgress& progress, ArchiveStats* stats);

// Unpacks `archive` into `dir`, which must be missing or empty. Files are unpacked into a
// temporary sibling directory that is renamed to `dir` once the whole archive checked out.
Status ImportArchive(const std::string& archive, const std::string& dir,
                     const ArchiveProgress& progress, ArchiveStats* stats);

}  // namespace cairn
