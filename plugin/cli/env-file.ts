import { readFile } from 'node:fs/promises';
import { AppError } from '../../contracts/index.js';

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^"(.*)"$/.exec(trimmed) ?? /^'(.*)'$/.exec(trimmed);
  return quoted?.[1] ?? trimmed;
}

/**
 * The variables of a systemd EnvironmentFile (KEY=VALUE lines, # comments, optional quotes), so the installer
 * validates the config with the same secrets the service will have. A missing file yields undefined.
 */
export async function readEnvFile(path: string): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('bad_request', `cannot read environment file ${path}`, { cause });
  }
  const variables: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match?.[1]) throw new AppError('bad_request', `${path}:${index + 1} is not KEY=VALUE`);
    variables[match[1]] = unquote(match[2] ?? '');
  }
  return variables;
}
