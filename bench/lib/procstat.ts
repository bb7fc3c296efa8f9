/**
 * Samples a process from /proc every `intervalMs`: VmRSS and VmHWM (peak RSS) from /proc/<pid>/status,
 * and CPU time (utime + stime) from /proc/<pid>/stat. Linux only; elsewhere the figures are null.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux everywhere that matters). */
const HZ = 100;

export interface ProcSample {
  t: number;
  rssKb: number;
  hwmKb: number;
  cpuMs: number;
}

export function readProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return { t: performance.now(), rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), cpuMs: (ticks * 1000) / HZ };
  } catch {
    return undefined;
  }
}

export interface Sampler {
  samples: ProcSample[];
  /** The latest sample now (also taken on stop). */
  now(): ProcSample | undefined;
  stop(): ProcSample[];
}

export function sampleProc(pid: number, intervalMs = 100): Sampler {
  const samples: ProcSample[] = [];
  const take = () => {
    const s = readProc(pid);
    if (s) samples.push(s);
    return s;
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    samples,
    now: take,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU used between two samples as a share of one core (100 = one core busy). */
export const cpuPct = (a: ProcSample | undefined, b: ProcSample | undefined) =>
  a && b && b.t > a.t ? (100 * (b.cpuMs - a.cpuMs)) / (b.t - a.t) : NaN;

export const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** Machine-wide CPU time from /proc/stat (all cores), in ms. */
export function readMachineCpu(): { t: number; busyMs: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { t: performance.now(), busyMs: (busy * 1000) / HZ };
  } catch {
    return undefined;
  }
}

/** Cores' worth of CPU the whole machine used between two readings (2 = both cores of this machine busy). */
export const machineCores = (
  a: { t: number; busyMs: number } | undefined,
  b: { t: number; busyMs: number } | undefined,
) => (a && b && b.t > a.t ? (b.busyMs - a.busyMs) / (b.t - a.t) : NaN);
