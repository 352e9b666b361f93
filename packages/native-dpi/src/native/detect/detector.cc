#include "detector.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include "metadata.h"

namespace netifyd {
namespace {

// Which endpoint sent this packet: 1 lower, 2 upper, 3 undecidable (one address on both sides).
uint8_t packet_sender(const FlowKey& key, const uint8_t* l3, uint32_t len) {
  const bool v4 = key.ip_version == 4;
  const size_t offset = v4 ? 12 : 8;
  const size_t size = v4 ? 4 : 16;
  if (len < offset + size || std::memcmp(key.lower_ip, key.upper_ip, size) == 0) return 3;
  return std::memcmp(l3 + offset, key.lower_ip, size) == 0 ? 1 : 2;
}

// nDPI keeps the first SSH banner it sees as the "client" signature, but SSH servers
// usually speak first: put each banner on the side that sent it.
void orient_ssh_banners(Flow& flow) {
  SshMeta* ssh = flow.detection.meta ? flow.detection.meta->ssh.get() : nullptr;
  if (!ssh || flow.ssh_first_banner == 0 || flow.ssh_first_banner == 3) return;
  const bool first_from_originator = (flow.ssh_first_banner == 1) == flow.origin_lower;
  if (!first_from_originator) std::swap(ssh->client, ssh->server);
}
constexpr size_t kMaxSpare = 1024;
constexpr uint32_t kReaderMaxTcpPackets = 80;
constexpr uint32_t kReaderMaxUdpPackets = 24;

}  // namespace

Detector::Detector(ndpi_detection_module_struct* mod, DetectionPolicy policy)
    : mod_(mod), policy_(policy) {}

Detector::~Detector() { release_spares(); }

void Detector::release_spares() {
  for (ndpi_flow_struct* f : spare_) std::free(f);
  spare_.clear();
  spare_.shrink_to_fit();
}

ndpi_flow_struct* Detector::acquire() {
  ndpi_flow_struct* f;
  if (!spare_.empty()) {
    f = spare_.back();
    spare_.pop_back();
  } else {
    f = static_cast<ndpi_flow_struct*>(std::malloc(sizeof(ndpi_flow_struct)));
    if (!f) return nullptr;
  }
  std::memset(f, 0, sizeof(ndpi_flow_struct));
  return f;
}

void Detector::release(ndpi_flow_struct* f) {
  ndpi_free_flow_data(f);
  if (spare_.size() < kMaxSpare)
    spare_.push_back(f);
  else
    std::free(f);
}

bool Detector::enough_packets(const Flow& flow) const {
  if (!policy_.reader_limits) return flow.detection_packets >= policy_.max_packets;
  const uint64_t packets = flow.total_packets();
  if (flow.key.protocol == IPPROTO_TCP) return packets > kReaderMaxTcpPackets;
  if (flow.key.protocol == IPPROTO_UDP) return packets > kReaderMaxUdpPackets;
  return false;
}

DetectStep Detector::process(Flow& flow, const uint8_t* l3, uint32_t l3_len, uint64_t time_ms) {
  DetectStep step;
  if (!flow.ndpi) {
    flow.ndpi = acquire();
    if (!flow.ndpi) {  // out of memory: report what we have
      complete(flow, nullptr);
      step.completed = true;
      step.became_known = !flow.has(flow_state::kNewEmitted);
      return step;
    }
  }
  ++flow.detection_packets;
  const uint16_t len = static_cast<uint16_t>(l3_len > 0xffff ? 0xffff : l3_len);
  ndpi_protocol p = ndpi_detection_process_packet(mod_, flow.ndpi, l3, len, time_ms);
  if (flow.ssh_first_banner == 0 && flow.key.protocol == IPPROTO_TCP && flow.ndpi->l4.tcp.ssh_stage != 0)
    flow.ssh_first_banner = packet_sender(flow.key, l3, l3_len);
  const bool known = p.app_protocol != NDPI_PROTOCOL_UNKNOWN;
  const bool enough = enough_packets(flow);
  const bool was_known = flow.meta_signature != 0;

  if (known && !enough && ndpi_extra_dissection_possible(mod_, flow.ndpi)) {
    const uint64_t sig = metadata_signature(flow.ndpi, p) | 1;  // never 0 once known
    if (sig != flow.meta_signature) {
      extract_detection(mod_, flow.ndpi, p, flow.detection);
      orient_ssh_banners(flow);
      flow.meta_signature = sig;
      step.became_known = !was_known;
      step.updated = was_known;
    }
    return step;
  }
  if (known || enough) {
    complete(flow, known ? &p : nullptr);
    step.completed = true;
    step.became_known = !was_known;
  }
  return step;
}

void Detector::complete(Flow& flow, const ndpi_protocol* detected) {
  if (flow.ndpi) {
    ndpi_protocol p;
    bool guessed = false;
    if (detected) {
      p = *detected;
    } else {
      // Also for flows in extra dissection: nDPI then keeps what it detected.
      u_int8_t was_guessed = 0;
      p = ndpi_detection_giveup(mod_, flow.ndpi, 1, &was_guessed);
      guessed = was_guessed != 0;
    }
    extract_detection(mod_, flow.ndpi, p, flow.detection);
    orient_ssh_banners(flow);
    flow.detection.guessed = guessed;
    release(flow.ndpi);
    flow.ndpi = nullptr;
  }
  flow.meta_signature |= 1;
  flow.state |= flow_state::kDpiComplete;
}

void Detector::finish(Flow& flow) {
  if (!flow.has(flow_state::kDpiComplete)) complete(flow, nullptr);
}

void Detector::discard(Flow& flow) {
  if (flow.ndpi) {
    release(flow.ndpi);
    flow.ndpi = nullptr;
  }
}

}  // namespace netifyd
