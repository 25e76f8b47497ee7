export { projectReporting } from './rapportering.js';
export { arscykel } from './arscykel.js';
export { styrelsemote } from './sammantrade.js';
export { arende } from './arende.js';
export { kvartalsgenomgang } from './kvartal.js';
export { dagensLage } from './dagens-lage.js';
export { redovisning, ansvarsfrihet } from './redovisning.js';
