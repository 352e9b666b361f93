// Why a packet was not accounted to a flow. Each reason is a named counter (snake_case),
// reported per source; never an exception or a log line per packet.
#pragma once
#include <cstdint>

namespace netifyd {

enum class Discard : uint8_t {
  none = 0,
  frame_too_short,
  ethernet_truncated,
  llc_unsupported,
  stp_frame,
  ethertype_unsupported,
  vlan_truncated,
  mpls_truncated,
  pppoe_truncated,
  ppp_protocol_unsupported,
  sll_truncated,
  null_truncated,
  ip_version_unsupported,
  ipv4_truncated,
  ipv4_bad_header,
  ipv4_fragment,
  ipv6_truncated,
  ipv6_bad_extension,
  ipv6_fragment,
  ipv6_no_next_header,
  gtp_malformed,
  tzsp_malformed,
  gre_truncated,
  tunnel_too_deep,
  max_flows_reached,
  count_
};

constexpr int kDiscardCount = static_cast<int>(Discard::count_);

// Stable counter name of a reason ("ipv4_truncated", ...).
const char* discard_name(Discard reason);

}  // namespace netifyd
