import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds of one thread (or of the whole process), from /proc/…/stat. */
export interface ThreadTime {
  tid: number;
  name: string;
  cpuS: number;
}

export interface ThreadTimesReport {
  /** Whole process: every thread, including those that ended before exit (the engine's). */
  processCpuS: number;
  /** Threads still alive at exit; the main (JS) thread has tid = pid. */
  threads: ThreadTime[];
  pid: number;
}

/** Linux reports thread times in clock ticks; USER_HZ is 100 on every Linux ABI Node supports. */
const USER_HZ = 100;

/** utime + stime (fields 14 and 15) of a stat line; the name is in parentheses and may hold spaces. */
export function parseStat(line: string): { name: string; cpuS: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { name: line.slice(open + 1, close), cpuS: ticks / USER_HZ };
}

/** The process's CPU time and that of each live thread, right now. */
export function readThreadTimes(): ThreadTimesReport {
  const threads: ThreadTime[] = [];
  for (const entry of readdirSync('/proc/self/task')) {
    try {
      threads.push({ tid: Number(entry), ...parseStat(readFileSync(`/proc/self/task/${entry}/stat`, 'utf8')) });
    } catch {
      // The thread ended while we listed them; its time is in the process total.
    }
  }
  return { pid: process.pid, processCpuS: parseStat(readFileSync('/proc/self/stat', 'utf8')).cpuS, threads };
}
