import { cpus, loadavg, totalmem } from 'node:os';

/** The benchmark's one markdown table (and the machine it ran on). */
export interface Row {
  name: string;
  throughput: string;
  p50?: number;
  p99?: number;
  ratio?: number;
  /** The server's CPU time per request (µs): steadier than requests per second on a shared VM. */
  cpuUs?: number;
  /** The database server's CPU time per request (µs; PostgreSQL's processes), shown as "node + database". */
  dbCpuUs?: number;
  memory?: string;
  target: string;
  met?: boolean;
  note?: string;
}

const ms = (v: number | undefined) => (v === undefined ? '' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? '✓' : '✗');

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| Measurement | Throughput | p50 ms | p99 ms | × ceiling | Server CPU µs/req | Memory | Target | Met |',
    '|---|--:|--:|--:|--:|--:|--:|---|:-:|',
  ];
  for (const r of rows) {
    const name = r.note ? `${r.name} (${r.note})` : r.name;
    lines.push(
      `| ${name} | ${r.throughput} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.ratio === undefined ? '' : `${Math.round(r.ratio * 100)} %`} | ${r.cpuUs === undefined ? '' : int(r.cpuUs)}${r.dbCpuUs === undefined ? '' : ` + ${int(r.dbCpuUs)}`} | ${r.memory ?? ''} | ${r.target} | ${mark(r.met)} |`,
    );
  }
  return lines.join('\n');
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** Other work on the machine skews every figure: the 1-minute load average, to print beside the table. */
export const load1 = () => loadavg()[0].toFixed(1);

export const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
export const int = (n: number) => Math.round(n).toLocaleString('en');
