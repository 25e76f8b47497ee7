// Where Temporal's own servers come from: the variable naming the binary, then the copy that
// `npm run temporal:install` puts in .temporal/bin, then the PATH, and only then the SDK's
// download (which needs internet). Used by `npm start` (the dev server) and by the tests.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EphemeralServerExecutable } from '@temporalio/testing';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const SERVERS = {
  cli: { variable: 'TEMPORAL_CLI_PATH', name: 'temporal' },
  'test-server': { variable: 'TEMPORAL_TEST_SERVER_PATH', name: 'temporal-test-server' },
} as const;

export type TemporalServerKind = keyof typeof SERVERS;

export interface FoundExecutable {
  executable: EphemeralServerExecutable;
  /** Where it was found, for the start-up log. */
  source: string;
}

/** An executable file at `path` (a binary this process may start). */
export const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findTemporalServer(kind: TemporalServerKind, env: NodeJS.ProcessEnv = process.env): FoundExecutable {
  const { variable, name } = SERVERS[kind];
  const named = env[variable];
  if (named) {
    if (!isExecutable(named)) throw new Error(`${variable}="${named}": not an executable file`);
    return { executable: { type: 'existing-path', path: named }, source: `${named} (${variable})` };
  }
  const local = join(REPO, '.temporal', 'bin', name);
  if (isExecutable(local)) return { executable: { type: 'existing-path', path: local }, source: local };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return { executable: { type: 'existing-path', path: candidate }, source: `${candidate} (PATH)` };
  }
  return { executable: { type: 'cached-download' }, source: 'downloaded by the Temporal SDK' };
}
