/**
 * A stand-in for the engine, in memory, for testing the command's modes inside one process: servers and peers
 * meet through a {@link FakeNetwork} instead of sockets. It keeps the engine contract's observable shapes and
 * its error sentences, not its protocol.
 */
import { BehaviorSubject, Subject } from 'rxjs';
import type { ChatMessage, IndexServerHandle, LifecycleState, LogEntry, PeerHandle, ServerAddress } from '../../../src/engine/types.js';
import type { User } from '../../../src/presence/types.js';
import type { Engine, IndexServerOptions, PeerOptions } from '../../../src/cli/engine-api.js';

class FakeServer implements IndexServerHandle {
  readonly state$ = new BehaviorSubject<LifecycleState>({ value: 'idle' });
  readonly users$ = new BehaviorSubject<readonly User[]>([]);
  readonly log$ = new Subject<LogEntry>();
  readonly peers = new Map<string, FakePeer>();
  key: string | undefined;
  private logins = 0;

  constructor(
    private readonly network: FakeNetwork,
    private readonly options: IndexServerOptions,
  ) {}

  async start(): Promise<ServerAddress> {
    const host = this.options.host ?? '127.0.0.1';
    this.state$.next({ value: 'starting' });
    const port = this.options.port || this.network.nextPort();
    const key = `${host}:${port}`;
    if (this.network.servers.has(key)) {
      const reason = `${key} is already in use — stop the other server or choose another --port`;
      this.state$.next({ value: 'failed', reason });
      throw new Error(reason);
    }
    this.key = key;
    this.network.servers.set(key, this);
    this.state$.next({ value: 'running' });
    return { host, udpPort: port, tcpPort: this.options.tcpPort || this.network.nextPort() };
  }

  async stop(): Promise<void> {
    if (this.key !== undefined) this.network.servers.delete(this.key);
    this.key = undefined;
    this.state$.next({ value: 'stopped' });
  }

  stats() {
    return { logins: this.logins, online: this.peers.size };
  }

  join(peer: FakePeer): void {
    this.logins += 1;
    this.peers.set(peer.name, peer);
    this.log$.next({ at: Date.now(), level: 'info', kind: 'login', text: `${peer.name} logged in from ${peer.endpoint}` });
    this.publish();
  }

  leave(peer: FakePeer): void {
    if (this.peers.get(peer.name) !== peer) return;
    this.peers.delete(peer.name);
    this.log$.next({ at: Date.now(), level: 'info', kind: 'logout', text: `${peer.name} logged out` });
    this.publish();
  }

  private publish(): void {
    const users = [...this.peers.values()].map((peer) => peer.user());
    this.users$.next(users);
    for (const peer of this.peers.values()) peer.users$.next(users);
  }
}

class FakePeer implements PeerHandle {
  readonly state$ = new BehaviorSubject<LifecycleState>({ value: 'idle' });
  readonly users$ = new BehaviorSubject<readonly User[]>([]);
  readonly messages$ = new Subject<ChatMessage>();
  readonly log$ = new Subject<LogEntry>();
  endpoint: string | undefined;
  private server: FakeServer | undefined;
  private sent = 0;

  constructor(
    private readonly network: FakeNetwork,
    private readonly options: PeerOptions,
  ) {
    if (/[,;:]/.test(options.name)) throw Object.assign(new Error(`bad name ${options.name}`), { name: 'ProtocolError' });
  }

  get name(): string {
    return this.options.name;
  }

  user(): User {
    return { name: this.name, endpoint: this.endpoint ?? '', session: `s-${this.name}`, imstate: true };
  }

  async login(): Promise<void> {
    this.endpoint = `${this.options.host ?? '127.0.0.1'}:${this.options.port || this.network.nextPort()}`;
    this.state$.next({ value: 'loggingIn' });
    const address = this.options.server ?? '127.0.0.1:9000';
    const server = this.network.servers.get(address);
    if (server === undefined) {
      const reason = `no answer from ${address} after ${this.options.loginTries ?? 5} tries — is the server running?`;
      this.state$.next({ value: 'failed', reason });
      throw new Error(reason);
    }
    if (server.peers.has(this.name)) {
      const reason = `the server refused the name ${this.name}: it is already online`;
      this.state$.next({ value: 'failed', reason });
      throw new Error(reason);
    }
    this.server = server;
    server.join(this);
    this.state$.next({ value: 'online' });
  }

  async logout(): Promise<void> {
    this.server?.leave(this);
    if (this.server !== undefined) this.state$.next({ value: 'loggedOut' });
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await this.logout();
  }

  async say(to: string, text: string): Promise<string> {
    const target = this.server?.peers.get(to);
    if (target === undefined) throw new Error(`${to} is not online`);
    this.sent += 1;
    const id = `${this.name}-${this.sent}`;
    const base = { id, from: this.name, to, text, time: '10:41:40' } as const;
    this.messages$.next({ ...base, direction: 'out', status: 'sending' });
    this.messages$.next({ ...base, direction: 'out', status: 'sent' });
    target.messages$.next({ ...base, direction: 'in', status: 'received' });
    this.messages$.next({ ...base, direction: 'out', status: 'delivered' });
    return id;
  }

  stats() {
    return { sent: this.sent };
  }
}

/** Where fake servers and peers find each other; ports are handed out from 40000 up. */
export class FakeNetwork implements Engine {
  readonly servers = new Map<string, FakeServer>();
  private port = 40000;

  nextPort(): number {
    this.port += 1;
    return this.port;
  }

  createIndexServer = (options: IndexServerOptions = {}): IndexServerHandle => new FakeServer(this, options);
  createPeer = (options: PeerOptions): PeerHandle => new FakePeer(this, options);
}
