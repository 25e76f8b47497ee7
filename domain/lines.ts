// Reading a long text line by line in slices, for the importers of the bookkeeping's files
// (domain/sie.ts, domain/utfall-csv.ts): the generator pauses (yields) after every slice of lines
// or characters, so a caller driving it from the request path (services/pengar.ts) can let the
// event loop answer other requests between slices.

/** One line: where it is in the text (without its line break), and its number from 1. */
export interface Line {
  start: number;
  end: number;
  no: number;
}

/**
 * The lines of the text as split at CR LF, LF or CR (a byte order mark before the first is left
 * out), pausing after every `lines` lines or `chars` characters. The last line is returned even
 * when empty, as the importers count it.
 */
export function* slicedLines(text: string, slice: { lines: number; chars: number }): Generator<void | Line, void, void> {
  const eol = /\r\n|\n|\r/g;
  let next = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let no = 0;
  let linesInSlice = 0;
  let charsInSlice = 0;
  while (next <= text.length) {
    const start = next;
    eol.lastIndex = start;
    const m = eol.exec(text);
    const end = m ? m.index : text.length;
    next = m ? end + m[0].length : text.length + 1;
    no += 1;
    if (++linesInSlice > slice.lines || charsInSlice > slice.chars) {
      linesInSlice = 1;
      charsInSlice = 0;
      yield;
    }
    charsInSlice += end - start;
    yield { start, end, no };
  }
}
