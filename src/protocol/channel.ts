/**
 * Which webview a page message comes from. The plugin gives each engine page a
 * channel id in its URL (`engine.html?channel=…`); the page stamps every message
 * it posts with that id and a sequence number. The plugin routes by the stamp,
 * not by `event.source` (which a host may hand over as a wrapper), and drops a
 * sequence number it has seen, so hearing the same message on the webview
 * element and on the window counts once.
 */
export const CHANNEL_PARAM = 'channel';

export interface Stamp {
  readonly channel: string;
  readonly seq: number;
}

/** A fresh channel id for a webview about to be created. */
let made = 0;
export const newChannel = (now: number): string => `c${now.toString(36)}-${++made}`;

/** The channel in a page URL (`…?channel=ID&…`), '' when there is none; no URL class needed (UXP's is partial). */
export function channelOf(url: string): string {
  const match = /[?&]channel=([^&#]*)/.exec(url);
  return match ? decodeURIComponent(match[1]) : '';
}

export const stamp = <T extends object>(message: T, channel: string, seq: number): T & Stamp => ({
  ...message,
  channel,
  seq,
});

/** The stamp of a page message (an object or its JSON text), or undefined when it has none. */
export function readStamp(data: unknown): { stamp: Stamp; message: object } | undefined {
  let message: unknown = data;
  if (typeof data === 'string') {
    try {
      message = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { channel, seq } = message as Partial<Stamp>;
  if (typeof channel !== 'string' || !Number.isSafeInteger(seq)) return undefined;
  return { stamp: { channel, seq: seq as number }, message };
}
