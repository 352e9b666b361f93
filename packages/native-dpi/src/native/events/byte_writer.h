// Appends little-endian values to a growable buffer (x86-64 and arm64 are little-endian).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace netifyd {

class ByteWriter {
 public:
  std::vector<uint8_t>& buffer() { return buf_; }
  const std::vector<uint8_t>& buffer() const { return buf_; }
  void clear() { buf_.clear(); }
  size_t size() const { return buf_.size(); }

  void u8(uint8_t v) { buf_.push_back(v); }
  void u16(uint16_t v) { raw(&v, 2); }
  void u32(uint32_t v) { raw(&v, 4); }
  void f64(double v) { raw(&v, 8); }
  void num(uint64_t v) { f64(static_cast<double>(v)); }
  void bytes(const uint8_t* p, size_t n) { raw(p, n); }
  void str(const char* s, size_t n) {
    if (n > 0xffff) n = 0xffff;
    u16(static_cast<uint16_t>(n));
    raw(s, n);
  }
  void str(const std::string& s) { str(s.data(), s.size()); }
  void str(const char* s) { str(s, s ? std::strlen(s) : 0); }
  // Overwrites a u32 written earlier (e.g. a count known only at the end).
  void patch_u32(size_t at, uint32_t v) { std::memcpy(buf_.data() + at, &v, 4); }

 private:
  void raw(const void* p, size_t n) {
    const size_t at = buf_.size();
    if (buf_.capacity() < at + n) buf_.reserve((at + n) * 2);
    buf_.resize(at + n);
    std::memcpy(buf_.data() + at, p, n);
  }
  std::vector<uint8_t> buf_;
};

}  // namespace netifyd
