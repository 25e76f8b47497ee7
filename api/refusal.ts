// A service's refusal (services/refusal.ts) as the API's error: the status, the English message
// and the fields at fault, as the routes answered before the logic moved into the services.
import { Refusal } from '../services/refusal.js';
import { HttpError } from './errors.js';

export function httpOf(err: unknown): unknown {
  return err instanceof Refusal ? new HttpError(err.status, err.message, err.problems.map(({ field, problem }) => ({ field, problem }))) : err;
}

/** The promise's value, or its refusal as an HttpError. */
export async function asHttp<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw httpOf(err);
  }
}
