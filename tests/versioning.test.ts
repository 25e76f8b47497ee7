// The versioning check: histories recorded from the workflow tests on Temporal's test server with
// production's settings (`npm run histories:record`, stored in tests/histories/) are replayed with
// the workflow code as it is now. A change that running year-long workflows could not replay fails
// here, before it reaches a worker. tests/histories/manifest.json names, per workflow type, every
// main path that must have a history: one missing, one recorded with the search attributes off, or
// a stored one the manifest does not name fails too. How to change a workflow safely: README,
// "Changing a workflow" (and `npm run histories:replay` against a running deployment).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import * as workflows from '../workflows/index.js';
import {
  HISTORIES_DIR,
  historyFile,
  manifestHistories,
  readManifest,
  readStoredHistory,
  recordingProblem,
  searchAttributeUpserts,
  workflowBundle,
  workflowTypeOf,
} from './support/temporal.js';

const manifest = readManifest();
const listed = manifestHistories(manifest);
const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json.gz')).sort();
const stored = new Set(files.map((f) => f.replace(/\.json\.gz$/, '')));
/** The suffix of a kept history that ran on a namespace without Årscykel's search attributes. */
const WITHOUT_SEARCH_ATTRIBUTES = '.no-search-attributes';
const paths = Object.entries(manifest.types).flatMap(([type, t]) => Object.entries(t.paths).map(([path, entry]) => ({ id: `${type} ${path}`, type, path, entry })));

describe('the manifest of required histories (tests/histories/manifest.json)', () => {
  it('names every workflow type the worker runs, and no other', () => {
    expect(Object.keys(manifest.types).sort()).toEqual(Object.keys(workflows).sort());
  });

  it('names every stored history', () => {
    const unnamed = files.filter((f) => !listed.some((h) => historyFile(h.name) === f));
    expect(unnamed, `tests/histories/ holds histories no manifest path names: add each to its type's path ("record" or "kept"), or remove it if no workflow can look like it`).toEqual([]);
  });

  it('names each history once', () => {
    const names = listed.map((h) => h.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  // One test per path, so the report lists what is missing by type and path, with the test that records it.
  it.each(paths)('$id is recorded with production\'s settings', ({ type, path, entry }) => {
    const problems: string[] = [];
    for (const name of [entry.record, ...(entry.kept ?? [])]) {
      if (!stored.has(name)) problems.push(`missing ${join('tests/histories', historyFile(name))}${name === entry.record ? ` (recorded by ${entry.test})` : ' (a kept history: restore it from git)'}`);
    }
    for (const name of (entry.kept ?? []).filter((n) => stored.has(n))) {
      const history = readStoredHistory(name);
      if (workflowTypeOf(history) !== type) problems.push(`${name} is a history of ${workflowTypeOf(history)}, not ${type}`);
      // A kept history says by its name whether it ran with the search attributes (as production does where it has them) or without.
      const upserts = searchAttributeUpserts(history);
      if (name.endsWith(WITHOUT_SEARCH_ATTRIBUTES) && upserts) problems.push(`${name} upserts the search attributes, yet is named as run without them`);
      if (!name.endsWith(WITHOUT_SEARCH_ATTRIBUTES) && manifest.types[type].upsertsSearchAttributes && !upserts) problems.push(`${name} has no search-attribute upsert: it ran without them, so name it ${name}${WITHOUT_SEARCH_ATTRIBUTES}`);
    }
    if (stored.has(entry.record)) {
      const problem = recordingProblem(manifest, entry.record, readStoredHistory(entry.record));
      if (problem) problems.push(problem);
    }
    if (problems.length && entry.todo) problems.push(`to do: ${entry.todo}`);
    if (!problems.length && entry.todo) problems.push(`done: remove "todo" from ${type} ${path} in tests/histories/manifest.json`);
    expect(problems, `${type} ${path}: ${problems.join('; ')}`).toEqual([]);
  });

  it('a type marked as upserting no search attributes has none in its histories (else mark it, so they are required)', () => {
    for (const h of listed.filter((x) => !manifest.types[x.type].upsertsSearchAttributes && stored.has(x.name))) {
      expect(searchAttributeUpserts(readStoredHistory(h.name)), h.name).toBe(0);
    }
  });
});

describe('recorded histories replay with the current workflow code', () => {
  it.each(files)('%s', async (file) => {
    const name = file.replace(/\.json\.gz$/, '');
    // Throws DeterminismViolationError (or another replay failure) when the code no longer fits.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, readStoredHistory(name), name);
  });
});
