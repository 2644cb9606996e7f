// A pino logger whose lines a test reads back, parsed (the boot's named steps, failures logged
// with their stacks).
import { Writable } from 'node:stream';
import { pino } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  step?: string;
  phase?: string;
  closer?: string;
  ms?: number;
  err?: { message: string; stack?: string };
}

export function captureLog() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: pino({ level: 'debug' }, sink) };
}
