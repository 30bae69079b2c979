/**
 * An eval worker thread: opens one slot (its own embedded database) and runs the tasks the
 * parent sends, one at a time, answering each with its scored result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { executeTask, type Task, type WorkerReply } from './task.js';
import { openSlot } from './slot.js';

const port = parentPort;
if (!port) throw new Error('evals/worker.ts runs only as a worker thread');
const config = (workerData as { config: Config }).config;

try {
  const slot = await openSlot(config);
  port.on('message', (message: { type: 'run'; task: Task } | { type: 'close' }) => {
    if (message.type === 'close') {
      void slot.close().finally(() => port.close());
      return;
    }
    void executeTask(slot, config, message.task).then(
      (result) => port.postMessage({ type: 'result', result } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ type: 'failed', message: describeError(error) } satisfies WorkerReply),
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: `could not open the eval database: ${describeError(error)}`,
  } satisfies WorkerReply);
}
