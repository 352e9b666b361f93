import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopFigures {
  /** Largest event-loop delay seen, ms. */
  readonly maxLagMs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

export interface LoopMonitor {
  stop(): LoopFigures;
}

/**
 * Measures event-loop lag (perf_hooks histogram) and samples memory every 50 ms until
 * stopped: does a plugin keep the agent's loop responsive while its peer misbehaves?
 */
export function startLoopMonitor(): LoopMonitor {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  timer.unref();
  return {
    stop(): LoopFigures {
      clearInterval(timer);
      sample();
      histogram.disable();
      return { maxLagMs: histogram.max / 1e6, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
    },
  };
}
