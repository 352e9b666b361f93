import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopFigures {
  /** Largest event-loop delay seen, ms. */
  readonly maxLagMs: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/** Measures event-loop lag (perf_hooks histogram) and samples memory every 50 ms until stopped. */
export function startLoopMonitor(): { stop(): LoopFigures } {
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
  return {
    stop(): LoopFigures {
      clearInterval(timer);
      sample();
      histogram.disable();
      return { maxLagMs: histogram.max / 1e6, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
    },
  };
}
