// What the machine was doing while a benchmark ran, measured rather than described: cores and the
// load average (1 and 5 minutes) when the benchmark started and when it printed. A load above the
// core count means other work shared the machine, and wall-clock figures are upper bounds.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const round = (x: number) => Math.round(x * 100) / 100;

/** Cores and the load average right now. */
export function machineNow() {
  const [one, five] = os.loadavg();
  return { cpus: os.cpus().length, loadAverage1m: round(one), loadAverage5m: round(five) };
}

/** Call at the start of a benchmark; call the result when printing: `{ start, end }`. */
export function machineDuring(): () => {
  start: ReturnType<typeof machineNow>;
  end: ReturnType<typeof machineNow>;
} {
  const start = machineNow();
  return () => ({ start, end: machineNow() });
}

/** What a process is, from its command line: the parts of a cluster benchmark. */
function programOf(cmdline: string, comm: string): string {
  if (cmdline.includes('bin/colloquy.mjs')) return 'colloquy';
  if (cmdline.includes('live-client')) return 'loaders';
  if (comm.startsWith('postgres') || cmdline.startsWith('postgres')) return 'postgresql';
  if (comm.startsWith('redis-server')) return 'redis';
  if (comm.startsWith('haproxy')) return 'haproxy';
  return 'other';
}

/** CPU seconds used so far by every process on the machine, by program (see `programOf`). */
export function cpuByProgram(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const name = programOf(cmdline, comm);
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

/** Busy and total CPU time of the whole machine so far (from /proc/stat, all cores). */
export function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((n, x) => n + x, 0);
  const idle = f[3] + (f[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/**
 * Where the machine's CPU went between two readings: cores used per program (a process that ended
 * in between is missing), and how busy the whole machine was (1 = every core all the time).
 */
export function cpuBetween(
  a: { programs: Map<string, number>; cpu: ReturnType<typeof machineCpu> },
  b: { programs: Map<string, number>; cpu: ReturnType<typeof machineCpu> },
  seconds: number,
) {
  const cores: Record<string, number> = {};
  for (const [name, s] of b.programs) cores[name] = round((s - (a.programs.get(name) ?? 0)) / seconds);
  return {
    coresUsedByProgram: cores,
    machineBusyShare: round((b.cpu.busy - a.cpu.busy) / (b.cpu.total - a.cpu.total)),
  };
}

/** A reading for `cpuBetween`. */
export const cpuReading = () => ({ programs: cpuByProgram(), cpu: machineCpu() });
