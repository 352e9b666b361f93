#include "dns_response.h"

#include <cstring>

#include "../decode/decode_state.h"

namespace netifyd {
namespace {

constexpr size_t kHeaderBytes = 12;
constexpr uint16_t kFlagResponse = 0x8000;
constexpr uint16_t kFlagTruncated = 0x0200;
constexpr uint16_t kRcodeMask = 0x000f;
constexpr uint16_t kOpcodeMask = 0x7800;
constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeCname = 5;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kClassIn = 1;
constexpr size_t kMaxEncodedName = 255;
constexpr int kMaxPointerHops = 16;
constexpr uint16_t kMaxQuestions = 8;  // real responses carry one
constexpr size_t kMaxAnswers = 128;    // A/AAAA/CNAME answers looked at

struct Name {
  char text[kDnsMaxNameText + 1];
  size_t length;
  bool usable;  // non-empty, printable ASCII only, no '.' inside a label
};

bool same_name(const Name& a, const Name& b) {
  return a.length == b.length && std::memcmp(a.text, b.text, a.length) == 0;
}

void append_label(Name& out, const uint8_t* label, size_t n) {
  if (out.length > 0 && out.length < kDnsMaxNameText) out.text[out.length++] = '.';
  for (size_t i = 0; i < n && out.length < kDnsMaxNameText; ++i) {
    uint8_t c = label[i];
    if (c < 0x21 || c > 0x7e || c == '.') out.usable = false;
    if (c >= 'A' && c <= 'Z') c = static_cast<uint8_t>(c + ('a' - 'A'));
    out.text[out.length++] = static_cast<char>(c);
  }
}

// Reads the (possibly compressed) name at `pos`; `next` is where the record continues.
// Each pointer must point before the previous jump (so names cannot loop); hops, label
// types and the encoded length are bounded. False when the message is malformed there.
bool read_name(const uint8_t* m, size_t len, size_t pos, size_t& next, Name* out) {
  if (out) {
    out->length = 0;
    out->usable = true;
  }
  size_t encoded = 1;  // the root label
  size_t lowest_jump = pos;
  bool jumped = false;
  for (int hops = 0;;) {
    if (pos >= len) return false;
    const uint8_t b = m[pos];
    if (b == 0) {
      if (!jumped) next = pos + 1;
      break;
    }
    if ((b & 0xc0) == 0xc0) {
      if (pos + 1 >= len) return false;
      const size_t target = (static_cast<size_t>(b & 0x3f) << 8) | m[pos + 1];
      if (target >= lowest_jump || ++hops > kMaxPointerHops) return false;
      if (!jumped) next = pos + 2;
      jumped = true;
      lowest_jump = target;
      pos = target;
      continue;
    }
    if (b & 0xc0) return false;  // extended label types (RFC 6891 §5) are not names we read
    if (pos + 1 + b > len) return false;
    encoded += 1u + b;
    if (encoded > kMaxEncodedName) return false;
    if (out) append_label(*out, m + pos + 1, b);
    pos += 1u + b;
  }
  if (out) {
    if (out->length == 0) out->usable = false;
    out->text[out->length] = '\0';
  }
  return true;
}

struct Answer {
  size_t owner;
  size_t rdata;
  uint16_t type;
  uint16_t rdlength;
  uint32_t ttl;
};

// Skips the question section; `question` gets the first A/AAAA question of class IN.
bool read_questions(const uint8_t* m, size_t len, uint16_t count, size_t& pos, Name& question,
                    uint16_t& qtype) {
  bool found = false;
  for (uint16_t i = 0; i < count; ++i) {
    Name name;
    size_t next = 0;
    if (!read_name(m, len, pos, next, found ? nullptr : &name)) return false;
    if (next + 4 > len) return false;
    const uint16_t type = be16(m + next);
    if (!found && (type == kTypeA || type == kTypeAaaa) && be16(m + next + 2) == kClassIn && name.usable) {
      question = name;
      qtype = type;
      found = true;
    }
    pos = next + 4;
  }
  return found;
}

// Walks the answer section (every record must be whole) and keeps the IN-class A, AAAA and
// CNAME records among the first kMaxAnswers of them.
bool read_answers(const uint8_t* m, size_t len, uint16_t count, size_t pos, Answer* answers,
                  size_t& kept) {
  kept = 0;
  for (uint16_t i = 0; i < count; ++i) {
    size_t next = 0;
    if (!read_name(m, len, pos, next, nullptr)) return false;
    if (next + 10 > len) return false;
    const uint16_t type = be16(m + next);
    const uint16_t cls = be16(m + next + 2);
    const uint16_t rdlength = be16(m + next + 8);
    const size_t rdata = next + 10;
    if (rdata + rdlength > len) return false;
    const bool wanted = (type == kTypeA && rdlength == 4) || (type == kTypeAaaa && rdlength == 16) ||
                        type == kTypeCname;
    if (wanted && cls == kClassIn && kept < kMaxAnswers)
      answers[kept++] = Answer{pos, rdata, type, rdlength, be32(m + next + 4)};
    pos = rdata + rdlength;
  }
  return true;
}

// Follows CNAMEs from chain[0]; returns how many names the chain holds (at least 1).
size_t follow_cnames(const uint8_t* m, size_t len, const Answer* answers, size_t count, Name* chain) {
  size_t names = 1;
  while (names <= static_cast<size_t>(kDnsMaxCnameHops)) {
    const Name& current = chain[names - 1];
    bool linked = false;
    for (size_t i = 0; i < count && !linked; ++i) {
      const Answer& a = answers[i];
      if (a.type != kTypeCname) continue;
      Name owner;
      size_t next = 0;
      if (!read_name(m, len, a.owner, next, &owner) || !same_name(owner, current)) continue;
      Name& target = chain[names];
      if (!read_name(m, len, a.rdata, next, &target) || next > a.rdata + a.rdlength || !target.usable)
        return names;
      for (size_t k = 0; k < names; ++k)
        if (same_name(chain[k], target)) return names;  // a loop
      ++names;
      linked = true;
    }
    if (!linked) break;
  }
  return names;
}

void add_address(DnsResponse& out, const uint8_t* bytes, uint8_t length, uint32_t ttl) {
  for (size_t i = 0; i < out.count; ++i)
    if (out.addresses[i].length == length && std::memcmp(out.addresses[i].bytes, bytes, length) == 0) return;
  DnsAddress& a = out.addresses[out.count++];
  a.length = length;
  std::memset(a.bytes, 0, sizeof(a.bytes));
  std::memcpy(a.bytes, bytes, length);
  a.ttl = ttl;
}

}  // namespace

bool parse_dns_response(const uint8_t* m, size_t len, DnsResponse& out) {
  out.count = 0;
  if (len < kHeaderBytes) return false;
  const uint16_t flags = be16(m + 2);
  if (!(flags & kFlagResponse) || (flags & kFlagTruncated) || (flags & kRcodeMask) != 0) return false;
  const uint16_t questions = be16(m + 4);
  const uint16_t answer_count = be16(m + 6);
  if (questions == 0 || questions > kMaxQuestions || answer_count == 0) return false;

  size_t pos = kHeaderBytes;
  Name chain[kDnsMaxCnameHops + 1];
  if (!read_questions(m, len, questions, pos, chain[0], out.qtype)) return false;
  Answer answers[kMaxAnswers];
  size_t kept = 0;
  if (!read_answers(m, len, answer_count, pos, answers, kept)) return false;
  const size_t names = follow_cnames(m, len, answers, kept, chain);

  for (size_t i = 0; i < kept && out.count < kDnsMaxAddresses; ++i) {
    const Answer& a = answers[i];
    if (a.type == kTypeCname) continue;
    Name owner;
    size_t next = 0;
    if (!read_name(m, len, a.owner, next, &owner)) continue;
    for (size_t k = 0; k < names; ++k) {
      if (!same_name(owner, chain[k])) continue;
      add_address(out, m + a.rdata, static_cast<uint8_t>(a.rdlength), a.ttl);
      break;
    }
  }
  if (out.count == 0) return false;
  std::memcpy(out.name, chain[0].text, chain[0].length + 1);
  out.name_length = static_cast<uint16_t>(chain[0].length);
  return true;
}

bool is_address_query(const uint8_t* m, size_t len) {
  if (len < kHeaderBytes) return false;
  const uint16_t flags = be16(m + 2);
  if ((flags & kFlagResponse) || (flags & kOpcodeMask) != 0 || (flags & kFlagTruncated)) return false;
  const uint16_t questions = be16(m + 4);
  if (questions == 0 || questions > kMaxQuestions) return false;
  size_t pos = kHeaderBytes;
  Name question;
  uint16_t qtype = 0;
  return read_questions(m, len, questions, pos, question, qtype);
}

bool dns_message_in_payload(const uint8_t* payload, size_t length, bool tcp, const uint8_t*& message,
                            size_t& message_length) {
  if (!tcp) {
    message = payload;
    message_length = length;
    return length >= kHeaderBytes;
  }
  if (length < 2) return false;
  const size_t n = be16(payload);
  if (n < kHeaderBytes || 2 + n > length) return false;
  message = payload + 2;
  message_length = n;
  return true;
}

}  // namespace netifyd
