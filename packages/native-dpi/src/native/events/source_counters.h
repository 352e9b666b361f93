// Per-source packet counters: the 22 keys of netifyd's interface_stats, in record order.
#pragma once
#include <cstdint>

namespace netifyd {

enum SourceCounter : uint8_t {
  kRaw,
  kEthernet,
  kMpls,
  kPppoe,
  kVlan,
  kFragmented,
  kDiscarded,
  kDiscardedBytes,
  kLargestBytes,
  kIp,
  kTcp,
  kUdp,
  kIcmp,
  kIgmp,
  kTcpSeqErrors,
  kTcpResets,
  kIpBytes,
  kWireBytes,
  kFlowDropped,
  kQueueDropped,
  kCaptureDropped,
  kCaptureFiltered,
  kSourceCounterCount
};

// interface_stats key of each counter, indexed by SourceCounter.
inline const char* source_counter_name(int i) {
  static const char* const kNames[kSourceCounterCount] = {
      "raw",          "ethernet",       "mpls",        "pppoe",           "vlan",
      "fragmented",   "discarded",      "discarded_bytes", "largest_bytes", "ip",
      "tcp",          "udp",            "icmp",        "igmp",            "tcp_seq_errors",
      "tcp_resets",   "ip_bytes",       "wire_bytes",  "flow_dropped",    "queue_dropped",
      "capture_dropped", "capture_filtered"};
  return i >= 0 && i < kSourceCounterCount ? kNames[i] : "unknown";
}

struct SourceCounters {
  uint64_t v[kSourceCounterCount] = {};

  uint64_t& operator[](SourceCounter c) { return v[c]; }
  uint64_t operator[](SourceCounter c) const { return v[c]; }

  // Sums, except largest_bytes which is a maximum.
  void add(const SourceCounters& o) {
    for (int i = 0; i < kSourceCounterCount; ++i) {
      if (i == kLargestBytes)
        v[i] = v[i] > o.v[i] ? v[i] : o.v[i];
      else
        v[i] += o.v[i];
    }
  }
  void clear() {
    for (uint64_t& x : v) x = 0;
  }
};

}  // namespace netifyd
