// Where a record belongs in the engine's output: records leave in the order of the packets
// that caused them, whichever detection thread produced them, so a run over the same
// capture delivers the same sequence every time (a DNS answer before the flow that uses it).
#pragma once
#include <cstdint>
#include <tuple>

namespace netifyd {

struct OrderKey {
  uint64_t time_us = 0;  // capture time of the packet (per-source clocks never go back)
  uint32_t source = 0;
  uint64_t seq = 0;      // the packet's number within its source, from 1

  static constexpr OrderKey lowest() { return {0, 0, 0}; }
  static constexpr OrderKey highest() { return {UINT64_MAX, UINT32_MAX, UINT64_MAX}; }
  // Records made at a tick (expiries) follow every packet of the interval; they leave with
  // the tick, when every lane reached it, never by a watermark (capped below them).
  static constexpr OrderKey at_tick() { return {UINT64_MAX, 0, 0}; }
  static constexpr OrderKey before_tick() { return {UINT64_MAX - 1, UINT32_MAX, UINT64_MAX}; }

  friend bool operator<(const OrderKey& a, const OrderKey& b) {
    return std::tie(a.time_us, a.source, a.seq) < std::tie(b.time_us, b.source, b.seq);
  }
  friend bool operator<=(const OrderKey& a, const OrderKey& b) { return !(b < a); }
};

}  // namespace netifyd
