// Appends little-endian values to a growable buffer (x86-64 and arm64 are little-endian).
// Grows without zero-filling: it is rewritten for every record.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace netifyd {

class ByteWriter {
 public:
  const uint8_t* data() const { return buf_.get(); }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }

  void u8(uint8_t v) { raw(&v, 1); }
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

 private:
  void raw(const void* p, size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    std::memcpy(buf_.get() + size_, p, n);
    size_ += n;
  }
  void grow(size_t need) {
    size_t cap = capacity_ ? capacity_ * 2 : 512;
    while (cap < need) cap *= 2;
    std::unique_ptr<uint8_t[]> bigger(new uint8_t[cap]);
    if (size_) std::memcpy(bigger.get(), buf_.get(), size_);
    buf_ = std::move(bigger);
    capacity_ = cap;
  }

  std::unique_ptr<uint8_t[]> buf_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace netifyd
