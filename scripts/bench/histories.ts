// Runs scripts/history-events.ts (written separately) in a process of its own, so Temporal's
// test server, worker and logs stay out of the bench's output: `measure` answers its figures.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveCalls } from './child.js';

export interface Histories {
  forbundYear: { workflow: string; events: number }[];
  projectYear: { project: string; reports: number; events: number }[];
}

/** The module, or why it cannot be used. */
export async function historyModule(): Promise<{ measureHistories: () => Promise<Histories> } | { missing: string }> {
  if (!existsSync(fileURLToPath(new URL('../history-events.ts', import.meta.url)))) return { missing: 'not measured (scripts/history-events.ts missing)' };
  const spec = '../history-events.js'; // a variable, so the type check does not need the file
  const mod = (await import(spec)) as { measureHistories?: () => Promise<Histories> };
  if (typeof mod.measureHistories !== 'function') return { missing: 'not measured (scripts/history-events.ts exports no measureHistories)' };
  return { measureHistories: mod.measureHistories };
}

if (process.send) {
  serveCalls({
    async measure() {
      const m = await historyModule();
      if ('missing' in m) return m;
      return { figures: await m.measureHistories() };
    },
  });
}
