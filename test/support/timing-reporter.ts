import type { Reporter, TestModule } from 'vitest/node';

/**
 * Where a run's time goes, per test file: importing the file (and the app it loads), hooks and tests together, and the
 * sum, slowest first. Prints after the run; add it beside the default reporter:
 * `npx vitest run --reporter=default --reporter=./test/support/timing-reporter.ts`. Nothing is asserted on it.
 */
export default class TimingReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules.map((m) => {
      const d = m.diagnostic();
      const importing = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration;
      return { file: m.moduleId.replace(`${process.cwd()}/`, ''), importing, running: d.duration, total: importing + d.duration, state: m.state() };
    });
    rows.sort((a, b) => b.total - a.total);
    const s = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
    const lines = ['', '  total  import     run  file'];
    for (const r of rows) lines.push(`${s(r.total)} ${s(r.importing)} ${s(r.running)}  ${r.file}${r.state === 'passed' ? '' : ` (${r.state})`}`);
    const sum = (key: 'importing' | 'running' | 'total') => rows.reduce((n, r) => n + r[key], 0);
    lines.push(`${s(sum('total'))} ${s(sum('importing'))} ${s(sum('running'))}  all ${rows.length} files (summed over the workers)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
