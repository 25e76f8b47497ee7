// The statutory chain of one report (domain/redovisning.ts): started when the board's adopting
// decision is justerat, it sends the årsredovisning (or delårsrapport) to the revisorer, waits for
// their revisionsberättelse (registered by the official: an update), sends both with the justerat
// protokoll to every member, and for the årsredovisning runs one child workflow per member that
// waits for that member's decision on ansvarsfrihet, reminds its registrator on a rhythm and,
// on a refusal, opens a matter for the board. The rows are the data: each workflow re-reads its
// row when told, and at least every LONGEST_WAIT_MS.
import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { allHandlersFinished, condition, ParentClosePolicy, getExternalWorkflowHandle, log, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DischargeState, ReportState } from '../activities/redovisning.js';
import { CHAIN_STAGE_SV, OUTCOME_SV } from '../domain/redovisning.js';
import { decideOptions, LONGEST_WAIT_MS, performOptions } from './schedule.js';
import { dischargeWorkflowId, planChanged, recordDischarge, registerAuditReport } from './signals.js';

const { readStatutoryReport, readDischarge } = proxyLocalActivities<Activities>(decideOptions);
const act = proxyActivities<Activities>(performOptions);
const quick = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

const refuse = (why: string): never => {
  throw ApplicationFailure.nonRetryable(why, 'Refused');
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A step that failed for good (its activity's retries spent: 12 hours) does not end the chain: it
 * is logged, and tried again after a day or when the workflow is told of a change. A mail that
 * could not be delivered is the official's pending step already (the mailer records it).
 */
async function persist(step: () => Promise<unknown>, told: () => boolean): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('step failed for good; tried again tomorrow', { error: (err.cause?.message ?? err.message).slice(0, 300) });
    await condition(told, DAY_MS);
  }
}

export interface StatutoryInput {
  reportId: string;
}

export async function redovisning(input: StatutoryInput): Promise<string> {
  const { reportId } = input;
  let r: ReportState | null = null;
  let changed = false;
  setHandler(planChanged, () => void (changed = true));
  const auditRefusal = (s: ReportState) =>
    s.kind !== 'arsredovisning' ? 'a delårsrapport has no revisionsberättelse'
    : s.stage === 'not-adopted' ? 'the årsredovisning is not adopted by the board yet'
    : s.stage === 'to-auditors' ? 'the årsredovisning is being sent to the revisorer; try again in a minute'
    : s.stage !== 'audit-report' ? 'the revisionsberättelse is already registered'
    : undefined;
  setHandler(
    registerAuditReport,
    async (a) => {
      await condition(() => r !== null);
      const why = auditRefusal(r!);
      if (why) refuse(why);
      const v = await quick.saveAuditReport({ reportId, now: Date.now(), ...a });
      changed = true;
      return v;
    },
    { validator: (_a) => void (r && auditRefusal(r) ? refuse(auditRefusal(r)!) : undefined) },
  );

  const reread = async () => {
    changed = false;
    r = await readStatutoryReport({ reportId, now: Date.now() });
    if (r) setCurrentDetails(`**${r.stage}** ${r.title} (${r.forbund}): ${CHAIN_STAGE_SV[r.stage]}${r.waiting.length ? `; väntar på ${r.waiting.map((w) => w.member).join(', ')}` : ''}`);
  };
  const waitForChange = async () => {
    await condition(() => changed, LONGEST_WAIT_MS);
    await reread();
  };

  const started = new Set<string>();
  await reread();
  for (;;) {
    if (!r) return 'report not found';
    const s: ReportState = r;
    switch (s.stage) {
      case 'not-adopted':
      case 'audit-report':
        await waitForChange();
        break;
      case 'to-auditors':
        await persist(() => act.sendReportToAuditors.executeWithOptions({ ...performOptions, summary: `till revisorerna: ${s.title}` }, [{ reportId, now: Date.now() }]), () => changed);
        await reread();
        break;
      case 'to-members':
        await persist(() => act.sendReportToMembers.executeWithOptions({ ...performOptions, summary: `till medlemmarna: ${s.title}` }, [{ reportId, now: Date.now() }]), () => changed);
        await reread();
        break;
      case 'discharges': {
        // One child per member still waited for; each tells this workflow when its member's decision is recorded.
        for (const w of s.waiting) {
          if (started.has(w.id)) continue;
          started.add(w.id);
          try {
            await startChild(ansvarsfrihet, { workflowId: dischargeWorkflowId(w.id), args: [{ dischargeId: w.id }], parentClosePolicy: ParentClosePolicy.ABANDON });
          } catch (err) {
            // Already running (this chain was restarted): it tells this workflow all the same.
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }
        await waitForChange();
        break;
      }
      case 'done':
        await condition(allHandlersFinished);
        return s.kind === 'arsredovisning' ? `${s.title}: ${s.decided.map((d) => `${d.member} ${OUTCOME_SV[d.outcome as 'beviljad'] ?? d.outcome}`).join('; ')}` : `${s.title}: skickad till revisorerna och medlemmarna`;
    }
  }
}

export interface DischargeInput {
  dischargeId: string;
}

/** One member's decision on ansvarsfrihet: reminded on a rhythm until it is recorded; a refusal opens a matter for the board. */
export async function ansvarsfrihet(input: DischargeInput): Promise<string> {
  const { dischargeId } = input;
  let d: DischargeState | null = null;
  let changed = false;
  setHandler(planChanged, () => void (changed = true));
  setHandler(
    recordDischarge,
    async (a) => {
      await condition(() => d !== null);
      if (d!.outcome) refuse(`${d!.member}'s decision is already recorded`);
      const v = await quick.saveDischarge({ dischargeId, now: Date.now(), ...a });
      changed = true;
      return v;
    },
    { validator: (_a) => void (d?.outcome ? refuse(`${d.member}'s decision is already recorded`) : undefined) },
  );
  const reread = async () => {
    changed = false;
    d = await readDischarge({ dischargeId, now: Date.now() });
    if (d) setCurrentDetails(`**${d.outcome ?? (d.next?.late ? 'late' : 'waiting')}** ${d.member}, ansvarsfrihet ${d.year}${d.replyBy ? ` (senast ${d.replyBy})` : ''}`);
  };

  await reread();
  for (;;) {
    if (!d) return 'discharge not found';
    const s: DischargeState = d;
    if (s.outcome) {
      if (s.outcome === 'inte_beviljad' && !s.refusalMatterId) {
        await persist(() => act.openRefusalMatter.executeWithOptions({ ...performOptions, summary: `ärende till styrelsen: ${s.member} beviljade inte ansvarsfrihet` }, [{ dischargeId, now: Date.now() }]), () => changed);
        await reread();
        continue;
      }
      await condition(allHandlersFinished);
      const parent = workflowInfo().parent;
      if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(planChanged, `${s.member}: ${OUTCOME_SV[s.outcome]}`);
      return `${s.member}: ${OUTCOME_SV[s.outcome]}`;
    }
    const next = s.next;
    if (next && Date.parse(next.at) <= Date.now()) {
      await persist(() => act.remindDischarge.executeWithOptions({ ...performOptions, summary: `${next.late ? 'påminnelse, försenat' : 'påminnelse'}: ${s.member}, ansvarsfrihet ${s.year}` }, [{ dischargeId, key: next.key, now: Date.now() }]), () => changed);
      await reread();
      continue;
    }
    const ms = next ? Date.parse(next.at) - Date.now() : LONGEST_WAIT_MS;
    await condition(() => changed, Math.max(1, Math.min(ms, LONGEST_WAIT_MS)));
    await reread();
  }
}
