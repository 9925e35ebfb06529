/**
 * Moves a model to a newer default-domain opset, so quantized weights can use DequantizeLinear
 * with an axis (opset 13) or int4 blocks (opset 21). Between opset 9 and 21 a handful of operators
 * turned attributes into inputs (Slice, Clip, Pad, Squeeze, Unsqueeze, Split, TopK, the Reduce
 * family) or changed meaning (Softmax's axis): those nodes are rewritten to mean exactly what they
 * meant before. Operators whose change cannot be rewritten safely are refused by name. The rest
 * keep their meaning across these versions.
 */
import type { onnx } from 'onnx-proto';
import { HearthError } from '../errors';
import { int64ToNumber } from './onnx-graph';
import {
	attribute,
	findAttribute,
	GraphIndex,
	intAttribute,
	intsAttribute,
	isDefaultDomain,
	makeNode,
	NameScope,
	opsetVersion,
	removeAttribute,
	setOpsetVersion,
	subgraphsOf,
	floatAttribute
} from './model-graph';
import { float32Tensor, int64Tensor } from './onnx-tensors';

/** The lowest opset Hearth upgrades from (older exports predate today's operator semantics). */
export const OLDEST_UPGRADABLE_OPSET = 9;

export class OpsetUpgradeError extends HearthError {
	constructor(message: string) {
		super('optimize-opset-upgrade', message);
		this.name = 'OpsetUpgradeError';
	}
}

const REDUCE_18 = [
	'ReduceMean',
	'ReduceMax',
	'ReduceMin',
	'ReduceProd',
	'ReduceL1',
	'ReduceL2',
	'ReduceLogSum',
	'ReduceLogSumExp',
	'ReduceSumSquare'
];

/** Operators whose meaning changed between the versions in a way this file does not rewrite. */
const REFUSED: { op: string; changedAt: number }[] = [
	{ op: 'Upsample', changedAt: 10 },
	{ op: 'Resize', changedAt: 11 },
	{ op: 'Scatter', changedAt: 11 },
	{ op: 'GroupNormalization', changedAt: 21 }
];

interface Rewrite {
	graph: onnx.IGraphProto;
	node: onnx.INodeProto;
	from: number;
	to: number;
	names: NameScope;
	/** Nodes to put right before and right after `node`. */
	before: onnx.INodeProto[];
	after: onnx.INodeProto[];
	notes: Set<string>;
}

function crosses(rewrite: Rewrite, version: number): boolean {
	return rewrite.from < version && rewrite.to >= version;
}

/** Moves an ints attribute into a new int64 initializer input at `index` (empty when absent). */
function attributeToInput(rewrite: Rewrite, attributeName: string, index: number): void {
	const { node, graph, names } = rewrite;
	const values = intsAttribute(node, attributeName);
	removeAttribute(node, attributeName);
	const inputs = [...(node.input ?? [])];
	while (inputs.length < index) inputs.push('');
	if (values !== undefined) {
		const name = names.fresh(`${node.output?.[0] ?? 'node'}_${attributeName}`);
		graph.initializer = [...(graph.initializer ?? []), int64Tensor(name, [values.length], values)];
		inputs[index] = name;
	}
	node.input = inputs;
	while (node.input.length > 0 && node.input[node.input.length - 1] === '') node.input.pop();
}

function floatScalarInput(rewrite: Rewrite, value: number, label: string): string {
	const name = rewrite.names.fresh(`${rewrite.node.output?.[0] ?? 'node'}_${label}`);
	rewrite.graph.initializer = [
		...(rewrite.graph.initializer ?? []),
		float32Tensor(name, [], [value])
	];
	return name;
}

function upgradeSoftmax(rewrite: Rewrite, index: GraphIndex): void {
	const { node, names } = rewrite;
	const axis = intAttribute(node, 'axis', 1);
	const rank = index.shapeOf(node.input?.[0] ?? '')?.length;
	removeAttribute(node, 'axis');
	if (axis === -1 || (rank !== undefined && (axis === rank - 1 || axis + rank === rank - 1))) {
		node.attribute = [...(node.attribute ?? []), attribute('axis', { int: -1 })];
		return;
	}
	// Before opset 13 the op normalised over every axis from `axis` on, as one flattened row.
	const input = node.input![0]!;
	const output = node.output![0]!;
	const shape = names.fresh(`${output}_shape`);
	const flat = names.fresh(`${output}_flat`);
	const normalised = names.fresh(`${output}_2d`);
	rewrite.before.push(
		makeNode('Shape', [input], [shape]),
		makeNode('Flatten', [input], [flat], { axis: { int: axis } })
	);
	node.input = [flat];
	node.output = [normalised];
	node.attribute = [...(node.attribute ?? []), attribute('axis', { int: -1 })];
	rewrite.notes.add(`${node.opType} over several axes became Flatten, ${node.opType}, Reshape`);
	rewrite.after.push(makeNode('Reshape', [normalised, shape], [output]));
}

function upgradeNode(rewrite: Rewrite, index: GraphIndex): onnx.INodeProto[] {
	const { node } = rewrite;
	if (!isDefaultDomain(node)) return [node];
	const op = node.opType ?? '';
	const refused = REFUSED.find((entry) => entry.op === op && crosses(rewrite, entry.changedAt));
	if (refused) {
		throw new OpsetUpgradeError(
			`This model uses ${op} from opset ${rewrite.from}, whose meaning changed in opset ` +
				`${refused.changedAt}; Hearth cannot move it to opset ${rewrite.to}, which this method ` +
				'needs. Re-export the model with a newer opset (torch.onnx.export(..., opset_version=17)) ' +
				'or choose fp16 or pruning, which keep the opset.'
		);
	}
	if (op === 'Slice' && crosses(rewrite, 10)) {
		for (const [name, at] of [
			['starts', 1],
			['ends', 2],
			['axes', 3]
		] as const) {
			attributeToInput(rewrite, name, at);
		}
	}
	if (op === 'Clip' && crosses(rewrite, 11)) {
		const min = findAttribute(node, 'min') ? floatAttribute(node, 'min', -3.4e38) : undefined;
		const max = findAttribute(node, 'max') ? floatAttribute(node, 'max', 3.4e38) : undefined;
		removeAttribute(node, 'min');
		removeAttribute(node, 'max');
		node.input = [
			node.input![0]!,
			min === undefined ? '' : floatScalarInput(rewrite, min, 'min'),
			max === undefined ? '' : floatScalarInput(rewrite, max, 'max')
		];
		while (node.input[node.input.length - 1] === '') node.input.pop();
	}
	if (op === 'Pad' && crosses(rewrite, 11)) {
		const value = findAttribute(node, 'value') ? floatAttribute(node, 'value', 0) : 0;
		removeAttribute(node, 'value');
		attributeToInput(rewrite, 'pads', 1);
		if (value !== 0) node.input = [...node.input!, floatScalarInput(rewrite, value, 'value')];
	}
	if (op === 'TopK' && crosses(rewrite, 10)) {
		const k = intAttribute(node, 'k', 1);
		removeAttribute(node, 'k');
		const name = rewrite.names.fresh(`${node.output?.[0] ?? 'topk'}_k`);
		rewrite.graph.initializer = [...(rewrite.graph.initializer ?? []), int64Tensor(name, [1], [k])];
		node.input = [node.input![0]!, name];
	}
	if (op === 'Dropout' && crosses(rewrite, 12)) {
		// Inference ignores dropout; only the mask output would tell the versions apart.
		if ((node.output ?? []).filter(Boolean).length > 1) {
			throw new OpsetUpgradeError(
				'This model reads the mask output of a Dropout node, which Hearth cannot carry to a newer opset. Re-export the model for inference (model.eval()).'
			);
		}
		node.opType = 'Identity';
		node.input = [node.input![0]!];
		node.attribute = [];
	}
	if ((op === 'Squeeze' || op === 'Unsqueeze' || op === 'ReduceSum') && crosses(rewrite, 13)) {
		attributeToInput(rewrite, 'axes', 1);
	}
	if (REDUCE_18.includes(op) && crosses(rewrite, 18)) attributeToInput(rewrite, 'axes', 1);
	if (op === 'Split') {
		if (crosses(rewrite, 13)) attributeToInput(rewrite, 'split', 1);
		if (crosses(rewrite, 18) && !node.input?.[1]) {
			node.attribute = [
				...(node.attribute ?? []),
				attribute('num_outputs', { int: node.output?.length ?? 1 })
			];
		}
	}
	if (['Softmax', 'LogSoftmax', 'Hardmax'].includes(op) && crosses(rewrite, 13)) {
		upgradeSoftmax(rewrite, index);
	}
	return [...rewrite.before, node, ...rewrite.after];
}

function upgradeGraph(
	graph: onnx.IGraphProto,
	from: number,
	to: number,
	names: NameScope,
	notes: Set<string>
): void {
	const index = new GraphIndex(graph);
	const nodes: onnx.INodeProto[] = [];
	for (const node of graph.node ?? []) {
		for (const subgraph of subgraphsOf(node)) upgradeGraph(subgraph, from, to, names, notes);
		nodes.push(
			...upgradeNode({ graph, node, from, to, names, before: [], after: [], notes }, index)
		);
	}
	graph.node = nodes;
}

export interface OpsetUpgrade {
	from: number;
	to: number;
	/** Rewrites worth telling the user about. */
	notes: string[];
}

/**
 * Upgrades the model in place to at least `target` (a model already there is left alone, and
 * null is returned). IR version follows: 10 for opset 21, at least 7 otherwise.
 */
export function upgradeOpset(model: onnx.IModelProto, target: number): OpsetUpgrade | null {
	const from = opsetVersion(model, '') ?? 1;
	if (from >= target) return null;
	if (from < OLDEST_UPGRADABLE_OPSET) {
		throw new OpsetUpgradeError(
			`This model was exported with opset ${from}; Hearth upgrades models from opset ` +
				`${OLDEST_UPGRADABLE_OPSET} on. Re-export it with a newer opset (opset_version=17).`
		);
	}
	const notes = new Set<string>();
	if (model.graph) upgradeGraph(model.graph, from, target, new NameScope(model), notes);
	setOpsetVersion(model, '', target);
	const ir = int64ToNumber(model.irVersion);
	model.irVersion = Math.max(ir, target >= 21 ? 10 : target >= 19 ? 9 : 7);
	return { from, to: target, notes: [...notes] };
}
