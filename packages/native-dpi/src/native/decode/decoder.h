// Runs the layer decoders over one frame, starting at its link layer.
#pragma once
#include "decode_state.h"

namespace netifyd {

// Decodes until a transport header (or an IP protocol without ports) is reached.
// Returns Discard::none when `st` describes a packet that belongs to a flow.
Discard decode_frame(const Frame& frame, Layer first, DecodeState& st);

Discard decode_ethernet(const Frame& f, DecodeState& st);
Discard decode_linux_sll(const Frame& f, DecodeState& st);
Discard decode_linux_sll2(const Frame& f, DecodeState& st);
Discard decode_null_loop(const Frame& f, DecodeState& st);
Discard decode_ppp_hdlc(const Frame& f, DecodeState& st);
Discard decode_vlan(const Frame& f, DecodeState& st);
Discard decode_mpls(const Frame& f, DecodeState& st);
Discard decode_pppoe(const Frame& f, DecodeState& st);
Discard decode_ip(const Frame& f, DecodeState& st);
Discard decode_transport(const Frame& f, DecodeState& st);
Discard decode_gtp(const Frame& f, DecodeState& st);
Discard decode_tzsp(const Frame& f, DecodeState& st);
Discard decode_gre(const Frame& f, DecodeState& st);

}  // namespace netifyd
