// The live feed (docs/api.md, Realtime): socket.io on the same origin with the session cookie.
// It keeps the last `seq` seen and, on every (re)connect, asks for what it missed with
// `resume { sinceSeq }`; with nothing seen yet it asks the app to reload the list instead.
import { io, type Socket } from 'socket.io-client';
import { liveReadingsOf, type LiveReading } from './liveReadings.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contract/realtime.js';
import type { AlertEvent } from './types.js';

export interface Feed {
  /** Raise the last seen sequence (e.g. from a freshly loaded list). */
  seen(seq: number): void;
  lastSeq(): number;
  close(): void;
}

export interface FeedHandlers {
  onAlert(event: AlertEvent): void;
  onStatus(connected: boolean): void;
  /** Connected with no sequence to resume from: load the list afresh. */
  onReload(): void;
  /** New readings of the person's patients (items of another shape are dropped). */
  onReadings?(items: LiveReading[]): void;
}

export function connectFeed(h: FeedHandlers): Feed {
  let last = 0;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    withCredentials: true,
  });
  socket.on('connect', () => {
    h.onStatus(true);
    if (last > 0) socket.emit('resume', { sinceSeq: last });
    else h.onReload();
  });
  socket.on('disconnect', () => h.onStatus(false));
  socket.on('connect_error', () => h.onStatus(false));
  // the payloads are checked here all the same: a hub of another version may send other shapes
  socket.on('alert', (event) => {
    if (event?.change && typeof event.change.seq === 'number') {
      last = Math.max(last, event.change.seq);
    }
    h.onAlert(event);
  });
  socket.on('readings', (message) => h.onReadings?.(liveReadingsOf(message)));
  socket.on('resumed', (msg) => {
    if (typeof msg?.seq === 'number') last = Math.max(last, msg.seq);
  });
  return {
    seen(seq) {
      last = Math.max(last, seq);
    },
    lastSeq: () => last,
    close: () => {
      socket.removeAllListeners();
      socket.close();
    },
  };
}
