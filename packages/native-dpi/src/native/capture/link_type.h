// Which pcap link types (DLT_*) the engine decodes, and their names for messages.
#pragma once
#include <string>

#include "../decode/decode_state.h"

namespace netifyd {

Layer first_layer_for_dlt(int dlt);
// "EN10MB", "LINUX_SLL", ... or "DLT 105 (IEEE802_11)" style for others.
std::string dlt_display_name(int dlt);
std::string supported_link_types();

}  // namespace netifyd
