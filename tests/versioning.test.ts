// The versioning check: histories recorded from the workflow tests on Temporal's test server
// (`npm run histories:record`, stored in tests/histories/) are replayed with the workflow code as
// it is now. A change that running year-long workflows could not replay fails here, before it
// reaches a worker. How to change a workflow safely: README, "Changing a workflow".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { HISTORIES_DIR, workflowBundle } from './support/temporal.js';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json.gz')).sort();
const read = (file: string) => historyFromJSON(JSON.parse(gunzipSync(readFileSync(join(HISTORIES_DIR, file))).toString('utf8')));

describe('recorded histories replay with the current workflow code', () => {
  it('has a recorded history of each workflow type', () => {
    const types = new Set(files.map((f) => read(f).events![0].workflowExecutionStartedEventAttributes!.workflowType!.name));
    expect([...types].sort()).toEqual(['arende', 'arscykel', 'kvartalsgenomgang', 'projectReporting', 'styrelsemote']);
  });

  it.each(files)('%s', async (file) => {
    const history = read(file);
    // Throws DeterminismViolationError (or another replay failure) when the code no longer fits.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, history, file.replace(/\.json\.gz$/, ''));
  });
});
