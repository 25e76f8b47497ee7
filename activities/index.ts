// Activities as plain async functions over injected dependencies (database, mailer, settings).
import type { ActivityDeps } from './deps.js';
import { cycleActivities } from './arscykel.js';
import { reportingActivities } from './rapportering.js';
import { stepActivities } from './steps.js';
import { meetingActivities } from './styrelse.js';
import { matterActivities } from './arenden.js';
import { moneyActivities } from './pengar.js';
import { protocolActivities } from './protokoll.js';
import { digestActivities } from './dagens-lage.js';
import { statutoryActivities } from './redovisning.js';

export function createActivities(deps: ActivityDeps) {
  return { ...reportingActivities(deps), ...cycleActivities(deps), ...stepActivities(deps), ...meetingActivities(deps), ...matterActivities(deps), ...moneyActivities(deps), ...protocolActivities(deps), ...digestActivities(deps), ...statutoryActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
