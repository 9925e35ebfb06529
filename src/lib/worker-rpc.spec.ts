import { describe, expect, it } from 'vitest';
import { HearthError, serializeError } from './errors';
import { WorkerRpcClient, type RpcReply, type RpcRequest } from './worker-rpc';

type Commands = {
	double: { request: { value: number }; reply: { value: number } };
	fail: { request: Record<string, never>; reply: never };
};

/** A worker stand-in: records what the page posts and lets the test answer as the worker. */
class FakeWorker extends EventTarget {
	readonly posted: { message: RpcRequest<Commands>; transfer: Transferable[] }[] = [];
	terminated = false;
	postMessage(message: RpcRequest<Commands>, transfer: Transferable[]) {
		this.posted.push({ message, transfer });
	}
	terminate() {
		this.terminated = true;
	}
	reply(data: RpcReply<Commands, number>) {
		this.dispatchEvent(new MessageEvent('message', { data }));
	}
	crash(message: string) {
		const event = new Event('error', { cancelable: true }) as Event & { message: string };
		event.message = message;
		this.dispatchEvent(event);
	}
}

function setup() {
	const workers: FakeWorker[] = [];
	let stopped = 0;
	const client = new WorkerRpcClient<Commands, number>(
		() => {
			const worker = new FakeWorker();
			workers.push(worker);
			return worker as unknown as Worker;
		},
		(why) => new HearthError('crashed', `The worker stopped: ${why}.`),
		() => stopped++
	);
	return { client, workers, stopped: () => stopped };
}

describe('WorkerRpcClient', () => {
	it('starts the worker on first use and settles each call by its id, with progress on the way', async () => {
		const { client, workers } = setup();
		expect(client.started).toBe(false);
		const progress: number[] = [];
		const buffer = new ArrayBuffer(8);
		const first = client.send(
			'double',
			{ value: 2 },
			{ onProgress: (p) => progress.push(p), transfer: [buffer] }
		);
		const second = client.send('double', { value: 5 });
		expect(client.started).toBe(true);
		expect(workers).toHaveLength(1);
		const [a, b] = workers[0]!.posted;
		expect(a!.message).toEqual({ id: 1, type: 'double', payload: { value: 2 } });
		expect(a!.transfer).toEqual([buffer]);
		workers[0]!.reply({ id: b!.message.id, type: 'double', payload: { value: 10 } });
		workers[0]!.reply({ id: a!.message.id, type: 'progress', payload: 0.5 });
		workers[0]!.reply({ id: a!.message.id, type: 'double', payload: { value: 4 } });
		await expect(first).resolves.toEqual({ value: 4 });
		await expect(second).resolves.toEqual({ value: 10 });
		expect(progress).toEqual([0.5]);
	});

	it('rebuilds a named error the worker sent', async () => {
		const { client, workers } = setup();
		const call = client.send('fail', {});
		const error = new HearthError('bad-input', 'That input is wrong: choose another.');
		workers[0]!.reply({ id: 1, type: 'error', payload: serializeError(error) });
		await expect(call).rejects.toMatchObject({ code: 'bad-input', message: error.message });
	});

	it('fails every waiting call when the worker dies, then starts a fresh one', async () => {
		const { client, workers, stopped } = setup();
		const calls = [client.send('double', { value: 1 }), client.send('double', { value: 2 })];
		workers[0]!.crash('out of memory');
		for (const call of calls) {
			await expect(call).rejects.toThrow('The worker stopped: out of memory.');
		}
		expect(workers[0]!.terminated).toBe(true);
		expect(stopped()).toBe(1);
		expect(client.started).toBe(false);
		const next = client.send('double', { value: 3 });
		expect(workers).toHaveLength(2);
		workers[1]!.reply({ id: 3, type: 'double', payload: { value: 6 } });
		await expect(next).resolves.toEqual({ value: 6 });
	});

	it('terminate stops the worker and rejects what was waiting', async () => {
		const { client, workers } = setup();
		const call = client.send('double', { value: 1 });
		client.terminate();
		await expect(call).rejects.toThrow('it was stopped');
		expect(workers[0]!.terminated).toBe(true);
	});
});
