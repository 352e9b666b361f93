// Where detection threads put their records: one lane per thread, so appending never
// contends with the other threads. Each record carries the OrderKey of the packet that
// caused it; each lane also publishes a watermark, a key every record it will still append
// sorts after. The emitter thread takes chunks and watermarks and releases records in key
// order across lanes (see emitter.h). A thread reaching a tick adds its tick part as a chunk
// of its own. In lossless (file) mode a thread waits while too many of its records are not
// yet taken.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "../capture/wakeup.h"
#include "byte_writer.h"
#include "order_key.h"
#include "source_counters.h"

namespace netifyd {

// One detection thread's share of a tick.
struct TickPart {
  ByteWriter flows;  // write_tick_flow() elements
  uint32_t flow_count = 0;
  std::vector<SourceCounters> sources;  // indexed by source id
  uint64_t time_us = 0;
  bool final = false;
};

struct RecordRef {
  OrderKey key;
  uint32_t offset;  // into LaneChunk::bytes
  uint32_t length;
};

struct LaneChunk {
  std::vector<uint8_t> bytes;  // whole records
  std::vector<RecordRef> refs;
  std::unique_ptr<TickPart> tick;  // set for a tick chunk (then no records)
};

// What the emitter took from one lane.
struct LaneTake {
  std::deque<LaneChunk> chunks;  // in lane order
  OrderKey watermark = OrderKey::lowest();
};

class RecordLanes {
 public:
  RecordLanes(uint32_t lanes, uint32_t chunk_records, bool lossless);

  // Detection thread `lane`: one serialised record, caused by the packet at `key`.
  void append(uint32_t lane, const OrderKey& key, const uint8_t* data, size_t len);
  // Detection thread `lane`: every record it appends from now on sorts after `watermark`.
  void advance(uint32_t lane, const OrderKey& watermark);
  // Detection thread `lane` reached a tick.
  void tick(uint32_t lane, std::unique_ptr<TickPart> part);

  // Emitter: moves lane `lane`'s chunks (the open one sealed) to the back of out.chunks and
  // updates out.watermark; the lane may then append again.
  void collect(uint32_t lane, LaneTake& out);
  // Emitter: sleeps until a lane sealed a full chunk, is full (lossless), advanced its
  // watermark (live), every lane reached a tick (from files: the final one), `timeout`
  // passes, or abort(). From files, what watermarks and ticks release waits for the next
  // wake-up instead: waking for each cost a context switch every few hundred packets.
  void wait(std::chrono::milliseconds timeout);

  uint32_t lanes() const { return static_cast<uint32_t>(lanes_.size()); }

  void abort();
  bool aborted() const;

 private:
  struct Lane {
    std::mutex mutex;
    std::condition_variable space;
    std::deque<LaneChunk> sealed;
    LaneChunk open;
    OrderKey watermark = OrderKey::lowest();
    uint32_t untaken = 0;  // records appended but not yet collected
    size_t full_chunk_bytes = 0;  // a new chunk starts with room for as much as the last full one
    std::atomic<uint64_t> ticks{0};  // tick parts appended so far
  };
  void seal(Lane& lane);
  void wake_emitter();
  bool every_lane_reached(uint64_t ticks) const;

  const uint32_t chunk_records_;
  const uint32_t max_untaken_;
  const bool lossless_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  Wakeup emitter_;
  std::atomic<bool> news_{false};
  std::atomic<bool> aborted_{false};
};

}  // namespace netifyd
