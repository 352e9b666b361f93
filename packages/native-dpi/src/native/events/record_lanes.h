// Where detection threads put their records: one lane per thread, so appending never
// contends with the other threads. Records go into chunks of at most `chunk_records`; a
// thread reaching a tick adds its tick part as a chunk of its own. The emitter thread takes
// sealed chunks and merges lanes at tick parts, so nobody waits for anybody at a tick.
// In lossless (file) mode a thread waits while too many of its records are not yet taken.
#pragma once
#include <chrono>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "byte_writer.h"
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

// Chunks start with room for a batch header, so a chunk can become a batch without a copy.
constexpr size_t kChunkHeaderBytes = 8;

struct LaneChunk {
  std::vector<uint8_t> bytes;  // kChunkHeaderBytes, then whole records
  uint32_t records = 0;
  std::unique_ptr<TickPart> tick;  // set for a tick chunk (then no records)
};

class RecordLanes {
 public:
  RecordLanes(uint32_t lanes, uint32_t chunk_records, bool lossless);

  // Detection thread `lane`: one serialised record.
  void append(uint32_t lane, const uint8_t* data, size_t len);
  // Detection thread `lane` reached a tick.
  void tick(uint32_t lane, std::unique_ptr<TickPart> part);

  // Emitter: moves every lane's sealed chunks to the back of out[lane], sealing open chunks
  // older than `max_age` first; their lanes may then append again. A lane whose records in
  // out[lane] already reach the untaken bound is left alone, so a thread running ahead of
  // the others (its records wait for their tick) is held back instead of piling up.
  void collect(std::vector<std::deque<LaneChunk>>& out, std::chrono::milliseconds max_age);
  // Emitter: sleeps until a full chunk is sealed, `timeout` passes, or abort(); with
  // `wake_on_tick`, also until any lane reaches a tick (the emitter waits to merge one).
  void wait(std::chrono::milliseconds timeout, bool wake_on_tick);

  void abort();
  bool aborted() const;

 private:
  struct Lane {
    std::mutex mutex;
    std::condition_variable space;
    std::deque<LaneChunk> sealed;
    LaneChunk open;
    std::chrono::steady_clock::time_point open_since;
    uint32_t untaken = 0;  // records appended but not yet collected
  };
  void seal(Lane& lane);
  void wake_emitter();

  const uint32_t chunk_records_;
  const uint32_t max_untaken_;
  const bool lossless_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool full_chunk_ = false;
  std::atomic<bool> wake_on_tick_{false};
  std::atomic<bool> aborted_{false};
};

}  // namespace netifyd
