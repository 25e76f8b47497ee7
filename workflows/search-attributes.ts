// Search attributes Årscykel keeps current on its workflows, so the Temporal UI answers "which
// förbund is stuck on what" (e.g. `ArscykelForbund = "sydnarke" AND ArscykelNextStep = "escalation"`).
// Declared once: the workflows upsert them, the worker registers them on the dev server and checks
// them on a cluster.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const FORBUND = defineSearchAttributeKey('ArscykelForbund', SearchAttributeType.KEYWORD);
/** 'rapportering', 'arscykel' or 'styrelsemote'. */
export const KIND = defineSearchAttributeKey('ArscykelKind', SearchAttributeType.KEYWORD);
export const YEAR = defineSearchAttributeKey('ArscykelYear', SearchAttributeType.INT);
/** The kind of the next step (reminder, invite, kallelse, …), or what the workflow waits for. */
export const NEXT_STEP = defineSearchAttributeKey('ArscykelNextStep', SearchAttributeType.KEYWORD);
export const NEXT_AT = defineSearchAttributeKey('ArscykelNextAt', SearchAttributeType.DATETIME);
/** One line: the next step's summary, or why the workflow waits. */
export const WAITING_FOR = defineSearchAttributeKey('ArscykelWaitingFor', SearchAttributeType.TEXT);

export const SEARCH_ATTRIBUTES = [FORBUND, KIND, YEAR, NEXT_STEP, NEXT_AT, WAITING_FOR];
