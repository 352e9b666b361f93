#include "emitter.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>

#include "../events/record.h"
#include "../events/record_writer.h"

namespace netifyd {
namespace {
constexpr size_t kBatchHeaderBytes = 8;
}  // namespace

bool Emitter::before(const Held& a, const Held& b) {
  if (a.key < b.key) return true;
  if (b.key < a.key) return false;
  return a.lane != b.lane ? a.lane < b.lane : a.order < b.order;
}

Emitter::Emitter(RecordLanes& lanes, size_t sources, uint32_t batch_max_records, uint32_t batch_max_ms)
    : lanes_(lanes),
      batch_max_records_(batch_max_records ? batch_max_records : 1),
      batch_max_age_(batch_max_ms),
      state_(lanes.lanes()) {
  stats_.totals.resize(sources);
  start_batch();
}

void Emitter::start_batch() {
  batch_.clear();
  batch_.reserve(last_batch_bytes_);
  batch_.resize(kBatchHeaderBytes);
  const uint32_t format = kRecordFormat;
  std::memcpy(batch_.data(), &format, 4);
  batch_records_ = 0;
}

void Emitter::flush() {
  if (batch_records_ == 0) return;
  std::memcpy(batch_.data() + 4, &batch_records_, 4);
  const uint32_t records = batch_records_;
  last_batch_bytes_ = batch_.size();
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

void Emitter::add_record(const Held& record) {
  if (batch_records_ == 0) batch_since_ = std::chrono::steady_clock::now();
  batch_.insert(batch_.end(), record.data, record.data + record.length);
  ++batch_records_;
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
  if (batch_records_ == 0) batch_since_ = std::chrono::steady_clock::now();
  batch_.insert(batch_.end(), tick_.data(), tick_.data() + tick_.size());
  ++batch_records_;
  if (batch_records_ >= batch_max_records_) flush();
  final_merged_ = final;
}

void Emitter::collect() {
  for (uint32_t i = 0; i < state_.size(); ++i) {
    LaneState& lane = state_[i];
    const size_t before_count = lane.take.chunks.size();
    lanes_.collect(i, lane.take);
    for (size_t c = before_count; c < lane.take.chunks.size(); ++c)
      lane.chunk_left.push_back(static_cast<uint32_t>(lane.take.chunks[c].refs.size()));
    scan(i);
  }
}

// Holds the records of lane `index` up to its next tick part.
void Emitter::scan(uint32_t index) {
  LaneState& lane = state_[index];
  while (!lane.at_tick && lane.scanned < lane.take.chunks.size()) {
    const LaneChunk& chunk = lane.take.chunks[lane.scanned];
    if (chunk.tick) {
      lane.at_tick = true;
      break;
    }
    uint32_t* left = &lane.chunk_left[lane.scanned];
    for (const RecordRef& ref : chunk.refs) {
      if (!lane.held.empty() && ref.key < lane.held.back().key) lane.sorted = false;
      lane.held.push_back(Held{ref.key, lane.next_order++, index, chunk.bytes.data() + ref.offset, ref.length, left});
    }
    ++lane.scanned;
  }
}

void Emitter::drop_released_chunks(LaneState& lane) {
  while (lane.scanned > 0 && lane.chunk_left.front() == 0) {
    lane.take.chunks.pop_front();
    lane.chunk_left.pop_front();
    --lane.scanned;
  }
}

// Releases, in order, every held record whose key is at most `limit` (all with `everything`).
void Emitter::release_up_to(const OrderKey& limit, bool everything) {
  ready_.clear();
  size_t lanes_with_records = 0;
  for (LaneState& lane : state_) {
    const size_t first = ready_.size();
    if (everything) {
      ready_.insert(ready_.end(), lane.held.begin(), lane.held.end());
      lane.held.clear();
      lane.sorted = true;
    } else if (lane.sorted) {
      auto end = std::find_if(lane.held.begin(), lane.held.end(), [&](const Held& h) { return limit < h.key; });
      ready_.insert(ready_.end(), lane.held.begin(), end);
      lane.held.erase(lane.held.begin(), end);
    } else {
      auto keep = std::stable_partition(lane.held.begin(), lane.held.end(),
                                        [&](const Held& h) { return h.key <= limit; });
      ready_.insert(ready_.end(), lane.held.begin(), keep);
      lane.held.erase(lane.held.begin(), keep);
      lane.sorted = std::is_sorted(lane.held.begin(), lane.held.end(),
                                   [](const Held& a, const Held& b) { return a.key < b.key; });
    }
    if (ready_.size() > first) ++lanes_with_records;
  }
  if (lanes_with_records > 1 || !std::is_sorted(ready_.begin(), ready_.end(), before))
    std::sort(ready_.begin(), ready_.end(), before);
  for (const Held& record : ready_) {
    add_record(record);
    --*record.chunk_left;
  }
  ready_.clear();
  for (LaneState& lane : state_) drop_released_chunks(lane);
}

void Emitter::merge_tick() {
  std::vector<std::unique_ptr<TickPart>> parts;
  for (uint32_t i = 0; i < state_.size(); ++i) {
    LaneState& lane = state_[i];
    parts.push_back(std::move(lane.take.chunks.front().tick));
    lane.take.chunks.pop_front();
    lane.chunk_left.pop_front();
    lane.at_tick = false;
  }
  add_tick(parts);
  for (uint32_t i = 0; i < state_.size(); ++i) scan(i);
}

// Releases what every lane's watermark allows; merges ticks every lane reached.
bool Emitter::release() {
  for (;;) {
    OrderKey limit = OrderKey::highest();
    bool all_at_tick = true;
    for (const LaneState& lane : state_) {
      if (lane.at_tick) continue;
      all_at_tick = false;
      if (lane.take.watermark < limit) limit = lane.take.watermark;
    }
    if (!all_at_tick) {
      release_up_to(limit, false);
      return false;
    }
    release_up_to(limit, true);
    merge_tick();
    if (final_merged_) return true;
  }
}

// Runs on the emitter thread.
void Emitter::run(BatchSink& sink) {
  pthread_setname_np(pthread_self(), "dpi-emit");
  sink_ = &sink;
  for (;;) {
    if (lanes_.aborted()) return;
    collect();
    if (release()) {
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
    lanes_.wait(wait);
  }
}

EmitterStats Emitter::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

}  // namespace netifyd
