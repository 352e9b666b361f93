// Joins the detection threads at each tick: every thread contributes its flows' interval
// stats and per-source counters; the last one to arrive appends the combined tick record,
// then all continue. So a tick follows every record the threads produced before it, and
// precedes everything they produce after it.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "../events/byte_writer.h"
#include "../events/record_output.h"
#include "../events/source_counters.h"

namespace netifyd {

struct TickPart {
  ByteWriter flows;  // write_tick_flow() elements
  uint32_t flow_count = 0;
  std::vector<SourceCounters> sources;  // indexed by source id
  uint64_t time_us = 0;
};

class TickAggregator {
 public:
  TickAggregator(uint32_t workers, size_t sources, RecordOutput& output);

  // Detection threads. Returns once the tick record is appended (or on abort).
  void arrive(TickPart& part, bool final);
  void abort();

  // Any thread: cumulative per-source counters as of the last tick, and ticks so far.
  std::vector<SourceCounters> totals() const;
  uint64_t ticks() const;

 private:
  void reset_pending();

  const uint32_t workers_;
  RecordOutput& output_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  uint32_t arrived_ = 0;
  uint64_t generation_ = 0;
  bool aborted_ = false;
  ByteWriter flows_;
  uint32_t flow_count_ = 0;
  std::vector<SourceCounters> interval_;
  uint64_t time_us_ = 0;

  mutable std::mutex totals_mutex_;
  std::vector<SourceCounters> totals_;
  uint64_t ticks_ = 0;
};

}  // namespace netifyd
