// npm run build:workflows [-- <out.js>]: bundles the workflow code once (default
// dist/workflow-bundle.js), for a worker started with TEMPORAL_WORKFLOW_BUNDLE=<that file>
// instead of bundling at every start. Rebuild it with every change to workflows/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflows } from '../worker/worker.js';

const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflows();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`wrote ${out} (${Math.round(code.length / 1024)} KiB); start the worker with TEMPORAL_WORKFLOW_BUNDLE=${out}`);
