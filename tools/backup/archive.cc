// ustar writing/reading over zstd streaming compression.
#include "tools/backup/archive.h"

#include <stdlib.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace cairn {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 512;
using Block = std::array<char, kBlock>;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Compresses everything written to it into a file.
class ZstdWriter {
 public:
  explicit ZstdWriter(std::FILE* out) : out_(out), context_(ZSTD_createCCtx()), buffer_(1 << 17) {
    ZSTD_CCtx_setParameter(context_, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(context_, ZSTD_c_checksumFlag, 1);
  }
  ~ZstdWriter() { ZSTD_freeCCtx(context_); }
  Status Write(const char* data, size_t size) { return Feed(data, size, ZSTD_e_continue); }
  Status Finish() { return Feed(nullptr, 0, ZSTD_e_end); }

 private:
  Status Feed(const char* data, size_t size, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data, size, 0};
    for (;;) {
      ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
      size_t left = ZSTD_compressStream2(context_, &out, &in, mode);
      if (ZSTD_isError(left)) return Status::IOError(ZSTD_getErrorName(left));
      if (std::fwrite(buffer_.data(), 1, out.pos, out_) != out.pos) {
        return Status::IOError(std::string("write failed: ") + std::strerror(errno));
      }
      bool done = mode == ZSTD_e_end ? left == 0 : in.pos == in.size;
      if (done) return Status::OK();
    }
  }
  std::FILE* out_;
  ZSTD_CCtx* context_;
  std::vector<char> buffer_;
};

// Decompresses a file, handing out exactly the bytes asked for.
class ZstdReader {
 public:
  explicit ZstdReader(std::FILE* in)
      : file_(in), context_(ZSTD_createDCtx()), input_(1 << 17), output_(1 << 17) {}
  ~ZstdReader() { ZSTD_freeDCtx(context_); }

  Status Read(char* data, size_t size) {
    while (size > 0) {
      if (out_pos_ == out_size_) {
        bool end_of_file = false;
        Status s = Refill(&end_of_file);
        if (!s.ok()) return s;
        if (end_of_file) return Status::Corruption("archive is truncated");
        continue;
      }
      size_t n = std::min(size, out_size_ - out_pos_);
      std::memcpy(data, output_.data() + out_pos_, n);
      out_pos_ += n;
      data += n;
      size -= n;
    }
    return Status::OK();
  }

  // Consumes the rest of the file so the zstd frame checksum is checked.
  Status Finish() {
    for (;;) {
      bool end_of_file = false;
      Status s = Refill(&end_of_file);
      if (!s.ok()) return s;
      if (end_of_file) break;
    }
    if (!frame_done_) return Status::Corruption("archive is truncated");
    return Status::OK();
  }

 private:
  Status Refill(bool* end_of_file) {
    // A full output buffer means the decoder may hold more without needing input.
    if (in_.pos == in_.size && !output_was_full_) {
      size_t got = std::fread(input_.data(), 1, input_.size(), file_);
      if (got == 0) {
        *end_of_file = true;
        return Status::OK();
      }
      in_ = ZSTD_inBuffer{input_.data(), got, 0};
    }
    ZSTD_outBuffer out{output_.data(), output_.size(), 0};
    size_t result = ZSTD_decompressStream(context_, &out, &in_);
    if (ZSTD_isError(result)) {
      return Status::Corruption(std::string("archive is damaged: ") + ZSTD_getErrorName(result));
    }
    frame_done_ = result == 0;
    output_was_full_ = out.pos == out.size;
    out_pos_ = 0;
    out_size_ = out.pos;
    return Status::OK();
  }

  std::FILE* file_;
  ZSTD_DCtx* context_;
  std::vector<char> input_;
  std::vector<char> output_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  size_t out_pos_ = 0;
  size_t out_size_ = 0;
  bool frame_done_ = false;
  bool output_was_full_ = false;
};

// Zero-padded octal filling width - 1 bytes, then a NUL (values always fit the fields used).
void WriteOctal(char* field, size_t width, uint64_t value) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i > 0; i--) {
    field[i - 1] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

unsigned HeaderChecksum(const Block& header) {
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; i++) {
    bool in_checksum_field = i >= 148 && i < 156;
    sum += in_checksum_field ? ' ' : static_cast<unsigned char>(header[i]);
  }
  return sum;
}

// A ustar header; names over 100 bytes are split at a '/' into prefix and name.
Status MakeHeader(const std::string& path, uint64_t size, Block* header) {
  header->fill(0);
  if (size >= (uint64_t{1} << 33)) {
    return Status::InvalidArgument("file too large for a ustar archive (8 GiB): " + path);
  }
  std::string prefix, name = path;
  if (name.size() > 100) {
    size_t slash = path.rfind('/', 155);
    if (slash == std::string::npos || path.size() - slash - 1 > 100) {
      return Status::InvalidArgument("path too long for a tar archive: " + path);
    }
    prefix = path.substr(0, slash);
    name = path.substr(slash + 1);
  }
  std::memcpy(header->data(), name.data(), name.size());
  WriteOctal(header->data() + 100, 8, 0644);
  WriteOctal(header->data() + 108, 8, 0);
  WriteOctal(header->data() + 116, 8, 0);
  WriteOctal(header->data() + 124, 12, size);
  WriteOctal(header->data() + 136, 12, 0);
  (*header)[156] = '0';
  std::memcpy(header->data() + 257, "ustar", 6);
  std::memcpy(header->data() + 263, "00", 2);
  std::memcpy(header->data() + 345, prefix.data(), prefix.size());
  WriteOctal(header->data() + 148, 7, HeaderChecksum(*header));
  return Status::OK();
}

Status AppendFile(ZstdWriter* writer, const fs::path& file, const std::string& name,
                  ArchiveStats* stats) {
  FilePtr in(std::fopen(file.c_str(), "rb"));
  if (!in) return Status::IOError("cannot read " + file.string() + ": " + std::strerror(errno));
  std::error_code ec;
  uint64_t size = fs::file_size(file, ec);
  Block header;
  Status s = MakeHeader(name, size, &header);
  if (s.ok()) s = writer->Write(header.data(), kBlock);
  std::vector<char> buffer(1 << 17);
  uint64_t left = size;
  while (s.ok() && left > 0) {
    size_t n = std::fread(buffer.data(), 1, std::min<uint64_t>(buffer.size(), left), in.get());
    if (n == 0) return Status::IOError(file.string() + " shrank while it was archived");
    s = writer->Write(buffer.data(), n);
    left -= n;
  }
  Block padding{};
  if (s.ok() && size % kBlock != 0) s = writer->Write(padding.data(), kBlock - size % kBlock);
  stats->files++;
  stats->bytes += size;
  return s;
}

uint64_t ParseOctal(const char* field, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width && field[i] >= '0' && field[i] <= '7'; i++) {
    value = value * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return value;
}

std::string FieldString(const char* field, size_t width) {
  return std::string(field, strnlen(field, width));
}

// A member path must stay inside the target directory.
bool IsSafePath(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  for (const fs::path& part : fs::path(path)) {
    if (part == "..") return false;
  }
  return true;
}

Status ExtractMember(ZstdReader* reader, const Block& header, const fs::path& root,
                     ArchiveStats* stats) {
  if (ParseOctal(header.data() + 148, 8) != HeaderChecksum(header)) {
    return Status::Corruption("archive is damaged: bad tar header checksum");
  }
  std::string name = FieldString(header.data(), 100);
  std::string prefix = FieldString(header.data() + 345, 155);
  std::string path = prefix.empty() ? name : prefix + "/" + name;
  char type = header[156];
  if (!IsSafePath(path)) return Status::Corruption("archive holds an unsafe path: " + path);
  if (type == '5') {
    std::error_code ec;
    fs::create_directories(root / path, ec);
    return Status::OK();
  }
  if (type != '0' && type != '\0') {
    return Status::Corruption("archive holds an unsupported entry: " + path);
  }
  uint64_t size = ParseOctal(header.data() + 124, 12);
  std::error_code ec;
  fs::create_directories((root / path).parent_path(), ec);
  FilePtr out(std::fopen((root / path).c_str(), "wb"));
  if (!out) return Status::IOError("cannot write " + (root / path).string());
  std::vector<char> buffer(1 << 17);
  uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;
  for (uint64_t done = 0; done < padded;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), padded - done));
    Status s = reader->Read(buffer.data(), n);
    if (!s.ok()) return s;
    size_t payload = static_cast<size_t>(std::min<uint64_t>(n, size > done ? size - done : 0));
    if (std::fwrite(buffer.data(), 1, payload, out.get()) != payload) {
      return Status::IOError("write failed: " + std::string(std::strerror(errno)));
    }
    done += n;
  }
  if (std::fflush(out.get()) != 0) return Status::IOError("write failed");
  stats->files++;
  stats->bytes += size;
  return Status::OK();
}

}  // namespace

Status ExportArchive(const std::string& dir, const std::string& archive,
                     const ArchiveProgress& progress, ArchiveStats* stats) {
  std::string temp = archive + ".partial";
  FilePtr out(std::fopen(temp.c_str(), "wb"));
  if (!out) return Status::IOError("cannot create " + temp + ": " + std::strerror(errno));
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  if (ec) return Status::IOError("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  ZstdWriter writer(out.get());
  Status s;
  for (const fs::path& file : files) {
    s = AppendFile(&writer, file, fs::relative(file, dir).string(), stats);
    if (!s.ok()) break;
    if (progress) progress(*stats);
  }
  Block end{};
  if (s.ok()) s = writer.Write(end.data(), kBlock);
  if (s.ok()) s = writer.Write(end.data(), kBlock);
  if (s.ok()) s = writer.Finish();
  if (s.ok() && (std::fflush(out.get()) != 0 || ::fsync(fileno(out.get())) != 0)) {
    s = Status::IOError("cannot write " + temp + ": " + std::strerror(errno));
  }
  out.reset();
  if (s.ok()) fs::rename(temp, archive, ec);
  if (s.ok() && ec) s = Status::IOError("cannot rename to " + archive + ": " + ec.message());
  if (!s.ok()) fs::remove(temp, ec);
  stats->archive_bytes = s.ok() ? fs::file_size(archive, ec) : 0;
  return s;
}

Status ImportArchive(const std::string& archive, const std::string& dir,
                     const ArchiveProgress& progress, ArchiveStats* stats) {
  FilePtr in(std::fopen(archive.c_str(), "rb"));
  if (!in) return Status::IOError("cannot read " + archive + ": " + std::strerror(errno));
  fs::path target = fs::absolute(dir);
  std::string temp = target.parent_path().string() + "/.cairn-import-XXXXXX";
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (::mkdtemp(temp.data()) == nullptr) {
    return Status::IOError("cannot create a directory next to " + dir + ": " +
                           std::strerror(errno));
  }
  ZstdReader reader(in.get());
  Status s;
  Block header;
  for (;;) {
    s = reader.Read(header.data(), kBlock);
    if (!s.ok()) break;
    if (std::all_of(header.begin(), header.end(), [](char c) { return c == 0; })) break;
    s = ExtractMember(&reader, header, temp, stats);
    if (!s.ok()) break;
    if (progress) progress(*stats);
  }
  if (s.ok()) s = reader.Finish();
  if (s.ok()) {
    fs::remove(target, ec);  // an empty directory only; non-empty targets are refused earlier
    fs::rename(temp, target, ec);
    if (ec) s = Status::IOError("cannot rename into " + dir + ": " + ec.message());
  }
  if (!s.ok()) fs::remove_all(temp, ec);
  stats->archive_bytes = fs::file_size(archive, ec);
  return s;
}

}  // namespace cairn
