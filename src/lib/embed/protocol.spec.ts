import { describe, expect, it } from 'vitest';
import { parseMessage, type Incoming } from './parse-message';
import { answer, eventMessage, failure } from './protocol';
import { parseTaskInput } from './task-input';

function errorOf(incoming: Incoming): { id: unknown; code: string; message: string } {
	if (incoming.kind !== 'invalid') throw new Error(`expected an error, got ${incoming.kind}`);
	return { id: incoming.id, code: incoming.error.code, message: incoming.error.message };
}

function codeOfInput(task: Parameters<typeof parseTaskInput>[0], input: unknown): string {
	try {
		parseTaskInput(task, input);
		return 'no error';
	} catch (error) {
		return (error as { code: string }).code;
	}
}

describe('parseMessage', () => {
	it('ignores messages that are not Hearth requests', () => {
		for (const data of [null, 'hello', 42, [1], { type: 'webpackOk' }, { id: 1, method: 'run' }]) {
			expect(parseMessage(data)).toEqual({ kind: 'foreign' });
		}
	});

	it('reads each method with its params', () => {
		expect(parseMessage({ hearth: 1, id: 'a', method: 'status' })).toEqual({
			kind: 'request',
			id: 'a',
			request: { method: 'status', params: undefined }
		});
		expect(
			parseMessage({ hearth: 1, id: 2, method: 'load', params: { model: 'm', backend: 'wasm' } })
		).toEqual({
			kind: 'request',
			id: 2,
			request: { method: 'load', params: { model: 'm', variant: undefined, backend: 'wasm' } }
		});
		const run = parseMessage({
			hearth: 1,
			id: 3,
			method: 'run',
			params: { model: 'm', input: 'x' }
		});
		expect(run.kind === 'request' && run.request).toMatchObject({
			method: 'run',
			params: { model: 'm', input: 'x' }
		});
		expect(parseMessage({ hearth: 1, id: 4, method: 'metrics', params: { limit: 5 } })).toEqual({
			kind: 'request',
			id: 4,
			request: { method: 'metrics', params: { since: undefined, limit: 5 } }
		});
		expect(parseMessage({ hearth: 1, id: 5, method: 'unload' })).toMatchObject({
			kind: 'request',
			request: { method: 'unload', params: {} }
		});
	});

	it('answers malformed requests with stable codes, keeping the id when there is one', () => {
		expect(errorOf(parseMessage({ hearth: 2, id: 1, method: 'status' }))).toMatchObject({
			id: 1,
			code: 'unsupported-version'
		});
		expect(errorOf(parseMessage({ hearth: 1, method: 'status' }))).toMatchObject({
			id: null,
			code: 'bad-request'
		});
		expect(errorOf(parseMessage({ hearth: 1, id: {}, method: 'status' })).code).toBe('bad-request');
		expect(errorOf(parseMessage({ hearth: 1, id: 1, method: 7 })).code).toBe('bad-request');
		const unknown = errorOf(parseMessage({ hearth: 1, id: 1, method: 'deleteEverything' }));
		expect(unknown.code).toBe('unknown-method');
		expect(unknown.message).toContain('listModels, load, run, unload, status, metrics');
		// Inherited names are no methods either.
		expect(errorOf(parseMessage({ hearth: 1, id: 1, method: 'constructor' })).code).toBe(
			'unknown-method'
		);
	});

	it('answers bad params with bad-params and says which', () => {
		const cases: [string, unknown, RegExp][] = [
			['load', undefined, /"model" is required/],
			['load', { model: '' }, /"model" must be a non-empty string/],
			['load', { model: 'm', backend: 'cuda' }, /"backend" must be one of auto, webgpu, wasm/],
			['load', [1], /params must be an object/],
			['run', { model: 'm' }, /"input" is required/],
			['unload', { variant: 'v' }, /"variant" needs "model"/],
			['metrics', { limit: -1 }, /"limit" must be a number of 0 or more/]
		];
		for (const [method, params, message] of cases) {
			const error = errorOf(parseMessage({ hearth: 1, id: 9, method, params }));
			expect(error.code, method).toBe('bad-params');
			expect(error.message).toMatch(message);
		}
	});

	it('builds answers and events with the request id', () => {
		expect(answer('a', { x: 1 })).toEqual({ hearth: 1, id: 'a', ok: true, result: { x: 1 } });
		expect(failure(1, { code: 'c', message: 'm' })).toEqual({
			hearth: 1,
			id: 1,
			ok: false,
			error: { code: 'c', message: 'm' }
		});
		expect(eventMessage('a', 'log', { level: 'info', message: 'hi' })).toEqual({
			hearth: 1,
			id: 'a',
			event: 'log',
			data: { level: 'info', message: 'hi' }
		});
	});
});

describe('parseTaskInput', () => {
	const pixels = (width: number, height: number) => ({
		width,
		height,
		data: new Uint8ClampedArray(width * height * 4)
	});

	it('takes pictures for OCR and digits', () => {
		expect(parseTaskInput('digits', pixels(2, 3))).toMatchObject({ kind: 'image' });
		expect(parseTaskInput('ocr', new Blob([new Uint8Array(4)]))).toMatchObject({
			kind: 'image-blob'
		});
		const bytes = { width: 1, height: 1, data: new Uint8Array(4) };
		const image = parseTaskInput('ocr', bytes);
		expect(image.kind === 'image' && image.image.data).toBeInstanceOf(Uint8ClampedArray);
		expect(codeOfInput('ocr', { width: 2, height: 2, data: new Uint8ClampedArray(3) })).toBe(
			'bad-params'
		);
		expect(codeOfInput('digits', { width: 0, height: 2, data: new Uint8ClampedArray(0) })).toBe(
			'bad-params'
		);
		expect(codeOfInput('ocr', 'a picture')).toBe('bad-params');
	});

	it('takes pictures for person segmentation and says what it takes otherwise', () => {
		expect(parseTaskInput('segmentation', pixels(4, 4))).toMatchObject({ kind: 'image' });
		expect(parseTaskInput('segmentation', new Blob([new Uint8Array(4)]))).toMatchObject({
			kind: 'image-blob'
		});
		expect(() => parseTaskInput('segmentation', 'a picture')).toThrow(
			/This model \(segmentation\) takes an ImageData, a Blob holding a picture/
		);
	});

	it('takes audio with its rate for voice activity', () => {
		const samples = new Float32Array(160);
		expect(parseTaskInput('vad', { samples, sampleRate: 16000 })).toEqual({
			kind: 'audio',
			samples,
			sampleRate: 16000
		});
		expect(codeOfInput('vad', { samples: [0, 1], sampleRate: 16000 })).toBe('bad-params');
		expect(codeOfInput('vad', { samples, sampleRate: 10 })).toBe('bad-params');
		expect(codeOfInput('vad', { samples: new Float32Array(0), sampleRate: 16000 })).toBe(
			'bad-params'
		);
	});

	it('takes texts, with an optional query, for embeddings', () => {
		expect(parseTaskInput('embeddings', 'one')).toEqual({
			kind: 'texts',
			texts: ['one'],
			query: null
		});
		expect(parseTaskInput('embeddings', ['a', 'b'])).toEqual({
			kind: 'texts',
			texts: ['a', 'b'],
			query: null
		});
		expect(parseTaskInput('embeddings', { texts: ['a'], query: 'q', maxTokens: 8 })).toEqual({
			kind: 'texts',
			texts: ['a'],
			query: 'q',
			maxTokens: 8
		});
		expect(codeOfInput('embeddings', [])).toBe('bad-params');
		expect(codeOfInput('embeddings', [1, 2])).toBe('bad-params');
		expect(codeOfInput('embeddings', { texts: ['a'], query: 3 })).toBe('bad-params');
		expect(codeOfInput('embeddings', { texts: ['a'], maxTokens: 0.5 })).toBe('bad-params');
	});

	it('takes tensors for any model, checking dtype, array type and size', () => {
		const tensors = { x: { dtype: 'float32', dims: [1, 2], data: new Float32Array(2) } };
		expect(parseTaskInput('custom', { tensors })).toMatchObject({ kind: 'graph', file: null });
		expect(parseTaskInput('digits', { tensors, file: 'model.onnx' })).toMatchObject({
			kind: 'graph',
			file: 'model.onnx'
		});
		const bad = [
			{ tensors: {} },
			{ tensors: { x: { dtype: 'float64', dims: [1], data: new Float64Array(1) } } },
			{ tensors: { x: { dtype: 'float32', dims: [1, 3], data: new Float32Array(2) } } },
			{ tensors: { x: { dtype: 'int64', dims: [1], data: new Int32Array(1) } } },
			{ tensors: { x: { dtype: 'float32', dims: [-1], data: new Float32Array(0) } } },
			{ tensors, file: 3 }
		];
		for (const input of bad) expect(codeOfInput('custom', input)).toBe('bad-params');
		expect(codeOfInput('custom', 'text')).toBe('bad-params');
	});
});
