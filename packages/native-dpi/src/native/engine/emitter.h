// The emitter thread: takes chunks and watermarks from the detection threads' lanes and
// releases records in OrderKey order: a record leaves once every lane's watermark (or its
// tick) is at or past its key, so nothing a lane appends later can sort before it. Ties
// (records of one packet) keep their lane order, lanes in index order. At a tick, once every
// lane reached it, everything before it leaves and the lanes' tick parts are merged into
// one tick record. Records are packed into batches of at most `batch_max_records`, handed to
// the sink once full or `batch_max_ms` old.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "../events/byte_writer.h"
#include "../events/record_lanes.h"
#include "../events/source_counters.h"
#include "batch_sink.h"

namespace netifyd {

struct EmitterStats {
  uint64_t batches_delivered = 0, records_delivered = 0, batches_dropped = 0, records_dropped = 0;
  uint64_t ticks = 0;
  std::vector<SourceCounters> totals;  // cumulative per source, as of the last tick
};

class Emitter {
 public:
  Emitter(RecordLanes& lanes, size_t sources, uint32_t batch_max_records, uint32_t batch_max_ms);

  void run(BatchSink& sink);  // thread body (emitter thread)
  EmitterStats stats() const;  // any thread

 private:
  struct Held {  // a record taken from a lane, not yet released
    OrderKey key;
    uint64_t order;  // position in its lane
    uint32_t lane;
    const uint8_t* data;
    uint32_t length;
    uint32_t* chunk_left;  // its chunk's count of held records
  };
  // Release order: key, then lane, then position in the lane.
  static bool before(const Held& a, const Held& b);
  struct LaneState {
    LaneTake take;
    std::deque<uint32_t> chunk_left;  // per chunk of take.chunks
    size_t scanned = 0;               // chunks of take.chunks whose records are held
    bool at_tick = false;             // the next unscanned chunk is a tick part
    bool sorted = true;               // held records are in key order
    uint64_t next_order = 0;
    std::vector<Held> held;
  };

  void collect();
  void scan(uint32_t lane);
  bool release();  // returns true when the final tick was merged
  void release_up_to(const OrderKey& limit, bool everything);
  void drop_released_chunks(LaneState& lane);
  void merge_tick();
  void add_record(const Held& record);
  void add_tick(std::vector<std::unique_ptr<TickPart>>& parts);
  void flush();
  void start_batch();

  RecordLanes& lanes_;
  BatchSink* sink_ = nullptr;
  const uint32_t batch_max_records_;
  const std::chrono::milliseconds batch_max_age_;
  std::vector<LaneState> state_;
  std::vector<Held> ready_;
  std::vector<uint8_t> batch_;
  size_t last_batch_bytes_ = 0;  // each batch starts with room for as much as the last
  uint32_t batch_records_ = 0;
  std::chrono::steady_clock::time_point batch_since_;
  ByteWriter tick_;
  bool final_merged_ = false;

  mutable std::mutex stats_mutex_;
  EmitterStats stats_;
};

}  // namespace netifyd
