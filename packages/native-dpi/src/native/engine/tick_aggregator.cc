#include "tick_aggregator.h"

#include "../events/record_writer.h"

namespace netifyd {

TickAggregator::TickAggregator(uint32_t workers, size_t sources, RecordOutput& output)
    : workers_(workers), output_(output), interval_(sources), totals_(sources) {}

void TickAggregator::reset_pending() {
  flows_.clear();
  flow_count_ = 0;
  for (SourceCounters& c : interval_) c.clear();
  time_us_ = 0;
}

// Runs on detection threads.
void TickAggregator::arrive(TickPart& part, bool final) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (aborted_) return;
  flows_.bytes(part.flows.data(), part.flows.size());
  flow_count_ += part.flow_count;
  for (size_t s = 0; s < interval_.size() && s < part.sources.size(); ++s)
    interval_[s].add(part.sources[s]);
  if (part.time_us > time_us_) time_us_ = part.time_us;

  if (++arrived_ < workers_) {
    const uint64_t generation = generation_;
    released_.wait(lock, [&] { return aborted_ || generation_ != generation; });
    return;
  }

  ByteWriter record;
  write_tick_header(record, time_us_ / 1000, final, flow_count_);
  record.bytes(flows_.data(), flows_.size());
  record.u16(static_cast<uint16_t>(interval_.size()));
  for (size_t s = 0; s < interval_.size(); ++s)
    write_tick_source(record, static_cast<uint16_t>(s), interval_[s]);
  {
    std::lock_guard<std::mutex> totals_lock(totals_mutex_);
    for (size_t s = 0; s < interval_.size(); ++s) totals_[s].add(interval_[s]);
    ++ticks_;
  }
  reset_pending();
  arrived_ = 0;
  // Append without holding the barrier: in file mode append() may wait for JS.
  lock.unlock();
  output_.append(record.data(), record.size());
  if (final) output_.finish();
  lock.lock();
  ++generation_;
  released_.notify_all();
}

void TickAggregator::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  aborted_ = true;
  released_.notify_all();
}

std::vector<SourceCounters> TickAggregator::totals() const {
  std::lock_guard<std::mutex> lock(totals_mutex_);
  return totals_;
}

uint64_t TickAggregator::ticks() const {
  std::lock_guard<std::mutex> lock(totals_mutex_);
  return ticks_;
}

}  // namespace netifyd
