/**
 * What the server machine says back, as pure functions of its context: the `Accept` for a login (sized to the
 * login, ./server.login.ts), the answer to a cause once its change is in the log (a list to serve, a `pong`, a
 * logout confirmation), the request to append a cause's changes, and the `Refuse` of a refused login.
 * @module
 */
import { presenceSeq, type PresenceState, type User } from '../src/presence/index.js';
import { formatEndpoint, type Endpoint } from '../src/protocol/index.js';
import type { TrustOptions } from '../src/trust/index.js';
import { rejected, type DatagramEventOf, type LogCommand, type RejectedCommand, type SendCommand } from './commands.js';
import { acceptFor, refusalOf, refuseText, sizeOf, verdictText, type LoginVerdict } from './server.login.js';
import { decide, type BroadcastCommand, type PresenceAppendCommand, type PresenceCause } from './server.presence.js';
import type { TrustState } from './server.trust.js';
import type { ServerContext } from './server.types.js';
import { logoutForm, type ServerOptions } from './server.wire.js';

/** Serve the user list on the TCP connection the engine numbered `id` (its fetch was waiting for this). */
export interface ListServeCommand {
  readonly type: 'list.serve';
  readonly id: number;
}

/** A TCP list fetch arrived from `from` (the connection's remote endpoint); the engine numbers it `id`. */
export interface ListRequested {
  readonly type: 'list.requested';
  readonly id: number;
  readonly from: Endpoint;
}

/** Everything the server machine emits for the engine. */
export type ServerEmitted =
  | SendCommand
  | BroadcastCommand
  | PresenceAppendCommand
  | LogCommand
  | RejectedCommand
  | ListServeCommand;

/** The parts of the server's context the answers read. */
export interface AnswerContext {
  readonly options: ServerOptions;
  readonly presence: PresenceState;
  readonly trust: TrustState;
  readonly tcpPort: number;
}

/** What the answers read of the server's context, with the TCP port an `Accept` names (the bound one once running). */
export const answering = (context: ServerContext): AnswerContext => ({
  options: context.options,
  presence: context.presence,
  trust: context.trust,
  tcpPort: context.address?.tcpPort ?? context.request.tcpPort,
});

/** The answer to a cause whose change is in the log (or was not needed). */
export const answerOf = (context: AnswerContext, cause: PresenceCause): ServerEmitted[] => {
  const seq = presenceSeq(context.presence);
  if (cause.type === 'login.proven') {
    return [
      ...(cause.list === undefined ? [] : [{ type: 'list.serve' as const, id: cause.list }]),
      ...(cause.ping === undefined ? [] : [{ type: 'send' as const, to: cause.ping.endpoint, message: { type: 'pong' as const, seq } }]),
    ];
  }
  if (cause.type === 'datagram.logout') {
    const { name, endpoint, session } = cause.message;
    // An imstate leaver waits for its own logout back as the confirmation (also when it had already left).
    if (session === undefined) return [];
    return [{ type: 'send', to: formatEndpoint(endpoint), message: logoutForm(name, endpoint, seq, session, 'logout') }];
  }
  return [];
};

/**
 * Decides `cause` on the current fold: when no change is needed, the answer at once; otherwise the request to append
 * the changes at the fold's seq. `attempt` counts decisions of this cause (each conflict makes one more).
 */
export const request = (context: AnswerContext, cause: PresenceCause, attempt: number): ServerEmitted[] => {
  const changes = decide(context.presence, cause);
  if (changes.length === 0) return answerOf(context, cause);
  return [{ type: 'presence.append', changes, at: presenceSeq(context.presence), cause, attempt }];
};

/** The `Accept` for `user`'s login (the datagram `login`), with its secret when it has one, no larger than the login. */
export const acceptOf = (context: AnswerContext, user: User, secret: string | undefined, login: DatagramEventOf<'login'>) =>
  acceptFor(context.tcpPort, user, secret, context.options, presenceSeq(context.presence), sizeOf(login.message));

/**
 * A refused login: counted and logged, and for an imstate peer a `Refuse` to the datagram's source (where an imstate
 * peer sends from), in the longest form no larger than the login. A classic peer cannot read a `Refuse`: it gets
 * nothing, and its login times out.
 */
export const refusalCommands = (verdict: LoginVerdict, event: DatagramEventOf<'login'>, options: ServerOptions): ServerEmitted[] => {
  const commands: ServerEmitted[] = [rejected(verdict.kind, verdictText(verdict, event))];
  const refusal = refusalOf(verdict, options);
  const text = refusal === undefined || event.message.imstate !== true ? undefined : refuseText(refusal, sizeOf(event.message));
  if (text !== undefined) commands.push({ type: 'send', to: formatEndpoint(event.from), message: { type: 'Refuse', reason: text } });
  return commands;
};

/** The trust figures a person may want in the log at start. */
export const trustSummary = (trust: TrustOptions, options: ServerOptions): string =>
  `trust: ${trust.maxSessionsPerAddress} sessions per address, logins ${trust.loginBurst} at once then ${trust.loginsPerSecond}/s, ` +
  `pings ${trust.pingBurst} at once then ${trust.pingsPerSecond}/s, a crashed imstate peer leaves within ` +
  `${Math.ceil(((options.missedHeartbeats + 1) * options.heartbeatMs) / 1000)} s` +
  (trust.natSource ? ', NAT: logins served at their observed source' : '');
