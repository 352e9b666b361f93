// Reads DNS responses seen on port 53 for the DNS hint cache: the name asked, and the A/AAAA
// addresses the answer section gives for it, directly or through a chain of CNAMEs.
// Runs on hostile input: every read is bounds-checked, names are bounded in length, labels
// and pointer hops, and a compression pointer must point before itself (no loops).
#pragma once
#include <cstddef>
#include <cstdint>

namespace netifyd {

constexpr size_t kDnsMaxAddresses = 32;
constexpr int kDnsMaxCnameHops = 8;
constexpr size_t kDnsMaxNameText = 253;  // dotted, no trailing dot (255 octets encoded)

struct DnsAddress {
  uint8_t length;  // 4 (A) or 16 (AAAA)
  uint8_t bytes[16];
  uint32_t ttl;
};

struct DnsResponse {
  char name[kDnsMaxNameText + 1];  // the first A/AAAA question, lowercased; NUL-terminated
  uint16_t name_length;
  uint16_t qtype;
  uint8_t count;
  DnsAddress addresses[kDnsMaxAddresses];
};

// `message` is one whole DNS message. True when it is a response (QR=1, RCODE 0, TC=0) with
// an A/AAAA question of class IN and at least one A/AAAA answer reached from that question
// (its owner is the question name or a name the question's CNAME chain leads to, at most
// kDnsMaxCnameHops links). Addresses are kept in answer order, without duplicates.
bool parse_dns_response(const uint8_t* message, size_t length, DnsResponse& out);

// True when `message` is a standard query (QR=0, opcode 0, TC=0) whose questions include an
// A/AAAA question of class IN: what restarts a completed DNS flow (FORMATS §6.2).
bool is_address_query(const uint8_t* message, size_t length);

// The message a transport payload carries: UDP is the message itself; TCP is prefixed by a
// 2-byte length and counts only when the whole message is in this segment.
bool dns_message_in_payload(const uint8_t* payload, size_t length, bool tcp, const uint8_t*& message,
                            size_t& message_length);

}  // namespace netifyd
