// A libpcap capture: a pcap/pcapng file or a live interface. Opened on the JS thread
// (so errors are thrown there), read by its capture thread.
#pragma once
#include <pcap/pcap.h>

#include <cstdint>
#include <memory>
#include <string>

#include "../decode/decode_state.h"

namespace netifyd {

struct RawPacket {
  const uint8_t* data;
  uint32_t caplen;
  uint32_t wirelen;
  uint64_t time_us;
};

class PacketHandler {
 public:
  virtual ~PacketHandler() = default;
  virtual void on_packet(const RawPacket& packet) = 0;
  virtual void on_filtered() = 0;  // rejected by a file source's filter
};

class PcapSource {
 public:
  enum class Read { packets, idle, eof, error };

  // Throw CaptureError (ERR_CAPTURE_OPEN, ERR_LINKTYPE, ERR_BPF).
  static PcapSource* open_file(const std::string& path, const std::string& filter);
  static PcapSource* open_live(const std::string& iface, const std::string& filter, int snaplen,
                               bool promiscuous);
  ~PcapSource();
  PcapSource(const PcapSource&) = delete;
  PcapSource& operator=(const PcapSource&) = delete;

  bool live() const { return live_; }
  Layer first_layer() const { return first_layer_; }
  const std::string& link_name() const { return link_name_; }

  // Capture thread: hands up to `max` packets to `handler`.
  Read read(int max, PacketHandler& handler);
  // Any thread: makes a blocked read() return soon.
  void interrupt();
  std::string last_error() const;
  // Bytes of the file consumed so far (files), 0 for live sources.
  uint64_t position() const;
  // Cumulative drops reported by the kernel / interface (live sources).
  uint64_t dropped() const;

 private:
  PcapSource(pcap_t* handle, bool live, const std::string& what);
  void set_link_layer(const std::string& what);
  void install_filter(const std::string& what, const std::string& filter);
  static void on_pcap_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes);

  pcap_t* handle_;
  bool live_;
  Layer first_layer_ = Layer::done;
  std::string link_name_;
  bpf_program offline_filter_{};
  bool has_offline_filter_ = false;
  PacketHandler* handler_ = nullptr;
  std::unique_ptr<char[]> file_buffer_;  // stdio buffer of a file source; outlives pcap_close()
};

}  // namespace netifyd
