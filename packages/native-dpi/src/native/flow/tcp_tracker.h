// Per-direction TCP sequence tracking: retransmissions (data below what was already seen)
// and sequence errors (gaps: data beyond the next expected byte).
#pragma once
#include <cstdint>

namespace netifyd {

struct TcpTracker {
  uint32_t next_seq[2] = {0, 0};
  bool seen[2] = {false, false};

  enum class Result : uint8_t { in_order, retransmission, sequence_error };

  // dir 0 = from lower, 1 = from upper. SYN and FIN each take one sequence number.
  Result track(int dir, uint32_t seq, uint32_t payload_len, uint8_t flags) {
    const uint32_t span = payload_len + ((flags & 0x02) ? 1 : 0) + ((flags & 0x01) ? 1 : 0);
    if (!seen[dir] || (flags & 0x02)) {
      seen[dir] = true;
      next_seq[dir] = seq + span;
      return Result::in_order;
    }
    if (span == 0) return Result::in_order;
    const int32_t delta = static_cast<int32_t>(seq - next_seq[dir]);
    if (delta < 0) {
      const int32_t end_delta = static_cast<int32_t>(seq + span - next_seq[dir]);
      if (end_delta > 0) next_seq[dir] = seq + span;
      return Result::retransmission;
    }
    next_seq[dir] = seq + span;
    return delta > 0 ? Result::sequence_error : Result::in_order;
  }
};

}  // namespace netifyd
