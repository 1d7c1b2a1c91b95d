import { execFileSync, spawn } from 'node:child_process';
import { startCommandArgs } from '../../support/server';
import { leafOf } from './proc';

/** The real server as a child process, on loopback only. */
export interface RunningServer {
  base: string;
  /** spawn → "listening" line, in ms. */
  startupMs: number;
  /** The node process that serves (tsx's child). */
  pid: () => number;
  stop(): Promise<void>;
  output(): string;
}

export function startProcess(
  root: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPattern: RegExp,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let ready = false;
    const timeout = setTimeout(() => {
      if (!ready) {
        child.kill('SIGKILL');
        reject(new Error(`${args.join(' ')} did not start within 300 s:\n${out}`));
      }
    }, 300_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (!ready && readyPattern.test(out)) {
        ready = true;
        clearTimeout(timeout);
        const startupMs = performance.now() - t0;
        const leaf = leafOf(child.pid!);
        resolve({
          base: `http://127.0.0.1:${port}`,
          startupMs,
          pid: () => leaf,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!ready) {
        clearTimeout(timeout);
        reject(new Error(`${args.join(' ')} exited with ${code} before listening:\n${out}`));
      }
    });
  });
}

/**
 * What `npm start` runs: `npm run build` (one file, node_modules/.cache/qms-tracker/server.js), then plain node with
 * the start script's own node options (read from package.json, so the benchmark measures what users run).
 * `env` chooses the database: DATABASE_PATH (SQLite), or DATABASE_URL with AUDIT_KEY_FILE (PostgreSQL); `nodeOptions`
 * come before the start script's own (e.g. `--cpu-prof`).
 */
export function startAppServer(root: string, env: Record<string, string>, port: number, nodeOptions: string[] = []): Promise<RunningServer> {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  return startProcess(root, process.execPath, [...nodeOptions, ...startCommandArgs(root)], { ...env, NODE_ENV: 'production' }, port, /listening on/);
}
