// Why a change was not made, for the API (English, with the fields at fault) and for the web
// pages (Swedish, each problem next to its field). Thrown by the service functions the API routes
// and the pages share; nothing is changed when one is thrown.

/** One field at fault: its name, the API's English problem and the Swedish text of the pages. */
export interface Problem {
  field: string;
  problem: string;
  sv: string;
}

export class Refusal extends Error {
  constructor(
    /** 400: a wrong value; 404: no such thing; 409: the thing's state does not allow it. */
    readonly status: 400 | 404 | 409,
    message: string,
    /** The Swedish sentence for a page. */
    readonly sv: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

/** 400 naming each field; the message joins the problems as the API's errors do. */
export const invalid = (problems: Problem[]) =>
  new Refusal(
    400,
    problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
    problems.map((p) => p.sv).join(' '),
    problems,
  );

export const missing = (what: string, sv: string) => new Refusal(404, `${what} not found`, sv);
