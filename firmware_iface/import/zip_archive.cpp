#include "zip_archive.hpp"

#include <zip.h>

#include <array>
#include <cstring>
#include <fstream>
#include <streambuf>

#include "stride/recording_io.hpp"

namespace stride::io {
namespace {

// An istream buffer over zip_fread: refilled 64 KiB at a time.
class MemberBuffer : public std::streambuf {
 public:
  explicit MemberBuffer(zip_file_t* file) : file_(file) {}
  ~MemberBuffer() override { zip_fclose(file_); }
  MemberBuffer(const MemberBuffer&) = delete;
  MemberBuffer& operator=(const MemberBuffer&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const zip_int64_t got = zip_fread(file_, buf_.data(), buf_.size());
    if (got <= 0) return traits_type::eof();  // end, or a corrupt member: the reader sees a truncated file
    setg(buf_.data(), buf_.data(), buf_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  zip_file_t* file_;
  std::array<char, 1 << 16> buf_{};
};

class MemberStream : public std::istream {
 public:
  explicit MemberStream(zip_file_t* file) : std::istream(nullptr), buf_(file) { rdbuf(&buf_); }

 private:
  MemberBuffer buf_;
};

}  // namespace

struct ZipArchive::Handle {
  zip_t* zip = nullptr;
  ~Handle() {
    if (zip) zip_discard(zip);  // read-only: nothing to write back
  }
};

bool looks_like_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' &&
         ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

ZipArchive::ZipArchive(const std::string& path) : path_(path), zip_(std::make_unique<Handle>()) {
  int error = 0;
  zip_->zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (!zip_->zip) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw ImportError(path + ": cannot read it as a zip archive (" + why + "); expected the zip an app exported");
  }
  const zip_int64_t n = zip_get_num_entries(zip_->zip, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_->zip, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
    const std::string name = st.name;
    if (name.empty() || name.back() == '/') continue;  // a folder entry
    members_.push_back({name, (st.valid & ZIP_STAT_SIZE) ? st.size : 0});
  }
}

ZipArchive::~ZipArchive() = default;

std::unique_ptr<std::istream> ZipArchive::open(const std::string& member) const {
  zip_file_t* file = zip_fopen(zip_->zip, member.c_str(), 0);
  if (!file)
    throw ImportError(path_ + ": cannot open its member '" + member + "' (" + zip_strerror(zip_->zip) +
                      "); the archive may be damaged");
  return std::make_unique<MemberStream>(file);
}

}  // namespace stride::io
