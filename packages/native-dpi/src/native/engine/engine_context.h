// State shared by the engine's threads for one run.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "../events/record_lanes.h"
#include "engine_config.h"
#include "source_state.h"

namespace netifyd {

struct EngineContext {
  EngineContext(const EngineConfig& cfg, std::vector<std::unique_ptr<SourceState>>& srcs,
                bool lossless_mode, uint64_t wall_base_ms)
      : config(cfg),
        sources(srcs),
        lossless(lossless_mode),
        wall_clock_base_ms(wall_base_ms),
        lanes(cfg.detection_threads, cfg.batch_max_records, lossless_mode) {}

  const EngineConfig config;
  std::vector<std::unique_ptr<SourceState>>& sources;
  const bool lossless;                // only file sources: never drop, wait instead
  const uint64_t wall_clock_base_ms;  // tick 0 of live sources

  std::atomic<bool> stopping{false};  // close(): end capture, terminate flows, finish
  std::atomic<bool> aborting{false};  // teardown: drop everything and exit
  std::atomic<int64_t> active_flows{0};
  std::atomic<uint64_t> flows_created{0};
  std::atomic<uint64_t> flows_expired{0};

  RecordLanes lanes;
};

}  // namespace netifyd
