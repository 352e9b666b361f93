// The emitter thread: takes chunks from the detection threads' lanes, merges the lanes at
// each tick (a tick record follows every record produced before it in any lane and
// precedes every later one), packs records into batches of at most `batch_max_records`
// and hands each batch to the sink once it is full or `batch_max_ms` old.
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
  Emitter(RecordLanes& lanes, uint32_t lane_count, size_t sources, uint32_t batch_max_records,
          uint32_t batch_max_ms);

  void run(BatchSink& sink);  // thread body (emitter thread)
  EmitterStats stats() const;  // any thread

 private:
  bool merge_ready_tick();  // returns true when the final tick was merged
  void add_records(LaneChunk& chunk);
  void add_tick(std::vector<std::unique_ptr<TickPart>>& parts);
  void flush();
  void start_batch();
  void start_header();

  RecordLanes& lanes_;
  BatchSink* sink_ = nullptr;
  const uint32_t batch_max_records_;
  const std::chrono::milliseconds batch_max_age_;
  std::vector<std::deque<LaneChunk>> pending_;  // per lane, in order
  std::vector<uint8_t> batch_;
  uint32_t batch_records_ = 0;
  std::chrono::steady_clock::time_point batch_since_;
  ByteWriter tick_;

  mutable std::mutex stats_mutex_;
  EmitterStats stats_;
};

}  // namespace netifyd
