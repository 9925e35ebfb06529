/**
 * Reading ONNX files: decode a ModelProto and describe its graph's inputs and outputs in the
 * manifest's own terms (TensorSpec). Pure, so the browser can inspect a model a user drops in.
 */
import type { onnx } from 'onnx-proto';
import type { TensorDType, TensorSpec } from '../catalog/manifest';
import { HearthError } from '../errors';
import { onnxProto } from './onnx-proto';

/** protobufjs hands 64-bit integers back as Long objects when the `long` package is present. */
type Int64Value = number | { toNumber(): number };

export function int64ToNumber(value: Int64Value | null | undefined): number {
	if (value === null || value === undefined) return 0;
	if (typeof value === 'number') return value;
	return value.toNumber();
}

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
	return onnxProto.ModelProto.decode(bytes);
}

/** ONNX TensorProto.DataType numbers for the element types the manifest can name. */
const DTYPE_BY_ELEM_TYPE: ReadonlyMap<number, TensorDType> = new Map([
	[1, 'float32'],
	[2, 'uint8'],
	[3, 'int8'],
	[6, 'int32'],
	[7, 'int64'],
	[8, 'string'],
	[9, 'bool'],
	[10, 'float16']
]);

export const ELEM_TYPE_BY_DTYPE: ReadonlyMap<TensorDType, number> = new Map(
	[...DTYPE_BY_ELEM_TYPE].map(([elemType, dtype]) => [dtype, elemType])
);

/** The file is valid ONNX but uses something the manifest's TensorSpec cannot describe. */
export class UnsupportedTensorError extends HearthError {
	constructor(message: string) {
		super('onnx-unsupported-tensor', message);
		this.name = 'UnsupportedTensorError';
	}
}

export function dtypeOfElemType(elemType: number, tensorName: string): TensorDType {
	const dtype = DTYPE_BY_ELEM_TYPE.get(elemType);
	if (!dtype) {
		throw new UnsupportedTensorError(
			`Tensor "${tensorName}" has ONNX element type ${elemType}, which Hearth cannot feed or read ` +
				'(supported: float32, float16, int64, int32, int8, uint8, bool, string). Export the model ' +
				'with one of those types at its inputs and outputs.'
		);
	}
	return dtype;
}

/** Fixed dims become numbers, named ones their name ("batch"), dims with neither '?'. */
export function tensorSpecOf(valueInfo: onnx.IValueInfoProto): TensorSpec {
	const name = valueInfo.name ?? '';
	const tensorType = valueInfo.type?.tensorType;
	if (!tensorType) {
		throw new UnsupportedTensorError(
			`"${name}" is not a tensor (sequences and maps are not supported)`
		);
	}
	if (!tensorType.shape) {
		// A missing shape means "any rank", which TensorSpec cannot say; guessing a rank would
		// make the test-run sample wrong, so the caller has to know.
		throw new UnsupportedTensorError(
			`Tensor "${name}" declares no shape, so its rank is unknown. Export the model with shapes ` +
				'(for example run ONNX shape inference on it) and try again.'
		);
	}
	const dims = (tensorType.shape.dim ?? []).map((dim): number | string => {
		if (dim.dimParam) return dim.dimParam;
		if (dim.dimValue !== null && dim.dimValue !== undefined) return int64ToNumber(dim.dimValue);
		return '?';
	});
	return { name, dtype: dtypeOfElemType(tensorType.elemType ?? 0, name), dims };
}

export interface GraphSignature {
	inputs: TensorSpec[];
	outputs: TensorSpec[];
}

/**
 * The tensors a caller feeds and reads. Graphs exported with IR < 4 list their weights among
 * the inputs too; those have initializers and are left out because ORT fills them itself.
 */
export function graphSignature(model: onnx.IModelProto): GraphSignature {
	const graph = model.graph;
	if (!graph) throw new UnsupportedTensorError('The ONNX file has no graph');
	const initialized = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
	return {
		inputs: (graph.input ?? [])
			.filter((input) => !initialized.has(input.name ?? ''))
			.map(tensorSpecOf),
		outputs: (graph.output ?? []).map(tensorSpecOf)
	};
}

/** The default-domain opset the model was exported for, or undefined when it declares none. */
export function defaultOpset(model: onnx.IModelProto): number | undefined {
	const entry = (model.opsetImport ?? []).find(
		(opset) => !opset.domain || opset.domain === 'ai.onnx'
	);
	return entry ? int64ToNumber(entry.version) : undefined;
}

/** The bytes are not an ONNX model at all (a different file, or a damaged one). */
export class InvalidOnnxError extends HearthError {
	constructor(fileName: string, detail: string) {
		super(
			'onnx-invalid',
			`${fileName} is not a valid ONNX model (${detail}), so nothing was stored. Pick the .onnx ` +
				'file itself (not a zip, a safetensors or a PyTorch checkpoint); export PyTorch models ' +
				'with torch.onnx.export first.'
		);
		this.name = 'InvalidOnnxError';
	}
}

/** The graph keeps its weights in a side file (model.onnx_data), which Hearth does not load. */
export class ExternalDataError extends HearthError {
	constructor(fileName: string, locations: string[]) {
		super(
			'onnx-external-data',
			`${fileName} keeps its weights in a separate file (${locations.join(', ')}): ONNX "external ` +
				'data", which Hearth cannot load yet, so nothing was stored. Re-save the model with its ' +
				'weights inside (onnx.save_model(model, path, save_as_external_data=False), possible up to ' +
				'2 GB), or pick a smaller variant that has none (fp16 or quantized).'
		);
		this.name = 'ExternalDataError';
	}
}

/**
 * Decodes bytes that should be an ONNX ModelProto and checks the parts every real model has: an
 * IR version, an opset and a graph with outputs. Protobuf decoding alone is too lenient for this:
 * many unrelated files decode to an empty message without an error.
 */
export function parseOnnxModel(bytes: Uint8Array, fileName: string): onnx.ModelProto {
	if (bytes.byteLength === 0) throw new InvalidOnnxError(fileName, 'the file is empty');
	let model: onnx.ModelProto;
	try {
		model = decodeModel(bytes);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new InvalidOnnxError(fileName, `it does not decode as an ONNX protobuf: ${reason}`);
	}
	if (int64ToNumber(model.irVersion) <= 0) {
		throw new InvalidOnnxError(fileName, 'it declares no ONNX IR version');
	}
	if (!model.graph) throw new InvalidOnnxError(fileName, 'it has no graph');
	if ((model.opsetImport ?? []).length === 0) {
		throw new InvalidOnnxError(fileName, 'it imports no operator set');
	}
	if ((model.graph.output ?? []).length === 0) {
		throw new InvalidOnnxError(fileName, 'its graph has no outputs');
	}
	return model;
}

/** TensorProto.DataLocation.EXTERNAL */
const EXTERNAL = 1;

/** The side files a model's initializers point to; empty when every weight is inside. */
export function externalDataLocations(model: onnx.IModelProto): string[] {
	const locations = new Set<string>();
	for (const tensor of model.graph?.initializer ?? []) {
		const external = tensor.dataLocation === EXTERNAL || (tensor.externalData ?? []).length > 0;
		if (!external) continue;
		const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
		locations.add(location || '(unnamed file)');
	}
	return [...locations];
}

/** parseOnnxModel, and refuses graphs whose weights live outside the file. */
export function parseSelfContainedOnnx(bytes: Uint8Array, fileName: string): onnx.ModelProto {
	const model = parseOnnxModel(bytes, fileName);
	const external = externalDataLocations(model);
	if (external.length > 0) throw new ExternalDataError(fileName, external);
	return model;
}
