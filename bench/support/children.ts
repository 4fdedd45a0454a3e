import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts a child process and resolves with the first stdout line that `match` accepts. */
export function spawnAndWait(command: string, args: string[], env: NodeJS.ProcessEnv, match: (line: string) => string | null, timeoutMs = 90_000): Promise<{ child: ChildProcess; value: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not become ready in ${timeoutMs} ms`));
    }, timeoutMs);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const value = match(line);
      if (value !== null) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, value });
      }
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Node flags for a hub child: with BENCH_PROFILE=<dir>, a CPU profile of it lands there when it stops. */
export function profileFlags(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
