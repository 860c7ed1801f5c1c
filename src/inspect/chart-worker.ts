/**
 * ELK in a worker thread, for the live inspector: a layout takes about a second of CPU, and the inspector shares its
 * thread with the engine's sockets and timers, which must not stall while a person opens a chart. The worker is
 * started at the first layout, does nothing but `elk.layout(graph)` (plain JSON in, plain JSON out), never keeps
 * the process alive (`unref`), and ends with {@link ElkWorker.close}.
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { ElkRunner } from './chart-layout.js';

/** A lazily started ELK worker. */
export interface ElkWorker {
  readonly run: ElkRunner;
  /** Ends the worker; pending layouts reject. Safe to call twice. */
  close(): Promise<void>;
}

// CommonJS on purpose (an `eval` worker is a script): it loads the bundled ELK by the path the main thread resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ELK = require(workerData.elk);
const elk = new ELK();
parentPort.on('message', ({ id, graph }) => {
  elk.layout(graph).then(
    (out) => parentPort.postMessage({ id, out }),
    (error) => parentPort.postMessage({ id, error: String(error && error.message || error) }),
  );
});
`;

/** Creates the runner; nothing starts until the first layout. */
export function createElkWorker(): ElkWorker {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (out: ElkNode) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const elk = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { elk } });
    w.unref();
    w.on('message', (m: { id: number; out?: ElkNode; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.out) p.resolve(m.out);
      else p.reject(new Error(`chart layout failed: ${m.error ?? 'unknown error'}`));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', () => {
      worker = undefined;
      failAll(new Error('chart layout worker ended'));
    });
    return w;
  };

  return {
    run: (graph) =>
      new Promise<ElkNode>((resolve, reject) => {
        if (closed) return reject(new Error('the inspector is closed'));
        worker ??= start();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, graph });
      }),
    close: async () => {
      closed = true;
      const w = worker;
      worker = undefined;
      failAll(new Error('the inspector is closed'));
      if (w) await w.terminate();
    },
  };
}
