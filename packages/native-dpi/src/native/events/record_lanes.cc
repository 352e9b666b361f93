#include "record_lanes.h"

namespace netifyd {
namespace {
constexpr uint32_t kUntakenChunks = 4;
}

RecordLanes::RecordLanes(uint32_t lanes, uint32_t chunk_records, bool lossless)
    : chunk_records_(chunk_records ? chunk_records : 1),
      max_untaken_(chunk_records_ * kUntakenChunks),
      lossless_(lossless) {
  for (uint32_t i = 0; i < lanes; ++i) lanes_.push_back(std::make_unique<Lane>());
}

void RecordLanes::seal(Lane& lane) {
  if (lane.open.refs.empty()) return;
  lane.sealed.push_back(std::move(lane.open));
  lane.open = LaneChunk();
}

void RecordLanes::wake_emitter() {
  news_.store(true);
  emitter_.notify();
}

// Runs on detection thread `lane`.
void RecordLanes::append(uint32_t index, const OrderKey& key, const uint8_t* data, size_t len) {
  Lane& lane = *lanes_[index];
  std::unique_lock<std::mutex> lock(lane.mutex);
  if (lossless_ && lane.untaken >= max_untaken_) {
    lock.unlock();
    wake_emitter();  // it may be sleeping with our chunks still to collect
    lock.lock();
    lane.space.wait(lock, [&] { return aborted() || lane.untaken < max_untaken_; });
  }
  LaneChunk& chunk = lane.open;
  if (chunk.refs.empty()) chunk.bytes.reserve(lane.full_chunk_bytes);
  chunk.refs.push_back(RecordRef{key, static_cast<uint32_t>(chunk.bytes.size()), static_cast<uint32_t>(len)});
  chunk.bytes.insert(chunk.bytes.end(), data, data + len);
  ++lane.untaken;
  if (chunk.refs.size() >= chunk_records_) {
    lane.full_chunk_bytes = chunk.bytes.size();
    seal(lane);
    lock.unlock();
    wake_emitter();
  }
}

// Runs on detection thread `lane`.
void RecordLanes::advance(uint32_t index, const OrderKey& watermark) {
  Lane& lane = *lanes_[index];
  {
    std::lock_guard<std::mutex> lock(lane.mutex);
    if (!(lane.watermark < watermark)) return;
    lane.watermark = watermark;
  }
  if (!lossless_) wake_emitter();
}

bool RecordLanes::every_lane_reached(uint64_t ticks) const {
  for (const auto& lane : lanes_)
    if (lane->ticks.load() < ticks) return false;
  return true;
}

// Runs on detection thread `lane`.
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
  // The emitter merges a tick once every lane has its part: the last lane to get there
  // wakes it (seq_cst: of two lanes arriving together, at least one sees the other). From
  // files, where a sparse capture can have a tick every few hundred packets, only the final
  // one wakes it; the others go with the next full chunk.
  const uint64_t reached = lane.ticks.fetch_add(1) + 1;
  if ((final || !lossless_) && every_lane_reached(reached)) wake_emitter();
}

// Runs on the emitter thread.
void RecordLanes::collect(uint32_t index, LaneTake& out) {
  Lane& lane = *lanes_[index];
  std::lock_guard<std::mutex> lock(lane.mutex);
  seal(lane);
  for (LaneChunk& chunk : lane.sealed) {
    lane.untaken -= static_cast<uint32_t>(chunk.refs.size());
    out.chunks.push_back(std::move(chunk));
  }
  lane.sealed.clear();
  out.watermark = lane.watermark;
  lane.space.notify_all();
}

// Runs on the emitter thread.
void RecordLanes::wait(std::chrono::milliseconds timeout) {
  emitter_.sleep(timeout, [this] { return news_.load() || aborted_.load(); });
  news_.store(false);
}

void RecordLanes::abort() {
  aborted_ = true;
  wake_emitter();
  for (auto& lane : lanes_) {
    std::lock_guard<std::mutex> lock(lane->mutex);
    lane->space.notify_all();
  }
}

bool RecordLanes::aborted() const { return aborted_.load(); }

}  // namespace netifyd
