// What a capture thread hands a detection thread: decoded packets (with the bytes from
// the IP header on, for nDPI), sync markers, tick markers and the end of a source.
#pragma once
#include <cstdint>

#include "../capture/packet_ring.h"
#include "../events/source_counters.h"
#include "../flow/flow_key.h"

namespace netifyd {

enum EntryType : uint8_t { kEntryPacket = 1, kEntryTick = 2, kEntryEnd = 3, kEntrySync = 4 };

struct PacketEntry {
  RingEntryHeader header;
  FlowKey key;
  uint64_t hash;
  uint64_t time_us;
  uint64_t seq;  // the packet's number within its source (OrderKey)
  uint32_t wire_len;  // bytes accounted to the flow (captured bytes in ndpiReader mode)
  uint32_t l3_len;  // bytes that follow this struct, from the IP header on
  uint32_t payload_len;
  uint32_t payload_offset;  // from the IP header to the L4 payload
  uint32_t tcp_seq;
  uint8_t tcp_flags;
  uint8_t src_is_lower;
  uint8_t dscp;
  uint8_t tunnel;
  uint8_t has_macs;
  uint8_t src_mac[6];
  uint8_t dst_mac[6];
  const uint8_t* l3() const { return reinterpret_cast<const uint8_t*>(this + 1); }
  // The L4 payload, when all of it is in the copied bytes.
  const uint8_t* payload() const { return payload_offset + payload_len <= l3_len ? l3() + payload_offset : nullptr; }
};

// Tick `index` of the engine's clock was reached at `time_us` of this source's clock.
// `capture` holds the capture-side interval counters (used by detection thread 0 only).
struct TickEntry {
  RingEntryHeader header;
  uint64_t index;
  uint64_t time_us;
  SourceCounters capture;
};

// Every packet the source hands out after this marker sorts after (time_us, source, seq):
// lets a detection thread that gets few packets of this source vouch for its progress.
struct SyncEntry {
  RingEntryHeader header;
  uint64_t time_us;
  uint64_t seq;
};

enum class EndReason : uint8_t { eof = 0, error = 1, stopped = 2 };

struct EndEntry {
  RingEntryHeader header;
  EndReason reason;
  uint64_t last_time_us;
  SourceCounters capture;  // interval counters since the last tick
};

}  // namespace netifyd
