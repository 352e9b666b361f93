#include "record_lanes.h"

namespace netifyd {
namespace {
constexpr uint32_t kUntakenChunks = 4;
constexpr size_t kChunkReserveBytes = 64 * 1024;
}

RecordLanes::RecordLanes(uint32_t lanes, uint32_t chunk_records, bool lossless)
    : chunk_records_(chunk_records ? chunk_records : 1),
      max_untaken_(chunk_records_ * kUntakenChunks),
      lossless_(lossless) {
  for (uint32_t i = 0; i < lanes; ++i) lanes_.push_back(std::make_unique<Lane>());
}

void RecordLanes::seal(Lane& lane) {
  if (lane.open.records == 0) return;
  lane.sealed.push_back(std::move(lane.open));
  lane.open = LaneChunk();
}

void RecordLanes::wake_emitter() {
  std::lock_guard<std::mutex> wake_lock(wake_mutex_);
  full_chunk_ = true;
  wake_.notify_one();
}

// Runs on detection thread `lane`.
void RecordLanes::append(uint32_t index, const uint8_t* data, size_t len) {
  Lane& lane = *lanes_[index];
  std::unique_lock<std::mutex> lock(lane.mutex);
  if (lossless_ && lane.untaken >= max_untaken_) {
    lock.unlock();
    wake_emitter();  // it may be sleeping with our chunks still to collect
    lock.lock();
    lane.space.wait(lock, [&] { return aborted() || lane.untaken < max_untaken_; });
  }
  if (lane.open.records == 0) {
    lane.open_since = std::chrono::steady_clock::now();
    lane.open.bytes.reserve(kChunkReserveBytes);
    lane.open.bytes.resize(kChunkHeaderBytes);
  }
  lane.open.bytes.insert(lane.open.bytes.end(), data, data + len);
  ++lane.open.records;
  ++lane.untaken;
  if (lane.open.records >= chunk_records_) {
    seal(lane);
    lock.unlock();
    wake_emitter();
  }
}

// Runs on detection thread `lane`. Wakes the emitter only when it waits to merge a tick
// (or for the final one); otherwise it picks ticks up when it next polls.
void RecordLanes::tick(uint32_t index, std::unique_ptr<TickPart> part) {
  Lane& lane = *lanes_[index];
  const bool final = part->final;
  {
    std::lock_guard<std::mutex> lock(lane.mutex);
    seal(lane);
    LaneChunk chunk;
    chunk.tick = std::move(part);
    lane.sealed.push_back(std::move(chunk));
  }
  if (final || wake_on_tick_.load(std::memory_order_relaxed)) wake_emitter();
}

// Runs on the emitter thread.
void RecordLanes::collect(std::vector<std::deque<LaneChunk>>& out, std::chrono::milliseconds max_age) {
  const auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lanes_.size(); ++i) {
    uint32_t held = 0;
    for (const LaneChunk& chunk : out[i]) held += chunk.records;
    if (held >= max_untaken_) continue;
    Lane& lane = *lanes_[i];
    std::lock_guard<std::mutex> lock(lane.mutex);
    if (lane.open.records > 0 && now - lane.open_since >= max_age) seal(lane);
    for (LaneChunk& chunk : lane.sealed) {
      lane.untaken -= chunk.records;
      out[i].push_back(std::move(chunk));
    }
    lane.sealed.clear();
    lane.space.notify_all();
  }
}

// Runs on the emitter thread.
void RecordLanes::wait(std::chrono::milliseconds timeout, bool wake_on_tick) {
  wake_on_tick_.store(wake_on_tick, std::memory_order_relaxed);
  std::unique_lock<std::mutex> lock(wake_mutex_);
  wake_.wait_for(lock, timeout, [this] { return full_chunk_ || aborted_.load(); });
  full_chunk_ = false;
}

void RecordLanes::abort() {
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    aborted_ = true;
    wake_.notify_all();
  }
  for (auto& lane : lanes_) {
    std::lock_guard<std::mutex> lock(lane->mutex);
    lane->space.notify_all();
  }
}

bool RecordLanes::aborted() const { return aborted_.load(); }

}  // namespace netifyd
