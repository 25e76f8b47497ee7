// The SIE tests' way to read a refusal: the SieError a file gets, or a failed test if it gets none.
import { parseSie, SieError } from '../../domain/sie.js';

export function sieError(content: Buffer, fileName = 'fel.se'): SieError {
  try {
    parseSie(content, fileName);
  } catch (e) {
    if (e instanceof SieError) return e;
    throw e;
  }
  throw new Error('expected a SieError');
}
