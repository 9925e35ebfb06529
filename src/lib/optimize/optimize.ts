/**
 * One ONNX file in, one optimized ONNX file out, with a report of what changed: the checks every
 * method shares (size, external data, already quantized), then the method, then the operator
 * histogram before and after. Pure and synchronous, so the optimize worker, the build step and the
 * unit tests run the very same code.
 */
import type { onnx } from 'onnx-proto';
import { compressedSize } from './compressed-size';
import { convertToFloat16Activations } from './float16-activations';
import { convertWeightsToFloat16 } from './float16-weights';
import { dequantizeWeight } from './dequantize-weights';
import { ActivationQuantizers, fitsDynamic, toDynamicInt8 } from './dynamic-quant';
import { ModelTooLargeError, NothingToOptimizeError } from './errors';
import { fitsMatMulNBits, MATMUL_NBITS_DOMAIN, toMatMulNBits } from './matmul-nbits';
import { describeSettings, methodInfo, type OptimizeSettings } from './methods';
import { NameScope, opsetVersion, removeUnused, setOpsetVersion } from './model-graph';
import { ExternalDataError, externalDataLocations, parseOnnxModel } from './onnx-graph';
import { inspectModel, operatorHistogram } from './onnx-inspect';
import { onnxProto } from './onnx-proto';
import { upgradeOpset } from './opset-upgrade';
import { pruneChannels } from './prune-channels';
import { pruneWeightByMagnitude } from './prune-magnitude';
import { checkFloatModel } from './source-checks';
import { findWeightTargets, type SkippedNode, type TargetSearch } from './weight-targets';

/** Memory a file needs while it is optimized: its bytes, the decoded graph, new weights, output. */
export const WORKING_SET_FACTOR = 5;
/** Protobuf cannot encode a message over 2 GiB, so no ONNX file without external data is larger. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

export interface OptimizeProgress {
	stage: 'reading' | 'transforming' | 'writing';
	/** 0..1 within the stage. */
	fraction: number;
}

export interface OptimizeOptions {
	onProgress?: (progress: OptimizeProgress) => void;
	/** How much memory the work may take; larger files are refused before decoding. */
	memoryBudgetBytes?: number;
}

export interface OperatorChange {
	op: string;
	before: number;
	after: number;
}

export interface OptimizeReport {
	settings: OptimizeSettings;
	/** The settings in words. */
	description: string;
	bytesBefore: number;
	bytesAfter: number;
	/** What happened to the graph, one line each. */
	changes: string[];
	operators: OperatorChange[];
	/** Sizeable weights left as they were, with the reason. */
	skipped: SkippedNode[];
	/** Weights the method rewrote. */
	weightsChanged: number;
	/** Fraction of the covered weights' entries that are zero afterwards (pruning). */
	sparsity?: number;
	/** The new file deflated (pruning): zeros only save space compressed. */
	compressedBytes?: number;
	/** Parameters (weights and constants) before and after. */
	parametersBefore: number;
	parametersAfter: number;
	/** The default-domain opset before and after (they differ when the method needed a newer one). */
	opset: { from: number; to: number };
	/** Time the method itself took (decode to encode), for the benchmark. */
	milliseconds: number;
}

export interface OptimizeResult {
	bytes: Uint8Array;
	report: OptimizeReport;
}

function checkSize(bytes: number, fileName: string, budget: number | undefined): void {
	const needed = bytes * WORKING_SET_FACTOR;
	const limit = Math.min(budget ?? Infinity, PROTOBUF_LIMIT * WORKING_SET_FACTOR);
	if (needed > limit || bytes > PROTOBUF_LIMIT) {
		throw new ModelTooLargeError(fileName, bytes, needed, Math.min(limit, PROTOBUF_LIMIT));
	}
}

function summarizeSkipped(search: TargetSearch): string {
	const reasons = new Map<string, number>();
	for (const skipped of search.skipped)
		reasons.set(skipped.reason, (reasons.get(skipped.reason) ?? 0) + 1);
	if (reasons.size === 0) return 'the model has no weights of the selected operator types';
	return [...reasons].map(([reason, n]) => `${reason} (${n} node${n === 1 ? '' : 's'})`).join('; ');
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countByOp(targets: TargetSearch['targets']): string {
	const counts = new Map<string, number>();
	for (const target of targets) counts.set(target.op, (counts.get(target.op) ?? 0) + 1);
	return [...counts].map(([op, n]) => plural(n, `${op} weight`)).join(', ');
}

interface MethodOutcome {
	changes: string[];
	skipped: SkippedNode[];
	weightsChanged: number;
	sparsity?: number;
}

function runMethod(
	model: onnx.IModelProto,
	fileName: string,
	settings: OptimizeSettings,
	progress: (fraction: number) => void
): MethodOutcome {
	const label = methodInfo(settings.method).label;
	if (settings.method === 'fp16') {
		if (settings.activations) return convertToFloat16Activations(model, fileName, progress);
		const result = convertWeightsToFloat16(model, new NameScope(model), (done, total) =>
			progress(done / total)
		);
		if (result.converted === 0)
			throw new NothingToOptimizeError(
				fileName,
				label,
				'it has no float32 weights of 16 values or more'
			);
		const changes = [
			`${plural(result.converted, 'float32 weight')} stored as float16, each followed by a Cast to float32 that onnxruntime folds at load`
		];
		if (result.overflowing.length > 0)
			changes.push(
				`${plural(result.overflowing.length, 'weight')} kept in float32 (values beyond ±65504)`
			);
		return { changes, skipped: [], weightsChanged: result.converted };
	}
	const covers = methodInfo(settings.method).covers;
	const search = findWeightTargets(model, settings.ops, covers);
	let targets = search.targets;
	const skipped = [...search.skipped];
	if (settings.method === 'int8-dynamic') {
		for (const target of targets.filter((each) => !fitsDynamic(each))) {
			skipped.push({
				node: target.weight.name,
				op: target.op,
				reason: `this ${target.op} has no integer form`
			});
		}
		targets = targets.filter(fitsDynamic);
	}
	if (targets.length === 0)
		throw new NothingToOptimizeError(fileName, label, summarizeSkipped({ ...search, skipped }));
	const changes: string[] = [];
	const upgrade = (target: number) => {
		const done = upgradeOpset(model, target);
		if (done) {
			const notes = done.notes.length > 0 ? `; ${done.notes.join('; ')}` : '';
			changes.push(
				`opset ${done.from} → ${done.to}, so the new operators exist (attributes moved to inputs where the newer opset wants them${notes})`
			);
		}
	};
	const step = (i: number) => progress(i / targets.length);

	switch (settings.method) {
		case 'int8-weight-only':
		case 'low-bit': {
			const perChannel = settings.method === 'low-bit' || settings.perChannel;
			upgrade(perChannel ? 13 : 10);
			const names = new NameScope(model);
			targets.forEach((target, i) => {
				step(i);
				dequantizeWeight(
					target,
					settings.method === 'low-bit'
						? { bits: 8, symmetric: true, grouping: 'channel', lowBit: settings.levels }
						: {
								bits: 8,
								symmetric: settings.symmetric,
								grouping: perChannel ? 'channel' : 'tensor'
							},
					names
				);
			});
			const codes =
				settings.method === 'low-bit'
					? `${settings.levels} codes (stored as int8)`
					: `int8 ${settings.symmetric ? 'symmetric' : 'asymmetric (uint8 with zero points)'}, ${perChannel ? 'one scale per output channel' : 'one scale per tensor'}`;
			changes.push(`${countByOp(targets)} → ${codes}, restored by DequantizeLinear`);
			break;
		}
		case 'int4': {
			const nbits = targets.filter(fitsMatMulNBits);
			const blocked = targets.filter((target) => !fitsMatMulNBits(target));
			if (blocked.length > 0) upgrade(21);
			const names = new NameScope(model);
			if (nbits.length > 0)
				setOpsetVersion(
					model,
					MATMUL_NBITS_DOMAIN,
					Math.max(1, opsetVersion(model, MATMUL_NBITS_DOMAIN) ?? 1)
				);
			let nodes = 0;
			targets.forEach((target, i) => {
				step(i);
				if (fitsMatMulNBits(target))
					nodes += toMatMulNBits(target, settings.blockSize, settings.symmetric, names).nodes
						.length;
				else
					dequantizeWeight(
						target,
						{ bits: 4, symmetric: settings.symmetric, grouping: { block: settings.blockSize } },
						names
					);
			});
			const kind = settings.symmetric ? 'symmetric' : 'asymmetric';
			if (nbits.length > 0)
				changes.push(
					`${plural(nodes, 'MatMul/Gemm node')} → MatMulNBits (com.microsoft), int4 ${kind}, block ${settings.blockSize}`
				);
			if (blocked.length > 0)
				changes.push(
					`${countByOp(blocked)} → int4 ${kind} in blocks of ${settings.blockSize}, restored by DequantizeLinear (opset 21)`
				);
			break;
		}
		case 'int8-dynamic': {
			upgrade(13);
			const names = new NameScope(model);
			const activations = new ActivationQuantizers(names);
			let nodes = 0;
			targets.forEach((target, i) => {
				step(i);
				nodes += toDynamicInt8(target, activations, names).nodes.length;
			});
			changes.push(
				`${plural(nodes, 'node')} (${countByOp(targets)}) → DynamicQuantizeLinear + MatMulInteger/ConvInteger with uint8 weights (per output column for MatMul, per tensor for Conv)`
			);
			break;
		}
		case 'prune-magnitude': {
			let zeroed = 0;
			let elements = 0;
			targets.forEach((target, i) => {
				step(i);
				const pruned = pruneWeightByMagnitude(target, settings.sparsity);
				zeroed += pruned.zeroed;
				elements += pruned.elements;
			});
			changes.push(
				`${countByOp(targets)}: the smallest ${Math.round(settings.sparsity * 100)}% of entries of each set to 0 (${zeroed.toLocaleString('en-US')} of ${elements.toLocaleString('en-US')})`
			);
			changes.push(
				'The graph is unchanged and the ONNX file keeps its size: zeros take four bytes like any float. Hearth stores it compressed.'
			);
			return {
				changes,
				skipped,
				weightsChanged: targets.length,
				sparsity: elements > 0 ? zeroed / elements : 0
			};
		}
		case 'prune-channels': {
			const main = model.graph!;
			const order = new Map((main.node ?? []).map((node, i) => [node, i]));
			const sorted = [...targets].sort(
				(a, b) => (order.get(a.uses[0]!.node) ?? 0) - (order.get(b.uses[0]!.node) ?? 0)
			);
			const result = pruneChannels(main, sorted, settings.sparsity);
			progress(1);
			if (result.layers.length === 0) {
				throw new NothingToOptimizeError(
					fileName,
					label,
					`no layer's channels could be removed (${result.skipped
						.map((s) => `${s.node}: ${s.reason}`)
						.slice(0, 5)
						.join('; ')})`
				);
			}
			const removed = removeUnused(main);
			changes.push(
				`${plural(result.layers.length, 'layer')} lost their weakest output channels: ${result.layers.map((layer) => `${layer.node} ${layer.of} → ${layer.kept}`).join(', ')}`
			);
			changes.push(
				`${result.parametersRemoved.toLocaleString('en-US')} parameters removed with them (the next layers' matching inputs included)`
			);
			if (removed.initializers > 0)
				changes.push(`${plural(removed.initializers, 'unused weight')} dropped`);
			return {
				changes,
				skipped: [...skipped, ...result.skipped],
				weightsChanged: result.layers.length
			};
		}
	}
	return { changes, skipped, weightsChanged: targets.length };
}

type Histogram = ReturnType<typeof operatorHistogram>;

function operatorChanges(before: Histogram, after: onnx.IGraphProto): OperatorChange[] {
	const counts = new Map<string, OperatorChange>();
	for (const { op, count } of before) counts.set(op, { op, before: count, after: 0 });
	for (const { op, count } of operatorHistogram(after)) {
		counts.set(op, { op, before: counts.get(op)?.before ?? 0, after: count });
	}
	return [...counts.values()].filter((change) => change.before !== change.after);
}

/** Optimizes one ONNX file. Throws the errors in ./errors (and onnx-graph's) with advice. */
export function optimizeOnnx(
	bytes: Uint8Array,
	fileName: string,
	settings: OptimizeSettings,
	options: OptimizeOptions = {}
): OptimizeResult {
	const started = performance.now();
	const report = (stage: OptimizeProgress['stage'], fraction: number) =>
		options.onProgress?.({ stage, fraction: Math.min(1, Math.max(0, fraction)) });
	checkSize(bytes.byteLength, fileName, options.memoryBudgetBytes);
	report('reading', 0);
	const model = parseOnnxModel(bytes, fileName);
	const external = externalDataLocations(model);
	if (external.length > 0) throw new ExternalDataError(fileName, external);
	checkFloatModel(model, fileName);
	const before = inspectModel(model, bytes.byteLength);
	const operatorsBefore = operatorHistogram(model.graph!);
	report('reading', 1);

	const outcome = runMethod(model, fileName, settings, (fraction) =>
		report('transforming', fraction)
	);
	report('writing', 0);
	model.producerName = 'hearth';
	model.producerVersion = 'optimize';
	const output = onnxProto.ModelProto.encode(model).finish();
	const after = inspectModel(model, output.byteLength);
	const compressedBytes = outcome.sparsity === undefined ? undefined : compressedSize(output);
	report('writing', 1);
	return {
		bytes: output,
		report: {
			settings,
			description: describeSettings(settings),
			bytesBefore: bytes.byteLength,
			bytesAfter: output.byteLength,
			changes: outcome.changes,
			operators: operatorChanges(operatorsBefore, model.graph!),
			skipped: outcome.skipped,
			weightsChanged: outcome.weightsChanged,
			...(outcome.sparsity === undefined ? {} : { sparsity: outcome.sparsity }),
			...(compressedBytes === undefined ? {} : { compressedBytes }),
			parametersBefore: before.parameters,
			parametersAfter: after.parameters,
			opset: {
				from: before.opsets.find((o) => o.domain === 'ai.onnx')?.version ?? 0,
				to: opsetVersion(model, '') ?? 0
			},
			milliseconds: performance.now() - started
		}
	};
}
