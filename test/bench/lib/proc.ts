import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux process facts from /proc: memory in kB, and the process a wrapper (tsx) started. */
export function statusOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system), in microseconds; undefined once it has exited. */
export function cpuMicrosOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return cpuMicrosFromStat(stat);
}

/** User + system CPU time (µs) from the text of /proc/PID/stat; undefined when the text is not such a line. */
export function cpuMicrosFromStat(stat: string): number | undefined {
  // Fields after the command name (which may hold spaces and parentheses, inside parentheses): utime and stime are the 12th and 13th.
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND : undefined;
}

/** Linux's USER_HZ, the unit of /proc/PID/stat times (100 on every common build). */
const CLOCK_TICKS_PER_SECOND = 100;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time (µs) of a process and of its children alive now: PostgreSQL's postmaster and its backends. A backend
 * that exits between two readings takes its time with it; the app's pool keeps its connections open.
 */
export function treeCpuMicrosOf(pid: number): number | undefined {
  const own = cpuMicrosOf(pid);
  if (own === undefined) return undefined;
  return childrenOf(pid).reduce((n, child) => n + (cpuMicrosOf(child) ?? 0), own);
}

/** The parent of a process (from /proc/PID/stat), undefined when it is not on this machine. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The deepest first descendant: `tsx file.ts` runs the script in a child node process. */
export function leafOf(pid: number): number {
  let current = pid;
  for (let kids = childrenOf(current); kids.length > 0; kids = childrenOf(current)) current = kids[0]!;
  return current;
}

/** Samples a process's VmRSS every `everyMs` until stopped; returns the largest seen (kB). */
export function sampleRss(pid: () => number, everyMs = 100): () => number {
  let max = 0;
  const timer = setInterval(() => {
    const s = statusOf(pid());
    if (s && s.rssKb > max) max = s.rssKb;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return max;
  };
}

export interface Ran {
  code: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
  /** Peak RSS (VmHWM) of the leaf process, sampled until it exited (kB). */
  peakKb: number;
}

/** Runs a command to completion, sampling the real (leaf) process's VmHWM. A variable set to undefined is removed. */
export function run(cmd: string, args: string[], env: Record<string, string | undefined>, cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
    const child: ChildProcess = spawn(cmd, args, { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    const timer = setInterval(() => {
      if (!child.pid) return;
      const s = statusOf(leafOf(child.pid));
      if (s && s.hwmKb > peakKb) peakKb = s.hwmKb;
    }, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, seconds: (performance.now() - t0) / 1000, stdout, stderr, peakKb });
    });
  });
}
