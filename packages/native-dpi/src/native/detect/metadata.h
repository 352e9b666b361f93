// Copies what nDPI learned about a flow into plain data. nDPI keeps protocol-specific
// fields in a union, so each section is read only when its protocol was detected.
#pragma once
#include <cstdint>

extern "C" {
#include <ndpi/ndpi_api.h>
}

#include "flow_meta.h"

namespace netifyd {

// Changes whenever a field that would be reported changes (cheap; no copies).
uint64_t metadata_signature(const ndpi_flow_struct* flow, const ndpi_protocol& proto);

// Protocol ids, names, category, confidence, risks, host name and the sections.
void extract_detection(ndpi_detection_module_struct* mod, ndpi_flow_struct* flow,
                       const ndpi_protocol& proto, Detection& out);

}  // namespace netifyd
