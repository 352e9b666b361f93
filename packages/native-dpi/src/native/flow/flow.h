// One flow in a detection thread's table. Owned by that thread only.
#pragma once
#include <cstdint>

#include "../detect/flow_meta.h"
#include "flow_key.h"
#include "tcp_tracker.h"

struct ndpi_flow_struct;

namespace netifyd {

namespace flow_state {
constexpr uint8_t kNewEmitted = 1;     // 'new' record sent
constexpr uint8_t kDpiComplete = 2;    // 'dpi_complete' record sent, nDPI state freed
constexpr uint8_t kTcpFinAck = 4;      // a FIN+ACK segment was seen
constexpr uint8_t kTcpRst = 8;         // a RST segment was seen
}  // namespace flow_state

struct Flow {
  FlowKey key;
  uint64_t hash = 0;
  uint64_t id = 0;
  uint8_t lower_mac[6] = {0, 0, 0, 0, 0, 0};
  uint8_t upper_mac[6] = {0, 0, 0, 0, 0, 0};
  uint8_t dscp = 0;
  uint8_t tunnel = 0;
  uint8_t state = 0;
  bool origin_lower = true;
  uint8_t ssh_first_banner = 0;  // who sent the first SSH banner: 0 not yet, 1 lower, 2 upper, 3 unknown

  uint64_t first_seen_us = 0;
  uint64_t last_seen_us = 0;

  // [0] = sent by the lower endpoint, [1] = by the upper one.
  uint64_t bytes[2] = {0, 0};
  uint64_t packets[2] = {0, 0};
  uint64_t interval_bytes[2] = {0, 0};
  uint64_t interval_packets[2] = {0, 0};
  uint32_t interval_active_seconds[2] = {0, 0};
  uint64_t last_active_second[2] = {UINT64_MAX, UINT64_MAX};
  uint32_t interval_tcp_resets = 0;
  uint32_t interval_tcp_retrans = 0;
  uint32_t interval_tcp_seq_errors = 0;
  uint32_t detection_packets = 0;
  uint64_t meta_signature = 0;  // changes when detection learns something new
  TcpTracker tcp;

  // Expiry bookkeeping of the owning detection thread (see expiry_lists.h).
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;
  uint8_t lru_list = 0;       // which list holds it; 0 = none
  uint64_t lru_second = 0;    // capture second of its last move to a list's tail
  bool in_interval = false;   // listed for this interval's stats

  ndpi_flow_struct* ndpi = nullptr;  // while detection runs
  Detection detection;
  uint32_t detection_sent = UINT32_MAX;  // detection.version JS last received

  bool has(uint8_t bit) const { return (state & bit) != 0; }
  uint64_t total_bytes() const { return bytes[0] + bytes[1]; }
  uint64_t total_packets() const { return packets[0] + packets[1]; }
};

}  // namespace netifyd
