/**
 * Describes a written file for the manifest: size, sha256 and, for ONNX graphs, the inputs and
 * outputs read from the file itself plus the test-run sample, checked against those inputs here
 * so a wrong sample fails the build rather than the user's first test run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
	FileKind,
	GraphSpec,
	ModelFile,
	SampleExpectation,
	SampleTensor,
	TensorSpec
} from '../../src/lib/catalog/manifest';
import { decodeModel, graphSignature } from '../../src/lib/optimize/onnx-graph';
import { sha256Hex } from './files';

export interface FileDescription {
	kind: FileKind;
	role: string;
	/** Required for ONNX files. */
	sample?: SampleTensor[];
	expect?: SampleExpectation;
}

function checkSample(path: string, inputs: TensorSpec[], sample: SampleTensor[]): void {
	const problems: string[] = [];
	const byName = new Map(sample.map((tensor) => [tensor.name, tensor]));
	for (const input of inputs) {
		const tensor = byName.get(input.name);
		if (!tensor) {
			problems.push(`no sample for input "${input.name}"`);
			continue;
		}
		if (tensor.dtype !== input.dtype)
			problems.push(`"${input.name}" is ${input.dtype}, sample ${tensor.dtype}`);
		const fits =
			tensor.dims.length === input.dims.length &&
			input.dims.every((dim, axis) => typeof dim !== 'number' || dim === tensor.dims[axis]);
		if (!fits) problems.push(`"${input.name}" has dims [${input.dims}], sample [${tensor.dims}]`);
		byName.delete(input.name);
	}
	for (const extra of byName.keys()) problems.push(`sample "${extra}" is not a graph input`);
	if (problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
}

export async function describeFile(
	modelDir: string,
	path: string,
	description: FileDescription
): Promise<ModelFile> {
	const bytes = await readFile(join(modelDir, path));
	const file: ModelFile = {
		path,
		bytes: bytes.byteLength,
		sha256: sha256Hex(bytes),
		kind: description.kind,
		role: description.role
	};
	if (description.kind !== 'onnx') return file;
	if (!description.sample) throw new Error(`${path}: ONNX files need a test-run sample`);
	const { inputs, outputs } = graphSignature(decodeModel(bytes));
	checkSample(path, inputs, description.sample);
	if (description.expect && !outputs.some((output) => output.name === description.expect?.output)) {
		throw new Error(`${path}: the expectation names "${description.expect.output}", not an output`);
	}
	const graph: GraphSpec = { inputs, outputs, sample: description.sample };
	if (description.expect) graph.expect = description.expect;
	file.graph = graph;
	return file;
}
