// nDPI 4.2 writes every TLS/QUIC fingerprint number by number with snprintf ("%s%u" per
// cipher, extension and curve of a hello, "%02x" per byte of its MD5): about 540,000 calls on
// the benchmark capture, 6 % of the engine's instructions, nearly all of it inside glibc's
// printf machinery. The addon is linked with -Wl,--wrap=__snprintf_chk, so the calls of the
// statically linked nDPI (built fortified: __snprintf_chk) come here. A format made only of
// text, %%, %s, %d, %u and %x/%X (optionally 0-padded to a one-digit width) is written
// directly, truncated and counted as snprintf does; anything else goes to glibc unchanged.
#include "ndpi_snprintf.h"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

extern "C" int __vsnprintf_chk(char* s, size_t maxlen, int flag, size_t slen, const char* format,
                               va_list ap);
extern "C" int __wrap___snprintf_chk(char* s, size_t maxlen, int flag, size_t slen,
                                     const char* format, ...);

namespace netifyd {
namespace {

// Whether `f` uses only what format_simple() writes.
bool simple_format(const char* f) {
  for (; *f; ++f) {
    if (*f != '%') continue;
    ++f;
    if (*f == '%' || *f == 's' || *f == 'd' || *f == 'u') continue;
    if (*f == '0') ++f;
    if (*f >= '1' && *f <= '9') ++f;
    if (*f != 'x' && *f != 'X') return false;
  }
  return true;
}

// snprintf's contract: at most cap - 1 characters and a NUL, the full length returned.
class Output {
 public:
  Output(char* s, size_t cap) : s_(s), cap_(cap) {}
  void put(const char* p, size_t n) {
    if (len_ + 1 < cap_) std::memcpy(s_ + len_, p, n < cap_ - 1 - len_ ? n : cap_ - 1 - len_);
    len_ += n;
  }
  void pad(char c, size_t n) {
    for (size_t i = 0; i < n; ++i) put(&c, 1);
  }
  int finish() {
    if (cap_ > 0) s_[len_ < cap_ ? len_ : cap_ - 1] = '\0';
    return static_cast<int>(len_);
  }

 private:
  char* s_;
  size_t cap_;
  size_t len_ = 0;
};

// Writes the digits of `v` in `base` backwards from `end`; returns where they start.
char* digits(char* end, uint64_t v, unsigned base, bool upper) {
  const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char* p = end;
  do {
    *--p = set[v % base];
    v /= base;
  } while (v);
  return p;
}

int format_simple(char* s, size_t maxlen, const char* f, va_list ap) {
  Output out(s, maxlen);
  char buf[24];
  char* const end = buf + sizeof(buf);
  while (*f) {
    const char* text = f;
    while (*f && *f != '%') ++f;
    out.put(text, static_cast<size_t>(f - text));
    if (!*f) break;
    ++f;  // '%'
    char pad = ' ';
    size_t width = 0;
    if (*f == '0') {
      pad = '0';
      ++f;
    }
    if (*f >= '1' && *f <= '9') width = static_cast<size_t>(*f++ - '0');
    const char conversion = *f++;
    switch (conversion) {
      case '%':
        out.put("%", 1);
        break;
      case 's': {
        const char* v = va_arg(ap, const char*);
        if (!v) v = "(null)";
        out.put(v, std::strlen(v));
        break;
      }
      case 'u': {
        const char* p = digits(end, va_arg(ap, unsigned), 10, false);
        out.put(p, static_cast<size_t>(end - p));
        break;
      }
      case 'd': {
        const int v = va_arg(ap, int);
        const uint64_t magnitude = v < 0 ? 0ull - static_cast<uint64_t>(static_cast<int64_t>(v)) : static_cast<uint64_t>(v);
        char* p = digits(end, magnitude, 10, false);
        if (v < 0) *--p = '-';
        out.put(p, static_cast<size_t>(end - p));
        break;
      }
      default: {  // 'x' or 'X' (simple_format() allowed nothing else)
        const char* p = digits(end, va_arg(ap, unsigned), 16, conversion == 'X');
        const size_t n = static_cast<size_t>(end - p);
        if (width > n) out.pad(pad, width - n);
        out.put(p, n);
        break;
      }
    }
  }
  return out.finish();
}

// glibc's own result for the same call: the reference the checks compare with.
int reference(char* s, size_t maxlen, const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  const int n = std::vsnprintf(s, maxlen, format, ap);
  va_end(ap);
  return n;
}

template <typename... Args>
void check(std::vector<std::string>& mismatches, const char* format, Args... args) {
  for (size_t maxlen : {0, 1, 2, 3, 5, 8, 63}) {
    char want[64], got[64];
    std::memset(want, '#', sizeof(want));
    std::memset(got, '#', sizeof(got));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
    const int w = reference(want, maxlen, format, args...);
    const int g = __wrap___snprintf_chk(got, maxlen, 1, sizeof(got), format, args...);
#pragma GCC diagnostic pop
    if (w != g || std::memcmp(want, got, sizeof(want)) != 0) {
      mismatches.push_back(std::string("'") + format + "' into " + std::to_string(maxlen) + " bytes: glibc " +
                           std::to_string(w) + " '" + std::string(want, strnlen(want, sizeof(want))) + "', here " +
                           std::to_string(g) + " '" + std::string(got, strnlen(got, sizeof(got))) + "'");
    }
  }
}

}  // namespace

std::vector<std::string> fast_snprintf_mismatches() {
  std::vector<std::string> bad;
  // The formats nDPI 4.2 uses on its hot paths, then edge cases, then formats left to glibc.
  check(bad, "%u,", 771u);
  check(bad, "%s%u", "", 4865u);
  check(bad, "%s%u", "-", 0u);
  check(bad, ",");
  check(bad, ",%s", "h2");
  check(bad, "%s%s", ",", "TLSv1.3");
  check(bad, "%s%04X", "-", 0x0304u);
  check(bad, "%02x", 0x0au);
  check(bad, "%02X", 0xffu);
  check(bad, "%u.%u.%u.%u", 192u, 168u, 1u, 255u);
  check(bad, "%s", "a string longer than the smaller buffers");
  check(bad, "%s", static_cast<const char*>(nullptr));
  check(bad, "%d|%d|%d", -2147483647 - 1, 0, 2147483647);
  check(bad, "%u %x %X", 4294967295u, 0u, 0xabcdefu);
  check(bad, "%4x|%02x|%1x", 0x5u, 0x123u, 0u);
  check(bad, "100%% done");
  check(bad, "%lu", 5ul);
  check(bad, "%.3s|%-4d|%+d", "abcdef", 7, 7);
  check(bad, "%llu", 18446744073709551615ull);
  std::mt19937 random(42);
  for (int i = 0; i < 2000; ++i) {
    const unsigned v = static_cast<unsigned>(random());
    check(bad, "%s%u", i % 2 ? "-" : "", v);
    check(bad, "%02x%02X", v & 0xff, v >> 24);
    check(bad, "%d", static_cast<int>(v));
  }
  return bad;
}

}  // namespace netifyd

extern "C" int __wrap___snprintf_chk(char* s, size_t maxlen, int flag, size_t slen,
                                     const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  // maxlen > slen is glibc's buffer overflow check: it aborts, as the unwrapped call would.
  const int n = maxlen <= slen && netifyd::simple_format(format)
                    ? netifyd::format_simple(s, maxlen, format, ap)
                    : __vsnprintf_chk(s, maxlen, flag, slen, format, ap);
  va_end(ap);
  return n;
}
