#include "engine.h"


#include <chrono>

#include "../capture/capture_error.h"
#include "capture_worker.h"
#include "detection_worker.h"
#include "emitter.h"
#include "engine_context.h"

namespace netifyd {
namespace {
// Live sources need room for bursts while a detection thread is busy (a full ring drops
// packets). From files capture waits when a ring is full, and then the other detection
// threads get nothing: a run of packets for flows of one shard (a capture's few flows, or
// many new ones) stalls them all unless the ring can hold it. 8 MiB rings cut capture's
// waits from ~45 % to ~20 % of a run on the bench capture, at ~16 MB more peak RSS.
constexpr size_t kLiveRingBytes = 4u << 20;
constexpr size_t kFileRingBytes = 8u << 20;
constexpr size_t kMaxSources = 256;

uint64_t wall_clock_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}
}  // namespace

Engine::Engine(const EngineConfig& config) : config_(config) {
  if (config_.detection_threads == 0) config_.detection_threads = 1;
}

Engine::~Engine() {
  abort();
  join();
}

uint16_t Engine::add_file_source(const std::string& name, const std::string& path,
                                 const std::string& filter, bool replay) {
  if (started_) throw CaptureError("ERR_ENGINE_STATE", "sources must be added before start()");
  if (sources_.size() >= kMaxSources) throw CaptureError("ERR_ENGINE_STATE", "too many sources");
  auto s = std::make_unique<SourceState>();
  s->pcap.reset(PcapSource::open_file(path, filter));
  s->id = static_cast<uint16_t>(sources_.size());
  s->name = name;
  s->target = path;
  s->replay = replay;
  sources_.push_back(std::move(s));
  return sources_.back()->id;
}

uint16_t Engine::add_live_source(const std::string& name, const std::string& iface,
                                 const std::string& filter, int snaplen, bool promiscuous) {
  if (started_) throw CaptureError("ERR_ENGINE_STATE", "sources must be added before start()");
  if (sources_.size() >= kMaxSources) throw CaptureError("ERR_ENGINE_STATE", "too many sources");
  auto s = std::make_unique<SourceState>();
  s->pcap.reset(PcapSource::open_live(iface, filter, snaplen, promiscuous));
  s->id = static_cast<uint16_t>(sources_.size());
  s->name = name;
  s->target = iface;
  sources_.push_back(std::move(s));
  return sources_.back()->id;
}

bool Engine::lossless() const {
  for (const auto& s : sources_)
    if (s->pcap->live()) return false;
  return true;
}

void Engine::start(BatchSink& sink) {
  if (started_) throw CaptureError("ERR_ENGINE_STATE", "the engine was already started");
  ctx_ = std::make_unique<EngineContext>(config_, sources_, lossless(), wall_clock_ms());
  const uint32_t workers = config_.detection_threads;
  // rings_[w * sources + s]: from source s to detection thread w.
  for (size_t i = 0; i < workers * sources_.size(); ++i)
    rings_.push_back(std::make_unique<PacketRing>(ctx_->lossless ? kFileRingBytes : kLiveRingBytes));
  for (uint32_t w = 0; w < workers; ++w) {
    std::vector<PacketRing*> mine;
    for (size_t s = 0; s < sources_.size(); ++s) mine.push_back(rings_[w * sources_.size() + s].get());
    detection_.push_back(std::make_unique<DetectionWorker>(*ctx_, w, mine));
  }
  for (size_t s = 0; s < sources_.size(); ++s) {
    std::vector<PacketRing*> out;
    for (uint32_t w = 0; w < workers; ++w) out.push_back(rings_[w * sources_.size() + s].get());
    capture_.push_back(std::make_unique<CaptureWorker>(*ctx_, *sources_[s], out));
  }
  emitter_ = std::make_unique<Emitter>(ctx_->lanes, sources_.size(), config_.batch_max_records,
                                       config_.batch_max_ms);
  started_ = true;
  for (auto& d : detection_) threads_.emplace_back([w = d.get()] { w->run(); });
  for (auto& c : capture_) threads_.emplace_back([w = c.get()] { w->run(); });
  threads_.emplace_back([e = emitter_.get(), &sink] { e->run(sink); });
}

void Engine::stop() {
  if (!ctx_) return;
  ctx_->stopping.store(true);
  for (auto& s : sources_) s->pcap->interrupt();
  for (auto& c : capture_) c->wakeup().notify();
}

void Engine::abort() {
  if (!ctx_) return;
  ctx_->stopping.store(true);
  ctx_->aborting.store(true);
  ctx_->lanes.abort();
  for (auto& s : sources_) s->pcap->interrupt();
  for (auto& c : capture_) c->wakeup().notify();
  for (auto& d : detection_) d->wakeup().notify();
}

void Engine::join() {
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

EngineCountersSnapshot Engine::counters() const {
  EngineCountersSnapshot out{};
  EmitterStats emitted;
  if (ctx_) {
    out.active_flows = ctx_->active_flows.load();
    out.flows_created = ctx_->flows_created.load();
    out.flows_expired = ctx_->flows_expired.load();
  }
  if (emitter_) emitted = emitter_->stats();
  const std::vector<SourceCounters>& totals = emitted.totals;
  out.ticks = emitted.ticks;
  out.batches_delivered = emitted.batches_delivered;
  out.records_delivered = emitted.records_delivered;
  out.batches_dropped = emitted.batches_dropped;
  out.records_dropped = emitted.records_dropped;
  for (const auto& s : sources_) {
    SourceCountersSnapshot c;
    c.id = s->id;
    c.name = s->name;
    c.target = s->target;
    c.live = s->pcap->live();
    c.link_type = s->pcap->link_name();
    c.packets_read = s->packets_read.load(std::memory_order_relaxed);
    c.file_position = s->file_position.load(std::memory_order_relaxed);
    c.ended = s->ended.load();
    c.error = s->error();
    for (int i = 1; i < kDiscardCount; ++i) {
      uint64_t n = s->discards[i].load(std::memory_order_relaxed);
      if (static_cast<Discard>(i) == Discard::max_flows_reached) n += s->flows_refused.load();
      c.discards.emplace_back(discard_name(static_cast<Discard>(i)), n);
    }
    c.totals.assign(kSourceCounterCount, 0);
    if (s->id < totals.size())
      for (int i = 0; i < kSourceCounterCount; ++i) c.totals[i] = totals[s->id].v[i];
    out.sources.push_back(std::move(c));
  }
  return out;
}

}  // namespace netifyd
