/**
 * The page's side of the message bridge: posts through `window.uxpHost` (or,
 * in a development frame, the parent window), each message stamped with the
 * channel from the page's URL and a sequence number (src/protocol/channel.ts).
 */
import { channelOf, stamp } from '../protocol/channel';

export interface Bridge {
  postMessage(message: unknown): void;
}

export interface PageBridge {
  readonly channel: string;
  post(message: object): void;
}

export function pageBridge(bridge: Bridge, href: string): PageBridge {
  const channel = channelOf(href);
  let seq = 0;
  return { channel, post: (message) => bridge.postMessage(stamp(message, channel, ++seq)) };
}
