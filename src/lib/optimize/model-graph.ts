/**
 * Graph utilities the optimizers share: where each weight lives (a graph initializer or, as in
 * PaddleOCR's exports, a Constant node), who produces and who consumes each tensor (including
 * nodes of If/Loop bodies that read it from the outer scope), topological order, shapes where the
 * file states them, fresh names, and dead-node removal. Pure: it works on decoded ModelProtos.
 */
import type { onnx } from 'onnx-proto';
import { int64ToNumber } from './onnx-graph';
import { graphsOf } from './onnx-inspect';
import { onnxProto } from './onnx-proto';
import { dimsOf } from './onnx-tensors';

export interface Weight {
	name: string;
	tensor: onnx.ITensorProto;
	/** A graph initializer, or the `value` of a Constant node. */
	kind: 'initializer' | 'constant';
	/** The Constant node holding it. */
	node?: onnx.INodeProto;
}

export interface Use {
	node: onnx.INodeProto;
	/** Which input of the node reads the tensor. */
	index: number;
	/** The graph the node is in (a subgraph for reads from an If or Loop body). */
	graph: onnx.IGraphProto;
}

/** The tensor a Constant node holds in its `value` attribute; null for other nodes. */
export function constantTensorOf(node: onnx.INodeProto): onnx.ITensorProto | null {
	if (node.opType !== 'Constant' || !isDefaultDomain(node)) return null;
	return node.attribute?.find((attribute) => attribute.name === 'value')?.t ?? null;
}

export function isDefaultDomain(node: onnx.INodeProto): boolean {
	return !node.domain || node.domain === 'ai.onnx';
}

/** The subgraphs a node carries (If branches, Loop and Scan bodies). */
export function subgraphsOf(node: onnx.INodeProto): onnx.IGraphProto[] {
	return (node.attribute ?? []).flatMap((attribute) => [
		...(attribute.g ? [attribute.g] : []),
		...(attribute.graphs ?? [])
	]);
}

/** Names a subgraph reads but does not define: values it takes from the enclosing graphs. */
export function outerScopeReads(graph: onnx.IGraphProto): Set<string> {
	const defined = new Set<string>([
		...(graph.input ?? []).map((input) => input.name ?? ''),
		...(graph.initializer ?? []).map((tensor) => tensor.name ?? '')
	]);
	const reads = new Set<string>();
	for (const node of graph.node ?? []) {
		for (const input of node.input ?? []) if (input && !defined.has(input)) reads.add(input);
		for (const subgraph of subgraphsOf(node)) {
			for (const name of outerScopeReads(subgraph)) if (!defined.has(name)) reads.add(name);
		}
		for (const output of node.output ?? []) defined.add(output);
	}
	for (const output of graph.output ?? []) {
		if (output.name && !defined.has(output.name)) reads.add(output.name);
	}
	return reads;
}

/**
 * An index over one graph (not its subgraphs): weights, producers and consumers. Build a new one
 * after editing the graph; the optimizers plan on an index, then edit.
 */
export class GraphIndex {
	readonly weights = new Map<string, Weight>();
	readonly producers = new Map<string, onnx.INodeProto>();
	readonly consumers = new Map<string, Use[]>();
	/** Tensors read inside a subgraph of some node (If/Loop bodies). */
	readonly subgraphReads = new Set<string>();
	/** Reads of each tensor here and in every nested subgraph. */
	readonly deepConsumers = new Map<string, Use[]>();
	readonly graphInputs: Set<string>;
	readonly graphOutputs: Set<string>;

	constructor(readonly graph: onnx.IGraphProto) {
		this.graphInputs = new Set((graph.input ?? []).map((input) => input.name ?? ''));
		this.graphOutputs = new Set((graph.output ?? []).map((output) => output.name ?? ''));
		for (const tensor of graph.initializer ?? []) {
			const name = tensor.name ?? '';
			// An initializer that is also a graph input (IR < 4) may be overridden by the caller.
			if (!this.graphInputs.has(name))
				this.weights.set(name, { name, tensor, kind: 'initializer' });
		}
		for (const node of graph.node ?? []) {
			const constant = constantTensorOf(node);
			const output = node.output?.[0];
			if (constant && output)
				this.weights.set(output, { name: output, tensor: constant, kind: 'constant', node });
			for (const name of node.output ?? []) if (name) this.producers.set(name, node);
			(node.input ?? []).forEach((name, index) => {
				if (!name) return;
				const uses = this.consumers.get(name) ?? [];
				uses.push({ node, index, graph });
				this.consumers.set(name, uses);
			});
			for (const subgraph of subgraphsOf(node)) {
				for (const name of outerScopeReads(subgraph)) this.subgraphReads.add(name);
			}
		}
		collectDeepUses(graph, this.deepConsumers);
	}

	usesOf(name: string): Use[] {
		return this.consumers.get(name) ?? [];
	}

	/** Whether anything besides the listed uses reads the tensor (a graph output, a subgraph). */
	readElsewhere(name: string): boolean {
		return this.graphOutputs.has(name) || this.subgraphReads.has(name);
	}

	/** The shape the file states for a tensor (weights, graph inputs/outputs, value_info). */
	shapeOf(name: string): (number | string)[] | undefined {
		const weight = this.weights.get(name);
		if (weight) return dimsOf(weight.tensor);
		const info = [
			...(this.graph.input ?? []),
			...(this.graph.output ?? []),
			...(this.graph.valueInfo ?? [])
		].find((value) => value.name === name);
		const shape = info?.type?.tensorType?.shape;
		if (!shape) return undefined;
		return (shape.dim ?? []).map((dim) =>
			dim.dimParam
				? dim.dimParam
				: dim.dimValue !== null && dim.dimValue !== undefined
					? int64ToNumber(dim.dimValue)
					: '?'
		);
	}
}

/** Every read of every name in the graph and its nested subgraphs (names are unique in ONNX). */
function collectDeepUses(graph: onnx.IGraphProto, into: Map<string, Use[]>): void {
	for (const node of graph.node ?? []) {
		(node.input ?? []).forEach((name, index) => {
			if (!name) return;
			const uses = into.get(name) ?? [];
			uses.push({ node, index, graph });
			into.set(name, uses);
		});
		for (const subgraph of subgraphsOf(node)) collectDeepUses(subgraph, into);
	}
}

/**
 * The graph's nodes ordered so each comes after the producers of its inputs (Kahn's algorithm,
 * keeping the file's order among ready nodes). Names not produced by any node (graph inputs,
 * initializers, outer-scope values) count as available. Throws on a cycle.
 */
export function topologicalOrder(graph: onnx.IGraphProto): onnx.INodeProto[] {
	const nodes = graph.node ?? [];
	const producerIndex = new Map<string, number>();
	nodes.forEach((node, index) => {
		for (const output of node.output ?? []) if (output) producerIndex.set(output, index);
	});
	const waitingOn = nodes.map(() => 0);
	const dependents: number[][] = nodes.map(() => []);
	nodes.forEach((node, index) => {
		const needs = new Set<number>();
		const inputs = [...(node.input ?? [])];
		for (const subgraph of subgraphsOf(node)) inputs.push(...outerScopeReads(subgraph));
		for (const input of inputs) {
			const producer = producerIndex.get(input);
			if (producer !== undefined && producer !== index) needs.add(producer);
		}
		waitingOn[index] = needs.size;
		for (const producer of needs) dependents[producer]!.push(index);
	});
	const ready = nodes.map((_, index) => index).filter((index) => waitingOn[index] === 0);
	const order: onnx.INodeProto[] = [];
	while (ready.length > 0) {
		ready.sort((a, b) => a - b);
		const index = ready.shift()!;
		order.push(nodes[index]!);
		for (const dependent of dependents[index]!) {
			if (--waitingOn[dependent]! === 0) ready.push(dependent);
		}
	}
	if (order.length !== nodes.length) throw new Error('The graph has a cycle');
	return order;
}

/** Hands out names no tensor or node of the model has yet: `${base}`, `${base}_1`, ... */
export class NameScope {
	private readonly taken = new Set<string>();

	constructor(model: onnx.IModelProto) {
		for (const graph of model.graph ? graphsOf(model.graph) : []) {
			for (const value of [...(graph.input ?? []), ...(graph.output ?? [])]) {
				this.taken.add(value.name ?? '');
			}
			for (const tensor of graph.initializer ?? []) this.taken.add(tensor.name ?? '');
			for (const node of graph.node ?? []) {
				for (const name of [...(node.input ?? []), ...(node.output ?? [])]) this.taken.add(name);
				if (node.name) this.taken.add(node.name);
			}
		}
	}

	fresh(base: string): string {
		let name = base;
		for (let n = 1; this.taken.has(name); n++) name = `${base}_${n}`;
		this.taken.add(name);
		return name;
	}
}

/** Removes nodes whose outputs nothing reads, and initializers no node reads, until none is left. */
export function removeUnused(graph: onnx.IGraphProto): { nodes: number; initializers: number } {
	let removedNodes = 0;
	for (;;) {
		const index = new GraphIndex(graph);
		const live = (name: string) =>
			!name || index.usesOf(name).length > 0 || index.readElsewhere(name);
		const before = graph.node?.length ?? 0;
		graph.node = (graph.node ?? []).filter((node) => (node.output ?? []).some(live));
		removedNodes += before - graph.node.length;
		if (graph.node.length === before) break;
	}
	const index = new GraphIndex(graph);
	const before = graph.initializer?.length ?? 0;
	graph.initializer = (graph.initializer ?? []).filter(
		(tensor) =>
			index.usesOf(tensor.name ?? '').length > 0 ||
			index.readElsewhere(tensor.name ?? '') ||
			index.graphInputs.has(tensor.name ?? '')
	);
	return { nodes: removedNodes, initializers: before - graph.initializer.length };
}

/** Takes a weight out of its graph (its initializer or its Constant node). */
export function removeWeight(graph: onnx.IGraphProto, weight: Weight): void {
	if (weight.kind === 'initializer') {
		graph.initializer = (graph.initializer ?? []).filter((tensor) => tensor !== weight.tensor);
	} else {
		graph.node = (graph.node ?? []).filter((node) => node !== weight.node);
	}
}

export function opsetVersion(model: onnx.IModelProto, domain = ''): number | undefined {
	const wanted = domain === 'ai.onnx' ? '' : domain;
	const entry = (model.opsetImport ?? []).find(
		(opset) => (opset.domain === 'ai.onnx' ? '' : (opset.domain ?? '')) === wanted
	);
	return entry ? int64ToNumber(entry.version) : undefined;
}

export function setOpsetVersion(model: onnx.IModelProto, domain: string, version: number): void {
	const entry = (model.opsetImport ?? []).find(
		(opset) => (opset.domain === 'ai.onnx' ? '' : (opset.domain ?? '')) === domain
	);
	if (entry) entry.version = version;
	else model.opsetImport = [...(model.opsetImport ?? []), { domain, version }];
}

export type AttributeValue =
	| { int: number }
	| { ints: number[] }
	| { float: number }
	| { floats: number[] }
	| { string: string }
	| { tensor: onnx.ITensorProto };

export function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
	const types = onnxProto.AttributeProto.AttributeType;
	if ('int' in value) return { name, type: types.INT, i: value.int };
	if ('ints' in value) return { name, type: types.INTS, ints: value.ints };
	if ('float' in value) return { name, type: types.FLOAT, f: value.float };
	if ('floats' in value) return { name, type: types.FLOATS, floats: value.floats };
	if ('string' in value) {
		return { name, type: types.STRING, s: new TextEncoder().encode(value.string) };
	}
	return { name, type: types.TENSOR, t: value.tensor };
}

export function makeNode(
	opType: string,
	inputs: string[],
	outputs: string[],
	attributes: Record<string, AttributeValue> = {},
	domain = ''
): onnx.INodeProto {
	return {
		opType,
		domain,
		name: outputs[0] ? `${opType}_${outputs[0]}` : opType,
		input: inputs,
		output: outputs,
		attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value))
	};
}

export function findAttribute(
	node: onnx.INodeProto,
	name: string
): onnx.IAttributeProto | undefined {
	return node.attribute?.find((entry) => entry.name === name);
}

export function intAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
	const found = findAttribute(node, name);
	return found?.i !== undefined && found.i !== null ? int64ToNumber(found.i) : fallback;
}

export function intsAttribute(node: onnx.INodeProto, name: string): number[] | undefined {
	const found = findAttribute(node, name);
	return found ? (found.ints ?? []).map((value) => int64ToNumber(value)) : undefined;
}

export function floatAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
	const found = findAttribute(node, name);
	return found?.f !== undefined && found.f !== null && found.type === 1 ? found.f : fallback;
}

export function removeAttribute(node: onnx.INodeProto, name: string): void {
	node.attribute = (node.attribute ?? []).filter((entry) => entry.name !== name);
}

/** Replaces every read of `from` by `to` in the given nodes (consumers stay where they are). */
export function renameInput(uses: Use[], to: string): void {
	for (const use of uses) use.node.input![use.index] = to;
}
