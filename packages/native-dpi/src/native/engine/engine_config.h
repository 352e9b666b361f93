// Engine options as validated by the TypeScript wrapper (src/engine.ts).
#pragma once
#include <cstdint>

#include "../detect/detector.h"

namespace netifyd {

struct EngineConfig {
  uint32_t detection_threads = 2;
  DetectionPolicy detection;
  uint64_t max_flows = 0;  // 0 = unlimited
  uint64_t tcp_idle_ttl_ms = 300000;
  uint64_t idle_ttl_ms = 30000;
  bool idle_expiry = true;  // false: flows end only with their source (ndpiReader style)
  bool dns_flow_reuse = false;  // a new A/AAAA query restarts a completed DNS flow (FORMATS §6.2)
  uint64_t update_interval_ms = 15000;
  uint32_t batch_max_records = 1024;
  uint32_t batch_max_ms = 50;
};

}  // namespace netifyd
