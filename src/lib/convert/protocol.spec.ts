/**
 * The convert worker's protocol from both ends: the worker module run in Node behind a fake
 * worker scope (real files, real conversion), and the page's client behind a fake Worker.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HearthError, serializeError } from '../errors';
import { ConvertClient } from './client';
import { TfjsMissingShardError } from './errors';
import type { ImportFile } from './import-files';
import {
	bufferTransferables,
	overallProgress,
	type ConvertWorkerReply,
	type ConvertWorkerRequest
} from './protocol';

const MODELS = join('node_modules', '@vladmandic', 'human-models', 'models');

async function blazefaceFiles(): Promise<ImportFile[]> {
	return [
		{
			path: 'face/blazeface.json',
			bytes: new Uint8Array(await readFile(join(MODELS, 'blazeface.json')))
		},
		{
			path: 'face/blazeface.bin',
			bytes: new Uint8Array(await readFile(join(MODELS, 'blazeface.bin')))
		}
	];
}

describe('protocol helpers', () => {
	it('lists each buffer once', () => {
		const shared = new ArrayBuffer(16);
		const other = new Uint8Array(4);
		const buffers = bufferTransferables([
			new Uint8Array(shared, 0, 8),
			new Uint8Array(shared, 8, 8),
			other
		]);
		expect(buffers).toEqual([shared, other.buffer]);
	});

	it('maps reading to the first tenth and the converter to the rest', () => {
		expect(overallProgress('reading', 0, 1).overall).toBe(0);
		expect(overallProgress('reading', 1, 1).overall).toBeCloseTo(0.1);
		expect(overallProgress('converting', 50, 100).overall).toBeCloseTo(0.55);
		expect(overallProgress('converting', 100, 100).overall).toBe(1);
		expect(overallProgress('converting', 5, 0).overall).toBeCloseTo(0.1);
	});
});

describe('the convert worker', () => {
	const replies: { reply: ConvertWorkerReply; transfer: Transferable[] }[] = [];
	const scope = new EventTarget() as EventTarget & {
		postMessage(reply: ConvertWorkerReply, transfer: Transferable[]): void;
	};
	scope.postMessage = (reply, transfer) => replies.push({ reply, transfer });
	const send = (request: ConvertWorkerRequest) =>
		scope.dispatchEvent(new MessageEvent('message', { data: request }));

	beforeAll(async () => {
		(globalThis as { self?: unknown }).self = scope;
		await import('./worker');
	});
	afterAll(() => delete (globalThis as { self?: unknown }).self);

	it('converts the files it is given, with progress, and hands the ONNX bytes back', async () => {
		replies.length = 0;
		send({
			id: 7,
			type: 'convert',
			payload: { files: await blazefaceFiles(), options: { name: 'blazeface' } }
		});
		const last = replies.at(-1)!;
		expect(last.reply.type).toBe('convert');
		if (last.reply.type !== 'convert') return;
		expect(last.reply.id).toBe(7);
		expect(last.reply.payload.report.sourceOps._FusedConv2D).toBe(37);
		// The graph for the manifest, decoded here rather than on the page.
		expect(last.reply.payload.graph?.sample).toEqual([
			{ name: 'input', dtype: 'float32', dims: [1, 256, 256, 3], fill: 'random' }
		]);
		expect(last.transfer).toEqual([last.reply.payload.onnx.buffer]);
		const progress = replies.filter((entry) => entry.reply.type === 'progress');
		expect(progress.length).toBeGreaterThanOrEqual(2);
		expect(progress.every((entry) => entry.reply.id === 7)).toBe(true);
		const overall = progress.map((entry) => (entry.reply.payload as { overall: number }).overall);
		expect(overall.at(-1)).toBe(1);
		expect(overall).toEqual([...overall].sort((a, b) => a - b));
	});

	it('answers a bad input with the named error as data', async () => {
		replies.length = 0;
		const [json] = await blazefaceFiles();
		send({ id: 8, type: 'convert', payload: { files: [json!], options: { name: 'bf' } } });
		const last = replies.at(-1)!.reply;
		expect(last).toMatchObject({
			id: 8,
			type: 'error',
			payload: { name: 'TfjsMissingShardError', code: 'convert-missing-shard' }
		});
	});
});

/** A stand-in Worker: records what the client posts and lets the test answer. */
class FakeWorker extends EventTarget {
	posted: { message: ConvertWorkerRequest; transfer: Transferable[] }[] = [];
	terminated = false;
	postMessage(message: ConvertWorkerRequest, transfer: Transferable[]) {
		this.posted.push({ message, transfer });
	}
	terminate() {
		this.terminated = true;
	}
	reply(reply: ConvertWorkerReply) {
		this.dispatchEvent(new MessageEvent('message', { data: reply }));
	}
}

describe('ConvertClient', () => {
	it('transfers the files, routes progress, resolves the reply and revives errors', async () => {
		const workers: FakeWorker[] = [];
		const client = new ConvertClient(() => {
			workers.push(new FakeWorker());
			return workers.at(-1) as unknown as Worker;
		});
		const files = [{ path: 'model.json', bytes: new Uint8Array(3) }];
		const seen: number[] = [];
		const done = client.convert({ files, options: { name: 'm' } }, (p) => seen.push(p.overall));
		const { message, transfer } = workers[0]!.posted[0]!;
		expect(message.type).toBe('convert');
		expect(transfer).toEqual([files[0]!.bytes.buffer]);
		workers[0]!.reply({
			id: message.id,
			type: 'progress',
			payload: overallProgress('converting', 1, 2)
		});
		const result = { onnx: new Uint8Array([1]), report: { format: 'graph-model' } };
		workers[0]!.reply({ id: message.id, type: 'convert', payload: result as never });
		await expect(done).resolves.toBe(result);
		expect(seen).toEqual([0.55]);

		const failing = client.convert({ files: [], options: { name: 'm' } }, () => undefined);
		const id = workers[0]!.posted[1]!.message.id;
		const error = new TfjsMissingShardError('model.json', ['a.bin']);
		workers[0]!.reply({ id, type: 'error', payload: serializeError(error) });
		const thrown = await failing.catch((caught: unknown) => caught);
		expect(thrown).toBeInstanceOf(HearthError);
		expect(thrown).toMatchObject({ code: 'convert-missing-shard', message: error.message });
	});

	it('fails a waiting call when the worker dies, then starts a fresh worker', async () => {
		const workers: FakeWorker[] = [];
		const client = new ConvertClient(() => {
			workers.push(new FakeWorker());
			return workers.at(-1) as unknown as Worker;
		});
		const waiting = client.convert({ files: [], options: { name: 'm' } }, () => undefined);
		const crash = new Event('error') as Event & { message: string };
		crash.message = 'out of memory';
		workers[0]!.dispatchEvent(crash);
		await expect(waiting).rejects.toMatchObject({ code: 'convert-worker-crashed' });
		expect(workers[0]!.terminated).toBe(true);
		void client
			.convert({ files: [], options: { name: 'm' } }, () => undefined)
			.catch(() => undefined);
		expect(workers).toHaveLength(2);
		client.terminate();
	});
});
