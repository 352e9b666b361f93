#include "emitter.h"

#include <pthread.h>

#include <cstring>

#include "../events/record.h"
#include "../events/record_writer.h"

namespace netifyd {
Emitter::Emitter(RecordLanes& lanes, uint32_t lane_count, size_t sources, uint32_t batch_max_records,
                 uint32_t batch_max_ms)
    : lanes_(lanes),
      batch_max_records_(batch_max_records ? batch_max_records : 1),
      batch_max_age_(batch_max_ms),
      pending_(lane_count) {
  stats_.totals.resize(sources);
  start_batch();
}

void Emitter::start_batch() {
  batch_.clear();
  batch_.resize(kChunkHeaderBytes);
  start_header();
  batch_records_ = 0;
}

void Emitter::start_header() {
  const uint32_t format = kRecordFormat;
  std::memcpy(batch_.data(), &format, 4);
}

void Emitter::flush() {
  if (batch_records_ == 0) return;
  std::memcpy(batch_.data() + 4, &batch_records_, 4);
  const uint32_t records = batch_records_;
  const bool delivered = sink_->deliver(std::move(batch_), records);
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    if (delivered) {
      ++stats_.batches_delivered;
      stats_.records_delivered += records;
    } else {
      ++stats_.batches_dropped;
      stats_.records_dropped += records;
    }
  }
  batch_ = std::vector<uint8_t>();
  start_batch();
}

void Emitter::add_records(LaneChunk& chunk) {
  if (batch_records_ + chunk.records > batch_max_records_) flush();
  if (batch_records_ == 0) {
    batch_since_ = std::chrono::steady_clock::now();
    batch_ = std::move(chunk.bytes);  // it has room for the header
    start_header();
  } else {
    batch_.insert(batch_.end(), chunk.bytes.begin() + kChunkHeaderBytes, chunk.bytes.end());
  }
  batch_records_ += chunk.records;
  if (batch_records_ >= batch_max_records_) flush();
}

void Emitter::add_tick(std::vector<std::unique_ptr<TickPart>>& parts) {
  uint32_t flows = 0;
  uint64_t time_us = 0;
  bool final = false;
  std::vector<SourceCounters> interval(stats_.totals.size());
  for (const auto& part : parts) {
    flows += part->flow_count;
    if (part->time_us > time_us) time_us = part->time_us;
    final = final || part->final;
    for (size_t s = 0; s < interval.size() && s < part->sources.size(); ++s) interval[s].add(part->sources[s]);
  }
  tick_.clear();
  write_tick_header(tick_, time_us / 1000, final, flows);
  for (const auto& part : parts) tick_.bytes(part->flows.data(), part->flows.size());
  tick_.u16(static_cast<uint16_t>(interval.size()));
  for (size_t s = 0; s < interval.size(); ++s) write_tick_source(tick_, static_cast<uint16_t>(s), interval[s]);
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    for (size_t s = 0; s < interval.size(); ++s) stats_.totals[s].add(interval[s]);
    ++stats_.ticks;
  }
  if (batch_records_ + 1 > batch_max_records_) flush();
  if (batch_records_ == 0) batch_since_ = std::chrono::steady_clock::now();
  batch_.insert(batch_.end(), tick_.data(), tick_.data() + tick_.size());
  ++batch_records_;
  if (batch_records_ >= batch_max_records_) flush();
}

// Moves records up to each lane's next tick into batches; when every lane is at a tick,
// merges it. Returns true once the final tick went out.
bool Emitter::merge_ready_tick() {
  for (;;) {
    bool all_at_tick = true;
    for (auto& lane : pending_) {
      while (!lane.empty() && !lane.front().tick) {
        add_records(lane.front());
        lane.pop_front();
      }
      if (lane.empty()) all_at_tick = false;
    }
    if (!all_at_tick) return false;
    std::vector<std::unique_ptr<TickPart>> parts;
    for (auto& lane : pending_) {
      parts.push_back(std::move(lane.front().tick));
      lane.pop_front();
    }
    const bool final = parts.front()->final;
    add_tick(parts);
    if (final) return true;
  }
}

// Runs on the emitter thread.
void Emitter::run(BatchSink& sink) {
  pthread_setname_np(pthread_self(), "dpi-emit");
  sink_ = &sink;
  for (;;) {
    if (lanes_.aborted()) return;
    lanes_.collect(pending_, batch_max_age_);
    if (merge_ready_tick()) {
      flush();
      sink.done();
      return;
    }
    auto wait = batch_max_age_;
    if (batch_records_ > 0) {
      const auto age = std::chrono::steady_clock::now() - batch_since_;
      if (age >= batch_max_age_) {
        flush();
      } else {
        wait = std::chrono::duration_cast<std::chrono::milliseconds>(batch_max_age_ - age) +
               std::chrono::milliseconds(1);
      }
    }
    // A lane holding chunks past a tick waits for the others: wake on their ticks.
    bool waiting_for_tick = false;
    for (const auto& lane : pending_) waiting_for_tick = waiting_for_tick || !lane.empty();
    lanes_.wait(wait, waiting_for_tick);
  }
}

EmitterStats Emitter::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

}  // namespace netifyd
