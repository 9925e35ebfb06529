/**
 * The converter's contract, shared by the graph-model and layers-model converters, the convert
 * worker and the build step.
 */
import type { TensorSpec } from '../catalog/manifest';

export interface ConvertOptions {
	/** The ONNX graph's name; also what the report calls the model. */
	name: string;
	/**
	 * Graph-models only: TF tensors ("node" or "node:1") to cut the graph at. Without them the
	 * converter uses the graph's own outputs (nodes nothing else reads).
	 */
	outputs?: string[];
	/** Fixed sizes for inputs whose shape tfjs left open (-1), by input name. */
	inputShapes?: Record<string, number[]>;
	/**
	 * Graph-models only: ONNX names and dims for inputs (by placeholder) and outputs (by TF tensor);
	 * without them the TF names are kept and open dims are named after the tensor.
	 */
	specs?: Record<string, { name?: string; dims?: (number | string)[] }>;
	/** Called as conversion advances, so a UI can show a real progress bar. */
	onProgress?: (done: number, total: number, stage: string) => void;
}

export interface ConversionReport {
	format: 'graph-model' | 'layers-model';
	/** TF ops (graph-models) or Keras layer classes (layers-models) converted, with counts. */
	sourceOps: Record<string, number>;
	/** ONNX op types written, with counts. */
	onnxOps: Record<string, number>;
	parameters: number;
	/** Bytes of the TF.js weight shards, and of the ONNX file written. */
	sourceBytes: number;
	onnxBytes: number;
	inputs: TensorSpec[];
	outputs: TensorSpec[];
	/** Things the user should know: weights kept as uint8, outputs chosen automatically, ... */
	notes: string[];
}

export interface ConversionResult {
	onnx: Uint8Array;
	report: ConversionReport;
}
