// Runs nDPI on a flow's packets until detection is over, then gives up/guesses, copies the
// result out and frees nDPI's per-flow state. Runs on one detection thread only.
#pragma once
#include <cstdint>
#include <vector>

#include "../flow/flow.h"

struct ndpi_detection_module_struct;
struct ndpi_proto;
typedef struct ndpi_proto ndpi_protocol;

namespace netifyd {

struct DetectionPolicy {
  uint32_t max_packets = 32;   // packets handed to nDPI before giving up
  bool reader_limits = false;  // ndpiReader 4.2: 80 TCP / 24 UDP flow packets, others unlimited
};

struct DetectStep {
  bool became_known = false;  // first time a protocol is known: time for 'new'
  bool updated = false;       // something reportable changed
  bool completed = false;     // detection over: 'dpi_complete'
};

class Detector {
 public:
  Detector(ndpi_detection_module_struct* mod, DetectionPolicy policy);
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // One packet of a flow still in detection. `l3` points at the IP header.
  DetectStep process(Flow& flow, const uint8_t* l3, uint32_t l3_len, uint64_t time_ms);
  // Ends detection now (expiry, shutdown): guesses when unknown, copies the result out.
  void finish(Flow& flow);
  // Frees nDPI state without reporting (engine teardown).
  void discard(Flow& flow);
  // Frees the pool of nDPI flow structures kept for reuse.
  void release_spares();

 private:
  bool enough_packets(const Flow& flow) const;
  void complete(Flow& flow, const ndpi_protocol* detected);
  ndpi_flow_struct* acquire();
  void release(ndpi_flow_struct* f);

  ndpi_detection_module_struct* mod_;
  DetectionPolicy policy_;
  std::vector<ndpi_flow_struct*> spare_;  // zeroed on reuse; no malloc per flow
};

}  // namespace netifyd
