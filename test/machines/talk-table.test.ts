/**
 * The peer's talk table (machines/talk.table.ts) follows the talk statechart (machines/talk.machine.ts): for any
 * history of receipts and receipt timeouts, the table transmits exactly when the statechart does and ends each
 * message with the same status and reason. The statechart runs as an actor on a simulated clock, reporting to a
 * recorder; the table runs on the same history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, fromTransition, SimulatedClock } from 'xstate';
import { talkMachine, type TalkStatusReport, type TalkTransmit } from '../../machines/talk.machine.js';
import { emptyTalkTable, receiveTalkReceipt, startTalk, talkEntry, talkInFlight, talkTimedOut, type TalkTable } from '../../machines/talk.table.js';
import type { ReliableTalkMessage } from '../../src/protocol/index.js';

const TIMEOUT = 100;
type Step = 'receipt' | 'timeout';
type Report = TalkTransmit | TalkStatusReport;

const message = (id: string): ReliableTalkMessage => ({ type: 'rtalk', id, time: '10:41:40', name: 'alice', text: `text of ${id}` });

/** What the statechart reports for one message over `steps`. */
const chartReports = (id: string, tries: number, steps: readonly Step[]): Report[] => {
  const clock = new SimulatedClock();
  const peer = createActor(fromTransition((seen: Report[], event: Report) => [...seen, event], [] as Report[])).start();
  const talk = createActor(talkMachine, {
    clock,
    input: { id, to: 'bob', endpoint: '127.0.0.1:5002', message: message(id), receiptTimeoutMs: TIMEOUT, tries, peer },
  }).start();
  for (const step of steps) {
    if (talk.getSnapshot().status !== 'active') break;
    if (step === 'receipt') talk.send({ type: 'receipt', name: 'bob' });
    else clock.increment(TIMEOUT);
  }
  return peer.getSnapshot().context;
};

/** What the table reports for the same message and history. */
const tableReports = (id: string, tries: number, steps: readonly Step[], others: TalkTable): { reports: Report[]; table: TalkTable } => {
  const reports: Report[] = [];
  let step = startTalk(others, { id, to: 'bob', endpoint: '127.0.0.1:5002', message: message(id), tries });
  for (let i = 0; ; i++) {
    if (step.transmit !== undefined) reports.push(step.transmit);
    if (step.status !== undefined) {
      reports.push(step.status);
      break;
    }
    const next = steps[i];
    if (next === undefined) break;
    step = next === 'receipt' ? receiveTalkReceipt(step.table, id) : talkTimedOut(step.table, id);
  }
  return { reports, table: step.table };
};

describe('talk table against the talk statechart', () => {
  it('transmits and ends like the statechart for any history of receipts and timeouts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.constantFrom<Step>('receipt', 'timeout'), { maxLength: 10 }), (tries, steps) => {
        const others = startTalk(emptyTalkTable(), { id: 'other', to: 'carol', endpoint: '127.0.0.1:5003', message: message('other'), tries: 3 }).table;
        const { reports, table } = tableReports('m1', tries, steps, others);
        expect(reports).toEqual(chartReports('m1', tries, steps));
        const ended = reports.some((report) => report.type === 'talk.status');
        expect(talkInFlight(table, 'm1')).toBe(!ended);
        expect(talkEntry(table, 'other')?.sent).toBe(1);
      }),
    );
  });

  it('ignores a receipt or a timeout for a message not in flight, and a second start of the same id', () => {
    const table = startTalk(emptyTalkTable(), { id: 'm1', to: 'bob', endpoint: '127.0.0.1:5002', message: message('m1'), tries: 2 }).table;
    expect(receiveTalkReceipt(table, 'm9')).toEqual({ table });
    expect(talkTimedOut(table, 'm9')).toEqual({ table });
    expect(startTalk(table, { id: 'm1', to: 'bob', endpoint: '127.0.0.1:5002', message: message('m1'), tries: 2 })).toEqual({ table });
  });
});
