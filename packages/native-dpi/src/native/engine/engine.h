// Owns one engine run: its sources, rings and threads (capture per source, detection per
// shard, one emitter), from start() until every thread is joined.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../capture/packet_ring.h"
#include "batch_sink.h"
#include "engine_config.h"
#include "source_state.h"

namespace netifyd {

struct EngineContext;
class CaptureWorker;
class DetectionWorker;
class Emitter;

struct SourceCountersSnapshot {
  uint16_t id;
  std::string name, target;
  bool live;
  std::string link_type;
  uint64_t packets_read, file_position;
  bool ended;
  std::string error;
  std::vector<std::pair<std::string, uint64_t>> discards;
  std::vector<uint64_t> totals;  // SourceCounter order, as of the last tick
};

struct EngineCountersSnapshot {
  std::vector<SourceCountersSnapshot> sources;
  int64_t active_flows;
  uint64_t flows_created, flows_expired, ticks;
  uint64_t batches_delivered, records_delivered, batches_dropped, records_dropped;
};

class Engine {
 public:
  explicit Engine(const EngineConfig& config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // JS thread, before start(). Throw CaptureError.
  uint16_t add_file_source(const std::string& name, const std::string& path,
                           const std::string& filter, bool replay);
  uint16_t add_live_source(const std::string& name, const std::string& iface,
                           const std::string& filter, int snaplen, bool promiscuous);

  // JS thread. Spawns the threads; batches go to `sink` (which must outlive join()).
  void start(BatchSink& sink);
  bool started() const { return started_; }
  bool lossless() const;
  // close(): capture stops, remaining flows are terminated, a final tick follows.
  void stop();
  // Teardown: threads exit as soon as possible, nothing more is delivered.
  void abort();
  // Joins every thread (after done() was delivered, or after abort()).
  void join();

  EngineCountersSnapshot counters() const;

 private:
  EngineConfig config_;
  std::vector<std::unique_ptr<SourceState>> sources_;
  std::unique_ptr<EngineContext> ctx_;
  std::vector<std::unique_ptr<PacketRing>> rings_;
  std::vector<std::unique_ptr<CaptureWorker>> capture_;
  std::vector<std::unique_ptr<DetectionWorker>> detection_;
  std::unique_ptr<Emitter> emitter_;
  std::vector<std::thread> threads_;
  bool started_ = false;
};

}  // namespace netifyd
