#include "discard_reason.h"

namespace netifyd {

const char* discard_name(Discard reason) {
  static const char* const kNames[kDiscardCount] = {
      "none",
      "frame_too_short",
      "ethernet_truncated",
      "llc_unsupported",
      "stp_frame",
      "ethertype_unsupported",
      "vlan_truncated",
      "mpls_truncated",
      "pppoe_truncated",
      "ppp_protocol_unsupported",
      "sll_truncated",
      "null_truncated",
      "ip_version_unsupported",
      "ipv4_truncated",
      "ipv4_bad_header",
      "ipv4_fragment",
      "ipv6_truncated",
      "ipv6_bad_extension",
      "ipv6_fragment",
      "ipv6_no_next_header",
      "gtp_malformed",
      "tzsp_malformed",
      "gre_truncated",
      "tunnel_too_deep",
      "max_flows_reached",
  };
  int i = static_cast<int>(reason);
  return (i >= 0 && i < kDiscardCount) ? kNames[i] : "unknown";
}

}  // namespace netifyd
