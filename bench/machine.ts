// What the machine was doing while a benchmark ran, measured rather than described: cores and the
// load average (1 and 5 minutes) when the benchmark started and when it printed. A load above the
// core count means other work shared the machine, and wall-clock figures are upper bounds.
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
