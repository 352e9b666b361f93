// Converts an engine counters snapshot into the plain object declared in src/binding.ts.
#pragma once
#include <napi.h>

#include "../engine/engine.h"

namespace netifyd {

Napi::Object counters_to_js(Napi::Env env, const EngineCountersSnapshot& c);

}  // namespace netifyd
