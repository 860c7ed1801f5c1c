/**
 * How states and statuses read on screen. Every status is spelled out in words as well as coloured, so the screen
 * says the same thing with NO_COLOR (where chalk, and so ink, print no colour at all).
 * @module
 */
import type { DeliveryStatus, LogEntry } from '../../engine/types.js';
import { topState } from '../engine-api.js';
import { noColorRequested } from '../no-color.js';
import { formatEndpoint as printEndpoint } from '../../protocol/index.js';

/** An ink colour name. */
export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | 'magenta';

const colourless = noColorRequested();

/** The colour to hand ink's `color` prop: none at all under NO_COLOR, whose other styles (bold, inverse) stay. */
export const paint = (colour: Colour | undefined): Colour | undefined => (colourless ? undefined : colour);

/** `host:port` as the wire prints an endpoint: IPv6 addresses in brackets. */
export const formatEndpoint = (host: string, port: number): string =>
  printEndpoint({ address: host, port, family: host.includes(':') ? 'IPv6' : 'IPv4' });

/** `HH:MM:SS` in local time, like the original's `ToLongTimeString()`. */
export const formatClock = (at: number): string => new Date(at).toTimeString().slice(0, 8);

/** The delivery status of one's own message, in words (received messages show none). */
export const statusLabel = (status: DeliveryStatus, reason?: string): string => {
  switch (status) {
    case 'sending':
      return '… sending';
    case 'sent':
      return '✓ sent';
    case 'delivered':
      return '✓✓ delivered';
    case 'failed':
      return reason === undefined ? '✗ failed' : `✗ failed: ${reason}`;
    case 'queued':
      return '⧗ queued';
    case 'received':
      return '';
  }
};

/** The colour of a delivery status. */
export const statusColour = (status: DeliveryStatus): Colour => {
  switch (status) {
    case 'sending':
      return 'gray';
    case 'sent':
      return 'cyan';
    case 'delivered':
      return 'green';
    case 'failed':
      return 'red';
    case 'queued':
      return 'yellow';
    case 'received':
      return 'gray';
  }
};

/** The colour of a lifecycle state value: green when working, red when failed, yellow on the way. */
export const stateColour = (value: string): Colour => {
  const top = topState(value);
  if (top === 'online' || top === 'running') return 'green';
  if (top === 'failed') return 'red';
  if (top === 'stopped' || top === 'idle' || top === 'offline' || top === 'loggedOut') return 'gray';
  return 'yellow';
};

/** The colour of a log entry. */
export const levelColour = (level: LogEntry['level']): Colour | undefined =>
  level === 'error' ? 'red' : level === 'warn' ? 'yellow' : undefined;
