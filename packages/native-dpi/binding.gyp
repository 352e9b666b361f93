{
  "variables": {
    "asan%": "0"
  },
  "targets": [
    {
      "target_name": "native_dpi",
      "sources": [
        "src/native/addon/addon.cc",
        "src/native/addon/counters_js.cc",
        "src/native/addon/engine_wrap.cc",
        "src/native/addon/js_error.cc",
        "src/native/addon/tsfn_sink.cc",
        "src/native/capture/link_type.cc",
        "src/native/capture/pcap_source.cc",
        "src/native/decode/decoder.cc",
        "src/native/decode/discard_reason.cc",
        "src/native/decode/ip.cc",
        "src/native/decode/link.cc",
        "src/native/decode/shim.cc",
        "src/native/decode/transport.cc",
        "src/native/decode/tunnel.cc",
        "src/native/detect/detector.cc",
        "src/native/detect/dns_response.cc",
        "src/native/detect/metadata.cc",
        "src/native/detect/ndpi_module.cc",
        "src/native/detect/ndpi_snprintf.cc",
        "src/native/engine/capture_worker.cc",
        "src/native/engine/detection_worker.cc",
        "src/native/engine/dns_answers.cc",
        "src/native/engine/engine.cc",
        "src/native/engine/flow_expiry.cc",
        "src/native/engine/emitter.cc",
        "src/native/events/record_lanes.cc",
        "src/native/events/record_writer.cc",
        "src/native/flow/flow_table.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti"],
      "ldflags": ["-Wl,--wrap=__snprintf_chk"],
      "libraries": [
        "-Wl,--exclude-libs,ALL",
        "-Wl,-Bstatic", "-lndpi", "-Wl,-Bdynamic",
        "-lpcap",
        "-lgcrypt",
        "-lm",
        "-lpthread"
      ],
      "conditions": [
        ["asan=='1'", {
          "cflags": ["-fsanitize=address", "-fno-omit-frame-pointer", "-g"],
          "ldflags": ["-fsanitize=address"]
        }]
      ]
    }
  ]
}
