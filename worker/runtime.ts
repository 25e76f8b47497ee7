// Connecting to Temporal as configured, for the commands that write (import): TEMPORAL_ADDRESS,
// or the local dev server `npm start` runs. Changes that cannot be told are kept (WorkflowSignal).
import { connect } from 'node:net';
import { toStockholmDate } from '../domain/dates.js';
import type { PrismaClient } from '../prisma/db.js';
import type { ImportSummary } from '../services/import.js';
import { notifyBoardMeetings } from '../services/styrelse.js';
import { connectClient, outboxNotifier, type WorkflowNotifier } from './client.js';
import type { Config } from './config.js';

/** Where `npm start` runs its local Temporal dev server, so other commands (import) find it. */
export const LOCAL_TEMPORAL = 'localhost:7233';

export async function openNotifier(config: Config, prisma: PrismaClient): Promise<WorkflowNotifier & { close(): Promise<void> }> {
  const notifier = outboxNotifier(prisma);
  const address = config.temporal.address ?? LOCAL_TEMPORAL;
  // Nobody listening: keep the changes at once rather than wait out the client's connect timeout (seconds).
  if (!(await listening(address))) return { ...notifier, close: async () => {} };
  try {
    const client = await connectClient({ ...config.temporal, address });
    notifier.connect(client, config.temporal.taskQueue);
    return { ...notifier, close: () => client.connection.close() };
  } catch {
    return { ...notifier, close: async () => {} };
  }
}

/** Whether anything accepts a TCP connection at host:port within `ms` (a refused port answers at once). */
export function listening(address: string, ms = 1000): Promise<boolean> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '') || 'localhost';
  const port = Number(address.slice(at + 1));
  if (at < 0 || !Number.isInteger(port)) return Promise.resolve(true); // not host:port: let the client say what is wrong
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Tells the workflows of the projects and the cycle an import changed. */
export async function notifyImport(prisma: PrismaClient, notifier: WorkflowNotifier, summary: ImportSummary, now = new Date()) {
  let told = true;
  for (const projectId of summary.changedProjects) told = (await notifier.reportingChanged(projectId, 'förbund file imported')) && told;
  if (summary.cycleChanged) {
    told = (await notifier.cycleChanged(summary.forbundId, Number(toStockholmDate(now).slice(0, 4)), 'förbund file imported')) && told;
    told = (await notifyBoardMeetings(prisma, notifier, summary.forbundId, 'förbund file imported', now)) && told;
  }
  return told;
}
