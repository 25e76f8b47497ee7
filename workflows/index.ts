export { projectReporting } from './rapportering.js';
export { arscykel } from './arscykel.js';
