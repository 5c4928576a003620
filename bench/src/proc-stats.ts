/**
 * CPU time and peak memory of server processes (Linux /proc), so each comparison result says
 * what the server spent on it, not only how fast the client saw it.
 */
import { readFile, writeFile } from 'node:fs/promises';

/** What server processes spent during one measured scenario. */
export interface ServerUsage {
  /** User + system CPU time of all the processes. */
  readonly cpuSeconds: number;
  /** `cpuSeconds` over the wall time, in percent of one core (200% = two cores busy). */
  readonly cpuPercent: number;
  /** Sum of the processes' peak resident memory during the scenario. */
  readonly peakRssMiB: number;
}

/** Kernel clock ticks per second for /proc CPU times; 100 on every Linux Node supports. */
const TICKS_PER_SECOND = 100;

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces:
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** Resident memory of one process now, in MiB (0 if it cannot be read). */
export async function rssMiB(pid: number): Promise<number> {
  return (await statusKiB(pid, 'VmRSS').catch(() => 0)) / 1024;
}

/**
 * Runs `work` and returns its result with the processes' usage meanwhile. The peak is reset
 * first (`clear_refs` 5) where the kernel lets us; where it does not, the peak is the
 * process's since it started, which is still an upper bound.
 */
export async function measureServer<T>(
  pids: readonly number[],
  work: () => Promise<T>,
): Promise<{ result: T; usage: ServerUsage | undefined }> {
  if (pids.length === 0) return { result: await work(), usage: undefined };
  await Promise.all(pids.map((pid) => writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => {})));
  const before = await Promise.all(pids.map(cpuTicks));
  const start = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = await Promise.all(pids.map(cpuTicks));
  const peaks = await Promise.all(pids.map((pid) => statusKiB(pid, 'VmHWM')));
  const cpuSeconds = after.reduce((sum, ticks, i) => sum + ticks - (before[i] ?? 0), 0);
  return {
    result,
    usage: {
      cpuSeconds: cpuSeconds / TICKS_PER_SECOND,
      cpuPercent: (cpuSeconds / TICKS_PER_SECOND / seconds) * 100,
      peakRssMiB: peaks.reduce((a, b) => a + b, 0) / 1024,
    },
  };
}
