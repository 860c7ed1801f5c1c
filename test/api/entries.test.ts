/**
 * The package's entry points, pinned: every runtime name an entry exports is a promise kept, so a name added or
 * removed fails here until the list below is changed on purpose. And the root stays light: importing it loads neither
 * the inspector's web server (`node:http`) nor `ws`, checked in a child process that records every module it loads.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const namesOf = async (entry: Promise<Record<string, unknown>>): Promise<string[]> => Object.keys(await entry).sort();

describe('the runtime exports of each entry', () => {
  it('imstate: the two engines and their error, nothing else', async () => {
    expect(await namesOf(import('../../src/index.js'))).toEqual(['EngineError', 'createIndexServer', 'createOutbox', 'createPeer', 'createRedisLog']);
  });

  it('imstate/protocol: datagrams, the TCP list, endpoints, names and the codec limits', async () => {
    expect(await namesOf(import('../../src/protocol/index.js'))).toEqual([
      'createBinaryStringReader',
      'decodeDatagram',
      'defaultLimits',
      'encodeBinaryString',
      'encodeDatagram',
      'formatEndpoint',
      'formatListExtension',
      'formatUserList',
      'parseEndpoint',
      'parseListExtension',
      'parseUserList',
      'validateName',
    ]);
  });

  it('imstate/machines: the four machines and what a custom driver needs around them', async () => {
    expect(await namesOf(import('../../machines/index.js'))).toEqual([
      'acceptMessage',
      'createSessionDirectory',
      'datagramEvent',
      'defaultPeerOptions',
      'defaultServerOptions',
      'emptyTalkTable',
      'endpointOf',
      'errorText',
      'isDatagramEvent',
      'listAddress',
      'logLine',
      'loginMessage',
      'loginRetryDelay',
      'loginRetryOf',
      'logoutForm',
      'logoutMessage',
      'peerMachine',
      'presenceForms',
      'readAccept',
      'readUserList',
      'receivePresence',
      'receiveTalkReceipt',
      'reconnectRetryDelay',
      'resolvePeerOptions',
      'resolveServerOptions',
      'serverMachine',
      'sessionActorId',
      'sessionCount',
      'sessionDirectory',
      'sessionMachine',
      'startTalk',
      'talkEntry',
      'talkInFlight',
      'talkMachine',
      'talkTimedOut',
      'talkTimerId',
      'userFromLogin',
    ]);
  });

  it('imstate/inspect: the inspector', async () => {
    expect(await namesOf(import('../../src/inspect/index.js'))).toEqual(['createInspector']);
  });

  it('imstate/testing: the memory network and the arbitraries', async () => {
    expect(await namesOf(import('../../src/testing.js'))).toEqual([
      'batchEntryArbitrary',
      'createMemoryCluster',
      'createMemoryNetwork',
      'decidePresence',
      'endpointArbitrary',
      'extensionFieldArbitrary',
      'extensionValuesArbitrary',
      'idArbitrary',
      'ipv4AddressArbitrary',
      'ipv6AddressArbitrary',
      'ipv6GroupsArbitrary',
      'listExtensionArbitrary',
      'messageArbitraries',
      'messageArbitrary',
      'nameArbitrary',
      'presenceCommandArbitrary',
      'presenceDeliveryArbitrary',
      'presenceEndpointArbitrary',
      'presenceHistoryArbitrary',
      'presenceNameArbitrary',
      'presenceNamePool',
      'presenceScheduleArbitrary',
      'presenceSessionArbitrary',
      'presenceUserArbitrary',
      'rawPresenceLogArbitrary',
      'runPresenceCommands',
      'talkTextArbitrary',
      'timeArbitrary',
      'userListArbitrary',
    ]);
  });

  it('package.json maps each entry to its types, its source and its build', async () => {
    const { exports } = (await import('../../package.json', { with: { type: 'json' } })).default as {
      exports: Record<string, unknown>;
    };
    const entries: Record<string, string> = {
      '.': 'src/index',
      './protocol': 'src/protocol/index',
      './machines': 'machines/index',
      './inspect': 'src/inspect/index',
      './testing': 'src/testing',
    };
    for (const [entry, path] of Object.entries(entries)) {
      expect(exports[entry], entry).toEqual({ types: `./dist/${path}.d.ts`, source: `./${path}.ts`, import: `./dist/${path}.js` });
    }
  });
});

/** Every module (URL, `node:` for builtins) that importing `entry` by the package's name loads, in a fresh process. */
const modulesLoadedBy = async (entry: string): Promise<string[]> => {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'test/api/fixtures/loaded-modules.mjs', entry],
    { cwd: root, timeout: 30_000 },
  );
  return JSON.parse(stdout) as string[];
};

const isWs = (url: string): boolean => url.includes('/node_modules/ws/');
const isHttp = (url: string): boolean => url === 'node:http' || url === 'node:https';

describe('what importing an entry loads', () => {
  it('the root loads the engines (and their sockets) but neither node:http nor ws', async () => {
    const loaded = await modulesLoadedBy('imstate');
    expect(loaded).toContain('node:dgram'); // the recording works: the engines' sockets are there
    expect(loaded.some((url) => url.endsWith('/src/engine/server.ts'))).toBe(true);
    expect(loaded.filter(isWs)).toEqual([]);
    expect(loaded.filter(isHttp)).toEqual([]);
    expect(loaded.filter((url) => url.includes('/src/inspect/'))).toEqual([]);
  });

  it('imstate/inspect is where node:http and ws come in', async () => {
    const loaded = await modulesLoadedBy('imstate/inspect');
    expect(loaded).toContain('node:http');
    expect(loaded.some(isWs)).toBe(true);
  });

  it('imstate/protocol and imstate/machines load no sockets, no web server and no ws', async () => {
    for (const entry of ['imstate/protocol', 'imstate/machines']) {
      const loaded = await modulesLoadedBy(entry);
      expect(loaded.some((url) => url.includes('/src/')), entry).toBe(true);
      expect(loaded.filter((url) => isWs(url) || isHttp(url) || url === 'node:dgram' || url === 'node:net'), entry).toEqual([]);
    }
  });
});
