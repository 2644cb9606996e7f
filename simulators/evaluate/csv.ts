// Comma-separated values as RFC 4180 has them, both ways: fields split on commas, records on
// line breaks (CRLF, or LF alone as most tools write), a field in double quotes may hold commas,
// line breaks and doubled quotes (""). Small and strict, so that a cohort's files are read the
// way a spreadsheet wrote them and a broken one is refused with its line rather than misread.

/** One record and the line of the file it starts on (1-based; a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * The records of `text`, in order. A blank line is no record; a byte-order mark is dropped.
 * Throws CsvSyntaxError on a quote inside an unquoted field, text after a closing quote, or a
 * quoted field that never closes.
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        // quoted: up to the quote not followed by another
        let out = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new CsvSyntaxError(start, 'a quoted field is never closed');
          out += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            out += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        for (const c of out) if (c === '\n') line++;
        field = out;
        const next = text.charCodeAt(i);
        if (i < n && next !== COMMA && next !== CR && next !== LF) {
          throw new CsvSyntaxError(
            line,
            'text after a closing quote (a quote inside a field is doubled: "")',
          );
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === CR || c === LF) break;
          if (c === QUOTE) {
            throw new CsvSyntaxError(
              line,
              'a quote inside an unquoted field (quote the field and double the quote)',
            );
          }
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    // the record's line break: CRLF, LF or a lone CR
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) yield { line: start, fields };
  }
}

/** A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export const csvRecord = (fields: readonly string[]): string =>
  fields.map(csvField).join(',') + '\r\n';
