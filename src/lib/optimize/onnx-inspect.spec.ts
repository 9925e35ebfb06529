import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { builtFilePath, modelNamed, readBuiltCatalog } from '../../../scripts/models/built-models';
import {
	externalDataModel,
	inspectionModel,
	stringInputModel
} from '../../../tests/support/onnx-fixtures';
import {
	ExternalDataError,
	InvalidOnnxError,
	parseOnnxModel,
	parseSelfContainedOnnx
} from './onnx-graph';
import { inspectOnnxBytes, type ModelInspection } from './onnx-inspect';
import { onnxProto } from './onnx-proto';
import { IR_VERSION } from './onnx-writer';

async function inspectCatalogFile(modelId: string, role?: string): Promise<ModelInspection> {
	const model = modelNamed(await readBuiltCatalog(), modelId);
	const file = model.variants[0]!.files.find((candidate) =>
		role ? candidate.role === role : candidate.kind === 'onnx'
	)!;
	const bytes = new Uint8Array(await readFile(builtFilePath(model, file)));
	return inspectOnnxBytes(bytes, file.path);
}

describe('inspecting the catalog models', () => {
	it('counts the MNIST MLP: 784x128 + 128 + 128x10 + 10 = 101,770 float32 parameters', async () => {
		const inspection = await inspectCatalogFile('mnist-mlp');
		expect(inspection.parameters).toBe(784 * 128 + 128 + 128 * 10 + 10);
		expect(inspection.parameters).toBe(101_770);
		expect(inspection.parameterBytes).toBe(101_770 * 4);
		expect(inspection.byDtype).toEqual([
			{ dtype: 'float32', tensors: 4, elements: 101_770, bytes: 407_080 }
		]);
		expect(inspection.irVersion).toBe(IR_VERSION);
		expect(inspection.inputs).toEqual([
			{ name: 'pixels', kind: 'tensor', dtype: 'float32', dims: ['batch', 784] }
		]);
		expect(inspection.outputs.map((output) => output.name)).toEqual(['logits', 'probabilities']);
		expect(inspection.initializers.map((tensor) => tensor.dims)).toEqual([
			[784, 128],
			[128],
			[128, 10],
			[10]
		]);
	});

	it('finds the weights of every catalog graph: they are nearly all of its file', async () => {
		const catalog = await readBuiltCatalog();
		for (const model of catalog.models) {
			for (const file of model.variants.flatMap((variant) => variant.files)) {
				if (file.kind !== 'onnx') continue;
				const bytes = new Uint8Array(await readFile(builtFilePath(model, file)));
				const inspection = inspectOnnxBytes(bytes, file.path);
				const share = inspection.parameterBytes / bytes.byteLength;
				expect(share, `${model.id} ${file.path}`).toBeLessThanOrEqual(1);
				const decoded = onnxProto.ModelProto.decode(bytes);
				// The rest is protobuf framing. In most files that is under 10%; a tiny graph (the 2 KB
				// spam head) is mostly framing. A small model of many nodes (selfie: 247 KB, 359
				// nodes, 14%) may pass on framing per node instead: well under 200 bytes a node, where
				// one missed conv layer would be kilobytes.
				const least = bytes.byteLength > 64 * 1024 ? 0.9 : 0.5;
				const framingPerNode =
					(bytes.byteLength - inspection.parameterBytes) / inspection.nodeCount;
				const weightsFound = share > least || framingPerNode < 200;
				expect(weightsFound, `${model.id} ${file.path}: ${share}, ${framingPerNode} B/node`).toBe(
					true
				);
				expect(inspection.nodeCount).toBeGreaterThanOrEqual(decoded.graph?.node?.length ?? 0);
				expect(inspection.inputs.map((input) => input.name)).toEqual(
					file.graph!.inputs.map((input) => input.name)
				);
			}
		}
	});

	it('counts the weights PaddleOCR stores in Constant nodes', async () => {
		const inspection = await inspectCatalogFile('paddleocr-v4', 'orientation');
		expect(inspection.initializers.every((tensor) => tensor.constant)).toBe(true);
		expect(inspection.parameters).toBeGreaterThan(100_000);
		expect(inspection.operators[0]).toEqual({ op: 'Constant', count: expect.any(Number) });
	});
});

describe('inspectOnnxBytes', () => {
	const inspection = inspectOnnxBytes(inspectionModel(), 'inspection.onnx');

	it('reads versions, producer, metadata and inputs of any element type', () => {
		expect(inspection.irVersion).toBe(8);
		expect(inspection.opsets).toEqual([
			{ domain: 'ai.onnx', version: 17 },
			{ domain: 'com.example', version: 1 }
		]);
		expect(inspection.producer).toBe('hearth-test 1');
		expect(inspection.metadata).toEqual([{ key: 'author', value: 'tests' }]);
		expect(inspection.inputs.map((input) => `${input.name}:${input.dtype}`)).toEqual([
			'x:float32',
			'flag:bool'
		]);
	});

	it('counts operators inside If branches and names custom domains', () => {
		expect(inspection.operators).toEqual([
			{ op: 'Add', count: 1 },
			{ op: 'com.example.Relu', count: 1 },
			{ op: 'Constant', count: 1 },
			{ op: 'If', count: 1 },
			{ op: 'Mul', count: 1 }
		]);
		expect(inspection.nodeCount).toBe(5);
	});

	it('sums parameters over initializers, Constant tensors and subgraphs, per dtype', () => {
		expect(inspection.parameters).toBe(6 + 3 + 1);
		expect(inspection.byDtype).toEqual([
			{ dtype: 'float32', tensors: 2, elements: 9, bytes: 36 },
			{ dtype: 'int64', tensors: 1, elements: 1, bytes: 8 }
		]);
		expect(inspection.initializers.find((tensor) => tensor.name === 'scale')).toMatchObject({
			constant: true,
			dims: [3]
		});
	});

	it('describes string inputs and external weights without refusing them', () => {
		expect(inspectOnnxBytes(stringInputModel(), 's.onnx').inputs[0]).toMatchObject({
			dtype: 'string',
			dims: [1]
		});
		const external = inspectOnnxBytes(externalDataModel(), 'e.onnx').initializers[0]!;
		expect(external).toMatchObject({ external: true, bytes: 32, elements: 8 });
	});
});

describe('parseOnnxModel', () => {
	it('refuses files that are not ONNX models, naming the file', () => {
		const text = new TextEncoder().encode('{"hello": "this is JSON, not ONNX"}\n');
		const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		for (const bytes of [text, png, new Uint8Array(0), new Uint8Array(64)]) {
			expect(() => parseOnnxModel(bytes, 'notes.onnx')).toThrow(InvalidOnnxError);
		}
		expect(() => parseOnnxModel(text, 'notes.onnx')).toThrow(/notes\.onnx is not a valid ONNX/);
	});

	it('refuses a decodable message that is no model (no graph, no IR version)', () => {
		const bare = onnxProto.ModelProto.encode({ producerName: 'x' }).finish();
		expect(() => parseOnnxModel(bare, 'bare.onnx')).toThrow(/IR version/);
		const noGraph = onnxProto.ModelProto.encode({
			irVersion: 8,
			opsetImport: [{ version: 17 }]
		}).finish();
		expect(() => parseOnnxModel(noGraph, 'g.onnx')).toThrow(/no graph/);
	});

	it('refuses external data only when asked for a self-contained model', () => {
		expect(parseOnnxModel(externalDataModel(), 'e.onnx').graph!.name).toBe('external');
		expect(() => parseSelfContainedOnnx(externalDataModel(), 'e.onnx')).toThrow(ExternalDataError);
		expect(() => parseSelfContainedOnnx(externalDataModel(), 'e.onnx')).toThrow(/model\.onnx_data/);
		expect(parseSelfContainedOnnx(inspectionModel(), 'i.onnx').graph!.name).toBe('inspection');
	});
});
